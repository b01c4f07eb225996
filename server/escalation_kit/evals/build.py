"""Build a suite from its source: tool results come from the project's own engines, never by hand.

A buildable suite keeps ``source.yaml`` (cases with incident facts, each with hand-written answer
files and their labels) next to the generated ``cases.yaml`` and ``transcripts/``. ``build_suite``
runs ``detect_language``, ``classify_severity``, ``pick_vendor_support_path`` and
``compute_sla_deadlines`` on each incident, as a model following the skill would call them, and
writes one transcript per answer. ``drift`` re-runs the engines and lists every recorded result
that no longer matches, so a changed engine cannot leave a suite contradicting it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from escalation_kit.errors import InputError, from_validation_error
from escalation_kit.evals.transcript import Response, ToolCall, Transcript
from escalation_kit.vocab import Lang

SOURCE_VERSION = 1


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SourceAnswer(_Strict):
    """One hand-written answer and what the grader must make of it."""

    file: str = Field(description="Markdown file under answers/")
    expect: Literal["pass", "fail"]
    failures: list[str] = Field(default_factory=list)
    label: str = Field(default="good", description="good, borderline or the flaw it shows")
    note: str = ""


class SourceCase(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    skill: str
    language: Lang
    incident: str = Field(min_length=1)
    vendor: str | None = None
    plan: str | None = None
    opened_at: str
    timezone: str
    calendar: str | None = Field(default=None, description="holiday calendar the SLA clock counts (the case states it)")
    expected_severity: list[str] = Field(default_factory=list)
    answers: list[SourceAnswer] = Field(min_length=1)


class SourceFile(_Strict):
    version: Literal[1]
    suite: str
    cases: list[SourceCase]


# Skills whose workflow also times the escalation against its tier's response target (SKILL.md step 3/4:
# compute_sla_deadlines with the tier's target) beside any vendor case.
TIER_SKILLS = frozenset({"escalation-workflow", "escalation-coordinator"})


def engine_calls(incident: str, opened_at: str, timezone: str, vendor: str | None = None,
                 plan: str | None = None, skill: str | None = None,
                 calendar: str | None = None) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(tool, arguments, result) for each engine a model following the skill calls, in order."""
    from escalation_kit.language.detect import detect_language
    from escalation_kit.severity.classify import classify_severity
    from escalation_kit.sla.clock import compute_sla_deadlines
    from escalation_kit.vendors.path import pick_vendor_support_path

    sev = classify_severity(incident)
    calls = [("detect_language", {"text": incident}, detect_language(incident).model_dump(mode="json")),
             ("classify_severity", {"text": incident}, sev.model_dump(mode="json"))]
    if vendor:
        vargs: dict[str, Any] = {"vendor": vendor, "severity": sev.severity} | ({"plan": plan} if plan else {})
        if sev.features.get("production") is False:  # the skills pass production=false for a non-production report
            vargs["production"] = False
        calls.append(("pick_vendor_support_path", vargs, pick_vendor_support_path(**vargs).model_dump(mode="json")))
    when: dict[str, Any] = {"opened_at": opened_at, "timezone": timezone, "now": opened_at}
    when |= {"calendar": calendar} if calendar else {}  # a case that names its holiday calendar: the skill passes it
    sargs: dict[str, Any] = {"severity": sev.severity} | when
    sargs |= ({"vendor": vendor} if vendor else {}) | ({"plan": plan} if plan else {})
    calls.append(("compute_sla_deadlines", sargs, compute_sla_deadlines(**sargs).model_dump(mode="json")))
    if skill in TIER_SKILLS:
        from escalation_kit.routing import determine_escalation

        targs: dict[str, Any] = {"severity": sev.severity} | when | {
            "policy": "workflow-tiers", "tier": determine_escalation(sev.severity).tier}
        calls.append(("compute_sla_deadlines", targs, compute_sla_deadlines(**targs).model_dump(mode="json")))
    return calls


def engine_transcript(case_id: str, skill: str, language: str, incident: str, answer: str,
                      calls: list[tuple[str, dict[str, Any], dict[str, Any]]]) -> Transcript:
    """A two-turn transcript: every tool call in turn 0, the hand-written answer in turn 1."""
    uses = [{"type": "tool_use", "id": f"toolu_{i}", "name": n, "input": a} for i, (n, a, _) in enumerate(calls)]
    return Transcript(
        meta={"case_id": case_id, "skill": skill, "model": "handwritten", "trial": 0, "language": language,
              "source": "answer written by hand; tool results from the project's engines at build time"},
        requests=[{"turn": 0, "messages": [{"role": "user", "content": incident}]}],
        responses=[Response(turn=0, id=f"msg_{case_id}_0", stop_reason="tool_use", content=uses),
                   Response(turn=1, id=f"msg_{case_id}_1", stop_reason="end_turn",
                            content=[{"type": "text", "text": answer}])],
        tool_calls=[ToolCall(turn=0, id=u["id"], name=n, input=a, result=r)
                    for u, (n, a, r) in zip(uses, calls, strict=True)],
        answer=answer,
    )


def source_folder(name_or_path: str) -> Path:
    """The suite folder holding ``source.yaml``: a path, or a name under evals/suites (built or not yet built)."""
    from escalation_kit.evals.suite import _resolve, list_suites, suites_root

    for cand in (Path(name_or_path), suites_root() / name_or_path):
        if (cand / "source.yaml").is_file():
            return cand
    folder = _resolve(name_or_path)  # a built suite without a source: the error below names it
    if not (folder / "source.yaml").is_file():
        raise InputError("suite", f"{folder} has no source.yaml, so it cannot be built", list_suites())
    return folder


def load_source(folder: Path) -> SourceFile:
    """Read and validate ``source.yaml`` (unknown keys are rejected)."""
    path = folder / "source.yaml"
    if not path.is_file():
        raise InputError("suite", f"{folder} has no source.yaml, so it cannot be built")
    try:
        return SourceFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except ValidationError as exc:
        raise from_validation_error(exc, prefix="source.yaml") from exc


def build_suite(folder: Path) -> tuple[int, int]:
    """Regenerate ``cases.yaml`` and ``transcripts/`` from ``source.yaml``; returns (cases, recordings)."""
    src = load_source(folder)
    (folder / "transcripts").mkdir(exist_ok=True)
    for old in (folder / "transcripts").glob("*.jsonl"):
        old.unlink()
    out, recs_total = [], 0
    for case in src.cases:
        calls = engine_calls(case.incident, case.opened_at, case.timezone, case.vendor, case.plan, case.skill,
                             case.calendar)
        recs = []
        for ans in case.answers:
            text = (folder / "answers" / ans.file).read_text(encoding="utf-8")
            rel = f"transcripts/{Path(ans.file).stem}.jsonl"
            tr = engine_transcript(case.id, case.skill, case.language, case.incident, text, calls)
            (folder / rel).write_text(tr.to_jsonl(), encoding="utf-8")
            recs.append({"file": rel, "expect": ans.expect, "failures": ans.failures,
                         "note": f"{ans.label}. {ans.note}".strip(". ") if ans.note else ans.label})
        recs_total += len(recs)
        out.append({"id": case.id, "skill": case.skill, "language": case.language, "incident": case.incident,
                    "vendor": case.vendor, "plan": case.plan, "opened_at": case.opened_at,
                    "timezone": case.timezone} | ({"calendar": case.calendar} if case.calendar else {}) | {
                    "expected_severity": case.expected_severity,
                    "assertions": [{"order": ["detect_language", "classify_severity"]}], "recordings": recs})
    header = (f"# Generated by `escalation-kit eval build {src.suite}` from source.yaml and answers/; "
              "edit those, not this file.\n")
    body = yaml.safe_dump({"version": 2, "cases": out}, allow_unicode=True, sort_keys=False, width=120)
    (folder / "cases.yaml").write_text(header + body, encoding="utf-8")
    return len(out), recs_total


def drift(folder: Path) -> list[str]:
    """Recorded tool results that differ from what the engines return now (empty: the suite is current)."""
    from escalation_kit.evals.suite import load_suite

    suite = load_suite(str(folder))
    problems = []
    for case in suite.cases:
        if case.opened_at is None or case.timezone is None:
            continue
        fresh = engine_calls(case.incident, case.opened_at, case.timezone, case.vendor, case.plan, case.skill,
                             case.calendar)
        for rec in case.recordings:
            tr = Transcript.load(suite.transcript_path(rec))
            got = [(c.name, c.input, c.result) for c in tr.tool_calls]
            for (name, args, result), old in zip(fresh, got, strict=False):
                if (name, args) != old[:2]:
                    problems.append(f"{rec.file}: call {old[0]} {old[1]} is now {name} {args}")
                elif result != old[2]:
                    keys = sorted(k for k in set(result) | set(old[2] or {}) if result.get(k) != (old[2] or {}).get(k))
                    problems.append(f"{rec.file}: {name} result changed in {', '.join(keys)}")
            if len(got) != len(fresh):
                problems.append(f"{rec.file}: {len(got)} tool calls recorded, the engines now make {len(fresh)}")
    return problems
