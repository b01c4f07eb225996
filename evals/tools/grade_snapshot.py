"""Write every grade the deterministic grader gives on the shipped answers, to compare two grader versions.

Run:  python evals/tools/grade_snapshot.py OUT.json      (from a checkout; PYTHONPATH=<other>/server for another)

Grades (the full JSON: items with evidence and reasons, checks with details):
- every recording of every suite, as ``eval run`` grades it (contract, language, grounding, trajectory);
- every answer against every skill's contract, with no language and with each of en/ru/zh required;
- every answer graded against the tool results of the next recording in its suite (other deadlines,
  severities and vendors, so the grounding checks fail in more ways);
- the labelled sets of ``eval calibrate`` (gold answers and their perturbations, and the blind answer sets).

Two snapshots that differ nowhere mean a change to the grader (a speed-up, a refactor) changed no
verdict, evidence or detail. ``--compare A.json B.json`` prints how many grades and verdicts differ.
"""

from __future__ import annotations

import json
import sys
from typing import Any

# the suites ``eval calibrate --suite`` grades against hand labels
LABELLED = ("gold", "blind1", "blind2", "blind3", "blind4", "blind5", "blind6", "blind7", "blind8", "blind9")


def snapshot() -> dict[str, Any]:
    """Every grade, keyed by a stable name."""
    from escalation_kit.evals.calibration import _with_answer, labelled_set
    from escalation_kit.evals.grader import grade_answer
    from escalation_kit.evals.runner import grade_transcript
    from escalation_kit.evals.suite import load_suite
    from escalation_kit.evals.transcript import Transcript
    from escalation_kit.skillpack.contracts import list_contract_skills, load_contract

    out: dict[str, Any] = {}
    contracts = {s: load_contract(s) for s in list_contract_skills()}
    for name in ("core", "gold", "handwritten"):
        suite = load_suite(name)
        rows = [(c, r, Transcript.load(suite.transcript_path(r))) for c in suite.cases for r in c.recordings]
        for n, (case, rec, tr) in enumerate(rows):
            key = f"{name}/{case.id}/{rec.file}"
            out[key] = grade_transcript(tr, case).model_dump(mode="json")
            for skill, contract in contracts.items():
                for lang in (None, "en", "ru", "zh"):
                    out[f"{key}/as-{skill}/{lang}"] = grade_answer(tr.answer, contract=contract,
                                                                   language=lang).model_dump(mode="json")
            other_case, _, other = rows[(n + 1) % len(rows)]
            out[f"{key}/with-tools-of/{other_case.id}"] = grade_transcript(
                _with_answer(other, tr.answer), other_case).model_dump(mode="json")
    for name in LABELLED:
        for lab, tr, case in labelled_set(name):
            prefix = "labelled" if name == "gold" else f"labelled-{name}"
            out[f"{prefix}/{lab.id}"] = grade_transcript(tr, case).model_dump(mode="json")
    return out


def compare(a: dict[str, Any], b: dict[str, Any]) -> int:
    """Print the differences between two snapshots; return how many grades differ."""
    keys = sorted(set(a) | set(b))
    missing = [k for k in keys if k not in a or k not in b]
    differ = [k for k in keys if k in a and k in b and a[k] != b[k]]
    verdicts = [k for k in differ if a[k]["passed"] != b[k]["passed"]]
    items = sum(ia["passed"] != ib["passed"]
                for k in differ for ia, ib in zip(a[k]["items"], b[k]["items"], strict=False))
    print(f"{len(keys)} grades; {len(missing)} in one snapshot only; {len(differ)} differ in any field; "
          f"{len(verdicts)} differ in the verdict; {items} item verdicts differ")
    for k in (missing + differ)[:20]:
        print("  ", k)
    return len(missing) + len(differ)


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--compare":
        with open(sys.argv[2], encoding="utf-8") as fa, open(sys.argv[3], encoding="utf-8") as fb:
            sys.exit(1 if compare(json.load(fa), json.load(fb)) else 0)
    if len(sys.argv) != 2:
        sys.exit("usage: grade_snapshot.py OUT.json | --compare A.json B.json")
    data = snapshot()
    with open(sys.argv[1], "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1, sort_keys=True)
    print(f"{len(data)} grades, {sum(v['passed'] for v in data.values())} passed -> {sys.argv[1]}")


if __name__ == "__main__":
    main()
