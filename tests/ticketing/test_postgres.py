"""The sync on the tracker's PostgreSQL store (a real server the test starts): once per event, retried on failure."""

from __future__ import annotations

import pytest

from escalation_kit.tracker import Tracker, open_store
from ticketing_support import sync_jira
from tracker_pg import fresh_database, postgres_server
from tracker_support import T0, at

pytestmark = pytest.mark.integration


def test_jira_sync_on_postgres(home, jira, monkeypatch):
    with postgres_server() as server:
        monkeypatch.setenv("ESCALATION_KIT_DB_URL", fresh_database(server, "tickets"))
        tracker = Tracker(open_store())
        try:
            esc = tracker.open({"title": "Checkout down", "severity": "P0"}, at=T0)
            assert sync_jira(jira, "--now", at(1)) == 0
            tracker.update(esc.id, {"severity": "P1"}, at=at(2))
            jira.fail["edit"] = [502]
            assert sync_jira(jira, "--now", at(3)) == 1
            assert jira.issues["OPS-1"]["comments"] == []
            assert sync_jira(jira, "--now", at(4)) == 0
            assert sync_jira(jira, "--now", at(5)) == 0
            assert len(jira.issues["OPS-1"]["comments"]) == 1 and len(jira.issues) == 1
            assert jira.issues["OPS-1"]["fields"]["priority"] == {"name": "High"}
            keys = [e.payload["key"] for e in tracker.events(esc.id) if e.kind == "ticket_synced"]
            assert keys == [f"{esc.id}:ticket:jira:link", f"{esc.id}:ticket:jira:3"]
            assert tracker.verify(esc.id)["ok"]
        finally:
            tracker.close()
