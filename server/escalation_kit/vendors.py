"""Pick the cloud vendor support path for a severity: case severity, response target, how to open and escalate.

Interface fixed by the foundation issue; the vendor-catalog issue fills the catalog.
Fields marked stable below are read by other modules (sla, pipeline, eval) and must keep their names.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from escalation_kit.severity import Severity

Clock = Literal["24x7", "business", "unknown"]


class Source(BaseModel):
    id: str
    url: str
    checked: str = Field(description="Date the source was checked, YYYY-MM-DD")
    note: str = ""


class CaseSeverity(BaseModel):
    """Stable: name, api_code, response_minutes, clock, unverified."""

    name: str = Field(description="The vendor's own name for the case severity")
    api_code: str | None = None
    response_minutes: int | None = Field(description="Committed first-response target; None when not offered")
    clock: Clock
    unverified: bool = False
    sources: list[str] = Field(default_factory=list)


class CaseChannel(BaseModel):
    kind: Literal["console", "cli", "api", "phone", "chat", "email"]
    how: str
    command: str | None = None
    unverified: bool = False
    note: str = ""


class EscalationContact(BaseModel):
    role: str = Field(description="The vendor's own expansion of the role, e.g. 'Technical Account Manager (TAM)'")
    when: str = ""
    unverified: bool = False


class StatusPage(BaseModel):
    name: str
    url: str
    unverified: bool = False


class PolicyStep(BaseModel):
    """Playbook policy (not a vendor commitment), labelled as such in tool output."""

    label: Literal["policy"] = "policy"
    after_minutes: int | None = None
    action: str
    source: str


class VendorPath(BaseModel):
    vendor: str
    vendor_name: str
    plan: str
    plan_name: str
    severity: Severity
    case_severity: CaseSeverity | None = Field(description="None when the plan offers no case at this level")
    available: bool
    note: str = ""
    open_case: list[CaseChannel] = Field(default_factory=list)
    escalation: list[EscalationContact] = Field(default_factory=list)
    status_pages: list[StatusPage] = Field(default_factory=list)
    policy: list[PolicyStep] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    unverified: list[str] = Field(default_factory=list, description="Fields whose figures are not officially confirmed")


def pick_vendor_support_path(
    vendor: str, severity: Severity, plan: str | None = None, region: str | None = None
) -> VendorPath:
    raise NotImplementedError("implemented by the vendor-catalog issue")
