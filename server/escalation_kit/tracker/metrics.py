"""Escalation metrics over a period: count, MTTA, MTTR p50/p90, response compliance, breaches, re-escalation.

Read from the cached columns of the escalations table (one indexed range scan), deterministic for a
given ``now``. Definitions follow the metric table in skills/escalation-workflow (seed 002).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from math import fsum
from typing import Any

from escalation_kit.errors import InputError
from escalation_kit.tracker.events import iso
from escalation_kit.tracker.models import FINISHED, Metrics, MetricsGroup
from escalation_kit.tracker.store import Store

GROUPS = ("tier", "severity", "segment", "vendor", "customer", "category", "owner")
COLUMNS = ("tier", "severity", "segment", "vendor", "customer", "category", "owner", "status", "ack_minutes",
           "resolve_minutes", "deesc_minutes", "fr_met", "first_response_at", "first_response_due",
           "vendor_responded_at", "vendor_due", "tier_raises", "reopened")


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


def _facts(row: dict[str, Any], now: str) -> dict[str, Any]:
    """Everything the aggregates need from one row (durations were cached as numbers at write time)."""
    return {"ack": row["ack_minutes"], "fix": row["resolve_minutes"], "deesc": row["deesc_minutes"],
            "measured": row["fr_met"] is not None, "met": row["fr_met"] == 1,
            "breached": _breached(row, now), "open": row["status"] not in FINISHED,
            "re": bool(row["tier_raises"] or row["reopened"]), "cause": row["category"]}


def _summarise(rows: list[dict[str, Any]], group: dict[str, Any]) -> MetricsGroup:
    def r2(v: float | None) -> float | None:
        return round(v, 2) if v is not None else None

    acks = [r["ack"] for r in rows if r["ack"] is not None]
    fixes = [r["fix"] for r in rows if r["fix"] is not None]
    deesc = [r["deesc"] for r in rows if r["deesc"] is not None]
    measured = sum(1 for r in rows if r["measured"])
    met = sum(1 for r in rows if r["met"])
    causes = Counter(r["cause"] for r in rows if r["cause"])
    return MetricsGroup(
        group=group, count=len(rows), open=sum(1 for r in rows if r["open"]),
        mtta_minutes=r2(fsum(acks) / len(acks)) if acks else None,
        mttr_p50_minutes=percentile(fixes, 50), mttr_p90_minutes=percentile(fixes, 90),
        response_compliance=r2(met / measured) if measured else None, responses_measured=measured,
        breaches=sum(1 for r in rows if r["breached"]),
        re_escalation_rate=r2(sum(1 for r in rows if r["re"]) / len(rows)) if rows else None,
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
    stamp = iso(now)
    rows, groups = [], defaultdict(list)
    for values in raw:
        row = dict(zip(COLUMNS, values, strict=True))
        facts = _facts(row, stamp)
        rows.append(facts)
        groups[tuple(row[g] for g in group_by)].append(facts)
    per = [_summarise(v, dict(zip(group_by, k, strict=True)))
           for k, v in sorted(groups.items(), key=lambda kv: [str(x) for x in kv[0]])] if group_by else []
    return Metrics(date_from=date_from, date_to=date_to, group_by=group_by, total=_summarise(rows, {}), groups=per)
