"""SLA clocks driven by the event log, each computed by the pure ``compute_sla_deadlines``.

- first_response: from opened_at, stops at first_response_sent (the internal target for the severity);
- vendor_response: from vendor_case_filed (not opened_at), stops at vendor_responded (the vendor plan's
  target); its "call the account manager" steps fire only while the vendor has not responded;
- customer_update / internal_update: the next update due after the last one sent (seed-004 cadence);
- handoff_response: from a tier raise, stops at handoff_accepted (seed 001: Tier 1 -> 2 in 15 min, 2 -> 3 in 30);
- executive_response: from an executive level's start, stops at executive_engaged (30 m, 1 h, 2 h, immediate).

A pause stops the count of the clocks its reason pauses (PAUSES), on the clock's own 24x7 or
business-hours time; the due instant moves later by the paused minutes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache, lru_cache

from escalation_kit.datafiles import load_yaml
from escalation_kit.errors import DataError
from escalation_kit.paths import references_dir
from escalation_kit.sla import SlaResult, compute_sla_deadlines
from escalation_kit.sla.business_time import BusinessCalendar, add_business_minutes, business_minutes_between
from escalation_kit.sla.policy import load_sla_policy
from escalation_kit.timezones import parse_zone
from escalation_kit.tracker.models import FINISHED, Clock, ClockName, EscalationState

# Which clocks each pause reason stops. Awaiting the customer stops everything we or the vendor owe;
# awaiting the vendor stops only our own first-response count (the vendor's clock keeps running).
PAUSES: dict[str, frozenset[str]] = {
    "awaiting_customer": frozenset({"first_response", "vendor_response", "customer_update"}),
    "awaiting_vendor": frozenset({"first_response"}),
}
OWNERS = {"first_response": "internal", "vendor_response": "vendor", "customer_update": "customer",
          "internal_update": "internal", "handoff_response": "internal", "executive_response": "internal"}
# The handoff into each tier (seed 001's technical handoffs, policy technical-handoffs in sla.yaml); seed 001 has
# no handoff into tier 4, so that one takes seed 002's tier-4 response target (policy workflow-tiers).
HANDOFF_STEPS = {2: ("technical-handoffs", "tier-1-to-2"), 3: ("technical-handoffs", "tier-2-to-3"),
                 4: ("workflow-tiers", "tier-4")}


def _u(value: datetime) -> datetime:
    return value.astimezone(UTC)


def _calendar(state: EscalationState, res: SlaResult) -> BusinessCalendar | None:
    if res.clock != "business" or not res.business_hours:
        return None
    start, end = res.business_hours.split("-")
    return BusinessCalendar.build(parse_zone(state.timezone), start, end, res.calendar)


def _pauses(state: EscalationState, name: str, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """The pause intervals that stop this clock, clipped to [start, end]."""
    spans = [(a, b, r) for a, b, r in state.pauses]
    if state.paused_since is not None:
        spans.append((state.paused_since, end, state.pause_reason or ""))
    out = []
    for a, b, reason in spans:
        if name not in PAUSES.get(reason, ()):
            continue
        lo, hi = max(_u(a), _u(start)), min(_u(b), _u(end))
        if hi > lo:
            out.append((lo, hi))
    return out


def _minutes(spans: list[tuple[datetime, datetime]], cal: BusinessCalendar | None) -> float:
    if cal is None:
        return sum((b - a).total_seconds() for a, b in spans) / 60
    return sum(business_minutes_between(a, b, cal) for a, b in spans)


def _shift(instant: datetime, minutes: float, cal: BusinessCalendar | None) -> datetime:
    if minutes <= 0:
        return _u(instant)
    if cal is None:
        return _u(instant) + timedelta(minutes=minutes)
    return add_business_minutes(_u(instant), minutes, cal)


def _is_paused(state: EscalationState, name: str) -> bool:
    return state.paused_since is not None and name in PAUSES.get(state.pause_reason or "", ())


def _measure(state: EscalationState, name: ClockName, res: SlaResult, start: datetime, due: datetime,
             target: float, stop: datetime | None, now: datetime, wall_clock: bool = False) -> Clock:
    """Elapsed, paused, remaining and status of one clock at ``now`` (or at its stop)."""
    end = _u(stop) if stop is not None else max(_u(now), _u(start))
    cal = None if wall_clock else _calendar(state, res)
    gross = (business_minutes_between(_u(start), end, cal) if cal else (end - _u(start)).total_seconds() / 60)
    paused = _minutes(_pauses(state, name, start, end), cal)
    elapsed = max(0.0, gross - paused)
    running_pause = stop is None and _is_paused(state, name)
    due_at = None if running_pause else _shift(due, paused, cal)
    percent = elapsed / target * 100 if target else 0.0
    if stop is not None:
        status = "met" if elapsed <= target else "missed"
    elif running_pause:
        status = "paused"
    elif elapsed > target:
        status = "breached"
    else:
        status = "at_risk" if percent >= load_sla_policy().at_risk_from_percent else "on_track"
    return Clock(
        name=name, owner=OWNERS[name], started_at=start, stopped_at=stop, target_minutes=round(target),
        clock="24x7" if wall_clock else res.clock, target_label=res.target_label,
        target_source=res.target_source, unverified=res.unverified,
        due_at=due_at, elapsed_minutes=round(elapsed, 2), paused_minutes=round(paused, 2),
        remaining_minutes=round(target - elapsed, 2), percent_consumed=round(percent, 2), status=status,
    )


@lru_cache(maxsize=8192)
def _sla(severity: str, start: datetime, vendor: str | None, plan: str | None, timezone: str, calendar: str | None,
         max_updates: int | None) -> SlaResult:
    """compute_sla_deadlines is pure, so its answer for the same inputs is kept (list_due asks again each pass).

    Callers must not modify the result."""
    return compute_sla_deadlines(severity, start, vendor=vendor, plan=plan, timezone=timezone, calendar=calendar,
                                 max_updates=max_updates)


def first_response_sla(state: EscalationState) -> SlaResult:
    return _sla(state.severity, _u(state.opened_at), None, None, state.timezone, state.calendar, None)


def vendor_sla(state: EscalationState) -> SlaResult | None:
    if state.case_filed_at is None:
        return None
    return _sla(state.severity, _u(state.case_filed_at), state.vendor, state.plan, state.timezone, state.calendar,
                None)


def update_sla(state: EscalationState, kind: str) -> tuple[datetime, SlaResult, datetime] | None:
    """(last update, cadence result, next due) for 'customer_update' or 'internal_update'; None when finished."""
    if state.status in FINISHED:
        return None
    last = state.last_customer_update_at if kind == "customer_update" else state.last_internal_update_at
    base = last or state.opened_at
    res = _sla(state.severity, _u(base), None, None, state.timezone, state.calendar, 1)
    due = next((u.at for u in res.updates if u.kind == kind), None)
    return (base, res, due) if due is not None else None


@cache
def _incident_start_steps() -> frozenset[str]:
    """Playbook steps timed from detection (e.g. 'file within 15 minutes'): moot once the case is filed."""
    data = load_yaml(references_dir() / "policy" / "vendor-escalation.yaml")
    return frozenset(s["id"] for s in data.get("steps", []) if s.get("relative_to") == "incident_start")


def vendor_triggers(state: EscalationState, res: SlaResult, now: datetime | None) -> list[dict]:
    """The vendor playbook steps after filing; a step fires only if the vendor had not responded by then."""
    start = _u(state.case_filed_at) if state.case_filed_at else None
    moot = _incident_start_steps()
    out = []
    for t in res.escalation_triggers:
        if t.kind != "policy_step" or start is None or _u(t.at) <= start or t.source.rsplit("#", 1)[-1] in moot:
            continue
        answered = state.vendor_responded_at is not None and _u(state.vendor_responded_at) <= _u(t.at)
        out.append({"at": t.at, "label": t.label, "source": t.source, "fires": not answered,
                    "fired": (not answered) and now is not None and _u(now) >= _u(t.at)})
    return out


@dataclass(frozen=True)
class FixedTarget:
    """A 24x7 response target in minutes (0 = immediate), with where it comes from."""

    minutes: int
    label: str
    source: str


def handoff_target(tier: int) -> FixedTarget:
    """How soon the receiving tier must pick up a handoff into ``tier`` (read from sla.yaml)."""
    policy, step_id = HANDOFF_STEPS[tier]
    step = load_sla_policy().policies[policy].step(step_id)
    if step is None:
        raise DataError(f"sla.yaml: policy {policy} has no step {step_id}")
    return FixedTarget(step.minutes, step.label, f"policy:sla.yaml#policies.{policy}.{step_id}")


def executive_target(level: int) -> FixedTarget:
    """The executive level's response time from the routing policy (seed 001: 30 m, 1 h, 2 h, immediate)."""
    from escalation_kit.routing.policy import load_routing_policy

    found = load_routing_policy()["executive_levels"][level]
    minutes = int(found["response_minutes"])
    when = "immediate" if minutes == 0 else f"within {minutes} minutes"
    return FixedTarget(minutes, f"Executive level {level} ({found['title']}): {when}",
                       f"policy:routing.yaml#executive_levels.{level}")


def fixed_clocks(state: EscalationState) -> list[tuple[ClockName, datetime, datetime | None, FixedTarget]]:
    """(name, start, stop, target) of the handoff and executive clocks that exist; a finished record stops them."""
    end = None
    if state.status in FINISHED:
        end = state.resolved_at or state.de_escalated_at or state.closed_at
    out: list[tuple[ClockName, datetime, datetime | None, FixedTarget]] = []
    if state.handoff_at is not None and state.handoff_to is not None:
        out.append(("handoff_response", state.handoff_at, state.handoff_accepted_at or end,
                    handoff_target(state.handoff_to)))
    if state.exec_at is not None and state.exec_level:
        out.append(("executive_response", state.exec_at, state.exec_engaged_at or end,
                    executive_target(state.exec_level)))
    return out


def measure_fixed(name: ClockName, start: datetime, stop: datetime | None, target: FixedTarget,
                  now: datetime) -> Clock:
    """A 24x7 clock with no pauses (a pickup is owed even while the customer is awaited)."""
    end = _u(stop) if stop is not None else max(_u(now), _u(start))
    elapsed = (end - _u(start)).total_seconds() / 60
    percent = elapsed / target.minutes * 100 if target.minutes else (0.0 if elapsed <= 0 else 100.0)
    if stop is not None:
        status = "met" if elapsed <= target.minutes else "missed"
    elif elapsed > target.minutes:
        status = "breached"
    else:
        status = "at_risk" if percent >= load_sla_policy().at_risk_from_percent else "on_track"
    return Clock(name=name, owner=OWNERS[name], started_at=start, stopped_at=stop, target_minutes=target.minutes,
                 clock="24x7", target_label=target.label, target_source=target.source,
                 due_at=_u(start) + timedelta(minutes=target.minutes), elapsed_minutes=round(elapsed, 2),
                 remaining_minutes=round(target.minutes - elapsed, 2), percent_consumed=round(percent, 2),
                 status=status)


def compute_clocks(state: EscalationState, now: datetime) -> list[Clock]:
    """Every clock of one escalation at ``now``."""
    clocks = []
    fr = first_response_sla(state)
    clocks.append(_measure(state, "first_response", fr, state.opened_at, fr.first_response_due, fr.target_minutes,
                           state.first_response_at, now))
    vr = vendor_sla(state)
    if vr is not None and state.case_filed_at is not None:
        clock = _measure(state, "vendor_response", vr, state.case_filed_at, vr.first_response_due, vr.target_minutes,
                         state.vendor_responded_at, now)
        clock.triggers = vendor_triggers(state, vr, now)
        clocks.append(clock)
    for kind in ("customer_update", "internal_update"):
        found = update_sla(state, kind)
        if found is None:
            continue
        base, res, due = found
        target = (_u(due) - _u(base)).total_seconds() / 60
        clocks.append(_measure(state, kind, res, base, due, target, None, now, wall_clock=True))  # type: ignore[arg-type]
    clocks += [measure_fixed(name, start, stop, target, now) for name, start, stop, target in fixed_clocks(state)]
    return clocks
