"""Who holds a role at an instant, and who a tier or a notice tells: pure functions of a schedule and a time.

Handoffs are wall-clock times in the rotation's zone, turned into instants one by one, so a weekly 09:00
handoff is at 09:00 local on both sides of a daylight-saving change (the shift across the change is an
hour shorter or longer). A time that does not exist that day takes the offset from before the change
(PEP 495, ``fold=0``); a time that occurs twice is its first occurrence. An override wins over the
rotation for [start, end).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any
from zoneinfo import ZoneInfo

from escalation_kit.errors import InputError
from escalation_kit.oncall.schedule import EXEC_LEVELS, TIERS, Role, Rotation, Schedule, Shift

UTC = dt.UTC


@dataclass(frozen=True)
class Holder:
    """Who holds ``role`` at an instant, by rotation or override, and the span of that hold (UTC-aware)."""

    role: str
    role_label: str
    person: str | None
    name: str | None
    email: str | None
    source: str  # "rotation", "shift", "override" or "unfilled" (no such role, or no shift covers the time)
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    reason: str = ""
    zone: str = "UTC"  # the rotation's time zone, for showing the span in local time
    shift: str = ""  # the follow-the-sun shift holding the role now, when the role has shifts

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: times as ISO 8601 text; ``shift`` only for a role held by follow-the-sun shifts."""
        out = asdict(self)
        for key in ("since", "until"):
            out[key] = out[key].isoformat() if out[key] else None
        if not out["shift"]:
            del out["shift"]
        return out

    def line(self) -> str:
        """``Senior Engineer: Dana Ruiz <dana@example.com>`` (or ``nobody on the schedule``)."""
        who = f"{self.name} <{self.email}>" if self.person else "nobody on the schedule"
        return f"{self.role_label}{f' ({self.shift})' if self.shift else ''}: {who}"

    def span(self) -> str:
        """``2026-03-09 09:00 EDT to 2026-03-16 09:00 EDT (America/New_York)``, or empty when unfilled."""
        if not (self.since and self.until):
            return ""
        zone = ZoneInfo(self.zone)
        since, until = (t.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z") for t in (self.since, self.until))
        return f"{since} to {until} ({self.zone})"


def handoff_at(rot: Rotation, k: int) -> dt.datetime:
    """The k-th handoff (k = 0 is ``start``) as a UTC instant: the local wall time, first occurrence."""
    day = rot.start + dt.timedelta(days=k * rot.length_days)
    local = dt.datetime.combine(day, rot.handoff, tzinfo=rot.zone)  # fold=0
    return local.astimezone(UTC)


def shift_index(rot: Rotation, when: dt.datetime) -> int:
    """The index k of the shift holding ``when``: handoff_at(k) <= when < handoff_at(k + 1)."""
    local_day = when.astimezone(rot.zone).date()
    k = (local_day - rot.start).days // rot.length_days
    while handoff_at(rot, k) > when:
        k -= 1
    while handoff_at(rot, k + 1) <= when:
        k += 1
    return k


def _aware(when: dt.datetime) -> dt.datetime:
    if when.tzinfo is None or when.utcoffset() is None:
        raise InputError("at", f"{when.isoformat()} has no UTC offset (naive time is ambiguous)")
    return when.astimezone(UTC)


def _by_rotation(schedule: Schedule, role: Role, rot: Rotation, when: dt.datetime) -> Holder:
    k = shift_index(rot, when)
    pid = rot.people[k % len(rot.people)]
    person = schedule.people[pid]
    return Holder(role.id, role.label, pid, person.name, person.email, "rotation", handoff_at(rot, k),
                  handoff_at(rot, k + 1), zone=str(rot.zone.key))


def _window(shift: Shift, when: dt.datetime) -> tuple[dt.datetime, dt.datetime] | None:
    """This day's [start, end) of ``shift`` around ``when`` as UTC instants, or None when it is off shift.

    Local wall times in the shift's zone (first occurrence); a shift whose end is not after its start runs
    past midnight."""
    zone = shift.rotation.zone
    day = when.astimezone(zone).date()
    wraps = shift.end <= shift.start
    for first_day in ((day - dt.timedelta(days=1), day) if wraps else (day,)):
        begin = dt.datetime.combine(first_day, shift.start, tzinfo=zone).astimezone(UTC)
        last_day = first_day + dt.timedelta(days=1) if wraps else first_day
        end = dt.datetime.combine(last_day, shift.end, tzinfo=zone).astimezone(UTC)
        if begin <= when < end:
            return begin, end
    return None


def _by_shifts(schedule: Schedule, role: Role, when: dt.datetime) -> Holder | None:
    """The first shift whose hours cover ``when``, its rotation's person, the hold clipped to the shift."""
    for shift in role.shifts:
        window = _window(shift, when)
        if window is None:
            continue
        held = _by_rotation(schedule, role, shift.rotation, when)
        since, until = max(window[0], held.since or window[0]), min(window[1], held.until or window[1])
        return Holder(held.role, held.role_label, held.person, held.name, held.email, "shift", since, until,
                      zone=held.zone, shift=shift.label)
    return None


def holder(schedule: Schedule, role_id: str, when: dt.datetime) -> Holder:
    """Who holds ``role_id`` at ``when`` (aware): an override covering it, else the rotation's shift."""
    when = _aware(when)
    role = schedule.roles.get(role_id)
    if role is None:
        raise InputError("role", f"{role_id!r} is not a role in {schedule.source}", allowed=sorted(schedule.roles))
    for o in role.overrides:
        if o.start <= when < o.end:
            person = schedule.people[o.person]
            return Holder(role.id, role.label, o.person, person.name, person.email, "override",
                          o.start.astimezone(UTC), o.end.astimezone(UTC), o.reason, str(role.zone.key))
    by_shift = _by_shifts(schedule, role, when) if role.shifts else None
    if by_shift is not None:
        return by_shift
    if role.rotation is not None:
        return _by_rotation(schedule, role, role.rotation, when)
    local = when.astimezone(role.zone).strftime("%H:%M %Z")
    return Holder(role.id, role.label, None, None, None, "unfilled", reason=f"no shift covers {local}",
                  zone=str(role.zone.key))


def _holders(schedule: Schedule, roles: list[str], when: dt.datetime) -> list[Holder]:
    """Each role once, in order; a role the schedule lacks is an unfilled holder, not an error."""
    out: list[Holder] = []
    for rid in dict.fromkeys(roles):
        if rid in schedule.roles:
            out.append(holder(schedule, rid, when))
        else:
            out.append(Holder(rid, rid.replace("_", " "), None, None, None, "unfilled"))
    return out


def _check(value: int, allowed: tuple[int, ...], field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in allowed:
        raise InputError(field, f"{value!r} is out of range", allowed=[str(n) for n in allowed])
    return value


def tier_roles(schedule: Schedule, tier: int) -> tuple[str, ...]:
    """The roles the tier table names for ``tier`` (1-4)."""
    return schedule.tiers[_check(tier, TIERS, "tier")]


def for_tier(schedule: Schedule, tier: int, when: dt.datetime) -> list[Holder]:
    """The people a tier's stakeholders are at ``when`` (seed 002's tier table, through the schedule)."""
    return _holders(schedule, list(tier_roles(schedule, tier)), when)


def notice_roles(schedule: Schedule, kind: str, tier: int, level: int = 0) -> list[str]:
    """The roles a notice of ``kind`` tells: the tier's, the executive level's if the policy says so, ``also``."""
    rule = schedule.notices.get(kind)
    if rule is None:
        raise InputError("kind", f"{kind!r} has no recipients policy", allowed=sorted(schedule.notices))
    roles = list(tier_roles(schedule, tier))
    level = _check(level, (0, *EXEC_LEVELS), "exec_level")  # 0: no executive engaged
    if rule.exec_level and level:
        roles += schedule.exec_levels[_check(level, EXEC_LEVELS, "exec_level")]
    return roles + list(rule.also)


def for_notice(schedule: Schedule, kind: str, tier: int, when: dt.datetime, level: int = 0) -> list[Holder]:
    """The people a notice of ``kind`` for a record at ``tier`` (and executive ``level``) goes to at ``when``."""
    return _holders(schedule, notice_roles(schedule, kind, tier, level), when)


def holders_for(schedule: Schedule, when: dt.datetime, *, role: str | None = None, tier: int | None = None,
                notice: str | None = None, level: int = 0) -> list[Holder]:
    """The answer to one on-call question (the CLI's and the MCP tool's): a role's holder, else a tier's
    notice's recipients, else the tier's people."""
    if role is not None:
        return [holder(schedule, role, when)]
    if tier is None:
        raise InputError("role", "give a role or a tier")
    if notice is not None:
        return for_notice(schedule, notice, tier, when, level)
    return for_tier(schedule, tier, when)
