"""Load and check the SLA clock's policy data (references/policy/sla.yaml): cadence, thresholds, tiers.

Policy is playbook data with a seed source per entry, kept apart from vendor facts; loaded lazily
and cached so importing the module does no I/O.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

import yaml
from pydantic import BaseModel, Field, model_validator

from escalation_kit.paths import references_dir
from escalation_kit.severity import Severity

POLICY_FILE = "sla.yaml"
Level = Literal["critical", "high", "medium"]
Clock = Literal["24x7", "business"]


class SourceRef(BaseModel):
    title: str
    file: str


class LevelMap(BaseModel):
    level: Level
    source: str
    note: str = ""


class Stream(BaseModel):
    """One update stream: how often, in which unit, and the seed's own wording of the range."""

    every: int = Field(gt=0)
    every_max: int | None = None
    unit: Literal["hours", "days", "business_days"]
    label: str
    source: str


class Cadence(BaseModel):
    horizon_hours: int = Field(gt=0)
    internal: Stream
    customer: Stream


class Threshold(BaseModel):
    percent: int = Field(gt=0, lt=100)
    kind: str
    label: str
    source: str


class Step(BaseModel):
    after_minutes: int = Field(ge=0)
    action: str
    source: str


class DefaultTarget(BaseModel):
    minutes: int = Field(gt=0)
    clock: Clock
    label: str
    source: str


class Window(BaseModel):
    start: str
    end: str
    source: str
    unverified: bool = False


class PolicyStepDef(BaseModel):
    id: str
    minutes: int = Field(gt=0)
    label: str


class NamedPolicy(BaseModel):
    """A tier model the clock can run: 'select' picks one step, 'chain' runs them in sequence."""

    title: str
    mode: Literal["select", "chain"]
    source: str
    steps: list[PolicyStepDef] = Field(min_length=1)
    severity_step: dict[Severity, str] = Field(default_factory=dict)

    def step(self, step_id: str) -> PolicyStepDef | None:
        return next((s for s in self.steps if s.id == step_id), None)


class SlaPolicy(BaseModel):
    version: int
    checked: str
    sources: dict[str, SourceRef]
    severity_levels: dict[Severity, LevelMap]
    cadence: dict[Level, Cadence]
    max_updates_per_stream: int = Field(gt=0)
    risk_thresholds: list[Threshold]
    at_risk_from_percent: int = Field(gt=0, lt=100)
    escalation_steps: dict[Severity, list[Step]]
    default_targets: dict[Severity, DefaultTarget]
    default_business_window: Window
    policies: dict[str, NamedPolicy]

    @model_validator(mode="after")
    def _check_refs(self) -> SlaPolicy:
        """Every source id resolves and every select policy maps each severity to a real step."""
        used = [m.source for m in self.severity_levels.values()]
        used += [t.source for t in self.risk_thresholds] + [t.source for t in self.default_targets.values()]
        used += [s.source for steps in self.escalation_steps.values() for s in steps]
        used += [p.source for p in self.policies.values()] + [self.default_business_window.source]
        for c in self.cadence.values():
            used += [c.internal.source, c.customer.source]
        missing = sorted(set(used) - set(self.sources))
        if missing:
            raise ValueError(f"unknown source ids: {missing}")
        for name, pol in self.policies.items():
            bad = [s for s in pol.severity_step.values() if pol.step(s) is None]
            if bad:
                raise ValueError(f"policy {name}: severity_step names unknown steps {bad}")
        return self

    def source_title(self, source_id: str) -> str:
        """'seed 002 (Escalation-workflow skill ...)' style text for labels."""
        ref = self.sources[source_id]
        return f"{source_id}: {ref.title}"


@cache
def load_sla_policy() -> SlaPolicy:
    """Parse and validate references/policy/sla.yaml once per process."""
    path = references_dir() / "policy" / POLICY_FILE
    with path.open(encoding="utf-8") as fh:
        return SlaPolicy.model_validate(yaml.safe_load(fh))
