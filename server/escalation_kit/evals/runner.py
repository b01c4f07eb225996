"""Grade transcripts for cases, and the offline runner that re-grades a suite's recordings.

The same ``grade_transcript`` serves offline and live runs: contract items, the answer
language, grounding against the tool results in the transcript, the case's expected
severity and its trajectory assertions.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

from escalation_kit.evals.grader import CheckResult, GradeResult, grade_answer
from escalation_kit.evals.grounding import assigned_level, grounding_checks, vendor_has_p_codes
from escalation_kit.evals.pricing import cost_usd, prices_source
from escalation_kit.evals.results import CaseResult, RunReport, TrialResult
from escalation_kit.evals.suite import Case, Recording, Suite
from escalation_kit.evals.trajectory import trajectory_checks
from escalation_kit.evals.transcript import Transcript, Usage
from escalation_kit.skillpack.contracts import Contract, load_contract

Progress = Callable[[int, int, int], None]


def expectation_checks(answer: str, case: Case, transcript: Transcript | None = None) -> list[CheckResult]:
    """The case's own expectations: the level the answer assigns is in its acceptable set.

    With the transcript, a vendor's own P-codes (Google's P1-P4) are read as the grounding check reads them.
    """
    if not case.expected_severity:
        return []
    got = assigned_level(answer, vendor_has_p_codes(transcript) if transcript is not None else False)
    stated = got[0] if got else None
    ok = stated in case.expected_severity
    detail = f"answer assigns {stated or 'no level'}; acceptable: {', '.join(case.expected_severity)}"
    return [CheckResult(id="expected_severity", kind="expectation", status="pass" if ok else "fail", detail=detail)]


def grade_transcript(transcript: Transcript, case: Case, contract: Contract | None = None) -> GradeResult:
    """Every deterministic check of one transcript against one case."""
    contract = contract or load_contract(case.skill)
    answer = transcript.answer
    result = grade_answer(answer, contract=contract, language=case.language if case.check_language else None)
    return result.add_checks(
        grounding_checks(answer, transcript, contract)
        + expectation_checks(answer, case, transcript)
        + trajectory_checks(transcript, case.assertions)
    )


def trial_from_transcript(
    transcript: Transcript, case: Case, *, trial: int = 0, rec: Recording | None = None,
    model: str | None = None, batch: bool = False, path: str | None = None,
) -> TrialResult:
    """Grade one transcript into a trial result (errors are harness errors, not grades)."""
    usage = transcript.usage
    paid = Usage()
    for r in transcript.responses:
        if not r.cached:  # a replay from the response cache costs nothing
            paid.add(r.usage)
    common = {
        "trial": trial, "recording": rec.file if rec else None, "usage": usage, "transcript": path,
        "turns": len(transcript.responses), "ms": float(transcript.end.get("ms", 0.0)),
        "retries": sum(r.retries for r in transcript.responses),
        "cached_turns": sum(r.cached for r in transcript.responses),
        "cost_usd": cost_usd(model or transcript.meta.get("model"), paid, batch=batch),
    }
    if transcript.error is not None:
        return TrialResult(passed=False, error=transcript.error, **common)
    grade = grade_transcript(transcript, case)
    failures = grade.failures()
    expect = rec.expect if rec else "pass"
    expected = sorted(rec.failures) if rec else []
    ok = grade.passed if expect == "pass" else (not grade.passed and sorted(failures) == expected)
    return TrialResult(passed=ok, expect=expect, expected_failures=expected, failures=failures, grade=grade,
                       **common)


def run_offline(suite: Suite, progress: Progress | None = None) -> RunReport:
    """Re-grade every recording of every case; one result row per (case, recording)."""
    started, t0 = datetime.now(UTC).isoformat(timespec="seconds"), time.perf_counter()
    rows, errors = [], []
    todo = [(c, r) for c in suite.cases for r in c.recordings]
    interrupted = False
    for n, (case, rec) in enumerate(todo, 1):
        if interrupted:
            break
        path = suite.transcript_path(rec)
        try:
            tr = Transcript.load(path)
            trial = trial_from_transcript(tr, case, rec=rec, path=str(path))
        except Exception as exc:  # a broken recording is a harness error, reported per case
            errors.append(f"{case.id}/{rec.file}: {exc}")
            trial = TrialResult(passed=False, error=str(exc), recording=rec.file)
        name = path.stem.removeprefix(f"{case.id}.")
        rows.append(CaseResult(id=f"{case.id}/{name}", skill=case.skill, language=case.language, trials=[trial]))
        try:
            if progress:
                progress(n, len(todo), sum(r.passed for r in rows))
        except KeyboardInterrupt:  # Ctrl-C: keep what was graded, report it as partial
            interrupted = True
    if interrupted or len(rows) < len(todo):
        errors.append(f"interrupted: {len(rows)} of {len(todo)} recordings graded")
    return RunReport(suite=suite.name, mode="offline", started_at=started, cases=rows,
                     wall_s=round(time.perf_counter() - t0, 3), prices_source=prices_source(),
                     harness_errors=errors, interrupted=interrupted)
