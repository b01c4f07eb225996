"""Hostile tracker input refused naming the field (found by benchmarks/fuzz_inputs.py): U+0000 in any text
(PostgreSQL cannot store it: every write and read with it raised psycopg's DataError, an internal error to the
caller; SQLite refuses it too), a vendor the catalog does not know, a ticket count past any help desk."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from escalation_kit.errors import InputError
from escalation_kit.tracker import Tracker, open_store
from tracker_pg import fresh_database, postgres_server

NUL = "db\x00down"
_names = itertools.count()

# (what the call does, the call on a tracker and an open record's id, the field the error must name)
CALLS: list[tuple[str, Callable[[Tracker, str], object], str]] = [
    ("open title", lambda t, e: t.open({"title": NUL, "severity": "P1"}), "title"),
    ("open owner", lambda t, e: t.open({"title": "x", "severity": "P1", "owner": NUL}), "owner"),
    ("open customer", lambda t, e: t.open({"title": "x", "severity": "P1", "customer": NUL}), "customer"),
    ("open actor", lambda t, e: t.open({"title": "x", "severity": "P1"}, actor=NUL), "actor"),
    ("open key", lambda t, e: t.open({"title": "x", "severity": "P1"}, idempotency_key=NUL), "idempotency_key"),
    ("update owner", lambda t, e: t.update(e, {"owner": NUL}), "owner"),
    ("event payload", lambda t, e: t.record_event(e, "note", payload={"text": NUL}), "payload.text"),
    ("event actor", lambda t, e: t.record_event(e, "note", actor=NUL), "actor"),
    ("action owner", lambda t, e: t.add_action(e, "logs", owner=NUL), "owner"),
    ("get id", lambda t, e: t.get(e + "\x00"), "escalation_id"),
    ("list vendor", lambda t, e: t.list(vendor=NUL), "vendor"),
    ("list owner", lambda t, e: t.list(owner=NUL), "owner"),
    ("health customer", lambda t, e: t.account_health(NUL), "customer"),
    ("history category", lambda t, e: t.history("acme", NUL), "category"),
]


def refused_everywhere(t: Tracker) -> None:
    esc = t.open({"title": "base", "severity": "P1"}).id
    for name, call, field in CALLS:
        with pytest.raises(InputError) as caught:
            call(t, esc)
        assert caught.value.field == field, (name, str(caught.value))
    assert t.get(esc).state.version == 1  # nothing refused was stored
    assert [row["id"] for row in t.list()] == [esc]


def test_sqlite_refuses_nul_text_naming_the_field(home):
    t = Tracker(open_store())
    try:
        refused_everywhere(t)
    finally:
        t.close()


@pytest.mark.integration
def test_postgres_refuses_nul_text_instead_of_failing_inside_psycopg(monkeypatch):
    with postgres_server() as server:
        monkeypatch.setenv("ESCALATION_KIT_DB_URL", fresh_database(server, f"nul{next(_names)}"))
        t = Tracker(open_store())
        try:
            refused_everywhere(t)
        finally:
            t.close()


@pytest.mark.parametrize("vendor", ["nosuchcloud", "../etc", "alibaba"])
def test_open_refuses_a_vendor_the_catalog_does_not_know(home, vendor):
    """Accepted at open without a plan, then refused at the record's vendor_case_filed (which needs the vendor's
    catalog entry for its clock): the record could never file its vendor case. 'alibaba' is ambiguous (cn/intl)."""
    t = Tracker(open_store())
    try:
        with pytest.raises(InputError) as caught:
            t.open({"title": "x", "severity": "P1", "vendor": vendor})
        assert caught.value.field == "vendor"
        assert t.list() == []
        esc = t.open({"title": "x", "severity": "P1", "vendor": "Amazon"}).id  # an alias still works
        assert t.record_event(esc, "vendor_case_filed", payload={"case_id": "1"}).vendor_case_id == "1"
    finally:
        t.close()


@pytest.mark.parametrize("count", [10**400, 10**12 + 1, 0])
def test_a_ticket_count_past_any_help_desk_is_refused(home, count):
    """10**400 tickets was taken (and echoed, 401 digits, in the rate); the count is bounded now."""
    t = Tracker(open_store())
    try:
        with pytest.raises(InputError) as caught:
            t.metrics("2026-11-01", "2026-12-01", ["category"], "2026-12-02T00:00:00Z", {"auth": count})
        assert caught.value.field == "tickets.auth" and len(str(caught.value)) < 200
        assert t.metrics("2026-11-01", "2026-12-01", [], "2026-12-02T00:00:00Z", {"auth": 10**12}).escalation_rates
    finally:
        t.close()
