"""The tracker on a real PostgreSQL server the test starts itself: same schema, same answers, durability."""

from __future__ import annotations

import itertools

import pytest

from escalation_kit.errors import InputError
from escalation_kit.tracker import Tracker, open_store
from escalation_kit.tracker.migrations import LATEST
from tracker_archive import archive_flow
from tracker_durability import kill_nine_rounds, two_writers
from tracker_pg import fresh_database, postgres_server
from tracker_support import T0, at

pytestmark = pytest.mark.integration
_names = itertools.count()


@pytest.fixture(scope="module")
def pg_server():
    with postgres_server() as url:
        yield url


@pytest.fixture
def pg_url(pg_server, monkeypatch):
    url = fresh_database(pg_server, f"t{next(_names)}")
    monkeypatch.setenv("ESCALATION_KIT_DB_URL", url)
    return url


@pytest.fixture
def pg(pg_url):
    t = Tracker(open_store())
    yield t
    t.close()


def same_on_sqlite(pg: Tracker, path, flow):
    """Run ``flow`` on PostgreSQL and on a fresh SQLite file; the answers must be equal. Returns them."""
    lite = Tracker(open_store(f"sqlite:///{path}"))
    try:
        seen = flow(pg)
        assert seen == flow(lite)
    finally:
        lite.close()
    return seen


def script(t: Tracker) -> list[dict]:
    """One scenario, returning everything a reader would see; run on both stores and compared."""
    a = t.open({"title": "RDS down password=hunter2", "severity": "P1", "vendor": "aws", "customer": "Acme"}, at=T0,
               idempotency_key="o1")
    t.open({"title": "RDS down password=hunter2", "severity": "P1", "vendor": "aws", "customer": "Acme"}, at=T0,
           idempotency_key="o1")
    b = t.open({"title": "Docs", "severity": "P3"}, at=at(1))
    t.record_event(a.id, "acknowledged", at=at(5))
    t.record_event(a.id, "vendor_case_filed", at=at(10), payload={"case_id": "C-1"}, idempotency_key="v1")
    t.record_event(a.id, "vendor_case_filed", at=at(10), payload={"case_id": "C-1"}, idempotency_key="v1")
    t.record_event(a.id, "paused", at=at(20), payload={"reason": "awaiting_customer"})
    t.record_event(a.id, "resumed", at=at(35))
    t.update(a.id, {"tier": 3, "owner": "ann"}, at=at(36))
    t.add_action(b.id, "Fix typo", owner="bob", due_at=at(60), at=at(2))
    t.record_event(b.id, "first_response_sent", at=at(30))
    t.record_event(b.id, "resolved", at=at(90))
    seen = [t.get(a.id, now=at(120)).model_dump(mode="json"), t.get(b.id, now=at(120)).model_dump(mode="json")]
    seen.append({"due": [i.model_dump(mode="json") for i in t.due(now=at(600), horizon_minutes=60)]})
    seen.append(t.metrics("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z", ["severity"], now=at(600))
                .model_dump(mode="json"))
    seen.append({"list": t.list(now=at(600))})
    seen.append({"trend": [(g.group, g.count) for g in t.metrics("2026-03-01T00:00:00Z", "2026-03-20T00:00:00Z",
                                                                    ["week"], now=at(600)).groups],
                 "by_month": [(g.group, g.count) for g in t.metrics("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z",
                                                                       ["month", "tier"], now=at(600)).groups]})
    seen.append({age: [r["id"] for r in t.list(age=age, now=at(600))] for age in ("lt_1h", "1h_4h", "4h_24h")})
    seen.append({"export": t.export(a.id, "zh").markdown})
    return seen


def test_postgres_and_sqlite_give_the_same_answers(pg, tmp_path):
    seen = same_on_sqlite(pg, tmp_path / "e.db", script)
    assert seen[-2] == {"lt_1h": [], "1h_4h": ["ESC-2026-0002"], "4h_24h": ["ESC-2026-0001"]}  # b resolved at 90
    assert seen[-3]["trend"] == [({"week": "2026-W09"}, 0), ({"week": "2026-W10"}, 2), ({"week": "2026-W11"}, 0),
                                 ({"week": "2026-W12"}, 0)]
    assert seen[-3]["by_month"] == [({"month": "2026-03", "tier": 1}, 1), ({"month": "2026-03", "tier": 3}, 1)]
    assert pg.verify()["ok"]
    assert pg.store.one("SELECT MAX(version) FROM schema_migrations")[0] == LATEST
    assert pg.store.migrate() == LATEST  # a second migration run changes nothing


def test_postgres_refuses_bad_writes_and_detects_tampering(pg):
    esc = pg.open({"title": "x", "severity": "P2"}, at=T0)
    with pytest.raises(InputError) as info:
        pg.record_event(esc.id, "note", at=at(1), payload={"text": "y"}, expected_version=5)
    assert info.value.field == "expected_version"
    with pytest.raises(InputError) as info:
        pg.record_event(esc.id, "vendor_responded", at=at(1))
    assert info.value.field == "kind"
    pg.record_event(esc.id, "note", at=at(2), payload={"text": "call at 11"})
    assert pg.store.one("SELECT COUNT(*) FROM events")[0] == 2
    pg.store.execute("UPDATE events SET payload = '{\"text\": \"no call\"}' WHERE seq = 2")
    assert not pg.verify()["ok"]


@pytest.mark.slow
def test_kill_nine_against_postgres(pg, pg_url):
    esc = pg.open({"title": "stream", "severity": "P2"}, at=T0)
    result = kill_nine_rounds(pg, pg_url, esc.id, rounds=6)
    assert result["kills"] == 6 and result["acked"] > 6


@pytest.mark.slow
def test_two_processes_writing_one_postgres_database(pg, pg_url):
    esc = pg.open({"title": "shared", "severity": "P2"}, at=T0)
    two_writers(pg, pg_url, esc.id, notes=100, opens=15)


def test_postgres_keeps_a_missed_response_a_breach_after_resolution(pg):
    """The metrics SQL judges a clock that never stopped by the resolution time, in PostgreSQL too."""
    e = pg.open({"title": "RDS down", "severity": "P1", "vendor": "aws"}, at=T0)
    pg.record_event(e.id, "vendor_case_filed", at=at(10), payload={"case_id": "C-1"})
    pg.record_event(e.id, "resolved", at=at(2000))
    m = pg.metrics("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z", now=at(3000)).total
    assert (m.breaches, m.responses_measured, m.response_compliance) == (1, 1, 0.0)


def test_postgres_archives_like_sqlite(pg, tmp_path):
    seen = same_on_sqlite(pg, tmp_path / "a.db", archive_flow)
    assert seen["only"] == ["ESC-2026-0001"] and seen["verify"]


def test_postgres_times_handoffs_and_executive_levels_like_sqlite(pg, tmp_path):
    """Migration 7's columns and the metrics SQL for the handoff and executive clocks, on both stores."""
    def scenario(t: Tracker) -> dict:
        met = t.open({"title": "a", "severity": "P3", "exec_level": 1}, at=T0)
        t.update(met.id, {"tier": 2}, at=at(1))
        t.record_event(met.id, "handoff_accepted", at=at(10))
        late = t.open({"title": "b", "severity": "P3"}, at=T0)
        t.update(late.id, {"tier": 2}, at=at(1))
        t.record_event(late.id, "handoff_accepted", at=at(40))
        m = t.metrics("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z", ["tier"], now=at(100))
        return m.model_dump(mode="json")

    seen = same_on_sqlite(pg, tmp_path / "h.db", scenario)
    total = seen["total"]
    assert (total["handoff_compliance"], total["handoffs_measured"]) == (0.5, 2)
    # a: level 1 (30 min) unanswered at 100 min; b: picked up 39 minutes after a 15-minute handoff
    assert (total["executive_measured"], total["breaches"]) == (0, 2)
