"""The one script counter: en / ru / zh by letter scripts, 'unknown' with no letters."""

from __future__ import annotations

import pytest

from escalation_kit.language import script_language


@pytest.mark.parametrize(("text", "lang"), [
    ("The API is down", "en"),
    ("у нас упал prod, RDS не отвечает", "ru"),
    ("RDS 实例宕机", "zh"),
    ("502", "unknown"),
    ("См. `kubectl get pods -n prod` и https://status.example.com", "ru"),
])
def test_script_language(text: str, lang: str) -> None:
    assert script_language(text) == lang
