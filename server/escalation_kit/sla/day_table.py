"""Working days of a holiday calendar as a snapshot, so a business clock needs no `holidays` import.

Importing `holidays` and one country costs 25-50 ms (its calendars, groups and dateutil), more than a
whole tool call should. A calendar's answers only change with the library's release, so the first
use of a calendar code computes, for every day of ``YEARS``, whether it is a working day, whether it
is a weekend day and its holiday name, and stores them as JSON in the data snapshot folder
(``datafiles.cache_dir``), keyed by the code and the installed release. Later processes read the
table; a day outside ``YEARS`` still goes to the library. ``tests/sla/test_day_table.py`` checks
every day of the table against the library.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from escalation_kit.datafiles import cache_dir

if TYPE_CHECKING:
    import holidays

YEARS = range(2015, 2041)
FORMAT = "1"
_CODE = re.compile(r"[A-Z]{2,3}(-[A-Z0-9]{1,5})?")


@dataclass(frozen=True)
class DayTable:
    """One calendar's days in ``first`` .. ``first + len(working) - 1``, plus its data facts."""

    first: date
    working: str  # "1" per working day, "0" otherwise, one character per day from ``first``
    weekend: str  # "1" per day of the calendar's own weekend
    names: dict[str, str]  # ISO date -> holiday name, for every holiday in the range
    start_year: int
    end_year: int
    version: str  # the holidays release the table was computed with
    gap_after: int | None  # last year with a decreed transfer schedule, when the calendar uses transfers

    def index(self, day: date) -> int | None:
        """The day's position in the table, or None outside it."""
        i = (day - self.first).days
        return i if 0 <= i < len(self.working) else None


@cache
def release_key() -> str | None:
    """The installed holidays release and location, read without importing it; None when not found."""
    spec = importlib.util.find_spec("holidays")
    if spec is None or spec.origin is None:
        return None
    package = Path(spec.origin).parent
    # the names glob("holidays-*.dist-info") gives, without its per-entry matching (0.5 -> 0.15 ms, 145 entries)
    dists = sorted(n for n in os.listdir(package.parent) if n.startswith("holidays-") and n.endswith(".dist-info"))
    if len(dists) != 1:
        return None
    stat = (package / "holiday_base.py").stat()
    return f"{dists[0]}|{package}|{stat.st_size}|{stat.st_mtime_ns}"


@cache
def load_table(code: str) -> DayTable | None:
    """The table for a calendar code from the snapshot folder, or None when there is none yet."""
    path = _path(code)
    if path is None:
        return None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return DayTable(first=date.fromisoformat(raw["first"]), **{k: v for k, v in raw.items() if k != "first"})
    except (OSError, ValueError, TypeError, KeyError):
        return None


def save_table(code: str, cal: holidays.HolidayBase) -> None:
    """Compute the table from a loaded calendar and store it; an unwritable folder is not an error."""
    path = _path(code)
    if path is None:
        return
    table = compute_table(cal)
    data: dict[str, Any] = {**table.__dict__, "first": table.first.isoformat()}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        os.replace(partial, path)
    except OSError:
        return
    load_table.cache_clear()


def compute_table(cal: holidays.HolidayBase) -> DayTable:
    """Every day of ``YEARS`` as the library answers once all those years (and the next) are loaded."""
    import holidays as lib

    for year in range(YEARS.start, YEARS.stop + 1):  # the next year too: its make-up days may fall in December
        _ = date(year, 6, 1) in cal
    first, last = date(YEARS.start, 1, 1), date(YEARS.stop - 1, 12, 31)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return DayTable(
        first=first,
        working="".join("1" if cal.is_working_day(d) else "0" for d in days),
        weekend="".join("1" if cal.is_weekend(d) else "0" for d in days),
        names={d.isoformat(): name for d, name in sorted(cal.items()) if first <= d <= last},
        start_year=cal.start_year,
        end_year=cal.end_year,
        version=lib.__version__,
        gap_after=transfer_schedule_end(cal),
    )


def transfer_schedule_end(cal: holidays.HolidayBase) -> int | None:
    """The last year of decreed transfers, when the calendar moves days off by decree; else None.

    Countries such as China and Russia publish each year's transferred days off and make-up working
    days by government notice; the holidays library knows them only up to its release.
    """
    special = getattr(cal, "special_public_holidays", None) or {}
    if not special:
        return None
    last = max(special)
    _ = date(last, 6, 1) in cal  # populate the last known year
    uses_transfers = any(d.year == last for d in cal.weekend_workdays) or any(
        "substituted" in name.lower() for d, name in cal.items() if d.year == last
    )
    return last if uses_transfers else None


def _path(code: str) -> Path | None:
    release = release_key()
    if release is None or not _CODE.fullmatch(code):
        return None
    digest = hashlib.blake2b(f"{FORMAT}|{release}|{YEARS}".encode(), digest_size=8).hexdigest()
    return cache_dir() / "calendars" / f"{code}-{digest}.json"
