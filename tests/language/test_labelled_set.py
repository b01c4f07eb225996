"""The labelled incident-text set: accuracy targets of issue 3 and invariances over real text."""

from __future__ import annotations

import importlib.util
from collections import defaultdict
from pathlib import Path

import pytest

from escalation_kit.language.detect import detect_language

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("language_bench", ROOT / "benchmarks" / "language.py")
assert _spec and _spec.loader
_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_bench)
CASES = _bench.load_cases()
KINDS = {"prose", "code_switched", "short", "log_heavy", "other_cyrillic", "japanese", "traditional_zh",
         "noise", "other_latin", "korean_other"}


def test_set_is_large_labelled_and_sourced() -> None:
    assert len(CASES) >= 300
    assert len({c["id"] for c in CASES}) == len(CASES), "case ids must be unique"
    assert {c["kind"] for c in CASES} == KINDS
    for case in CASES:
        assert case["label"] in {"ru", "en", "zh", "unknown"}, case["id"]
        assert case["source"].startswith(("http", "adapted: http", "constructed")), case["id"]
        assert case["text"].strip() or case["kind"] == "noise", case["id"]
    real = sum(c["source"].startswith(("http", "adapted")) for c in CASES)
    assert real / len(CASES) >= 0.5, "most of the set must be real text"


def test_accuracy_meets_the_targets_overall_and_per_kind() -> None:
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses = []
    for case in CASES:
        got = detect_language(case["text"]).language
        per_kind[case["kind"]][0] += got == case["label"]
        per_kind[case["kind"]][1] += 1
        if got != case["label"]:
            misses.append(f"{case['id']}: {case['label']} -> {got}")
    overall = sum(hit for hit, _ in per_kind.values()) / len(CASES)
    assert overall >= 0.98, misses
    for kind, (hit, total) in per_kind.items():
        assert hit / total >= 0.95, (kind, misses)


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@pytest.mark.parametrize("change", [str.upper, str.lower, _full_width], ids=["upper", "lower", "full-width"])
def test_case_and_width_do_not_change_any_answer_in_the_set(change) -> None:
    changed = [c["id"] for c in CASES
               if detect_language(change(c["text"])).language != detect_language(c["text"]).language]
    assert changed == []


def test_held_out_set_stays_above_the_overall_target_floor() -> None:
    holdout = _bench.load_cases(_bench.HOLDOUT)
    assert len(holdout) >= 50
    hits = sum(detect_language(c["text"]).language == c["label"] for c in holdout)
    assert hits / len(holdout) >= 0.95
