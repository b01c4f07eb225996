"""Facts for the de-escalation notice (seed 002: document the decision, notify stakeholders, update the customer).

The decision itself is not a fact the caller gives: ``escalation_kit.tools`` takes it from the de-escalation
policy (``routing.recommend_deescalation``) with the criteria below, so a notice never claims a de-escalation
the policy does not allow. ``policy_criteria`` and ``stable_minutes_now`` are the policy's inputs.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import AliasChoices, AwareDatetime, Field, StrictBool, StrictInt, ValidationInfo, field_validator

from escalation_kit.briefs.kinds.base import FactModel, not_before
from escalation_kit.lean import new_list
from escalation_kit.vocab import Severity


class ResolutionCriteria(FactModel):
    """The exit criteria as known so far (seed 002's example and recommend_deescalation's names); null = not known."""

    root_cause: str | None = Field(default=None, description="The root cause in a sentence; implies root_cause_found")
    fix_applied: str | StrictBool | None = Field(
        default=None, description="The fix deployed (seed 002 writes it as text), or true/false"
    )
    workaround: str | None = Field(default=None, description="The workaround given; implies workaround_available")
    root_cause_found: StrictBool | None = None
    workaround_available: StrictBool | None = None
    resolved_itself: StrictBool | None = None
    customer_confirmed: StrictBool | None = Field(
        default=None, validation_alias=AliasChoices("customer_confirmed", "customer_confirmation")
    )
    support_resolvable: StrictBool | None = None
    recurrence: StrictBool | None = Field(default=None, description="The problem came back after the fix")
    monitoring_period_complete: StrictBool | None = None

    @field_validator("root_cause_found", "workaround_available")
    @classmethod
    def _not_denied(cls, value: bool | None, info: ValidationInfo) -> bool | None:
        """A stated root cause or workaround with its flag set to false contradicts itself."""
        text = {"root_cause_found": "root_cause", "workaround_available": "workaround"}[info.field_name]
        if value is False and info.data.get(text):
            raise ValueError(f"is false, but {text} is given")
        return value

    def policy_criteria(self) -> dict[str, bool | None]:
        """The criteria as recommend_deescalation takes them: a stated cause, fix or workaround counts as true."""
        fix = self.fix_applied
        return {
            "root_cause_found": _stated(self.root_cause_found, self.root_cause),
            "fix_applied": fix if isinstance(fix, bool) else _stated(None, fix),
            "workaround_available": _stated(self.workaround_available, self.workaround),
            "resolved_itself": self.resolved_itself,
            "customer_confirmed": self.customer_confirmed,
            "support_resolvable": self.support_resolvable,
            "recurrence": self.recurrence,
            "monitoring_period_complete": self.monitoring_period_complete,
        }


def _stated(flag: bool | None, text: str | None) -> bool | None:
    return flag if flag is not None else (True if text else None)


class DeescalationNoticeFacts(FactModel):
    """The notice that documents a de-escalation decision for everyone who was told of the escalation."""

    summary: str = Field(min_length=1)
    severity: Severity = Field(description="The escalation's level now")
    escalation_id: str | None = None
    escalated_to: str | None = Field(default=None, description="The team or level the escalation went to")
    resolution: ResolutionCriteria = Field(default_factory=ResolutionCriteria)
    fixed_at: AwareDatetime | None = Field(default=None, description="When the fix went in")
    decided_at: AwareDatetime | None = Field(default=None, description="When the decision is taken")
    stable_minutes: StrictInt | None = Field(
        default=None, ge=0, description="Minutes stable since the fix; default: decided_at minus fixed_at"
    )
    reassessed_severity: Severity | None = Field(default=None, description="The level new information points to")
    owner: str | None = Field(default=None, description="Who takes the decision and signs the notice")
    stakeholders: list[str] = Field(default_factory=new_list, description="Everyone notified of the escalation")
    customer_update: str | None = Field(default=None, description="What the customer was told of the resolution")
    notes: str | None = None

    @field_validator("decided_at")
    @classmethod
    def _after_fix(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        """A decision before the fix went in is a typo in one of the two times."""
        return not_before(value, info, ("fixed_at",))

    def stable_minutes_now(self) -> int | None:
        """Minutes stable since the fix: as stated, else from fixed_at to decided_at, else unknown."""
        if self.stable_minutes is not None:
            return self.stable_minutes
        if self.fixed_at is None or self.decided_at is None:
            return None
        return int((self.decided_at - self.fixed_at).total_seconds() // 60)
