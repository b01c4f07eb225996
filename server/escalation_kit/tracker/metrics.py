"""Escalation metrics over a period: count, MTTA, MTTR p50/p90, response compliance, breaches, re-escalation.

Read from the cached columns of the escalations table (one indexed range scan), deterministic for a
given ``now``. Definitions follow the metric table in skills/escalation-workflow (seed 002).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from statistics import mean
from typing import Any

from escalation_kit.errors import InputError
from escalation_kit.tracker.events import iso
from escalation_kit.tracker.models import FINISHED, Metrics, MetricsGroup
from escalation_kit.tracker.store import Store

GROUPS = ("tier", "severity", "segment", "vendor", "customer", "category", "owner")
COLUMNS = ("tier", "severity", "segment", "vendor", "customer", "category", "owner", "status", "opened_at",
           "acknowledged_at", "first_response_at", "first_response_due", "vendor_responded_at", "vendor_due",
           "resolved_at", "de_escalated_at", "tier_raises", "reopened")


def _t(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def _minutes(a: str | None, b: str | None) -> float | None:
    start, end = _t(a), _t(b)
    return (end - start).total_seconds() / 60 if start and end else None


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100): deterministic and one of the observed values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return round(ordered[int(rank) - 1], 2)


def _breached(row: dict[str, Any], now: str) -> bool:
    """A first-response or vendor clock that ended late, or is still running past its due time."""
    for stop, due in (("first_response_at", "first_response_due"), ("vendor_responded_at", "vendor_due")):
        if row[due] is None:
            continue
        ended = row[stop] or (None if row["status"] in FINISHED else now)
        if ended is not None and ended > row[due]:
            return True
    return False


def _summarise(rows: list[dict[str, Any]], now: str, group: dict[str, Any]) -> MetricsGroup:
    def r2(v: float | None) -> float | None:
        return round(v, 2) if v is not None else None

    acks = [m for r in rows if (m := _minutes(r["opened_at"], r["acknowledged_at"])) is not None]
    fixes = [m for r in rows if (m := _minutes(r["opened_at"], r["resolved_at"])) is not None]
    deesc = [m for r in rows if (m := _minutes(r["opened_at"], r["de_escalated_at"])) is not None]
    measured = [r for r in rows if r["first_response_at"] and r["first_response_due"]]
    met = sum(1 for r in measured if r["first_response_at"] <= r["first_response_due"])
    causes = Counter(r["category"] for r in rows if r["category"])
    return MetricsGroup(
        group=group, count=len(rows), open=sum(1 for r in rows if r["status"] not in FINISHED),
        mtta_minutes=r2(mean(acks)) if acks else None,
        mttr_p50_minutes=percentile(fixes, 50), mttr_p90_minutes=percentile(fixes, 90),
        response_compliance=r2(met / len(measured)) if measured else None, responses_measured=len(measured),
        breaches=sum(1 for r in rows if _breached(r, now)),
        re_escalation_rate=r2(sum(1 for r in rows if r["tier_raises"] or r["reopened"]) / len(rows)) if rows else None,
        de_escalation_p50_minutes=percentile(deesc, 50),
        top_causes=causes.most_common(5),
    )


def escalation_metrics(store: Store, date_from: datetime, date_to: datetime, group_by: list[str],
                       now: datetime) -> Metrics:
    """Metrics for escalations opened in [date_from, date_to), overall and per group."""
    bad = [g for g in group_by if g not in GROUPS]
    if bad:
        raise InputError("group_by", f"cannot group by {', '.join(bad)}", allowed=list(GROUPS))
    if date_to <= date_from:
        raise InputError("date_to", "must be after date_from")
    raw = store.all(f"SELECT {', '.join(COLUMNS)} FROM escalations WHERE opened_at >= ? AND opened_at < ?",
                    (iso(date_from), iso(date_to)))
    rows = [dict(zip(COLUMNS, r, strict=True)) for r in raw]
    stamp = iso(now)
    groups: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        groups[tuple(r[g] for g in group_by)].append(r)
    per = [_summarise(v, stamp, dict(zip(group_by, k, strict=True)))
           for k, v in sorted(groups.items(), key=lambda kv: [str(x) for x in kv[0]])] if group_by else []
    return Metrics(date_from=date_from, date_to=date_to, group_by=group_by, total=_summarise(rows, stamp, {}),
                   groups=per)
