# ruff: noqa: E501  (the answer lines are prose; wrapping them would change what is graded)
"""The disagreement classes the sixth blind set (evals/suites/blind6, stop 20) showed, one test each.

The blind set is graded by ``escalation-kit eval calibrate --suite blind6``; these tests pin the mechanisms with
lines written for them, against small tool results built here.
"""

from __future__ import annotations

from escalation_kit.evals.build import engine_transcript
from escalation_kit.evals.grounding import check_deadlines


def _sla(opened: str, zone: str, due: str, updates: tuple[str, ...] = (), triggers: tuple[str, ...] = (),
         **extra: object) -> list:
    """Tool calls whose SLA result opens at ``opened`` in ``zone`` with the given first response and times."""
    result = {"severity": "P1", "opened_at": opened, "timezone": zone, "first_response_due": due,
              "updates": [{"kind": "customer_update", "at": u} for u in updates],
              "escalation_triggers": [{"kind": "at_risk_50", "at": t} for t in triggers], **extra}
    return [("classify_severity", {"text": "x"}, {"severity": "P1"}),
            ("compute_sla_deadlines", {"severity": "P1"}, result)]


def _deadline(answer: str, calls: list, skill: str = "incident-triage") -> tuple[str, str]:
    tr = engine_transcript("t", skill, "en", "incident", answer, calls)
    got = check_deadlines(answer, tr)
    return got[0].status, got[0].detail


# A Saturday-evening case in Shanghai: first response 22:05 (30 min), at-risk marks 21:50 and 21:57, update 23:35.
SHANGHAI = _sla("2026-12-19T21:35:00+08:00", "Asia/Shanghai", "2026-12-19T22:05:00+08:00",
                updates=("2026-12-19T23:35:00+08:00",),
                triggers=("2026-12-19T21:50:00+08:00", "2026-12-19T21:57:00+08:00"), target_minutes=30)


def test_a_full_width_semicolon_ends_a_first_response_s_pairing() -> None:
    """NFKC turns '；' into ';' with no space after it, so '首次响应（30 分钟）；支持经理：23:35 无响应…' bound 23:35 to the
    first response; a semicolon ends the pairing with or without a space."""
    answer = "协调人：22:05 前盯厂商首次响应（30 分钟）；支持经理：23:35 无响应则找客户经理。\n"
    assert _deadline(answer, SHANGHAI)[0] == "pass"
    assert _deadline("首次响应截止 23:35。\n", SHANGHAI)[0] == "fail"


def test_a_time_in_a_bracketed_aside_after_the_first_response_is_a_mark_on_the_way() -> None:
    """'22:05 前应有首次响应（21:50 用掉 50%，21:57 用掉 75%）': the at-risk marks in the bracket are tool times, not the due;
    a bracket that holds only the due still binds it."""
    answer = "按内部目标 30 分钟跟踪：**22:05** 前应有首次响应（21:50 用掉 50%，21:57 用掉 75%）。\n"
    assert _deadline(answer, SHANGHAI)[0] == "pass"
    assert _deadline("首次响应（21:50 前）。\n", SHANGHAI)[0] == "fail"


# A Sunday-morning case in Adelaide (ACDT, UTC+10:30): internal response 09:15, update 10:45.
ADELAIDE = _sla("2026-12-06T08:45:00+10:30", "Australia/Adelaide", "2026-12-06T09:15:00+10:30",
                updates=("2026-12-06T10:45:00+10:30",))


def test_an_australian_zone_abbreviation_names_its_own_zone() -> None:
    """'09:15 AEDT' in an Adelaide case was read in the tool's zone (AEDT was no alias): it is Sydney time, half an
    hour off; ACDT, the tool zone's own abbreviation, and the Sydney clock for the same instant pass."""
    assert _deadline("Internal response due **09:15 ACDT**.\n", ADELAIDE)[0] == "pass"
    assert _deadline("Internal response due **09:15 AEDT (Sydney)**.\n", ADELAIDE)[0] == "fail"
    assert _deadline("Internal response due **09:45 AEDT**.\n", ADELAIDE)[0] == "pass"
