"""Opening without a tier starts at the tier the routing policy gives the severity, not at tier 1."""

from __future__ import annotations

import json

import pytest

from escalation_kit.cli import main
from escalation_kit.routing import determine_escalation
from tracker_support import T0, at

SPAN = ("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z")


@pytest.mark.parametrize("severity", ["P0", "P1", "P2", "P3"])
def test_open_takes_the_default_tier_from_routing(tracker, severity):
    state = tracker.open({"title": "x", "severity": severity}, at=T0)
    assert state.tier == determine_escalation(severity).tier
    # the tier is written into the 'created' event, so replay never depends on the policy of the day
    assert tracker.events(state.id)[0].payload["tier"] == state.tier


def test_a_p1_opens_at_tier_3_and_an_explicit_tier_is_kept(tracker):
    assert tracker.open({"title": "db down", "severity": "P1"}, at=T0).tier == 3
    assert tracker.open({"title": "db down", "severity": "P1", "tier": 1}, at=T0).tier == 1


def test_the_routing_tier_is_not_a_re_escalation(tracker):
    """Before, a P1 opened at tier 1 and moved to tier 3 (where routing puts it) counted as re-escalated."""
    e = tracker.open({"title": "db down", "severity": "P1"}, at=T0)
    tracker.update(e.id, {"tier": 3, "owner": "ann"}, at=at(5))  # tier already 3: only the owner changes
    assert [ev.kind for ev in tracker.events(e.id)] == ["created", "owner_changed"]
    assert tracker.metrics(*SPAN, now=at(10)).total.re_escalation_rate == 0.0
    tracker.update(e.id, {"tier": 4}, at=at(20))  # a real raise still counts
    assert tracker.metrics(*SPAN, now=at(30)).total.re_escalation_rate == 1.0


def test_cli_open_without_tier_uses_routing(home, capsys):
    assert main(["track", "--json", "open", "Checkout down", "--severity", "P1", "--at", T0]) == 0
    assert json.loads(capsys.readouterr().out)["tier"] == 3
    assert main(["track", "open", "Checkout down", "--severity", "P2", "--tier", "5", "--at", T0]) == 2
    err = capsys.readouterr().err
    assert "tier" in err and "Traceback" not in err
