"""Golden files: every document kind in every language, rendered from the full facts.

Regenerate after a deliberate template change, then read the diff:
    ESCALATION_KIT_REGEN_GOLDEN=1 .venv/bin/python -m pytest tests/briefs/test_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from escalation_kit.briefs.render import DOC_KINDS, LANGUAGES
from escalation_kit.tools import format_escalation_brief

GOLDEN = Path(__file__).parent / "golden"
FACTS = yaml.safe_load((GOLDEN / "facts.yaml").read_text(encoding="utf-8"))
ZONES = {"en": "UTC", "ru": "Europe/Moscow", "zh": "Asia/Shanghai"}
REGEN = os.environ.get("ESCALATION_KIT_REGEN_GOLDEN") == "1"


def _cases():
    for kind in DOC_KINDS:
        for lang in LANGUAGES:
            yield kind, lang, FACTS["full"][kind], f"{kind}/{lang}.md"
    for name, facts in FACTS.get("native", {}).items():
        kind, lang = name.rsplit("_", 1)
        yield kind, lang, facts, f"{kind}/{lang}.native.md"


@pytest.mark.parametrize(
    ("kind", "lang", "facts", "path"), list(_cases()), ids=lambda v: v if isinstance(v, str) else ""
)
def test_rendering_matches_golden_file(kind, lang, facts, path):
    native = path.endswith(".native.md")
    result = format_escalation_brief(facts, kind=kind, language="auto" if native else lang, timezone=ZONES[lang])
    assert result.language == lang
    markdown = result.markdown
    target = GOLDEN / path
    if REGEN:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown, encoding="utf-8")
    assert target.is_file(), f"missing golden {path}; run with ESCALATION_KIT_REGEN_GOLDEN=1"
    assert markdown == target.read_text(encoding="utf-8")
