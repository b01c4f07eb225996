"""The doubt: when the level model for the rule's level reads a report as unlike it, the most severe level its
model reads with confidence replaces it, up or down, never to P2/P3 while a P0 stays plausible."""

from __future__ import annotations

import pytest

from escalation_kit.severity import learned
from escalation_kit.severity.classify import _doubt_reading, classify_severity
from escalation_kit.severity.data import rules
from escalation_kit.severity.match import find_signals
from escalation_kit.severity.rules import Decision

TEXT = "the reporting page has been acting up since this morning and the team is looking into it now"


def _models(**bias: float) -> dict:
    """Models with no weights: each level's probability is set by its bias alone."""
    specs = {lv: {"bias": bias.get(lv, -30.0), "threshold": 1.0, "weights": {}} for lv in learned.LEVELS}
    return learned.merge_levels({"levels": specs})


def _doubt(level: str, models: dict, guard: float = 0.025) -> learned.LevelReading | None:
    return learned.doubt_level(TEXT, find_signals(TEXT, "en"), level, 0.5, 0.6, guard, models)


def test_a_doubted_minor_level_rises_to_the_most_severe_confident_level() -> None:
    got = _doubt("P2", _models(P1=1.0, P2=-1.0))  # p(P1) = 0.73, p(P2) = 0.27
    assert got is not None and got.level == "P1" and got.probability == pytest.approx(0.731, abs=1e-3)
    assert _doubt("P2", _models(P0=1.0, P1=1.0, P2=-1.0)).level == "P0"  # the most severe one wins


def test_a_doubted_severe_level_falls_when_no_p0_is_plausible() -> None:
    assert _doubt("P1", _models(P3=2.0, P1=-2.0)).level == "P3"
    assert _doubt("P1", _models(P3=2.0, P1=-2.0, P0=-3.0)) is None  # p0 = 0.047 >= the guard: kept


def test_a_level_its_model_reads_as_plausible_is_kept() -> None:
    assert _doubt("P2", _models(P1=2.0, P2=0.1)) is None  # p(P2) = 0.52 >= 0.5
    assert _doubt("P2", _models(P2=-1.0)) is None  # no level reaches 0.6: nothing to go to


def test_only_the_rules_resting_on_what_the_text_leaves_unstated_are_doubted() -> None:
    policy = rules()["learned_doubt"]
    assert set(policy["over"]) <= set(rules()["learned_level"]["over"])
    assert not {"B-total-outage", "T1-security-breach", "B-few-users", "B-minor-or-question"} & set(policy["over"])
    decision = Decision("P0", "B-total-outage", "", 0.8, "base")
    assert _doubt_reading(TEXT, find_signals(TEXT, "en"), {}, decision, decision, {}) is None


def test_stated_facts_that_changed_the_answer_keep_the_doubt_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """With facts the doubt, switched on, only acts where the text alone gives the same rule and level."""
    monkeypatch.setitem(rules()["learned_doubt"], "enabled", True)
    monkeypatch.setattr(learned, "doubt_level", lambda *a, **k: learned.LevelReading("P0", 0.9, ()))
    text_alone = Decision("P2", "B-unclear", "", 0.5, "base")
    with_facts = Decision("P1", "B-unclear", "", 0.5, "base")
    feats = classify_severity(TEXT).features | {"core": None}
    assert _doubt_reading(TEXT, [], feats, with_facts, text_alone, {}) is None
    got = _doubt_reading(TEXT, [], feats, text_alone, text_alone, {})
    assert got is not None and (got.level, got.rule_id) == ("P0", "L-learned-doubt")


def test_the_switched_off_doubt_changes_no_answer() -> None:
    """Off (rules.yaml learned_doubt.enabled): even a report its models would doubt keeps its rule."""
    text_alone = Decision("P2", "B-unclear", "", 0.5, "base")
    feats = classify_severity(TEXT).features
    assert rules()["learned_doubt"]["enabled"] is False
    assert _doubt_reading(TEXT, [], feats, text_alone, text_alone, {}) is None


def test_doubted_answers_name_the_rule_they_replaced_and_are_not_sure(bench, monkeypatch: pytest.MonkeyPatch) -> None:
    """Switched on, on the shipped models and the tuning corpus: some answers are the doubt's, each rationale
    names the rule it replaced and its level, and the confidence stays below the high band's certainty."""
    monkeypatch.setitem(rules()["learned_doubt"], "enabled", True)
    doubted = []
    for item in bench.load_corpus():
        result = classify_severity(item["text"])
        if result.decided_by == "L-learned-doubt":
            doubted.append(result)
    assert len(doubted) >= 3
    over = rules()["learned_doubt"]["over"]
    for result in doubted:
        assert any(rule in result.rationale for rule in over), result.rationale
        assert result.confidence < 0.95
