"""Business-hours arithmetic: add and measure working minutes in a zone, skipping weekends and holidays.

Arithmetic runs on UTC instants; each working day's window is built in local time and converted,
so a window that spans a daylight-saving change counts the minutes that really pass.
Working days come from the `holidays` library, which knows make-up working days (e.g. China's
adjusted Saturdays) through ``is_working_day``.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache, lru_cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from escalation_kit.errors import InputError
from escalation_kit.sla import day_table
from escalation_kit.sla.day_table import DayTable

if TYPE_CHECKING:  # the holidays package is heavy: imported only when a calendar is first used
    import holidays

_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_WINDOW = re.compile(r"^\s*(\d{2}:\d{2})\s*[-\u2013\u2014]\s*(\d{2}:\d{2})\s*$")
_MAX_DAYS = 3700  # about ten years: a calendar with no working day in that span is broken


def parse_hhmm(value: str, field_name: str) -> time:
    """Parse 'HH:MM' (00:00-23:59) or raise an InputError naming the field."""
    match = _HHMM.match(value or "")
    if not match:
        raise InputError(field_name, f"{value!r} is not a time of day", allowed=["HH:MM, 00:00-23:59"])
    return time(int(match[1]), int(match[2]))


def parse_window(value: str, field_name: str = "business_hours") -> tuple[str, str]:
    """Split a window such as '09:00-18:00' (hyphen or en dash) into its two HH:MM ends."""
    match = _WINDOW.match(value or "")
    if not match:
        raise InputError(field_name, f"{value!r} is not a business window", allowed=["HH:MM-HH:MM, e.g. 09:00-18:00"])
    return match[1], match[2]


@cache
def supported_calendars() -> tuple[str, ...]:
    """Two-letter country codes the installed holidays library has calendars for.

    Read from the library's registry, which names every country without importing its module
    (``list_supported_countries`` imports all of them: about 200 ms on a cold start).
    """
    from holidays.registry import COUNTRIES

    return tuple(sorted(names[1] for names in COUNTRIES.values()))


@cache
def _country_codes() -> dict[str, str]:
    """Every two- and three-letter code (CN, CHN) to its two-letter code, from the registry."""
    from holidays.registry import COUNTRIES

    return {alias: names[1] for names in COUNTRIES.values() for alias in names[1:3]}


@cache
def load_calendar(code: str) -> holidays.HolidayBase:
    """Return the holiday calendar for 'CC' or 'CC-SUBDIV' (e.g. CN, RU, US-CA)."""
    country, _, subdiv = code.strip().upper().partition("-")
    if country not in _country_codes():  # also accepts aliases such as CHN
        raise InputError("calendar", f"{code!r} is not a supported country code", allowed=list(supported_calendars()))
    entity = _country_class(_country_codes()[country])
    try:
        return entity(subdiv=subdiv or None)
    except NotImplementedError as exc:
        raise InputError("calendar", f"{code!r}: unknown subdivision of {country}",
                         allowed=list(entity.subdivisions)) from exc


_IMPORT_LOCK = threading.Lock()


@cache
def _country_class(alpha2: str) -> type[holidays.HolidayBase]:
    """The holidays class of one country, importing that country's module only.

    ``holidays.country_holidays`` imports ``holidays.countries``, whose ``__init__`` imports all
    ~200 country modules (about 150 ms on a cold start); the registry names the one module needed.
    A module already imported (e.g. by the whole package) is reused as it is.
    """
    from holidays.registry import COUNTRIES

    module, class_name = next((m, names[0]) for m, names in COUNTRIES.items() if names[1] == alpha2)
    name = f"holidays.countries.{module}"
    with _IMPORT_LOCK:  # the warm-up thread and a call may load the same calendar at once
        loaded = sys.modules.get(name) or _import_alone(name, module)
    return getattr(loaded, class_name)


def _import_alone(name: str, module: str) -> ModuleType:
    """Import one module of ``holidays.countries`` from its file without running the package's ``__init__``.

    A territory whose module builds on another country's (American Samoa on the United States, the
    Aland Islands on Finland) imports through the package, whose ``__init__`` would then meet this
    half-loaded module; such a module, or an unusual install, goes through the library's own import.
    """
    import holidays

    path = Path(holidays.__file__).parent / "countries" / f"{module}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None or "holidays.countries" in _source(path):
        return importlib.import_module(name)
    loaded = importlib.util.module_from_spec(spec)
    sys.modules[name] = loaded
    try:
        spec.loader.exec_module(loaded)
    except BaseException:
        del sys.modules[name]
        raise
    return loaded


def _source(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return "holidays.countries"  # unreadable: let the library import it


@dataclass(frozen=True)
class BusinessCalendar:
    """A business window in a zone plus the working-day rule of an optional holiday calendar.

    Days come from the calendar's snapshot table (``day_table``) when it covers them, else from the
    `holidays` library, which is then imported on first need.
    """

    zone: tzinfo
    start: time
    end: time
    calendar: str | None = None
    _table: DayTable | None = field(default=None, compare=False, repr=False)
    _lib: list[holidays.HolidayBase] = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def build(cls, zone: tzinfo, start: str, end: str, calendar: str | None = None) -> BusinessCalendar:
        """Validate the window and calendar code and return a ready calendar."""
        t_start, t_end = parse_hhmm(start, "business_start"), parse_hhmm(end, "business_end")
        if t_end <= t_start:
            raise InputError(
                "business_end",
                f"window {start}-{end} ends before it starts",
                allowed=["end later than start"],
            )
        if not calendar:
            return cls(zone, t_start, t_end)
        code = calendar.strip().upper()
        table = day_table.load_table(code)
        lib: list[holidays.HolidayBase] = []
        if table is None:  # no snapshot yet (or an unknown code): the library validates, then the table is saved
            lib.append(load_calendar(code))
            day_table.save_table(code, lib[0])
            table = day_table.load_table(code)
        return cls(zone, t_start, t_end, calendar.upper(), table, lib)

    def library(self) -> holidays.HolidayBase:
        """The `holidays` calendar itself, for days the table does not cover (imported on first need)."""
        if not self._lib:
            self._lib.append(load_calendar(self.calendar or ""))
        return self._lib[0]

    def is_working_day(self, day: date) -> bool:
        """Working day: the calendar's rule (holidays, make-up days) or plain Monday-Friday."""
        if self.calendar is None:
            return day.weekday() < 5
        i = self._table.index(day) if self._table else None
        if i is not None:
            return self._table.working[i] == "1"  # type: ignore[union-attr]
        cal = self.library()
        if day.month == 12:  # make-up days for next year's holidays may fall in late December
            _ = date(day.year + 1, 1, 1) in cal
        return cal.is_working_day(day)

    def is_weekend(self, day: date) -> bool:
        """The calendar's own weekend (Friday-Saturday in some countries), else Saturday-Sunday."""
        if self.calendar is None:
            return day.weekday() >= 5
        i = self._table.index(day) if self._table else None
        return self._table.weekend[i] == "1" if i is not None else self.library().is_weekend(day)  # type: ignore[union-attr]

    def holiday_name(self, day: date) -> str | None:
        """The calendar's name for a holiday on ``day``, if any."""
        if self.calendar is None:
            return None
        if self._table and self._table.index(day) is not None:
            return self._table.names.get(day.isoformat())
        return self.library().get(day)

    def window_utc(self, day: date) -> tuple[datetime, datetime]:
        """The business window of a local day as two UTC instants (first to last; see windows_utc)."""
        spans = self.windows_utc(day)
        return (spans[0][0], spans[-1][1]) if spans else (_EMPTY, _EMPTY)

    def windows_utc(self, day: date) -> list[tuple[datetime, datetime]]:
        """The real time spans of a local day whose wall-clock time lies in [start, end), as UTC pairs.

        On a day with a daylight-saving change a window edge may fall in the repeated hour (counted
        only while the wall clock is inside the window) or in the skipped hour (the window starts at
        the first wall time that exists), so the spans follow the wall clock, not edge instants.
        """
        return _windows(self.zone, day, self.start, self.end)

    def holiday_data_years(self) -> tuple[int, int] | None:
        """First and last year the holiday calendar has data for, or None without a calendar."""
        if self.calendar is None:
            return None
        if self._table:
            return self._table.start_year, self._table.end_year
        return self.library().start_year, self.library().end_year

    def local_day(self, instant: datetime) -> date:
        return instant.astimezone(self.zone).date()


_EMPTY = datetime(1970, 1, 1, tzinfo=UTC)


@lru_cache(maxsize=8192)
def _windows(zone: tzinfo, day: date, start: time, end: time) -> list[tuple[datetime, datetime]]:
    """Spans of real time on ``day`` whose wall clock is in [start, end); handles one offset change a day."""
    midnight = datetime.combine(day, time(0), zone).astimezone(UTC)
    next_midnight = datetime.combine(day + timedelta(days=1), time(0), zone).astimezone(UTC)
    before, after = midnight.astimezone(zone).utcoffset(), next_midnight.astimezone(zone).utcoffset()
    if before == after:  # no change today: the usual case
        open_ = datetime.combine(day, start, zone).astimezone(UTC)
        return [(open_, datetime.combine(day, end, zone).astimezone(UTC))]
    change = _offset_change(zone, midnight, next_midnight)
    spans = []
    for offset, lo, hi in ((before, midnight, change), (after, change, next_midnight)):
        assert offset is not None
        wall_open = (datetime.combine(day, start) - offset).replace(tzinfo=UTC)
        wall_close = (datetime.combine(day, end) - offset).replace(tzinfo=UTC)
        a, b = max(wall_open, lo), min(wall_close, hi)
        if a < b:
            spans.append((a, b))
    return spans


def _offset_change(zone: tzinfo, lo: datetime, hi: datetime) -> datetime:
    """The first UTC instant in (lo, hi] whose offset differs from lo's (binary search to the second)."""
    first = lo.astimezone(zone).utcoffset()
    while hi - lo > timedelta(seconds=1):
        mid = lo + (hi - lo) / 2
        mid = mid.replace(microsecond=0)
        if mid.astimezone(zone).utcoffset() == first:
            lo = mid
        else:
            hi = mid
    return hi


class OutOfDays(InputError):
    """The business minutes asked for do not fit in the days the search may walk."""


def add_business_minutes(
    start: datetime, minutes: float, cal: BusinessCalendar, max_days: int = _MAX_DAYS
) -> datetime:
    """The UTC instant after ``minutes`` of business time counted from ``start``, within ``max_days`` days."""
    remaining = timedelta(minutes=minutes)
    cursor = start.astimezone(UTC)
    day = cal.local_day(cursor)
    for _ in range(max_days):
        if cal.is_working_day(day):
            for open_, close in cal.windows_utc(day):
                begin = max(cursor, open_)
                if begin < close:
                    available = close - begin
                    if remaining <= available:
                        return begin + remaining
                    remaining -= available
        day += timedelta(days=1)
    raise OutOfDays(
        "calendar", f"no working day found within {max_days} days", allowed=["a calendar with working days"]
    )


def business_minutes_between(start: datetime, end: datetime, cal: BusinessCalendar) -> float:
    """Business minutes in [start, end]; negative when end is before start."""
    if end < start:
        return -business_minutes_between(end, start, cal)
    total = timedelta()
    day, last = cal.local_day(start), cal.local_day(end)
    while day <= last:
        if cal.is_working_day(day):
            for open_, close in cal.windows_utc(day):
                overlap = min(close, end) - max(open_, start)
                if overlap > timedelta():
                    total += overlap
        day += timedelta(days=1)
    return total.total_seconds() / 60


def add_working_days(start: datetime, days: int, cal: BusinessCalendar) -> datetime:
    """Same local wall time on the ``days``-th following working day (UTC instant)."""
    local = start.astimezone(cal.zone)
    day = local.date()
    for _ in range(days):
        day += timedelta(days=1)
        while not cal.is_working_day(day):
            day += timedelta(days=1)
    return datetime.combine(day, local.time().replace(tzinfo=None), cal.zone).astimezone(UTC)


def add_calendar_days(start: datetime, days: int, zone: tzinfo) -> datetime:
    """Same local wall time ``days`` calendar days later (a DST change keeps the wall time)."""
    local = start.astimezone(zone)
    later = datetime.combine(local.date() + timedelta(days=days), local.time().replace(tzinfo=None), zone)
    return later.astimezone(UTC)


def calendar_days_of_note(start: datetime, end: datetime, cal: BusinessCalendar) -> tuple[list[str], list[str]]:
    """Holidays skipped on weekdays and make-up working days counted on weekends, in [start, end]."""
    skipped: list[str] = []
    made_up: list[str] = []
    day, last = cal.local_day(start), cal.local_day(end)
    while day <= last and cal.calendar:
        working = cal.is_working_day(day)
        weekend = cal.is_weekend(day)
        if not weekend and not working:
            skipped.append(f"{day.isoformat()} {cal.holiday_name(day) or 'day off'}")
        elif weekend and working:
            made_up.append(day.isoformat())
        day += timedelta(days=1)
    return skipped, made_up


def holidays_version(cal: BusinessCalendar | None = None) -> str:
    """Version of the holidays library behind ``cal``'s answers (or installed), quoted when its data runs out."""
    if cal is not None and cal._table is not None:
        return cal._table.version
    import holidays

    return holidays.__version__


def coverage_gap(cal: BusinessCalendar, years: range) -> list[int]:
    """Years the calendar cannot answer fully: it moves days off by decree but has no schedule for them.

    Countries such as China and Russia publish each year's transferred days off and make-up working
    days by government notice; the holidays library knows them only up to its release.
    """
    if cal.calendar is None:
        return []
    last = cal._table.gap_after if cal._table else day_table.transfer_schedule_end(cal.library())
    return [y for y in years if y > last] if last is not None else []
