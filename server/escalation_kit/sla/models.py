"""What the SLA clock takes and returns: an explicit target, timed events and the deadlines result."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from escalation_kit.lean import construct, unless_blank, unless_empty, unless_none, unless_true
from escalation_kit.timezones import parse_instant
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
    calendar: str | None = Field(
        default=None, description="Holiday calendar: CN, RU, US... (default: the zone's country; none: Mon-Fri)"
    )
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

    # Built on first validation or full dump only: the clock constructs its answer (``lean.construct``) and the
    # default and summary answers are SlaResultBrief, so a first call creates no schema for this class.
    model_config = ConfigDict(defer_build=True)

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
        values["updates"] = [
            construct(TimedEventBrief, kind=event.kind, at=event.at,
                      label="" if event.label == labels[event.kind] else event.label)
            for event in self.updates]
        return construct(SlaResultBrief, **values)

    def compact(self, now: str | datetime | None = None) -> SlaResultBrief:
        """What a caller states and acts on (the tool's default): the deadline and its target, the next update
        of each kind with its cadence, the escalation triggers, the status at ``now``, the notes.

        Left out: the later update times (``detail: "summary"`` lists them), the breach trigger (it is
        ``first_response_due``) and the at-risk triggers' labels (their kind says it: ``at_risk_50``),
        ``elapsed_minutes`` (the target less ``remaining_minutes``), and the internal default target
        when it is the target itself, otherwise all of it but its due time and label.
        """
        # every list field passed: a default_factory left to model_construct asks inspect.signature(list), ~0.1 ms
        values = {name: getattr(self, name) for name in _COMPACT_FIELDS} | {"update_labels": {}}
        values["updates"] = _next_updates(self.updates, parse_instant(now, "now") if now is not None else None)
        values["escalation_triggers"] = [  # TimedEventBrief(...) is ~1 µs, its model_construct ~3
            e if e.kind == "policy_step" else TimedEventBrief(kind=e.kind, at=e.at)
            for e in self.escalation_triggers if e.kind != "breach"]
        if self.internal_due is not None and self.internal_due != self.first_response_due:
            values["internal_due"], values["internal_target_label"] = self.internal_due, self.internal_target_label
        return construct(SlaResultBrief, **values)


# The brief fields the compact answer copies as they are (the rest are set by ``SlaResult.compact``).
_COMPACT_FIELDS = ("severity", "opened_at", "timezone", "target_minutes", "clock", "target_source",
                   "first_response_due", "remaining_minutes", "percent_consumed", "status", "notes", "target_label",
                   "business_hours", "calendar", "unverified")


def _next_updates(updates: list[TimedEvent], now: datetime | None) -> list[TimedEvent]:
    """Per update kind, its first time after ``now`` (after opening without it), else its last, with its label
    (the events themselves: the brief field type serialises them without their source)."""
    chosen: dict[str, TimedEvent] = {}
    for event in updates:  # in time order: a kind's choice moves on only while it is not after now
        current = chosen.get(event.kind)
        if current is None or (now is not None and current.at <= now):
            chosen[event.kind] = event
    return sorted(chosen.values(), key=lambda e: (e.at, e.kind))
