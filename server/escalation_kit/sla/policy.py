"""Load and check the SLA clock's policy data (references/policy/sla.yaml): cadence, thresholds, tiers.

Policy is playbook data with a seed source per entry, kept apart from vendor facts; loaded lazily
and cached so importing the module does no I/O.
"""

from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from escalation_kit.errors import DataError
from escalation_kit.paths import references_dir
from escalation_kit.vocab import Severity

POLICY_FILE = "sla.yaml"
Level = Literal["critical", "high", "medium"]
Clock = Literal["24x7", "business"]


class _Lazy(BaseModel):
    # Built on first validation: a process that reads the validated snapshot (``load_sla_policy``) never needs them.
    model_config = ConfigDict(defer_build=True)


class SourceRef(_Lazy):
    title: str
    file: str


class LevelMap(_Lazy):
    level: Level
    source: str
    note: str = ""


class Stream(_Lazy):
    """One update stream: how often, in which unit, and the seed's own wording of the range."""

    every: int = Field(gt=0)
    every_max: int | None = None
    unit: Literal["hours", "days", "business_days"]
    label: str
    source: str


class Cadence(_Lazy):
    horizon_hours: int = Field(gt=0)
    internal: Stream
    customer: Stream


class Threshold(_Lazy):
    percent: int = Field(gt=0, lt=100)
    kind: str
    label: str
    source: str


class Step(_Lazy):
    after_minutes: int = Field(ge=0)
    action: str
    source: str


class DefaultTarget(_Lazy):
    minutes: int = Field(gt=0)
    clock: Clock
    label: str
    source: str


class Window(_Lazy):
    start: str
    end: str
    source: str
    unverified: bool = False


class CalendarDefault(_Lazy):
    """A country code that needs a subdivision to be right, and the one used when none is given."""

    subdivision: str
    why: str
    source: str


class CalendarNote(_Lazy):
    """A rule of a country's working time that the holiday data does not model, said when it may apply."""

    note: str
    source: str


class PolicyStepDef(_Lazy):
    id: str
    minutes: int = Field(gt=0)
    label: str


class NamedPolicy(_Lazy):
    """A tier model the clock can run: 'select' picks one step, 'chain' runs them in sequence."""

    title: str
    mode: Literal["select", "chain"]
    source: str
    steps: list[PolicyStepDef] = Field(min_length=1)
    severity_step: dict[Severity, str] = Field(default_factory=dict)

    def step(self, step_id: str) -> PolicyStepDef | None:
        return next((s for s in self.steps if s.id == step_id), None)


class SlaPolicy(_Lazy):
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

    def source_title(self, source_id: str) -> str:
        """'seed 002 (Escalation-workflow skill ...)' style text for labels."""
        ref = self.sources[source_id]
        return f"{source_id}: {ref.title}"


@cache
def load_sla_policy() -> SlaPolicy:
    """Parse and validate references/policy/sla.yaml once per process."""
    from escalation_kit.datafiles import load_checked, load_yaml  # validated snapshot: no schema build, no parsing

    path = references_dir() / "policy" / POLICY_FILE
    return load_checked("sla-policy", [path, Path(__file__)], lambda: SlaPolicy.model_validate(load_yaml(path)))


def policy_ref(section: str) -> str:
    """The label tool output uses for anything taken from this policy file."""
    return f"policy:{POLICY_FILE}#{section}"


class PolicyInfo(_Lazy):
    """One block of the SLA policy data, for listing as a resource; ``runnable`` ones go in ``policy=``."""

    name: str
    kind: Literal["tier_model", "update_cadence", "risk_thresholds", "escalation_steps", "default_targets"]
    title: str
    runnable: bool = False
    source: str = Field(description="'policy:sla.yaml#<section>'")
    origin: list[str] = Field(description="Seed documents the figures come from")
    data: dict[str, Any]


def list_policies() -> list[dict[str, Any]]:
    """Every block of the SLA policy data as JSON-ready dicts: tier models first, then the clock's rules."""
    pol = load_sla_policy()
    items = [
        PolicyInfo(
            name=name,
            kind="tier_model",
            title=f"{p.title} ({p.mode})",
            runnable=True,
            source=policy_ref(f"policies.{name}"),
            origin=[pol.source_title(p.source)],
            data=p.model_dump(exclude={"title", "source"}),
        )
        for name, p in pol.policies.items()
    ]
    rules: list[tuple[str, Any, str, Any]] = [
        (
            "cadence",
            "update_cadence",
            "Follow-up cadence by level (P0-P3 mapped in 'levels')",
            {"levels": pol.severity_levels, "cadence": pol.cadence},
        ),
        (
            "risk_thresholds",
            "risk_thresholds",
            "SLA-at-risk triggers (share of target consumed)",
            {"risk_thresholds": pol.risk_thresholds, "at_risk_from_percent": pol.at_risk_from_percent},
        ),
        (
            "escalation_steps",
            "escalation_steps",
            "Playbook escalation steps by severity",
            {"escalation_steps": pol.escalation_steps},
        ),
        (
            "default_targets",
            "default_targets",
            "Internal first-response target when none is given",
            {"default_targets": pol.default_targets, "default_business_window": pol.default_business_window},
        ),
    ]
    for name, kind, title, value in rules:
        data = _dump(value)
        items.append(
            PolicyInfo(
                name=name,
                kind=kind,
                title=title,
                source=policy_ref(name),
                origin=_origins(data, pol),
                data=data,
            )
        )
    return [i.model_dump(mode="json") for i in items]


def _dump(value: Any) -> Any:
    """Pydantic models, lists and dicts of them as plain JSON-ready data."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [_dump(v) for v in value]
    if isinstance(value, dict):
        return {k: _dump(v) for k, v in value.items()}
    return value


def _origins(data: Any, pol: SlaPolicy) -> list[str]:
    """Titles of every source id mentioned anywhere in ``data``."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("source"), str):
                found.add(node["source"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(data)
    return [pol.source_title(s) for s in sorted(found) if s in pol.sources]
