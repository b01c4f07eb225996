"""Facts for a war room's opening message, with the role and action items tracking shares."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from escalation_kit.briefs.kinds.base import FactModel
from escalation_kit.lean import new_list
from escalation_kit.vocab import Severity


class ActionItem(FactModel):
    action: str = Field(min_length=1)
    owner: str | None = None
    due: AwareDatetime | None = None
    done: bool = False


class RoleAssignment(FactModel):
    role: str = Field(min_length=1)
    name: str = Field(min_length=1)


class WarRoomKickoffFacts(FactModel):
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
    other_roles: list[RoleAssignment] = Field(default_factory=new_list)
    internal_cadence: str | None = Field(
        default=None, description="War-room / stakeholder status, e.g. every 15-30 min for P0 (not the 2 h follow-up)"
    )
    customer_cadence: str | None = None
    first_tasks: list[ActionItem] = Field(default_factory=new_list)
