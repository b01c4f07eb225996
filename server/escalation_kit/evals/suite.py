"""Eval suites: cases (incident, language, skill, expectations, assertions) and their recordings.

A suite is a folder ``evals/suites/<name>/`` holding ``cases.yaml`` (or ``cases.jsonl``) and
``transcripts/*.jsonl``. A case's recordings say whether the grader must pass them, or fail
them with exactly the listed failure ids (``item:<id>``, ``check:<id>``): a flawed answer
that fails for a different reason is a grader bug, not a pass.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from escalation_kit.errors import InputError, from_validation_error
from escalation_kit.paths import evals_dir
from escalation_kit.vocab import SEVERITIES, Lang

SCHEMA_VERSIONS = (1, 2)


class _Strict(BaseModel):
    """Suite files are hand-edited: a misspelt key is an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class Assertion(_Strict):
    """A trajectory assertion: ``tool`` called (or not), with ``args`` matching, before ``before_stating``.

    Or ``order``: these tools were first called in this order; or ``max_tool_calls``.
    Argument values starting with ``re:`` are regular expressions; others must be equal.
    """

    tool: str | None = None
    called: bool = True
    args: dict[str, Any] = Field(default_factory=dict)
    before_stating: str | None = None
    order: list[str] = Field(default_factory=list)
    max_tool_calls: int | None = None


class Recording(_Strict):
    file: str
    expect: Literal["pass", "fail"] = "pass"
    failures: list[str] = Field(default_factory=list, description="Exact failure ids a flawed answer must produce")
    note: str = ""


class Case(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    skill: str
    language: Lang
    incident: str = Field(min_length=1)
    check_language: bool = True
    vendor: str | None = None
    plan: str | None = None
    opened_at: str | None = None
    timezone: str | None = None
    calendar: str | None = Field(default=None, description="Holiday calendar the SLA clock counts, if named")
    expected_severity: list[str] = Field(default_factory=list, description="Acceptable levels; empty = no check")
    assertions: list[Assertion] = Field(default_factory=list)
    recordings: list[Recording] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)

    @field_validator("expected_severity", mode="before")
    @classmethod
    def _one_or_many(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v

    @field_validator("expected_severity")
    @classmethod
    def _known_levels(cls, v: list[str]) -> list[str]:
        bad = [s for s in v if s not in SEVERITIES]
        if bad:
            raise ValueError(f"unknown severity {bad}; allowed: {', '.join(SEVERITIES)}")
        return v

    def prompt(self) -> str:
        """The user message a live run sends: the incident plus the facts the case states."""
        facts = [f"{k}: {v}" for k, v in (("vendor", self.vendor), ("plan", self.plan),
                                          ("opened_at", self.opened_at), ("timezone", self.timezone),
                                          ("calendar", self.calendar)) if v]
        return self.incident + ("\n\n" + "\n".join(facts) if facts else "")


class Suite(BaseModel):
    name: str
    path: Path
    cases: list[Case]

    def transcript_path(self, rec: Recording) -> Path:
        return self.path / rec.file


def suites_root() -> Path:
    return evals_dir() / "suites"


def list_suites() -> list[str]:
    root = suites_root()
    return sorted(p.parent.name for p in root.glob("*/cases.*")) if root.is_dir() else []


def _resolve(name_or_path: str) -> Path:
    p = Path(name_or_path)
    for cand in (p, p.parent if p.name.startswith("cases.") else None, suites_root() / name_or_path):
        if cand is not None and cand.is_dir() and any(cand.glob("cases.*")):
            return cand
    raise InputError("suite", f"no suite {name_or_path!r} (a folder with cases.yaml or cases.jsonl)", list_suites())


def _read_cases(folder: Path) -> list[dict[str, Any]]:
    if (folder / "cases.yaml").is_file():
        data = yaml.safe_load((folder / "cases.yaml").read_text(encoding="utf-8")) or []
        if not isinstance(data, dict):
            return data
        unknown = sorted(set(data) - {"version", "cases"})
        if unknown:
            raise InputError("cases.yaml", f"unknown top-level keys {unknown}; allowed: version, cases")
        if data.get("version", 1) not in SCHEMA_VERSIONS:
            raise InputError("cases.yaml.version", f"unsupported schema version {data.get('version')!r}; "
                             f"this harness reads {', '.join(map(str, SCHEMA_VERSIONS))}")
        return data.get("cases", [])
    lines = (folder / "cases.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(ln) for ln in lines if ln.strip()]


def load_suite(name_or_path: str) -> Suite:
    """Load a suite by name (under evals/suites) or by folder path; validates every case."""
    folder = _resolve(name_or_path)
    cases = []
    for n, raw in enumerate(_read_cases(folder)):
        try:
            cases.append(Case.model_validate(raw))
        except ValidationError as exc:
            raise from_validation_error(exc, prefix=f"cases[{n}]") from exc
    ids = [c.id for c in cases]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise InputError("cases", f"duplicate case ids {dupes}")
    return Suite(name=folder.name, path=folder, cases=cases)
