"""The calendar day tables answer exactly as the holidays library does, and never outlive its release."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays
import pytest

from escalation_kit import datafiles
from escalation_kit.errors import InputError
from escalation_kit.sla import compute_sla_deadlines, day_table
from escalation_kit.sla.business_time import BusinessCalendar, coverage_gap, holidays_version

ZONE = ZoneInfo("UTC")


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(datafiles.CACHE_ENV, str(tmp_path))
    day_table.load_table.cache_clear()
    yield tmp_path
    day_table.load_table.cache_clear()


@pytest.mark.parametrize("code", ["CN", "RU", "US", "IL", "US-CA"])  # IL: a Friday-Saturday weekend
def test_table_matches_the_library_on_every_day(code: str) -> None:
    BusinessCalendar.build(ZONE, "09:00", "18:00", code)  # computes and saves the table
    day_table.load_table.cache_clear()
    cal = BusinessCalendar.build(ZONE, "09:00", "18:00", code)
    assert cal._table is not None and not cal._lib  # answered from the saved table, library not loaded
    country, _, subdiv = code.partition("-")
    lib = holidays.country_holidays(country, subdiv=subdiv or None,
                                    years=range(day_table.YEARS.start, day_table.YEARS.stop + 1))
    day, last = date(day_table.YEARS.start, 1, 1), date(day_table.YEARS.stop - 1, 12, 31)
    checked = 0
    while day <= last:
        assert cal.is_working_day(day) == lib.is_working_day(day), day
        assert cal.is_weekend(day) == lib.is_weekend(day), day
        assert cal.holiday_name(day) == lib.get(day), day
        day += timedelta(days=1)
        checked += 1
    assert checked == (last - date(day_table.YEARS.start, 1, 1)).days + 1 > 9000
    assert cal.holiday_data_years() == (lib.start_year, lib.end_year)
    assert holidays_version(cal) == holidays.__version__


def test_transfer_gap_matches_the_library() -> None:
    years = range(2024, 2031)
    first = BusinessCalendar.build(ZONE, "09:00", "18:00", "CN")  # the library's own answer
    day_table.load_table.cache_clear()
    table = BusinessCalendar.build(ZONE, "09:00", "18:00", "CN")
    assert first._lib and table._table and not table._lib
    library_gap = [y for y in years if y > day_table.transfer_schedule_end(first.library())]
    assert coverage_gap(table, years) == library_gap and library_gap  # China's decrees end before 2030


def test_days_outside_the_table_go_to_the_library() -> None:
    BusinessCalendar.build(ZONE, "09:00", "18:00", "CN")
    day_table.load_table.cache_clear()
    cal = BusinessCalendar.build(ZONE, "09:00", "18:00", "CN")
    late = date(day_table.YEARS.stop + 2, 10, 1)  # National Day, past the table
    assert not cal._lib
    assert cal.is_working_day(late) is False and "National Day" in (cal.holiday_name(late) or "")
    assert cal._lib  # loaded on demand


def test_unknown_code_is_still_an_input_error_and_saves_nothing(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="calendar"):
        BusinessCalendar.build(ZONE, "09:00", "18:00", "XX")
    assert not (tmp_path / "calendars").exists()


def test_a_damaged_table_is_ignored_and_rebuilt(tmp_path: Path) -> None:
    BusinessCalendar.build(ZONE, "09:00", "18:00", "RU")
    (saved,) = (tmp_path / "calendars").iterdir()
    saved.write_text("{not json", encoding="utf-8")
    day_table.load_table.cache_clear()
    cal = BusinessCalendar.build(ZONE, "09:00", "18:00", "RU")
    assert cal.is_working_day(date(2026, 1, 2)) is False  # New Year holidays, from the library again
    day_table.load_table.cache_clear()
    assert day_table.load_table("RU") is not None  # and the table was written anew


@pytest.mark.integration
@pytest.mark.parametrize(("code", "entity"), [("AS", "AmericanSamoa"), ("AX", "AlandIslands"), ("RU", "Russia")])
def test_every_kind_of_country_module_loads_in_a_fresh_process(code: str, entity: str) -> None:
    """Territories whose module imports another country's (AS from US, AX from FI) load through the library's
    own import; a plain country loads its module alone. Each runs first in a fresh interpreter."""
    import json
    import subprocess
    import sys

    probe = (f"import json, sys; from escalation_kit.sla.business_time import load_calendar; "
             f"c = load_calendar('{code}'); "
             f"print(json.dumps([type(c).__name__, sum(m.startswith('holidays.countries.') for m in sys.modules)]))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    name, modules = json.loads(out.stdout)
    assert name == entity
    assert modules == 1 if code == "RU" else modules > 100


@pytest.mark.integration
def test_a_calendar_inferred_from_the_zone_reads_its_snapshot_without_importing_holidays() -> None:
    """Once a country's table is saved, a business clock in its zone (no calendar named) skips its holidays in a
    fresh process without importing `holidays` (25-50 ms): checking that the library has the country first cost
    a later first call ~18 ms."""
    import json
    import subprocess
    import sys

    compute_sla_deadlines("P3", "2026-11-25T17:30:00-05:00", timezone="America/New_York")  # saves the US table
    probe = ("import json, sys; from escalation_kit.sla import compute_sla_deadlines as c; "
             "r = c('P3', '2026-11-25T17:30:00-05:00', timezone='America/New_York'); "
             "print(json.dumps([r.calendar, r.first_response_due.date().isoformat(), 'holidays' in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    assert json.loads(out.stdout) == ["US", "2026-11-27", False]  # Thanksgiving (26 Nov) skipped
