"""determine_escalation and the account health score against the seeds' worked examples and rules."""

from __future__ import annotations

import pytest

from escalation_kit.errors import InputError
from escalation_kit.routing import compute_account_health, determine_escalation, engine
from escalation_kit.routing.policy import load_routing_policy


def test_seed_002_worked_example_goes_to_tier_4():
    """Seed 002: high severity, multiple customers, 4 h open at tier 1, enterprise, health 45, $500k,
    2 previous escalations, frustrated."""
    r = determine_escalation(
        "P1",
        {"multiple_customers": True, "hours_open": 4, "current_tier": 1},
        {"segment": "enterprise", "health_score": 45, "contract_value": 500_000, "sentiment": "frustrated"},
        {"escalations_90d": 2},
    )
    assert r.tier == 4 and r.technical_hop == "tier_1_to_4"
    assert r.urgency == 85
    assert {f.id for f in r.factors} >= {"multiple_customers", "open_past_tier_target", "segment_enterprise",
                                          "health_critical", "repeat_escalations", "sentiment_frustrated"}
    assert len(r.aggravating) == 6 and "aggravating.raise" in r.decided_by[0]
    assert r.executive_level == 3 and "strategic_account_at_risk" in " ".join(r.decided_by)
    assert r.target_team == "leadership" and r.response_target_minutes == 30
    assert r.health.band == "critical"


@pytest.mark.parametrize(("severity", "customer", "history", "tier"), [
    ("P2", {"segment": "enterprise"}, {}, 2),                              # one factor: no raise
    ("P2", {"segment": "enterprise", "health_score": 40}, {}, 3),          # two: one tier
    ("P3", {"segment": "enterprise", "health_score": 40, "sentiment": "angry"}, {"escalations_90d": 2}, 3),  # four: two
    ("P0", {"segment": "enterprise", "health_score": 40}, {}, 4),          # never above 4
])
def test_aggravating_factors_raise_the_tier_as_the_skill_says(severity, customer, history, tier):
    assert determine_escalation(severity, {}, customer, history).tier == tier


def test_a_plain_p3_stays_at_tier_1_with_the_support_agent():
    r = determine_escalation("P3", {"security": False, "multiple_customers": False, "hours_open": 1},
                             {"segment": "smb", "health_score": 80}, {"escalations_90d": 0, "repeats_30d": 0})
    assert (r.tier, r.executive_level, r.target_team, r.urgency) == (1, 0, "l1_support", 5)
    assert r.response_target_minutes == 240 and r.missing == []


def test_security_always_bypasses_to_the_security_team():
    for facts in ({"security": True}, {"security": True, "churn_threat": True, "vendor_platform": True}):
        r = determine_escalation("P3", facts)
        assert r.target_team == "security" and r.security_bypass and r.tier >= 3


@pytest.mark.parametrize(("facts", "customer", "history", "level"), [
    ({}, {"csat": 2}, {}, 1),                                   # seed 003: CSAT < 3
    ({}, {}, {"repeats_30d": 3}, 1),                            # seed 003: 3+ repeats in 30 days
    ({"customer_requested_manager": True}, {}, {}, 1),          # seed 001 level 1
    ({"revenue_impact": 20_000}, {}, {}, 2),                    # seed 003: revenue impact > $10K
    ({"multi_service": True}, {}, {}, 2),                       # seed 001 level 2
    ({"c_level": True}, {}, {}, 3),                             # seed 001 level 3
    ({"revenue_impact": 150_000}, {}, {}, 3),
    ({"churn_threat": True}, {}, {}, 4),                        # seed 001 level 4
    ({"legal_threat": True}, {}, {}, 4),
])
def test_executive_levels_follow_the_seed_triggers(facts, customer, history, level):
    r = determine_escalation("P2", facts, customer, history)
    assert r.executive_level == level
    targets = {1: 30, 2: 60, 3: 120, 4: 0}
    assert r.response_target_minutes == min(targets[level], load_routing_policy()["tiers"][r.tier]["minutes"])


def test_level_4_is_immediate_and_multi_customer_is_at_least_tier_3():
    r = determine_escalation("P2", {"churn_threat": True, "multiple_customers": True})
    assert r.tier == 3 and r.response_target_minutes == 0 and "immediate" in r.response_target_label
    floor = determine_escalation("P3", {"multiple_customers": True})
    assert floor.tier == 3 and "multi_customer_floor" in floor.decided_by[0]


def test_seed_001_account_health_score():
    full = compute_account_health({"support_satisfaction": 40, "ticket_trends": 50, "engagement_quality": 60,
                                   "relationship_strength": 40})
    assert (full.score, full.band, full.partial, full.missing) == (47.0, "critical", False, [])
    part = compute_account_health({"support_satisfaction": 80, "relationship_strength": 100})
    assert part.partial and part.missing == ["ticket_trends", "engagement_quality"]
    assert part.score == round((0.25 * 80 + 0.30 * 100) / 0.55, 1) and part.band == "excellent"
    assert compute_account_health({}).score is None
    routed = determine_escalation("P2", {}, {"segment": "enterprise", "health": {"support_satisfaction": 40}})
    assert routed.health.band == "critical" and "customer.health.ticket_trends" in routed.missing


@pytest.mark.parametrize(("score", "band"), [(90, "excellent"), (89.9, "good"), (70, "good"), (69, "at_risk"),
                                             (50, "at_risk"), (49, "critical"), (0, "critical")])
def test_health_bands_match_seed_001(score, band):
    assert determine_escalation("P3", {}, {"health_score": score}).health.band == band


@pytest.mark.parametrize(("args", "field"), [
    (("P9",), "severity"),
    (("P1", {"colour": "red"}), "facts"),
    (("P1", {"hours_open": "four"}), "facts.hours_open"),
    (("P1", {"current_tier": 7}), "facts.current_tier"),
    (("P1", {}, {"segment": "galactic"}), "customer.segment"),
    (("P1", {}, {"health_score": 150}), "customer.health_score"),
    (("P1", {}, {"health": {"mood": 5}}), "health"),
    (("P1", {}, {}, {"escalations_90d": -1}), "history.escalations_90d"),
])
def test_bad_input_names_the_field(args, field):
    with pytest.raises(InputError) as info:
        determine_escalation(*args)
    assert info.value.field == field


def test_every_rule_in_the_policy_has_a_predicate_and_a_known_source():
    pol = load_routing_policy()
    assert {r["id"] for r in pol["urgency"]["factors"]} == set(engine.URGENCY)
    assert {r["id"] for r in pol["executive_triggers"]} == set(engine.EXECUTIVE)
    assert {r["id"] for r in pol["teams"]} == set(engine.TEAMS)
    assert {r["id"] for r in pol["floors"]} == set(engine.FLOORS)
    assert {r["id"] for r in pol["aggravating"]["factors"]} == set(engine.AGGRAVATING)
    sources = set(pol["sources"]) | {"project choice"}
    rules = (pol["urgency"]["factors"] + pol["executive_triggers"] + pol["teams"] + pol["floors"]
             + pol["aggravating"]["factors"])
    assert all(r["source"] in sources for r in rules)
    assert abs(sum(pol["health"]["weights"].values()) - 1.0) < 1e-9
