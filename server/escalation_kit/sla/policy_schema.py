"""The schema of references/policy/sla.yaml: the pydantic models that validate it (``policy`` loads it).

Used only to build the validated snapshot (and by the policy resource): each model subclasses its
plain counterpart in ``policy_types``, which is what the snapshot holds and the clock reads, so serving a
call never creates these classes. Annotations are real (no postponed evaluation), which pydantic reads
faster.
"""

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from escalation_kit.errors import DataError
from escalation_kit.sla import policy_types as plain
from escalation_kit.sla.policy_types import Clock, Level
from escalation_kit.vocab import Severity


class _Lazy(BaseModel):
    # Built on first validation: only a snapshot build (or the policy resource) validates.
    model_config = ConfigDict(defer_build=True)


class SourceRef(_Lazy, plain.SourceRef):
    title: str
    file: str


class LevelMap(_Lazy, plain.LevelMap):
    level: Level
    source: str
    note: str = ""


class Stream(_Lazy, plain.Stream):
    every: int = Field(gt=0)
    every_max: int | None = None
    unit: Literal["hours", "days", "business_days"]
    label: str
    source: str


class Cadence(_Lazy, plain.Cadence):
    horizon_hours: int = Field(gt=0)
    internal: Stream
    customer: Stream


class Threshold(_Lazy, plain.Threshold):
    percent: int = Field(gt=0, lt=100)
    kind: str
    label: str
    source: str


class Step(_Lazy, plain.Step):
    after_minutes: int = Field(ge=0)
    action: str
    source: str


class DefaultTarget(_Lazy, plain.DefaultTarget):
    minutes: int = Field(gt=0)
    clock: Clock
    label: str
    source: str


class Window(_Lazy, plain.Window):
    start: str
    end: str
    source: str
    unverified: bool = False


class CalendarDefault(_Lazy, plain.CalendarDefault):
    subdivision: str
    why: str
    source: str


class CalendarNote(_Lazy, plain.CalendarNote):
    note: str
    source: str


class PolicyStepDef(_Lazy, plain.PolicyStepDef):
    id: str
    minutes: int = Field(gt=0)
    label: str


class NamedPolicy(_Lazy, plain.NamedPolicy):
    title: str
    mode: Literal["select", "chain"]
    source: str
    steps: list[PolicyStepDef] = Field(min_length=1)
    severity_step: dict[Severity, str] = Field(default_factory=dict)


class SlaPolicy(_Lazy, plain.SlaPolicy):
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
    calendar_default_subdivisions: dict[str, CalendarDefault] = Field(default_factory=dict)
    calendar_notes: dict[str, CalendarNote] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check_refs(self) -> "SlaPolicy":
        """Every source id resolves and every select policy maps each severity to a real step."""
        used = [m.source for m in self.severity_levels.values()]
        used += [t.source for t in self.risk_thresholds] + [t.source for t in self.default_targets.values()]
        used += [s.source for steps in self.escalation_steps.values() for s in steps]
        used += [p.source for p in self.policies.values()] + [self.default_business_window.source]
        used += [c.source for c in self.calendar_default_subdivisions.values()]
        used += [c.source for c in self.calendar_notes.values()]
        for c in self.cadence.values():
            used += [c.internal.source, c.customer.source]
        missing = sorted(set(used) - set(self.sources))
        if missing:
            raise DataError(f"unknown source ids: {missing}")
        for name, pol in self.policies.items():
            bad = [s for s in pol.severity_step.values() if pol.step(s) is None]
            if bad:
                raise DataError(f"policy {name}: severity_step names unknown steps {bad}")
        return self


class PolicyInfo(_Lazy):
    """One block of the SLA policy data, for listing as a resource; ``runnable`` ones go in ``policy=``."""

    name: str
    kind: Literal["tier_model", "update_cadence", "risk_thresholds", "escalation_steps", "default_targets"]
    title: str
    runnable: bool = False
    source: str = Field(description="'policy:sla.yaml#<section>'")
    origin: list[str] = Field(description="Seed documents the figures come from")
    data: dict[str, Any]
