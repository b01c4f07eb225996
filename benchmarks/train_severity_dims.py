"""Train the two learned readings of classify_severity and write references/severity/learned.json.

Data: the tuning sets only (``severity.tuning_items()``: the corpus and every later set read after it was
scored); the sets kept blind for the next scoring are never loaded here.
Each reading is a logistic model (plain SGD with an L2 penalty, fixed seed, so a rerun writes the same
file) over the tokens of ``escalation_kit.severity.learned.tokens``; its target is a set of class tags. The script
also runs a 5-fold cross-validation of the whole engine with and without the readings (text only) and
stores the figures in the file, so the shipped effect is measured on texts each fold did not train on.
Usage: python benchmarks/train_severity_dims.py [--check]   (--check: fail if the shipped file differs)
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import random
import sys
import threading
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import severity as bench  # noqa: E402  (benchmarks/severity.py: the data loaders)
from escalation_kit.paths import references_dir  # noqa: E402
from escalation_kit.severity import learned  # noqa: E402
from escalation_kit.severity.classify import _wording_language  # noqa: E402
from escalation_kit.severity.match import find_signals  # noqa: E402
from escalation_kit.severity.rules import evaluate, merge_text  # noqa: E402

TARGETS = {  # reading -> the class tags that make an item a positive example
    "request": ["feature_request", "question", "docs_error", "cosmetic", "message_not_outage"],
    "security": ["security_exposure", "credential_leak"],
    "single": ["single_user"],
}
THRESHOLDS = {"request": 0.5, "security": 0.1, "single": 0.25}  # request: leave-one-set-out (stop 19); others 5-fold CV
CORE_THRESHOLD = 0.5  # request when the text names a core function (5-fold CV, stop 12); equals request since stop 19
L2, EPOCHS, RATE, SEED, MIN_DF, MIN_WEIGHT = 1.0, 30, 0.5, 1, 3, 0.005
OUT = references_dir() / "severity" / "learned.json"


def examples() -> list[dict[str, Any]]:
    """Tuning items with their tokens and text features (before any reading)."""
    out = []
    for item in bench.tuning_items():
        hits = find_signals(item["text"], _wording_language(item["text"], None))
        feats, _ = merge_text(hits)
        out.append({"item": item, "tokens": learned.tokens(item["text"], hits), "feats": feats, "hits": hits})
    return out


def sgd(data: list[tuple[list[str], float]]) -> tuple[float, dict[str, float]]:
    """Logistic regression by plain SGD with an L2 penalty and a fixed seed: (bias, weights) over tokens."""
    weights: dict[str, float] = defaultdict(float)
    bias, rnd = 0.0, random.Random(SEED)
    data = list(data)
    for _ in range(EPOCHS):
        rnd.shuffle(data)
        for toks, y in data:
            norm = 1.0 / math.sqrt(len(toks) or 1)
            z = bias + sum(weights[t] for t in toks) * norm
            grad = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))) - y
            for t in toks:
                weights[t] -= RATE * (grad * norm + L2 * weights[t] / len(data))
            bias -= RATE * grad
    return round(bias, 4), {t: round(w, 4) for t, w in sorted(weights.items()) if abs(w) >= MIN_WEIGHT}


def frequent(rows: list[dict[str, Any]]) -> Counter:
    """In how many rows each token appears (tokens below MIN_DF get no weight)."""
    return Counter(t for r in rows for t in r["tokens"])


def fit(rows: list[dict[str, Any]], reading: str) -> dict[str, Any]:
    """One logistic model; weights of tokens seen in fewer than MIN_DF items are dropped."""
    df = frequent(rows)
    data = [(sorted(t for t in r["tokens"] if df[t] >= MIN_DF),
             1.0 if set(TARGETS[reading]) & set(r["item"]["classes"]) else 0.0) for r in rows]
    bias, kept = sgd(data)
    spec = {"bias": bias, "threshold": THRESHOLDS[reading], "targets": TARGETS[reading], "weights": kept}
    if reading == "request":
        spec["core_threshold"] = CORE_THRESHOLD
    return spec


def _fold_counts(rows: list[dict[str, Any]], fold: int, folds: int) -> tuple[int, int, int, int]:
    """One fold: answers within-acceptable without and with the readings, and labelled P0s rated P2/P3 each way."""
    order = list(range(len(rows)))
    random.Random(7).shuffle(order)
    test = set(order[fold::folds])
    train = [r for k, r in enumerate(rows) if k not in test]
    models = learned.columns({"readings": {name: fit(train, name) for name in TARGETS}})
    plain = with_readings = p0_plain = p0_with = 0
    for k in sorted(test):
        row, item = rows[k], rows[k]["item"]
        ok = {item["label"], *item["acceptable"]}
        before = evaluate(row["feats"]).level
        feats = dict(row["feats"])
        learned.read(item["text"], row["hits"], feats, models)
        after = evaluate(feats).level
        plain += before in ok
        with_readings += after in ok
        p0_plain += item["label"] == "P0" and before in ("P2", "P3")
        p0_with += item["label"] == "P0" and after in ("P2", "P3")
    return plain, with_readings, p0_plain, p0_with


def _cv_table(n: int, counts: list[tuple[int, int, int, int]], folds: int) -> dict[str, Any]:
    """The cross-validation figures the file stores, from each fold's counts (``_fold_counts``)."""
    plain, with_readings, p0_plain, p0_with = (sum(c[i] for c in counts) for i in range(4))
    return {"folds": folds, "items": n, "rules_only": round(plain / n, 4), "with_readings": round(with_readings / n, 4),
            "p0_rated_low_rules_only": p0_plain, "p0_rated_low_with_readings": p0_with}


ROWS: list[dict[str, Any]] = []  # a build's rows, set before a pool forks: the workers share them, unpickled
FOLDS = 5


def run_jobs(job: Callable[[str], Any], names: list[str]) -> list[Any]:
    """``job`` over ``names``, on one forked worker per core when there are two or more and this process runs no
    other thread (a fork copies no thread, so a lock another thread held would stay held in the child). Every fit is
    seeded and independent, so the result is a serial run's, sooner: about half the time on two cores."""
    workers = min(len(names), os.cpu_count() or 1)
    if workers < 2 or threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [job(name) for name in names]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return pool.map(job, names, chunksize=1)


def _job(name: str) -> Any:
    """One piece of build(): ``fold:K`` (a cross-validation fold) or ``fit:READING`` (a shipped model)."""
    kind, arg = name.split(":")
    return _fold_counts(ROWS, int(arg), FOLDS) if kind == "fold" else fit(ROWS, arg)


def build() -> dict[str, Any]:
    ROWS[:] = examples()
    names = [f"fit:{name}" for name in TARGETS] + [f"fold:{k}" for k in range(FOLDS)]  # the largest fits first
    done = dict(zip(names, run_jobs(_job, names), strict=True))
    return {
        "about": "Learned readings of classify_severity (severity/learned.py): logistic models over words, word "
                 "pairs and CJK character pairs. Trained by benchmarks/train_severity_dims.py on the tuning "
                 "sets (severity.tuning_items(): every set read after it was scored); the sets kept blind are never "
                 "loaded. Thresholds: request by leave-one-set-out (benchmarks/select_severity_readings.py), "
                 "single and security by 5-fold CV.",
        "trained": date.today().isoformat(),
        "hyperparameters": {"l2": L2, "epochs": EPOCHS, "rate": RATE, "seed": SEED, "min_df": MIN_DF,
                            "min_weight": MIN_WEIGHT},
        "cross_validation": _cv_table(len(ROWS), [done[f"fold:{k}"] for k in range(FOLDS)], FOLDS),
        "readings": {name: done[f"fit:{name}"] for name in TARGETS},
    }


def check_or_write(table: dict[str, Any], out: Path, keys: tuple[str, ...], description: str) -> int | None:
    """Parse ``--check``; with it, 0/1 as ``out`` matches ``table`` on ``keys``; without, write ``out`` (compact:
    the file is read on a first call, and indentation doubles its parse time) and return None."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--check", action="store_true", help="fail if the shipped file differs from a fresh fit")
    if parser.parse_args().check:
        shipped = json.loads(out.read_text(encoding="utf-8"))
        same = all(shipped[k] == table[k] for k in keys)
        print(f"{out.name} matches a fresh fit" if same else f"{out.name} differs from a fresh fit")
        return 0 if same else 1
    out.write_text(json.dumps(table, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n",
                   encoding="utf-8")
    return None


def main() -> int:
    table = build()
    checked = check_or_write(table, OUT, ("readings", "cross_validation", "hyperparameters"),
                             __doc__.splitlines()[0])
    if checked is not None:
        return checked
    cv = table["cross_validation"]
    sizes = ", ".join(f"{k} {len(v['weights'])} weights" for k, v in table["readings"].items())
    print(f"wrote {OUT.name}: {sizes}; "
          f"5-fold CV on {cv['items']} texts: rules {cv['rules_only']:.1%} -> with readings {cv['with_readings']:.1%}, "
          f"P0 rated P2/P3 {cv['p0_rated_low_rules_only']} -> {cv['p0_rated_low_with_readings']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
