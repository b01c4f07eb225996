"""The typed results of a status check: what a feed said, and what the check concluded from it."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# What a readable feed says overall. "operational" only when the feed itself says so (a Statuspage
# indicator of none); "no_current_incidents" when a feed lists nothing current but makes no claim
# beyond that; "not_verified" when nothing could be read. Never a "green" we did not read.
FeedState = Literal["operational", "no_current_incidents", "degraded", "incident", "maintenance"]
CheckState = Literal["operational", "no_current_incidents", "degraded", "incident", "maintenance", "not_verified"]
FailureKind = Literal["timeout", "http_status", "too_large", "bad_format", "network", "refused_url", "no_feed"]


class Incident(BaseModel):
    """One incident (or feed item) as the feed gives it; ``ongoing`` is None when the feed does not say."""

    model_config = ConfigDict(frozen=True)

    title: str
    id: str = ""
    status: str = ""
    impact: str = ""
    ongoing: bool | None = None
    started_at: datetime | None = None
    updated_at: datetime | None = None
    components: list[str] = Field(default_factory=list)
    regions: list[str] = Field(default_factory=list)
    link: str = ""


class FeedReading(BaseModel):
    """What one feed body says, before our policy decides which incidents are current."""

    model_config = ConfigDict(frozen=True)

    format: str
    indicator: str = ""
    description: str = ""
    page_updated_at: datetime | None = None
    incidents: list[Incident] = Field(default_factory=list)
    degraded_components: list[str] = Field(default_factory=list)


class Attempt(BaseModel):
    """One feed tried: where, and either ok or why not."""

    feed_id: str
    url: str
    ok: bool
    failure: FailureKind | None = None
    error: str = ""


class StatusCheck(BaseModel):
    """The answer: what was checked, when, from which URL, what it showed, and whether it was read at all."""

    vendor: str
    verified: bool
    state: CheckState
    summary: str
    checked_at: datetime
    feed_id: str = ""
    feed_url: str = ""
    feed_format: str = ""
    feed_documented: bool | None = None
    feed_note: str = ""
    description: str = ""
    incidents: list[Incident] = Field(default_factory=list)
    degraded_components: list[str] = Field(default_factory=list)
    region: str | None = None
    product: str | None = None
    region_in_current_incident: bool | None = None
    product_in_current_incident: bool | None = None
    matching_incidents: list[str] = Field(default_factory=list)
    reason: str = ""
    attempts: list[Attempt] = Field(default_factory=list)
    status_pages: list[str] = Field(default_factory=list)
