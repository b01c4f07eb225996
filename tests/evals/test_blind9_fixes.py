# ruff: noqa: E501  (the answer lines are prose; wrapping them would change what is graded)
"""The disagreement classes the ninth blind set (evals/suites/blind9, stop 23) showed, one test each.

The blind set is graded by ``escalation-kit eval calibrate --suite blind9``; these tests pin the mechanisms with
lines written for them, against small tool results built here, and (where a rule reads a whole answer's shape) on
the suite's own labelled answers.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from escalation_kit.evals.grounding import assigned_level


@cache
def _labelled(suite: str) -> dict[str, tuple[Any, Any]]:
    """answer id -> (transcript, case) of a labelled suite's answers (no perturbations)."""
    from escalation_kit.evals.calibration import _labelled_answers

    return {lab.id: (tr, case) for lab, tr, case, _ in _labelled_answers(suite)}


def _graded(suite: str, answer_id: str) -> Any:
    """The grade of one labelled answer of ``suite``."""
    from escalation_kit.evals.runner import grade_transcript

    tr, case = _labelled(suite)[answer_id]
    return grade_transcript(tr, case)


def test_a_level_a_condition_or_a_would_lower_names_is_not_the_one_assigned() -> None:
    """'**P2 — частичное влияние.** … Повысить до P1 стоит, если …' assigned P1 (the 'до' before it), '**P1 - major
    degradation** … Would lower to P2: a working fallback' assigned P2, and "I am **not** using the tool's P2" assigned
    P2: a level whose next clause opens with a conditional word, one after 'would lower' and the tool's own are
    mentioned, not assigned."""
    assert assigned_level("**P2 — частичное влияние.** Так посчитал классификатор. Повысить до P1 стоит, если окажется, что была атака.")[0] == "P2"
    assert assigned_level("**P2 — частичное влияние.** Ядро работает. Поднимем до P1, если начнут падать заказы.")[0] == "P2"
    assert assigned_level("**P1 - major degradation**, no workaround yet.\n- Would lower to P2: a working fallback.\n")[0] == "P1"
    assert assigned_level("**P1 - major degradation.** What would lower it back to P2: the error rate under 5 %.")[0] == "P1"
    assert assigned_level("I am **not** using the tool's P2 here: data integrity is at risk → **P1**.")[0] == "P1"
    assert assigned_level("**P2**。目前仅部分用户受影响，升级到 P1，如果订单开始失败。")[0] == "P2"
    # a level the conditional clause does not govern stays assigned
    assert assigned_level("Severity: **P2**, if it spreads we go P1.")[0] == "P2"
    assert assigned_level("严重级别：P0，若干用户受影响。")[0] == "P0"
