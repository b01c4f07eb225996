"""The SLA policy's runtime form: plain objects with the validated fields of references/policy/sla.yaml.

``policy`` loads them from a validated snapshot; the pydantic models that validate the file
(``policy_schema``) subclass these, so a call of the clock never creates a schema class.
"""

from __future__ import annotations

from typing import Literal

from escalation_kit.datafiles import Plain
from escalation_kit.vocab import Severity

Level = Literal["critical", "high", "medium"]
Clock = Literal["24x7", "business"]

# The fields each class carries are those of its schema model in ``policy_schema`` (a test keeps them equal).


class SourceRef(Plain):
    title: str
    file: str


class LevelMap(Plain):
    level: Level
    source: str
    note: str


class Stream(Plain):
    """One update stream: how often, in which unit, and the seed's own wording of the range."""

    every: int
    every_max: int | None
    unit: Literal["hours", "days", "business_days"]
    label: str
    source: str


class Cadence(Plain):
    horizon_hours: int
    internal: Stream
    customer: Stream


class Threshold(Plain):
    percent: int
    kind: str
    label: str
    source: str


class Step(Plain):
    after_minutes: int
    action: str
    source: str


class DefaultTarget(Plain):
    minutes: int
    clock: Clock
    label: str
    source: str


class Window(Plain):
    start: str
    end: str
    source: str
    unverified: bool


class CalendarDefault(Plain):
    """A country code that needs a subdivision to be right, and the one used when none is given."""

    subdivision: str
    why: str
    source: str


class CalendarNote(Plain):
    """A rule of a country's working time that the holiday data does not model, said when it may apply."""

    note: str
    source: str


class PolicyStepDef(Plain):
    id: str
    minutes: int
    label: str


class NamedPolicy(Plain):
    """A tier model the clock can run: 'select' picks one step, 'chain' runs them in sequence."""

    title: str
    mode: Literal["select", "chain"]
    source: str
    steps: list[PolicyStepDef]
    severity_step: dict[Severity, str]

    def step(self, step_id: str) -> PolicyStepDef | None:
        return next((s for s in self.steps if s.id == step_id), None)


class SlaPolicy(Plain):
    version: int
    checked: str
    sources: dict[str, SourceRef]
    severity_levels: dict[Severity, LevelMap]
    cadence: dict[Level, Cadence]
    max_updates_per_stream: int
    risk_thresholds: list[Threshold]
    at_risk_from_percent: int
    escalation_steps: dict[Severity, list[Step]]
    default_targets: dict[Severity, DefaultTarget]
    default_business_window: Window
    policies: dict[str, NamedPolicy]
    calendar_default_subdivisions: dict[str, CalendarDefault]
    calendar_notes: dict[str, CalendarNote]

    def source_title(self, source_id: str) -> str:
        """'seed 002 (Escalation-workflow skill ...)' style text for labels."""
        ref = self.sources[source_id]
        return f"{source_id}: {ref.title}"
