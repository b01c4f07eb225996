# ruff: noqa: E501  (the answer lines are prose; wrapping them would change what is graded)
"""The disagreement classes the fifth blind set (evals/suites/blind5, stop 19) showed, one test each.

The blind set is graded by ``escalation-kit eval calibrate --suite blind5``; these tests pin the mechanisms with
lines written for them, against small SLA snapshots built here.
"""

from __future__ import annotations

from escalation_kit.evals.build import engine_transcript
from escalation_kit.evals.grounding import check_deadlines


def _sla(opened: str, zone: str, due: str, updates: tuple[str, ...] = (), triggers: tuple[str, ...] = (),
         **extra: object) -> list:
    """Tool calls whose SLA result opens at ``opened`` in ``zone`` with the given first response and times."""
    result = {"severity": "P2", "opened_at": opened, "timezone": zone, "first_response_due": due,
              "updates": [{"kind": "customer_update", "at": u} for u in updates],
              "escalation_triggers": [{"kind": "at_risk_50", "at": t} for t in triggers], **extra}
    return [("classify_severity", {"text": "x"}, {"severity": "P2"}),
            ("compute_sla_deadlines", {"severity": "P2"}, result)]


# A Friday-evening case in St. John's (UTC-03:30): first response Monday 09:40, next update Monday 16:40.
NEWFOUNDLAND = _sla("2026-11-27T16:40:00-03:30", "America/St_Johns", "2026-11-30T09:40:00-03:30",
                    updates=("2026-11-30T16:40:00-03:30",), triggers=("2026-11-27T17:40:00-03:30",))


def _deadline(answer: str, calls: list) -> tuple[str, str]:
    tr = engine_transcript("t", "incident-triage", "en", "incident", answer, calls)
    got = check_deadlines(answer, tr)
    return got[0].status, got[0].detail


def test_a_utc_offset_written_with_the_minus_sign_is_a_zone_not_a_time() -> None:
    """'09:40 NST (UTC−03:30)' with U+2212 read 03:30 as a deadline; the offset is the zone of the time."""
    assert _deadline("First response due Mon 09:40 NST (UTC−03:30).\n", NEWFOUNDLAND)[0] == "pass"
    assert _deadline("First response due Mon 12:10 (UTC−03:30).\n", NEWFOUNDLAND)[0] == "fail"
    assert _deadline("First response due Mon 13:10 UTC.\n", NEWFOUNDLAND)[0] == "pass"


def test_a_commitment_word_governs_the_first_time_after_it_and_its_list_only() -> None:
    """'first response by 12:20, rollback decision by 13:00' checked the team's own 13:00 against the tool, and
    'next update 16:40 (after the 02:00 clock change)' the clock change; a list ('17:40 and 18:10') stays checked."""
    first = "First response due Mon 09:40 NST."
    assert _deadline(f"{first} Next update by Mon 16:40 NST, rollback decision by 13:00 NST.\n", NEWFOUNDLAND)[0] == "pass"
    assert _deadline(f"{first} Next update by Mon 16:40 NST (after the 02:00 clock change).\n", NEWFOUNDLAND)[0] == "pass"
    status, detail = _deadline(f"{first} At-risk reminders at 17:40 and 18:10 NST.\n", NEWFOUNDLAND)
    assert status == "fail" and "18:10" in detail
    assert _deadline(f"{first} Next update by 17:00 NST.\n", NEWFOUNDLAND)[0] == "fail"


def test_a_time_in_brackets_ends_its_clause_where_they_close_before_a_comma() -> None:
    """'(their evening peak starts ~19:00), contract SLA at stake': the SLA word belongs to the next clause; a bracketed
    time the clause goes on from ('after 1 hour (03:25) the case escalates') is still checked."""
    first = "First response due Mon 09:40 NST."
    assert _deadline(f"{first} Stakes: lost orders (their evening peak starts ~19:00 NST), contract SLA at stake.\n", NEWFOUNDLAND)[0] == "pass"
    assert _deadline(f"{first} After 3 hours (19:40 NST) the case escalates.\n", NEWFOUNDLAND)[0] == "fail"
