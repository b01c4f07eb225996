"""Choose the learned readings' regularisation and thresholds by leaving one collected set out at a time.

Why: 5-fold cross-validation mixes every set into every fold, so it rewards what the sets share. Twice a refit
chosen that way lost on the next unseen set. Here each of blind-8 to blind-18 in turn is held out whole:
the readings and level models are trained on every other tuning set, and the whole engine answers the held-out
set (text only, text + facts). The lexicon was tuned on every one of these sets, so the figures are still
optimistic. They rank settings of the learned parts; they are not an accuracy claim.

Data: the tuning sets only (``severity.tuning_items()``); the sets kept blind are never loaded.
Usage: python benchmarks/select_severity_readings.py [--l2 1 10 100] [--min-df 3] [--out FILE]
Prints, per setting, the within-acceptable answers summed over the held-out sets and the labelled P0s rated
P2/P3 from text, then each setting's per-set difference from the shipped one. About 1.5 minutes per held-out
set and L2 value.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_severity_dims as dims  # noqa: E402
import train_severity_levels as levels  # noqa: E402
from escalation_kit.severity import classify_severity, learned  # noqa: E402

HELD_OUT = ("blind8", "blind9", "blind10", "blind11", "blind12", "blind13", "blind14", "blind15", "blind16",
            "blind17", "blind18", "blind19", "blind20", "blind21")
GRID = {"request": (0.2, 0.3, 0.4, 0.5), "single": (0.15, 0.25, 0.35), "security": (0.1, 0.2)}
Counts = dict[str, int]


def _answer(rows: list[dict[str, Any]]) -> dict[str, tuple[str, str]]:
    """The engine's level for each row's text, and with its facts."""
    return {r["item"]["id"]: (classify_severity(r["item"]["text"]).severity,
                              classify_severity(r["item"]["text"], r["item"].get("facts") or None).severity)
            for r in rows}


def count(rows: list[dict[str, Any]], answers: dict[str, tuple[str, str]]) -> Counts:
    """Within-acceptable answers per mode and labelled P0s rated P2/P3 from text."""
    out = {"text": 0, "text+facts": 0, "p0_low": 0, "n": len(rows)}
    for r in rows:
        item, (text, facts) = r["item"], answers[r["item"]["id"]]
        ok = {item["label"], *item["acceptable"]}
        out["text"] += text in ok
        out["text+facts"] += facts in ok
        out["p0_low"] += item["label"] == "P0" and text in ("P2", "P3")
    return out


def held_out(by_split: dict[str, list[dict[str, Any]]], held: str) -> dict[str, Counts]:
    """Train on every set but ``held``; count the engine's answers on it for every threshold setting."""
    train = [r for split, rows in by_split.items() if split != held for r in rows]
    readings = learned.columns({"readings": {name: dims.fit(train, name) for name in dims.TARGETS}})
    level_models = learned.merge_levels(levels.fit_levels(train))
    shipped_model, shipped_levels = learned.model, learned.level_models
    learned.model, learned.level_models = (lambda: readings), (lambda: level_models)
    try:
        result = {}
        for setting in itertools.product(*GRID.values()):
            for name, threshold in zip(GRID, setting, strict=True):
                readings["readings"][name]["threshold"] = threshold
            result[",".join(map(str, setting))] = count(by_split[held], _answer(by_split[held]))
        return result
    finally:
        learned.model, learned.level_models = shipped_model, shipped_levels


def summed(table: dict[str, dict[str, Counts]]) -> dict[str, Counts]:
    """Per setting, the counts summed over the held-out sets."""
    out: dict[str, Counts] = {}
    for per_setting in table.values():
        for setting, counts in per_setting.items():
            total = out.setdefault(setting, dict.fromkeys(counts, 0))
            for key, value in counts.items():
                total[key] += value
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--l2", type=float, nargs="+", default=[dims.L2])
    parser.add_argument("--min-df", type=int, default=dims.MIN_DF)
    parser.add_argument("--out", type=Path, help="write every count as JSON")
    args = parser.parse_args()
    dims.MIN_DF = args.min_df
    by_split = levels._split_rows(dims.examples())
    shipped = ",".join(str(dims.THRESHOLDS[name]) for name in GRID)
    report: dict[str, Any] = {}
    for l2 in args.l2:
        dims.L2 = l2
        table = {held: held_out(by_split, held) for held in HELD_OUT}
        report[str(l2)] = table
        for setting, total in sorted(summed(table).items(), key=lambda kv: -kv[1]["text"] - kv[1]["text+facts"]):
            per_set = " ".join(f"{held[5:]}:{table[held][setting]['text'] - table[held][shipped]['text']:+d}"
                               for held in HELD_OUT)
            print(f"l2 {l2} min_df {args.min_df} request,single,security {setting}: text {total['text']}, "
                  f"text+facts {total['text+facts']} of {total['n']}, P0 low {total['p0_low']}  "
                  f"(text vs shipped per set {per_set})")
    if args.out:
        args.out.write_text(json.dumps(report, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
