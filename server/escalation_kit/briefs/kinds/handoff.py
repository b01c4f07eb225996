"""Facts for a handoff between technical tiers 1->2, 2->3 and 3->vendor (seeds 001 and 003)."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator

from escalation_kit.briefs.kinds.base import FactModel
from escalation_kit.briefs.kinds.brief import TriedStep
from escalation_kit.lean import new_list
from escalation_kit.vocab import Severity


class TierHandoffFacts(FactModel):
    """Handoff between technical tiers 1→2, 2→3 and 3→vendor (seeds 001 and 003)."""

    tier: Literal["1->2", "2->3", "3->vendor"]
    summary: str = Field(min_length=1)
    severity: Severity
    troubleshooting_summary: str = Field(min_length=1)
    ticket_id: str | None = None
    steps_attempted: list[TriedStep] = Field(default_factory=new_list)
    impact_assessment: str | None = None
    diagnostics: list[str] = Field(default_factory=new_list)
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
