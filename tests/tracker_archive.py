"""The archiving scenario shared by the SQLite and PostgreSQL tracker tests."""

from __future__ import annotations

import pytest

from escalation_kit.errors import InputError
from tracker_support import T0, at

SPAN = ("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z")


def archive_flow(t) -> dict:
    """One scenario on any store: returns what a reader sees, for the SQLite and PostgreSQL tests alike."""
    old = t.open({"title": "Old", "severity": "P3"}, at=T0)
    t.close_escalation(old.id, at=at(60), root_cause="config")
    new = t.open({"title": "Newer", "severity": "P3"}, at=at(1))
    t.close_escalation(new.id, at=at(3000))
    live = t.open({"title": "Live", "severity": "P2"}, at=at(2))
    with pytest.raises(InputError) as info:
        t.record_event(live.id, "archived", at=at(10))
    assert info.value.field == "kind" and "closed" in str(info.value)
    assert t.archive_closed(before=at(1000), at=at(4000)) == [old.id]
    assert t.archive_closed(before=at(1000), at=at(4001)) == []  # nothing left to archive: nothing written
    seen = {
        "default": [r["id"] for r in t.list(now=at(5000))],
        "only": [r["id"] for r in t.list(archived="only", now=at(5000))],
        "include": [r["id"] for r in t.list(archived="include", now=at(5000))],
        "count": t.metrics(*SPAN, now=at(5000)).total.count,
        "archived_at": t.get(old.id).state.archived_at.isoformat(),
    }
    for kind in ("note", "reopened", "archived"):
        with pytest.raises(InputError) as info:
            t.record_event(old.id, kind, at=at(4100), payload={"text": "x"})
        assert info.value.field == "kind" and "archived" in str(info.value), kind
    t.record_event(old.id, "unarchived", at=at(4200))
    t.record_event(old.id, "reopened", at=at(4300))
    seen["after"] = t.get(old.id).state.status
    seen["verify"] = t.verify()["ok"]
    return seen
