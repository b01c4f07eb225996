"""Turn signals and facts into features, and features into a level via the staged rules in rules.yaml."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from operator import itemgetter
from typing import Any, NamedTuple

from escalation_kit.severity.data import rules
from escalation_kit.severity.match import Match
from escalation_kit.vocab import SEVERITIES

SEVERITY_ORDER = SEVERITIES
_NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]+)?")
FEATURES = ("impact", "scope", "production", "workaround", "data_loss", "security", "core", "revenue")
_INDEX = {name: i for i, name in enumerate(FEATURES)}
_KEY = itemgetter(*FEATURES)  # one C call for the full feature dicts the engine builds
_RANK = {s: i for i, s in enumerate(SEVERITY_ORDER)}


class Decision(NamedTuple):
    """The level, the rule that decided it (``says`` in English), and the confidence that rule carries."""

    level: str
    rule_id: str
    says: str
    confidence: float
    stage: str
    reading: Any = None  # the level reading behind a "learned" decision (severity.learned.LevelReading)


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
            if value == "percent":  # "100% of users": the number decides the breadth
                value = pct_scope(min(100.0, float(_NUMBER.search(hit.text).group().replace(",", "."))))
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
    """Second-order readings of the text (documented at the top of rules.yaml)."""
    impact = feats["impact"]
    if flags.get("intermittent") and impact in ("outage", "severe") and feats["scope"] != "all":
        impact = feats["impact"] = "degraded"
    if flags.get("cosmetic") and impact in ("severe", "degraded") and feats["core"] is not True:
        impact = feats["impact"] = "minor"
    workloads_ok = flags.get("workloads_ok")
    # a management word with an outage of no named core function: the console is down, not the service
    mgmt_outage = impact == "outage" and feats["core"] is not True
    mgmt_only = flags.get("mgmt") and (impact in ("severe", "degraded") or mgmt_outage)
    if mgmt_only or (workloads_ok and impact in (None, "outage")):
        feats["impact"] = "control_plane"
    if flags.get("provider_voice") and impact == "severe" and feats["core"] is None:
        feats["core"] = True  # the provider reports failures of its own service's function
    if feats["impact"] in ("question", "minor") or flags.get("meta"):  # asked about or requested, not happening
        for key in ("data_loss", "security"):
            if feats[key] == "confirmed":
                feats[key] = "suspected"
    quiet = feats["data_loss"] in (None, "none") and feats["security"] in (None, "none")  # "no data loss" is quiet too
    if flags.get("meta") and quiet and feats["impact"] in (None, "outage", "severe", "degraded", "control_plane"):
        feats["impact"] = "minor"  # the report is about a message's wording, not a failure it names
    elif flags.get("planned") and not _happened(flags) and quiet and impact_weak_or_outage(feats):
        feats["impact"] = "planned"  # announced future work: nothing is broken now
    if flags.get("no_impact"):
        feats["impact"] = "degraded" if feats["impact"] == "outage" else "none"
    elif (flags.get("unaffected") or flags.get("outage_denied")) and feats["impact"] is None:
        feats["impact"] = "none"


def _happened(flags: dict[str, bool]) -> bool:
    """Whether the text reports work that caused a failure or an event no one scheduled: an incident, not a notice."""
    return bool(flags.get("work_caused") or flags.get("unplanned"))


def impact_weak_or_outage(feats: dict[str, Any]) -> bool:
    """Whether the text's impact is unknown, an outage or degraded: what an announcement of work may explain."""
    return feats["impact"] in (None, "outage", "degraded")


def pct_scope(pct: float) -> str:
    """Scope for a share of users or requests, by the thresholds in rules.yaml."""
    limits = rules()["thresholds"]
    return "all" if pct >= limits["scope_all_pct"] else "segment" if pct >= limits["scope_segment_pct"] else "few"


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
            out["scope"] = pct_scope(pct)
    elif facts.regions_affected:
        many = facts.regions_affected >= rules()["thresholds"]["multi_region_count"]
        out["scope"] = "multi_region" if many else "region"
    if facts.core_function_affected is not None:
        out["core"] = facts.core_function_affected
        if facts.core_function_affected and "impact" not in out and text_impact not in ("outage", "severe"):
            out["impact"] = "outage"
    if facts.revenue_at_risk:  # context only: money at risk says nothing about how much is broken
        out["revenue"] = True
    for name in ("data_loss", "security_exposure"):
        value = getattr(facts, name)
        if value is not None:
            out["security" if name == "security_exposure" else name] = value
    if facts.workaround is not None:
        out["workaround"] = facts.workaround
    return out


@cache
def _compiled() -> dict[str, tuple[tuple[dict[str, Any], tuple[tuple[str, frozenset], ...]], ...]]:
    """Each stage's rules with their `when` turned into (feature, allowed values) pairs, once."""
    table = rules()
    out = {}
    for stage in ("override", "base", "cap", "floor"):
        out[stage] = tuple(
            (rule, tuple((k, frozenset(v if isinstance(v, list) else [v])) for k, v in rule["when"].items()))
            for rule in table[stage]
        )
    return out


def _key(feats: dict[str, Any]) -> tuple:
    """Hashable view of the features, in FEATURES order, for the evaluation cache (missing ones are None)."""
    try:
        return _KEY(feats)
    except KeyError:
        return tuple(feats.get(k) for k in FEATURES)


def evaluate(feats: dict[str, Any]) -> Decision:
    """Apply override, base, cap and floor stages in order (rules.yaml) and return the decision."""
    return _evaluate(_key(feats))


@lru_cache(maxsize=8192)
def _evaluate(key: tuple) -> Decision:
    """evaluate() on the hashable feature tuple; pure, so caching cannot change an answer."""
    return _settle(key, _base(key))


def base_decision(feats: dict[str, Any]) -> Decision:
    """The override or base rule that fires, before caps and floors (the level reading starts from it)."""
    return _base(_key(feats))


def settle(feats: dict[str, Any], decision: Decision) -> Decision:
    """``decision`` after the cap and floor stages: a cap may only lower it, a floor only raise it."""
    return _settle(_key(feats), decision)


def _hit(feats: tuple, conds: tuple[tuple[str, frozenset], ...]) -> bool:
    """Whether every condition of a rule holds for the feature tuple."""
    return all(feats[_INDEX[k]] in allowed for k, allowed in conds)


def _make(rule: dict[str, Any], stage: str) -> Decision:
    return Decision(rule["level"], rule["id"], rule["says"]["en"], rule["confidence"], stage)


@lru_cache(maxsize=8192)
def _base(key: tuple) -> Decision:
    """The first override rule that holds, else the first base rule."""
    stages = _compiled()
    for rule, conds in stages["override"]:
        if _hit(key, conds):
            return _make(rule, "override")
    return next(_make(rule, "base") for rule, conds in stages["base"] if _hit(key, conds))


def _settle(key: tuple, decision: Decision) -> Decision:
    """Caps then floors; an override decision is final."""
    if decision.stage == "override":
        return decision
    stages = _compiled()
    for stage, lowers in (("cap", True), ("floor", False)):
        for rule, conds in stages[stage]:
            moves = decision.level != rule["level"] and (rank(decision.level) < rank(rule["level"])) == lowers
            if moves and _hit(key, conds):
                decision = _make(rule, stage)
    return decision


def probe(feats: dict[str, Any], level: str) -> tuple[list[str], str | None]:
    """Unknown features whose answer would change the level, and the adjacent lower level (alternative)."""
    asked, alternative = _probe(_key(feats), level)
    return list(asked), alternative


@lru_cache(maxsize=8192)
def _probe(key: tuple, level: str) -> tuple[tuple[str, ...], str | None]:
    """probe() on the hashable feature tuple."""
    feats = dict(zip(FEATURES, key, strict=True))
    table = rules()
    asked: list[str] = []
    for name, values in table["probes"].items():
        if feats.get(name) is not None:
            continue
        if any(evaluate({**feats, name: v}).level != level for v in values):
            asked.append(name)
    alternative = None
    for name, values in table["alternatives"].items():
        if feats.get(name) is not None:
            continue
        for v in values:
            other = evaluate({**feats, name: v}).level
            if rank(other) == rank(level) + 1:
                alternative = other
    return tuple(asked), alternative
