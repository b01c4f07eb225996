"""Render escalation documents (brief, handoff, updates...) from Jinja2 templates in en / ru / zh.

Interface fixed by the foundation issue; the briefs issue adds every document kind and redaction.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

DocKind = Literal["escalation_brief"]
LanguageChoice = Literal["en", "ru", "zh", "auto"]


class TriedStep(BaseModel):
    action: str
    result: str = ""


class EscalationBriefFacts(BaseModel):
    """Facts for the structured escalation brief (seed 004). Only summary, severity, description are required."""

    summary: str = Field(min_length=1)
    severity: Literal["P0", "P1", "P2", "P3"]
    description: str = Field(min_length=1)
    target: str | None = Field(default=None, description="L2, engineering, product, security, leadership or vendor")
    customers_affected: str | None = None
    workflow_impact: str | None = None
    revenue_at_risk: str | None = None
    sla_status: str | None = None
    reproduction_steps: list[str] = Field(default_factory=list)
    expected: str | None = None
    actual: str | None = None
    environment: str | None = None
    tried: list[TriedStep] = Field(default_factory=list)
    last_customer_update: str | None = None
    customer_expectation: str | None = None
    escalation_risk: str | None = None
    needed: list[str] = Field(default_factory=list)
    deadline: str | None = Field(default=None, description="ISO 8601 with offset")
    supporting_context: list[str] = Field(default_factory=list)


class Redaction(BaseModel):
    kind: str
    field: str
    replacement: str


class BriefResult(BaseModel):
    kind: str
    language: Literal["en", "ru", "zh"]
    markdown: str
    redactions: list[Redaction] = Field(default_factory=list)
    unknown_fields: list[str] = Field(default_factory=list, description="Optional facts rendered as 'unknown — ask'")


def format_escalation_brief(
    facts: EscalationBriefFacts | dict[str, Any],
    kind: str = "escalation_brief",
    language: LanguageChoice = "auto",
    timezone: str = "UTC",
    redact: bool = True,
) -> BriefResult:
    raise NotImplementedError("implemented by the briefs issue")
