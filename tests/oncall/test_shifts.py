"""Follow-the-sun shifts: each part of the day held by its own rotation, across midnight and DST, with gaps."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from escalation_kit.errors import InputError
from escalation_kit.oncall import holder, parse_schedule

UTC = dt.UTC
SCHEDULE = """
people:
  a: {name: Ann, email: a@example.com}
  b: {name: Bob, email: b@example.com}
  c: {name: Cy, email: c@example.com}
  d: {name: Di, email: d@example.com}
roles:
  sre:
    label: SRE primary
    shifts:
      - label: APAC
        hours: {from: "16:00", to: "23:00"}
        rotation: {people: [a, b], timezone: Asia/Singapore, start: 2026-01-05,
                   handoff: {weekday: monday, time: "08:00"}, length_days: 7}
      - label: Americas night
        hours: {from: "20:00", to: "02:00"}
        rotation: {people: [c], timezone: America/New_York, start: 2026-01-05,
                   handoff: {time: "20:00"}, length_days: 1}
    overrides:
      - {start: "2026-03-11T01:00+00:00", end: "2026-03-11T03:00+00:00", person: d, reason: swap}
  gappy:
    shifts:
      - hours: {from: "09:00", to: "17:00"}
        rotation: {people: [a], timezone: Europe/Berlin, start: 2026-01-05, handoff: {time: "09:00"}, length_days: 7}
  backed:
    shifts:
      - hours: {from: "09:00", to: "17:00"}
        rotation: {people: [a], timezone: Europe/Berlin, start: 2026-01-05, handoff: {time: "09:00"}, length_days: 7}
    rotation: {people: [d], timezone: Europe/Berlin, start: 2026-01-05, handoff: {time: "09:00"}, length_days: 7}
"""


@pytest.fixture(scope="module")
def schedule():
    return parse_schedule(yaml.safe_load(SCHEDULE), "shifts.yaml", {
        "tiers": {str(n): {"roles": ["sre"]} for n in (1, 2, 3, 4)},
        "exec_levels": {str(n): {"roles": ["sre"]} for n in (1, 2, 3, 4)}, "notices": {}})


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def test_each_shift_holds_its_hours_with_its_own_rotation(schedule) -> None:
    apac = holder(schedule, "sre", at("2026-03-10T10:00+00:00"))  # 18:00 in Singapore, week 10 -> index 9 -> b
    assert (apac.source, apac.shift, apac.person) == ("shift", "APAC", "b")
    assert (apac.since, apac.until) == (at("2026-03-10T08:00+00:00"), at("2026-03-10T15:00+00:00"))
    assert apac.line() == "SRE primary (APAC): Bob <b@example.com>"


def test_a_shift_runs_past_midnight_and_follows_its_zone_across_dst(schedule) -> None:
    # 23:30 EST on 6 March (04:30 UTC on the 7th) and 01:30 EDT on 9 March (05:30 UTC): both inside 20:00-02:00
    before = holder(schedule, "sre", at("2026-03-07T04:30+00:00"))
    after = holder(schedule, "sre", at("2026-03-09T05:30+00:00"))
    assert (before.shift, before.person, after.shift, after.person) == ("Americas night", "c", "Americas night", "c")
    assert before.since == at("2026-03-07T01:00+00:00") and before.until == at("2026-03-07T07:00+00:00")
    assert after.until == at("2026-03-09T06:00+00:00")  # 02:00 EDT is 06:00 UTC after the change


def test_an_override_still_wins_and_an_uncovered_hour_is_unfilled_with_the_reason(schedule) -> None:
    assert holder(schedule, "sre", at("2026-03-11T02:00+00:00")).person == "d"
    gap = holder(schedule, "gappy", at("2026-03-10T20:00+00:00"))
    assert (gap.source, gap.person) == ("unfilled", None) and "21:00 CET" in gap.reason


def test_the_rotation_covers_the_hours_no_shift_does(schedule) -> None:
    day, night = holder(schedule, "backed", at("2026-03-10T10:00+00:00")), holder(schedule, "backed",
                                                                                  at("2026-03-10T20:00+00:00"))
    assert (day.source, day.person, night.source, night.person) == ("shift", "a", "rotation", "d")


@pytest.mark.parametrize(("hours", "message"), [
    ({"from": "09:00", "to": "09:00"}, "same time"),
    ({"from": 900, "to": "17:00"}, "quote it"),
    ({"from": "9am", "to": "17:00"}, "24-hour time"),
])
def test_bad_shift_hours_name_the_field(hours, message) -> None:
    data = yaml.safe_load(SCHEDULE)
    data["roles"]["gappy"]["shifts"][0]["hours"] = hours
    with pytest.raises(InputError) as err:
        parse_schedule(data, "shifts.yaml", {"tiers": {}, "exec_levels": {}, "notices": {}})
    assert "roles.gappy.shifts[0].hours" in str(err.value) and message in str(err.value)
