"""Facts for the escalation tracking document (seed 003)."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from escalation_kit.briefs.kinds.base import FactModel
from escalation_kit.briefs.kinds.vendor_case import TimelineEntry
from escalation_kit.briefs.kinds.war_room import ActionItem
from escalation_kit.lean import new_list


class CommEntry(FactModel):
    at: AwareDatetime
    summary: str = Field(min_length=1)
    audience: str | None = Field(default=None, description="customer, internal, vendor, executives...")
    channel: str | None = Field(default=None, description="e-mail, phone, DingTalk, Slack...")


class EscalationTrackingFacts(FactModel):
    """Escalation tracking document (seed 003)."""

    title: str = Field(min_length=1, description="Customer or incident the escalation is about")
    type: Literal["technical", "executive", "vendor"]
    level: str = Field(min_length=1, description="Current escalation level, e.g. Tier 2 or Director")
    status: Literal["active", "resolved", "escalated"]
    ticket_id: str | None = None
    timeline: list[TimelineEntry] = Field(default_factory=new_list)
    actions: list[ActionItem] = Field(default_factory=new_list)
    communication_log: list[CommEntry] = Field(default_factory=new_list)
    resolution_plan: str | None = None
    eta: AwareDatetime | None = None
