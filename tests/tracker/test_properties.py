"""Any sequence of writes, accepted or refused, leaves a log that verifies and replays to the cached state."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from escalation_kit.errors import InputError
from escalation_kit.tracker import Tracker, open_store
from escalation_kit.tracker.events import replay
from tracker_support import T0, at

OPS = st.sampled_from([
    ("acknowledged", {}), ("first_response_sent", {}), ("note", {"text": "n"}), ("note", {}),
    ("vendor_case_filed", {"case_id": "C"}), ("vendor_responded", {}), ("customer_update_sent", {}),
    ("internal_update", {}), ("paused", {"reason": "awaiting_customer"}), ("paused", {"reason": "awaiting_vendor"}),
    ("resumed", {}), ("de_escalated", {}), ("resolved", {}), ("reopened", {}), ("reminder_fired", {"key": "k"}),
    ("update", {"tier": 3}), ("update", {"owner": "bob"}), ("action", {}), ("done", {"action_id": "A1"}),
    ("close", {}),
])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(OPS, st.integers(min_value=-30, max_value=600)), max_size=25))
def test_every_sequence_verifies_and_replays(steps):
    with tempfile.TemporaryDirectory() as tmp:
        t = Tracker(open_store(f"sqlite:///{Path(tmp) / 'p.db'}"))
        try:
            esc = t.open({"title": "p", "severity": "P1", "vendor": "aws"}, at=T0)
            accepted = 1
            for (kind, payload), minute in steps:
                when = at(minute)
                try:
                    if kind == "update":
                        t.update(esc.id, payload, at=when)
                    elif kind == "action":
                        t.add_action(esc.id, "do it", owner="ann", due_at=at(minute + 30), at=when)
                    elif kind == "done":
                        t.complete_action(esc.id, "A1", at=when)
                    elif kind == "close":
                        t.close_escalation(esc.id, at=when)
                    else:
                        t.record_event(esc.id, kind, at=when, payload=payload)
                    accepted = t.get(esc.id, now=at(700)).state.version
                except InputError:
                    assert t.get(esc.id, now=at(700)).state.version == accepted  # refused: nothing stored
            report = t.verify()
            assert report["ok"], report["problems"]
            view = t.get(esc.id, now=at(700))
            assert replay(view.timeline) == view.state
            assert [c.name for c in view.clocks][0] == "first_response"
            t.due(now=at(700), include_notified=True)
        finally:
            t.close()
