"""Classify an incident P0-P3 from free text and/or structured impact facts.

Interface fixed by the foundation issue; the severity issue implements the engine.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Severity = Literal["P0", "P1", "P2", "P3"]
SEVERITIES: tuple[str, ...] = ("P0", "P1", "P2", "P3")


class ImpactFacts(BaseModel):
    """Structured impact facts; every field is optional and overrides what the text suggests."""

    production: bool | None = Field(default=None, description="Is the affected system production?")
    users_affected_pct: float | None = Field(default=None, ge=0, le=100, description="Share of users or requests affected, %")
    regions_affected: int | None = Field(default=None, ge=0, description="Number of regions or zones affected")
    core_function_affected: bool | None = Field(default=None, description="Is a core function (login, checkout, API) down?")
    data_loss: Literal["none", "suspected", "confirmed"] | None = None
    security_exposure: Literal["none", "suspected", "confirmed"] | None = None
    workaround: bool | None = Field(default=None, description="Does a practical workaround exist?")
    revenue_at_risk: bool | None = None
    duration_minutes: int | None = Field(default=None, ge=0)
    customer_tier: str | None = Field(default=None, description="e.g. enterprise, strategic, free")


class Signal(BaseModel):
    id: str
    text: str = Field(description="The matched words as they appear in the input")
    start: int
    end: int
    level: Severity
    language: str


class SeverityResult(BaseModel):
    severity: Severity
    confidence: float = Field(ge=0.0, le=1.0)
    decided_by: str = Field(description="Id of the rule that decided the level")
    rationale: str
    signals: list[Signal] = Field(default_factory=list)
    scope: str = ""
    questions: list[str] = Field(default_factory=list, description="Questions whose answers could change the level")
    vendor_case_severity: dict[str, str] = Field(default_factory=dict)
    alternative: Severity | None = None


def classify_severity(text: str | None = None, facts: ImpactFacts | dict | None = None) -> SeverityResult:
    raise NotImplementedError("implemented by the severity issue")
