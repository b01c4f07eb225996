"""Who holds a role at an instant: handoff boundaries, daylight-saving weeks, overrides, tiers and notices."""

from __future__ import annotations

import datetime as dt
import random

import pytest
import yaml

from escalation_kit.datafiles import load_yaml
from escalation_kit.errors import InputError
from escalation_kit.oncall import for_notice, for_tier, handoff_at, holder, load_schedule, parse_schedule
from escalation_kit.oncall.resolve import shift_index
from escalation_kit.paths import references_dir

UTC = dt.UTC
SCHEDULE = """
people:
  a: {name: Ann, email: a@example.com}
  b: {name: Bob, email: b@example.com}
  c: {name: Cy, email: c@example.com}
roles:
  ny_weekly:
    rotation: {people: [a, b], timezone: America/New_York, start: 2026-01-05,
               handoff: {weekday: monday, time: "09:00"}, length_days: 7}
    overrides:
      - {start: "2026-03-10T12:00", end: "2026-03-11T12:00", person: c, reason: dentist}
      - {start: "2026-03-11T12:00-04:00", end: "2026-03-12T00:00-04:00", person: a}
  berlin_weekly:
    rotation: {people: [a, b], timezone: Europe/Berlin, start: 2026-01-05,
               handoff: {weekday: monday, time: "09:00"}, length_days: 7}
  ny_daily_0230:
    rotation: {people: [a, b, c], timezone: America/New_York, start: 2026-03-01,
               handoff: {time: "02:30"}, length_days: 1}
  berlin_daily_0230:
    rotation: {people: [a, b, c], timezone: Europe/Berlin, start: 2026-10-20,
               handoff: {time: "02:30"}, length_days: 1}
"""


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).astimezone(UTC)


@pytest.fixture(scope="module")
def sched():
    tiers = load_yaml(references_dir() / "policy/oncall-tiers.yaml")
    return parse_schedule(yaml.safe_load(SCHEDULE), "test.yaml", tiers)


def who(sched, role: str, when: str) -> str:
    return holder(sched, role, utc(when)).person


def test_weekly_handoff_boundary_is_exact(sched):
    # 2026-02-02 is shift 4 (a); the handoff to b is Monday 2026-02-09 09:00 EST = 14:00 UTC.
    assert who(sched, "ny_weekly", "2026-02-09T13:59:59+00:00") == "a"
    assert who(sched, "ny_weekly", "2026-02-09T14:00:00+00:00") == "b"
    h = holder(sched, "ny_weekly", utc("2026-02-09T14:00:00+00:00"))
    assert (h.since, h.until) == (utc("2026-02-09T14:00+00:00"), utc("2026-02-16T14:00+00:00"))
    assert h.source == "rotation" and h.email == "b@example.com"


def test_new_york_spring_forward_week_keeps_the_0900_local_handoff(sched):
    # Clocks go forward Sunday 2026-03-08; Monday 03-09 09:00 is EDT = 13:00 UTC, not 14:00 UTC.
    assert who(sched, "ny_weekly", "2026-03-09T12:59:59+00:00") == "a"
    assert who(sched, "ny_weekly", "2026-03-09T13:00:00+00:00") == "b"
    assert who(sched, "ny_weekly", "2026-03-09T09:00:00-04:00") == "b"  # the same instant in local time
    week = holder(sched, "ny_weekly", utc("2026-03-05T12:00+00:00"))
    assert week.until - week.since == dt.timedelta(hours=167)  # the week with the change is an hour short


def test_berlin_fall_back_week_keeps_the_0900_local_handoff(sched):
    # Clocks go back Sunday 2026-10-25; Monday 10-26 09:00 is CET = 08:00 UTC (the week before: 07:00 UTC).
    assert who(sched, "berlin_weekly", "2026-10-19T06:59:59+00:00") == "a"
    assert who(sched, "berlin_weekly", "2026-10-19T07:00:00+00:00") == "b"
    assert who(sched, "berlin_weekly", "2026-10-26T07:30:00+00:00") == "b"  # a fixed 168 h would say a
    assert who(sched, "berlin_weekly", "2026-10-26T08:00:00+00:00") == "a"
    week = holder(sched, "berlin_weekly", utc("2026-10-22T12:00+00:00"))
    assert week.until - week.since == dt.timedelta(hours=169)


def test_a_handoff_in_the_spring_gap_happens_at_the_old_offset(sched):
    role = sched.roles["ny_daily_0230"].rotation
    assert handoff_at(role, 7) == utc("2026-03-08T07:30+00:00")  # 02:30 does not exist; 03:30 EDT
    assert handoff_at(role, 8) == utc("2026-03-09T06:30+00:00")  # 02:30 EDT
    assert who(sched, "ny_daily_0230", "2026-03-08T07:29:59+00:00") == "a"  # shift 6 (03-07)
    assert who(sched, "ny_daily_0230", "2026-03-08T07:30:00+00:00") == "b"  # shift 7
    assert who(sched, "ny_daily_0230", "2026-03-09T06:30:00+00:00") == "c"


def test_a_handoff_in_the_autumn_overlap_happens_the_first_time(sched):
    role = sched.roles["berlin_daily_0230"].rotation
    assert handoff_at(role, 5) == utc("2026-10-25T00:30+00:00")  # 02:30 CEST, not the second 02:30 (CET)
    assert handoff_at(role, 6) - handoff_at(role, 5) == dt.timedelta(hours=25)
    assert who(sched, "berlin_daily_0230", "2026-10-25T01:30:00+00:00") == "c"  # the second 02:30: no handoff


def test_shift_index_agrees_with_walking_every_handoff(sched):
    rng = random.Random(15)
    for name in ("ny_weekly", "berlin_weekly", "ny_daily_0230", "berlin_daily_0230"):
        rot = sched.roles[name].rotation
        edges = [handoff_at(rot, k) for k in range(400)]
        samples = [edges[0] + dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 360)) for _ in range(300)]
        samples += edges[1:60]  # every boundary itself
        for t in samples:
            expected = max(k for k, e in enumerate(edges) if e <= t)
            assert shift_index(rot, t) == expected, (name, t)
        assert len(samples) == 359


def test_before_the_first_shift_the_rotation_runs_backwards(sched):
    assert who(sched, "ny_weekly", "2026-01-04T12:00:00+00:00") == "b"  # shift -1


def test_overrides_win_for_their_span_only(sched):
    # Local wall time without offset is read in the rotation's zone: 2026-03-10T12:00 EDT = 16:00 UTC.
    assert who(sched, "ny_weekly", "2026-03-10T15:59:59+00:00") == "b"
    over = holder(sched, "ny_weekly", utc("2026-03-10T16:00:00+00:00"))
    assert (over.person, over.source, over.reason) == ("c", "override", "dentist")
    assert over.until == utc("2026-03-11T16:00+00:00")
    assert who(sched, "ny_weekly", "2026-03-11T16:00:00+00:00") == "a"  # the next override, back to back
    assert who(sched, "ny_weekly", "2026-03-12T04:00:00+00:00") == "b"  # end is exclusive: the rotation again


def test_the_same_instant_in_any_offset_gives_the_same_answer(sched):
    for role in sched.roles:
        base = utc("2026-10-26T07:59:00+00:00")
        answers = {holder(sched, role, base.astimezone(dt.timezone(dt.timedelta(hours=h)))) for h in (-8, 0, 9)}
        assert len(answers) == 1


def test_a_naive_instant_or_an_unknown_role_is_refused(sched):
    with pytest.raises(InputError, match="no UTC offset"):
        holder(sched, "ny_weekly", dt.datetime(2026, 3, 9, 9))
    with pytest.raises(InputError, match=r"role: 'vp' is not a role in test\.yaml.*allowed: berlin_daily_0230"):
        holder(sched, "vp", utc("2026-03-09T09:00+00:00"))


# ------------------------------------------------------------------------------------ tiers and notices
def test_the_shipped_tier_table_is_seed_002s():
    s = load_schedule(references_dir() / "policy/oncall.yaml")
    when = utc("2026-03-09T15:00+00:00")
    assert [h.role for h in for_tier(s, 1, when)] == ["support_agent"]
    assert [h.role for h in for_tier(s, 2, when)] == ["senior_engineer"]
    assert [h.role for h in for_tier(s, 3, when)] == ["engineering_lead", "csm"]
    assert [h.role for h in for_tier(s, 4, when)] == ["director", "vp", "executive"]
    assert all(h.source == "rotation" and h.email.endswith("@example.com") for h in for_tier(s, 4, when))


def test_a_tier_2_handoff_tells_the_seeds_three_roles():
    s = load_schedule(references_dir() / "policy/oncall.yaml")
    got = for_notice(s, "tier_raised", 2, utc("2026-03-09T15:00+00:00"))
    assert [h.role for h in got] == ["senior_engineer", "csm", "support_manager"]  # tier2_lead, account_csm, ...


def test_an_executive_raise_adds_the_levels_roles_once():
    s = load_schedule(references_dir() / "policy/oncall.yaml")
    got = for_notice(s, "exec_level_raised", 3, utc("2026-03-09T15:00+00:00"), level=2)
    assert [h.role for h in got] == ["engineering_lead", "csm", "support_manager"]  # level 2 = support manager
    resolved = for_notice(s, "resolved", 3, utc("2026-03-09T15:00+00:00"), level=4)
    assert [h.role for h in resolved] == ["engineering_lead", "csm", "support_manager"]  # no exec roles


def test_a_role_missing_from_the_schedule_is_unfilled_not_an_error(sched):
    got = for_tier(sched, 3, utc("2026-03-09T15:00+00:00"))
    assert [(h.role, h.person, h.source) for h in got] == [("engineering_lead", None, "unfilled"),
                                                          ("csm", None, "unfilled")]
    assert got[0].line() == "engineering lead: nobody on the schedule"


@pytest.mark.parametrize("tier", [0, 5, True, "2"])
def test_a_tier_outside_1_to_4_is_refused(sched, tier):
    with pytest.raises(InputError, match=r"tier: .* \(allowed: 1, 2, 3, 4\)"):
        for_tier(sched, tier, utc("2026-03-09T15:00+00:00"))
