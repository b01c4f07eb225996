"""SLA clocks computed from the events: stop at the response, start at the vendor case, pause, vendor steps."""

from __future__ import annotations

from tracker_support import T0, at


def clock(tracker, esc_id, name, now):
    return next(c for c in tracker.get(esc_id, now=now).clocks if c.name == name)


def test_a_p0_answered_in_ten_minutes_is_met_not_breached_hours_later(tracker):
    esc = tracker.open({"title": "Checkout down", "severity": "P0"}, at=T0)
    tracker.record_event(esc.id, "first_response_sent", at=at(10))
    fr = clock(tracker, esc.id, "first_response", at(300))
    assert (fr.status, fr.elapsed_minutes, fr.target_minutes) == ("met", 10.0, 30)
    assert fr.stopped_at is not None and fr.percent_consumed < 50


def test_an_unanswered_p0_breaches_at_its_target(tracker):
    esc = tracker.open({"title": "Checkout down", "severity": "P0"}, at=T0)
    assert clock(tracker, esc.id, "first_response", at(10)).status == "on_track"
    assert clock(tracker, esc.id, "first_response", at(20)).status == "at_risk"
    late = clock(tracker, esc.id, "first_response", at(75))
    assert (late.status, late.elapsed_minutes, late.remaining_minutes) == ("breached", 75.0, -45.0)


def test_the_vendor_clock_starts_at_the_case_and_stops_at_the_response(tracker):
    esc = tracker.open({"title": "RDS down", "severity": "P1", "vendor": "aws"}, at=T0)
    names = [c.name for c in tracker.get(esc.id, now=at(60)).clocks]
    assert "vendor_response" not in names
    tracker.record_event(esc.id, "vendor_case_filed", at=at(180), payload={"case_id": "C-9"})
    running = clock(tracker, esc.id, "vendor_response", at(200))
    assert running.elapsed_minutes == 20.0 and running.owner == "vendor"
    assert running.started_at.isoformat().startswith("2026-03-06T13:00")
    tracker.record_event(esc.id, "vendor_responded", at=at(215))
    done = clock(tracker, esc.id, "vendor_response", at(900))
    assert (done.status, done.elapsed_minutes) == ("met", 35.0)


def test_a_pause_stops_the_count_and_moves_the_due_time(tracker):
    esc = tracker.open({"title": "Export fails", "severity": "P1"}, at=T0)
    plain = clock(tracker, esc.id, "first_response", at(1)).due_at
    tracker.record_event(esc.id, "paused", at=at(10), payload={"reason": "awaiting_customer"})
    paused = clock(tracker, esc.id, "first_response", at(40))
    assert (paused.status, paused.due_at, paused.elapsed_minutes, paused.paused_minutes) == ("paused", None, 10.0, 30.0)
    tracker.record_event(esc.id, "resumed", at=at(40))
    after = clock(tracker, esc.id, "first_response", at(50))
    assert (after.elapsed_minutes, after.paused_minutes) == (20.0, 30.0)
    assert (after.due_at - plain).total_seconds() == 30 * 60


def test_awaiting_the_vendor_does_not_stop_the_vendor_clock(tracker):
    esc = tracker.open({"title": "RDS down", "severity": "P1", "vendor": "aws"}, at=T0)
    tracker.record_event(esc.id, "vendor_case_filed", at=at(0), payload={"case_id": "C-1"})
    tracker.record_event(esc.id, "paused", at=at(5), payload={"reason": "awaiting_vendor"})
    vendor = clock(tracker, esc.id, "vendor_response", at(30))
    internal = clock(tracker, esc.id, "first_response", at(30))
    assert (vendor.elapsed_minutes, vendor.paused_minutes) == (30.0, 0.0)
    assert (internal.status, internal.elapsed_minutes) == ("paused", 5.0)


def test_the_account_manager_step_fires_only_while_the_vendor_is_silent(tracker):
    silent = tracker.open({"title": "RDS down", "severity": "P1", "vendor": "aws"}, at=T0)
    tracker.record_event(silent.id, "vendor_case_filed", at=at(10), payload={"case_id": "C-1"})
    answered = tracker.open({"title": "RDS down too", "severity": "P1", "vendor": "aws"}, at=T0)
    tracker.record_event(answered.id, "vendor_case_filed", at=at(10), payload={"case_id": "C-2"})
    tracker.record_event(answered.id, "vendor_responded", at=at(100))
    steps = clock(tracker, silent.id, "vendor_response", at(400)).triggers
    manager = [s for s in steps if "account manager" in s["label"]]
    assert manager and manager[0]["fires"] and manager[0]["fired"]
    assert not any("File the case" in s["label"] for s in steps)  # timed from detection: moot once filed
    steps = clock(tracker, answered.id, "vendor_response", at(400)).triggers
    quiet = [s for s in steps if "account manager" in s["label"]]
    assert quiet and not quiet[0]["fires"] and not quiet[0]["fired"]


def test_the_customer_update_clock_restarts_at_each_update(tracker):
    esc = tracker.open({"title": "Checkout down", "severity": "P0"}, at=T0)
    tracker.record_event(esc.id, "first_response_sent", at=at(10))
    first = clock(tracker, esc.id, "customer_update", at(60))
    assert first.due_at.isoformat().startswith("2026-03-06T12:10")  # critical cadence: every 2 hours
    tracker.record_event(esc.id, "customer_update_sent", at=at(100))
    assert clock(tracker, esc.id, "customer_update", at(110)).due_at.isoformat().startswith("2026-03-06T13:40")


def test_a_business_hours_clock_pauses_in_business_minutes(tracker):
    # P3 runs on the internal business clock (09:00-18:00); Friday 2026-03-06 10:00 UTC.
    esc = tracker.open({"title": "Docs typo", "severity": "P3", "timezone": "UTC"}, at=T0)
    tracker.record_event(esc.id, "paused", at=at(60), payload={"reason": "awaiting_customer"})
    tracker.record_event(esc.id, "resumed", at=at(120))
    fr = clock(tracker, esc.id, "first_response", at(180))
    assert fr.clock == "business" and (fr.elapsed_minutes, fr.paused_minutes) == (120.0, 60.0)
