"""Accuracy and speed of classify_severity on the labelled dev set (benchmarks/data/severity_dev.yaml).

Prints exact and within-acceptable accuracy, the confusion matrix, the under-triage rate (P0/P1
rated two or more levels lower), P0 items rated P2/P3, per-language figures, and the median/p90
time per call in microseconds against a baseline measured in the same run (one str.lower()+regex
search over the same text, i.e. the floor of any text classifier). Usage:
    python benchmarks/severity.py [--misses] [--repeat N]
Targets: within-acceptable >= 90 %, zero P0 rated P2/P3, median < 200 us per call.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from escalation_kit.severity import classify_severity
from escalation_kit.vocab import SEVERITIES

DATA = Path(__file__).resolve().parent / "data" / "severity_dev.yaml"
TARGET_WITHIN = 0.90
TARGET_MEDIAN_US = 200.0


def load_items(path: Path = DATA) -> list[dict[str, Any]]:
    """The labelled items, each with id, lang, kind, label, acceptable, source and text."""
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)["items"]


def score(items: list[dict[str, Any]]) -> dict[str, Any]:
    """Run the classifier once per item and compute every figure the report prints."""
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    confusion = {a: dict.fromkeys(SEVERITIES, 0) for a in SEVERITIES}
    exact = within = under = top_total = p0_low = 0
    misses, by_lang = [], {}
    for item in items:
        got = classify_severity(item["text"]).severity
        want = item["label"]
        ok = got == want or got in item.get("acceptable", [])
        confusion[want][got] += 1
        exact += got == want
        within += ok
        lang = by_lang.setdefault(item["lang"], [0, 0])
        lang[0] += ok
        lang[1] += 1
        if want in ("P0", "P1"):
            top_total += 1
            under += rank[got] - rank[want] >= 2
        p0_low += want == "P0" and got in ("P2", "P3")
        if not ok:
            misses.append((item["id"], want, item.get("acceptable", []), got, item["text"]))
    n = len(items)
    return {
        "n": n, "exact": exact / n, "within": within / n, "confusion": confusion,
        "under_triage": under / top_total if top_total else 0.0, "p0_rated_low": p0_low,
        "misses": misses, "by_lang": by_lang,
    }


def timing(items: list[dict[str, Any]], repeat: int) -> tuple[list[float], list[float]]:
    """Per-call microseconds of classify_severity and of the baseline, interleaved."""
    baseline = re.compile(r"\b(?:down|outage|недоступ\w*)|宕机")
    ours, base = [], []
    for _ in range(repeat):
        for item in items:
            text = item["text"]
            t0 = time.perf_counter()
            classify_severity(text)
            t1 = time.perf_counter()
            baseline.search(text.lower())
            t2 = time.perf_counter()
            ours.append((t1 - t0) * 1e6)
            base.append((t2 - t1) * 1e6)
    return ours, base


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list the items outside the acceptable levels")
    parser.add_argument("--repeat", type=int, default=5, help="timing passes over the set")
    args = parser.parse_args()
    items = load_items()
    classify_severity("warm-up: load and compile the lexicon")
    r = score(items)
    real = sum(1 for i in items if i["kind"] != "constructed")
    print(f"items: {r['n']} ({real} real public texts, {r['n'] - real} constructed)")
    print(f"exact accuracy:             {r['exact']:.1%}")
    print(f"within-acceptable accuracy: {r['within']:.1%}  target >= {TARGET_WITHIN:.0%}")
    for lang, (ok, total) in sorted(r["by_lang"].items()):
        print(f"  {lang}: {ok}/{total} within acceptable ({ok / total:.1%})")
    print(f"under-triage (P0/P1 rated >= 2 levels lower): {r['under_triage']:.1%}")
    print(f"P0 rated P2/P3: {r['p0_rated_low']}  target 0")
    print("confusion (rows = label, columns = predicted):")
    print("       " + "  ".join(f"{s:>4}" for s in SEVERITIES))
    for want in SEVERITIES:
        print(f"  {want}  " + "  ".join(f"{r['confusion'][want][got]:>4}" for got in SEVERITIES))
    ours, base = timing(items, args.repeat)
    med, med_base = statistics.median(ours), statistics.median(base)
    print(f"per call: median {med:.1f} us, p90 {p90(ours):.1f} us (n={len(ours)}); target median < "
          f"{TARGET_MEDIAN_US:.0f} us; baseline regex median {med_base:.2f} us, ratio {med / med_base:.0f}x")
    if args.misses:
        for mid, want, acc, got, text in r["misses"]:
            print(f"MISS {mid}: label {want} {acc} got {got} :: {text[:110]}")
    ok = r["within"] >= TARGET_WITHIN and r["p0_rated_low"] == 0 and med < TARGET_MEDIAN_US
    print("targets:", "OK" if ok else "NOT MET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
