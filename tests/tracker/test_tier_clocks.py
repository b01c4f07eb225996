"""Seed 001's handoff and executive response times as tracker clocks: a tier raise starts a handoff clock
(Tier 1 -> 2: 15 min, Tier 2 -> 3: 30 min), an executive level starts an executive clock (30 m, 1 h, 2 h,
immediate); handoff_accepted and executive_engaged stop them; list_due warns and metrics report them by tier."""

from __future__ import annotations

import json

import pytest

from escalation_kit.cli import main
from escalation_kit.errors import InputError
from tracker_support import T0, at

SPAN = ("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z")


def clock(tracker, esc_id, name, now):
    return next((c for c in tracker.get(esc_id, now=now).clocks if c.name == name), None)


def test_a_tier_raise_starts_a_handoff_clock_with_seed_001_targets(tracker):
    e = tracker.open({"title": "Login fails", "severity": "P3"}, at=T0)  # tier 1
    assert clock(tracker, e.id, "handoff_response", at(5)) is None
    tracker.update(e.id, {"tier": 2}, at=at(10))
    c = clock(tracker, e.id, "handoff_response", at(20))
    assert (c.target_minutes, c.elapsed_minutes, c.status) == (15, 10.0, "at_risk")
    assert "15 minutes" in c.target_label and "technical-handoffs" in c.target_source
    assert clock(tracker, e.id, "handoff_response", at(30)).status == "breached"
    tracker.record_event(e.id, "handoff_accepted", at=at(22))
    c = clock(tracker, e.id, "handoff_response", at(300))
    assert (c.status, c.elapsed_minutes) == ("met", 12.0)
    tracker.update(e.id, {"tier": 3}, at=at(40))  # a new handoff, tier 2 -> 3: 30 minutes
    c = clock(tracker, e.id, "handoff_response", at(50))
    assert (c.target_minutes, c.elapsed_minutes, c.status) == (30, 10.0, "on_track")
    with pytest.raises(InputError) as info:
        tracker.record_event(e.id, "executive_engaged", at=at(41))
    assert info.value.field == "kind"


def test_an_executive_level_starts_its_clock_at_opening_or_when_raised(tracker):
    e = tracker.open({"title": "Reports slow", "severity": "P2", "exec_level": 2}, at=T0)
    c = clock(tracker, e.id, "executive_response", at(45))
    assert (c.target_minutes, c.status) == (60, "at_risk")  # the audit's P2 at level 2: a 1-hour clock runs
    assert clock(tracker, e.id, "executive_response", at(61)).status == "breached"
    tracker.record_event(e.id, "executive_engaged", at=at(50))
    assert clock(tracker, e.id, "executive_response", at(500)).status == "met"
    tracker.update(e.id, {"exec_level": 3}, at=at(100))
    c = clock(tracker, e.id, "executive_response", at(130))
    assert (c.target_minutes, c.elapsed_minutes, c.status) == (120, 30.0, "on_track")
    tracker.update(e.id, {"exec_level": 4}, at=at(140))
    c = clock(tracker, e.id, "executive_response", at(140))
    assert c.target_minutes == 0 and "immediate" in c.target_label.lower()
    assert clock(tracker, e.id, "executive_response", at(141)).status == "breached"


def test_handoff_and_executive_clocks_are_due_items_until_stopped(tracker):
    e = tracker.open({"title": "Login fails", "severity": "P3", "owner": "ann"}, at=T0)
    tracker.update(e.id, {"tier": 2, "exec_level": 1}, at=at(10))
    due = [(i.kind, i.key.split(":")[1].split("@")[0]) for i in tracker.due(now=at(10 + 16))
           if i.escalation_id == e.id]
    assert ("breach", "handoff_response") in due and ("at_risk_50", "executive_response") in due
    steps = {i.key.split(":")[1].split("@")[0]: i.next_step for i in tracker.due(now=at(26))}
    assert "handoff_accepted" in steps["handoff_response"] and "executive_engaged" in steps["executive_response"]
    tracker.record_event(e.id, "handoff_accepted", at=at(27))
    tracker.record_event(e.id, "executive_engaged", at=at(28))
    names = {i.key.split(":")[1].split("@")[0] for i in tracker.due(now=at(100)) if i.escalation_id == e.id}
    assert not names & {"handoff_response", "executive_response"}


def test_metrics_report_handoff_and_executive_compliance_by_tier(tracker):
    met = tracker.open({"title": "a", "severity": "P3"}, at=T0)
    tracker.update(met.id, {"tier": 2}, at=at(1))
    tracker.record_event(met.id, "handoff_accepted", at=at(10))  # 9 of 15 minutes
    late = tracker.open({"title": "b", "severity": "P3"}, at=T0)
    tracker.update(late.id, {"tier": 2, "exec_level": 1}, at=at(1))
    tracker.record_event(late.id, "handoff_accepted", at=at(40))  # 39 of 15 minutes
    tracker.record_event(late.id, "executive_engaged", at=at(20))  # 19 of 30 minutes
    m = tracker.metrics(*SPAN, ["tier"], now=at(100))
    assert (m.total.handoff_compliance, m.total.handoffs_measured) == (0.5, 2)
    assert (m.total.executive_compliance, m.total.executive_measured) == (1.0, 1)
    assert m.total.breaches == 1  # the late handoff
    assert [(g.group["tier"], g.handoff_compliance) for g in m.groups] == [(2, 0.5)]
    from escalation_kit.tracker.metrics_report import render_metrics

    report = render_metrics(m, "en")
    assert "| Tier handoff picked up within target | 50% of 2 | 50% of 2 |" in report
    assert "| Executive response within target | 100% of 1 | 100% of 1 |" in report


def test_logs_from_before_these_clocks_still_verify_and_gain_them(tracker):
    """A record cached by the previous version (no handoff fields) is rebuilt from its log on upgrade."""
    from escalation_kit.tracker import Tracker, open_store

    e = tracker.open({"title": "a", "severity": "P3", "exec_level": 1}, at=T0)
    tracker.update(e.id, {"tier": 2}, at=at(1))
    raw = json.loads(tracker.store.one("SELECT state FROM escalation_states WHERE id = ?", (e.id,))[0])
    for key in ("handoff_at", "handoff_to", "handoff_accepted_at", "exec_at", "exec_engaged_at"):
        raw.pop(key)
    tracker.store.execute("UPDATE escalation_states SET state = ? WHERE id = ?", (json.dumps(raw), e.id))
    tracker.store.execute("UPDATE escalations SET cache_version = 5")
    again = Tracker(open_store())
    try:
        assert again.verify()["ok"]
        assert clock(again, e.id, "handoff_response", at(5)).target_minutes == 15
        assert clock(again, e.id, "executive_response", at(5)).target_minutes == 30
    finally:
        again.close()


def test_cli_records_handoff_accepted_and_executive_engaged(home, capsys):
    assert main(["track", "open", "x", "--severity", "P3", "--exec-level", "1", "--at", T0]) == 0
    assert main(["track", "update", "ESC-2026-0001", "--tier", "2", "--at", at(1)]) == 0
    assert main(["track", "event", "ESC-2026-0001", "handoff_accepted", "--at", at(5)]) == 0
    assert main(["track", "event", "ESC-2026-0001", "executive_engaged", "--at", at(6)]) == 0
    capsys.readouterr()
    assert main(["track", "event", "ESC-2026-0001", "handoff_accepted", "--at", at(7)]) == 2
    assert "kind" in capsys.readouterr().err
    assert main(["track", "show", "ESC-2026-0001", "--now", at(8)]) == 0
    out = capsys.readouterr().out
    assert "handoff_response" in out and "executive_response" in out


@pytest.mark.anyio
async def test_mcp_records_the_pickup_and_shows_the_clocks(home):
    from escalation_kit.mcp.server import build_server
    from mcp import Client

    async with Client(build_server()) as c:
        esc = (await c.call_tool("open_escalation", {"title": "x", "severity": "P3", "exec_level": 3, "at": T0}))
        esc_id = esc.structured_content["id"]
        await c.call_tool("update_escalation", {"escalation_id": esc_id, "tier": 2, "at": at(1)})
        done = await c.call_tool("record_event", {"escalation_id": esc_id, "kind": "handoff_accepted", "at": at(5)})
        assert not done.is_error
        view = (await c.call_tool("get_escalation", {"escalation_id": esc_id, "now": at(10)})).structured_content
        clocks = {k["name"]: k for k in view["clocks"]}
        assert clocks["handoff_response"]["status"] == "met"
        assert (clocks["executive_response"]["target_minutes"], clocks["executive_response"]["status"]) == (
            120, "on_track")
