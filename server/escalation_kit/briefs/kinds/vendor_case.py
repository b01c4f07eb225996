"""Facts for the text filed with a cloud vendor's support, with the timeline item tracking shares."""

from __future__ import annotations

from pydantic import AwareDatetime, Field

from escalation_kit.briefs.kinds.base import FactModel
from escalation_kit.lean import new_list
from escalation_kit.vocab import Severity


class TimelineEntry(FactModel):
    at: AwareDatetime
    event: str = Field(min_length=1)


class VendorCaseFacts(FactModel):
    """Text to file with a cloud vendor's support (seed 001's vendor escalation template)."""

    vendor: str = Field(min_length=1, description="Catalog id (aws, gcp, alibaba-cn...) or the vendor's name")
    service: str = Field(min_length=1)
    severity: Severity
    summary: str = Field(min_length=1)
    severity_justification: str = Field(min_length=1)
    business_impact: str = Field(min_length=1)
    vendor_name: str | None = Field(
        default=None, description="Name shown in the text; default: the catalog's name for a known vendor id"
    )
    vendor_severity: str | None = Field(default=None, description="The vendor's own case severity name")
    region: str | None = None
    resources: list[str] = Field(default_factory=new_list, description="Resource / instance IDs")
    account_id: str | None = None
    started_at: AwareDatetime | None = None
    timeline: list[TimelineEntry] = Field(default_factory=new_list)
    asks: list[str] = Field(default_factory=new_list, description="What is asked besides engineering engagement")
    update_cadence: str | None = None
    contact: str | None = None
