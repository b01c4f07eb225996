"""The SLA clock's judgments: one decision for case severity and deadline, vendor business windows,
strict targets, the holiday data's horizon, calendar subdivisions and DST edges of custom windows."""

from __future__ import annotations

from datetime import datetime

import pytest

from escalation_kit.errors import InputError
from escalation_kit.sla import compute_sla_deadlines
from escalation_kit.vendors import pick_vendor_support_path


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_non_production_on_aws_gets_the_capped_case_and_its_deadline() -> None:
    """Staging down on AWS: file System impaired (12 h), not a 1-hour production deadline."""
    res = compute_sla_deadlines("P1", "2026-12-04T10:00:00+00:00", vendor="aws", timezone="UTC", production=False)
    assert res.target_source == "vendor"
    assert res.target_minutes == 720
    assert "System impaired" in res.target_label
    assert any("'System impaired' case (not production)" in n for n in res.notes)
    prod = compute_sla_deadlines("P1", "2026-12-04T10:00:00+00:00", vendor="aws", timezone="UTC", production=True)
    assert prod.target_minutes == 60


def test_production_must_agree_with_a_given_vendor_path() -> None:
    path = pick_vendor_support_path("aws", "P1", production=False)
    with pytest.raises(InputError) as err:
        compute_sla_deadlines("P1", "2026-12-04T10:00:00+00:00", vendor_path=path, production=True)
    assert err.value.field == "production"
    same = compute_sla_deadlines("P1", "2026-12-04T10:00:00+00:00", vendor_path=path, production=False)
    assert same.target_minutes == 720


def test_production_must_be_a_bool() -> None:
    with pytest.raises(InputError) as err:
        compute_sla_deadlines("P1", "2026-12-04T10:00:00+00:00", vendor="aws", production="no")  # type: ignore[arg-type]
    assert err.value.field == "production"


def test_aws_developer_uses_its_published_window() -> None:
    """AWS Developer counts 08:00-18:00 local (the archived guide); the project default is 09:00-18:00."""
    res = compute_sla_deadlines(
        "P3", "2026-07-03T17:00:00-04:00", vendor="aws", plan="developer", timezone="America/New_York",
        calendar="US",
    )
    assert res.business_hours == "08:00-18:00"
    assert res.first_response_due == _at("2026-07-08T12:00:00-04:00")
    assert any("published one" in n for n in res.notes)
    assert not any("project default" in n for n in res.notes)
    assert res.internal_due == _at("2026-07-06T13:00:00-04:00"), "the internal target keeps our own window"


def test_business_hours_parameter_still_wins_over_the_vendor_window() -> None:
    res = compute_sla_deadlines(
        "P3", "2026-07-06T09:00:00-04:00", vendor="aws", plan="developer", timezone="America/New_York",
        business_hours="10:00-18:00",
    )
    assert res.business_hours == "10:00-18:00"


@pytest.mark.parametrize("target", [
    {"minutes": 60, "clok": "business"},
    {"minutes": 60, "paused": True},
])
def test_unknown_target_keys_are_errors(target: dict) -> None:
    with pytest.raises(InputError) as err:
        compute_sla_deadlines("P1", "2026-12-04T10:00:00+00:00", target=target)
    assert err.value.field == "target"
    assert "clok" in str(err.value) or "paused" in str(err.value)


@pytest.mark.parametrize("minutes", [True, "60", 60.0, 1.5])
def test_non_integer_minutes_are_errors(minutes: object) -> None:
    with pytest.raises(InputError) as err:
        compute_sla_deadlines("P1", "2026-12-04T10:00:00+00:00", target={"minutes": minutes})
    assert "minutes" in str(err.value)


def test_dates_past_the_holiday_data_are_refused() -> None:
    target = {"minutes": 120, "clock": "business", "timezone": "America/New_York", "calendar": "US"}
    with pytest.raises(InputError) as err:
        compute_sla_deadlines("P1", "2150-12-24T17:00:00-05:00", target=target)
    assert err.value.field == "opened_at" and "2100" in str(err.value)
    plain = {k: v for k, v in target.items() if k != "calendar"}
    assert compute_sla_deadlines("P1", "2150-12-24T17:00:00-05:00", target=plain).calendar is None


def test_instants_running_past_the_holiday_data_are_noted() -> None:
    target = {"minutes": 600, "clock": "business", "timezone": "America/New_York", "calendar": "US"}
    res = compute_sla_deadlines("P1", "2100-12-30T17:00:00-05:00", target=target)
    assert any("only up to 2100" in n for n in res.notes)
    inside = compute_sla_deadlines("P1", "2026-12-01T10:00:00-05:00", target=target)
    assert not any("only up to" in n for n in inside.notes)


def test_gb_without_subdivision_uses_england_and_says_so() -> None:
    target = {"minutes": 120, "clock": "business", "timezone": "Europe/London", "calendar": "GB"}
    res = compute_sla_deadlines("P2", "2026-04-02T17:00:00+01:00", target=target)
    assert res.calendar == "GB-ENG"
    assert res.first_response_due == _at("2026-04-07T10:00:00+01:00"), "Easter Monday is skipped"
    assert any("using GB-ENG" in n for n in res.notes)
    scot = compute_sla_deadlines("P2", "2026-04-02T17:00:00+01:00", target={**target, "calendar": "GB-SCT"})
    assert scot.calendar == "GB-SCT" and scot.first_response_due == _at("2026-04-06T10:00:00+01:00")


def test_window_edge_in_a_dst_gap_counts_the_wall_clock() -> None:
    """Jerusalem springs forward 02:00 -> 03:00 on 2026-03-27: 02:30-03:30 holds 03:00-03:30 that day. (A Friday:
    Israel's own calendar, inferred from the zone, would make it a weekend day, so the plain week is asked for.)"""
    target = {"minutes": 30, "clock": "business", "timezone": "Asia/Jerusalem", "business_hours": "02:30-03:30",
              "calendar": "none"}
    res = compute_sla_deadlines("P1", "2026-03-27T00:00:00+02:00", target=target)
    assert res.first_response_due == _at("2026-03-27T03:30:00+03:00")


def test_window_edge_in_a_dst_fold_counts_the_repeated_hour_once_per_wall_minute() -> None:
    """Jerusalem falls back 02:00 -> 01:00 on 2026-10-25: 01:30-02:30 holds 90 real minutes that day."""
    target = {"minutes": 100, "clock": "business", "timezone": "Asia/Jerusalem", "business_hours": "01:30-02:30",
              "calendar": "IL"}
    res = compute_sla_deadlines("P1", "2026-10-25T00:00:00+03:00", target=target)
    assert res.first_response_due == _at("2026-10-26T01:40:00+02:00")


def test_ordinary_dst_days_are_unchanged() -> None:
    target = {"minutes": 60, "clock": "business", "timezone": "America/New_York", "business_hours": "09:00-18:00"}
    res = compute_sla_deadlines("P1", "2026-03-08T08:00:00-05:00", target=target)
    assert res.first_response_due == _at("2026-03-09T10:00:00-04:00")
    res = compute_sla_deadlines("P1", "2026-03-06T17:30:00-05:00", target=target)
    assert res.first_response_due == _at("2026-03-09T09:30:00-04:00")


def test_russian_shortened_pre_holiday_days_are_noted() -> None:
    res = compute_sla_deadlines("P3", "2026-11-02T17:00:00+03:00", timezone="Europe/Moscow", calendar="RU")
    assert any("art. 95" in n for n in res.notes)
    cn = compute_sla_deadlines("P3", "2026-11-02T17:00:00+08:00", timezone="Asia/Shanghai", calendar="CN")
    assert not any("art. 95" in n for n in cn.notes)


def test_vendor_facts_reach_the_case_and_the_deadline_together() -> None:
    """GCP Enhanced: a production service that is unusable is Google P1 (1 h); greatly impaired is P2 (4 h)."""
    unusable = compute_sla_deadlines("P1", "2026-12-04T10:00:00+00:00", vendor="gcp", plan="enhanced",
                                     timezone="UTC", production=True)
    impaired = compute_sla_deadlines("P1", "2026-12-04T10:00:00+00:00", vendor="gcp", plan="enhanced",
                                     timezone="UTC", production=True, state="impaired")
    assert (unusable.target_minutes, impaired.target_minutes) == (60, 240)
    assert "P1 - Critical impact" in unusable.target_label and "P2 - High impact" in impaired.target_label
