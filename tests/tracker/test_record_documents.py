"""Post-mortem and de-escalation notice pre-filled from a stored record (seeds 001 and 002), with the caller's
facts on top; the notice's decision is the de-escalation policy's, never the caller's."""

from __future__ import annotations

import json

import pytest

from escalation_kit.cli import main
from escalation_kit.errors import InputError
from tracker_support import T0, at


@pytest.fixture
def resolved(tracker):
    esc = tracker.open({"title": "Checkout down", "severity": "P0", "customer": "Acme"}, at=T0)
    tracker.update(esc.id, {"tier": 3}, at=at(20))
    tracker.close_escalation(esc.id, at=at(120), root_cause="A bad deploy of the payment service")
    return esc.id


def test_post_mortem_carries_the_records_timeline_times_and_root_cause(tracker, resolved) -> None:
    doc = tracker.export(resolved, kind="post_mortem")
    md = doc.markdown
    assert "# Post-mortem: Checkout down" in md and resolved in md and "Acme" in md
    assert "A bad deploy of the payment service" in md
    timeline = md.split("## 1. Timeline review", 1)[1].split("## 2.", 1)[0]
    assert timeline.index("Escalation received") < timeline.index("Moved to tier 3") < timeline.index("Resolved")
    assert "[to be filled]" in md  # what the record cannot know (attendees, lessons) is left open, not guessed


def test_callers_facts_win_over_the_record(tracker, resolved) -> None:
    extra = {"root_cause_technical": "Connection pool exhausted", "went_well": ["Rollback in 9 minutes"]}
    md = tracker.export(resolved, kind="post_mortem", facts=extra, language="ru").markdown
    assert "Connection pool exhausted" in md and "A bad deploy" not in md and "Rollback in 9 minutes" in md
    assert "Постмортем" in md or "Разбор" in md


def test_notice_follows_the_policy_not_the_caller(tracker, resolved) -> None:
    early = tracker.export(resolved, kind="deescalation_notice", now=at(150)).markdown
    assert "NOT DE-ESCALATED" in early  # resolved half an hour ago, nobody confirmed: the policy holds it
    confirmed = {"resolution": {"customer_confirmed": True}}
    later = tracker.export(resolved, kind="deescalation_notice", facts=confirmed, now=at(120 + 48 * 60)).markdown
    assert "NOT DE-ESCALATED" not in later and "DE-ESCALATED" in later
    assert "A bad deploy of the payment service" in later  # the record's root cause stays beside the caller's flag


def test_bad_kind_and_bad_facts_are_refused_by_name(tracker, resolved) -> None:
    with pytest.raises(InputError, match="kind"):
        tracker.export(resolved, kind="war_room_kickoff")
    with pytest.raises(InputError, match="went_wel"):
        tracker.export(resolved, kind="post_mortem", facts={"went_wel": ["typo"]})


def test_track_export_kind_and_facts_from_the_command_line(home, tracker, resolved, tmp_path, capsys) -> None:
    facts = tmp_path / "extra.json"
    facts.write_text(json.dumps({"facilitator": "Mira"}), encoding="utf-8")
    assert main(["track", "export", resolved, "--kind", "post_mortem", "--facts", str(facts)]) == 0
    out = capsys.readouterr().out
    assert "Mira" in out and "Moved to tier 3" in out
    facts.write_text("[1]", encoding="utf-8")
    assert main(["track", "export", resolved, "--kind", "post_mortem", "--facts", str(facts)]) == 2
    assert "--facts" in capsys.readouterr().err
