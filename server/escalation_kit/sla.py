"""SLA clock: first-response deadline, update cadence and escalation triggers for a severity.

Interface fixed by the foundation issue; the SLA issue implements business hours, holidays and DST.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from escalation_kit.severity import Severity

Status = Literal["on_track", "at_risk", "breached"]


class SlaTarget(BaseModel):
    """An explicit target, e.g. an internal SLA, instead of a vendor plan's."""

    minutes: int = Field(gt=0)
    clock: Literal["24x7", "business"] = "24x7"
    business_start: str = Field(default="09:00", pattern=r"^\d{2}:\d{2}$")
    business_end: str = Field(default="18:00", pattern=r"^\d{2}:\d{2}$")
    timezone: str | None = None
    calendar: str | None = Field(default=None, description="Holiday calendar country code, e.g. CN, RU, US")


class TimedEvent(BaseModel):
    kind: str
    at: datetime
    label: str = ""
    source: str = Field(default="", description="'vendor', 'policy:<file>' or 'explicit'")


class SlaResult(BaseModel):
    severity: Severity
    opened_at: datetime
    timezone: str
    target_minutes: int
    clock: Literal["24x7", "business"]
    target_source: str
    first_response_due: datetime
    updates: list[TimedEvent] = Field(default_factory=list, description="Internal and customer update times")
    escalation_triggers: list[TimedEvent] = Field(default_factory=list)
    elapsed_minutes: float | None = None
    remaining_minutes: float | None = None
    percent_consumed: float | None = None
    status: Status | None = None
    notes: list[str] = Field(default_factory=list)


def compute_sla_deadlines(
    severity: Severity,
    opened_at: str | datetime,
    vendor: str | None = None,
    plan: str | None = None,
    timezone: str | None = None,
    calendar: str | None = None,
    now: str | datetime | None = None,
    target: SlaTarget | dict | None = None,
) -> SlaResult:
    raise NotImplementedError("implemented by the SLA issue")
