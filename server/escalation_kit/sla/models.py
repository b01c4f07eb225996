"""What the SLA clock takes and returns: an explicit target, timed events and the deadlines result."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from escalation_kit.lean import unless_blank, unless_empty, unless_none, unless_true
from escalation_kit.vocab import ClockKind, Severity

Status = Literal["on_track", "at_risk", "breached"]


class SlaTarget(BaseModel):
    """An explicit target, e.g. an internal SLA, instead of a vendor plan's; unknown keys are errors."""

    model_config = ConfigDict(extra="forbid")

    minutes: StrictInt = Field(gt=0)
    clock: ClockKind = "24x7"
    business_start: str = Field(default="09:00", pattern=r"^\d{2}:\d{2}$")
    business_end: str = Field(default="18:00", pattern=r"^\d{2}:\d{2}$")
    timezone: str | None = None
    calendar: str | None = Field(default=None, description="Holiday calendar: CN, RU, US...")
    business_hours: str | None = Field(
        default=None, description="e.g. '09:00-18:00'; overrides start/end"
    )


# The brief models hold what a caller acts on (what the MCP tool returns by default); the full ones
# add where each time comes from, returned with ``detail: "full"``. Full subclasses brief, so a full
# answer still matches the brief output schema.


class TimedEventBrief(BaseModel):
    kind: str
    at: datetime
    label: str = unless_blank()


class TimedEvent(TimedEventBrief):
    source: str = unless_blank(description="'vendor', 'policy:<file>' or 'explicit'")


class SlaResultBrief(BaseModel):
    severity: Severity
    opened_at: datetime
    timezone: str
    target_minutes: int
    clock: ClockKind
    target_source: str
    first_response_due: datetime
    updates: list[TimedEventBrief] = unless_empty(description="Internal and customer update times")
    update_labels: dict[str, str] = unless_empty(
        description="Each update kind's label (its cadence), given once; an update without a label has its kind's"
    )
    escalation_triggers: list[TimedEventBrief] = unless_empty()
    elapsed_minutes: float | None = unless_none(
        description="Clock minutes since opened_at; a business clock stops counting 365 days after the deadline",
    )
    remaining_minutes: float | None = unless_none()
    percent_consumed: float | None = unless_none()
    status: Status | None = unless_none()
    notes: list[str] = unless_empty()
    target_label: str = unless_blank(description="What the target is, in words, with its origin")
    business_hours: str | None = unless_none(description="Business window used, e.g. '09:00-18:00'")
    calendar: str | None = unless_none(description="Holiday calendar used for working days")
    unverified: bool = unless_true(description="True when the target figure is not officially confirmed")
    internal_target_minutes: int | None = unless_none(
        description="Internal default target for this severity (sla.yaml default_targets)"
    )
    internal_clock: ClockKind | None = unless_none(description="Clock of the internal default target")
    internal_due: datetime | None = unless_none(
        description="When the internal default target falls due; compare with first_response_due"
    )
    internal_target_label: str = unless_blank(description="The internal default target, in words")


class SlaResult(SlaResultBrief):
    """The full answer: the brief one plus the source of every update and trigger time."""

    updates: list[TimedEvent] = unless_empty(description="Internal and customer update times")
    escalation_triggers: list[TimedEvent] = unless_empty()

    def brief(self) -> SlaResultBrief:
        """The same answer without each time's source, and each update kind's label given once in
        ``update_labels`` instead of on every update of that kind (the triggers' labels all differ)."""
        values = {name: getattr(self, name) for name in SlaResultBrief.model_fields}
        labels: dict[str, str] = {}
        for event in self.updates:
            labels.setdefault(event.kind, event.label)
        values["update_labels"] = {kind: label for kind, label in labels.items() if label}
        values["updates"] = [TimedEventBrief.model_construct(
            kind=event.kind, at=event.at, label="" if event.label == labels[event.kind] else event.label)
            for event in self.updates]
        return SlaResultBrief.model_construct(**values)
