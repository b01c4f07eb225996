"""The append-only log: ids, idempotency, versions, ordering rules, redaction, hash chain, storage settings."""

from __future__ import annotations

import sqlite3

import pytest

from escalation_kit.errors import InputError
from escalation_kit.tracker import Tracker, default_db_path, open_store
from tracker_support import T0, at


def count_events(tracker: Tracker) -> int:
    return tracker.store.one("SELECT COUNT(*) FROM events")[0]


def test_the_file_is_created_on_first_use_with_wal_and_foreign_keys(home):
    db = home / "escalations.db"
    assert not db.exists()
    t = Tracker(open_store())
    assert default_db_path() == db and db.exists()
    assert t.store.one("PRAGMA journal_mode")[0] == "wal"
    assert t.store.one("PRAGMA foreign_keys")[0] == 1
    assert t.store.one("PRAGMA busy_timeout")[0] >= 5000
    with pytest.raises(sqlite3.IntegrityError):
        t.store.execute("INSERT INTO events (escalation_id, seq, kind, at, actor, payload, prev_hash, hash, "
                        "recorded_at) VALUES ('ESC-0', 1, 'note', 'x', 'a', '{}', 'p', 'h', 'r')")
    t.close()


def test_default_path_follows_xdg_when_no_home_is_set(monkeypatch, tmp_path):
    monkeypatch.delenv("ESCALATION_KIT_HOME", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_db_path() == tmp_path / "xdg" / "escalation-kit" / "escalations.db"


def test_ids_are_stable_and_sequential_per_year(tracker):
    a = tracker.open({"title": "A", "severity": "P1"}, at=T0)
    b = tracker.open({"title": "B", "severity": "P2"}, at=at(5))
    c = tracker.open({"title": "C", "severity": "P2"}, at="2027-01-02T00:00:00+00:00")
    assert (a.id, b.id, c.id) == ("ESC-2026-0001", "ESC-2026-0002", "ESC-2027-0001")
    assert tracker.get(a.id, now=at(1)).state.title == "A"


def test_a_retried_write_with_the_same_key_is_stored_once(tracker):
    first = tracker.open({"title": "A", "severity": "P1"}, at=T0, idempotency_key="open-1")
    again = tracker.open({"title": "A", "severity": "P1"}, at=T0, idempotency_key="open-1")
    assert again.id == first.id and tracker.store.one("SELECT COUNT(*) FROM escalations")[0] == 1
    tracker.record_event(first.id, "acknowledged", at=at(3), idempotency_key="ack-1")
    state = tracker.record_event(first.id, "acknowledged", at=at(3), idempotency_key="ack-1")
    assert state.version == 2 and count_events(tracker) == 2
    with pytest.raises(InputError) as info:
        tracker.record_event(first.id, "note", at=at(4), payload={"text": "other"}, idempotency_key="ack-1")
    assert info.value.field == "idempotency_key" and count_events(tracker) == 2


def test_a_wrong_version_is_refused_and_nothing_is_stored(tracker):
    esc = tracker.open({"title": "A", "severity": "P1"}, at=T0)
    tracker.record_event(esc.id, "acknowledged", at=at(1), expected_version=1)
    with pytest.raises(InputError) as info:
        tracker.record_event(esc.id, "note", at=at(2), payload={"text": "late"}, expected_version=1)
    assert info.value.field == "expected_version" and "version 2" in str(info.value)
    assert count_events(tracker) == 2


@pytest.mark.parametrize(("kind", "payload", "field"), [
    ("vendor_responded", {}, "kind"),            # a response before the case exists
    ("resumed", {}, "kind"),                     # resume without a pause
    ("paused", {"reason": "lunch"}, "payload.reason"),
    ("reopened", {}, "kind"),                    # reopen something open
    ("note", {}, "payload.text"),
])
def test_out_of_order_or_malformed_events_are_refused(tracker, kind, payload, field):
    esc = tracker.open({"title": "A", "severity": "P1"}, at=T0)
    with pytest.raises(InputError) as info:
        tracker.record_event(esc.id, kind, at=at(5), payload=payload)
    assert info.value.field == field
    assert count_events(tracker) == 1 and tracker.get(esc.id, now=at(6)).state.version == 1


def test_times_before_opened_at_unknown_ids_and_closed_records_are_refused(tracker):
    esc = tracker.open({"title": "A", "severity": "P1"}, at=T0)
    with pytest.raises(InputError) as info:
        tracker.record_event(esc.id, "acknowledged", at=at(-1))
    assert info.value.field == "at"
    with pytest.raises(InputError) as info:
        tracker.record_event("ESC-2026-9999", "acknowledged", at=at(1))
    assert info.value.field == "escalation_id"
    tracker.record_event(esc.id, "resolved", at=at(10))
    with pytest.raises(InputError) as info:
        tracker.record_event(esc.id, "resolved", at=at(11))
    assert info.value.field == "kind"
    tracker.close_escalation(esc.id, at=at(12))
    with pytest.raises(InputError):
        tracker.record_event(esc.id, "acknowledged", at=at(13))
    assert tracker.record_event(esc.id, "reopened", at=at(14)).status == "in_progress"
    assert [e.kind for e in tracker.events(esc.id)] == ["created", "resolved", "closed", "reopened"]


def test_vendor_cannot_respond_before_the_case_was_filed(tracker):
    esc = tracker.open({"title": "A", "severity": "P1", "vendor": "aws"}, at=T0)
    tracker.record_event(esc.id, "vendor_case_filed", at=at(30), payload={"case_id": "C-1"})
    with pytest.raises(InputError) as info:
        tracker.record_event(esc.id, "vendor_responded", at=at(20))
    assert info.value.field == "at" and count_events(tracker) == 2


def test_payloads_are_redacted_before_they_are_stored(tracker):
    esc = tracker.open({"title": "Login broken for ops@example.com", "severity": "P2"}, at=T0)
    tracker.record_event(esc.id, "note", at=at(1), payload={"text": "db password=hunter2 from the log"})
    raw = " ".join(r[0] for r in tracker.store.all("SELECT payload FROM events"))
    raw += tracker.store.one("SELECT state FROM escalation_states")[0]
    assert "hunter2" not in raw and "ops@example.com" not in raw
    assert "REDACTED" in raw


def test_update_writes_one_event_per_changed_field_and_counts_tier_raises(tracker):
    esc = tracker.open({"title": "A", "severity": "P2", "tier": 1, "owner": "ann"}, at=T0)
    state = tracker.update(esc.id, {"tier": 3, "owner": "bob", "severity": "P2"}, at=at(5), reason="beyond tier 1")
    assert (state.tier, state.owner, state.status, state.tier_raises) == (3, "bob", "escalated", 1)
    kinds = [e.kind for e in tracker.events(esc.id)]
    assert kinds == ["created", "owner_changed", "tier_changed"]
    with pytest.raises(InputError) as info:
        tracker.update(esc.id, {"colour": "red"}, at=at(6))
    assert info.value.field == "changes"


def test_verify_finds_an_edited_event(tracker):
    esc = tracker.open({"title": "A", "severity": "P1"}, at=T0)
    tracker.record_event(esc.id, "note", at=at(1), payload={"text": "we will call at 11"})
    tracker.record_event(esc.id, "acknowledged", at=at(2))
    report = tracker.verify()
    assert report["ok"] and report["events"] == 3
    tracker.store.execute("UPDATE events SET payload = ? WHERE seq = 2", ('{"text": "we never promised"}',))
    report = tracker.verify()
    assert not report["ok"] and "event 2" in report["problems"][0]


def test_verify_finds_a_deleted_event(tracker):
    esc = tracker.open({"title": "A", "severity": "P1"}, at=T0)
    for n in range(3):
        tracker.record_event(esc.id, "note", at=at(n + 1), payload={"text": f"n{n}"})
    tracker.store.execute("DELETE FROM events WHERE seq = 2")
    assert "missing" in " ".join(tracker.verify()["problems"])


def test_the_cached_state_is_the_replayed_log(tracker):
    from escalation_kit.tracker.events import replay

    esc = tracker.open({"title": "A", "severity": "P1", "vendor": "aws"}, at=T0)
    tracker.record_event(esc.id, "vendor_case_filed", at=at(5), payload={"case_id": "1"})
    tracker.record_event(esc.id, "paused", at=at(6), payload={"reason": "awaiting_customer"})
    tracker.record_event(esc.id, "resumed", at=at(9))
    tracker.add_action(esc.id, "Collect RDS slow log", owner="ann", due_at=at(60), at=at(10))
    tracker.complete_action(esc.id, "A1", at=at(20))
    cached = tracker.get(esc.id, now=at(30)).state
    assert replay(tracker.events(esc.id)) == cached
    assert cached.actions["A1"].done_at is not None and len(cached.pauses) == 1


def test_a_batch_writes_the_same_log_and_state_as_single_writes(tracker, tmp_path):
    from escalation_kit.tracker import Tracker, open_store

    def scenario(t: Tracker) -> None:
        e = t.open({"title": "A", "severity": "P1", "vendor": "aws"}, at=T0)
        t.record_event(e.id, "acknowledged", at=at(1))
        t.record_event(e.id, "vendor_case_filed", at=at(2), payload={"case_id": "C"})
        t.update(e.id, {"tier": 2}, at=at(3))
        t.record_event(e.id, "resolved", at=at(4))

    scenario(tracker)
    other = Tracker(open_store(f"sqlite:///{tmp_path / 'batch.db'}"))
    with other.batch():
        scenario(other)
    cols = "e.id, version, last_hash, status, first_response_due, vendor_due, attention_at, checkpoints, s.state"
    sql = f"SELECT {cols} FROM escalations e JOIN escalation_states s ON s.id = e.id"
    assert other.store.all(sql) == tracker.store.all(sql)
    assert other.verify()["ok"]
    other.close()


def test_a_retry_without_an_explicit_time_is_still_the_same_request(tracker):
    import time

    first = tracker.open({"title": "A", "severity": "P1"}, idempotency_key="k")
    tracker.record_event(first.id, "note", payload={"text": "x"}, idempotency_key="n")
    time.sleep(0.01)
    assert tracker.open({"title": "A", "severity": "P1"}, idempotency_key="k").id == first.id
    assert tracker.record_event(first.id, "note", payload={"text": "x"}, idempotency_key="n").version == 2


def test_list_filters_and_refuses_unknown_statuses(tracker):
    tracker.open({"title": "A", "severity": "P1", "owner": "ann"}, at=T0)
    b = tracker.open({"title": "B", "severity": "P2", "owner": "bob"}, at=at(300))
    tracker.record_event(b.id, "resolved", at=at(301))
    assert [r["title"] for r in tracker.list(status="active")] == ["A"]
    assert [r["title"] for r in tracker.list(owner="bob")] == ["B"]
    assert [r["title"] for r in tracker.list(age="4h_24h", now=at(400))] == ["A"]
    with pytest.raises(InputError) as info:
        tracker.list(status="sleeping")
    assert info.value.field == "status"


def test_a_version_1_database_is_migrated_in_place(tmp_path):
    from escalation_kit.tracker.migrations import LATEST, MIGRATIONS

    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
                   "applied_at TEXT NOT NULL)")
        for sql in MIGRATIONS[0][2]:
            db.execute(sql)
        db.execute("INSERT INTO schema_migrations VALUES (1, 'v1', '2026-01-01')")
    t = Tracker(open_store(f"sqlite:///{path}"))
    assert LATEST >= 2 and t.store.one("SELECT MAX(version) FROM schema_migrations")[0] == LATEST
    e = t.open({"title": "after upgrade", "severity": "P2"}, at=T0)
    assert t.store.one("SELECT checkpoints FROM escalations WHERE id = ?", (e.id,))[0]
    t.close()
