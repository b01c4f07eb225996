"""list_due, escalation_metrics and export_tracking over a real store."""

from __future__ import annotations

import pytest

from escalation_kit.errors import InputError
from tracker_support import T0, at


def kinds(items, esc_id):
    return sorted(i.kind for i in items if i.escalation_id == esc_id)


def test_due_lists_the_highest_threshold_reached_per_clock(tracker):
    esc = tracker.open({"title": "Checkout down", "severity": "P0"}, at=T0)
    assert kinds(tracker.due(now=at(10)), esc.id) == []
    assert kinds(tracker.due(now=at(16)), esc.id) == ["at_risk_50"]
    assert kinds(tracker.due(now=at(23)), esc.id) == ["at_risk_75"]
    breach = [i for i in tracker.due(now=at(31)) if i.kind == "breach"]
    assert breach and breach[0].next_step and not breach[0].already_notified
    assert kinds(tracker.due(now=at(10), horizon_minutes=10), esc.id) == ["upcoming_at_risk_50"]


def test_a_fired_reminder_is_not_listed_again_unless_asked(tracker):
    esc = tracker.open({"title": "Checkout down", "severity": "P0"}, at=T0)
    item = next(i for i in tracker.due(now=at(31)) if i.kind == "breach")
    tracker.record_event(esc.id, "reminder_fired", at=at(31), payload={"key": item.key})
    assert all(i.key != item.key for i in tracker.due(now=at(32)))
    again = [i for i in tracker.due(now=at(32), include_notified=True) if i.key == item.key]
    assert again and again[0].already_notified
    # a reminder is not activity: the record still stalls on schedule
    assert "stalled" in kinds(tracker.due(now=at(31 + 240)), esc.id)


def test_due_covers_updates_stalls_actions_and_finished_records_stay_silent(tracker):
    esc = tracker.open({"title": "Slow API", "severity": "P1", "owner": "ann"}, at=T0)
    tracker.record_event(esc.id, "first_response_sent", at=at(5))
    tracker.add_action(esc.id, "Rotate the key", owner="bob", due_at=at(30), at=at(6))
    found = kinds(tracker.due(now=at(300)), esc.id)
    assert {"customer_update", "internal_update", "stalled", "action"} <= set(found)
    action = next(i for i in tracker.due(now=at(300)) if i.kind == "action")
    assert "bob" in action.message and "owner" in action.next_step
    tracker.record_event(esc.id, "resolved", at=at(301))
    assert kinds(tracker.due(now=at(400)), esc.id) == []


def test_metrics_compute_mtta_mttr_compliance_and_rates(tracker):
    rows = [  # (severity, ack after, first response after, resolved after, tier raise)
        ("P1", 10, 20, 100, False), ("P1", 30, 90, 300, True), ("P2", 20, 30, 200, False),
    ]
    for n, (sev, ack, fr, fix, raise_tier) in enumerate(rows):
        e = tracker.open({"title": f"case {n}", "severity": sev, "category": "database"}, at=T0)
        tracker.record_event(e.id, "acknowledged", at=at(ack))
        tracker.record_event(e.id, "first_response_sent", at=at(fr))
        if raise_tier:
            tracker.update(e.id, {"tier": 4}, at=at(fr + 1))
        tracker.record_event(e.id, "resolved", at=at(fix))
    tracker.open({"title": "still open", "severity": "P1"}, at=T0)
    m = tracker.metrics("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z", ["severity"], now=at(1000))
    assert (m.total.count, m.total.open) == (4, 1)
    assert m.total.mtta_minutes == 20.0
    assert (m.total.mttr_p50_minutes, m.total.mttr_p90_minutes) == (200.0, 300.0)
    by = {g.group["severity"]: g for g in m.groups}
    assert by["P1"].response_compliance == 0.5 and by["P1"].responses_measured == 2  # 90 min > 60 min target
    assert by["P1"].breaches == 2  # the late response and the open one never answered
    assert m.total.re_escalation_rate == 0.25 and m.total.top_causes == [("database", 3)]
    empty = tracker.metrics("2025-01-01T00:00:00Z", "2025-02-01T00:00:00Z")
    assert empty.total.count == 0 and empty.total.mtta_minutes is None
    with pytest.raises(InputError) as info:
        tracker.metrics("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z", ["colour"])
    assert info.value.field == "group_by"


def test_de_escalation_time_is_measured(tracker):
    e = tracker.open({"title": "x", "severity": "P2"}, at=T0)
    tracker.record_event(e.id, "de_escalated", at=at(90))
    assert tracker.metrics("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z").total.de_escalation_p50_minutes == 90.0


@pytest.mark.parametrize(("lang", "words"), [
    ("en", ["Escalation tracking", "Escalation acknowledged", "Vendor case filed C-7", "Collect logs"]),
    ("ru", ["Эскалация принята", "Открыто обращение к вендору C-7"]),
    ("zh", ["已确认升级", "已向厂商提交工单 C-7"]),
])
def test_export_renders_the_tracking_document_from_the_record(tracker, lang, words):
    e = tracker.open({"title": "RDS down", "severity": "P1", "vendor": "aws", "customer": "Acme"}, at=T0)
    tracker.record_event(e.id, "acknowledged", at=at(5))
    tracker.record_event(e.id, "vendor_case_filed", at=at(10), payload={"case_id": "C-7"})
    tracker.add_action(e.id, "Collect logs", owner="ann", due_at=at(60), at=at(11))
    doc = tracker.export(e.id, lang, "Europe/Moscow")
    assert doc.language == lang and e.id in doc.markdown
    for word in words:
        assert word in doc.markdown, (word, doc.markdown)
    assert "13:05" in doc.markdown  # 10:05 UTC shown in Moscow time


def test_the_cached_checkpoints_give_the_same_due_list_as_computing_them(tracker):
    from datetime import timedelta

    from escalation_kit.timezones import parse_instant
    from escalation_kit.tracker import due as dl

    e = tracker.open({"title": "RDS", "severity": "P1", "vendor": "aws"}, at=T0)
    tracker.record_event(e.id, "vendor_case_filed", at=at(5), payload={"case_id": "C"})
    tracker.add_action(e.id, "logs", owner="ann", due_at=at(30), at=at(6))
    state, raw = tracker.store.one("SELECT s.state, e.checkpoints FROM escalations e JOIN escalation_states s "
                                   "ON s.id = e.id")
    from escalation_kit.tracker import EscalationState

    s = EscalationState.model_validate_json(state)
    for minutes in (10, 45, 300, 1000):
        now = parse_instant(at(minutes), "now")
        computed = dl.due_items(s, now, timedelta(minutes=30), True)
        cached = dl.due_items(s, now, timedelta(minutes=30), True, dl.load_points(raw))
        assert computed == cached and (computed or minutes == 10)


def test_a_response_that_never_came_stays_a_breach_after_resolution(tracker):
    """Seed 000: SLA compliance is tracked through resolution. The vendor's response was due and never came;
    resolving the record afterwards must not erase the breach (nor the late first response)."""
    e = tracker.open({"title": "RDS down", "severity": "P1", "vendor": "aws", "plan": "business"}, at=T0)
    tracker.record_event(e.id, "vendor_case_filed", at=at(10), payload={"case_id": "C-1"})
    vendor_due = next(c for c in tracker.get(e.id, now=at(11)).clocks if c.name == "vendor_response").due_at
    late = (vendor_due - tracker.get(e.id, now=at(11)).state.opened_at).total_seconds() / 60 + 30
    assert "breach" in kinds(tracker.due(now=at(late)), e.id)
    span = ("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z")
    assert tracker.metrics(*span, now=at(late)).total.breaches == 1
    tracker.record_event(e.id, "resolved", at=at(late))
    after = tracker.metrics(*span, now=at(late + 600)).total
    assert after.breaches == 1
    # the first response never came either and its 60-minute target passed before the resolution: it counts missed
    assert (after.responses_measured, after.response_compliance) == (1, 0.0)


def test_a_record_resolved_before_its_targets_without_a_response_is_not_a_breach(tracker):
    e = tracker.open({"title": "Typo", "severity": "P1", "vendor": "aws"}, at=T0)
    tracker.record_event(e.id, "vendor_case_filed", at=at(2), payload={"case_id": "C-2"})
    tracker.record_event(e.id, "resolved", at=at(5))
    m = tracker.metrics("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z", now=at(5000)).total
    assert (m.breaches, m.responses_measured, m.response_compliance) == (0, 0, None)


def test_list_stops_ageing_a_record_when_it_is_finished(tracker):
    """A resolved record's age is how long it was open, not the time since it was opened (it showed 26,760 min)."""
    done = tracker.open({"title": "Fixed", "severity": "P2"}, at=T0)
    tracker.record_event(done.id, "resolved", at=at(90))
    gone = tracker.open({"title": "Closed", "severity": "P3"}, at=T0)
    tracker.close_escalation(gone.id, at=at(30))
    down = tracker.open({"title": "Handed back", "severity": "P3"}, at=T0)
    tracker.record_event(down.id, "de_escalated", at=at(300))
    live = tracker.open({"title": "Still open", "severity": "P2"}, at=T0)
    rows = {r["id"]: r for r in tracker.list(now=at(26_760))}
    assert rows[done.id]["age_minutes"] == 90.0 and rows[done.id]["finished_at"] == at(90)
    assert rows[gone.id]["age_minutes"] == 30.0 and rows[down.id]["age_minutes"] == 300.0
    assert rows[live.id]["age_minutes"] == 26_760.0 and rows[live.id]["finished_at"] is None
    # the age buckets read the same frozen age
    assert [r["id"] for r in tracker.list(age="1h_4h", now=at(26_760))] == [done.id]
    assert [r["id"] for r in tracker.list(age="lt_1h", now=at(26_760))] == [gone.id]
    assert {r["id"] for r in tracker.list(age="4h_24h", now=at(26_760))} == {down.id}
    assert [r["id"] for r in tracker.list(age="gt_7d", now=at(26_760))] == [live.id]
    # reopened, it ages again from its opening
    tracker.record_event(done.id, "reopened", at=at(26_000))
    assert next(r for r in tracker.list(now=at(26_760)) if r["id"] == done.id)["age_minutes"] == 26_760.0


def test_metrics_by_week_and_month_show_the_volume_trend(tracker):
    """Seed 002: 'Track escalation volume trends'. ISO weeks (UTC); a week with nothing counts 0."""
    for day, sev in (("2026-03-02T08:00:00Z", "P1"), ("2026-03-08T23:00:00Z", "P2"), ("2026-03-16T00:00:00Z", "P2"),
                     ("2026-03-17T00:00:00Z", "P3"), ("2026-04-01T00:00:00Z", "P3")):
        tracker.open({"title": "x", "severity": sev}, at=day)
    m = tracker.metrics("2026-03-02T00:00:00Z", "2026-03-30T00:00:00Z", ["week"], now="2026-04-02T00:00:00Z")
    assert [(g.group["week"], g.count) for g in m.groups] == [
        ("2026-W10", 2), ("2026-W11", 0), ("2026-W12", 2), ("2026-W13", 0)]
    assert m.total.count == 4
    m = tracker.metrics("2026-03-01T00:00:00Z", "2026-05-01T00:00:00Z", ["month", "severity"],
                        now="2026-05-02T00:00:00Z")
    assert [(g.group["month"], g.group["severity"], g.count) for g in m.groups] == [
        ("2026-03", "P1", 1), ("2026-03", "P2", 2), ("2026-03", "P3", 1), ("2026-04", "P3", 1)]
    with pytest.raises(InputError) as info:
        tracker.metrics("2000-01-01T00:00:00Z", "2026-03-01T00:00:00Z", ["week"])
    assert info.value.field == "date_to"


def test_escalation_rate_per_category_from_the_callers_ticket_counts(tracker):
    for minutes, category in ((0, "auth"), (10, "auth"), (20, "billing"), (30, None)):
        tracker.open({"title": "x", "severity": "P3", **({"category": category} if category else {})}, at=at(minutes))
    m = tracker.metrics("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z", now=at(60),
                        tickets={"auth": 40, "billing": 10, "search": 5})
    assert [(r.category, r.escalations, r.tickets, r.rate) for r in m.escalation_rates] == [
        ("auth", 2, 40, 0.05), ("billing", 1, 10, 0.1), ("search", 0, 5, 0.0)]
    assert tracker.metrics("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z", now=at(60)).escalation_rates == []


@pytest.mark.parametrize(("tickets", "field"), [({"auth": 1}, "tickets.auth"), ({"auth": 0}, "tickets.auth"),
                                                ({"auth": 2.5}, "tickets.auth"), ({"": 3}, "tickets"),
                                                (["auth"], "tickets")])
def test_ticket_counts_that_cannot_be_a_rate_are_refused_by_name(tracker, tickets, field):
    for minutes in (0, 10):
        tracker.open({"title": "x", "severity": "P3", "category": "auth"}, at=at(minutes))
    with pytest.raises(InputError) as err:
        tracker.metrics("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z", now=at(60), tickets=tickets)
    assert err.value.field == field
