"""Facts for the blameless post-mortem and the customer follow-up within a week (seed 001, sections 8 and 9)."""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, Field, ValidationInfo, field_validator

from escalation_kit.briefs.kinds.base import FactModel, not_before
from escalation_kit.briefs.kinds.vendor_case import TimelineEntry
from escalation_kit.briefs.kinds.war_room import ActionItem
from escalation_kit.lean import new_list
from escalation_kit.vocab import Severity

ORDER = {"detected_at": ("started_at",), "resolved_at": ("started_at", "detected_at"),
         "review_at": ("resolved_at",), "follow_up_at": ("resolved_at",)}


class PostMortemFacts(FactModel):
    """The post-mortem's agenda filled in: timeline, technical and process root cause, what went well and
    wrong, prevention and process changes, then the customer follow-up. Only summary and severity are
    required; every agenda item left empty is shown as 'to be filled', never guessed."""

    summary: str = Field(min_length=1, description="The incident in one line")
    severity: Severity
    incident_id: str | None = None
    customer: str | None = Field(default=None, description="The customer the follow-up is for")
    started_at: AwareDatetime | None = None
    detected_at: AwareDatetime | None = None
    resolved_at: AwareDatetime | None = None
    review_at: AwareDatetime | None = Field(default=None, description="When the post-mortem meeting is held")
    facilitator: str | None = None
    war_room_team: list[str] = Field(default_factory=new_list, description="Attendees from the war room")
    executives: list[str] = Field(default_factory=new_list, description="Executives attending")
    impact: str | None = Field(default=None, description="Customer and business impact, measured")
    timeline: list[TimelineEntry] = Field(default_factory=new_list)
    root_cause_technical: str | None = None
    root_cause_process: str | None = Field(
        default=None, description="Which process or system let it happen or slowed the response (not who)"
    )
    went_well: list[str] = Field(default_factory=new_list)
    went_wrong: list[str] = Field(default_factory=new_list, description="Gaps in systems and processes, not people")
    preventive_measures: list[ActionItem] = Field(default_factory=new_list)
    process_improvements: list[ActionItem] = Field(default_factory=new_list)
    follow_up_at: AwareDatetime | None = Field(
        default=None, description="Executive-to-executive call with the customer, within a week of resolution"
    )
    follow_up_attendees: str | None = Field(default=None, description="Who speaks for each side on that call")

    @field_validator("detected_at", "resolved_at", "review_at", "follow_up_at")
    @classmethod
    def _in_order(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        """Start, detection, resolution, then the review and the follow-up: a time out of order is a typo."""
        return not_before(value, info, ORDER[info.field_name])
