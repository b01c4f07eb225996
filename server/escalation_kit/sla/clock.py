"""SLA clock: first-response deadline, update cadence and escalation triggers for a severity.

The target comes from ``targets`` (explicit, named policy, vendor plan, internal default). Arithmetic
runs on UTC instants and is rendered in the chosen zone, so daylight-saving changes and business
calendars stay exact.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from datetime import timezone as fixed_zone

from pydantic import ValidationError

from escalation_kit.errors import InputError, from_validation_error
from escalation_kit.lean import construct
from escalation_kit.sla import day_table
from escalation_kit.sla.business_time import (
    BusinessCalendar,
    OutOfDays,
    add_business_minutes,
    add_calendar_days,
    add_working_days,
    business_minutes_between,
    calendar_days_of_note,
    coverage_gap,
    holidays_version,
    parse_window,
    supported_calendars,
)
from escalation_kit.sla.models import SlaResult, SlaTarget, Status, TimedEvent
from escalation_kit.sla.policy import SlaPolicy, Stream, load_sla_policy, policy_ref
from escalation_kit.sla.targets import Target, default_target, resolve_target
from escalation_kit.timezones import parse_instant, parse_zone, zone_country
from escalation_kit.vendors import VendorPath, pick_vendor_support_path
from escalation_kit.vocab import SEVERITIES, ClockKind, Severity

_TARGET_FORMS = [
    "minutes: integer > 0",
    "clock: 24x7 or business",
    "business_start, business_end: HH:MM",
    "business_hours: HH:MM-HH:MM",
    "timezone: IANA name",
    "calendar: country code, e.g. CN, RU, US",
]
# A business clock long past its deadline stops counting this many days after the due instant,
# so a far-future `now` costs no more than a year of calendar days (the figure is then capped).
COUNT_PAST_DUE_DAYS = 365
# A first-response target must fall due within a year of opened_at: at most 525,600 minutes on a
# 24x7 clock, and on a business clock at most the business minutes the window and calendar hold
# in that year (about 134,000 for 09:00-18:00 on a five-day week).
MAX_TARGET_DAYS = 365


def _utc_instant(value: str | datetime, field_name: str) -> tuple[datetime, datetime]:
    """The instant as given and in UTC (``parse_instant`` refuses, naming the field, any outside 1970..2200)."""
    given = parse_instant(value, field_name)
    return given, given.astimezone(UTC)


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


def _window(
    explicit: SlaTarget | None, business_hours: str | None, pol: SlaPolicy, chosen: Target
) -> tuple[str, str, bool]:
    """Business window: the parameter, the explicit target's, the vendor plan's published one, else the default."""
    if business_hours:
        return (*parse_window(business_hours, "business_hours"), False)
    if explicit is None and chosen.window:
        return (*parse_window(chosen.window, "vendor business window"), False)
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
            f"holidays {holidays_version(cal)} has no official transfer schedule for {cal.calendar} {years}: "
            "make-up working days and transferred days off for those years are missing."
        )
    return notes


def _first_due(opened: datetime, target: Target, cal: BusinessCalendar) -> datetime:
    """The first-response due instant; a target that needs more than MAX_TARGET_DAYS is an InputError."""
    year = timedelta(days=MAX_TARGET_DAYS)
    if target.clock == "24x7":
        due = opened + timedelta(minutes=target.minutes) if target.minutes <= year / timedelta(minutes=1) else None
    else:
        try:
            due = add_business_minutes(opened, target.minutes, cal, max_days=MAX_TARGET_DAYS + 2)
        except OutOfDays:
            due = None
    if due is not None and due <= opened + year:
        return due
    most = int(year / timedelta(minutes=1))
    if target.clock == "business":
        most = int(business_minutes_between(opened, opened + year, cal))
        if most == 0:
            raise InputError("calendar", f"no business minutes within {MAX_TARGET_DAYS} days", allowed=[])
    raise InputError(
        "target.minutes",
        f"{target.minutes} {target.clock} minutes do not fall due within {MAX_TARGET_DAYS} days of opened_at",
        allowed=[f"1 to {most} on this {target.clock} clock (one year from opened_at)"],
    )


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
    severity: Severity, opened: datetime, due: datetime, target: Target, cal: BusinessCalendar
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
    opened: datetime, now: datetime, due: datetime, target: Target, cal: BusinessCalendar
) -> tuple[float, float, float, Status]:
    """Elapsed and remaining clock minutes, percent consumed and the status at ``now``.

    Breached only once ``now`` is past the due instant: at the deadline itself the response is
    due, not late (status at_risk, 100 % consumed). A business clock stops counting
    COUNT_PAST_DUE_DAYS after the deadline: later, elapsed is capped at the minutes counted by then.
    """
    if now < opened:
        raise InputError("now", "is before opened_at", allowed=["a time at or after opened_at"])
    if target.clock == "business":
        elapsed = business_minutes_between(opened, min(now, _count_limit(due)), cal)
    else:
        elapsed = (now - opened).total_seconds() / 60
    percent = elapsed / target.minutes * 100
    threshold = load_sla_policy().at_risk_from_percent
    status: Status = "breached" if now > due else "at_risk" if percent >= threshold else "on_track"
    return round(elapsed, 2), round(target.minutes - elapsed, 2), round(percent, 2), status


def _calendar_on_24x7(code: str, severity: Severity, internal_clock: ClockKind) -> str:
    """Say that a holiday calendar does not move a 24x7 target, and what it is still used for."""
    pol = load_sla_policy()
    cadence = pol.cadence[pol.severity_levels[severity].level]
    units = (cadence.internal.unit, cadence.customer.unit)
    uses = ["the business-day update times"] if "business_days" in units else []
    uses += ["internal_due"] if internal_clock == "business" else []
    still = f"It is used only for {' and '.join(uses)}." if uses else "It has no effect on this result."
    return f"Holiday calendar {code} does not affect the 24x7 response target: every hour counts. {still}"


def _count_limit(due: datetime) -> datetime:
    """The last instant a business clock counts elapsed minutes up to."""
    return due + timedelta(days=COUNT_PAST_DUE_DAYS)


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
    return notes + _calendar_notes(cal, opened, due, horizon) + _calendar_rule_notes(cal)


def _calendar_code(code: str | None, notes: list[str]) -> str | None:
    """The calendar to use: a country that needs a subdivision gets the policy's default one, said in notes."""
    if not code or "-" in code.strip():
        return code
    country = code.strip().upper()
    country = "GB" if country in ("UK", "GBR") else country
    default = load_sla_policy().calendar_default_subdivisions.get(country)
    if default is None:
        return code
    notes.append(f"Calendar {code} has no subdivision: using {country}-{default.subdivision}. {default.why}")
    return f"{country}-{default.subdivision}"


def _no_calendar(code: str | None) -> bool:
    """``calendar='none'``: the caller wants plain Monday-Friday days and no calendar inferred from the zone."""
    return code is not None and code.strip().lower() == "none"


def _inferred_calendar(zone_name: str) -> str | None:
    """The holiday calendar of the zone's country when none was given ("Asia/Shanghai" -> CN), if the library has it.

    A business clock in a named zone otherwise counted public holidays as working days unless the caller knew to
    pass a calendar; the zone already says whose holidays they are. Zones of no one country (UTC) infer nothing.
    """
    country = zone_country(zone_name)
    if country is None:
        return None
    if day_table.load_table(country) is not None:  # a snapshot exists: no need to import `holidays` to know
        return country
    return country if country in supported_calendars() else None


def _within_horizon(cal: BusinessCalendar, opened: datetime) -> bool:
    """Whether the calendar's holiday data covers the year the incident opened in (always, for most countries)."""
    years = cal.holiday_data_years()
    return years is None or years[0] <= opened.astimezone(cal.zone).year <= years[1]


def _check_horizon(cal: BusinessCalendar, opened: datetime, last: datetime, notes: list[str]) -> None:
    """Refuse an opened_at outside the holiday data's years; say so when later instants run past it."""
    years = cal.holiday_data_years()
    if years is None:
        return
    first, final = years
    local = opened.astimezone(cal.zone).year
    if not first <= local <= final:
        raise InputError(
            "opened_at", f"holiday calendar {cal.calendar} has data only for {first}-{final}",
            allowed=[f"a date in {first}-{final}, or no calendar"],
        )
    if last.astimezone(cal.zone).year > final:
        notes.append(
            f"Holiday calendar {cal.calendar} has data only up to {final}: days after {final} are counted "
            "as Monday-Friday working days with no public holidays."
        )


def _calendar_rule_notes(cal: BusinessCalendar) -> list[str]:
    """Working-time rules of the calendar's country that the holiday data does not model."""
    if not cal.calendar:
        return []
    rule = load_sla_policy().calendar_notes.get(cal.calendar.split("-")[0])
    return [" ".join(rule.note.split())] if rule else []


def _check_production(production: bool | None, vendor_path: VendorPath | None) -> None:
    """production must be a bool or None, and agree with a vendor path resolved by the caller."""
    if production is not None and not isinstance(production, bool):
        raise InputError("production", f"expected true, false or null, got {production!r}", allowed=["true", "false"])
    if production is not None and vendor_path is not None and vendor_path.production != production:
        raise InputError(
            "production", f"{production} disagrees with the vendor path's production={vendor_path.production}",
            allowed=["the same value the vendor path was resolved with", "null"],
        )


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
    vendor_path: VendorPath | None = None,
    production: bool | None = None,
    state: str | None = None,
    scope: str | None = None,
) -> SlaResult:
    """Deadlines, update times and escalation triggers for one incident, and its status at ``now``.

    A caller that already resolved the vendor path passes it as ``vendor_path``; ``vendor``, ``plan``,
    ``region`` and the facts (``production``, ``state``, ``scope``) are the same choice by name,
    resolved here once, so the case severity to file and the deadline come from one decision.
    """
    sev = _check_severity(severity)
    opened_given, opened = _utc_instant(opened_at, "opened_at")
    at_now = _utc_instant(now, "now")[1] if now is not None else None
    explicit = _coerce_target(target)
    if max_updates is not None and max_updates < 1:
        raise InputError("max_updates", f"{max_updates} is too small", allowed=["an integer of 1 or more"])
    notes: list[str] = []
    named_vendor = vendor_path is not None or bool(vendor)
    _check_production(production, vendor_path)
    if vendor_path is None and vendor and explicit is None and not policy:
        vendor_path = pick_vendor_support_path(  # read only here, so the catalog's parts need no deep copy
            vendor, sev, plan=plan, region=region, production=production, state=state, scope=scope,  # type: ignore[arg-type]
            copy=False,
        )
        if vendor_path.case_severity is not None:
            where = {True: "production", False: "not production", None: "production unknown, read as production"}
            notes.append(
                f"The deadline is for a '{vendor_path.case_severity.name}' case ({where[production]}), "
                "the case severity pick_vendor_support_path gives for the same facts."
            )
    chosen = resolve_target(sev, explicit, policy, tier, vendor_path, notes, named_vendor)
    zone, zone_name = _zone(timezone, explicit, opened_given, notes)
    given_calendar = calendar or (explicit.calendar if explicit else None)
    internal = default_target(sev, load_sla_policy())
    business = "business" in (chosen.clock, internal.clock)
    inferred = given_calendar is None and business and _inferred_calendar(zone_name)
    cal_code = _calendar_code(None if _no_calendar(given_calendar) else given_calendar or inferred or None, notes)
    start, end, default_window = _window(explicit, business_hours, load_sla_policy(), chosen)
    if chosen.window and not business_hours and explicit is None and vendor_path is not None:
        notes.append(
            f"Business window {start}-{end} is {vendor_path.vendor_name} {vendor_path.plan_name}'s published one, "
            "in the customer's local time: pass the customer's timezone and calendar."
        )
    cal = BusinessCalendar.build(zone, start, end, cal_code)
    if inferred and not _within_horizon(cal, opened):
        notes.append(f"The holiday calendar of {zone_name} ({cal.calendar}) has no data for the year the incident "
                     "opened in: no calendar is inferred.")
        cal, inferred = BusinessCalendar.build(zone, start, end, None), None
    if inferred:
        notes.append(
            f"Holiday calendar {cal.calendar} is inferred from the time zone {zone_name}: its public holidays and "
            "make-up working days count. Pass calendar='none' to count Monday to Friday only, or another country code."
        )
    _check_horizon(cal, opened, opened, notes)
    due = _first_due(opened, chosen, cal)
    updates = _updates(sev, opened, cal, max_updates)
    _check_horizon(cal, opened, max([due, *(u.at for u in updates)]), notes)
    internal_cal = cal
    if not default_window and chosen.window and not business_hours and explicit is None:
        w = load_sla_policy().default_business_window  # our internal target keeps our own window
        internal_cal = BusinessCalendar.build(zone, w.start, w.end, cal_code)
    internal_due = (
        due if chosen.source == internal.source else _advance(opened, internal.minutes, internal.clock, internal_cal)
    )
    if chosen.source == "vendor" and due > internal_due:
        notes.append(
            f"The vendor's committed response ({chosen.minutes} min, {chosen.clock}) is later than the internal "
            f"target for this severity ({internal.minutes} min, {internal.clock}); internal_due shows the latter."
        )
    if chosen.clock == "business":
        notes += _business_notes(cal, default_window, opened, due, updates)
    elif cal.calendar:
        notes.append(_calendar_on_24x7(cal.calendar, sev, internal.clock))
    # constructed, not validated: each value is checked above or comes from a validated policy, plan or target
    result = construct(
        SlaResult,
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
        internal_target_minutes=internal.minutes,
        internal_clock=internal.clock,
        internal_due=_render(internal_due, zone),
        internal_target_label=internal.label,
        notes=notes,
    )
    for event in result.updates + result.escalation_triggers:
        event.__dict__["at"] = _render(event.at, zone)  # what pydantic's __setattr__ does, "at" being set already
    if at_now is not None:
        elapsed, remaining, percent, status = _status(opened, at_now, due, chosen, cal)
        result.elapsed_minutes, result.remaining_minutes = elapsed, remaining
        result.percent_consumed, result.status = percent, status
        if chosen.clock == "business" and at_now > _count_limit(due):
            result.notes.append(
                f"now is more than {COUNT_PAST_DUE_DAYS} days past the deadline: business minutes are counted "
                "only up to that point, so elapsed, remaining and percent are capped there (status breached)."
            )
    return result
