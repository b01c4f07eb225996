"""recommend_deescalation against seed 002's worked example and seed 004's reasons to de-escalate."""

from __future__ import annotations

import pytest

from escalation_kit.errors import InputError
from escalation_kit.routing import recommend_deescalation
from escalation_kit.routing.deescalation import CONDITIONS, load_policy
from escalation_kit.vocab import LANGS, SEVERITIES

SEED_002 = {"root_cause": "Memory leak in v2.3.4", "fix": "Patch deployed v2.3.5",
            "customer_confirmation": True, "monitoring_period_complete": True}


def test_seed_002_worked_example_de_escalates_with_the_steps():
    r = recommend_deescalation("P1", SEED_002)
    assert r.action == "de-escalate" and r.decided_by.endswith("#resolved-and-stable")
    assert r.criteria["root_cause_found"] and r.criteria["fix_applied"] and r.criteria["customer_confirmed"]
    assert r.missing == []
    assert [s.id for s in r.steps][:3] == ["notify-team", "update-ticket", "inform-customer"]


@pytest.mark.parametrize(("severity", "minutes", "complete"), [
    ("P0", 2879, False), ("P0", 2880, True), ("P2", 239, False), ("P2", 240, True), ("P3", 0, True)])
def test_the_monitoring_period_depends_on_the_severity(severity, minutes, complete):
    r = recommend_deescalation(severity, {"fix_applied": True, "customer_confirmed": True}, stable_minutes=minutes)
    assert r.monitoring.complete is complete
    assert (r.action == "de-escalate") is complete


def test_unknown_criteria_are_asked_for_not_guessed():
    r = recommend_deescalation("P0", {"fix_applied": True})
    assert r.action == "hold" and r.steps == []
    assert r.missing[:2] == ["customer_confirmed", "stable_minutes"]
    assert r.criteria["recurrence"] is None and r.monitoring.complete is None


def test_a_criterion_stated_false_is_not_asked_about():
    r = recommend_deescalation("P1", {"fix_applied": False, "resolved_itself": False, "workaround_available": False,
                                      "root_cause_found": True, "support_resolvable": None})
    assert r.action == "hold"
    assert r.missing == ["support_resolvable"]


def test_a_workaround_that_unblocks_the_customer_de_escalates_before_the_fix():
    r = recommend_deescalation("P1", {"workaround_available": True, "customer_confirmed": True})
    assert r.action == "de-escalate" and r.decided_by.endswith("#workaround-unblocks")


def test_recurrence_holds_even_when_everything_else_is_met():
    r = recommend_deescalation("P1", {**SEED_002, "recurrence": True})
    assert r.action == "hold" and r.decided_by.endswith("#recurrence")


def test_new_information_lowers_the_severity_only_downwards():
    lower = recommend_deescalation("P1", {}, reassessed_severity="P3")
    assert lower.action == "lower-severity" and lower.new_severity == "P3" and lower.steps
    same = recommend_deescalation("P1", {}, reassessed_severity="P0")
    assert same.action == "hold" and same.new_severity is None


@pytest.mark.parametrize("language", LANGS)
def test_rationale_and_steps_follow_the_language(language):
    r = recommend_deescalation("P2", SEED_002, language=language)
    policy = load_policy()
    rule = next(x for x in policy["rules"] if r.decided_by.endswith("#" + x["id"]))
    assert r.rationale == rule["says"][language]
    assert [s.text for s in r.steps] == [s[language] for s in policy["steps"]]


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"severity": "P5"}, "severity"),
    ({"severity": "P1", "resolution": {"fixed": True}}, "resolution"),
    ({"severity": "P1", "resolution": {"fix_applied": "yes"}}, "resolution.fix_applied"),
    ({"severity": "P1", "resolution": {"root_cause": "x" * 5000}}, "resolution.root_cause"),
    ({"severity": "P1", "stable_minutes": -5}, "stable_minutes"),
    ({"severity": "P1", "stable_minutes": True}, "stable_minutes"),
    ({"severity": "P1", "reassessed_severity": "low"}, "reassessed_severity"),
    ({"severity": "P1", "language": "de"}, "language"),
])
def test_bad_input_names_the_field_and_does_not_echo_it(kwargs, field):
    with pytest.raises(InputError) as err:
        recommend_deescalation(**kwargs)
    assert err.value.field == field and len(str(err.value)) < 400


def test_policy_is_complete_and_sourced():
    policy = load_policy()
    assert set(policy["monitoring_minutes"]) == set(SEVERITIES)
    assert policy["rules"][-1]["when"] == [] and policy["rules"][-1]["action"] == "hold"
    names = [c for rule in policy["rules"] for c in rule["when"]]
    assert names and set(names) <= set(CONDITIONS)
    for item in policy["rules"] + policy["steps"]:
        assert item["source"] in policy["sources"], item["id"]
        texts = item.get("says", item)
        assert all(texts[lang].strip() for lang in LANGS), item["id"]
