"""A customer's account health over time (seed 001): the ticket_trends components the tracker can measure, per month.

The seed names the components (volume trend, P1/P2 ratio, resolution time vs SLA, reopen rate) but not how to
score them; that policy is ours, in ``references/policy/routing.yaml`` (``health.from_tracker``). Each month's
ticket_trends score is the mean of the measured components; the overall score combines it with the categories
only the caller knows (satisfaction, engagement, relationship) through ``routing.compute_account_health``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field

from escalation_kit.errors import DataError, InputError, quote
from escalation_kit.routing import HealthResult, compute_account_health
from escalation_kit.routing.policy import load_routing_policy, ref
from escalation_kit.tracker.events import iso
from escalation_kit.tracker.store import Store

MAX_MONTHS = 36
CRITICAL = ("P0", "P1")
COMPONENTS = ("volume_trend", "p1_p2_ratio", "reopen_rate")  # scored below as routing.yaml describes each


class MonthHealth(BaseModel):
    """One calendar month (UTC) of a customer's escalations, the component scores and the category score."""

    month: str = Field(description="YYYY-MM")
    escalations: int
    critical: int = Field(description="Opened at P0 or P1")
    reopened: int
    responses_measured: int
    responses_in_time: int
    components: dict[str, float] = Field(default_factory=dict, description="ticket_trends components, 0-100")
    ticket_trends: float | None = Field(default=None, description="Mean of the measured components")
    response_time: float | None = Field(default=None, description="engagement_quality component: % in time")
    health: HealthResult | None = None


class AccountHealth(BaseModel):
    customer: str
    months: list[MonthHealth]
    not_tracked: list[str] = Field(description="ticket_trends components the tracker cannot measure")
    policy: str = ref("health.from_tracker")


def _month_starts(now: datetime, months: int) -> list[datetime]:
    """The first instant of each of the last ``months`` calendar months up to now (UTC), oldest first."""
    year, month = now.year, now.month
    out = []
    for _ in range(months + 1):  # one more, so the oldest month shown has a month before it for the trend
        out.append(datetime(year, month, 1, tzinfo=UTC))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def _counts(store: Store, customer: str, since: datetime, until: datetime) -> dict[str, tuple[int, ...]]:
    """Per month: escalations, critical, reopened, responses measured and in time (one grouped query)."""
    rows = store.all(
        "SELECT SUBSTR(opened_at, 1, 7), COUNT(*), "
        "SUM(CASE WHEN severity IN (?, ?) THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN reopened > 0 THEN 1 ELSE 0 END), COUNT(fr_met), SUM(CASE WHEN fr_met = 1 THEN 1 ELSE 0 END) "
        "FROM escalations WHERE customer = ? AND opened_at >= ? AND opened_at < ? GROUP BY SUBSTR(opened_at, 1, 7)",
        (*CRITICAL, customer, iso(since), iso(until)))
    return {r[0]: tuple(int(v or 0) for v in r[1:]) for r in rows}


def _components(n: int, critical: int, reopened: int, before: int) -> dict[str, float]:
    """The policy's component scores for one month (see routing.yaml health.from_tracker); shares need escalations."""
    out = {"p1_p2_ratio": round(100 - 100 * critical / n, 1),
           "reopen_rate": round(100 - 100 * reopened / n, 1)} if n else {}
    if before:  # growth from a month with none is not a rate: the trend is then not measured
        growth = 100 * (n - before) / before
        out["volume_trend"] = round(max(0.0, 100 - max(0.0, growth)), 1)
    return out


def account_health(store: Store, customer: str, now: datetime, months: int = 6,
                   categories: dict[str, Any] | None = None) -> AccountHealth:
    """Month by month, oldest first: counts, component scores, ticket_trends, and the overall health when the
    caller gives the other categories (``categories``: support_satisfaction, engagement_quality, ...)."""
    if not isinstance(customer, str) or not customer.strip():
        raise InputError("customer", "give the customer's name as recorded on its escalations")
    if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= MAX_MONTHS:
        raise InputError("months", f"{quote(months)} is not a number of months", allowed=[f"1 to {MAX_MONTHS}"])
    extra = dict(categories or {})
    if "ticket_trends" in extra:
        raise InputError("categories.ticket_trends", "comes from the tracker's records; give the other categories")
    starts = _month_starts(now.astimezone(UTC), months)
    counts = _counts(store, customer, starts[0], now)
    policy = load_routing_policy()["health"]["from_tracker"]
    if set(policy["ticket_trends"]) != set(COMPONENTS):
        raise DataError(f"routing.yaml health.from_tracker.ticket_trends names {sorted(policy['ticket_trends'])}; "
                        f"the tracker scores {sorted(COMPONENTS)}")
    out = []
    for previous, start in zip(starts, starts[1:], strict=False):
        n, critical, reopened, measured, met = counts.get(start.strftime("%Y-%m"), (0, 0, 0, 0, 0))
        before = counts.get(previous.strftime("%Y-%m"), (0,))[0]
        comps = _components(n, critical, reopened, before)
        trends = round(sum(comps.values()) / len(comps), 1) if comps else None
        month = MonthHealth(month=start.strftime("%Y-%m"), escalations=n, critical=critical, reopened=reopened,
                            responses_measured=measured, responses_in_time=met, components=comps,
                            ticket_trends=trends, response_time=round(100 * met / measured, 1) if measured else None)
        if trends is not None or extra:
            month.health = compute_account_health({**extra, "ticket_trends": trends})
        out.append(month)
    return AccountHealth(customer=customer, months=out, not_tracked=list(policy["not_tracked"]))
