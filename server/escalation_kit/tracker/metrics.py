"""Escalation metrics over a period: count, MTTA, MTTR p50/p90, response, handoff and executive compliance,
breaches, re-escalation; grouped by a field or by week / month of opening (the volume trend).

Aggregated in SQL over the cached columns of the escalations table (counts and sums per group;
only the durations for percentiles and the cause counts come back as rows), deterministic for a
given ``now``. Definitions follow the metric table in skills/escalation-workflow (seed 002).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from escalation_kit.errors import InputError, quote
from escalation_kit.tracker.events import iso
from escalation_kit.tracker.models import CategoryRate, Metrics, MetricsGroup
from escalation_kit.tracker.store import Store

GROUPS = ("tier", "severity", "segment", "vendor", "customer", "category", "owner", "week", "month")
# Groups that are not a column of their own: the ISO week (cached, UTC) and the month of the opening.
EXPRESSIONS = {"week": "opened_week", "month": "SUBSTR(opened_at, 1, 7)"}
PERIODS = ("week", "month")


def iso_week(at: datetime) -> str:
    """The ISO 8601 week of an instant in UTC, e.g. 2026-W10 (sorts as text)."""
    year, week, _ = at.astimezone(UTC).isocalendar()
    return f"{year}-W{week:02d}"


def _periods(kind: str, date_from: datetime, date_to: datetime) -> list[str]:
    """Every week or month label that [date_from, date_to) touches, oldest first (the trend's empty periods)."""
    labels, day = [], date_from.astimezone(UTC)
    end = date_to.astimezone(UTC)
    while day < end:
        label = iso_week(day) if kind == "week" else day.strftime("%Y-%m")
        if not labels or labels[-1] != label:
            labels.append(label)
        day += timedelta(days=1)
    return labels
FINISHED_SQL = "('resolved', 'de_escalated', 'closed')"


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100): deterministic and one of the observed values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return round(ordered[int(rank) - 1], 2)


def _late(stop: str, due: str) -> str:
    """SQL: the clock ended after its due time, is still running past it at `now` (the parameter), or was
    never stopped and the record finished after it (a response that never came stays a breach, seed 000)."""
    return (f"({due} IS NOT NULL AND COALESCE({stop}, CASE WHEN status NOT IN {FINISHED_SQL} THEN ? "
            f"ELSE COALESCE(resolved_at, de_escalated_at) END) > {due})")


AGGREGATES = (
    "COUNT(*)",
    f"SUM(CASE WHEN status NOT IN {FINISHED_SQL} THEN 1 ELSE 0 END)",
    "SUM(ack_minutes)", "COUNT(ack_minutes)",
    "COUNT(fr_met)", "SUM(CASE WHEN fr_met = 1 THEN 1 ELSE 0 END)",
    "SUM(CASE WHEN tier_raises > 0 OR reopened > 0 THEN 1 ELSE 0 END)",
    f"SUM(CASE WHEN {_late('first_response_at', 'first_response_due')} "
    f"OR {_late('vendor_responded_at', 'vendor_due')} OR {_late('handoff_done', 'handoff_due')} "
    f"OR {_late('exec_done', 'exec_due')} THEN 1 ELSE 0 END)",
    "COUNT(handoff_met)", "SUM(CASE WHEN handoff_met = 1 THEN 1 ELSE 0 END)",
    "COUNT(exec_met)", "SUM(CASE WHEN exec_met = 1 THEN 1 ELSE 0 END)",
)
NOW_PARAMS = "".join(AGGREGATES).count("?")  # each running clock is judged at `now`


class _Acc:
    """Running totals of one group (or of everything)."""

    def __init__(self) -> None:
        self.count = self.open = self.ack_n = self.measured = self.met = self.re = self.breaches = 0
        self.handoffs = self.handoffs_met = self.execs = self.execs_met = 0
        self.ack_sum = 0.0
        self.fixes: list[float] = []
        self.deesc: list[float] = []
        self.causes: Counter[str] = Counter()

    def add(self, values: tuple) -> None:
        count, open_, ack_sum, ack_n, measured, met, re, breaches, handoffs, handoffs_met, execs, execs_met = values
        self.handoffs += handoffs or 0
        self.handoffs_met += handoffs_met or 0
        self.execs += execs or 0
        self.execs_met += execs_met or 0
        self.count += count
        self.open += open_ or 0
        self.ack_sum += ack_sum or 0.0
        self.ack_n += ack_n or 0
        self.measured += measured or 0
        self.met += met or 0
        self.re += re or 0
        self.breaches += breaches or 0

    def result(self, group: dict[str, Any]) -> MetricsGroup:
        def r2(v: float | None) -> float | None:
            return round(v, 2) if v is not None else None

        return MetricsGroup(
            group=group, count=self.count, open=self.open,
            mtta_minutes=r2(self.ack_sum / self.ack_n) if self.ack_n else None,
            mttr_p50_minutes=percentile(self.fixes, 50), mttr_p90_minutes=percentile(self.fixes, 90),
            response_compliance=r2(self.met / self.measured) if self.measured else None,
            responses_measured=self.measured, breaches=self.breaches,
            handoff_compliance=r2(self.handoffs_met / self.handoffs) if self.handoffs else None,
            handoffs_measured=self.handoffs,
            executive_compliance=r2(self.execs_met / self.execs) if self.execs else None,
            executive_measured=self.execs,
            re_escalation_rate=r2(self.re / self.count) if self.count else None,
            de_escalation_p50_minutes=percentile(self.deesc, 50),
            top_causes=sorted(self.causes.items(), key=lambda kv: (-kv[1], kv[0]))[:5],
        )


MAX_TICKETS = 10**12  # tickets of one category in one period: far past any help desk (10**400 was taken and echoed)


def escalation_rates(store: Store, span: tuple[str, str], tickets: dict[str, int]) -> list[CategoryRate]:
    """Seed 002's escalation rate per category: escalations opened in the span over the tickets the caller
    counted for that category (the tracker sees only escalated tickets, so the denominator is an input)."""
    for category, count in tickets.items():
        if not isinstance(category, str) or not category.strip():
            raise InputError("tickets", "a category name is empty")
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_TICKETS:
            raise InputError(f"tickets.{category}", f"{quote(count)} is not a ticket count",
                             allowed=[f"a whole number from 1 to {MAX_TICKETS:,}"])
    placeholders = ", ".join("?" for _ in tickets)
    found = dict(store.all(f"SELECT category, COUNT(*) FROM escalations WHERE opened_at >= ? AND opened_at < ? "
                           f"AND category IN ({placeholders}) GROUP BY category", (*span, *tickets)))
    out = []
    for category, count in sorted(tickets.items()):
        escalated = int(found.get(category, 0))
        if escalated > count:
            raise InputError(f"tickets.{category}", f"{count} tickets but {escalated} escalations in the period")
        out.append(CategoryRate(category=category, escalations=escalated, tickets=count,
                                rate=round(escalated / count, 4)))
    return out


def escalation_metrics(store: Store, date_from: datetime, date_to: datetime, group_by: list[str],
                       now: datetime, tickets: dict[str, int] | None = None) -> Metrics:
    """Metrics for escalations opened in [date_from, date_to), overall and per group, aggregated in SQL."""
    bad = [g for g in group_by if g not in GROUPS]
    if bad:
        raise InputError("group_by", f"cannot group by {', '.join(bad)}", allowed=list(GROUPS))
    if date_to <= date_from:
        raise InputError("date_to", "must be after date_from")
    if (date_to - date_from).days > 3660 and any(g in PERIODS for g in group_by):
        raise InputError("date_to", "a trend by week or month covers at most ten years", allowed=["<= 3660 days"])
    span = (iso(date_from), iso(date_to))
    keys = ", ".join(EXPRESSIONS.get(g, g) for g in group_by)
    lead, tail, width = (f"{keys}, ", f" GROUP BY {keys}", len(group_by)) if group_by else ("", "", 0)
    where = " FROM escalations WHERE opened_at >= ? AND opened_at < ?"
    stamp = iso(now)
    groups: dict[tuple, _Acc] = defaultdict(_Acc)
    total = _Acc()
    for row in store.all(f"SELECT {lead}{', '.join(AGGREGATES)}{where}{tail}", (*[stamp] * NOW_PARAMS, *span)):
        if row[width] == 0:
            continue
        groups[tuple(row[:width])].add(row[width:])
        total.add(row[width:])
    for row in store.all(f"SELECT {lead}resolve_minutes, deesc_minutes{where} AND "
                         "(resolve_minutes IS NOT NULL OR deesc_minutes IS NOT NULL)", span):
        acc, (fix, deesc) = groups[tuple(row[:width])], row[width:]
        for target in (acc, total):
            if fix is not None:
                target.fixes.append(fix)
            if deesc is not None:
                target.deesc.append(deesc)
    for row in store.all(f"SELECT {lead}category, COUNT(*){where} AND category IS NOT NULL "
                         f"GROUP BY {lead}category", span):
        groups[tuple(row[:width])].causes[row[width]] += row[width + 1]
        total.causes[row[width]] += row[width + 1]
    if len(group_by) == 1 and group_by[0] in PERIODS:  # a volume trend: a period with nothing counts 0
        for label in _periods(group_by[0], date_from, date_to):
            groups.setdefault((label,), _Acc())
    per = [acc.result(dict(zip(group_by, k, strict=True)))
           for k, acc in sorted(groups.items(), key=lambda kv: [str(x) for x in kv[0]])] if group_by else []
    rates = escalation_rates(store, span, tickets) if tickets else []
    return Metrics(date_from=date_from, date_to=date_to, group_by=group_by, total=total.result({}), groups=per,
                   escalation_rates=rates)
