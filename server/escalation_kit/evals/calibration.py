"""Agreement of a grader with hand labels: accuracy and Cohen's kappa, overall and per language.

The labelled set is the gold suite (hand-written answers, hand labels) plus ``perturbed``: each
gold answer labelled good, with one controlled defect applied by ``perturb`` (a section dropped, a
body replaced by filler in the answer's language, two bodies swapped, the first-response deadline
moved by an hour), cut along the item sections the grader reads (``perturbations``). A perturbation's
label is known by construction: fail. A kind with no clean section in an answer is skipped
(``skipped_perturbations``).

``gate`` decides whether the LLM judge may be used: only when its recorded agreement on the
labelled set reaches ``JUDGE_MIN_KAPPA`` (figures in ``evals/grading/judge_calibration.yaml``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from escalation_kit.evals.judge_gate import JUDGE_MIN_KAPPA, gate, judge_calibration
from escalation_kit.evals.perturbations import Perturbed, perturbations
from escalation_kit.paths import evals_dir
from escalation_kit.skillpack.contracts import load_contract

__all__ = ["JUDGE_MIN_KAPPA", "Labelled", "agreement", "cohen_kappa", "gate", "judge_calibration", "perturb",
           "skipped_perturbations"]


@dataclass(frozen=True)
class Labelled:
    """One answer with its hand label (pass or fail) and where it came from."""

    id: str
    language: str
    label: bool
    kind: str


def cohen_kappa(pairs: Iterable[tuple[bool, bool]]) -> float | None:
    """Cohen's kappa of (label, verdict) pairs; None when it is undefined (one class only, chance = 1)."""
    pairs = list(pairs)
    n = len(pairs)
    if n == 0:
        return None
    agree = sum(a == b for a, b in pairs) / n
    pa, pb = sum(a for a, _ in pairs) / n, sum(b for _, b in pairs) / n
    if pa in (0.0, 1.0):  # one label class only: agreement beyond chance is not defined
        return None
    chance = pa * pb + (1 - pa) * (1 - pb)
    return None if chance >= 1 else (agree - chance) / (1 - chance)


def agreement(rows: list[tuple[Labelled, bool]]) -> dict[str, dict[str, Any]]:
    """Accuracy, kappa and counts per language and overall from (labelled answer, verdict) rows."""
    out: dict[str, dict[str, Any]] = {}
    for lang in sorted({r.language for r, _ in rows}) + ["all"]:
        sel = [(r.label, v) for r, v in rows if lang in ("all", r.language)]
        k = cohen_kappa(sel)
        out[lang] = {"n": len(sel), "accuracy": round(sum(a == b for a, b in sel) / len(sel), 3),
                     "kappa": None if k is None else round(k, 3),
                     "false_pass": sum(v and not a for a, v in sel), "false_fail": sum(a and not v for a, v in sel)}
    return out


def perturb(text: str, language: str, deadline: str | None, skill: str) -> dict[str, str]:
    """Defective copies of a good answer to ``skill``: kind -> text. Each is a fail by construction."""
    return perturbations(text, language, deadline, load_contract(skill)).made


def report_path() -> Path:
    return evals_dir() / "grading" / "grader_agreement.yaml"


def labelled_set(suite_name: str = "gold") -> list[tuple[Labelled, Any, Any]]:
    """(labelled answer, transcript, case) for the suite's answers and the perturbations of its good ones."""
    out = []
    for lab, tr, case, good in _labelled_answers(suite_name):
        out.append((lab, tr, case))
        for kind, text in (_perturbed(tr, case).made if good else {}).items():
            out.append((Labelled(f"{lab.id}~{kind}", case.language, False, kind), _with_answer(tr, text), case))
    return out


def skipped_perturbations(suite_name: str = "gold") -> dict[str, str]:
    """'answer~kind' -> why that perturbation of a good answer was not made (no clean section for it)."""
    return {f"{lab.id}~{kind}": why for lab, tr, case, good in _labelled_answers(suite_name) if good
            for kind, why in _perturbed(tr, case).skipped.items()}


def _labelled_answers(suite_name: str) -> list[tuple[Labelled, Any, Any, bool]]:
    """(labelled answer, transcript, case, perturb it?) for each recording of the suite, in suite order."""
    from escalation_kit.evals.suite import load_suite
    from escalation_kit.evals.transcript import Transcript

    suite = load_suite(suite_name)
    return [(Labelled(Path(rec.file).stem, case.language, rec.expect == "pass", "gold"),
             Transcript.load(suite.transcript_path(rec)), case, rec.expect == "pass" and rec.note.startswith("good"))
            for case in suite.cases for rec in case.recordings]


def _perturbed(tr: Any, case: Any) -> Perturbed:
    """The perturbations of a good answer, and the kinds skipped for it."""
    return perturbations(tr.answer, case.language, _first_response_due(tr, case), load_contract(case.skill))


def _first_response_due(tr: Any, case: Any) -> str | None:
    """The first SLA call's first-response deadline the answer states (vendor case or tier), as HH:MM."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    sla = tr.results_of("compute_sla_deadlines")
    if not sla or not case.timezone:
        return None
    stated = [datetime.fromisoformat(str(r["first_response_due"]).replace("Z", "+00:00"))
              .astimezone(ZoneInfo(case.timezone)).strftime("%H:%M") for r in sla]
    return next((d for d in stated if d in tr.answer), stated[-1])


def _with_answer(tr: Any, text: str) -> Any:
    copy = tr.model_copy(deep=True)
    copy.answer = text
    if copy.responses:
        copy.responses[-1].content = [{"type": "text", "text": text}]
    return copy


def deterministic_agreement(suite_name: str = "gold") -> tuple[dict[str, Any], list[tuple[Labelled, bool]]]:
    """The deterministic grader's agreement with the labels, per language, on gold and perturbations."""
    from escalation_kit.evals.runner import grade_transcript

    rows = [(lab, grade_transcript(tr, case).passed) for lab, tr, case in labelled_set(suite_name)]
    return {"all answers": agreement(rows),
            "gold (hand labels)": agreement([r for r in rows if r[0].kind == "gold"]),
            "perturbed": agreement([r for r in rows if r[0].kind != "gold"])}, rows


async def _judge_rows(opts: Any, limit: int | None = None) -> list[tuple[Labelled, bool]]:
    """Run the judge on every labelled answer; an answer passes when every contract item's verdict passes."""
    import asyncio

    from escalation_kit.evals.cache import ResponseCache
    from escalation_kit.evals.live.conversation import make_client
    from escalation_kit.evals.live.judge import judge_answer, judge_context

    items = labelled_set()[:limit] if limit else labelled_set()
    cache = ResponseCache(opts.cache_dir)
    sem = asyncio.Semaphore(opts.concurrency)

    async def one(client: Any, lab: Labelled, tr: Any, case: Any) -> tuple[Labelled, bool]:
        async with sem:
            checks, _ = await judge_answer(client, opts, tr.answer, case.skill, judge_context(case.prompt(), tr), cache)
        return lab, all(c.status == "pass" for c in checks)

    async with make_client(opts) as client:
        return list(await asyncio.gather(*(one(client, lab, tr, case) for lab, tr, case in items)))


def judge_agreement(opts: Any, limit: int | None = None, write: bool = False) -> dict[str, Any]:
    """The judge model's agreement with the labels per language; with ``write``, record it for ``gate``."""
    import asyncio

    figures = agreement(asyncio.run(_judge_rows(opts, limit)))
    if write:
        from escalation_kit.evals import judge_gate

        path = judge_gate.calibration_path()
        data = judge_gate.judge_calibration() or {"note": "written by `escalation-kit eval calibrate --judge --write`"}
        data.setdefault("models", {})[opts.judge_model] = figures
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return figures
