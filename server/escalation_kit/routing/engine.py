"""determine_escalation: the tier, executive level, target team and urgency a case calls for, with reasons.

Each rule in routing.yaml has an id; this module holds one predicate per id, the file holds the
points, levels, floors and bands, so tuning the policy is a data edit.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, Field

from escalation_kit.errors import DataError, InputError, quote
from escalation_kit.lean import new_list
from escalation_kit.routing.health import HealthResult, band_of, compute_account_health
from escalation_kit.routing.policy import load_routing_policy, ref
from escalation_kit.vocab import SEVERITIES

FACTS = {
    "security": bool, "multiple_customers": bool, "customer_requested": bool, "customer_requested_manager": bool,
    "beyond_tier": bool, "product_bug": bool, "feature_gap": bool, "vendor_platform": bool, "multi_service": bool,
    "legal_or_pr": bool, "legal_threat": bool, "pr_crisis": bool, "churn_threat": bool, "systemic_failure": bool,
    "c_level": bool, "lead_unable_to_resolve": bool, "hours_open": float, "current_tier": int,
    "sla_percent_consumed": float, "revenue_impact": float, "severity_rising": bool, "architecture_consultation": bool,
}
CUSTOMER = {"segment": str, "contract_value": float, "health_score": float, "health": dict, "csat": float,
            "sentiment": str}
HISTORY = {"escalations_90d": int, "repeats_30d": int, "customers_same_issue": int, "recurring_after_fix": int}
SEGMENTS = ("enterprise", "strategic", "mid_market", "smb")
SENTIMENTS = ("calm", "neutral", "frustrated", "angry")


class Factor(BaseModel):
    id: str
    points: int
    source: str


class RoutingResult(BaseModel):
    tier: int = Field(description="Workflow tier 1-4 (seed 002)")
    tier_label: str
    technical_hop: str | None = Field(default=None, description="e.g. tier_1_to_3 when the case moves up")
    executive_level: int = Field(description="0 = none, 1 Team Lead ... 4 VP/C-suite (seed 001)")
    executive_title: str | None = None
    target_team: str
    security_bypass: bool = False
    urgency: int = Field(description="0-100")
    response_target_minutes: int = Field(description="The tighter of the tier's and the executive level's target")
    response_target_label: str
    factors: list[Factor] = Field(default_factory=new_list, description="What the urgency score counted")
    aggravating: list[str] = Field(
        default_factory=new_list, description="Factors that raised the tier (2-3: +1, 4+: +2)"
    )
    escalation_criteria: list[str] = Field(
        default_factory=new_list, description="Criteria for moving up one tier that held (seed 003: beyond_tier, "
        "sla_at_risk, customer_requested; seed 004: same_issue_customers, recurring_after_fix, severity_rising; "
        "seed 001, from tier 2 only: product_bug_at_tier_2, architecture_at_tier_2, multi_service_at_tier_2); "
        "several still move one tier")
    decided_by: list[str] = Field(default_factory=new_list, description="Rules that set tier, level and team")
    health: HealthResult | None = None
    missing: list[str] = Field(default_factory=new_list, description="Inputs that could change the answer")


MAX_NUMBER = 1e15  # past any real count, hours open or contract value; beyond it floats lose whole units


def _finite(value: float) -> bool:
    """Whether a number is finite and within MAX_NUMBER (an int too large for a float is not)."""
    try:
        return math.isfinite(float(value)) and abs(value) <= MAX_NUMBER
    except OverflowError:
        return False


def _typed(section: str, given: dict[str, Any], schema: dict[str, type]) -> dict[str, Any]:
    if not isinstance(given, dict):
        raise InputError(section, f"expected an object, got {type(given).__name__}")
    unknown = sorted(set(given) - set(schema))
    if unknown:
        raise InputError(section, f"unknown fields {quote(', '.join(unknown))}", allowed=list(schema))
    out = {}
    for key, value in given.items():
        want = schema[key]
        if value is None:
            continue
        ok = (isinstance(value, bool) if want is bool else isinstance(value, dict) if want is dict
              else isinstance(value, str) if want is str
              else isinstance(value, int | float) and not isinstance(value, bool))
        if ok and want in (int, float):  # NaN, infinity and numbers past 1e15 are no count, hours or money
            ok = _finite(value)
        if ok and want is int:  # a count or a tier: 2.0 is 2, 2.5 is no tier
            ok = float(value).is_integer()
            value = int(value) if ok else value
        if not ok or (want in (int, float) and value < 0):
            numeric = [f"a finite {want.__name__} from 0 to {MAX_NUMBER:.0e}"] if want in (int, float) else None
            raise InputError(f"{section}.{key}", f"{quote(value)} is not a valid {want.__name__}", allowed=numeric)
        out[key] = value
    return out


def _health(customer: dict[str, Any]) -> HealthResult | None:
    if "health_score" in customer:
        score = customer["health_score"]
        if score > 100:
            raise InputError("customer.health_score", f"{score} is not a score", allowed=["0 to 100"])
        band, label = band_of(score)
        return HealthResult(score=score, band=band, label=label)
    if "health" in customer:
        return compute_account_health(customer["health"])
    return None


def _ctx(severity: str, facts: dict, customer: dict, history: dict, health: HealthResult | None) -> dict[str, Any]:
    pol = load_routing_policy()
    current = facts.get("current_tier", 1)
    big = customer.get("segment") in ("enterprise", "strategic")
    return {"f": facts, "c": customer, "h": history, "health_band": health.band if health else None,
            "big": big, "current": current, "tier_target_hours": pol["tiers"][current]["minutes"] / 60}


URGENCY: dict[str, Callable[[dict[str, Any]], bool]] = {
    "multiple_customers": lambda x: x["f"].get("multiple_customers", False),
    "open_past_tier_target": lambda x: x["f"].get("hours_open", 0) >= x["tier_target_hours"],
    "security": lambda x: x["f"].get("security", False),
    "segment_enterprise": lambda x: x["big"],
    "segment_mid_market": lambda x: x["c"].get("segment") == "mid_market",
    "health_critical": lambda x: x["health_band"] == "critical",
    "health_at_risk": lambda x: x["health_band"] == "at_risk",
    "contract_large": lambda x: x["c"].get("contract_value", 0) >= 100_000,
    "repeat_escalations": lambda x: x["h"].get("escalations_90d", 0) >= 2,
    "repeats_30d": lambda x: x["h"].get("repeats_30d", 0) >= 3,
    "sentiment_frustrated": lambda x: x["c"].get("sentiment") == "frustrated",
    "sentiment_angry": lambda x: x["c"].get("sentiment") == "angry",
    "csat_low": lambda x: x["c"].get("csat", 5) < 3,
}
AGGRAVATING: dict[str, Callable[[dict[str, Any]], bool]] = {
    "multiple_customers": lambda x: x["f"].get("multiple_customers", False),
    "open_past_tier_target": lambda x: x["f"].get("hours_open", 0) >= x["tier_target_hours"],
    "enterprise_customer": lambda x: x["big"],
    "health_below_50": lambda x: x["health_band"] == "critical",
    "two_escalations_90d": lambda x: x["h"].get("escalations_90d", 0) >= 2,
    "frustrated_or_leaving": lambda x: x["c"].get("sentiment") in ("frustrated", "angry")
    or x["f"].get("churn_threat", False),
}
NEXT_TIER: dict[str, Callable[[dict[str, Any], dict[str, Any]], bool]] = {
    "beyond_tier": lambda x, r: x["f"].get("beyond_tier", False),
    "sla_at_risk": lambda x, r: x["f"].get("sla_percent_consumed", 0) > r["over_percent"],
    "customer_requested": lambda x, r: x["f"].get("customer_requested", False),
    "same_issue_customers": lambda x, r: x["h"].get("customers_same_issue", 0) >= r["min_customers"],
    "recurring_after_fix": lambda x, r: x["h"].get("recurring_after_fix", 0) >= 1,
    "severity_rising": lambda x, r: x["f"].get("severity_rising", False),
    "product_bug_at_tier_2": lambda x, r: x["f"].get("product_bug", False),
    "architecture_at_tier_2": lambda x, r: x["f"].get("architecture_consultation", False),
    "multi_service_at_tier_2": lambda x, r: x["f"].get("multi_service", False),
}
FLOORS: dict[str, Callable[[dict[str, Any]], bool]] = {
    "multi_customer_floor": lambda x: x["f"].get("multiple_customers", False),
    "security_floor": lambda x: x["f"].get("security", False),
}
EXECUTIVE: dict[str, Callable[[dict[str, Any]], bool]] = {
    "churn_threat": lambda x: x["f"].get("churn_threat", False),
    "legal_action": lambda x: x["f"].get("legal_threat", False),
    "pr_crisis": lambda x: x["f"].get("pr_crisis", False),
    "systemic_failure": lambda x: x["f"].get("systemic_failure", False),
    "c_level_customer": lambda x: x["f"].get("c_level", False),
    "revenue_over_100k": lambda x: x["f"].get("revenue_impact", 0) > 100_000,
    "legal_or_pr": lambda x: x["f"].get("legal_or_pr", False),
    "strategic_account_at_risk": lambda x: x["big"] and x["health_band"] == "critical",
    "enterprise_escalation": lambda x: x["big"] and (x["f"].get("customer_requested", False) or x["tier"] >= 3),
    "multi_service_outage": lambda x: x["f"].get("multi_service", False),
    "revenue_over_10k": lambda x: x["f"].get("revenue_impact", 0) > 10_000,
    "lead_unable": lambda x: x["f"].get("lead_unable_to_resolve", False),
    "manager_requested": lambda x: x["f"].get("customer_requested_manager", False),
    "sla_breach_imminent": lambda x: x["f"].get("sla_percent_consumed", 0) >= 75,
    "repeated_issues": lambda x: x["h"].get("repeats_30d", 0) >= 3,
    "csat_below_3": lambda x: x["c"].get("csat", 5) < 3,
}
TEAMS: dict[str, Callable[[dict[str, Any]], bool]] = {
    "security_bypass": lambda x: x["f"].get("security", False),
    "leadership": lambda x: x["level"] >= 3,
    "vendor_platform": lambda x: x["f"].get("vendor_platform", False),
    "product_gap": lambda x: x["f"].get("feature_gap", False),
    "engineering": lambda x: x["f"].get("product_bug", False) or x["tier"] >= 3,
    "l2_support": lambda x: x["tier"] == 2,
    "l1_support": lambda x: x["tier"] == 1,
}


def _predicate(table: dict[str, Callable[..., bool]], rule_id: str) -> Callable[..., bool]:
    if rule_id not in table:
        raise DataError(f"routing.yaml rule {rule_id!r} has no predicate in routing/engine.py")
    return table[rule_id]


def _urgency(severity: str, x: dict[str, Any]) -> tuple[int, list[Factor]]:
    pol = load_routing_policy()["urgency"]
    factors = [Factor(id=f"severity_{severity}", points=pol["severity"][severity], source="seed-002")]
    factors += [Factor(id=r["id"], points=r["points"], source=r["source"])
                for r in pol["factors"] if _predicate(URGENCY, r["id"])(x)]
    return min(100, sum(f.points for f in factors)), factors


def _next_tier(severity: str, x: dict[str, Any]) -> tuple[int | None, list[str]]:
    """Seed 003's move up: the tier above the one holding the case when a criterion holds, and which held."""
    pol = load_routing_policy()
    section = pol["next_tier"]
    holding = x["f"].get("current_tier", pol["severity_tier"][severity])
    held = [r["id"] for r in section["criteria"]
            if r.get("from_tier", holding) == holding and _predicate(NEXT_TIER, r["id"])(x, r)]
    if not held:
        return None, []
    return min(4, holding + section["step"]), held


def _missing(facts: dict, customer: dict, history: dict, health: HealthResult | None) -> list[str]:
    wanted = [("facts.multiple_customers", "multiple_customers" in facts), ("facts.hours_open", "hours_open" in facts),
              ("facts.security", "security" in facts), ("customer.segment", "segment" in customer),
              ("customer.health_score", health is not None and health.score is not None),
              ("history.escalations_90d", "escalations_90d" in history),
              ("history.repeats_30d", "repeats_30d" in history)]
    out = [name for name, present in wanted if not present]
    if health is not None and health.partial:
        out += [f"customer.health.{m}" for m in health.missing]
    return out


def determine_escalation(severity: str, facts: dict[str, Any] | None = None, customer: dict[str, Any] | None = None,
                         history: dict[str, Any] | None = None) -> RoutingResult:
    """Route one case: tier, executive level, team, urgency and response target, with the rules that decided."""
    if severity not in SEVERITIES:
        raise InputError("severity", f"{quote(severity)} is not a severity", allowed=list(SEVERITIES))
    f = _typed("facts", facts or {}, FACTS)
    c = _typed("customer", customer or {}, CUSTOMER)
    h = _typed("history", history or {}, HISTORY)
    if not 1 <= f.get("current_tier", 1) <= 4:
        raise InputError("facts.current_tier", f"{f['current_tier']} is not a tier", allowed=["1", "2", "3", "4"])
    if "segment" in c and c["segment"] not in SEGMENTS:
        raise InputError("customer.segment", f"{quote(c['segment'])} is not a segment", allowed=list(SEGMENTS))
    if "sentiment" in c and c["sentiment"] not in SENTIMENTS:
        raise InputError("customer.sentiment", f"{quote(c['sentiment'])} is unknown", allowed=list(SENTIMENTS))
    pol = load_routing_policy()
    health = _health(c)
    x = _ctx(severity, f, c, h, health)
    urgency, factors = _urgency(severity, x)
    decided: list[str] = []
    counted = [r["id"] for r in pol["aggravating"]["factors"] if _predicate(AGGRAVATING, r["id"])(x)]
    by = next((r["by"] for r in pol["aggravating"]["raise"] if len(counted) >= r["min"]), 0)
    base = pol["severity_tier"][severity]
    candidates = [(base, "severity_tier"), (min(4, base + by), "aggravating.raise"), (x["current"], "current_tier")]
    step, criteria = _next_tier(severity, x)
    if step is not None:
        candidates.append((step, "next_tier"))
    candidates += [(r["tier"], r["id"]) for r in pol["floors"] if _predicate(FLOORS, r["id"])(x)]
    tier, why = max(candidates, key=lambda t: t[0])
    decided.append(ref(why))
    x["tier"] = tier
    level_rule = max(((r["level"], r["id"]) for r in pol["executive_triggers"] if _predicate(EXECUTIVE, r["id"])(x)),
                     default=(0, None))
    level = level_rule[0]
    if level_rule[1]:
        decided.append(ref(level_rule[1]))
    x["level"] = level
    team_rule = next(r for r in pol["teams"] if _predicate(TEAMS, r["id"])(x))
    decided.append(ref(team_rule["id"]))
    tier_min = pol["tiers"][tier]["minutes"]
    target, label = tier_min, f"{pol['tiers'][tier]['label']}: {tier_min} minutes"
    if level:
        exec_def = pol["executive_levels"][level]
        if exec_def["response_minutes"] < target:
            target = exec_def["response_minutes"]
            label = f"Executive level {level} ({exec_def['title']}): " + (
                "immediate" if target == 0 else f"{target} minutes")
    return RoutingResult(
        tier=tier, tier_label=pol["tiers"][tier]["label"],
        technical_hop=f"tier_{x['current']}_to_{tier}" if tier > x["current"] else None,
        executive_level=level, executive_title=pol["executive_levels"][level]["title"] if level else None,
        target_team=team_rule["team"], security_bypass=team_rule["id"] == "security_bypass", urgency=urgency,
        response_target_minutes=target, response_target_label=label,
        factors=factors, aggravating=counted, escalation_criteria=criteria, decided_by=decided, health=health,
        missing=_missing(f, c, h, health),
    )
