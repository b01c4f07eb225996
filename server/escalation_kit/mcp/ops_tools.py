"""Read tools for the facts a triage needs from outside the text: the provider's status feed and who is on call.

``check_provider_status`` reads a vendor's public status feed (seed 000: "check the status page before
assuming the cause is on your side"); the feed URLs come from references/statuspages/feeds.yaml, never
from the caller, and only the operator can point them elsewhere ($ESCALATION_KIT_STATUS_BASE_URL), so the
tool cannot be aimed at another host. ``who_is_on_call`` reads the on-call schedule ($ESCALATION_KIT_ONCALL_
SCHEDULE, else the shipped example) for a role, a tier or a notice (seed 002: "on-call schedule access").
Both only read; both run off the event loop (a feed read waits on the network for up to its timeout, in a
pool of its own).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import anyio
from mcp.types import ToolAnnotations
from pydantic import Field

from escalation_kit.errors import InputError
from escalation_kit.mcp.published import Spec
from escalation_kit.mcp.tools import WORKERS, call

# Their own small pool: a feed read waits on the network for up to its timeout, and in the CPU pool a few
# slow feeds would hold every worker a large severity or brief call needs.
NETWORK = anyio.CapacityLimiter(2)
READ_LOCAL = ToolAnnotations(read_only_hint=True, idempotent_hint=True, destructive_hint=False, open_world_hint=False)
READ_WEB = ToolAnnotations(read_only_hint=True, idempotent_hint=False, destructive_hint=False, open_world_hint=True)


def _status(vendor: str, region: str | None, product: str | None) -> dict[str, Any]:
    from escalation_kit.statuspages import check_status
    from escalation_kit.statuspages.check import BASE_URL_ENV

    base = os.environ.get(BASE_URL_ENV, "").strip() or None
    return check_status(vendor, region, product, base_url=base).model_dump(mode="json")


def _on_call(role: str | None, tier: int | None, notice: str | None, exec_level: int,
             at: str | None) -> dict[str, Any]:
    from escalation_kit.oncall import holders_for, load_schedule
    from escalation_kit.timezones import parse_instant

    if (role is None) == (tier is None):
        raise InputError("role", "give exactly one of role or tier (notice goes with tier)")
    if notice is not None and tier is None:
        raise InputError("notice", "a notice is addressed through a tier: give tier too")
    when = parse_instant(at, "at") if at is not None else datetime.now(UTC)
    schedule = load_schedule(label="schedule")
    found = holders_for(schedule, when, role=role, tier=tier, notice=notice, level=exec_level)
    # the file's name, not its path: a server over HTTP does not tell clients where it keeps its files
    return {"at": when.isoformat(), "schedule": Path(schedule.source).name, "holders": [h.as_dict() for h in found]}


def ops_specs() -> list[Spec]:
    """The status-feed and on-call read tools, with their titles and annotations."""

    async def check_provider_status(
        vendor: Annotated[str, Field(description="Vendor id, as for pick_vendor_support_path (an unknown one "
                                                 "lists them)")],
        region: Annotated[str | None, Field(description="Region code or name to look for, e.g. us-east-1")] = None,
        product: Annotated[str | None, Field(description="Product or component to look for, e.g. RDS")] = None,
    ) -> dict[str, Any]:
        """Read the provider's public status feed now: its state, current incidents, whether the region or
        product is in one, when and from which URL. verified=false means it could not be read (or no public
        feed exists): say "status page not verified" with the reason and the page to open, never "green"."""
        fn = partial(call, _status, vendor, region, product)
        return await anyio.to_thread.run_sync(fn, limiter=NETWORK)

    async def who_is_on_call(
        role: Annotated[str | None, Field(description="A role id, e.g. senior_engineer")] = None,
        tier: Annotated[int | None, Field(ge=1, le=4, description="Who a workflow tier tells")] = None,
        notice: Annotated[str | None, Field(description="With tier: who a notice kind goes to, e.g. "
                                                        "tier_raised")] = None,
        exec_level: Annotated[int, Field(ge=0, le=4, description="With notice: the executive level")] = 0,
        at: Annotated[str | None, Field(description="ISO 8601 with offset; default now")] = None,
    ) -> dict[str, Any]:
        """Who holds an on-call role (rotation, follow-the-sun shift or override), or who a tier or one of its
        notices goes to, at a time, from the on-call schedule; name these people instead of guessing."""
        fn = partial(call, _on_call, role, tier, notice, exec_level, at)
        return await anyio.to_thread.run_sync(fn, limiter=WORKERS)

    return [(check_provider_status, "Check a provider's status feed", READ_WEB),
            (who_is_on_call, "Who is on call", READ_LOCAL)]
