"""check:deadline against a business clock whose holiday calendar the SLA tool took from the zone (stop 21): the
plain Monday-Friday times hold too, since whether the team works the holiday is the answer's call; a calendar the
call asked for is binding."""

from __future__ import annotations

from escalation_kit.evals.build import engine_transcript
from escalation_kit.evals.grounding import check_deadlines
from escalation_kit.sla import compute_sla_deadlines

# Moscow, Unity Day (Wednesday 4 November 2026): a P2 on the business clock.
ARGS = {"severity": "P2", "opened_at": "2026-11-04T11:40:00+03:00", "timezone": "Europe/Moscow"}


def _status(answer: str, args: dict) -> str:
    result = compute_sla_deadlines(**args).model_dump(mode="json")
    calls = [("classify_severity", {"text": "x"}, {"severity": "P2"}), ("compute_sla_deadlines", args, result)]
    return check_deadlines(answer, engine_transcript("t", "incident-triage", "en", "incident", answer, calls))[0].status


def _due(args: dict) -> str:
    return f"{compute_sla_deadlines(**args).first_response_due:%H:%M}"


def test_the_plain_week_due_holds_when_the_calendar_was_inferred_and_not_when_it_was_asked_for() -> None:
    inferred, plain = compute_sla_deadlines(**ARGS), compute_sla_deadlines(**ARGS, calendar="none")
    assert inferred.calendar == "RU" and plain.calendar is None
    assert inferred.first_response_due.date() != plain.first_response_due.date()  # the holiday moved the due
    assert _status(f"First response due {_due(ARGS)} MSK.\n", ARGS) == "pass"
    assert _status(f"First response due {_due({**ARGS, 'calendar': 'none'})} MSK.\n", ARGS) == "pass"
    assert _status("First response due 16:25 MSK.\n", ARGS) == "fail"
    asked = {**ARGS, "calendar": "RU"}
    assert _status(f"First response due {_due({**ARGS, 'calendar': 'none'})} MSK.\n", asked) == "fail"
