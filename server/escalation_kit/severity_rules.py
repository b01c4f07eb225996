"""Turn signals and facts into features, and features into a level via the staged rules in rules.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from escalation_kit.severity_data import rules
from escalation_kit.severity_match import Match

SEVERITY_ORDER = ("P0", "P1", "P2", "P3")
FEATURES = ("impact", "scope", "production", "workaround", "data_loss", "security", "core", "revenue")
_RANK = {s: i for i, s in enumerate(SEVERITY_ORDER)}
_SEVERE_IMPACT = {"outage", "severe", "degraded"}


@dataclass(frozen=True)
class Decision:
    """The level, the rule that decided it, and the confidence that rule carries."""

    level: str
    rule_id: str
    says: str
    confidence: float
    stage: str


def rank(level: str) -> int:
    """0 for P0 (most severe) .. 3 for P3."""
    return _RANK[level]


def merge_text(hits: list[Match]) -> tuple[dict[str, Any], dict[str, bool]]:
    """Combine the hits' feature values (rules.yaml `merge` order decides conflicts) and flags."""
    order = rules()["merge"]
    seen: dict[str, set[Any]] = {}
    flags: dict[str, bool] = {}
    for hit in hits:
        for key, value in hit.effect().items():
            if key in order:
                seen.setdefault(key, set()).add(value)
            else:
                flags[key] = True
    feats: dict[str, Any] = dict.fromkeys(FEATURES)
    for key, values in seen.items():
        feats[key] = next(v for v in order[key] if v in values)
    _derive(feats, flags)
    return feats, flags


def _derive(feats: dict[str, Any], flags: dict[str, bool]) -> None:
    """Second-order readings of the text: control plane only, and explicit 'no impact' statements."""
    impact = feats["impact"]
    mgmt_only = flags.get("mgmt") and (impact in _SEVERE_IMPACT or (impact is None and flags.get("workloads_ok")))
    if mgmt_only or (flags.get("workloads_ok") and impact == "outage"):
        feats["impact"] = "control_plane"
    if flags.get("no_impact"):
        feats["impact"] = "degraded" if feats["impact"] == "outage" else "none"
    elif flags.get("unaffected") and feats["impact"] is None:
        feats["impact"] = "none"


def facts_features(facts: Any, text_impact: Any) -> dict[str, Any]:
    """Features stated by the structured facts; only these override the text."""
    out: dict[str, Any] = {}
    if facts.production is not None:
        out["production"] = facts.production
    pct = facts.users_affected_pct
    if pct is not None:
        if pct == 0:
            out["impact"] = "none"
        else:
            out["scope"] = "all" if pct >= 90 else "segment" if pct >= 5 else "few"
    elif facts.regions_affected:
        out["scope"] = "multi_region" if facts.regions_affected >= 2 else "region"
    if facts.core_function_affected is True or facts.revenue_at_risk:
        out["core"] = True
        if "impact" not in out and text_impact not in ("outage", "severe"):
            out["impact"] = "outage" if facts.core_function_affected else "severe"
    elif facts.core_function_affected is False:
        out["core"] = False
    if facts.revenue_at_risk:
        out["revenue"] = True
    for name in ("data_loss", "security_exposure"):
        value = getattr(facts, name)
        if value is not None:
            out["security" if name == "security_exposure" else name] = value
    if facts.workaround is not None:
        out["workaround"] = facts.workaround
    return out


def _matches(when: dict[str, Any], feats: dict[str, Any]) -> bool:
    """True when every feature named in ``when`` has the value given (or one of the list)."""
    for key, want in when.items():
        have = feats.get(key)
        if isinstance(want, list):
            if have not in want:
                return False
        elif have != want:
            return False
    return True


def evaluate(feats: dict[str, Any]) -> Decision:
    """Apply override, base, cap and floor stages in order (rules.yaml) and return the decision."""
    table = rules()
    for rule in table["override"]:
        if _matches(rule["when"], feats):
            return Decision(rule["level"], rule["id"], rule["says"], rule["confidence"], "override")
    decision = None
    for rule in table["base"]:
        if _matches(rule["when"], feats):
            decision = Decision(rule["level"], rule["id"], rule["says"], rule["confidence"], "base")
            break
    assert decision is not None, "rules.yaml base stage must end with a catch-all rule"
    for stage, lowers in (("cap", True), ("floor", False)):
        for rule in table[stage]:
            if not _matches(rule["when"], feats):
                continue
            if (rank(decision.level) < rank(rule["level"])) == lowers and decision.level != rule["level"]:
                decision = Decision(rule["level"], rule["id"], rule["says"], rule["confidence"], stage)
    return decision


def probe(feats: dict[str, Any], level: str) -> tuple[list[str], str | None]:
    """Unknown features whose answer would change the level, and the adjacent lower level (alternative)."""
    table = rules()
    asked: list[str] = []
    for key, values in table["probes"].items():
        if feats.get(key) is not None:
            continue
        if any(evaluate({**feats, key: v}).level != level for v in values):
            asked.append(key)
    alternative = None
    for key, values in table["alternatives"].items():
        if feats.get(key) is not None:
            continue
        for v in values:
            other = evaluate({**feats, key: v}).level
            if rank(other) == rank(level) + 1:
                alternative = other
    return asked, alternative
