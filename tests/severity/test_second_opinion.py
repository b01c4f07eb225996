"""The second labeller's labels (benchmarks/data/severity_second_opinion.jsonl) and the agreement count."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from escalation_kit.severity import ImpactFacts
from escalation_kit.vocab import LANGS, SEVERITIES


def _item(label: str, *acceptable: str) -> dict:
    return {"label": label, "acceptable": list(acceptable)}


def test_second_labels_cover_80_tuning_texts_per_language_with_valid_labels(bench, second_opinion) -> None:
    tuning = {i["id"]: i for i in bench.tuning_items()}
    rows = [json.loads(line) for line in second_opinion.SECOND.read_text(encoding="utf-8").splitlines()]
    assert len({r["id"] for r in rows}) == len(rows) == 240
    assert Counter(tuning[r["id"]]["lang"] for r in rows) == dict.fromkeys(LANGS, 80)
    for row in rows:
        assert row["label"] in SEVERITIES and row["label"] not in row["acceptable"], row["id"]
        assert set(row["acceptable"]) <= set(SEVERITIES) and row["reason"], row["id"]
        ImpactFacts.model_validate(row["facts"])


def test_agreement_counts_each_direction_and_p0_disagreements(second_opinion) -> None:
    first = {"a": _item("P0", "P1"), "b": _item("P2"), "c": _item("P3", "P2"), "only-first": _item("P1")}
    second = {"a": _item("P1"), "b": _item("P0"), "c": _item("P3"), "only-second": _item("P2")}
    result = second_opinion.agreement(first, second)
    assert result == {"n": 3, "second within first": 2, "first within second": 1, "exact": 1,
                      "P0 rated P2/P3 by the other": 1}


def test_agreement_needs_shared_items(second_opinion) -> None:
    with pytest.raises(ValueError, match="no item has both labels"):
        second_opinion.agreement({"a": _item("P0")}, {"b": _item("P0")})
