"""Small SLA tool results, the deadline check on them and a labelled suite's grades, shared by the blind-set fix tests
in tests/evals/."""

from __future__ import annotations

from functools import cache
from typing import Any

from escalation_kit.evals.build import engine_transcript
from escalation_kit.evals.grounding import check_deadlines


def sla_calls(opened: str, zone: str, due: str, updates: tuple[str, ...] = (), triggers: tuple[str, ...] = (),
              severity: str = "P1", **extra: object) -> list:
    """Tool calls whose SLA result opens at ``opened`` in ``zone`` with the given first response and times."""
    result = {"severity": severity, "opened_at": opened, "timezone": zone, "first_response_due": due,
              "updates": [{"kind": "customer_update", "at": u} for u in updates],
              "escalation_triggers": [{"kind": "at_risk_50", "at": t} for t in triggers], **extra}
    return [("classify_severity", {"text": "x"}, {"severity": severity}),
            ("compute_sla_deadlines", {"severity": severity}, result)]


def deadline(answer: str, calls: list, skill: str = "incident-triage", language: str = "en") -> tuple[str, str]:
    """check:deadline's status and detail for ``answer`` against ``calls``."""
    got = check_deadlines(answer, engine_transcript("t", skill, language, "incident", answer, calls))
    return got[0].status, got[0].detail


@cache
def labelled(suite: str) -> dict[str, tuple[Any, Any]]:
    """answer id -> (transcript, case) of a labelled suite's answers (no perturbations)."""
    from escalation_kit.evals.calibration import _labelled_answers

    return {lab.id: (tr, case) for lab, tr, case, _ in _labelled_answers(suite)}


def graded(suite: str, answer_id: str) -> Any:
    """The grade of one labelled answer of ``suite``."""
    from escalation_kit.evals.runner import grade_transcript

    tr, case = labelled(suite)[answer_id]
    return grade_transcript(tr, case)
