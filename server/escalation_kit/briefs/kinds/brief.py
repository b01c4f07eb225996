"""The structured escalation brief's facts (seed 004), with the tried-steps item the tier handoff shares."""

from __future__ import annotations

from pydantic import AwareDatetime, Field, field_validator

from escalation_kit.briefs.kinds.base import TIMESTAMP, FactModel, timestamp_of
from escalation_kit.lean import new_list
from escalation_kit.vocab import Severity


class TriedStep(FactModel):
    action: str
    result: str = ""


class EscalationBriefFacts(FactModel):
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
    reproduction_steps: list[str] = Field(default_factory=new_list)
    expected: str | None = None
    actual: str | None = None
    environment: str | None = None
    tried: list[TriedStep] = Field(default_factory=new_list)
    last_customer_update: str | None = None
    customer_expectation: str | None = None
    escalation_risk: str | None = None
    needed: list[str] = Field(default_factory=new_list)
    deadline: str | None = Field(default=None, description="ISO 8601 with offset")
    supporting_context: list[str] = Field(default_factory=new_list)

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
