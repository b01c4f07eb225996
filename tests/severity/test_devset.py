"""The dev set targets (issue 4): >= 90 % within acceptable levels and no P0 rated P2 or P3.

Speed is checked by benchmarks/severity.py, not here (the machine is shared and noisy).
"""

from __future__ import annotations


def test_dev_set_is_sourced_and_big_enough(bench) -> None:
    items = bench.load_items()
    real = [i for i in items if i["kind"] != "constructed"]
    assert len(real) >= 150
    assert {i["lang"] for i in real} == {"en", "ru", "zh"}
    assert len({i["id"] for i in items}) == len(items)
    for item in items:
        assert item["label"] in ("P0", "P1", "P2", "P3")
        assert item["label"] not in item.get("acceptable", [])
        assert item["source"] == "constructed" if item["kind"] == "constructed" else item["source"].startswith("http")


def test_dev_set_targets(bench) -> None:
    report = bench.score(bench.load_items())
    assert report["within"] >= 0.90, report["misses"]
    assert report["p0_rated_low"] == 0
    assert report["under_triage"] <= 0.02
