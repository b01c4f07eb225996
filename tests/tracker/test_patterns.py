"""Seed 004's pattern counts in Tracker.history: the same issue from several customers, a recurrence after a fix."""

from __future__ import annotations

import pytest

from escalation_kit.errors import InputError
from escalation_kit.routing import determine_escalation
from escalation_kit.tracker import Tracker, open_store
from tracker_pg import fresh_database, postgres_server
from tracker_support import at

DAY = 24 * 60


def _scenario(t: Tracker) -> tuple[dict, dict, dict]:
    """Three customers report 'auth' within a week (one of them eight days ago, outside it); Acme's 'billing'
    issue was fixed and came back within 30 days; Zeta's 'billing' recurrence follows a fix 40 days old."""
    for customer, days_ago in (("Acme", 1), ("Beta", 3), ("Gamma", 6), ("Delta", 8)):
        t.open({"title": "login fails", "severity": "P2", "customer": customer, "category": "auth"},
               at=at(30 * DAY - days_ago * DAY))
    fixed = t.open({"title": "invoices wrong", "severity": "P2", "customer": "Acme", "category": "billing"},
                   at=at(0))
    t.record_event(fixed.id, "resolved", at=at(10 * DAY))
    t.open({"title": "invoices wrong again", "severity": "P2", "customer": "Acme", "category": "billing"},
           at=at(20 * DAY))
    old = t.open({"title": "invoices wrong", "severity": "P2", "customer": "Zeta", "category": "billing"},
                 at=at(-40 * DAY))
    t.record_event(old.id, "resolved", at=at(-39 * DAY))
    t.open({"title": "invoices wrong again", "severity": "P2", "customer": "Zeta", "category": "billing"},
           at=at(20 * DAY))
    now = at(30 * DAY)
    return (t.history("Acme", "auth", now=now), t.history("Acme", "billing", now=now),
            t.history("Zeta", "billing", now=now))


def _check(auth: dict, acme_billing: dict, zeta_billing: dict) -> None:
    assert auth["customers_same_issue"] == 3  # Delta's report is eight days old
    assert auth["recurring_after_fix"] == 0
    assert acme_billing["recurring_after_fix"] == 1
    assert zeta_billing["recurring_after_fix"] == 0  # the fix was 40 days before, outside the 30
    route = determine_escalation("P3", {}, {}, auth)
    assert (route.tier, route.escalation_criteria) == (2, ["same_issue_customers"])
    assert determine_escalation("P3", {}, {}, acme_billing).escalation_criteria == ["recurring_after_fix"]


def test_history_counts_customers_with_the_same_issue_and_recurrences_after_a_fix(tracker) -> None:
    _check(*_scenario(tracker))


def test_history_without_a_category_has_no_pattern_counts(tracker) -> None:
    tracker.open({"title": "login fails", "severity": "P2", "customer": "Acme", "category": "auth"}, at=at(0))
    assert set(tracker.history("Acme", now=at(60))) == {"escalations_90d", "repeats_30d"}


@pytest.mark.integration
def test_the_same_counts_on_postgresql(monkeypatch) -> None:
    with postgres_server() as server:
        monkeypatch.setenv("ESCALATION_KIT_DB_URL", fresh_database(server, "patterns"))
        t = Tracker(open_store())
        try:
            _check(*_scenario(t))
        finally:
            t.close()


def test_shared_issues_lists_categories_several_customers_reported_in_the_window(tracker) -> None:
    _scenario(tracker)
    now = at(30 * DAY)
    assert [(r["category"], r["customers"], r["escalations"]) for r in tracker.shared_issues(now)] == [("auth", 3, 3)]
    wider = tracker.shared_issues(now, days=9)  # Delta's report, eight days old, joins
    assert [(r["category"], r["customers"]) for r in wider] == [("auth", 4)]
    assert [r["category"] for r in tracker.shared_issues(now, days=45, min_customers=2)] == ["auth", "billing"]


@pytest.mark.parametrize(("field", "value"), [("days", 0), ("days", 2.5), ("min_customers", True)])
def test_shared_issues_refuses_a_bad_window_by_name(tracker, field, value) -> None:
    with pytest.raises(InputError) as err:
        tracker.shared_issues(at(0), **{field: value})
    assert err.value.field == field
