"""Input models for every escalation document kind: one pydantic model per kind.

Required fields carry no default; everything optional renders as an explicit
"unknown — ask" marker when left empty, so a reader sees what still has to be found out.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from escalation_kit.vocab import Severity

# An ISO 8601 date-time as people paste it: T or space, optional seconds and fraction, and an optional
# offset written Z, +08:00, +0800, +08, UTC, UTC+8 or GMT-3. Not inside a URL or identifier (the
# look-behind), so links such as ?from=2026-11-22T09:00:00Z are never rewritten.
TIMESTAMP = re.compile(
    r"(?<![\w.:/=-])(?P<date>\d{4}-\d{2}-\d{2})[T ](?P<time>\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?)"
    r"(?:\s?(?P<offset>Z|[+-]\d{2}(?::?\d{2})?|(?:UTC|GMT)(?:\s?[+-]\d{1,2}(?::?\d{2})?)?))?(?![\w:+])"
)


def _offset(text: str | None) -> str:
    """'Z', 'UTC', '+0800', '+08', 'UTC+8', 'GMT-3' as '+HH:MM'; empty when there is none."""
    if not text:
        return ""
    sign_at = max(text.find("+"), text.find("-"))
    if sign_at < 0:
        return "+00:00"
    sign, rest = text[sign_at], text[sign_at + 1 :].replace(":", "")
    hours, minutes = (rest[:-2], rest[-2:]) if len(rest) > 2 else (rest, "00")
    return f"{sign}{int(hours):02d}:{minutes}"


def timestamp_of(match: re.Match[str]) -> datetime:
    """The datetime a TIMESTAMP match stands for (naive when it carries no offset); ValueError if impossible."""
    clock = match["time"].replace(",", ".")
    return datetime.fromisoformat(f"{match['date']}T{clock}{_offset(match['offset'])}")


class _Facts(BaseModel):
    """Base for fact models: unknown keys are an error (a typo must not vanish silently)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


class TriedStep(_Facts):
    action: str
    result: str = ""


class TimelineEntry(_Facts):
    at: AwareDatetime
    event: str = Field(min_length=1)


class ActionItem(_Facts):
    action: str = Field(min_length=1)
    owner: str | None = None
    due: AwareDatetime | None = None
    done: bool = False


class CommEntry(_Facts):
    at: AwareDatetime
    summary: str = Field(min_length=1)
    audience: str | None = Field(default=None, description="customer, internal, vendor, executives...")
    channel: str | None = Field(default=None, description="e-mail, phone, DingTalk, Slack...")


class EvidenceItem(_Facts):
    item: str = Field(min_length=1, description="What to collect: a log, metric or trace")
    source: str | None = Field(default=None, description="Where to get it (console, query, command)")
    collected: bool = False


class RoleAssignment(_Facts):
    role: str = Field(min_length=1)
    name: str = Field(min_length=1)


class EscalationBriefFacts(_Facts):
    """Facts for the structured escalation brief (seed 004). Only summary, severity, description are required."""

    summary: str = Field(min_length=1)
    severity: Severity
    description: str = Field(min_length=1)
    started_at: AwareDatetime | None = Field(default=None, description="When the incident began, as the reporter says")
    started_detail: str | None = Field(
        default=None, description="How the start is known and how long it has lasted, e.g. the reporter's own words"
    )
    target: str | None = Field(default=None, description="L2, engineering, product, security, leadership or vendor")
    customers_affected: str | None = None
    workflow_impact: str | None = None
    revenue_at_risk: str | None = None
    sla_status: str | None = None
    reproduction_steps: list[str] = Field(default_factory=list)
    expected: str | None = None
    actual: str | None = None
    environment: str | None = None
    tried: list[TriedStep] = Field(default_factory=list)
    last_customer_update: str | None = None
    customer_expectation: str | None = None
    escalation_risk: str | None = None
    needed: list[str] = Field(default_factory=list)
    deadline: str | None = Field(default=None, description="ISO 8601 with offset")
    supporting_context: list[str] = Field(default_factory=list)

    @field_validator("deadline")
    @classmethod
    def _deadline_offset(cls, value: str | None) -> str | None:
        """A leading ISO timestamp must be a real time with an offset; free text such as 'end of day' passes."""
        match = TIMESTAMP.match(value or "")
        if match:
            try:
                parsed = timestamp_of(match)
            except ValueError as exc:
                raise ValueError(f"{match[0]!r} is not a valid date and time") from exc
            if parsed.utcoffset() is None:
                raise ValueError("an ISO 8601 deadline needs a UTC offset, e.g. 2026-11-22T18:00:00+08:00")
        return value


class TierHandoffFacts(_Facts):
    """Handoff between technical tiers 1→2, 2→3 and 3→vendor (seeds 001 and 003)."""

    tier: Literal["1->2", "2->3", "3->vendor"]
    summary: str = Field(min_length=1)
    severity: Severity
    troubleshooting_summary: str = Field(min_length=1)
    ticket_id: str | None = None
    steps_attempted: list[TriedStep] = Field(default_factory=list)
    impact_assessment: str | None = None
    diagnostics: list[str] = Field(default_factory=list)
    customer_expectation: str | None = None
    next_owner: str | None = None
    customer_notified: bool | None = None
    root_cause_hypothesis: str | None = Field(default=None, description="2->3 and 3->vendor")
    engineering_ask: str | None = Field(default=None, description="2->3: what engineering should assess")
    vendor: str | None = Field(default=None, description="3->vendor")
    vendor_case_id: str | None = Field(default=None, description="3->vendor")
    severity_justification: str | None = Field(default=None, description="3->vendor")
    business_impact: str | None = Field(default=None, description="3->vendor")
    communication_plan: str | None = Field(default=None, description="3->vendor: customer communication plan")

    @field_validator("tier", mode="before")
    @classmethod
    def _arrow(cls, value: object) -> object:
        """Accept the arrow and word spellings people type (1→2, 3 to vendor)."""
        if isinstance(value, str):
            text = re.sub(r"\s*(?:→|->|\bto\b)\s*", "->", value.strip().lower())
            return re.sub(r"\b(?:tier|l)\s*", "", text)
        return value


class ExecutiveNotificationFacts(_Facts):
    """Notice to an executive level (team lead, manager, director, VP) asking for a decision."""

    level: Literal["team_lead", "manager", "director", "vp"]
    summary: str = Field(min_length=1)
    severity: Severity
    trigger: str = Field(min_length=1, description="Why this level is being engaged now")
    business_impact: str = Field(min_length=1)
    decision_needed: str = Field(min_length=1)
    deadline: AwareDatetime
    customer: str | None = None
    revenue_at_risk: str | None = None
    current_status: str | None = None
    actions_taken: list[str] = Field(default_factory=list)
    options: list[str] = Field(default_factory=list, description="Options the decision chooses between")
    owner: str | None = Field(default=None, description="Who sends this and owns the escalation")


class VendorCaseFacts(_Facts):
    """Text to file with a cloud vendor's support (seed 001's vendor escalation template)."""

    vendor: str = Field(min_length=1, description="Catalog id (aws, gcp, alibaba-cn...) or the vendor's name")
    service: str = Field(min_length=1)
    severity: Severity
    summary: str = Field(min_length=1)
    severity_justification: str = Field(min_length=1)
    business_impact: str = Field(min_length=1)
    vendor_name: str | None = Field(
        default=None, description="Name shown in the text; default: the catalog's name for a known vendor id"
    )
    vendor_severity: str | None = Field(default=None, description="The vendor's own case severity name")
    region: str | None = None
    resources: list[str] = Field(default_factory=list, description="Resource / instance IDs")
    account_id: str | None = None
    started_at: AwareDatetime | None = None
    timeline: list[TimelineEntry] = Field(default_factory=list)
    asks: list[str] = Field(default_factory=list, description="What is asked besides engineering engagement")
    update_cadence: str | None = None
    contact: str | None = None


class _CustomerMessage(_Facts):
    customer_name: str = Field(min_length=1)
    issue_summary: str = Field(min_length=1)
    sender_name: str = Field(min_length=1)
    sender_title: str | None = None
    sender_contact: str | None = None
    ticket_id: str | None = None


class CustomerAcknowledgementFacts(_CustomerMessage):
    """First reply to a customer escalation (seed 001: within one hour)."""

    impact: str | None = None
    actions_in_progress: list[str] = Field(default_factory=list)
    done_so_far: list[str] = Field(default_factory=list)
    update_interval: str | None = None
    next_update: AwareDatetime | None = None


class CustomerProgressUpdateFacts(_CustomerMessage):
    """Numbered progress update to the customer (seed 001)."""

    update_number: int = Field(ge=1)
    status: Literal["investigating", "mitigating", "monitoring", "resolved"]
    at: AwareDatetime | None = None
    progress: list[str] = Field(default_factory=list)
    root_cause_state: Literal["identified", "under_investigation", "suspected"] | None = None
    root_cause: str | None = None
    resolution_plan: str | None = None
    eta: AwareDatetime | None = None
    current_tasks: list[str] = Field(default_factory=list)
    impact_change: str | None = None
    workaround: str | None = None
    blockers: str | None = None
    next_steps: list[str] = Field(default_factory=list)
    next_update: AwareDatetime | None = None


class CustomerResolutionFacts(_CustomerMessage):
    """Resolution and closure message with the post-resolution summary (seed 001)."""

    started_at: AwareDatetime
    resolved_at: AwareDatetime
    root_cause: str = Field(min_length=1)
    fix_applied: str = Field(min_length=1)
    verification: str | None = None
    scope: str | None = None
    users_impacted: str | None = None
    preventive_measures: list[str] = Field(default_factory=list)
    service_credit: str | None = None
    postmortem_at: AwareDatetime | None = None
    lessons_learned: str | None = None


class WarRoomKickoffFacts(_Facts):
    """Opening message of a war room: roles, channel, bridge, cadence, first tasks."""

    summary: str = Field(min_length=1)
    severity: Severity
    channel_type: Literal["dingtalk", "slack", "teams", "feishu", "wecom", "other"]
    channel_name: str = Field(min_length=1)
    incident_id: str | None = None
    started_at: AwareDatetime | None = None
    bridge: str | None = Field(default=None, description="Conference bridge link or number")
    incident_commander: str | None = None
    tech_lead: str | None = None
    comms_lead: str | None = None
    scribe: str | None = None
    other_roles: list[RoleAssignment] = Field(default_factory=list)
    internal_cadence: str | None = Field(
        default=None, description="War-room / stakeholder status, e.g. every 15-30 min for P0 (not the 2 h follow-up)"
    )
    customer_cadence: str | None = None
    first_tasks: list[ActionItem] = Field(default_factory=list)


class IncidentReportFacts(_Facts):
    """The incident-triage skill's six response-minimum sections."""

    summary: str = Field(min_length=1)
    severity: Severity
    severity_reason: str = Field(min_length=1)
    impact_scope: str | None = None
    provider: str | None = None
    status_page_url: str | None = None
    status_page_result: str | None = Field(default=None, description="What the page showed; empty = not verified")
    status_checked_at: AwareDatetime | None = None
    evidence: list[EvidenceItem] = Field(default_factory=list)
    case_severity: str | None = Field(default=None, description="Vendor case severity to file")
    case_where: str | None = Field(default=None, description="Console / portal where the case is filed")
    response_due: AwareDatetime | None = None
    escalation_if_late: list[str] = Field(default_factory=list)
    war_room_channel: str | None = None
    participants: list[str] = Field(default_factory=list)
    internal_cadence: str | None = Field(
        default=None, description="War-room / stakeholder status, e.g. every 15-30 min for P0 (not the 2 h follow-up)"
    )
    customer_cadence: str | None = None
    open_questions: list[str] = Field(default_factory=list)


class EscalationTrackingFacts(_Facts):
    """Escalation tracking document (seed 003)."""

    title: str = Field(min_length=1, description="Customer or incident the escalation is about")
    type: Literal["technical", "executive", "vendor"]
    level: str = Field(min_length=1, description="Current escalation level, e.g. Tier 2 or Director")
    status: Literal["active", "resolved", "escalated"]
    ticket_id: str | None = None
    timeline: list[TimelineEntry] = Field(default_factory=list)
    actions: list[ActionItem] = Field(default_factory=list)
    communication_log: list[CommEntry] = Field(default_factory=list)
    resolution_plan: str | None = None
    eta: AwareDatetime | None = None


KIND_MODELS: dict[str, type[_Facts]] = {
    "escalation_brief": EscalationBriefFacts,
    "tier_handoff": TierHandoffFacts,
    "executive_notification": ExecutiveNotificationFacts,
    "vendor_case": VendorCaseFacts,
    "customer_acknowledgement": CustomerAcknowledgementFacts,
    "customer_progress_update": CustomerProgressUpdateFacts,
    "customer_resolution": CustomerResolutionFacts,
    "war_room_kickoff": WarRoomKickoffFacts,
    "incident_report": IncidentReportFacts,
    "escalation_tracking": EscalationTrackingFacts,
}


def required_fields(kind: str) -> list[str]:
    """Names of the facts a kind cannot render without, in model order."""
    return [name for name, info in KIND_MODELS[kind].model_fields.items() if info.is_required()]
