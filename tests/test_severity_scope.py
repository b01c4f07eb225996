"""Scope words are read even when they follow an outage word, and percentages set the breadth."""

from __future__ import annotations

import pytest

from escalation_kit.severity import classify_severity


@pytest.mark.parametrize("text", [
    "Checkout down for everyone",
    "Login down for all",
    "API down for everybody since 10:00",
])
def test_down_for_everyone_reports_scope_all(text: str) -> None:
    result = classify_severity(text)
    assert result.features["scope"] == "all"
    assert "scope" not in result.question_ids
    assert {"outage", "scope-all"} <= {s.id for s in result.signals}
