"""The learned readings: reproducible from the corpus, explained, gap-filling only, and blind to breadth words."""

from __future__ import annotations

import json
from types import ModuleType

import pytest

from escalation_kit.paths import references_dir
from escalation_kit.severity import learned
from escalation_kit.severity.classify import classify_severity
from escalation_kit.vocab import SEVERITIES

RANK = {s: i for i, s in enumerate(SEVERITIES)}

REQUEST_ID = "en-r128"  # a question about losing data on upgrade: no outage, no data lost
SECURITY_ID = "en-r010"  # a crypto miner on a hosted server, in words the lexicon does not hold


@pytest.fixture(scope="module")
def texts(bench: ModuleType) -> dict[str, str]:
    return {i["id"]: i["text"] for i in bench.load_corpus()}


def test_shipped_models_are_what_the_training_script_fits(trainer: ModuleType) -> None:
    fresh = trainer.build()
    shipped = json.loads(trainer.OUT.read_text(encoding="utf-8"))
    assert fresh["readings"] == shipped["readings"]
    loaded = {k: v for k, v in learned.model().items() if k != "index"}  # the index is built on first use
    assert loaded == learned.columns(shipped)  # the loaded form holds the same weights
    cv = shipped["cross_validation"]
    assert cv == fresh["cross_validation"] and cv["with_readings"] > cv["rules_only"]


def test_a_request_worded_at_length_is_p3_and_says_why(texts: dict[str, str]) -> None:
    result = classify_severity(texts[REQUEST_ID])
    assert (result.severity, result.decided_by) == ("P3", "B-minor-or-question")
    assert "reads it as a request, question" in result.rationale and "weighed most: '" in result.rationale


def test_a_security_matter_without_lexicon_words_is_at_least_p1(texts: dict[str, str]) -> None:
    result = classify_severity(texts[SECURITY_ID])
    assert result.features["security"] == "suspected" and RANK[result.severity] <= RANK["P1"]
    said = result.rationale.split("possible security matter (words that weighed most: ")[1]
    assert said.count("'") == 6  # three quoted words explain the reading


@pytest.mark.parametrize("text", ["Feature request: CSV export", "crypto mining on servers?"])
def test_short_reports_are_left_to_the_lexicon(text: str) -> None:
    hits_feats = classify_severity(text).features
    feats = dict.fromkeys(hits_feats)
    feats.update({"impact": None, "security": None, "data_loss": None})
    assert learned.read(text, [], feats) == []


def test_facts_still_override_a_reading(texts: dict[str, str]) -> None:
    result = classify_severity(texts[SECURITY_ID], {"security_exposure": "none"})
    assert result.features["security"] == "none"
    assert "model trained" not in result.rationale  # the overridden reading is not claimed
    assert classify_severity(texts[SECURITY_ID]).features["security"] == "suspected"


@pytest.mark.parametrize("scope", [", for all users", ", для всех пользователей", "，所有用户"])
def test_breadth_words_never_change_a_reading(bench: ModuleType, scope: str) -> None:
    """Adding 'for all users' leaves the request and security readings as they were (when the rest of the
    text reads the same), replaces the single-reporter reading by the stated breadth, and never lowers
    the level."""
    from escalation_kit.severity.match import find_signals
    from escalation_kit.severity.rules import merge_text

    def readings(text: str) -> tuple[dict, set[str]]:
        hits = find_signals(text, "en")
        feats, _ = merge_text(hits)
        before = {k: v for k, v in feats.items() if k != "scope"}
        return before, {r.name for r in learned.read(text, hits, feats) if r.name != "single"}

    compared = fired = 0
    for item in bench.load_corpus()[::2]:
        wider_text = item["text"] + scope
        assert RANK[classify_severity(wider_text).severity] <= RANK[classify_severity(item["text"]).severity]
        (plain_feats, plain_read), (wider_feats, wider_read) = readings(item["text"]), readings(wider_text)
        if plain_feats == wider_feats:
            compared += 1
            fired += bool(plain_read)
            assert plain_read == wider_read, item["id"]
    assert compared >= 250 and fired >= 5


def test_negating_an_outage_in_real_reports_never_raises_the_level(bench: ModuleType) -> None:
    """The property test's fragments are too short for the readings; real reports are not."""
    negation = {"en": "not ", "ru": "не ", "zh": "没有"}
    checked = 0
    for item in bench.load_corpus():
        plain = classify_severity(item["text"])
        outage = next((s for s in plain.signals if s.kind == "outage" and not s.negated), None)
        if outage is None:
            continue
        text = item["text"][:outage.start] + negation[item["lang"]] + item["text"][outage.start:]
        assert RANK[classify_severity(text).severity] >= RANK[plain.severity], item["id"]
        checked += 1
    assert checked >= 100


@pytest.mark.parametrize(("bias", "read_away"), [(-0.2, False), (2.0, True)])
def test_a_named_core_function_needs_the_higher_request_threshold(bias: float, read_away: bool) -> None:
    """A report naming a failing core function is read as a request only past ``core_threshold``; the same
    probability reads a report naming none (p = 0.45 and 0.88 against thresholds 0.3 and 0.5, set here: the
    shipped request threshold rose to the core one in stop 19, so the mechanism is checked on its own)."""
    from escalation_kit.severity.match import find_signals

    text = "login page shows a spinner forever could you maybe add a clearer message for people who wait long"
    hits = find_signals(text, "en")
    shipped = json.loads((references_dir() / "severity" / "learned.json").read_text(encoding="utf-8"))["readings"]
    assert shipped["request"]["core_threshold"] >= shipped["request"]["threshold"]  # equal since stop 19
    request = {**shipped["request"], "bias": bias, "weights": {}, "threshold": 0.3, "core_threshold": 0.5}
    quiet = {"bias": -30.0, "threshold": 0.5, "weights": {}}
    models = learned.columns({"readings": {"request": request, "security": quiet, "single": quiet}})
    for core in (True, None):
        feats = {"impact": "severe", "security": None, "data_loss": None, "core": core, "scope": None}
        fired = [r.name for r in learned.read(text, hits, feats, models)]
        expected = read_away or core is None
        assert ("request" in fired) is expected and (feats["impact"] == "question") is expected


def test_the_models_load_through_a_snapshot_equal_to_the_shipped_file(tmp_path, monkeypatch) -> None:
    """learned.json is read once into a pickle keyed by its bytes; the snapshot must hold exactly the file."""
    monkeypatch.setenv("ESCALATION_KIT_CACHE_DIR", str(tmp_path))
    shipped = json.loads((references_dir() / "severity" / "learned.json").read_text(encoding="utf-8"))
    learned.model.cache_clear()
    try:
        first = learned.model()
        snapshots = list(tmp_path.rglob("severity-learned-*.pickle"))
        learned.model.cache_clear()
        again = learned.model()  # now from the snapshot
    finally:
        learned.model.cache_clear()
    assert first == again == learned.columns(shipped) and len(snapshots) == 1
    assert first["tokens"] == sorted(set().union(*(r["weights"] for r in shipped["readings"].values())))
