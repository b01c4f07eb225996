"""kill -9 in the middle of a stream of writes, and two processes writing one SQLite file at once."""

from __future__ import annotations

import pytest

from tracker_durability import kill_nine_rounds, two_writers
from tracker_support import T0

pytestmark = pytest.mark.integration


@pytest.mark.slow
def test_kill_nine_loses_no_acknowledged_event_and_leaves_no_torn_one(tracker, home):
    esc = tracker.open({"title": "stream", "severity": "P2"}, at=T0)
    result = kill_nine_rounds(tracker, f"sqlite:///{home / 'escalations.db'}", esc.id, rounds=12)
    assert result["kills"] == 12 and result["acked"] > 12
    assert tracker.store.one("PRAGMA integrity_check")[0] == "ok"


@pytest.mark.slow
def test_two_processes_writing_one_sqlite_file(tracker, home):
    esc = tracker.open({"title": "shared", "severity": "P2"}, at=T0)
    two_writers(tracker, f"sqlite:///{home / 'escalations.db'}", esc.id, notes=150, opens=20)
