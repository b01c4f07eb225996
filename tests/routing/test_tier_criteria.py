"""Seed 003's criteria for moving a case up one tier: beyond the tier's expertise, SLA at risk (>50 %
consumed), customer requests escalation. Each alone moves one tier above the tier that holds the case;
several together still move one; never above tier 4. The criteria and the 50 % live in routing.yaml."""

from __future__ import annotations

import copy

import pytest

from escalation_kit.errors import InputError
from escalation_kit.mcp.server import build_server
from escalation_kit.routing import determine_escalation, engine
from escalation_kit.routing.policy import load_routing_policy
from mcp import Client

CRITERIA = [("beyond_tier", {"beyond_tier": True}), ("sla_at_risk", {"sla_percent_consumed": 60}),
            ("customer_requested", {"customer_requested": True})]


# Seed 004's "Pattern" trigger: (criterion, facts, history)
PATTERNS = [("same_issue_customers", {}, {"customers_same_issue": 3}),
            ("recurring_after_fix", {}, {"recurring_after_fix": 1}),
            ("severity_rising", {"severity_rising": True}, {})]


@pytest.mark.parametrize(("criterion", "facts", "history"), PATTERNS)
def test_each_pattern_criterion_alone_moves_a_p3_up_one_tier(criterion, facts, history):
    r = determine_escalation("P3", facts, {}, history)
    assert (r.tier, r.technical_hop, r.escalation_criteria) == (2, "tier_1_to_2", [criterion])


# Seed 001's Tier_2_to_Tier_3 criteria: (criterion, facts); they move only a case tier 2 holds
HOP = [("product_bug_at_tier_2", {"product_bug": True}),
       ("architecture_at_tier_2", {"architecture_consultation": True}),
       ("multi_service_at_tier_2", {"multi_service": True})]


@pytest.mark.parametrize(("criterion", "facts"), HOP)
def test_tier_3_criteria_move_a_case_tier_2_holds_and_no_other(criterion, facts):
    at_two = determine_escalation("P2", facts)  # P2's tier is 2
    assert (at_two.tier, at_two.escalation_criteria) == (3, [criterion])
    assert determine_escalation("P3", {**facts, "current_tier": 2}).escalation_criteria == [criterion]
    at_one = determine_escalation("P3", facts)
    assert (at_one.tier, at_one.escalation_criteria) == (1, [])
    assert determine_escalation("P1", facts).escalation_criteria == []  # tier 3 holds it already


def test_two_customers_with_the_same_issue_are_not_yet_a_pattern():
    r = determine_escalation("P3", {}, {}, {"customers_same_issue": 2, "recurring_after_fix": 0})
    assert (r.tier, r.escalation_criteria) == (1, [])


@pytest.mark.parametrize(("criterion", "facts"), CRITERIA)
def test_each_criterion_alone_moves_a_p3_from_tier_1_to_tier_2(criterion, facts):
    r = determine_escalation("P3", facts)
    assert (r.tier, r.technical_hop, r.target_team) == (2, "tier_1_to_2", "l2_support")
    assert r.escalation_criteria == [criterion]
    assert r.decided_by[0] == "policy:routing.yaml#next_tier"
    assert r.response_target_minutes == 120


def test_the_audit_case_p3_with_all_three_criteria_moves_one_tier_not_three():
    """Seed 003 lists alternative reasons for one handoff to the next tier; they do not add up."""
    r = determine_escalation("P3", {"beyond_tier": True, "customer_requested": True, "sla_percent_consumed": 60})
    assert (r.tier, r.target_team, r.technical_hop) == (2, "l2_support", "tier_1_to_2")
    assert r.escalation_criteria == ["beyond_tier", "sla_at_risk", "customer_requested"]


@pytest.mark.parametrize(("severity", "current", "tier"), [
    ("P3", None, 2),   # held at the severity's tier 1
    ("P2", None, 3),   # held at the severity's tier 2
    ("P2", 2, 3),
    ("P3", 3, 4),      # the current tier counts when given, above the severity's
    ("P2", 1, 2),      # a P2 still at tier 1 moves to tier 2: one step, which the severity also asks for
    ("P1", 1, 3),      # one step from tier 1 is below the severity's tier 3: the severity decides
    ("P2", 4, 4),      # capped at tier 4
    ("P0", None, 4),
])
@pytest.mark.parametrize(("criterion", "facts"), CRITERIA)
def test_the_step_is_from_the_current_tier_or_else_the_severity_tier(severity, current, tier, criterion, facts):
    given = dict(facts) | ({"current_tier": current} if current else {})
    r = determine_escalation(severity, given)
    assert r.tier == tier and r.escalation_criteria == [criterion]
    without = determine_escalation(severity, {"current_tier": current} if current else {})
    assert without.escalation_criteria == [] and without.tier <= tier


@pytest.mark.parametrize(("consumed", "fires"), [(0, False), (49.9, False), (50, False), (50.1, True),
                                                 (75, True), (130, True)])
def test_sla_at_risk_means_more_than_half_of_the_time_consumed(consumed, fires):
    r = determine_escalation("P3", {"sla_percent_consumed": consumed})
    assert (r.tier == 2) is fires and ("sla_at_risk" in r.escalation_criteria) is fires


def test_the_criteria_do_not_add_to_the_aggravating_raise():
    """Two aggravating factors already put a P3 at tier 2; a customer's request from tier 1 is that same step."""
    customer = {"segment": "enterprise", "sentiment": "frustrated"}
    base = determine_escalation("P3", {}, customer)
    asked = determine_escalation("P3", {"customer_requested": True}, customer)
    assert base.tier == asked.tier == 2 and asked.escalation_criteria == ["customer_requested"]
    from_two = determine_escalation("P3", {"customer_requested": True, "current_tier": 2}, customer)
    assert from_two.tier == 3 and from_two.decided_by[0] == "policy:routing.yaml#next_tier"


def test_false_or_absent_criteria_change_nothing():
    plain = determine_escalation("P3", {})
    off = determine_escalation("P3", {"beyond_tier": False, "customer_requested": False, "sla_percent_consumed": 50})
    assert plain.tier == off.tier == 1 and off.escalation_criteria == [] and off.target_team == "l1_support"


def test_the_criteria_and_the_threshold_are_read_from_the_policy(monkeypatch):
    pol = load_routing_policy()
    section = pol["next_tier"]
    ids = [c["id"] for c in section["criteria"]]
    assert section["step"] == 1 and ids == [c for c, _ in CRITERIA] + [c for c, _, _ in PATTERNS] + [c for c, _ in HOP]
    assert {c["source"] for c in section["criteria"]} == {"seed-003", "seed-004", "seed-001"}
    assert {c["id"] for c in section["criteria"]} == set(engine.NEXT_TIER)
    (sla,) = [c for c in section["criteria"] if c["id"] == "sla_at_risk"]
    assert sla["over_percent"] == 50
    stricter = copy.deepcopy(pol)
    next(c for c in stricter["next_tier"]["criteria"] if c["id"] == "sla_at_risk")["over_percent"] = 70
    monkeypatch.setattr(engine, "load_routing_policy", lambda: stricter)
    assert determine_escalation("P3", {"sla_percent_consumed": 60}).tier == 1
    assert determine_escalation("P3", {"sla_percent_consumed": 71}).tier == 2


@pytest.mark.parametrize("value", [2.5, True])
def test_a_fractional_tier_is_refused_by_name(value):
    with pytest.raises(InputError) as info:
        determine_escalation("P3", {"current_tier": value})
    assert info.value.field == "facts.current_tier"


def test_a_whole_float_tier_is_accepted_as_that_tier():
    assert determine_escalation("P3", {"current_tier": 2.0, "beyond_tier": True}).tier == 3


@pytest.mark.anyio
async def test_the_mcp_tool_reports_the_criteria(tmp_path, monkeypatch):
    monkeypatch.setenv("ESCALATION_KIT_HOME", str(tmp_path))
    monkeypatch.delenv("ESCALATION_KIT_DB_URL", raising=False)
    async with Client(build_server()) as c:
        result = await c.call_tool("determine_escalation", {
            "severity": "P3", "facts": {"beyond_tier": True, "customer_requested": True, "sla_percent_consumed": 60}})
    assert not result.is_error
    out = result.structured_content
    assert (out["tier"], out["target_team"]) == (2, "l2_support")
    assert out["escalation_criteria"] == ["beyond_tier", "sla_at_risk", "customer_requested"]
    assert out["decided_by"][0] == "policy:routing.yaml#next_tier"
