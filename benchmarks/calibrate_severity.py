"""Fit classify_severity's confidence table on tuning data only and write references/severity/calibration.json.

For every tuning answer (``severity.tuning_items()``: the corpus and the later sets, each read after it
was scored; text only and text + facts; and the first dev set) it records
the evidence the answer rested on (severity.confidence.Evidence) and whether the level was acceptable. Each
kind of evidence gets its accuracy shrunk toward its rule's (itself shrunk toward the overall accuracy), so a
kind seen a few times cannot claim much; fewer unknowns never give a lower value; and each rule's
generalisation drop is taken off, because the lexicon was tuned on these very answers. The drop is measured,
not guessed: ``data/severity_generalisation_gap.json`` holds, per rule, how much the previous stop's engine
lost between the sets it was tuned on and the blind set it had never read, shrunk toward its overall drop.
The current blind set is never read here.
Usage: python benchmarks/calibrate_severity.py
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import severity as bench  # noqa: E402  (benchmarks/severity.py: the data loaders)
from escalation_kit.paths import references_dir  # noqa: E402
from escalation_kit.severity.classify import assess  # noqa: E402

SHRINK = 6.0  # pseudo-observations pulling a small group toward its parent's accuracy
GAP = Path(__file__).resolve().parent / "data" / "severity_generalisation_gap.json"
GAP_SHRINK = 20.0  # pseudo-answers pulling a rule's measured drop toward the overall drop


def generalisation_drops() -> tuple[dict[str, float], float]:
    """Per rule, in-sample minus out-of-sample accuracy of the previous engine, shrunk; and the overall drop."""
    data = json.loads(GAP.read_text(encoding="utf-8"))
    inside, outside = data["in_sample"], data["out_of_sample"]

    def rate(table: dict[str, list[int]]) -> float:
        return sum(k for k, _ in table.values()) / sum(n for _, n in table.values())

    overall = max(0.0, rate(inside) - rate(outside))
    drops = {}
    for rule, (k_in, n_in) in inside.items():
        k_out, n_out = outside.get(rule, (0, 0))
        drop = k_in / n_in - k_out / n_out if n_out else overall
        drops[rule] = round(max(0.0, (n_out * drop + GAP_SHRINK * overall) / (n_out + GAP_SHRINK)), 3)
    return drops, round(overall, 3)


def dev_answers() -> list[tuple[str, bool]]:
    """(evidence key, acceptable?) for every tuning answer; the current blind set is not loaded."""
    corpus = bench.tuning_items()
    runs = [(i, None) for i in corpus] + [(i, i.get("facts") or None) for i in corpus]
    runs += [(i, None) for i in bench.load_items()]
    out = []
    for item, facts in runs:
        result, evidence = assess(item["text"], facts)
        ok = result.severity == item["label"] or result.severity in item.get("acceptable", [])
        out.append((evidence.key(), ok))
    return out


def fit(answers: list[tuple[str, bool]]) -> dict:
    """Per kind of evidence: accuracy shrunk toward its rule's, monotone in the unknowns, less the rule's drop."""
    drops, overall = generalisation_drops()
    total = len(answers)
    p_global = sum(ok for _, ok in answers) / total
    by_rule: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_cell: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for key, ok in answers:
        for table, name in ((by_rule, key.split("|")[0]), (by_cell, key)):
            table[name][0] += ok
            table[name][1] += 1
    p_rule = {r: (k + SHRINK * p_global) / (n + SHRINK) for r, (k, n) in by_rule.items()}
    point = {key: (k + SHRINK * p_rule[key.split("|")[0]]) / (n + SHRINK) for key, (k, n) in by_cell.items()}
    cells = {}
    for key, value in point.items():
        rule, assumed, rest = key.split("|", 2)
        fewer_unknowns_never_lower = [point.get(f"{rule}|a{a}|{rest}", 0.0) for a in range(int(assumed[1]), 3)]
        cells[key] = round(max([value, *fewer_unknowns_never_lower]) - drops.get(rule, overall), 3)
    rules = {r: round(p - drops.get(r, overall), 3) for r, p in p_rule.items()}
    return {
        "about": "classify_severity confidence per kind of evidence: tuning-data accuracy shrunk toward the rule's "
                 "and the overall accuracy, never lower with fewer unknowns, less the rule's generalisation drop "
                 "measured on the previous engine (benchmarks/data/severity_generalisation_gap.json), because "
                 "the lexicon was tuned on these answers. Fitted by benchmarks/calibrate_severity.py on tuning "
                 "data only (never the current blind set).",
        "fitted": date.today().isoformat(),
        "answers": total,
        "overall_drop": overall,
        "drops": dict(sorted(drops.items())),
        "global": round(p_global - overall, 3),
        "rules": dict(sorted(rules.items())),
        "cells": dict(sorted(cells.items())),
        # Policy, not measurement: when no impact is described the level is a placeholder to confirm,
        # whatever share of such answers happened to be acceptable on the dev data.
        "ceilings": {"B-unclear": 0.4},
    }


def main() -> int:
    table = fit(dev_answers())
    path = references_dir() / "severity" / "calibration.json"
    path.write_text(json.dumps(table, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    print(f"wrote {path} from {table['answers']} tuning answers: {len(table['cells'])} kinds of evidence, "
          f"{len(table['rules'])} rules, overall {table['global']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
