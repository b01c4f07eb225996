"""The catalog summary ``list_vendors`` returns: every vendor with its plans and status sites.

Apart from the answer models in ``models`` because only the catalog resource builds it: a tool's first
call (the path, the SLA clock) then creates none of these classes.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from escalation_kit.lean import new_list
from escalation_kit.vendors.models import StatusPage


class PlanSummary(BaseModel):
    model_config = ConfigDict(defer_build=True)  # the catalog resource only

    id: str
    name: str
    lifecycle: str
    technical_cases: bool
    default: bool = False


class VendorSummary(BaseModel):
    model_config = ConfigDict(defer_build=True)  # the catalog resource only

    id: str
    name: str
    site: str = ""
    aliases: list[str] = Field(default_factory=new_list)
    default_plan: str
    coverage: str
    plans: list[PlanSummary]
    status_pages: list[StatusPage]
    targets_verified: int = Field(default=0, description="First-response targets confirmed from official sources")
    targets_unverified: int = Field(default=0, description="Targets marked unverified (including unknown ones)")


class VendorCatalog(BaseModel):
    """What ``list_vendors`` returns: every vendor with its plans and status sites."""

    model_config = ConfigDict(defer_build=True)  # the catalog resource only

    vendors: list[VendorSummary]
    ambiguous_aliases: dict[str, list[str]] = Field(default_factory=dict)
    policy_file: str = "references/policy/vendor-escalation.yaml"
