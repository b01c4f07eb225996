"""Facts for a notice to an executive level asking for a decision."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from escalation_kit.briefs.kinds.base import FactModel
from escalation_kit.lean import new_list
from escalation_kit.vocab import Severity


class ExecutiveNotificationFacts(FactModel):
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
    actions_taken: list[str] = Field(default_factory=new_list)
    options: list[str] = Field(default_factory=new_list, description="Options the decision chooses between")
    owner: str | None = Field(default=None, description="Who sends this and owns the escalation")
