"""``eval record SUITE CASE``: run one case live and keep its transcript as a recording of the suite.

The transcript lands in the suite's ``transcripts/`` as ``<case>.live-<n>.jsonl`` and a recording
entry is appended to ``cases.yaml``, labelled by the grader's verdict and marked unreviewed: a
maintainer reads it and confirms or corrects the label before it counts as gold.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from escalation_kit.errors import InputError
from escalation_kit.evals.suite import load_suite


def record_case(suite_name: str, case_id: str, *, model: str, base_url: str | None = None,
                max_turns: int = 8) -> tuple[Path, bool]:
    """Run ``case_id`` once live, save the transcript and its recording entry; returns (path, graded pass)."""
    from escalation_kit.evals.live.conversation import LiveOptions
    from escalation_kit.evals.live.run import run_live_suite

    suite = load_suite(suite_name)
    case = next((c for c in suite.cases if c.id == case_id), None)
    if case is None:
        raise InputError("case", f"no case {case_id!r} in suite {suite.name}", [c.id for c in suite.cases])
    one = suite.model_copy(update={"cases": [case]})
    tdir = suite.path / "transcripts"
    opts = LiveOptions(model=model, base_url=base_url, max_turns=max_turns, transcripts_dir=tdir / ".live-tmp")
    report = run_live_suite(one, opts)
    if report.harness_errors or not report.cases or report.cases[0].trials[0].error:
        errs = report.harness_errors or [report.cases[0].trials[0].error or "no result"]
        raise InputError("record", f"live run failed: {errs[0]}")
    trial = report.cases[0].trials[0]
    n = 1 + sum(1 for r in case.recordings if ".live-" in r.file)
    rel = f"transcripts/{case.id}.live-{n}.jsonl"
    Path(trial.transcript).replace(suite.path / rel)
    (tdir / ".live-tmp").rmdir()
    _append_recording(suite.path / "cases.yaml", case.id, rel, trial.grade.passed if trial.grade else False,
                      trial.failures, model)
    return suite.path / rel, bool(trial.grade and trial.grade.passed)


def _append_recording(cases_file: Path, case_id: str, rel: str, passed: bool, failures: list[str], model: str) -> None:
    text = cases_file.read_text(encoding="utf-8")
    header = "".join(ln + "\n" for ln in text.splitlines() if ln.startswith("#"))
    data = yaml.safe_load(text)
    rows = data["cases"] if isinstance(data, dict) else data
    for row in rows:
        if row["id"] == case_id:
            row.setdefault("recordings", []).append({
                "file": rel, "expect": "pass" if passed else "fail", "failures": [] if passed else failures,
                "note": f"live recording ({model}), label from the grader - UNREVIEWED"})
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)
    cases_file.write_text(header + body, encoding="utf-8")
