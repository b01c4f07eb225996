"""Facts for the relationship recovery plan after an escalation (seed 001, section 7).

Four horizons: now, one to two weeks, one to three months, longer term. Anything promised to the customer
(a service credit, a committed improvement, a visit) is a proposal until someone with the authority approves
it, and the plan says so item by item.
"""

from __future__ import annotations

from pydantic import AwareDatetime, Field, StrictBool, ValidationInfo, field_validator

from escalation_kit.briefs.kinds.base import FactModel
from escalation_kit.lean import new_list


class RecoveryItem(FactModel):
    action: str = Field(min_length=1)
    owner: str | None = None
    due: AwareDatetime | None = None
    commitment: StrictBool = Field(
        default=False, description="A promise to the customer (credit, improvement, visit): needs approval"
    )
    approved_by: str | None = Field(default=None, description="Who approved the commitment; empty = a proposal")

    @field_validator("approved_by")
    @classmethod
    def _only_commitments(cls, value: str | None, info: ValidationInfo) -> str | None:
        """An approval belongs to a commitment; on an internal action it is a misplaced field."""
        if value and not info.data.get("commitment"):
            raise ValueError("is given, but commitment is false (only a promise to the customer is approved)")
        return value


class RecoveryPlanFacts(FactModel):
    """The recovery plan for one customer after an escalation; only customer and summary are required."""

    customer: str = Field(min_length=1)
    summary: str = Field(min_length=1, description="The escalation in one line")
    account_owner: str | None = Field(default=None, description="Who owns the plan (account manager, CSM)")
    executive_sponsor: str | None = None
    health_score: int | None = Field(default=None, ge=0, le=100, description="Account health score now, 0-100")
    immediate: list[RecoveryItem] = Field(default_factory=new_list, description="Now: resolution and communication")
    short_term: list[RecoveryItem] = Field(default_factory=new_list, description="1-2 weeks")
    medium_term: list[RecoveryItem] = Field(default_factory=new_list, description="1-3 months")
    long_term: list[RecoveryItem] = Field(default_factory=new_list)
    service_credit: str | None = Field(default=None, description="The credit or compensation proposed")
    service_credit_approver: str | None = Field(
        default=None, description="Who must approve the credit (by the executive level's authority)"
    )
    service_credit_approved: StrictBool = False

    @field_validator("service_credit_approved")
    @classmethod
    def _approved_needs_a_credit_and_approver(cls, value: bool, info: ValidationInfo) -> bool:
        """An approved credit names the credit and who approved it; otherwise it is still a proposal."""
        missing = [name for name in ("service_credit", "service_credit_approver") if not info.data.get(name)]
        if value and missing:
            raise ValueError(f"is true, but {' and '.join(missing)} is not given")
        return value
    review_at: AwareDatetime | None = Field(default=None, description="When the plan is next reviewed")
