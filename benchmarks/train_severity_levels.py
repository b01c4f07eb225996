"""Train the level reading of classify_severity and write references/severity/levels.json.

Four logistic models, one per level, each answering "would a labeller accept this level for this report?",
over the same tokens as the other learned readings (``train_severity_dims.py``, whose SGD this reuses).
Data: the tuning sets only (``severity.tuning_items()``); the sets kept blind are never loaded here.

The reading may lower a level that rests on what the text leaves unstated (rules.yaml ``learned_level``).
Cross-validation on the tuning sets cannot measure that: the lexicon was tuned on them, so the texts it
leaves unread there are not the ones it leaves unread in new reports. So the file also stores an
out-of-sample measurement: for each of blind-8 to blind-21, the answers of an engine that had never read
that set (``data/severity_decided_blind*.json``, recorded from those engines' commits), the level models
trained only on the sets collected before it, and how many answers the reading turned right or wrong.
Usage: python benchmarks/train_severity_levels.py [--check]   (--check: fail if the shipped file differs)
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_severity_dims as dims  # noqa: E402
from escalation_kit.paths import references_dir  # noqa: E402
from escalation_kit.severity import learned  # noqa: E402
from escalation_kit.severity.classify import ImpactFacts, text_reading_room  # noqa: E402
from escalation_kit.severity.data import rules  # noqa: E402
from escalation_kit.severity.rules import Decision, facts_features, settle  # noqa: E402

OUT = references_dir() / "severity" / "levels.json"
DECIDED = Path(__file__).resolve().parent / "data"
# set -> (engine that answered it while it was blind, the sets that engine and the models may learn from)
OUT_OF_SAMPLE = {
    "blind8": ("stop 13, 76c649c", ("corpus", "blind2", "blind3", "blind4", "blind5", "blind6", "blind7")),
    "blind9": ("stop 14 round 1, 5b8a22a", ("corpus", "blind2", "blind3", "blind4", "blind5", "blind6", "blind7",
                                            "blind8")),
    "blind10": ("stop 14 round 2, fc5edf4", ("corpus", "blind2", "blind3", "blind4", "blind5", "blind6", "blind7",
                                             "blind8", "blind9")),
    "blind11": ("stop 14, dbac141", ("corpus", "blind2", "blind3", "blind4", "blind5", "blind6", "blind7", "blind8",
                                     "blind9", "blind10")),
    "blind12": ("stop 14, dbac141", ("corpus", "blind2", "blind3", "blind4", "blind5", "blind6", "blind7", "blind8",
                                     "blind9", "blind10", "blind11")),
    "blind13": ("stop 15, 66e90f5", ("corpus", "blind2", "blind3", "blind4", "blind5", "blind6", "blind7", "blind8",
                                     "blind9", "blind10", "blind11", "blind12")),
    "blind14": ("stop 16, c584db1", ("corpus", "blind2", "blind3", "blind4", "blind5", "blind6", "blind7", "blind8",
                                     "blind9", "blind10", "blind11", "blind12", "blind13")),
    "blind15": ("stop 17, 76a26ca", ("corpus", "blind2", "blind3", "blind4", "blind5", "blind6", "blind7", "blind8",
                                     "blind9", "blind10", "blind11", "blind12", "blind13", "blind14")),
    "blind16": ("stop 18, ff44b3e", ("corpus", "blind2", "blind3", "blind4", "blind5", "blind6", "blind7", "blind8",
                                     "blind9", "blind10", "blind11", "blind12", "blind13", "blind14", "blind15")),
    "blind17": ("stop 19, a21bb21", ("corpus", "blind2", "blind3", "blind4", "blind5", "blind6", "blind7", "blind8",
                                     "blind9", "blind10", "blind11", "blind12", "blind13", "blind14", "blind15",
                                     "blind16")),
    "blind18": ("stop 20, bb16bfe", ("corpus", "blind2", "blind3", "blind4", "blind5", "blind6", "blind7", "blind8",
                                     "blind9", "blind10", "blind11", "blind12", "blind13", "blind14", "blind15",
                                     "blind16", "blind17")),
    "blind19": ("stop 21, 46ce2c0", ("corpus", "blind2", "blind3", "blind4", "blind5", "blind6", "blind7", "blind8",
                                     "blind9", "blind10", "blind11", "blind12", "blind13", "blind14", "blind15",
                                     "blind16", "blind17", "blind18")),
    "blind20": ("stop 22, e7b0d05", ("corpus", "blind2", "blind3", "blind4", "blind5", "blind6", "blind7", "blind8",
                                     "blind9", "blind10", "blind11", "blind12", "blind13", "blind14", "blind15",
                                     "blind16", "blind17", "blind18", "blind19")),
    "blind21": ("stop 22, e7b0d05", ("corpus", "blind2", "blind3", "blind4", "blind5", "blind6", "blind7", "blind8",
                                     "blind9", "blind10", "blind11", "blind12", "blind13", "blind14", "blind15",
                                     "blind16", "blind17", "blind18", "blind19", "blind20")),
}


def fit_levels(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """One model per level: the target is 1 when the level is the label or among the acceptable ones."""
    toks = [learned.level_tokens(r["item"]["text"], r["hits"]) for r in rows]
    df = Counter(t for ts in toks for t in ts)
    kept = [sorted(t for t in ts if df[t] >= dims.MIN_DF) for ts in toks]
    out = {}
    for level in learned.LEVELS:
        data = [(toks, 1.0 if level in {r["item"]["label"], *r["item"]["acceptable"]} else 0.0)
                for toks, r in zip(kept, rows, strict=True)]
        bias, weights = dims.sgd(data)
        out[level] = {"bias": bias, "threshold": 1.0, "weights": weights}  # threshold 1: score() lists no words
    return {"levels": out}


def _split_rows(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Tuning rows by the set they came from."""
    by_split: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        split = r["item"]["split"]
        by_split.setdefault("corpus" if split in ("dev", "blind") else split, []).append(r)
    return by_split


def _tally(counts: Counter, key: str, item: dict[str, Any], before: str, after: str) -> None:
    """One changed answer under ``key``: changed, acceptable after, turned right, turned wrong."""
    ok = {item["label"], *item["acceptable"]}
    counts[key] += 1
    counts[f"{key} acceptable"] += after in ok
    counts[f"{key} right"] += after in ok and before not in ok
    counts[f"{key} wrong"] += before in ok and after not in ok


def _count_raise(counts: Counter, mode: str, item: dict[str, Any], hits: list, decided: list[list[str]],
                 models: dict[str, Any]) -> None:
    """What the raise (rules.yaml learned_raise) would do to one answer of an engine that had not read it; with
    facts, only where the facts did not change the text's answer (as the engine does)."""
    policy = rules()["learned_raise"]
    rule, level = decided[0 if mode == "text" else 1]
    if rule not in policy["over"] or (mode != "text" and decided[0] != decided[1]):
        return
    got = learned.raise_level(item["text"], hits, level, policy["p0_at_least"], policy["level"], models)
    if got is None:
        return
    _tally(counts, f"{mode} raised", item, level, got.level)
    counts[f"{mode} P0 lifted from P2/P3"] += item["label"] == "P0"


def _count_doubt(counts: Counter, mode: str, item: dict[str, Any], hits: list, decided: list[list[str]],
                 level: str, models: dict[str, Any]) -> None:
    """What the doubt (rules.yaml learned_doubt) would do to an answer the level reading and the raise left alone;
    with facts, only where the facts did not change the text's answer (as the engine does)."""
    policy = rules()["learned_doubt"]
    rule = decided[0 if mode == "text" else 1][0]
    if rule not in policy["over"] or (mode != "text" and decided[0] != decided[1]):
        return
    got = learned.doubt_level(item["text"], hits, level, policy["below"], policy["at_least"], policy["p0_guard"],
                              models)
    if got is None:
        return
    _tally(counts, f"{mode} doubted", item, level, got.level)
    counts[f"{mode} doubted P0 newly rated P2/P3"] += (item["label"] == "P0" and got.level in ("P2", "P3")
                                                       and level in ("P0", "P1"))
    counts[f"{mode} doubted P0 lifted from P2/P3"] += item["label"] == "P0" and level in ("P2", "P3")


def _mode_features(row: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The features the rules see for a report: from its text, and with its stated facts over them (as classify
    does)."""
    text, facts = row["feats"], row["item"].get("facts") or None
    if not facts:
        return text, text
    return text, {**text, **facts_features(ImpactFacts.model_validate(facts), text["impact"])}


def _count_reread(counts: Counter, row: dict[str, Any], features: tuple[dict[str, Any], dict[str, Any]],
                  decided: list[list[str]], models: dict[str, Any]) -> None:
    """What the text reading (rules.yaml learned_text) would do to both answers of an engine that had not read the
    report, within the engine's own room (``text_reading_room``) and settled by caps and floors, as the engine
    does."""
    policy, item = rules()["learned_text"], row["item"]
    overrides = {r["id"] for r in rules()["override"]}
    for mode, (rule, level), feats in zip(("text", "text+facts"), decided, features, strict=True):
        facts_given = mode != "text" and bool(item.get("facts"))
        room = text_reading_room(feats, "override" if rule in overrides else "base", facts_given)
        if room is None:
            continue
        guard = policy["p0_guard_with_facts" if facts_given else "p0_guard"]
        got = learned.text_level(item["text"], row["hits"], level, policy["margin"], guard, may_lower=room[0],
                                 may_raise=room[1], models=models)
        if got is None:
            continue
        after = settle(feats, Decision(got.level, policy["id"], "", 0.0, "learned")).level
        if after == level:
            continue
        _tally(counts, f"{mode} reread", item, level, after)
        counts[f"{mode} reread P0 newly rated P2/P3"] += (item["label"] == "P0" and after in ("P2", "P3")
                                                          and level in ("P0", "P1"))
        counts[f"{mode} reread P0 lifted from P2/P3"] += (item["label"] == "P0" and level in ("P2", "P3")
                                                          and after in ("P0", "P1"))


def _after_readings(item: dict[str, Any], hits: list, rule: str, level: str, models: dict[str, Any],
                    revenue: bool) -> str | None:
    """The level after the level reading or the raise, or None when neither changes the answer."""
    read, lift = rules()["learned_level"], rules()["learned_raise"]
    got = (learned.read_level(item["text"], hits, level, read["margin"], read["p0_guard"], models)
           if rule in read["over"] and not revenue else None)
    if got is None and rule in lift["over"]:
        got = learned.raise_level(item["text"], hits, level, lift["p0_at_least"], lift["level"], models)
    return got.level if got is not None else None


def _out_of_sample_one(by_split: dict[str, list[dict[str, Any]]], split: str) -> dict[str, Any]:
    """One set's row of ``out_of_sample``: level models fitted only on the sets before it, applied to the answers
    of the engine that had not read it."""
    policy = rules()["learned_level"]
    engine, before = OUT_OF_SAMPLE[split]
    models = learned.merge_levels(fit_levels([r for s in before for r in by_split[s]]))
    decided = json.loads((DECIDED / f"severity_decided_{split}.json").read_text(encoding="utf-8"))
    counts: Counter = Counter()
    for r in by_split[split]:
        features = _mode_features(r)
        revenue = (features[0]["revenue"] is True, features[1]["revenue"] is True)
        _count_item(counts, r["item"], r["hits"], decided[r["item"]["id"]], models, policy, revenue)
        _count_reread(counts, r, features, decided[r["item"]["id"]], models)
    return {"engine": engine, "texts": len(by_split[split]), **dict(sorted(counts.items()))}


def _count_item(counts: Counter, item: dict[str, Any], hits: list, decided: list[list[str]], models: dict[str, Any],
                policy: dict[str, Any], revenue: tuple[bool, bool]) -> None:
    """What the raise, the doubt and the level reading do to one item's answers (text, text + facts); ``revenue``:
    whether a revenue path is named (text) or stated (text + facts), which keeps the level reading out."""
    ok = {item["label"], *item["acceptable"]}
    for mode, (rule, level), money in zip(("text", "text+facts"), decided, revenue, strict=True):
        _count_raise(counts, mode, item, hits, decided, models)
        if _after_readings(item, hits, rule, level, models, money) is None:
            _count_doubt(counts, mode, item, hits, decided, level, models)
        if rule not in policy["over"] or money:
            continue
        counts[f"{mode} read"] += 1
        got = learned.read_level(item["text"], hits, level, policy["margin"], policy["p0_guard"], models)
        if got is None:
            continue
        counts[f"{mode} changed"] += 1
        counts[f"{mode} right"] += got.level in ok
        counts[f"{mode} turned right"] += got.level in ok and level not in ok
        counts[f"{mode} turned wrong"] += level in ok and got.level not in ok
        counts[f"{mode} P0 newly rated P2/P3"] += (item["label"] == "P0" and got.level in ("P2", "P3")
                                                   and level in ("P0", "P1"))


def _job(name: str) -> Any:
    """One independent piece of build(): the full fit (``levels``) or one set's out-of-sample row."""
    return fit_levels(dims.ROWS) if name == "levels" else _out_of_sample_one(_split_rows(dims.ROWS), name)


def build(only: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The whole table; with ``only``, the full fit and just those sets' out-of-sample rows (a cheaper check)."""
    dims.ROWS[:] = dims.examples()
    by_split = _split_rows(dims.ROWS)
    wanted = [s for s in OUT_OF_SAMPLE if only is None or s in only]
    splits = sorted(wanted, key=lambda s: -sum(len(by_split[b]) for b in OUT_OF_SAMPLE[s][1]))
    fitted, *rows = dims.run_jobs(_job, ["levels", *splits])  # the largest fits first: the workers end together
    return {
        "about": "Level reading of classify_severity (severity/learned.py read_level): per level, a logistic model "
                 "of 'a labeller would accept this level', over words, word pairs and CJK character pairs. Trained "
                 "by benchmarks/train_severity_levels.py on the tuning sets; the sets kept blind are never loaded. "
                 f"out_of_sample: on each of {', '.join(OUT_OF_SAMPLE)}, an engine that had never read the set, the "
                 "models trained only on earlier sets, and what the reading changed (policy: rules.yaml "
                 "learned_level) and what the raise changed (learned_raise: 'raised', right, wrong, labelled P0s "
                 "lifted) and what the doubt changed where neither did (learned_doubt: 'doubted'), and what the "
                 "text reading changed (learned_text: 'reread').",
        "trained": date.today().isoformat(),
        "hyperparameters": {"l2": dims.L2, "epochs": dims.EPOCHS, "rate": dims.RATE, "seed": dims.SEED,
                            "min_df": dims.MIN_DF, "min_weight": dims.MIN_WEIGHT},
        "out_of_sample": {split: rows[splits.index(split)] for split in wanted},
        **fitted,
    }


def main() -> int:
    table = build()
    checked = dims.check_or_write(table, OUT, ("levels", "out_of_sample", "hyperparameters"), __doc__.splitlines()[0])
    if checked is not None:
        return checked
    for split, row in table["out_of_sample"].items():
        print(f"{split} ({row['engine']}, {row['texts']} texts): " + ", ".join(
            f"{mode}: read {row.get(mode + ' read', 0)}, changed {row.get(mode + ' changed', 0)}, "
            f"+{row.get(mode + ' turned right', 0)} -{row.get(mode + ' turned wrong', 0)}, "
            f"P0 newly rated low {row.get(mode + ' P0 newly rated P2/P3', 0)}, raised {row.get(mode + ' raised', 0)} "
            f"+{row.get(mode + ' raised right', 0)} -{row.get(mode + ' raised wrong', 0)} "
            f"(P0 lifted {row.get(mode + ' P0 lifted from P2/P3', 0)}), doubted {row.get(mode + ' doubted', 0)} "
            f"+{row.get(mode + ' doubted right', 0)} -{row.get(mode + ' doubted wrong', 0)}"
            for mode in ("text", "text+facts")))
    sizes = ", ".join(f"{k} {len(v['weights'])}" for k, v in table["levels"].items())
    print(f"wrote {OUT.name}: weights {sizes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
