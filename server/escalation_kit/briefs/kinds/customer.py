"""Facts for the three customer messages: acknowledgement, progress update, resolution (seed 001)."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from escalation_kit.briefs.kinds.base import FactModel
from escalation_kit.lean import new_list


class _CustomerMessage(FactModel):
    customer_name: str = Field(min_length=1)
    issue_summary: str = Field(min_length=1)
    sender_name: str = Field(min_length=1)
    sender_title: str | None = None
    sender_contact: str | None = None
    ticket_id: str | None = None


class CustomerAcknowledgementFacts(_CustomerMessage):
    """First reply to a customer escalation (seed 001: within one hour)."""

    impact: str | None = None
    actions_in_progress: list[str] = Field(default_factory=new_list)
    done_so_far: list[str] = Field(default_factory=new_list)
    update_interval: str | None = None
    next_update: AwareDatetime | None = None


class CustomerProgressUpdateFacts(_CustomerMessage):
    """Numbered progress update to the customer (seed 001)."""

    update_number: int = Field(ge=1)
    status: Literal["investigating", "mitigating", "monitoring", "resolved"]
    at: AwareDatetime | None = None
    progress: list[str] = Field(default_factory=new_list)
    root_cause_state: Literal["identified", "under_investigation", "suspected"] | None = None
    root_cause: str | None = None
    resolution_plan: str | None = None
    eta: AwareDatetime | None = None
    current_tasks: list[str] = Field(default_factory=new_list)
    impact_change: str | None = None
    workaround: str | None = None
    blockers: str | None = None
    next_steps: list[str] = Field(default_factory=new_list)
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
    preventive_measures: list[str] = Field(default_factory=new_list)
    service_credit: str | None = None
    postmortem_at: AwareDatetime | None = None
    lessons_learned: str | None = None
