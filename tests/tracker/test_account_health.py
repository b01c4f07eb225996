"""Seed 001's account health over time: the ticket_trends components the tracker measures, month by month."""

from __future__ import annotations

import json

import pytest

from escalation_kit.cli import main
from escalation_kit.errors import InputError

NOW = "2026-12-01T12:00:00+00:00"


@pytest.fixture
def acme(tracker):
    """Acme: one P2 in September, two in October (one reopened), four in November (one P0); Beta: a P0."""
    opened = {"2026-09-03": "P2", "2026-10-05": "P2", "2026-10-12": "P2",
              "2026-11-02": "P2", "2026-11-09": "P2", "2026-11-20": "P2", "2026-11-25": "P0"}
    ids = {day: tracker.open({"title": f"Issue {day}", "severity": level, "customer": "Acme"},
                             at=f"{day}T10:00:00+00:00").id for day, level in opened.items()}
    tracker.open({"title": "Other", "severity": "P0", "customer": "Beta"}, at="2026-11-25T10:00:00+00:00")
    tracker.close_escalation(ids["2026-10-12"], at="2026-10-13T10:00:00+00:00")
    tracker.record_event(ids["2026-10-12"], "reopened", at="2026-10-14T10:00:00+00:00")
    return tracker


def test_months_count_only_the_customers_escalations_and_score_the_components(acme) -> None:
    h = acme.account_health("Acme", months=3, now=NOW)
    by = {m.month: m for m in h.months}
    assert list(by) == ["2026-10", "2026-11", "2026-12"]
    oct_, nov = by["2026-10"], by["2026-11"]
    assert (oct_.escalations, oct_.reopened, nov.escalations, nov.critical) == (2, 1, 4, 1)
    assert oct_.components == {"p1_p2_ratio": 100.0, "reopen_rate": 50.0, "volume_trend": 0.0}  # 1 -> 2: +100 %
    assert nov.components == {"p1_p2_ratio": 75.0, "reopen_rate": 100.0, "volume_trend": 0.0}
    assert nov.ticket_trends == round((75.0 + 100.0 + 0.0) / 3, 1)
    assert by["2026-12"].components == {"volume_trend": 100.0} and h.not_tracked == ["resolution_time"]


def test_the_overall_score_weighs_the_callers_categories_with_ticket_trends(acme) -> None:
    h = acme.account_health("Acme", months=1, categories={"support_satisfaction": 40}, now="2026-11-30T00:00:00Z")
    month = h.months[0]
    # weights 0.25 (satisfaction) and 0.20 (ticket_trends), renormalised over the two given
    expected = round((0.25 * 40 + 0.20 * month.ticket_trends) / 0.45, 1)
    assert month.health.score == expected and month.health.partial
    assert "engagement_quality" in month.health.missing


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"customer": " "}, "customer"),
    ({"customer": "Acme", "months": 0}, "months"),
    ({"customer": "Acme", "categories": {"ticket_trends": 90}}, "categories.ticket_trends"),
    ({"customer": "Acme", "categories": {"support_satisfaction": 101}}, "health.support_satisfaction"),
])
def test_bad_input_is_refused_by_name(acme, kwargs: dict, field: str) -> None:
    with pytest.raises(InputError) as err:
        acme.account_health(now=NOW, **kwargs)
    assert err.value.field == field


def test_track_health_prints_the_months_and_refuses_a_bad_category(acme, capsys) -> None:
    assert main(["track", "health", "Acme", "--months", "2", "--now", NOW, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [m["month"] for m in data["months"]] == ["2026-11", "2026-12"]
    assert main(["track", "health", "Acme", "--category", "oops"]) == 2
    assert "--category" in capsys.readouterr().err
