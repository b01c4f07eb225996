"""What the tracker stores and returns: event kinds, the escalation state, clocks, due items and metrics."""

from __future__ import annotations

import typing
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from escalation_kit.vocab import Lang, Severity

EventKind = Literal[
    "created", "acknowledged", "first_response_sent", "status_changed", "owner_changed", "tier_changed",
    "exec_level_changed", "severity_changed", "note", "vendor_case_filed", "vendor_responded",
    "customer_update_sent", "internal_update", "paused", "resumed", "action_added", "action_done",
    "reminder_fired", "de_escalated", "resolved", "closed", "reopened", "plan_updated",
    "archived", "unarchived", "handoff_accepted", "executive_engaged", "vendor_case_status", "ticket_synced",
]
EVENT_KINDS: tuple[EventKind, ...] = typing.get_args(EventKind)
# Kinds a caller may record through record_event; the others have their own tool (open, update, actions, close).
RECORDABLE: tuple[str, ...] = (
    "acknowledged", "first_response_sent", "note", "vendor_case_filed", "vendor_responded", "customer_update_sent",
    "internal_update", "paused", "resumed", "reminder_fired", "de_escalated", "resolved", "reopened", "archived",
    "unarchived", "handoff_accepted", "executive_engaged", "vendor_case_status", "ticket_synced",
)
# Records that someone outside was told (a reminder or notice sent, a ticket updated): a closed record still
# takes them, they are not activity on the record, and the customer's timeline leaves them out.
NOTICE_KINDS: tuple[str, ...] = ("reminder_fired", "ticket_synced")

EscalationType = Literal["technical", "executive", "vendor"]
# What plan_updated sets (seed 002's track-progress: next_steps, estimated_resolution; seed 003's resolution plan).
PLAN_FIELDS: tuple[str, ...] = ("next_steps", "estimated_resolution", "resolution_plan")
Status = Literal[
    "open", "acknowledged", "in_progress", "escalated", "mitigated", "monitoring", "resolved", "de_escalated", "closed"
]
STATUSES: tuple[Status, ...] = typing.get_args(Status)
# Statuses after which no clock runs and list_due stays silent.
FINISHED: frozenset[str] = frozenset({"resolved", "de_escalated", "closed"})
PauseReason = Literal["awaiting_customer", "awaiting_vendor"]
ClockName = Literal["first_response", "vendor_response", "customer_update", "internal_update", "handoff_response",
                    "executive_response"]
ClockState = Literal["on_track", "at_risk", "breached", "paused", "met", "missed"]


class NewEscalation(BaseModel):
    """What open_escalation takes: the record's identity, classification and where its clocks run."""

    title: str = Field(min_length=1, max_length=300)
    type: EscalationType = "technical"
    severity: Severity
    tier: int | None = Field(default=None, ge=1, le=4,
                             description="Default: the routing policy's tier for the severity (P1 -> 3)")
    exec_level: int = Field(default=0, ge=0, le=4, description="0 = no executive involved")
    target_team: str | None = Field(default=None, max_length=80)
    owner: str | None = Field(default=None, max_length=200)
    customer: str | None = Field(default=None, max_length=200)
    segment: str | None = Field(default=None, max_length=40)
    category: str | None = Field(default=None, max_length=80, description="Cause or category, for metrics")
    vendor: str | None = Field(default=None, max_length=40)
    plan: str | None = Field(default=None, max_length=60)
    language: Lang = "en"
    timezone: str = "UTC"
    calendar: str | None = Field(default=None, max_length=8)
    description: str | None = Field(default=None, max_length=20_000)


class Action(BaseModel):
    id: str
    text: str
    owner: str | None = None
    due_at: datetime | None = None
    added_at: datetime
    done_at: datetime | None = None


class Event(BaseModel):
    """One entry of the append-only log; ``hash`` chains it to the previous event of the same escalation."""

    escalation_id: str
    seq: int
    kind: EventKind
    at: datetime
    actor: str
    payload: dict[str, Any] = Field(default_factory=dict)
    idempotency_key: str | None = None
    prev_hash: str
    hash: str


class EscalationState(BaseModel):
    """The current state of one escalation, computed by replaying its events."""

    id: str
    title: str
    type: EscalationType
    severity: Severity
    tier: int
    exec_level: int = 0
    target_team: str | None = None
    status: Status = "open"
    owner: str | None = None
    customer: str | None = None
    segment: str | None = None
    category: str | None = None
    vendor: str | None = None
    plan: str | None = None
    vendor_case_id: str | None = None
    vendor_case_severity: str | None = None
    language: Lang = "en"
    timezone: str = "UTC"
    calendar: str | None = None
    opened_at: datetime
    acknowledged_at: datetime | None = None
    first_response_at: datetime | None = None
    case_filed_at: datetime | None = None
    vendor_responded_at: datetime | None = None
    resolved_at: datetime | None = None
    de_escalated_at: datetime | None = None
    closed_at: datetime | None = None
    archived_at: datetime | None = Field(default=None, description="Set while archived: read-only, out of lists")
    handoff_at: datetime | None = Field(default=None, description="The latest tier raise: the handoff clock starts")
    handoff_to: int | None = None
    handoff_accepted_at: datetime | None = None
    exec_at: datetime | None = Field(default=None, description="When the current executive level was raised to")
    exec_engaged_at: datetime | None = None
    paused_since: datetime | None = None
    pause_reason: PauseReason | None = None
    pauses: list[tuple[datetime, datetime, str]] = Field(default_factory=list, description="Finished pauses")
    last_customer_update_at: datetime | None = None
    last_internal_update_at: datetime | None = None
    last_activity_at: datetime
    actions: dict[str, Action] = Field(default_factory=dict)
    reminders: list[str] = Field(default_factory=list, description="Keys of reminders already sent")
    tier_raises: int = 0
    reopened: int = 0
    root_cause: str | None = None
    next_steps: str | None = None
    estimated_resolution: datetime | None = None
    resolution_plan: str | None = None
    version: int = 0
    last_hash: str = ""


class Clock(BaseModel):
    """One SLA clock computed on read from the events: whose it is, its target and where it stands."""

    name: ClockName
    owner: Literal["internal", "vendor", "customer"]
    started_at: datetime
    stopped_at: datetime | None = None
    target_minutes: int
    clock: str
    target_label: str = ""
    target_source: str = ""
    unverified: bool = False
    due_at: datetime | None = Field(default=None, description="Moved later by pauses; None while paused")
    elapsed_minutes: float
    paused_minutes: float = 0.0
    remaining_minutes: float
    percent_consumed: float
    status: ClockState
    triggers: list[dict[str, Any]] = Field(default_factory=list, description="Policy steps and whether they fire")


class EscalationView(BaseModel):
    """get_escalation's answer: the state, every clock at ``now`` and the timeline."""

    state: EscalationState
    now: datetime
    clocks: list[Clock]
    timeline: list[Event]


class DueItem(BaseModel):
    """Something in list_due: what is due or late, since when, and the suggested next step."""

    escalation_id: str
    kind: str
    key: str = Field(description="Stable key; watch records it in reminder_fired so it is sent once")
    at: datetime
    severity: Severity
    tier: int
    owner: str | None = None
    title: str
    message: str
    next_step: str
    already_notified: bool = False


class MetricsGroup(BaseModel):
    group: dict[str, Any] = Field(default_factory=dict)
    count: int
    open: int
    mtta_minutes: float | None = None
    mttr_p50_minutes: float | None = None
    mttr_p90_minutes: float | None = None
    response_compliance: float | None = Field(default=None, description="Share of first responses within target")
    responses_measured: int = 0
    handoff_compliance: float | None = Field(default=None, description="Share of tier handoffs picked up in time")
    handoffs_measured: int = 0
    executive_compliance: float | None = Field(default=None, description="Share of executive levels engaged in time")
    executive_measured: int = 0
    breaches: int = 0
    re_escalation_rate: float | None = None
    de_escalation_p50_minutes: float | None = None
    top_causes: list[tuple[str, int]] = Field(default_factory=list)


class CategoryRate(BaseModel):
    """Escalations of one category against the tickets the caller counted for it (seed 002's escalation rate)."""

    category: str
    escalations: int
    tickets: int
    rate: float = Field(description="escalations / tickets, rounded to 4 places")


class Metrics(BaseModel):
    date_from: datetime
    date_to: datetime
    group_by: list[str]
    total: MetricsGroup
    groups: list[MetricsGroup] = Field(default_factory=list)
    escalation_rates: list[CategoryRate] = Field(
        default_factory=list, description="Per category, when the caller gave ticket counts: escalations / tickets")
