"""SLA clock: first-response deadline, update cadence and escalation triggers for a severity.

The target comes from (in this order) an explicit target, a named policy, a vendor plan via the
vendor catalog, or the internal default for the severity. Arithmetic runs on UTC instants and is
rendered in the chosen zone, so daylight-saving changes and business calendars stay exact.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from datetime import timezone as fixed_zone
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from escalation_kit.business_time import (
    BusinessCalendar,
    add_business_minutes,
    add_calendar_days,
    add_working_days,
    business_minutes_between,
    calendar_days_of_note,
    coverage_gap,
    holidays_version,
    parse_window,
    parse_zone,
)
from escalation_kit.errors import InputError, from_validation_error
from escalation_kit.severity import SEVERITIES, Severity
from escalation_kit.sla_policy import (
    NamedPolicy,
    SlaPolicy,
    Stream,
    list_policies,
    load_sla_policy,
    policy_ref,
)

__all__ = ["SlaResult", "SlaTarget", "TimedEvent", "compute_sla_deadlines", "list_policies"]

Status = Literal["on_track", "at_risk", "breached"]
ClockKind = Literal["24x7", "business"]
_TARGET_FORMS = [
    "minutes: integer > 0",
    "clock: 24x7 or business",
    "business_start, business_end: HH:MM",
    "business_hours: HH:MM-HH:MM",
    "timezone: IANA name",
    "calendar: country code, e.g. CN, RU, US",
]
VENDOR_POLICY_FILE = "vendor-escalation.yaml"  # the vendor catalog's playbook policy file
_ISO_FORMS = ["ISO 8601 with an offset, e.g. 2026-03-08T01:30:00-05:00 or 2026-03-08T06:30:00Z"]


class SlaTarget(BaseModel):
    """An explicit target, e.g. an internal SLA, instead of a vendor plan's."""

    minutes: int = Field(gt=0)
    clock: Literal["24x7", "business"] = "24x7"
    business_start: str = Field(default="09:00", pattern=r"^\d{2}:\d{2}$")
    business_end: str = Field(default="18:00", pattern=r"^\d{2}:\d{2}$")
    timezone: str | None = None
    calendar: str | None = Field(default=None, description="Holiday calendar: CN, RU, US...")
    business_hours: str | None = Field(
        default=None, description="e.g. '09:00-18:00'; overrides start/end"
    )


class TimedEvent(BaseModel):
    kind: str
    at: datetime
    label: str = ""
    source: str = Field(default="", description="'vendor', 'policy:<file>' or 'explicit'")


class SlaResult(BaseModel):
    severity: Severity
    opened_at: datetime
    timezone: str
    target_minutes: int
    clock: Literal["24x7", "business"]
    target_source: str
    first_response_due: datetime
    updates: list[TimedEvent] = Field(default_factory=list, description="Internal and customer update times")
    escalation_triggers: list[TimedEvent] = Field(default_factory=list)
    elapsed_minutes: float | None = None
    remaining_minutes: float | None = None
    percent_consumed: float | None = None
    status: Status | None = None
    notes: list[str] = Field(default_factory=list)
    target_label: str = Field(default="", description="What the target is, in words, with its origin")
    business_hours: str | None = Field(default=None, description="Business window used, e.g. '09:00-18:00'")
    calendar: str | None = Field(default=None, description="Holiday calendar used for working days")
    unverified: bool = Field(default=False, description="True when the target figure is not officially confirmed")


@dataclass
class _Target:
    minutes: int
    clock: ClockKind
    source: str
    label: str
    unverified: bool = False
    chain: list[tuple[int, str]] = field(default_factory=list)
    vendor_steps: list[tuple[int, str, str]] = field(default_factory=list)


def parse_instant(value: str | datetime, field_name: str) -> datetime:
    """An aware datetime from ISO 8601 text or a datetime; naive or malformed input is an InputError."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError as exc:
            raise InputError(field_name, f"{value!r} is not an ISO 8601 timestamp", allowed=_ISO_FORMS) from exc
    else:
        raise InputError(field_name, f"expected text, got {type(value).__name__}", allowed=_ISO_FORMS)
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise InputError(field_name, f"{value!s} has no UTC offset (naive time is ambiguous)", allowed=_ISO_FORMS)
    return parsed


def _coerce_target(target: SlaTarget | dict | None) -> SlaTarget | None:
    if target is None or isinstance(target, SlaTarget):
        return target
    if not isinstance(target, dict):
        raise InputError("target", f"expected an object, got {type(target).__name__}", allowed=["SlaTarget fields"])
    try:
        return SlaTarget.model_validate(target)
    except ValidationError as exc:
        flat = from_validation_error(exc, "target")
        raise InputError("target", str(flat).removeprefix("target: "), allowed=_TARGET_FORMS) from exc


def _policy_target(name: str, severity: Severity, tier: int | str | None, pol: SlaPolicy) -> _Target:
    """Run a named policy: pick its step for the severity (select) or start its chain."""
    named: NamedPolicy | None = pol.policies.get(name)
    if named is None:
        raise InputError("policy", f"unknown policy {name!r}", allowed=sorted(pol.policies))
    ref, origin = policy_ref(f"policies.{name}"), pol.source_title(named.source)
    if named.mode == "chain":
        first, offset, chain = named.steps[0], 0, []
        for step in named.steps:
            offset += step.minutes
            chain.append((offset, step.label))
        return _Target(first.minutes, "24x7", ref, f"{named.title}: {first.label} ({origin})", chain=chain)
    given = str(tier).strip().lower() if tier is not None else ""
    step_id = f"tier-{given}" if given.isdigit() else given or named.severity_step.get(severity)
    step = named.step(step_id) if step_id else None
    if step is None:
        raise InputError("tier", f"{tier!r} is not a step of policy {name}", allowed=[s.id for s in named.steps])
    return _Target(step.minutes, "24x7", ref, f"{named.title}: {step.label} ({origin})")


def _vendor_target(vendor: str, severity: Severity, plan: str | None, region: str | None, notes: list[str]) -> _Target:
    """The vendor plan's first-response target, or the internal default (with a note) when it has none."""
    from escalation_kit.vendors import pick_vendor_support_path

    try:
        path = pick_vendor_support_path(vendor, severity, plan=plan, region=region)
    except NotImplementedError as exc:
        raise InputError("vendor", "the vendor catalog is not available in this build", allowed=[]) from exc
    steps = _vendor_steps(path, notes)
    case = path.case_severity
    where = f"{path.vendor_name} {path.plan_name}"
    reason = _no_target_reason(path)
    if reason or case is None or case.response_minutes is None or case.clock not in ("24x7", "business"):
        notes.append(f"{where}: {reason}; the internal default target is used instead.")
        fallback = _default_target(severity, load_sla_policy())
        fallback.vendor_steps = steps
        return fallback
    if not getattr(path, "exact_match", True):
        notes.append(f"{where} has no exact match for {severity}: {getattr(path, 'mapping_reason', '')}".rstrip(": "))
    unverified = case.unverified or any(u.startswith("case_severity") or "response" in u for u in path.unverified)
    if unverified:
        notes.append(f"{where} '{case.name}' response target is unverified in the vendor catalog.")
    minutes = case.response_minutes
    label = f"{where}, case severity '{case.name}': first response within {minutes} min ({case.clock})"
    return _Target(case.response_minutes, case.clock, "vendor", label, unverified, vendor_steps=steps)


def _no_target_reason(path: Any) -> str:
    """Why a vendor path gives the clock no target, or '' when it gives one."""
    case = path.case_severity
    if not path.available or case is None:
        return path.note or "the plan offers no case at this severity"
    if case.response_minutes is None:
        return f"'{case.name}' has no committed first-response time in the catalog"
    if case.clock not in ("24x7", "business"):
        return f"'{case.name}' response clock ({case.clock}) is not stated"
    return ""


def _vendor_steps(path: Any, notes: list[str]) -> list[tuple[int, str, str]]:
    """The vendor path's timed playbook steps as (minutes after opened_at, action, source label)."""
    steps = []
    for step in path.policy:
        if step.after_minutes is None:
            continue
        ref = getattr(step, "id", "") or step.source
        source = step.source if step.source.startswith("policy:") else f"policy:{VENDOR_POLICY_FILE}#{ref}"
        origin = "" if step.source.startswith("policy:") else f" [{step.source}]"
        steps.append((step.after_minutes, f"{step.action}{origin}", source))
    if getattr(path, "plan_assumed", False):
        notes.append(f"No plan given: {path.vendor_name}'s default plan {path.plan_name} was assumed.")
    if any(getattr(s, "relative_to", "") == "case_opened" for s in path.policy):
        notes.append("Vendor steps timed from case filing are counted from opened_at (case assumed filed then).")
    return steps


def _default_target(severity: Severity, pol: SlaPolicy) -> _Target:
    d = pol.default_targets[severity]
    return _Target(d.minutes, d.clock, policy_ref("default_targets"), f"{d.label} ({pol.source_title(d.source)})")


def _resolve_target(
    severity: Severity,
    explicit: SlaTarget | None,
    policy: str | None,
    tier: int | str | None,
    vendor: str | None,
    plan: str | None,
    region: str | None,
    notes: list[str],
) -> _Target:
    """Explicit target, else named policy, else vendor plan, else the internal default."""
    pol = load_sla_policy()
    ignored = [n for n, v in (("policy", policy), ("vendor", vendor)) if v]
    if explicit is not None:
        if ignored:
            notes.append(f"Explicit target given; {', '.join(ignored)} not used for the response target.")
        label = f"explicit target: {explicit.minutes} min ({explicit.clock})"
        return _Target(explicit.minutes, explicit.clock, "explicit", label)
    if policy:
        if vendor:
            notes.append("Named policy given; the vendor's target is not used for the response target.")
        return _policy_target(policy, severity, tier, pol)
    if vendor:
        return _vendor_target(vendor, severity, plan, region, notes)
    return _default_target(severity, pol)


def _zone(timezone: str | None, explicit: SlaTarget | None, opened: datetime, notes: list[str]) -> tuple[tzinfo, str]:
    """The display and business zone: parameter, then target, then opened_at's own offset."""
    name = timezone or (explicit.timezone if explicit else None)
    if name:
        return parse_zone(name, "timezone"), name
    offset = opened.utcoffset() or timedelta()
    zone = fixed_zone(offset)
    label = "UTC" if not offset else zone.tzname(None) or "UTC"
    notes.append(f"No time zone given: using opened_at's fixed offset {label} (no daylight-saving rules).")
    return zone, label


def _window(explicit: SlaTarget | None, business_hours: str | None, pol: SlaPolicy) -> tuple[str, str, bool]:
    """Business window: the parameter, then the explicit target's, then the policy default (flagged)."""
    if business_hours:
        return (*parse_window(business_hours, "business_hours"), False)
    if explicit is None:
        w = pol.default_business_window
        return w.start, w.end, True
    if explicit.business_hours:
        return (*parse_window(explicit.business_hours, "target.business_hours"), False)
    return explicit.business_start, explicit.business_end, False


def _calendar_notes(cal: BusinessCalendar, opened: datetime, due: datetime, horizon: datetime) -> list[str]:
    """Say which holidays and make-up days the business clock met, and where the calendar runs out."""
    notes = []
    skipped, made_up = calendar_days_of_note(opened, due, cal)
    if skipped:
        notes.append(f"Public holidays skipped before the deadline: {'; '.join(skipped[:10])}.")
    if made_up:
        notes.append(f"Official make-up working days counted: {', '.join(made_up[:10])}.")
    gap = coverage_gap(cal, range(opened.year, max(due, horizon).year + 1))
    if gap:
        years = ", ".join(str(y) for y in gap)
        notes.append(
            f"holidays {holidays_version()} has no official transfer schedule for {cal.calendar} {years}: "
            "make-up working days and transferred days off for those years are missing."
        )
    return notes


def _render(instant: datetime, zone: tzinfo) -> datetime:
    """The instant with the zone's offset at that moment, as a fixed offset (safe to compare and subtract)."""
    offset = instant.astimezone(zone).utcoffset() or timedelta()
    return instant.astimezone(fixed_zone(offset))


def _advance(start: datetime, minutes: float, clock: ClockKind, cal: BusinessCalendar) -> datetime:
    """``start`` plus ``minutes`` on the given clock, as a UTC instant."""
    if clock == "business":
        return add_business_minutes(start, minutes, cal)
    return start.astimezone(UTC) + timedelta(minutes=minutes)


def _stream_times(
    opened: datetime, stream: Stream, horizon: datetime, cap: int, cal: BusinessCalendar
) -> list[datetime]:
    """Update instants for one stream, after opened_at and up to the horizon or the cap."""
    times: list[datetime] = []
    for k in range(1, cap + 1):
        n = stream.every * k
        if stream.unit == "hours":
            at = opened.astimezone(UTC) + timedelta(hours=n)
        elif stream.unit == "days":
            at = add_calendar_days(opened, n, cal.zone)
        else:
            at = add_working_days(opened, n, cal)
        if at > horizon:
            break
        times.append(at)
    return times


def _updates(severity: Severity, opened: datetime, cal: BusinessCalendar, cap: int | None) -> list[TimedEvent]:
    """Internal and customer follow-up times from the seed-004 cadence for this severity."""
    pol = load_sla_policy()
    level = pol.severity_levels[severity].level
    cadence = pol.cadence[level]
    horizon = opened.astimezone(UTC) + timedelta(hours=cadence.horizon_hours)
    limit = cap or pol.max_updates_per_stream
    events: list[TimedEvent] = []
    for kind, stream in (("internal_update", cadence.internal), ("customer_update", cadence.customer)):
        label = f"{kind.split('_')[0]} update ({level}: {stream.label})"
        for at in _stream_times(opened, stream, horizon, limit, cal):
            events.append(TimedEvent(kind=kind, at=at, label=label, source=policy_ref(f"cadence.{level}")))
    return sorted(events, key=lambda e: (e.at, e.kind))


def _triggers(
    severity: Severity, opened: datetime, due: datetime, target: _Target, cal: BusinessCalendar
) -> list[TimedEvent]:
    """At-risk thresholds, breach, the policy chain and the playbook escalation steps."""
    pol = load_sla_policy()
    events = [
        TimedEvent(
            kind=t.kind,
            at=_advance(opened, target.minutes * t.percent / 100, target.clock, cal),
            label=f"{t.label} ({target.minutes} min target)",
            source=policy_ref("risk_thresholds"),
        )
        for t in pol.risk_thresholds
    ]
    events.append(TimedEvent(kind="breach", at=due, label=f"Breach: {target.label}", source=target.source))
    for offset, label in target.chain[1:]:
        events.append(
            TimedEvent(
                kind="policy_step",
                at=_advance(opened, offset, "24x7", cal),
                label=label,
                source=target.source,
            )
        )
    steps = target.vendor_steps or [
        (s.after_minutes, s.action, policy_ref("escalation_steps")) for s in pol.escalation_steps.get(severity, [])
    ]
    for after, action, source in steps:
        events.append(
            TimedEvent(kind="policy_step", at=_advance(opened, after, "24x7", cal), label=action, source=source)
        )
    return sorted(events, key=lambda e: e.at)


def _status(
    opened: datetime, now: datetime, target: _Target, cal: BusinessCalendar
) -> tuple[float, float, float, Status]:
    """Elapsed and remaining clock minutes, percent consumed and the status at ``now``."""
    if now < opened:
        raise InputError("now", "is before opened_at", allowed=["a time at or after opened_at"])
    if target.clock == "business":
        elapsed = business_minutes_between(opened, now, cal)
    else:
        elapsed = (now - opened).total_seconds() / 60
    percent = elapsed / target.minutes * 100
    threshold = load_sla_policy().at_risk_from_percent
    status: Status = "breached" if percent >= 100 else "at_risk" if percent >= threshold else "on_track"
    return round(elapsed, 2), round(target.minutes - elapsed, 2), round(percent, 2), status


def _business_notes(
    cal: BusinessCalendar, default_window: bool, opened: datetime, due: datetime, updates: list[TimedEvent]
) -> list[str]:
    """Notes a business-hours clock owes the reader: window origin, calendar used, days skipped."""
    notes = []
    if default_window:
        w = load_sla_policy().default_business_window
        notes.append(f"Business window {w.start}-{w.end} is the project default, not a vendor-published window.")
    if cal.calendar is None:
        notes.append("No holiday calendar given: business days are Monday to Friday, public holidays not skipped.")
    horizon = max((u.at for u in updates), default=due)
    return notes + _calendar_notes(cal, opened, due, horizon)


def _check_severity(severity: str) -> Severity:
    if severity not in SEVERITIES:
        raise InputError("severity", f"{severity!r} is not a severity", allowed=list(SEVERITIES))
    return severity  # type: ignore[return-value]


def compute_sla_deadlines(
    severity: Severity,
    opened_at: str | datetime,
    vendor: str | None = None,
    plan: str | None = None,
    timezone: str | None = None,
    calendar: str | None = None,
    now: str | datetime | None = None,
    target: SlaTarget | dict | None = None,
    policy: str | None = None,
    tier: int | str | None = None,
    region: str | None = None,
    max_updates: int | None = None,
    business_hours: str | None = None,
) -> SlaResult:
    """Deadlines, update times and escalation triggers for one incident, and its status at ``now``."""
    sev = _check_severity(severity)
    opened_given = parse_instant(opened_at, "opened_at")
    opened = opened_given.astimezone(UTC)
    at_now = parse_instant(now, "now").astimezone(UTC) if now is not None else None
    explicit = _coerce_target(target)
    if max_updates is not None and max_updates < 1:
        raise InputError("max_updates", f"{max_updates} is too small", allowed=["an integer of 1 or more"])
    notes: list[str] = []
    chosen = _resolve_target(sev, explicit, policy, tier, vendor, plan, region, notes)
    zone, zone_name = _zone(timezone, explicit, opened_given, notes)
    cal_code = calendar or (explicit.calendar if explicit else None)
    start, end, default_window = _window(explicit, business_hours, load_sla_policy())
    cal = BusinessCalendar.build(zone, start, end, cal_code)
    due = _advance(opened, chosen.minutes, chosen.clock, cal)
    updates = _updates(sev, opened, cal, max_updates)
    if chosen.clock == "business":
        notes += _business_notes(cal, default_window, opened, due, updates)
    result = SlaResult(
        severity=sev,
        opened_at=_render(opened, zone),
        timezone=zone_name,
        target_minutes=chosen.minutes,
        clock=chosen.clock,
        target_source=chosen.source,
        target_label=chosen.label,
        first_response_due=_render(due, zone),
        updates=updates,
        escalation_triggers=_triggers(sev, opened, due, chosen, cal),
        business_hours=f"{start}-{end}" if chosen.clock == "business" else None,
        calendar=cal.calendar,
        unverified=chosen.unverified,
        notes=notes,
    )
    for event in result.updates + result.escalation_triggers:
        event.at = _render(event.at, zone)
    if at_now is not None:
        elapsed, remaining, percent, status = _status(opened, at_now, chosen, cal)
        result.elapsed_minutes, result.remaining_minutes = elapsed, remaining
        result.percent_consumed, result.status = percent, status
    return result
