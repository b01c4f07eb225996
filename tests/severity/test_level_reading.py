"""The level reading: lowers only, never below P1 while a P0 stays plausible, settles under caps and floors."""

from __future__ import annotations

import json
from types import ModuleType

import pytest

from escalation_kit.errors import DataError
from escalation_kit.severity import learned
from escalation_kit.severity.classify import classify_severity
from escalation_kit.severity.data import rules
from escalation_kit.severity.match import find_signals
from escalation_kit.severity.rules import FEATURES, Decision, settle

TEXT = "please add an export of the report table to csv for our accountants"


def _models(**bias: float) -> dict:
    """Models with no weights: each level's probability is set by its bias alone."""
    specs = {lv: {"bias": bias.get(lv, -30.0), "threshold": 1.0, "weights": {}} for lv in learned.LEVELS}
    return learned.merge_levels({"levels": specs})


def _read(level: str, models: dict, margin: float = 0.1, guard: float = 0.05) -> learned.LevelReading | None:
    return learned.read_level(TEXT, find_signals(TEXT, "en"), level, margin, guard, models)


def test_a_clearly_lower_level_replaces_the_rules() -> None:
    got = _read("P1", _models(P3=3.0, P2=0.0, P1=-1.0))  # p = 0.95, 0.5, 0.27; P0 ~ 0
    assert got is not None and got.level == "P3" and got.probability == pytest.approx(0.953, abs=1e-3)


def test_it_never_raises_a_level() -> None:
    assert _read("P2", _models(P0=3.0)) is None
    assert _read("P3", _models(P1=3.0)) is None


def test_a_plausible_p0_keeps_p0_and_p1_reports_out_of_the_minor_levels() -> None:
    models = _models(P3=3.0, P0=-2.8)  # P0 model at 0.057, over the 0.05 guard
    assert _read("P1", models) is None
    assert _read("P1", models, guard=0.1) is not None


def test_the_read_level_must_beat_every_more_severe_level_by_the_margin() -> None:
    close = _models(P3=0.4, P2=0.0, P1=-3.0)  # P3 0.599 against P2 0.5: within 0.1
    assert _read("P1", close) is None
    assert _read("P1", close, margin=0.05) is not None


def test_the_level_does_not_depend_on_the_rules_level() -> None:
    """Monotone in the rule's level: the read level is the same from P0 and from P1; from P3 nothing is lower."""
    models = _models(P2=3.0)
    assert _read("P0", models).level == _read("P1", models).level == "P2"
    assert _read("P3", models) is None


def test_unread_words_must_be_strings(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bare `no` in rules.yaml is YAML's false: refused by name instead of silently never matching."""
    policy = {**rules()["learned_level"], "unread_words": ["not", False]}
    monkeypatch.setitem(rules(), "learned_level", policy)
    learned._negations.cache_clear()
    try:
        with pytest.raises(DataError, match="unread_words"):
            learned._negations()
    finally:
        monkeypatch.undo()
        learned._negations.cache_clear()
    assert "no" in learned._negations()[0]


def test_negation_words_are_not_read() -> None:
    assert learned.level_tokens("the site is not down", []) == learned.level_tokens("the site is     down", [])
    assert learned.level_tokens("сайт не работает", []) == learned.level_tokens("сайт    работает", [])


def test_a_short_request_is_read_down_to_p3_and_the_rationale_names_the_rule_it_replaced() -> None:
    result = classify_severity("Добавить выгрузку в CSV")
    assert (result.severity, result.decided_by, result.alternative) == ("P3", "L-learned-level", None)
    assert "B-unclear" in result.rationale and "P2" in result.rationale and "«csv»" in result.rationale
    assert classify_severity("Добавить выгрузку в CSV", {"production": True, "users_affected_pct": 100,
                                                         "core_function_affected": True}).severity == "P0"


def test_only_rules_resting_on_unstated_breadth_are_second_guessed() -> None:
    over = set(rules()["learned_level"]["over"])
    assert over <= {r["id"] for r in rules()["base"]}
    assert not over & {"B-total-outage", "B-core-unusable-everywhere", "B-partial-outage", "B-planned-work"}
    stated = classify_severity("please add csv export; the site is down for all users")
    assert (stated.severity, stated.decided_by) == ("P0", "B-total-outage")


def test_caps_and_floors_settle_a_read_level() -> None:
    """A read level goes through the same caps and floors: suspected data loss lifts it back to P1."""
    feats = dict.fromkeys(FEATURES)
    feats.update(impact="severe", data_loss="suspected")
    read = Decision("P3", "L-learned-level", "read", 0.6, "learned")
    settled = settle(feats, read)
    assert (settled.level, settled.rule_id) == ("P1", "T1-suspected-data-loss")
    assert settle({**feats, "data_loss": None}, read) == read


def _raise(level: str, models: dict, at_least: float = 0.6) -> learned.LevelReading | None:
    return learned.raise_level(TEXT, find_signals(TEXT, "en"), level, at_least, "P1", models)


def test_the_raise_lifts_a_minor_level_to_p1_when_the_p0_model_reads_p0() -> None:
    got = _raise("P2", _models(P0=1.0))  # p0 = 0.73
    assert got is not None and got.level == "P1" and got.probability == pytest.approx(0.731, abs=1e-3)
    assert _raise("P3", _models(P0=1.0)).level == "P1"
    assert _raise("P2", _models(P0=0.0)) is None  # p0 = 0.5 < 0.6
    assert _raise("P1", _models(P0=5.0)) is None and _raise("P0", _models(P0=5.0)) is None  # never to P0, never down


def test_the_raise_acts_only_on_the_rules_it_may_second_guess_and_caps_still_settle_it() -> None:
    """A stated non-production environment (a cap) or a rule outside learned_raise.over keeps the raise out."""
    text = ("Elevated errors on Claude.ai, API, Claude Code\n"
            "We are seeing increased errors on Claude.ai, API and Claude Code")
    raised = classify_severity(text)
    assert (raised.severity, raised.decided_by) == ("P1", "L-learned-raise")
    # the calibration takes off the drop measured out of sample (55 of 63 right there, 160 of 163 in sample)
    assert "P0" in raised.rationale and raised.confidence < 0.95
    assert classify_severity(text, {"production": False}).severity in ("P2", "P3")
    policy = rules()["learned_raise"]
    assert policy["level"] == "P1" and "B-minor-or-question" not in policy["over"]


# The out-of-sample rows a default run refits: the newest set's, the largest fit and the one the latest refit added.
# Every row (14 fits on up to 12,744 texts: about 9 minutes on 2 cores, too long for CI's 15-minute budget) is
# refitted with ESCALATION_KIT_FULL_REFIT=1 or by `python benchmarks/train_severity_levels.py --check`; the bounds
# below are still asserted on every shipped row.
NEWEST_ROWS = 1


@pytest.mark.slow
@pytest.mark.timeout(900)  # the full fit and one row: ~2 minutes on 2 cores (two workers); every row: ~9
def test_shipped_level_models_are_what_the_script_fits_and_help_out_of_sample(level_trainer: ModuleType) -> None:
    """levels.json is reproducible, and on the sets an engine had never read the reading turned more answers
    right than wrong, lost on none of them, and let at most one labelled P0 down to P2/P3 (none until blind-21).
    (On blind-13, stop 17, it gains nothing: the per-set condition is 'no worse', the sum must gain.) The text
    reading (stop 25) gained on every set, and lifted more labelled P0s out of P2/P3 than it let down."""
    import os

    newest = tuple(level_trainer.OUT_OF_SAMPLE)[-NEWEST_ROWS:]
    fresh = level_trainer.build(None if os.environ.get("ESCALATION_KIT_FULL_REFIT") else newest)
    shipped = json.loads(level_trainer.OUT.read_text(encoding="utf-8"))
    assert len(fresh["out_of_sample"]) >= NEWEST_ROWS and fresh["levels"] == shipped["levels"]
    assert fresh["out_of_sample"] == {k: shipped["out_of_sample"][k] for k in fresh["out_of_sample"]}
    loaded, merged = learned.level_models(), learned.merge_levels(shipped)
    assert [loaded[k] for k in ("bias", "tokens", "columns")] == [merged[k] for k in ("bias", "tokens", "columns")]
    assert set(shipped["out_of_sample"]) == {"blind8", "blind9", "blind10", "blind11", "blind12", "blind13", "blind14",
                                            "blind15", "blind16", "blind17", "blind18",
                                            "blind19", "blind20", "blind21"}
    rows = shipped["out_of_sample"].values()
    for mode in ("text", "text+facts"):
        right = [row.get(f"{mode} turned right", 0) for row in rows]
        wrong = [row.get(f"{mode} turned wrong", 0) for row in rows]
        assert all(r >= w for r, w in zip(right, wrong, strict=True)) and sum(right) > sum(wrong) + 10, mode
        # no labelled P0 let down to P2/P3 on blind-8 to blind-20; blind-21 (stop 25) had the first one
        assert sum(row.get(f"{mode} P0 newly rated P2/P3", 0) for row in rows) <= 1
    # the raise (stop 18): from text a gain summed, and no set worse by more than one answer (chosen on blind-8 to
    # blind-14 with none worse; blind-15, added in stop 19, lost one: 0 / -1); with facts, which decide most
    # answers the raise could touch, no loss summed (measured in stop 19: text +12 / -2, text + facts +3 / -3; in
    # stop 24, with blind-20, +4 / -6 with facts, so the raise now acts with facts only where they left the text's
    # answer as it was, as the doubt does: +1 / -1)
    raised = [(row.get("text raised right", 0), row.get("text raised wrong", 0)) for row in rows]
    assert all(r >= w - 1 for r, w in raised) and sum(r for r, _ in raised) > sum(w for _, w in raised) + 5
    with_facts = [(row.get("text+facts raised right", 0), row.get("text+facts raised wrong", 0)) for row in rows]
    assert sum(r for r, _ in with_facts) >= sum(w for _, w in with_facts)
    assert sum(row.get("text P0 lifted from P2/P3", 0) for row in rows) > 0
    # the doubt (stop 19), where neither the reading nor the raise acted, is on only while its bound holds: a gain
    # summed in both modes, no set worse by more than two answers, no labelled P0 newly rated P2/P3. Chosen on
    # blind-8 to blind-15 (text +33 / -12), it lost on blind-16 (text +1 / -4) and on blind-17 (text +3 / -4, added in
    # stop 21), so it ships switched off.
    holds = []
    for mode in ("text", "text+facts"):
        doubted = [(row.get(f"{mode} doubted right", 0), row.get(f"{mode} doubted wrong", 0)) for row in rows]
        holds += [all(r >= w - 2 for r, w in doubted), sum(r for r, _ in doubted) > sum(w for _, w in doubted) + 10,
                  sum(row.get(f"{mode} doubted P0 newly rated P2/P3", 0) for row in rows) == 0]
    assert sum(row.get("text doubted", 0) for row in rows) > 100  # it is still measured on every set
    # the text reading (stop 25), applied to the answers of engines that had not read each set, within the engine's
    # room, settled by caps and floors: chosen on blind-8 to blind-18. From text it gained on every set through
    # blind-21 (+319 / -96 over 9,012 texts; labelled P0s let down to P2/P3 12, lifted 48); with facts +148 / -73
    # summed (blind-8 -8, blind-11 -1; P0s let down 4, lifted 4)
    reread = [(row.get("text reread right", 0), row.get("text reread wrong", 0)) for row in rows]
    assert all(r > w for r, w in reread) and sum(r for r, _ in reread) > 2 * sum(w for _, w in reread)
    assert (sum(row.get("text reread P0 newly rated P2/P3", 0) for row in rows)
            < sum(row.get("text reread P0 lifted from P2/P3", 0) for row in rows))
    with_facts = [(row.get("text+facts reread right", 0), row.get("text+facts reread wrong", 0)) for row in rows]
    assert all(r >= w - 8 for r, w in with_facts) and sum(r for r, _ in with_facts) > sum(w for _, w in with_facts) + 40
    assert (sum(row.get("text+facts reread P0 newly rated P2/P3", 0) for row in rows)
            <= sum(row.get("text+facts reread P0 lifted from P2/P3", 0) for row in rows))
    assert rules()["learned_text"]["enabled"]
    assert rules()["learned_doubt"]["enabled"] is all(holds)

