"""How often two careful labellers agree on severity, beside the engine: a ceiling for the accuracy targets.

Data: ``data/severity_second_opinion.jsonl``, a second label (level, acceptable levels, reason, facts) for 240
texts drawn at random from the tuning sets (80 per language, seed 20261205), written by two helper sessions
that saw only the rubric and the bare texts: not the first labels, not the engine, its code or its output.
Both labellers are model sessions reading the same rubric, so their agreement may be higher than two
people's would be. Usage: python benchmarks/severity_agreement.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import severity as bench  # noqa: E402  (benchmarks/severity.py: the data loaders)
from escalation_kit.severity import classify_severity  # noqa: E402

SECOND = bench.HERE / "severity_second_opinion.jsonl"


def accepted(item: dict[str, Any]) -> set[str]:
    """The levels a labeller accepts: the label and its acceptable alternatives."""
    return {item["label"], *item.get("acceptable", [])}


def agreement(first: dict[str, dict[str, Any]], second: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Within-acceptable agreement both ways, exact agreement and P0s the other rates P2/P3, over shared ids."""
    ids = sorted(set(first) & set(second))
    n = len(ids)
    if not n:
        raise ValueError("no item has both labels")
    counts = {
        "second within first": sum(second[i]["label"] in accepted(first[i]) for i in ids),
        "first within second": sum(first[i]["label"] in accepted(second[i]) for i in ids),
        "exact": sum(first[i]["label"] == second[i]["label"] for i in ids),
        "P0 rated P2/P3 by the other": sum(
            (a["label"] == "P0" and b["label"] in ("P2", "P3")) or (b["label"] == "P0" and a["label"] in ("P2", "P3"))
            for a, b in ((first[i], second[i]) for i in ids)),
    }
    return {"n": n, **counts}


def main() -> int:
    first = {i["id"]: i for i in bench.tuning_items()}
    with SECOND.open(encoding="utf-8") as fh:
        second = {r["id"]: r for r in map(json.loads, fh) if r}
    result = agreement(first, second)
    n = result.pop("n")
    print(f"{n} texts labelled twice (80 per language), both labellers blind to the engine")
    for name, count in result.items():
        print(f"  labellers: {name:<32} {count:4} ({count / n:.1%})")
    for lang in ("en", "ru", "zh"):
        ids = [i for i in second if first[i]["lang"] == lang]
        ok = sum(second[i]["label"] in accepted(first[i]) for i in ids)
        print(f"  labellers, {lang}: second within first {ok}/{len(ids)} ({ok / len(ids):.1%})")
    for facts_from in (None, "first", "second"):
        for judge in ("first", "second"):
            labels = first if judge == "first" else second
            ok = 0
            for i in second:
                facts = None if facts_from is None else (first if facts_from == "first" else second)[i].get("facts")
                ok += classify_severity(first[i]["text"], facts or None).severity in accepted(labels[i])
            mode = "text only" if facts_from is None else f"text + {facts_from} labeller's facts"
            print(f"  engine ({mode}) within the {judge} labels: {ok}/{n} ({ok / n:.1%}) (in-sample: tuning texts)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
