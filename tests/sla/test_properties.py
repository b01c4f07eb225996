"""Property tests for the SLA clock: ordering, monotonicity and business-window placement."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import holidays
from hypothesis import given, settings
from hypothesis import strategies as st

from escalation_kit.sla.business_time import BusinessCalendar, business_minutes_between
from escalation_kit.sla.clock import compute_sla_deadlines

ZONES = {"CN": "Asia/Shanghai", "RU": "Europe/Moscow", "US": "America/New_York"}
WINDOWS = [("09:00", "18:00"), ("08:30", "17:30"), ("10:00", "12:00"), ("00:00", "23:59")]

calendars = st.sampled_from(sorted(ZONES))
windows = st.sampled_from(WINDOWS)
minutes = st.integers(min_value=1, max_value=6000)
clocks = st.sampled_from(["24x7", "business"])
_any_time = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2027, 6, 30), timezones=st.just(UTC)
)
# within three days of a US daylight-saving change, so windows and deadlines straddle it often
_near_dst = st.tuples(
    st.sampled_from([datetime(2026, 3, 8, 7, tzinfo=UTC), datetime(2026, 11, 1, 6, tzinfo=UTC)]),
    st.integers(min_value=-3 * 1440, max_value=3 * 1440),
).map(lambda pair: pair[0] + timedelta(minutes=pair[1]))
opened_times = st.one_of(_any_time, _near_dst).map(lambda d: d.replace(microsecond=0))

FAST = settings(max_examples=60, deadline=None)


def _target(mins: int, clock: str, code: str, window: tuple[str, str]) -> dict:
    return {
        "minutes": mins,
        "clock": clock,
        "timezone": ZONES[code],
        "calendar": code,
        "business_start": window[0],
        "business_end": window[1],
    }


def _due(opened: datetime, mins: int, clock: str, code: str, window: tuple[str, str]) -> datetime:
    res = compute_sla_deadlines("P1", opened.isoformat(), target=_target(mins, clock, code, window))
    return res.first_response_due


@FAST
@given(opened=opened_times, mins=minutes, clock=clocks, code=calendars, window=windows)
def test_deadline_never_before_opened(opened, mins, clock, code, window) -> None:
    due = _due(opened, mins, clock, code, window)
    assert due > opened
    if clock == "24x7":
        assert due - opened == timedelta(minutes=mins)
    else:
        assert due - opened >= timedelta(minutes=mins)


@FAST
@given(opened=opened_times, a=minutes, b=minutes, clock=clocks, code=calendars, window=windows)
def test_longer_target_never_earlier(opened, a, b, clock, code, window) -> None:
    short, long_ = sorted((a, b))
    assert _due(opened, short, clock, code, window) <= _due(opened, long_, clock, code, window)


@FAST
@given(opened=opened_times, mins=minutes, code=calendars, window=windows)
def test_business_deadline_inside_window_on_working_day(opened, mins, code, window) -> None:
    due = _due(opened, mins, "business", code, window)
    cal = BusinessCalendar.build(_zone(code), *window, code)
    local = due.astimezone(cal.zone)
    assert holidays.country_holidays(code).is_working_day(local.date())
    start, end = time.fromisoformat(window[0]), time.fromisoformat(window[1])
    assert start < local.time() <= end
    # and exactly `mins` business minutes lie between opened and due
    assert abs(business_minutes_between(opened, due, cal) - mins) < 1e-6


@FAST
@given(opened=opened_times, mins=minutes, code=calendars, step=st.integers(min_value=0, max_value=20000))
def test_percent_consumed_grows_with_now(opened, mins, code, step) -> None:
    target = _target(mins, "business", code, WINDOWS[0])
    earlier = opened + timedelta(minutes=step)
    later = earlier + timedelta(minutes=317)
    r1 = compute_sla_deadlines("P1", opened, now=earlier, target=target)
    r2 = compute_sla_deadlines("P1", opened, now=later, target=target)
    assert 0 <= r1.percent_consumed <= r2.percent_consumed
    assert (r2.status == "breached") == (later > r2.first_response_due)  # at the due instant: not yet late


def _zone(code: str):
    from zoneinfo import ZoneInfo

    return ZoneInfo(ZONES[code])


# Windows whose edges fall inside the daylight-saving gap or fold of these zones.
_DST_ZONES = {
    "Asia/Jerusalem": [datetime(2026, 3, 26, 20, tzinfo=UTC), datetime(2026, 10, 24, 20, tzinfo=UTC)],
    "America/New_York": [datetime(2026, 3, 8, 5, tzinfo=UTC), datetime(2026, 11, 1, 4, tzinfo=UTC)],
    "Europe/London": [datetime(2026, 3, 29, 0, tzinfo=UTC), datetime(2026, 10, 25, 0, tzinfo=UTC)],
}
_EDGE_WINDOWS = [("00:30", "01:30"), ("01:30", "02:30"), ("02:30", "03:30"), ("01:00", "03:00"), ("00:00", "23:59")]


def _wall_clock_minutes(start: datetime, end: datetime, cal: BusinessCalendar) -> int:
    """Oracle: count whole UTC minutes in [start, end) whose local wall time is inside the window."""
    count, t = 0, start
    while t < end:
        local = t.astimezone(cal.zone)
        if cal.is_working_day(local.date()) and cal.start <= local.time().replace(tzinfo=None) < cal.end:
            count += 1
        t += timedelta(minutes=1)
    return count


@settings(max_examples=40, deadline=None)
@given(
    zone=st.sampled_from(sorted(_DST_ZONES)),
    which=st.integers(min_value=0, max_value=1),
    window=st.sampled_from(_EDGE_WINDOWS),
    offset=st.integers(min_value=-600, max_value=600),
    span=st.integers(min_value=1, max_value=2 * 1440),
)
def test_business_minutes_follow_the_wall_clock_across_dst(zone, which, window, offset, span) -> None:
    from zoneinfo import ZoneInfo

    cal = BusinessCalendar.build(ZoneInfo(zone), *window)
    start = _DST_ZONES[zone][which] + timedelta(minutes=offset)
    end = start + timedelta(minutes=span)
    assert business_minutes_between(start, end, cal) == _wall_clock_minutes(start, end, cal)
