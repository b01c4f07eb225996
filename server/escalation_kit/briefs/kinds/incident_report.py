"""Facts for the incident-triage skill's six response-minimum sections."""

from __future__ import annotations

from pydantic import AwareDatetime, Field

from escalation_kit.briefs.kinds.base import FactModel
from escalation_kit.lean import new_list
from escalation_kit.vocab import Severity


class EvidenceItem(FactModel):
    item: str = Field(min_length=1, description="What to collect: a log, metric or trace")
    source: str | None = Field(default=None, description="Where to get it (console, query, command)")
    collected: bool = False


class IncidentReportFacts(FactModel):
    """The incident-triage skill's six response-minimum sections."""

    summary: str = Field(min_length=1)
    severity: Severity
    severity_reason: str = Field(min_length=1)
    impact_scope: str | None = None
    provider: str | None = None
    status_page_url: str | None = None
    status_page_result: str | None = Field(default=None, description="What the page showed; empty = not verified")
    status_checked_at: AwareDatetime | None = None
    evidence: list[EvidenceItem] = Field(default_factory=new_list)
    case_severity: str | None = Field(default=None, description="Vendor case severity to file")
    case_where: str | None = Field(default=None, description="Console / portal where the case is filed")
    response_due: AwareDatetime | None = None
    escalation_if_late: list[str] = Field(default_factory=new_list)
    war_room_channel: str | None = None
    participants: list[str] = Field(default_factory=new_list)
    internal_cadence: str | None = Field(
        default=None, description="War-room / stakeholder status, e.g. every 15-30 min for P0 (not the 2 h follow-up)"
    )
    customer_cadence: str | None = None
    open_questions: list[str] = Field(default_factory=new_list)
