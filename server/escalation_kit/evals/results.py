"""Run results: per trial, per case, and the whole run, with pass rate, pass^k, tokens and cost."""

from __future__ import annotations

from math import comb
from typing import Any, Literal

from pydantic import BaseModel, Field

from escalation_kit.evals.grader import GradeResult
from escalation_kit.evals.transcript import Usage


class TrialResult(BaseModel):
    trial: int = 0
    recording: str | None = Field(default=None, description="Recorded transcript graded (offline)")
    expect: Literal["pass", "fail"] = "pass"
    expected_failures: list[str] = Field(default_factory=list)
    failures: list[str] = Field(default_factory=list)
    passed: bool = Field(description="Offline: the grade met the recording's expectation; live: the answer passed")
    error: str | None = Field(default=None, description="Harness error (API, MCP, transcript); not a grade")
    grade: GradeResult | None = None
    usage: Usage = Field(default_factory=Usage)
    cost_usd: float | None = None
    ms: float = 0.0
    turns: int = 0
    retries: int = 0
    cached_turns: int = 0
    transcript: str | None = Field(default=None, description="Path of the transcript written or read")


class CaseResult(BaseModel):
    id: str
    skill: str
    language: str
    trials: list[TrialResult]

    @property
    def errored(self) -> bool:
        return any(t.error for t in self.trials)

    @property
    def passes(self) -> int:
        return sum(t.passed and not t.error for t in self.trials)

    @property
    def pass_rate(self) -> float:
        return self.passes / len(self.trials) if self.trials else 0.0

    def pass_hat_k(self, k: int | None = None) -> float:
        """Unbiased estimate of pass^k, the chance that k fresh trials all pass: C(c,k)/C(n,k)."""
        n = len(self.trials)
        k = n if k is None else k
        return comb(self.passes, k) / comb(n, k) if n and k <= n else 0.0

    @property
    def passed(self) -> bool:
        return bool(self.trials) and not self.errored and self.passes == len(self.trials)

    def summary(self) -> dict[str, Any]:
        return {"id": self.id, "skill": self.skill, "language": self.language, "passed": self.passed,
                "errored": self.errored, "passes": self.passes, "n_trials": len(self.trials),
                "pass_rate": round(self.pass_rate, 4), "pass_hat_k": round(self.pass_hat_k(), 4)}


class RunReport(BaseModel):
    suite: str
    mode: Literal["offline", "live", "batch"]
    model: str | None = None
    trials: int = 1
    started_at: str
    wall_s: float = 0.0
    cases: list[CaseResult]
    prices_source: str | None = None
    comparison: dict[str, Any] | None = None
    harness_errors: list[str] = Field(default_factory=list)
    interrupted: bool = Field(default=False, description="Ctrl-C stopped the run; the report is partial")

    def totals(self) -> dict[str, Any]:
        usage, cost, known = Usage(), 0.0, True
        for c in self.cases:
            for t in c.trials:
                usage.add(t.usage)
                if t.cost_usd is None:
                    known = known and t.usage.input_tokens == 0
                else:
                    cost += t.cost_usd
        n = len(self.cases)
        passed = sum(c.passed for c in self.cases)
        errored = sum(c.errored for c in self.cases)
        return {"cases": n, "passed": passed, "failed": n - passed - errored, "errored": errored,
                "pass_rate": round(passed / n, 4) if n else 0.0,
                "mean_trial_pass_rate": round(sum(c.pass_rate for c in self.cases) / n, 4) if n else 0.0,
                "mean_pass_hat_k": round(sum(c.pass_hat_k() for c in self.cases) / n, 4) if n else 0.0,
                "usage": usage.model_dump(),
                "cost_usd": round(cost, 6) if known else None}

    def by_skill_language(self) -> dict[str, dict[str, dict[str, int]]]:
        """Passed / total cases per skill and language, for the charts."""
        out: dict[str, dict[str, dict[str, int]]] = {}
        for c in self.cases:
            cell = out.setdefault(c.skill, {}).setdefault(c.language, {"passed": 0, "total": 0})
            cell["total"] += 1
            cell["passed"] += int(c.passed)
        return out

    def to_json(self) -> dict[str, Any]:
        data = self.model_dump(mode="json")
        data["totals"] = self.totals()
        data["by_skill_language"] = self.by_skill_language()
        for case, raw in zip(self.cases, data["cases"], strict=True):
            raw.update(case.summary())
        return data
