"""Golden triage briefs for the issue's three reports (zh, ru, en), so a wording change shows as a diff.

Regenerate after a deliberate change, then read the diff:
    ESCALATION_KIT_REGEN_GOLDEN=1 python -m pytest tests/briefs/test_triage_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from escalation_kit.triage import TriageRequest, run_triage

GOLDEN = Path(__file__).parent / "golden" / "triage"
REGEN = os.environ.get("ESCALATION_KIT_REGEN_GOLDEN") == "1"
CASES = {
    "zh-alibaba-cn": ("华东1（杭州）的RDS从14:05开始无法连接，所有用户下单失败，已经影响支付", "alibaba-cn",
                      "2026-12-04T14:30:00+08:00", "Asia/Shanghai"),
    "ru-yandex": ("Прод лежит с 14:05 МСК, весь трафик оплаты падает, клиенты не могут оплатить заказы", "yandex",
                  "2026-12-04T11:30:00Z", None),
    "en-aws-leak": ("Possible data leak: customer emails exposed via a public S3 bucket since 09:10 UTC", "aws",
                    "2026-12-04T09:40:00Z", None),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_triage_brief_matches_golden_file(name):
    text, vendor, opened, zone = CASES[name]
    markdown = run_triage(TriageRequest(text=text, vendor=vendor, opened_at=opened, timezone=zone)).brief.markdown
    target = GOLDEN / f"{name}.md"
    if REGEN:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown, encoding="utf-8")
    assert target.is_file(), f"missing golden {target.name}; run with ESCALATION_KIT_REGEN_GOLDEN=1"
    assert markdown == target.read_text(encoding="utf-8")
