"""Read and validate an on-call schedule: people, roles with a rotation and dated overrides, who a tier tells.

Every problem is an ``InputError`` whose field is the file and the dotted path inside it
(``oncall.yaml: roles.vp.rotation.timezone``), so the person who wrote the file can find the line.
The schedule is our (or the user's) policy, not vendor fact; the shipped file is an example.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from escalation_kit.datafiles import load_yaml
from escalation_kit.errors import DataError, InputError, quote
from escalation_kit.paths import references_dir
from escalation_kit.timezones import parse_zone

SCHEDULE_FILE = "policy/oncall.yaml"
TIERS_FILE = "policy/oncall-tiers.yaml"
ENV_SCHEDULE = "ESCALATION_KIT_ONCALL_SCHEDULE"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
TIERS = (1, 2, 3, 4)
EXEC_LEVELS = (1, 2, 3, 4)
MAX_FILE_BYTES = 1_000_000
MAX_LENGTH_DAYS = 366
_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_EMAIL = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")


@dataclass(frozen=True)
class Person:
    """Someone who can be on call: an id, a display name and the address notices go to."""

    id: str
    name: str
    email: str


@dataclass(frozen=True)
class Override:
    """A dated swap: ``person`` holds the role from ``start`` (inclusive) to ``end`` (exclusive)."""

    start: dt.datetime
    end: dt.datetime
    person: str
    reason: str


@dataclass(frozen=True)
class Rotation:
    """People in order; the next takes over every ``length_days`` days at ``handoff`` local time in ``zone``."""

    people: tuple[str, ...]
    zone: ZoneInfo
    start: dt.date
    handoff: dt.time
    length_days: int


@dataclass(frozen=True)
class Shift:
    """Follow the sun: the part of each day from ``start`` to ``end`` (local to its rotation's zone; it may
    wrap past midnight) is held by this shift's own rotation."""

    label: str
    start: dt.time
    end: dt.time
    rotation: Rotation


@dataclass(frozen=True)
class Role:
    """One on-call role: its label, rotation and overrides (sorted by start, never overlapping), and the
    daily shifts that take precedence over the rotation (which then covers only the hours no shift does)."""

    id: str
    label: str
    rotation: Rotation | None
    overrides: tuple[Override, ...]
    shifts: tuple[Shift, ...] = ()

    @property
    def zone(self) -> ZoneInfo:
        """The zone an override's local time is read in: the rotation's, else the first shift's."""
        return (self.rotation or self.shifts[0].rotation).zone


@dataclass(frozen=True)
class Notify:
    """Which roles a notice kind tells besides the tier's: the executive level's, and ``also``."""

    exec_level: bool
    also: tuple[str, ...]


@dataclass(frozen=True)
class Schedule:
    """A validated schedule and the tier table it is read with."""

    source: str
    people: Mapping[str, Person]
    roles: Mapping[str, Role]
    tiers: Mapping[int, tuple[str, ...]]
    exec_levels: Mapping[int, tuple[str, ...]]
    notices: Mapping[str, Notify]


class _Ctx:
    """Where we are in the file, for error messages: the file's name and a dotted path."""

    def __init__(self, name: str) -> None:
        self.name = name

    def fail(self, where: str, message: str) -> InputError:
        return InputError(f"{self.name}: {where}", message)

    def get(self, node: Any, key: str, where: str, kind: type | tuple[type, ...]) -> Any:
        if not isinstance(node, dict) or key not in node:
            raise self.fail(f"{where}.{key}".lstrip("."), "is missing")
        value = node[key]
        if not isinstance(value, kind) or isinstance(value, bool) and bool not in _types(kind):
            raise self.fail(f"{where}.{key}".lstrip("."), f"expected {_kind_name(kind)}, got {quote(value)}")
        return value


def _types(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {dict: "a mapping", list: "a list", str: "text", int: "a whole number", bool: "true or false"}
    return " or ".join(names.get(k, k.__name__) for k in _types(kind))


def _people(ctx: _Ctx, data: dict[str, Any]) -> dict[str, Person]:
    raw = ctx.get(data, "people", "", dict)
    if not raw:
        raise ctx.fail("people", "is empty: list at least one person")
    out = {}
    for pid, spec in raw.items():
        where = f"people.{pid}"
        if not isinstance(pid, str) or not _ID.match(pid):
            raise ctx.fail(where, "a person id is lower-case letters, digits and _ (e.g. ana or j_smith)")
        email = ctx.get(spec, "email", where, str).strip()
        if not _EMAIL.match(email):
            raise ctx.fail(f"{where}.email", f"{quote(email)} is not an e-mail address")
        name = str(spec.get("name") or pid) if isinstance(spec, dict) else pid
        out[pid] = Person(pid, " ".join(name.split())[:100], email)
    return out


def _date(ctx: _Ctx, value: Any, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        raise ctx.fail(where, f"{quote(str(value))} is a time; give a date such as 2026-01-05")
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ctx.fail(where, f"{quote(value)} is not a date such as 2026-01-05") from None


def _clock(ctx: _Ctx, raw: Any, where: str) -> dt.time:
    """A quoted 24-hour "HH:MM" wall-clock time."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        raise ctx.fail(where, "YAML read the time as a number; quote it, e.g. \"09:00\"")
    match = _TIME.match(str(raw)) if isinstance(raw, str) else None
    if not match:
        raise ctx.fail(where, f"{quote(raw)} is not a 24-hour time HH:MM such as \"09:00\"")
    return dt.time(int(match[1]), int(match[2]))


def _handoff(ctx: _Ctx, rot: dict[str, Any], where: str) -> tuple[str | None, dt.time]:
    spec = ctx.get(rot, "handoff", where, dict)
    time = _clock(ctx, spec.get("time"), f"{where}.handoff.time")
    day = spec.get("weekday")
    if day is not None and (not isinstance(day, str) or day.lower() not in WEEKDAYS):
        raise InputError(f"{ctx.name}: {where}.handoff.weekday", f"{quote(day)} is not a weekday", allowed=WEEKDAYS)
    return (day.lower() if day else None), time


def _rotation(ctx: _Ctx, spec: Any, where: str, people: Mapping[str, Person]) -> Rotation:
    where = f"{where}.rotation"
    rot = ctx.get(spec, "rotation", where.rsplit(".", 1)[0], dict)
    order = ctx.get(rot, "people", where, list)
    if not order:
        raise ctx.fail(f"{where}.people", "is empty: a rotation needs at least one person")
    for i, pid in enumerate(order):
        if pid not in people:
            raise ctx.fail(f"{where}.people[{i}]", f"{quote(pid)} is not in people")
    try:
        zone = parse_zone(rot.get("timezone"), "timezone")
    except InputError as exc:
        raise InputError(f"{ctx.name}: {where}.timezone", str(exc).split(": ", 1)[1]) from None
    start = _date(ctx, ctx.get(rot, "start", where, (str, dt.date)), f"{where}.start")
    weekday, time = _handoff(ctx, rot, where)
    length = ctx.get(rot, "length_days", where, int)
    if not 1 <= length <= MAX_LENGTH_DAYS:
        raise ctx.fail(f"{where}.length_days", f"{length} is out of range (1 to {MAX_LENGTH_DAYS})")
    if weekday is not None:
        if WEEKDAYS[start.weekday()] != weekday:
            raise ctx.fail(f"{where}.start", f"{start} is a {WEEKDAYS[start.weekday()]}, not the handoff weekday "
                           f"{weekday}")
        if length % 7:
            raise ctx.fail(f"{where}.length_days", f"{length} days would move the handoff off {weekday}; use a "
                           "multiple of 7 or leave out handoff.weekday")
    return Rotation(tuple(order), zone, start, time, length)


def _instant(ctx: _Ctx, value: Any, where: str, zone: ZoneInfo) -> dt.datetime:
    """An aware datetime; a wall time without offset is read in the rotation's zone (first occurrence)."""
    if isinstance(value, dt.datetime):
        parsed = value
    else:
        try:
            parsed = dt.datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise ctx.fail(where, f"{quote(value)} is not an ISO 8601 time such as 2026-12-24T09:00") from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=zone)


def _overrides(ctx: _Ctx, spec: dict[str, Any], where: str, rot: Rotation,
               people: Mapping[str, Person]) -> tuple[Override, ...]:
    raw = spec.get("overrides") or []
    if not isinstance(raw, list):
        raise ctx.fail(f"{where}.overrides", f"expected a list, got {quote(raw)}")
    found = []
    for i, item in enumerate(raw):
        here = f"{where}.overrides[{i}]"
        person = ctx.get(item, "person", here, str)
        if person not in people:
            raise ctx.fail(f"{here}.person", f"{quote(person)} is not in people")
        start = _instant(ctx, ctx.get(item, "start", here, (str, dt.datetime)), f"{here}.start", rot.zone)
        end = _instant(ctx, ctx.get(item, "end", here, (str, dt.datetime)), f"{here}.end", rot.zone)
        if end <= start:
            raise ctx.fail(f"{here}.end", f"{end.isoformat()} is not after start {start.isoformat()}")
        found.append((start, end, i, Override(start, end, person, str(item.get("reason") or ""))))
    found.sort(key=lambda f: (f[0], f[1]))
    for (_, end_a, i, _a), (start_b, _, j, _b) in zip(found, found[1:], strict=False):
        if start_b < end_a:
            raise ctx.fail(f"{where}.overrides[{j}]", f"overlaps overrides[{i}] (one person holds a role at a time)")
    return tuple(f[3] for f in found)


def _shifts(ctx: _Ctx, spec: dict[str, Any], where: str, people: Mapping[str, Person]) -> tuple[Shift, ...]:
    """A role's daily follow-the-sun shifts, each with its hours and its own rotation."""
    raw = spec.get("shifts")
    if raw is None:
        return ()
    if not isinstance(raw, list) or not raw:
        raise ctx.fail(f"{where}.shifts", f"expected a non-empty list of shifts, got {quote(raw)}")
    out = []
    for i, item in enumerate(raw):
        here = f"{where}.shifts[{i}]"
        hours = ctx.get(item, "hours", here, dict)
        start = _clock(ctx, hours.get("from"), f"{here}.hours.from")
        end = _clock(ctx, hours.get("to"), f"{here}.hours.to")
        if start == end:
            raise ctx.fail(f"{here}.hours", "from and to are the same time; a whole day is a rotation, not a shift")
        label = " ".join(str(item.get("label") or f"shift {i + 1}").split())[:60]
        out.append(Shift(label, start, end, _rotation(ctx, item, here, people)))
    return tuple(out)


def _roles(ctx: _Ctx, data: dict[str, Any], people: Mapping[str, Person]) -> dict[str, Role]:
    raw = ctx.get(data, "roles", "", dict)
    if not raw:
        raise ctx.fail("roles", "is empty: list at least one role")
    out = {}
    for rid, spec in raw.items():
        where = f"roles.{rid}"
        if not isinstance(rid, str) or not _ID.match(rid):
            raise ctx.fail(where, "a role id is lower-case letters, digits and _ (e.g. senior_engineer)")
        if not isinstance(spec, dict):
            raise ctx.fail(where, f"expected a mapping, got {quote(spec)}")
        shifts = _shifts(ctx, spec, where, people)
        rot = _rotation(ctx, spec, where, people) if "rotation" in spec or not shifts else None
        label = " ".join(str(spec.get("label") or rid.replace("_", " ")).split())[:100]
        zone_of = rot or shifts[0].rotation
        out[rid] = Role(rid, label, rot, _overrides(ctx, spec, where, zone_of, people), shifts)
    return out


def _role_table(ctx: _Ctx, data: dict[str, Any], key: str, numbers: tuple[int, ...]) -> dict[int, tuple[str, ...]]:
    raw = ctx.get(data, key, "", dict)
    table = {}
    for name, spec in raw.items():
        if str(name) not in {str(n) for n in numbers}:
            raise InputError(f"{ctx.name}: {key}.{name}", "is not a known number", allowed=[str(n) for n in numbers])
        roles = ctx.get(spec, "roles", f"{key}.{name}", list)
        if not roles or not all(isinstance(r, str) and _ID.match(r) for r in roles):
            raise ctx.fail(f"{key}.{name}.roles", f"expected a list of role ids, got {quote(roles)}")
        table[int(name)] = tuple(roles)
    missing = [n for n in numbers if n not in table]
    if missing:
        raise ctx.fail(key, f"has no entry for {', '.join(map(str, missing))}")
    return table


def _notices(ctx: _Ctx, data: dict[str, Any]) -> dict[str, Notify]:
    out = {}
    for kind, spec in ctx.get(data, "notices", "", dict).items():
        where = f"notices.{kind}"
        also = spec.get("also") or [] if isinstance(spec, dict) else None
        if not isinstance(also, list) or not all(isinstance(r, str) and _ID.match(r) for r in also):
            raise ctx.fail(f"{where}.also", f"expected a list of role ids, got {quote(also)}")
        out[str(kind)] = Notify(bool(spec.get("exec_level", False)), tuple(also))
    return out


def _strict_yaml(text: str) -> Any:
    """Safe YAML that refuses a key given twice in one mapping (PyYAML would keep the last, dropping a role)."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Strict(base):  # type: ignore[misc, valid-type]
        def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
            seen: set[Any] = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                if key in seen:
                    raise yaml.MarkedYAMLError(problem=f"the key {key!r} is given twice",
                                               problem_mark=key_node.start_mark)
                seen.add(key)
            return super().construct_mapping(node, deep=deep)

    return yaml.load(text, Loader=Strict)  # noqa: S506 - a safe loader


def _read(path: Path, label: str) -> dict[str, Any]:
    try:
        with path.open(encoding="utf-8") as fh:  # read no further: /dev/zero or a FIFO has no size to check first
            text = fh.read(MAX_FILE_BYTES + 1)
        if len(text) > MAX_FILE_BYTES:
            raise InputError(label, f"{path} is larger than {MAX_FILE_BYTES} characters; is it the right file?")
    except OSError as exc:
        raise InputError(label, f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise InputError(label, f"{path} is not UTF-8 text") from None
    try:
        data = _strict_yaml(text)
    except Exception as exc:  # noqa: BLE001 - any YAML error is the file's fault, reported as such
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark is not None else ""
        raise InputError(label, f"{path} is not valid YAML{line}: {getattr(exc, 'problem', None) or exc}") from None
    if not isinstance(data, dict):
        raise InputError(label, f"{path} must hold a mapping with people and roles")
    return data


def parse_schedule(data: dict[str, Any], name: str, tiers: dict[str, Any] | None = None) -> Schedule:
    """A Schedule from parsed YAML; ``tiers`` (the shipped table) fills each of tiers, exec_levels and notices
    the file does not give itself, and an error in one names the file it came from."""
    ctx = _Ctx(name)
    people = _people(ctx, data)
    roles = _roles(ctx, data, people)
    shipped = _Ctx(str(references_dir() / TIERS_FILE))

    def section(key: str) -> tuple[_Ctx, dict[str, Any]]:
        return (ctx, data) if key in data else (shipped, tiers or {})

    return Schedule(name, people, roles, _role_table(*section("tiers"), "tiers", TIERS),
                    _role_table(*section("exec_levels"), "exec_levels", EXEC_LEVELS), _notices(*section("notices")))


def default_schedule_path() -> Path:
    """$ESCALATION_KIT_ONCALL_SCHEDULE when set, else the shipped example."""
    env = os.environ.get(ENV_SCHEDULE, "").strip()
    return Path(env) if env else references_dir() / SCHEDULE_FILE


def load_schedule(path: str | Path | None = None, label: str = "--schedule") -> Schedule:
    """The schedule at ``path`` (or the default), validated; problems are InputErrors naming the field.

    A problem in the shipped example or the shipped tier table is ours, so it is a DataError instead.
    """
    target = Path(path) if path else default_schedule_path()
    tiers_path = references_dir() / TIERS_FILE
    shipped = target.resolve() == (references_dir() / SCHEDULE_FILE).resolve()
    try:
        return parse_schedule(_read(target, label), str(target), load_yaml(tiers_path))
    except InputError as exc:
        if shipped or str(tiers_path) in str(exc):
            raise DataError(str(exc)) from None
        raise
