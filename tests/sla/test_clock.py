"""Table tests for the SLA clock: holidays, make-up working days, DST, policies, vendor targets, errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from escalation_kit.errors import InputError
from escalation_kit.sla import clock as sla_clock
from escalation_kit.sla import compute_sla_deadlines, list_policies
from escalation_kit.sla.policy import load_sla_policy
from escalation_kit.vendors import path as vendors

SHANGHAI = {"clock": "business", "timezone": "Asia/Shanghai", "calendar": "CN"}
MOSCOW = {"clock": "business", "timezone": "Europe/Moscow", "calendar": "RU"}
NEW_YORK = {"clock": "business", "timezone": "America/New_York", "calendar": "US"}


def _due(opened: str, minutes: int, **target: object) -> datetime:
    return compute_sla_deadlines("P1", opened, target={"minutes": minutes, **target}).first_response_due


@pytest.mark.parametrize(
    ("case", "opened", "minutes", "target", "expected"),
    [
        # Spring forward: 01:30 EST + 60 min of real time is 03:30 EDT (02:xx does not exist).
        (
            "dst-spring",
            "2026-03-08T01:30:00-05:00",
            60,
            {"timezone": "America/New_York"},
            "2026-03-08T03:30:00-04:00",
        ),
        # Fall back: 01:30 EDT + 60 min is 01:30 EST, the repeated hour.
        (
            "dst-fall",
            "2026-11-01T01:30:00-04:00",
            60,
            {"timezone": "America/New_York"},
            "2026-11-01T01:30:00-05:00",
        ),
        # Same instant given in UTC renders in the zone asked for.
        (
            "utc-input",
            "2026-03-08T06:30:00Z",
            60,
            {"timezone": "America/New_York"},
            "2026-03-08T03:30:00-04:00",
        ),
        # Friday 20:00 Shanghai, 4 business hours: Saturday 2026-02-14 is an official make-up working day.
        ("cn-friday-evening", "2026-02-13T20:00:00+08:00", 240, SHANGHAI, "2026-02-14T13:00:00+08:00"),
        # Friday 16:00: 2 h on Friday, 2 h on the make-up Saturday.
        ("cn-split-days", "2026-02-13T16:00:00+08:00", 240, SHANGHAI, "2026-02-14T11:00:00+08:00"),
        # Make-up Saturday 17:00 + 2 h: 1 h that day; Sunday and the Spring Festival break 16-23 skipped.
        ("cn-spring-festival", "2026-02-14T17:00:00+08:00", 120, SHANGHAI, "2026-02-24T10:00:00+08:00"),
        # Opened during the break: nothing counts until Tuesday 2026-02-24 09:00.
        ("cn-opened-in-break", "2026-02-18T11:00:00+08:00", 60, SHANGHAI, "2026-02-24T10:00:00+08:00"),
        # Russia: Saturday 2025-11-01 is a working day; Mon 3 (transferred) and Tue 4 (Unity Day) are off.
        ("ru-working-saturday", "2025-10-31T17:00:00+03:00", 120, MOSCOW, "2025-11-01T10:00:00+03:00"),
        ("ru-transferred-days", "2025-11-01T17:00:00+03:00", 120, MOSCOW, "2025-11-05T10:00:00+03:00"),
        # Russia's New Year break 2026 runs to 9 January (9th transferred from the 3rd); then a weekend.
        ("ru-new-year", "2025-12-30T17:30:00+03:00", 60, MOSCOW, "2026-01-12T09:30:00+03:00"),
        # US: July 4 2026 is a Saturday, observed Friday July 3.
        ("us-observed-holiday", "2026-07-02T17:00:00-04:00", 120, NEW_YORK, "2026-07-06T10:00:00-04:00"),
        # Israel's weekend is Friday-Saturday: Thursday evening rolls to Sunday morning.
        (
            "il-friday-saturday-weekend",
            "2026-06-04T17:00:00+03:00",
            120,
            {"clock": "business", "timezone": "Asia/Jerusalem", "calendar": "IL"},
            "2026-06-07T10:00:00+03:00",
        ),
        # Before the window on a working day: the clock starts at 09:00.
        ("before-window", "2026-07-06T07:15:00-04:00", 30, NEW_YORK, "2026-07-06T09:30:00-04:00"),
        # A custom window as one string, with an en dash.
        (
            "window-string",
            "2026-07-06T07:15:00-04:00",
            30,
            {**NEW_YORK, "business_hours": "08:00\u201316:00"},
            "2026-07-06T08:30:00-04:00",
        ),
        # Over the spring-forward weekend: Friday 1 h, Monday 1 h (rendered in EDT).
        ("business-dst", "2026-03-06T17:00:00-05:00", 120, NEW_YORK, "2026-03-09T10:00:00-04:00"),
    ],
)
def test_first_response_due(case: str, opened: str, minutes: int, target: dict, expected: str) -> None:
    due = _due(opened, minutes, **target)
    want = datetime.fromisoformat(expected)
    assert due == want, case
    assert due.utcoffset() == want.utcoffset(), f"{case}: rendered in the wrong offset"


def test_business_clock_without_calendar_only_skips_weekends() -> None:
    """calendar='none': CN's make-up Saturday is not a working day and the note says holidays are not skipped."""
    res = compute_sla_deadlines(
        "P1",
        "2026-02-13T20:00:00+08:00",
        target={"minutes": 240, "clock": "business", "timezone": "Asia/Shanghai"},
        calendar="none",
    )
    assert res.first_response_due == datetime.fromisoformat("2026-02-16T13:00:00+08:00")
    assert res.calendar is None and any("holidays not skipped" in n for n in res.notes)


def test_a_business_clock_infers_the_calendar_of_its_zone_and_says_so() -> None:
    """No calendar given: Asia/Shanghai counts CN's make-up Saturday (2026-02-14) and skips its holidays, and a
    note names the inferred calendar; UTC, which is no one country's zone, infers none."""
    res = compute_sla_deadlines(
        "P1", "2026-02-13T20:00:00+08:00", target={"minutes": 240, "clock": "business", "timezone": "Asia/Shanghai"},
    )
    assert res.calendar == "CN" and res.first_response_due == datetime.fromisoformat("2026-02-14T13:00:00+08:00")
    assert any("inferred from the time zone Asia/Shanghai" in n for n in res.notes)
    national_day = compute_sla_deadlines("P3", "2026-09-30T17:00:00+08:00", timezone="Asia/Shanghai")
    assert national_day.clock == "business" and national_day.first_response_due.date().isoformat() == "2026-10-08"
    christmas = compute_sla_deadlines("P2", "2026-12-24T17:00:00-05:00", timezone="America/New_York")
    assert christmas.calendar == "US" and christmas.first_response_due.date().isoformat() == "2026-12-28"
    utc = compute_sla_deadlines("P2", "2026-12-24T17:00:00Z", timezone="UTC")
    assert utc.calendar is None and utc.first_response_due.date().isoformat() == "2026-12-25"


def test_an_inferred_calendar_stays_out_of_a_24x7_answer_and_years_without_data() -> None:
    """A P0 on a 24x7 clock names no calendar it did not need; a year the zone's calendar has no data for infers
    none (and says so) instead of refusing the opened_at the caller never tied to a calendar."""
    p0 = compute_sla_deadlines("P0", "2026-10-01T17:00:00+08:00", timezone="Asia/Shanghai")
    assert p0.calendar is None and not any("calendar" in n.lower() for n in p0.notes)
    far = compute_sla_deadlines("P2", "2199-10-01T17:00:00+08:00", timezone="Asia/Shanghai")
    assert far.calendar is None and any("no calendar is inferred" in n for n in far.notes)
    explicit = compute_sla_deadlines("P2", "2026-10-01T10:00:00+03:00", timezone="Asia/Shanghai", calendar="RU")
    assert explicit.calendar == "RU" and not any("inferred" in n for n in explicit.notes)


def test_no_timezone_uses_opened_offset_and_says_so() -> None:
    res = compute_sla_deadlines("P0", "2026-03-08T01:30:00-05:00", target={"minutes": 60})
    assert res.first_response_due.utcoffset() == timedelta(hours=-5)
    assert res.first_response_due.astimezone(UTC) == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)
    assert any("fixed offset" in n for n in res.notes)


@pytest.mark.parametrize(
    ("now", "status", "elapsed"),
    [
        (
            "2026-02-13T20:30:00+08:00",
            "on_track",
            0.0,
        ),  # Friday evening: outside the window, nothing consumed
        ("2026-02-14T10:00:00+08:00", "on_track", 60.0),
        ("2026-02-14T11:00:00+08:00", "at_risk", 120.0),  # exactly 50 %
        ("2026-02-14T12:30:00+08:00", "at_risk", 210.0),
        ("2026-02-14T13:00:00+08:00", "at_risk", 240.0),  # the due instant itself: due, not late
        ("2026-02-14T13:12:00+08:00", "breached", 252.0),
        ("2026-02-24T09:00:00+08:00", "breached", 540.0),  # Sat 09-18 only: the break adds nothing
    ],
)
def test_status_counts_business_minutes(now: str, status: str, elapsed: float) -> None:
    res = compute_sla_deadlines("P1", "2026-02-13T20:00:00+08:00", now=now, target={"minutes": 240, **SHANGHAI})
    assert res.status == status
    assert res.elapsed_minutes == pytest.approx(elapsed)
    assert res.remaining_minutes == pytest.approx(240 - elapsed)
    assert res.percent_consumed == pytest.approx(elapsed / 240 * 100)


def test_risk_triggers_on_the_business_clock() -> None:
    res = compute_sla_deadlines("P1", "2026-02-13T20:00:00+08:00", target={"minutes": 240, **SHANGHAI})
    by_kind = {t.kind: t for t in res.escalation_triggers}
    assert by_kind["at_risk_50"].at == datetime.fromisoformat("2026-02-14T11:00:00+08:00")
    assert by_kind["at_risk_75"].at == datetime.fromisoformat("2026-02-14T12:00:00+08:00")
    assert by_kind["breach"].at == res.first_response_due
    assert by_kind["breach"].source == "explicit"
    assert by_kind["at_risk_50"].source.startswith("policy:")


def test_account_manager_steps_follow_wall_time() -> None:
    """Seed 000: P0 urgent ticket with no response in 2 h -> call the account manager (wall clock)."""
    res = compute_sla_deadlines("P0", "2026-02-13T17:30:00+08:00", timezone="Asia/Shanghai")
    steps = [t for t in res.escalation_triggers if t.kind == "policy_step"]
    call = [t for t in steps if "account manager" in t.label]
    assert len(call) == 1
    assert call[0].at == datetime.fromisoformat("2026-02-13T19:30:00+08:00")
    assert all(t.source.startswith("policy:") for t in steps)
    assert [t.at for t in res.escalation_triggers] == sorted(t.at for t in res.escalation_triggers)


def test_critical_cadence_first_day() -> None:
    res = compute_sla_deadlines("P0", "2026-03-08T01:30:00-05:00", timezone="America/New_York", max_updates=20)
    internal = [u.at for u in res.updates if u.kind == "internal_update"]
    customer = [u.at for u in res.updates if u.kind == "customer_update"]
    opened = res.opened_at
    assert len(internal) == 12  # every 2 h within the first 24 h (the horizon stops it, not the cap)
    default = compute_sla_deadlines("P0", "2026-03-08T01:30:00-05:00", timezone="America/New_York")
    assert sum(u.kind == "internal_update" for u in default.updates) == 4  # policy cap per stream
    assert [(t - opened) for t in internal] == [timedelta(hours=2 * k) for k in range(1, 13)]
    assert customer and customer[0] - opened == timedelta(hours=2)
    assert all(u.source == "policy:sla.yaml#cadence.critical" for u in res.updates)


def test_high_cadence_internal_four_hours() -> None:
    res = compute_sla_deadlines("P1", "2026-07-06T10:00:00-04:00", timezone="America/New_York", max_updates=3)
    internal = [u.at - res.opened_at for u in res.updates if u.kind == "internal_update"]
    assert internal == [timedelta(hours=4), timedelta(hours=8), timedelta(hours=12)]


def test_medium_customer_updates_use_business_days() -> None:
    """P2 opened Friday before the Spring Festival: next customer updates on make-up Saturday, then 24 Feb."""
    res = compute_sla_deadlines(
        "P2", "2026-02-13T15:00:00+08:00", timezone="Asia/Shanghai", calendar="CN", max_updates=2
    )
    customer = [u.at for u in res.updates if u.kind == "customer_update"]
    assert customer == [
        datetime.fromisoformat("2026-02-14T15:00:00+08:00"),
        datetime.fromisoformat("2026-02-24T15:00:00+08:00"),
    ]
    internal = [u.at for u in res.updates if u.kind == "internal_update"]
    assert internal[0] == datetime.fromisoformat("2026-02-14T15:00:00+08:00")  # daily = calendar days


def test_medium_daily_keeps_wall_time_across_dst() -> None:
    res = compute_sla_deadlines("P2", "2026-03-07T10:00:00-05:00", timezone="America/New_York", max_updates=2)
    internal = [u.at for u in res.updates if u.kind == "internal_update"]
    assert [t.hour for t in internal] == [10, 10]
    assert internal[0] - res.opened_at == timedelta(hours=23)  # 7 to 8 March spans the spring-forward change
    assert internal[1] - internal[0] == timedelta(hours=24)


@pytest.mark.parametrize(
    ("severity", "minutes", "clock"),
    [("P0", 30, "24x7"), ("P1", 60, "24x7"), ("P2", 120, "business"), ("P3", 240, "business")],
)
def test_default_targets_come_from_policy_data(severity: str, minutes: int, clock: str) -> None:
    res = compute_sla_deadlines(severity, "2026-07-06T10:00:00-04:00")
    data = load_sla_policy().default_targets[severity]
    assert (res.target_minutes, res.clock) == (data.minutes, data.clock) == (minutes, clock)
    assert res.target_source == "policy:sla.yaml#default_targets"
    assert "seed-" in res.target_label


def test_workflow_tier_policy_selects_by_severity_or_tier() -> None:
    opened = "2026-07-06T10:00:00-04:00"
    p0 = compute_sla_deadlines("P0", opened, policy="workflow-tiers")
    assert p0.target_minutes == 30 and p0.target_source == "policy:sla.yaml#policies.workflow-tiers"
    t1 = compute_sla_deadlines("P0", opened, policy="workflow-tiers", tier=1)
    assert t1.target_minutes == 240
    assert compute_sla_deadlines("P0", opened, policy="workflow-tiers", tier="Tier-2").target_minutes == 120
    assert compute_sla_deadlines("P0", opened, policy="workflow-tiers", tier="3").target_minutes == 60
    assert t1.first_response_due - t1.opened_at == timedelta(hours=4)


def test_technical_handoff_chain_triggers() -> None:
    res = compute_sla_deadlines("P2", "2026-07-06T10:00:00-04:00", policy="technical-handoffs")
    assert res.target_minutes == 15
    chain = [t.at - res.opened_at for t in res.escalation_triggers if t.source.endswith("technical-handoffs")]
    # breach of the first handoff at 15 min, then tier 3 by 45 min and the vendor by 105 min
    assert chain == [timedelta(minutes=15), timedelta(minutes=45), timedelta(minutes=105)]


def test_list_policies_is_json_ready_and_sourced() -> None:
    items = list_policies()
    json.dumps(items)  # the MCP resource serialises it as is
    by_name = {p["name"]: p for p in items}
    runnable = {n for n, p in by_name.items() if p["runnable"]}
    assert runnable == {"workflow-tiers", "technical-handoffs"}
    assert by_name["workflow-tiers"]["origin"][0].startswith("seed-002")
    assert by_name["technical-handoffs"]["origin"][0].startswith("seed-001")
    assert [s["minutes"] for s in by_name["technical-handoffs"]["data"]["steps"]] == [15, 30, 60]
    cadence = by_name["cadence"]["data"]["cadence"]
    assert cadence["critical"]["internal"]["every"] == 2 and cadence["high"]["customer"]["every_max"] == 8
    assert by_name["escalation_steps"]["origin"][0].startswith("seed-000")
    for name in runnable:  # every runnable policy really runs
        res = compute_sla_deadlines("P1", "2026-07-06T10:00:00-04:00", policy=name)
        assert res.target_source == by_name[name]["source"]


def _fake_path(case: vendors.CaseSeverity | None, **extra: object) -> vendors.VendorPath:
    return vendors.VendorPath(
        vendor="aws",
        vendor_name="AWS",
        plan="business",
        plan_name="Business",
        severity="P0",
        case_severity=case,
        available=case is not None,
        **extra,
    )


def test_vendor_target_from_catalog(monkeypatch: pytest.MonkeyPatch) -> None:
    case = vendors.CaseSeverity(name="Production system down", api_code="urgent", response_minutes=60, clock="24x7")
    calls = []

    def fake(vendor, severity, plan=None, region=None, production=None, state=None, scope=None, copy=True):
        calls.append((vendor, severity, plan, region))
        return _fake_path(case)

    monkeypatch.setattr(sla_clock, "pick_vendor_support_path", fake)
    res = compute_sla_deadlines(
        "P0", "2026-03-08T01:30:00-05:00", vendor="aws", plan="business", timezone="America/New_York"
    )
    assert calls == [("aws", "P0", "business", None)]
    assert res.target_source == "vendor" and res.target_minutes == 60 and not res.unverified
    assert res.first_response_due == datetime.fromisoformat("2026-03-08T03:30:00-04:00")
    assert "Production system down" in res.target_label


def test_vendor_unverified_and_business_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    case = vendors.CaseSeverity(name="Severity C", response_minutes=480, clock="business", unverified=True)
    monkeypatch.setattr(sla_clock, "pick_vendor_support_path", lambda *a, **k: _fake_path(case))
    res = compute_sla_deadlines(
        "P2", "2026-02-13T10:00:00+08:00", vendor="azure", timezone="Asia/Shanghai", calendar="CN"
    )
    assert res.unverified and res.clock == "business"
    assert any("unverified" in n for n in res.notes)
    # 8 business hours from Friday 10:00 end exactly at the close of Friday's window
    assert res.first_response_due == datetime.fromisoformat("2026-02-13T18:00:00+08:00")


def test_vendor_without_case_falls_back_with_note(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        sla_clock,
        "pick_vendor_support_path",
        lambda *a, **k: _fake_path(None, note="Basic has no technical cases"),
    )
    res = compute_sla_deadlines("P0", "2026-07-06T10:00:00-04:00", vendor="aws", plan="basic")
    assert res.target_source == "policy:sla.yaml#default_targets"
    assert any("Basic has no technical cases" in n for n in res.notes)


def test_vendor_policy_steps_replace_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    case = vendors.CaseSeverity(name="Urgent", response_minutes=15, clock="24x7")
    step = vendors.PolicyStep.model_validate(
        {"after_minutes": 90, "action": "Page the TAM", "source": "seed-001", "id": "p0-engage-tam"}
    )
    path = _fake_path(case, policy=[step])
    res = compute_sla_deadlines("P0", "2026-07-06T10:00:00-04:00", vendor_path=path)
    steps = [t for t in res.escalation_triggers if t.kind == "policy_step"]
    assert len(steps) == 1  # the vendor's playbook replaces sla.yaml's own account-manager steps
    assert steps[0].at - res.opened_at == timedelta(minutes=90)
    assert steps[0].label.startswith("Page the TAM") and "[seed-001]" in steps[0].label
    assert steps[0].source.startswith("policy:vendor-escalation.yaml#")


def test_vendor_steps_kept_when_plan_has_no_target(monkeypatch: pytest.MonkeyPatch) -> None:
    step = vendors.PolicyStep(after_minutes=0, action="Check the status page", source="seed-000")
    monkeypatch.setattr(
        sla_clock, "pick_vendor_support_path", lambda *a, **k: _fake_path(None, note="no P0 level", policy=[step])
    )
    res = compute_sla_deadlines("P0", "2026-07-06T10:00:00-04:00", vendor="gcp")
    assert res.target_source == "policy:sla.yaml#default_targets"
    assert [t.label for t in res.escalation_triggers if t.kind == "policy_step"] == ["Check the status page [seed-000]"]


def test_explicit_target_wins_and_notes_ignored_inputs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sla_clock, "pick_vendor_support_path", lambda *a, **k: pytest.fail("vendor looked up"))
    res = compute_sla_deadlines("P1", "2026-07-06T10:00:00-04:00", vendor="aws", target={"minutes": 45})
    assert res.target_source == "explicit" and res.target_minutes == 45
    assert any("vendor" in n for n in res.notes)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"opened_at": "2026-03-08T01:30:00"}, "opened_at"),
        ({"opened_at": "yesterday"}, "opened_at"),
        ({"opened_at": 1700000000}, "opened_at"),
        ({"opened_at": datetime(2026, 3, 8, 1, 30)}, "opened_at"),
        ({"now": "2026-03-08T02:00:00"}, "now"),
        ({"now": "2026-03-07T00:00:00Z"}, "now"),
        ({"opened_at": "9999-12-31T23:00:00-05:00"}, "opened_at"),  # past datetime's last UTC instant
        ({"opened_at": "9999-01-01T00:00:00Z"}, "opened_at"),
        ({"opened_at": "1969-12-31T23:59:59Z"}, "opened_at"),
        ({"now": "9999-01-01T00:00:00Z"}, "now"),
        ({"now": "2200-01-01T00:00:01Z"}, "now"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"timezone": "../etc/passwd"}, "timezone"),
        ({"calendar": "XX"}, "calendar"),
        ({"calendar": "C"}, "calendar"),
        ({"calendar": "US-ZZ"}, "calendar"),
        ({"target": {"minutes": 60, "business_start": "9:00"}}, "target"),
        ({"target": {"minutes": 60, "clock": "business", "business_start": "25:00"}}, "business_start"),
        ({"target": {"minutes": 60, "business_start": "18:00", "business_end": "09:00"}}, "business_end"),
        ({"target": {"minutes": 60, "business_hours": "9 to 6"}}, "target.business_hours"),
        ({"target": {"minutes": 0}}, "target"),
        ({"policy": "nope"}, "policy"),
        ({"policy": "workflow-tiers", "tier": 7}, "tier"),
        ({"tier": 2}, "tier"),  # a tier without a policy would be silently ignored
        ({"tier": 2, "target": {"minutes": 30}}, "tier"),
        ({"policy": "technical-handoffs", "tier": 1}, "tier"),  # a chain has no tier to pick
        ({"severity": "SEV1"}, "severity"),
        ({"max_updates": 0}, "max_updates"),
    ],
)
def test_bad_input_names_the_field(kwargs: dict, field: str) -> None:
    args = {"severity": "P1", "opened_at": "2026-03-08T01:30:00-05:00", **kwargs}
    with pytest.raises(InputError) as err:
        compute_sla_deadlines(**args)
    assert err.value.field == field
    assert err.value.allowed, "the error should say what is allowed"


def test_notes_name_skipped_holidays_and_make_up_days() -> None:
    # 12 business hours: Friday 1 h, make-up Saturday 9 h, then the break, then 2 h on Tuesday the 24th
    res = compute_sla_deadlines("P1", "2026-02-13T17:00:00+08:00", target={"minutes": 720, **SHANGHAI})
    assert res.first_response_due == datetime.fromisoformat("2026-02-24T11:00:00+08:00")
    text = " ".join(res.notes)
    assert "2026-02-14" in text and "make-up" in text
    assert "2026-02-17 Chinese New Year" in text
    assert "2026-02-20" in text and "2026-02-23" in text  # weekdays turned into days off
    assert "2026-02-21" not in text  # an ordinary weekend is not a holiday worth naming


def test_note_when_calendar_has_no_schedule_for_the_year() -> None:
    """holidays knows China's decreed make-up days only for published years; say so past that."""
    res = compute_sla_deadlines("P1", "2030-02-01T10:00:00+08:00", target={"minutes": 60, **SHANGHAI})
    assert any("no official transfer schedule for CN" in n and "2030" in n for n in res.notes)
    us = compute_sla_deadlines("P1", "2030-02-01T10:00:00-05:00", target={"minutes": 60, **NEW_YORK})
    assert not any("transfer schedule" in n for n in us.notes)


def test_business_hours_parameter_applies_to_default_target() -> None:
    """P3's default target runs on business hours; a window parameter moves it and drops the default note."""
    opened = "2026-07-06T07:00:00-04:00"
    default = compute_sla_deadlines("P3", opened, timezone="America/New_York", calendar="US")
    early = compute_sla_deadlines(
        "P3", opened, timezone="America/New_York", calendar="US", business_hours="07:00-15:00"
    )
    assert default.first_response_due == datetime.fromisoformat("2026-07-06T13:00:00-04:00")
    assert early.first_response_due == datetime.fromisoformat("2026-07-06T11:00:00-04:00")
    assert any("project default" in n for n in default.notes)
    assert not any("project default" in n for n in early.notes)
    assert early.business_hours == "07:00-15:00"


@pytest.mark.integration
def test_import_is_light_and_24x7_needs_no_holiday_data() -> None:
    """Importing the clock, or running a 24x7 target with no calendar, must not load the holidays package."""
    probe = (
        "import sys; from escalation_kit.sla.clock import compute_sla_deadlines as c; a = 'holidays' in sys.modules; "
        "c('P1', '2026-03-08T01:30:00-05:00', target={'minutes': 60}); print(a, 'holidays' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.split() == ["False", "False"]


@pytest.mark.integration
def test_a_calendar_loads_its_own_country_module_once_then_its_day_table(tmp_path) -> None:
    """A CN business clock loads holidays' China module alone, not every country (~330 modules, ~150 ms),
    and saves a day table; the next process answers from the table without importing holidays at all."""
    probe = (
        "import sys, json; from escalation_kit.sla.clock import compute_sla_deadlines as c; "
        "r = c('P1', '2026-09-30T17:00:00+08:00', target={'minutes': 240, 'clock': 'business', "
        "'timezone': 'Asia/Shanghai', 'calendar': 'CN'}); "
        "print(json.dumps([r.first_response_due.isoformat(), "
        "sorted(m for m in sys.modules if m.startswith('holidays.countries')), 'holidays' in sys.modules]))"
    )
    env = {**os.environ, "ESCALATION_KIT_CACHE_DIR": str(tmp_path)}
    runs = [json.loads(subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60,
                                      check=True, env=env).stdout) for _ in range(2)]
    due = "2026-10-08T12:00:00+08:00"  # one hour on 30 Sep, the National Day week skipped, three on 8 Oct
    assert runs[0] == [due, ["holidays.countries.china"], True]
    assert runs[1] == [due, [], False]
    assert [p.name.split("-")[0] for p in (tmp_path / "calendars").iterdir()] == ["CN"]


@pytest.mark.parametrize(
    ("minutes_later", "status", "percent"),
    [
        (10, "on_track", 33.33),
        (15, "at_risk", 50.0),
        (29, "at_risk", 96.67),
        (30, "at_risk", 100.0),  # now == due: the response is due, not yet late
        (31, "breached", 103.33),
    ],
)
def test_status_on_the_24x7_default(minutes_later: int, status: str, percent: float) -> None:
    """P0's default internal target is 30 min round the clock; a weekend night counts in full."""
    opened = datetime(2026, 2, 14, 23, 50, tzinfo=UTC)
    res = compute_sla_deadlines("P0", opened, now=opened + timedelta(minutes=minutes_later))
    assert (res.status, res.percent_consumed) == (status, percent)
    assert res.remaining_minutes == 30 - minutes_later


@pytest.mark.parametrize(
    ("vendor", "plan", "severity"),
    [
        ("aws", "enterprise_support", "P0"),
        ("aws", "business_support", "P1"),
        ("gcp", "standard", "P0"),
        ("azure", None, "P2"),
        ("aws", "basic", "P1"),
        ("alibaba-cn", None, "P0"),
        ("tencent", None, "P1"),
        ("tencent", "enterprise", "P0"),
        ("yandex", "premium", "P0"),
    ],
)
def test_real_catalog_targets_reach_the_clock(vendor: str, plan: str | None, severity: str) -> None:
    """The clock takes the catalog's own figure and clock, or falls back to the default with a reason."""
    path = vendors.pick_vendor_support_path(vendor, severity, plan)
    opened = "2026-02-13T20:00:00+08:00"
    res = compute_sla_deadlines(severity, opened, vendor=vendor, plan=plan, timezone="Asia/Shanghai", calendar="CN")
    case = path.case_severity
    if path.available and case and case.response_minutes:
        clock = case.clock if case.clock in ("24x7", "business") else "24x7"  # unstated clock: the stricter
        assert (res.target_source, res.target_minutes, res.clock) == ("vendor", case.response_minutes, clock)
        assert res.unverified or not case.unverified  # an unverified vendor figure stays flagged
        assert res.unverified or case.clock != "unknown"
    else:
        assert res.target_source == "policy:sla.yaml#default_targets"
        assert any("internal default target is used instead" in n for n in res.notes)
    vendor_steps = [t for t in res.escalation_triggers if t.source.startswith("policy:vendor-escalation.yaml#")]
    assert len(vendor_steps) == len([s for s in path.policy if s.after_minutes is not None])


def test_vendor_minutes_with_unstated_clock_run_24x7(monkeypatch: pytest.MonkeyPatch) -> None:
    """Vendor gives minutes but not the clock: count them round the clock, flag and say so."""
    case = vendors.CaseSeverity(name="Business critical", response_minutes=15, clock="unknown")
    monkeypatch.setattr(sla_clock, "pick_vendor_support_path", lambda *a, **k: _fake_path(case))
    # Saturday night: a business clock would push this to Monday; 24x7 keeps it 15 min away
    res = compute_sla_deadlines("P0", "2026-11-21T23:00:00+08:00", vendor="tencent", timezone="Asia/Shanghai")
    assert (res.target_source, res.target_minutes, res.clock) == ("vendor", 15, "24x7")
    assert res.first_response_due - res.opened_at == timedelta(minutes=15)
    assert res.unverified
    assert any("does not state" in n and "24x7" in n for n in res.notes)
    assert not any("internal default target is used instead" in n for n in res.notes)


def test_unstated_clock_without_minutes_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    case = vendors.CaseSeverity(name="Critical", response_minutes=None, clock="unknown")
    path = _fake_path(case)
    res = compute_sla_deadlines("P0", "2026-11-21T23:00:00+08:00", vendor_path=path)
    assert res.target_source == "policy:sla.yaml#default_targets"
    assert any("no committed first-response time" in n for n in res.notes)


@pytest.mark.parametrize(("plan", "severity"), [(None, "P1"), ("enterprise", "P0"), ("enterprise", "P1")])
def test_clock_commits_what_the_vendor_path_commits(plan: str | None, severity: str) -> None:
    """The clock's target and the vendor path's committed response are the same figure."""
    path = vendors.pick_vendor_support_path("tencent", severity, plan)
    res = compute_sla_deadlines(severity, "2026-11-18T10:00:00Z", vendor="tencent", plan=plan)
    assert path.case_severity is not None and path.case_severity.clock == "unknown"
    assert res.target_minutes == path.case_severity.response_minutes


def test_vendor_and_internal_targets_both_reported() -> None:
    """AWS Developer: 'System impaired' within 12 business hours, against the internal P0 30 min 24x7."""
    path = vendors.pick_vendor_support_path("aws", "P0", "developer")
    res = compute_sla_deadlines("P0", "2026-11-18T10:00:00Z", vendor="aws", plan="developer")
    internal = load_sla_policy().default_targets["P0"]
    assert path.case_severity is not None
    assert (res.target_source, res.target_minutes) == ("vendor", path.case_severity.response_minutes)
    assert (res.internal_target_minutes, res.internal_clock) == (internal.minutes, internal.clock)
    assert res.internal_due - res.opened_at == timedelta(minutes=internal.minutes)
    assert res.internal_due < res.first_response_due
    assert any("later than the internal target" in n for n in res.notes)


def test_no_lateness_note_when_vendor_is_stricter(monkeypatch: pytest.MonkeyPatch) -> None:
    case = vendors.CaseSeverity(name="Urgent", response_minutes=15, clock="24x7")
    path = _fake_path(case)
    res = compute_sla_deadlines("P0", "2026-11-18T10:00:00Z", vendor_path=path)
    assert res.first_response_due < res.internal_due
    assert not any("later than the internal target" in n for n in res.notes)


@pytest.mark.parametrize("severity", ["P0", "P1", "P2", "P3"])
def test_internal_target_given_without_a_vendor(severity: str) -> None:
    """With no vendor the target in force is the internal default, and both fields agree."""
    res = compute_sla_deadlines(severity, "2026-07-03T16:00:00-04:00", timezone="America/New_York", calendar="US")
    assert res.internal_target_minutes == res.target_minutes
    assert res.internal_clock == res.clock
    assert res.internal_due == res.first_response_due
    assert res.internal_due.utcoffset() == res.first_response_due.utcoffset()
    assert res.internal_target_label == res.target_label


def test_range_ends_are_accepted() -> None:
    res = compute_sla_deadlines("P0", "1970-01-01T00:00:00Z", now="2200-01-01T00:00:00Z")
    assert res.status == "breached"
    late = compute_sla_deadlines("P3", "2200-01-01T00:00:00Z", timezone="Asia/Shanghai")
    assert late.first_response_due > late.opened_at


def test_business_clock_far_past_deadline_is_capped() -> None:
    """A business clock stops counting a year after the deadline; within that year it counts exactly."""
    target = {"minutes": 240, **SHANGHAI}
    opened = "2026-02-13T20:00:00+08:00"
    near = compute_sla_deadlines("P1", opened, now="2027-02-13T12:00:00+08:00", target=target)
    far = compute_sla_deadlines("P1", opened, now="2199-06-01T12:00:00+08:00", target=target)
    farther = compute_sla_deadlines("P1", opened, now="2199-12-01T12:00:00+08:00", target=target)
    assert near.status == far.status == "breached"
    assert 240 < near.elapsed_minutes <= far.elapsed_minutes == farther.elapsed_minutes
    assert far.remaining_minutes == 240 - far.elapsed_minutes
    assert any("capped" in n for n in far.notes)
    assert not any("capped" in n for n in near.notes)


@pytest.mark.parametrize(
    ("target", "most"),
    [
        ({"minutes": 5_000_000, "clock": "business"}, None),
        ({"minutes": 5_000_000}, 525_600),
        ({"minutes": 525_601}, 525_600),
    ],
)
def test_oversized_target_names_target_minutes(target: dict, most: int | None) -> None:
    with pytest.raises(InputError) as err:
        compute_sla_deadlines("P1", "2026-11-18T00:00:00Z", target=target)
    assert err.value.field == "target.minutes"
    assert "365 days" in str(err.value)
    if most is not None:
        assert str(most) in " ".join(err.value.allowed)


def test_business_target_limit_is_one_year_of_the_calendar() -> None:
    """The largest business target the error offers fits; one minute more does not."""
    opened = "2026-11-18T00:00:00Z"
    with pytest.raises(InputError) as err:
        compute_sla_deadlines("P1", opened, target={"minutes": 10**6, **SHANGHAI})
    most = int(err.value.allowed[0].split()[2])
    res = compute_sla_deadlines("P1", opened, target={"minutes": most, **SHANGHAI})
    assert res.first_response_due - res.opened_at <= timedelta(days=365)
    with pytest.raises(InputError):
        compute_sla_deadlines("P1", opened, target={"minutes": most + 1, **SHANGHAI})
    assert compute_sla_deadlines("P1", opened, target={"minutes": 525_600}).first_response_due == datetime(
        2027, 11, 18, tzinfo=UTC
    )


def test_calendar_on_a_24x7_target_is_noted() -> None:
    """A holiday calendar does not move a 24x7 deadline: say so rather than let it look applied."""
    opened = "2026-02-16T23:00:00+08:00"  # Spring Festival eve: a business clock would wait a week
    plain = compute_sla_deadlines("P0", opened, timezone="Asia/Shanghai")
    with_cal = compute_sla_deadlines("P0", opened, timezone="Asia/Shanghai", calendar="CN")
    assert with_cal.first_response_due == plain.first_response_due
    assert any("does not affect the 24x7" in n for n in with_cal.notes)
    assert not any("does not affect the 24x7" in n for n in plain.notes)
    business = compute_sla_deadlines("P1", opened, target={"minutes": 60, **SHANGHAI})
    assert not any("does not affect the 24x7" in n for n in business.notes)
    # P2 still uses the calendar for business-day customer updates and its business-hours internal_due
    p2 = compute_sla_deadlines("P2", opened, target={"minutes": 30, "timezone": "Asia/Shanghai", "calendar": "CN"})
    assert any("does not affect the 24x7" in n and "update times" in n for n in p2.notes)
