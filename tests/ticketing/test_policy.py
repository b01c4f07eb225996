"""Our mapping (references/policy/ticketing.yaml) is complete and uses only values the systems take; every API
fact carries its source and check date, or says it is unverified."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from escalation_kit.datafiles import load_yaml
from escalation_kit.paths import references_dir
from escalation_kit.ticketing import load_ticket_policy
from escalation_kit.ticketing.policy import FACT_FILES
from escalation_kit.tracker.models import EVENT_KINDS, STATUSES
from escalation_kit.vocab import SEVERITIES

VENDOR_DOMAINS = {"jira": ("atlassian.com",), "servicenow": ("servicenow.com",)}


@pytest.mark.parametrize("system", sorted(FACT_FILES))
def test_every_level_and_status_is_mapped(system):
    policy = load_ticket_policy(system)
    assert set(policy.status) == set(STATUSES) and set(policy.priority) == set(SEVERITIES)
    assert set(policy.comments) <= set(EVENT_KINDS) and "resolved" in policy.comments
    assert "{key}" in policy.marker


def test_servicenow_values_are_the_incident_tables():
    policy = load_ticket_policy("servicenow")
    states = {str(k) for k in policy.facts["state"]["values"]}
    assert set(policy.status.values()) <= states and policy.status["closed"] == "7"
    ranks = [int(policy.priority[p]["impact"]) + int(policy.priority[p]["urgency"]) for p in SEVERITIES]
    assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks)  # worse level, more urgent incident


def test_jira_priorities_keep_the_order_of_our_levels():
    policy = load_ticket_policy("jira")
    names = list(policy.facts["priority"]["default_names"])
    assert [names.index(policy.priority[p]) for p in SEVERITIES] == sorted(names.index(policy.priority[p])
                                                                          for p in SEVERITIES)


def _facts(node: Any, path: str = "") -> list[tuple[str, dict]]:
    """Every mapping in a fact file that states a source."""
    found = []
    if isinstance(node, dict):
        if "source" in node:
            found.append((path, node))
        for key, value in node.items():
            found += _facts(value, f"{path}.{key}" if path else str(key))
    return found


@pytest.mark.parametrize("system", sorted(FACT_FILES))
def test_every_fact_has_a_vendor_source_and_says_if_it_is_unverified(system):
    data = load_yaml(references_dir() / FACT_FILES[system])
    assert isinstance(data["checked"], dt.date) and data["system"] == system
    facts = _facts(data)
    assert len(facts) >= 6
    for where, fact in facts:
        assert isinstance(fact.get("unverified"), bool), f"{where}: unverified must be true or false"
        assert fact["source"].startswith("https://"), where
        assert any(d in fact["source"] for d in VENDOR_DOMAINS[system]), f"{where}: not the vendor's own page"
    assert {w for w, _ in facts} >= {"auth", "state" if system == "servicenow" else "status_changes"}


def test_a_policy_naming_a_state_the_table_does_not_take_is_refused(tmp_path):
    from escalation_kit.errors import DataError
    from escalation_kit.ticketing.policy import _servicenow

    facts = load_ticket_policy("servicenow").facts
    state = dict.fromkeys(STATUSES, 2)
    pairs = {p: {"impact": 1, "urgency": 1} for p in SEVERITIES}
    assert _servicenow({"servicenow": {"state": state, "impact_urgency": pairs}}, facts, tmp_path)[0]["open"] == "2"
    with pytest.raises(DataError, match=r"servicenow.state uses \['9'\]"):
        _servicenow({"servicenow": {"state": {**state, "closed": 9}, "impact_urgency": pairs}}, facts, tmp_path)
    with pytest.raises(DataError, match="servicenow.state must map each of"):
        _servicenow({"servicenow": {"state": {"open": 1}, "impact_urgency": pairs}}, facts, tmp_path)
    with pytest.raises(DataError, match="impact_urgency.P0 needs impact and urgency"):
        _servicenow({"servicenow": {"state": state, "impact_urgency": {**pairs, "P0": {"impact": 5}}}}, facts,
                    tmp_path)
