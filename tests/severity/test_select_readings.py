"""The leave-one-set-out selection of the learned readings' settings: counting, summing, restoring the models."""

from __future__ import annotations

from types import ModuleType

import pytest

from escalation_kit.severity import classify_severity, learned


def _row(item_id: str, label: str, acceptable: list[str]) -> dict:
    return {"item": {"id": item_id, "label": label, "acceptable": acceptable, "text": "x", "facts": {}}}


def test_count_scores_each_mode_against_the_acceptable_levels(reading_selector: ModuleType) -> None:
    rows = [_row("a", "P0", ["P1"]), _row("b", "P0", []), _row("c", "P3", ["P2"])]
    answers = {"a": ("P1", "P0"), "b": ("P2", "P0"), "c": ("P1", "P2")}
    assert reading_selector.count(rows, answers) == {"text": 1, "text+facts": 3, "p0_low": 1, "n": 3}


def test_summed_adds_each_setting_over_the_held_out_sets(reading_selector: ModuleType) -> None:
    one = {"text": 5, "text+facts": 6, "p0_low": 1, "n": 8}
    two = {"text": 2, "text+facts": 3, "p0_low": 0, "n": 4}
    table = {"blind8": {"0.3": one, "0.5": two}, "blind9": {"0.3": two, "0.5": two}}
    assert reading_selector.summed(table) == {"0.3": {"text": 7, "text+facts": 9, "p0_low": 1, "n": 12},
                                              "0.5": {"text": 4, "text+facts": 6, "p0_low": 0, "n": 8}}


def test_held_out_training_puts_the_shipped_models_back(reading_selector: ModuleType, monkeypatch) -> None:
    """A selection run swaps in fold models; the shipped ones must answer again afterwards, even when the
    run fails half way."""
    text = "Checkout is down for every customer in production since 09:00; payments fail with 500."
    before = classify_severity(text)
    model, level_models = learned.model, learned.level_models
    monkeypatch.setattr(reading_selector, "_answer", lambda rows: (_ for _ in ()).throw(RuntimeError("stop")))
    tiny = {"corpus": [{"item": {"id": "t", "text": "login fails for all users", "label": "P0", "acceptable": [],
                                 "classes": ["total_outage"], "split": "dev"}, "hits": [], "tokens": {"login"}}],
            "blind8": []}
    with pytest.raises(RuntimeError, match="stop"):
        reading_selector.held_out(tiny, "blind8")
    assert (learned.model, learned.level_models) == (model, level_models)
    assert classify_severity(text) == before
