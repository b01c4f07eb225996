"""Accuracy, confidence and speed of classify_severity: dev and blind sets side by side.

Data:
- ``data/severity_corpus.jsonl``: 650 real public incident texts (en/ru/zh) with labels, acceptable
  levels, the impact facts a careful reader extracts, and a frozen ``split`` (dev or blind, chosen by a
  hash of source and id before any tuning; ``data/severity_blind.sha256`` pins those blind items).
  That first blind split was scored blind once per engine change in stop 10 and its misses were then
  read, so from stop 11 on all 650 items are tuning data; the report still shows them apart ("blind-1").
- ``data/severity_blind2.jsonl``: a second blind set (stop 11), collected and labelled by helper sessions
  that never saw the engine or its output, frozen by ``data/severity_blind2.sha256`` before the tuning
  that followed; scored twice, then read, and tuning data since.
- ``data/severity_blind3.jsonl``: the third blind set (stop 11, same method), frozen by
  ``data/severity_blind3.sha256`` while the engine was tuned on the others; scored twice, then read,
  and tuning data since.
- ``data/severity_blind4.jsonl``: the fourth blind set (stop 11, same method), frozen by
  ``data/severity_blind4.sha256`` while the engine was tuned on the others; scored once at the end of
  stop 11, read at the start of stop 12, and tuning data since.
- ``data/severity_blind5.jsonl``: the fifth blind set (stop 12, same method: seven helper sessions that
  never saw the engine, its code or its output), frozen by ``data/severity_blind5.sha256`` while the
  engine was tuned on the others; scored once in the middle of stop 12, then read, and tuning data since.
- ``data/severity_blind6.jsonl``: the sixth blind set (stop 12, same method), frozen by
  ``data/severity_blind6.sha256`` before blind-5 was scored and kept unscored while the engine was tuned on
  blind-5. Scored once at the end of stop 12, read at the start of stop 13, and tuning data since.
- ``data/severity_blind7.jsonl``: a seventh set (301 texts: en 155, zh 127, ru 19; the search budget ran out
  while it was collected), frozen by ``data/severity_blind7.sha256`` at the end of stop 12; scored once
  after stop 13's first round of tuning (on blind-6), then read, and tuning data since.
- ``data/severity_blind8.jsonl``: the eighth set (stop 13, same method, mostly Russian), frozen by
  ``data/severity_blind8.sha256`` before blind-7 was scored; scored once at the end of stop 13, read at the
  start of stop 14, and tuning data since.
- ``data/severity_blind9.jsonl``: the ninth set (409 texts: ru 145, en 140, zh 124), collected at the end of
  stop 13 the same way and frozen by ``data/severity_blind9.sha256``; kept unscored while stop 14 tuned on
  blind-8, scored once after that round, then read, and tuning data since.
- ``data/severity_blind10.jsonl``: the tenth set (624 texts: ru 256, en 194, zh 174), collected by four
  helper sessions at the start of stop 14 and frozen by ``data/severity_blind10.sha256`` before any tuning
  on blind-9; scored once at the end of stop 14's round 2, then read, and tuning data since.
- ``data/severity_blind11.jsonl``: an eleventh set (414 texts: en 165, ru 126, zh 123), collected by three
  helper sessions in stop 14 and frozen by ``data/severity_blind11.sha256``; kept unscored while stop 14's
  round 3 tuned on blind-10 (its labellers worked under the rubric as it stood before stop 14's data-loss
  change, which was committed as they finished); scored once at the end of stop 14, read at the start of
  stop 15, and tuning data since.
- ``data/severity_blind12.jsonl``: a twelfth set (368 texts: en 165, zh 123, ru 80; no Russian P0: the search
  budget ran out), collected by three helper sessions at the end of stop 14 and frozen by
  ``data/severity_blind12.sha256``; scored once at the end of stop 15, read at the start of stop 16, and
  tuning data since.
- ``data/severity_blind13.jsonl``: a thirteenth set (485 texts: ru 192, en 179, zh 114), collected by four
  helper sessions at the start of stop 15 and frozen by ``data/severity_blind13.sha256`` before any tuning
  that stop; scored once at the end of stop 16, read at the start of stop 17, and tuning data since.
- ``data/severity_blind14.jsonl``: a fourteenth set (602 texts: zh 243, en 180, ru 179; 77 P0), collected by
  five helper sessions at the start of stop 16 and frozen by ``data/severity_blind14.sha256`` before any
  tuning that stop; scored once at the end of stop 17, read at the start of stop 18, and tuning data since.
- ``data/severity_blind15.jsonl``: a fifteenth set (508 texts: zh 220, en 174, ru 114; 67 P0), collected by
  five helper sessions at the start of stop 17 and frozen by ``data/severity_blind15.sha256`` before any
  tuning that stop; scored once at the end of stop 18, read at the start of stop 19, and tuning data since.
- ``data/severity_blind16.jsonl``: a sixteenth set (607 texts: zh 259, en 185, ru 163; 88 P0), collected by
  five helper sessions at the start of stop 18 and frozen by ``data/severity_blind16.sha256`` before any
  tuning that stop; scored once at the end of stop 19, read at the start of stop 20, and tuning data since.
- ``data/severity_blind17.jsonl``: a seventeenth set (837 texts: ru 293, zh 290, en 254; 94 P0), collected by
  seven helper sessions at the start of stop 19 and frozen by ``data/severity_blind17.sha256`` before any
  tuning that stop; scored once at the end of stop 20, read at the start of stop 21, and tuning data since.
- ``data/severity_blind18.jsonl``: an eighteenth set (1,015 texts: en 461, ru 309, zh 245; 148 P0), collected by
  seven helper sessions at the start of stop 20 and frozen by ``data/severity_blind18.sha256`` before that
  stop's tuning; scored once at the end of stop 21, read at the start of stop 22, and tuning data since.
- ``data/severity_blind19.jsonl``: a nineteenth set (979 texts: en 457, zh 274, ru 248; 214 P0, 52 Russian),
  collected by seven helper sessions at the start of stop 21 and frozen by ``data/severity_blind19.sha256`` before
  that stop's tuning; scored once at the end of stop 22, read at the start of stop 23, and tuning data since.
- ``data/severity_blind20.jsonl``: a twentieth set (899 texts: en 438, zh 281, ru 180; 169 P0, 26 Russian),
  collected by seven helper sessions at the start of stop 22 and frozen by ``data/severity_blind20.sha256`` before
  that stop's retraining; scored once at the end of stop 23, read at the start of stop 24, and tuning data since.
- ``data/severity_blind21.jsonl``: a twenty-first set (664 texts: en 286, zh 260, ru 118; 160 P0, 14 Russian),
  collected by seven more helper sessions at the end of stop 22, after that stop's tuning, and frozen by
  ``data/severity_blind21.sha256``; kept unscored through stop 23 and stop 24's tuning, scored once at the end of
  stop 24, read at the start of stop 25, and tuning data since.
- ``data/severity_blind22.jsonl``: a twenty-second set (771 texts: en 360, zh 256, ru 155; 161 P0, 18 Russian),
  collected by seven helper sessions at the start of stop 24 and frozen by ``data/severity_blind22.sha256`` before
  that stop's tuning; kept unscored through stop 25's tuning. It is scored, never read; the targets are checked on it.
- ``data/severity_blind23.jsonl``: a twenty-third set (830 texts: en 352, zh 312, ru 166; 134 P0, 17 Russian),
  collected by seven helper sessions at the start of stop 25 (which tuned on earlier sets only) and frozen by
  ``data/severity_blind23.sha256``; not scored, reserved for the next stop. This script does not load it.
- ``data/severity_dev.yaml``: the first version's tuning set (kept as a further dev set).
- ``data/severity_baseline.json``: the previous engine's answers on the corpus, for the side-by-side.

Prints, per set and mode (text only; text + facts): within-acceptable and exact accuracy, per-language
figures, P0 rated P2/P3, accuracy per confidence band, and the previous engine's figures where it has
answers; then the time per call against a baseline measured in the same run. Usage:
    python benchmarks/severity.py [--misses dev] [--repeat N] [--save-baseline]
Targets (the current blind set, blind-22): text >= 90 % overall and >= 85 % per language; text + facts
>= 95 %; zero P0 rated P2/P3; the high-confidence band (>= 0.8) >= 95 %; median < 200 us per call.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import statistics
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from escalation_kit.severity import classify_severity
from escalation_kit.vocab import SEVERITIES

HERE = Path(__file__).resolve().parent / "data"
DATA = HERE / "severity_dev.yaml"
CORPUS = HERE / "severity_corpus.jsonl"
BLIND_HASH = HERE / "severity_blind.sha256"
BLIND2 = HERE / "severity_blind2.jsonl"
BLIND2_HASH = HERE / "severity_blind2.sha256"
BLIND3 = HERE / "severity_blind3.jsonl"
BLIND3_HASH = HERE / "severity_blind3.sha256"
BLIND4 = HERE / "severity_blind4.jsonl"
BLIND4_HASH = HERE / "severity_blind4.sha256"
BLIND5 = HERE / "severity_blind5.jsonl"
BLIND5_HASH = HERE / "severity_blind5.sha256"
BLIND6 = HERE / "severity_blind6.jsonl"
BLIND6_HASH = HERE / "severity_blind6.sha256"
BLIND7 = HERE / "severity_blind7.jsonl"
BLIND7_HASH = HERE / "severity_blind7.sha256"
BLIND8 = HERE / "severity_blind8.jsonl"
BLIND8_HASH = HERE / "severity_blind8.sha256"
BLIND9 = HERE / "severity_blind9.jsonl"
BLIND9_HASH = HERE / "severity_blind9.sha256"
BLIND10 = HERE / "severity_blind10.jsonl"
BLIND10_HASH = HERE / "severity_blind10.sha256"
BLIND11 = HERE / "severity_blind11.jsonl"
BLIND11_HASH = HERE / "severity_blind11.sha256"
BLIND12 = HERE / "severity_blind12.jsonl"
BLIND12_HASH = HERE / "severity_blind12.sha256"
BLIND13 = HERE / "severity_blind13.jsonl"
BLIND13_HASH = HERE / "severity_blind13.sha256"
BLIND14 = HERE / "severity_blind14.jsonl"
BLIND14_HASH = HERE / "severity_blind14.sha256"
BLIND15 = HERE / "severity_blind15.jsonl"
BLIND15_HASH = HERE / "severity_blind15.sha256"
BLIND16 = HERE / "severity_blind16.jsonl"
BLIND16_HASH = HERE / "severity_blind16.sha256"
BLIND17 = HERE / "severity_blind17.jsonl"
BLIND17_HASH = HERE / "severity_blind17.sha256"
BLIND18 = HERE / "severity_blind18.jsonl"
BLIND18_HASH = HERE / "severity_blind18.sha256"
BLIND19 = HERE / "severity_blind19.jsonl"
BLIND19_HASH = HERE / "severity_blind19.sha256"
BLIND20 = HERE / "severity_blind20.jsonl"
BLIND20_HASH = HERE / "severity_blind20.sha256"
BLIND21 = HERE / "severity_blind21.jsonl"
BLIND21_HASH = HERE / "severity_blind21.sha256"
BLIND22 = HERE / "severity_blind22.jsonl"
BLIND22_HASH = HERE / "severity_blind22.sha256"
BLIND23 = HERE / "severity_blind23.jsonl"  # reserved: frozen at the start of stop 25, not scored; for the next stop
BLIND23_HASH = HERE / "severity_blind23.sha256"
CURRENT = "blind22"  # the set the targets are checked on: scored, never read while tuning
# every set after the corpus, with its pinned hash
LATER = (("blind2", BLIND2, BLIND2_HASH), ("blind3", BLIND3, BLIND3_HASH), ("blind4", BLIND4, BLIND4_HASH),
         ("blind5", BLIND5, BLIND5_HASH), ("blind6", BLIND6, BLIND6_HASH), ("blind7", BLIND7, BLIND7_HASH),
         ("blind8", BLIND8, BLIND8_HASH), ("blind9", BLIND9, BLIND9_HASH),
         ("blind10", BLIND10, BLIND10_HASH), ("blind11", BLIND11, BLIND11_HASH), ("blind12", BLIND12, BLIND12_HASH),
         ("blind13", BLIND13, BLIND13_HASH), ("blind14", BLIND14, BLIND14_HASH), ("blind15", BLIND15, BLIND15_HASH),
         ("blind16", BLIND16, BLIND16_HASH), ("blind17", BLIND17, BLIND17_HASH),
         ("blind18", BLIND18, BLIND18_HASH), ("blind19", BLIND19, BLIND19_HASH),
         ("blind20", BLIND20, BLIND20_HASH), ("blind21", BLIND21, BLIND21_HASH),
         ("blind22", BLIND22, BLIND22_HASH))
BASELINE = HERE / "severity_baseline.json"
TARGET_WITHIN = 0.90
TARGET_LANG = 0.85
TARGET_FACTS = 0.95
TARGET_HIGH_BAND = 0.95
TARGET_MEDIAN_US = 200.0
BANDS = ((0.8, 1.01, "high >= 0.8"), (0.6, 0.8, "mid 0.6-0.8"), (0.0, 0.6, "low < 0.6"))
BLIND_BUCKETS, BLIND_SHARE = 20, 7  # 7 of 20 hash buckets (35 %) are blind


def load_items(path: Path = DATA) -> list[dict[str, Any]]:
    """The first version's dev set: id, lang, kind, label, acceptable, source and text."""
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)["items"]


def load_corpus(path: Path = CORPUS) -> list[dict[str, Any]]:
    """The corpus items in file order."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def tuning_items() -> list[dict[str, Any]]:
    """Every item the engine may be tuned on: the corpus (dev and blind-1) and blind-2 to blind-21, all read by now."""
    return (load_corpus() + load_corpus(BLIND2) + load_corpus(BLIND3) + load_corpus(BLIND4) + load_corpus(BLIND5)
            + load_corpus(BLIND6) + load_corpus(BLIND7) + load_corpus(BLIND8) + load_corpus(BLIND9)
            + load_corpus(BLIND10) + load_corpus(BLIND11) + load_corpus(BLIND12) + load_corpus(BLIND13)
            + load_corpus(BLIND14) + load_corpus(BLIND15) + load_corpus(BLIND16) + load_corpus(BLIND17)
            + load_corpus(BLIND18) + load_corpus(BLIND19) + load_corpus(BLIND20) + load_corpus(BLIND21))


def is_blind(item: dict[str, Any]) -> bool:
    """The frozen split rule: a hash of source and id, fixed before the engine was tuned."""
    digest = hashlib.sha256(f"{item['source']}|{item['id']}".encode()).hexdigest()
    return int(digest[:8], 16) % BLIND_BUCKETS < BLIND_SHARE


def blind_digest(items: Iterable[dict[str, Any]], split: str = "blind") -> str:
    """sha256 over the split's items' canonical JSON, sorted by id: any edit to one of them changes it."""
    blind = sorted((i for i in items if i["split"] == split), key=lambda i: i["id"])
    canonical = "\n".join(json.dumps(i, ensure_ascii=False, sort_keys=True) for i in blind)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def predict(item: dict[str, Any], with_facts: bool) -> tuple[str, float]:
    result = classify_severity(item["text"], item.get("facts") or None if with_facts else None)
    return result.severity, result.confidence


def score(items: list[dict[str, Any]], with_facts: bool = False,
          answers: dict[str, tuple[str, float]] | None = None) -> dict[str, Any]:
    """Every figure the report prints, from the engine's answers (or the given ones)."""
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    confusion = {a: dict.fromkeys(SEVERITIES, 0) for a in SEVERITIES}
    exact = within = under = top_total = p0_low = 0
    misses, by_lang, by_class, bands = [], {}, {}, {name: [0, 0] for _, _, name in BANDS}
    for item in items:
        got, conf = answers[item["id"]] if answers is not None else predict(item, with_facts)
        want = item["label"]
        ok = got == want or got in item.get("acceptable", [])
        confusion[want][got] += 1
        exact += got == want
        within += ok
        lang = by_lang.setdefault(item["lang"], [0, 0])
        lang[0] += ok
        lang[1] += 1
        for tag in item.get("classes", ()):
            cls = by_class.setdefault(tag, [0, 0])
            cls[0] += ok
            cls[1] += 1
        band = next(name for lo, hi, name in BANDS if lo <= conf < hi)
        bands[band][0] += ok
        bands[band][1] += 1
        if want in ("P0", "P1"):
            top_total += 1
            under += rank[got] - rank[want] >= 2
        p0_low += want == "P0" and got in ("P2", "P3")
        if not ok:
            misses.append((item["id"], want, item.get("acceptable", []), got, conf, item["text"]))
    n = len(items)
    return {
        "n": n, "exact": exact / n, "within": within / n, "confusion": confusion,
        "under_triage": under / top_total if top_total else 0.0, "p0_rated_low": p0_low,
        "misses": misses, "by_lang": by_lang, "by_class": by_class, "bands": bands,
    }


def class_table(scores: dict[str, dict[str, Any]]) -> list[str]:
    """The current blind set's within-acceptable accuracy per class tag, weakest first (text; text + facts)."""
    text, facts = scores[f"{CURRENT}/text"]["by_class"], scores[f"{CURRENT}/text+facts"]["by_class"]
    rows = sorted(text, key=lambda c: (text[c][0] / text[c][1], c))
    lines = [f"{CURRENT} per class (within-acceptable, text | text + facts), weakest first:"]
    for tag in rows:
        (ok, n), (fok, fn) = text[tag], facts[tag]
        lines.append(f"  {tag:<22} n={n:<4} text {ok / n:6.1%} ({n - ok} missed) | text + facts {fok / fn:6.1%}")
    return lines


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


def _pct(ok: int, total: int) -> str:
    return f"{ok}/{total} ({ok / total:.1%})" if total else "-"


def report_line(label: str, r: dict[str, Any], old: dict[str, Any] | None) -> list[str]:
    langs = "  ".join(f"{lang} {ok / total:.1%}" for lang, (ok, total) in sorted(r["by_lang"].items()))
    prev = f"  | first version {old['within']:.1%}, P0->P2/3 {old['p0_rated_low']}" if old else ""
    lines = [f"{label:<22} within {r['within']:.1%}  exact {r['exact']:.1%}  [{langs}]  "
             f"P0->P2/3 {r['p0_rated_low']}{prev}"]
    bands = "  ".join(f"{name}: {_pct(ok, total)}" for name, (ok, total) in r["bands"].items())
    lines.append(f"{'':<22} confidence bands  {bands}")
    if old:
        old_bands = "  ".join(f"{name}: {_pct(ok, total)}" for name, (ok, total) in old["bands"].items())
        lines.append(f"{'':<22} first version     {old_bands}")
    return lines


SETS = (("dev", "dev"), ("blind", "blind-1 (read)"), ("blind2", "blind-2 (read)"), ("blind3", "blind-3 (read)"),
        ("blind4", "blind-4 (read)"), ("blind5", "blind-5 (read)"), ("blind6", "blind-6 (read)"),
        ("blind7", "blind-7 (read)"), ("blind8", "blind-8 (read)"), ("blind9", "blind-9 (read)"),
        ("blind10", "blind-10 (read)"), ("blind11", "blind-11 (read)"),
        ("blind12", "blind-12 (read)"), ("blind13", "blind-13 (read)"), ("blind14", "blind-14 (read)"),
        ("blind15", "blind-15 (read)"), ("blind16", "blind-16 (read)"), ("blind17", "blind-17 (read)"),
        ("blind18", "blind-18 (read)"), ("blind19", "blind-19 (read)"), ("blind20", "blind-20 (read)"),
        ("blind21", "blind-21 (read)"), ("blind22", "blind-22"))


# The engine as the stop before left it, answering a set while that set was still blind to it.
PREVIOUS_STOP = {"blind4": [("stop-10 engine", HERE / "severity_blind4_stop10_engine.json")],
                 "blind5": [("stop-11 engine", HERE / "severity_blind5_stop11_engine.json")],
                 "blind6": [("stop-11 engine", HERE / "severity_blind6_stop11_engine.json"),
                            ("stop-12a engine", HERE / "severity_blind6_stop12a_engine.json")],
                 "blind7": [("stop-12 engine", HERE / "severity_blind7_stop12_engine.json")],
                 "blind8": [("stop-12 engine", HERE / "severity_blind8_stop12_engine.json"),
                            ("stop-13a engine", HERE / "severity_blind8_stop13a_engine.json")],
                 "blind9": [("stop-13 engine", HERE / "severity_blind9_stop13_engine.json"),
                            ("stop-14a engine", HERE / "severity_blind9_stop14a_engine.json")],
                 "blind10": [("stop-13 engine", HERE / "severity_blind10_stop13_engine.json"),
                             ("stop-14a engine", HERE / "severity_blind10_stop14a_engine.json")],
                 "blind11": [("stop-13 engine", HERE / "severity_blind11_stop13_engine.json"),
                             ("stop-14a engine", HERE / "severity_blind11_stop14a_engine.json"),
                             ("stop-14b engine", HERE / "severity_blind11_stop14b_engine.json")],
                 "blind12": [("stop-13 engine", HERE / "severity_blind12_stop13_engine.json"),
                             ("stop-14b engine", HERE / "severity_blind12_stop14b_engine.json"),
                             ("stop-14 engine", HERE / "severity_blind12_stop14_engine.json")],
                 "blind13": [("stop-13 engine", HERE / "severity_blind13_stop13_engine.json"),
                             ("stop-14 engine", HERE / "severity_blind13_stop14_engine.json"),
                             ("stop-15 engine", HERE / "severity_blind13_stop15_engine.json")],
                 "blind14": [("stop-14 engine", HERE / "severity_blind14_stop14_engine.json"),
                             ("stop-15 engine", HERE / "severity_blind14_stop15_engine.json"),
                             ("stop-16 engine", HERE / "severity_blind14_stop16_engine.json")],
                 "blind15": [("stop-15 engine", HERE / "severity_blind15_stop15_engine.json"),
                             ("stop-16 engine", HERE / "severity_blind15_stop16_engine.json"),
                             ("stop-17 engine", HERE / "severity_blind15_stop17_engine.json")],
                 "blind16": [("stop-16 engine", HERE / "severity_blind16_stop16_engine.json"),
                             ("stop-17 engine", HERE / "severity_blind16_stop17_engine.json"),
                             ("stop-18 engine", HERE / "severity_blind16_stop18_engine.json")],
                 "blind17": [("stop-18 engine", HERE / "severity_blind17_stop18_engine.json"),
                             ("stop-19 engine", HERE / "severity_blind17_stop19_engine.json")],
                 "blind18": [("stop-19 engine", HERE / "severity_blind18_stop19_engine.json"),
                             ("stop-20 engine", HERE / "severity_blind18_stop20_engine.json")],
                 "blind19": [("stop-20 engine", HERE / "severity_blind19_stop20_engine.json"),
                             ("stop-21 engine", HERE / "severity_blind19_stop21_engine.json")],
                 "blind20": [("stop-21 engine", HERE / "severity_blind20_stop21_engine.json"),
                             ("stop-22 engine", HERE / "severity_blind20_stop22_engine.json")],
                 "blind21": [("stop-22 engine", HERE / "severity_blind21_stop22_engine.json"),
                             ("stop-23 engine", HERE / "severity_blind21_stop23_engine.json")],
                 "blind22": [("stop-24 engine", HERE / "severity_blind22_stop24_engine.json")],
                 "blind23": [("stop-24 engine", HERE / "severity_blind23_stop24_engine.json"),
                             ("stop-25 engine", HERE / "severity_blind23_stop25_engine.json")]}  # the next stop


def corpus_report(corpus: list[dict[str, Any]], baseline: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """Score every set and mode, print them beside the first version (and the previous stop's engine), return them."""
    out = {}
    for split, name in SETS:
        items = [i for i in corpus if i["split"] == split]
        for mode, with_facts in (("text", False), ("text+facts", True)):
            r = score(items, with_facts)
            old = None
            if baseline and mode in baseline and all(i["id"] in baseline[mode] for i in items):
                old = score(items, answers={k: tuple(v) for k, v in baseline[mode].items()})
            out[f"{split}/{mode}"] = r
            for line in report_line(f"{name} {mode} (n={r['n']})", r, old):
                print(line)
            for label, path in PREVIOUS_STOP.get(split, ()):
                stored = json.loads(path.read_text(encoding="utf-8"))[mode]
                prev = score(items, answers={k: tuple(v) for k, v in stored.items()})
                print(report_line(f"{'':<22} {label}", prev, None)[0].replace("  within", " within", 1))
                print(report_line("", prev, None)[1])
    return out


def save_baseline(corpus: list[dict[str, Any]]) -> None:
    """Record the current engine's answers as 'the previous engine' for later runs."""
    answers = {mode: {i["id"]: list(predict(i, facts)) for i in corpus}
               for mode, facts in (("text", False), ("text+facts", True))}
    BASELINE.write_text(json.dumps(answers, sort_keys=True, indent=0) + "\n", encoding="utf-8")
    print(f"saved {BASELINE.name}")


def targets_met(scores: dict[str, dict[str, Any]], median_us: float) -> list[str]:
    """The current blind set's targets that are not met, in words."""
    text, facts = scores[f"{CURRENT}/text"], scores[f"{CURRENT}/text+facts"]
    failed = []
    if text["within"] < TARGET_WITHIN:
        failed.append(f"{CURRENT} text {text['within']:.1%} < {TARGET_WITHIN:.0%}")
    failed += [f"{CURRENT} text {lang} {ok / n:.1%} < {TARGET_LANG:.0%}"
               for lang, (ok, n) in text["by_lang"].items() if ok / n < TARGET_LANG]
    if facts["within"] < TARGET_FACTS:
        failed.append(f"{CURRENT} text+facts {facts['within']:.1%} < {TARGET_FACTS:.0%}")
    for mode, r in (("text", text), ("text+facts", facts)):
        if r["p0_rated_low"]:
            failed.append(f"{CURRENT} {mode}: {r['p0_rated_low']} P0 rated P2/P3")
        ok, n = r["bands"][BANDS[0][2]]
        if n and ok / n < TARGET_HIGH_BAND:
            failed.append(f"{CURRENT} {mode} high band {ok / n:.1%} < {TARGET_HIGH_BAND:.0%}")
    if median_us >= TARGET_MEDIAN_US:
        failed.append(f"median {median_us:.0f} us >= {TARGET_MEDIAN_US:.0f} us")
    return failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", choices=["dev", "first-dev"], help="list misses of a DEV split (never blind)")
    parser.add_argument("--repeat", type=int, default=3, help="timing passes over the set")
    parser.add_argument("--save-baseline", action="store_true", help="record this engine as the previous one")
    args = parser.parse_args()
    corpus = load_corpus()
    if blind_digest(corpus) != BLIND_HASH.read_text().split()[0]:
        print("blind split changed: its hash no longer matches severity_blind.sha256", file=sys.stderr)
        return 2
    later = {split: load_corpus(path) for split, path, _ in LATER}
    for split, _, pin in LATER:
        if blind_digest(later[split], split) != pin.read_text().split()[0]:
            print(f"{split} changed: its hash no longer matches {pin.name}", file=sys.stderr)
            return 2
    classify_severity("warm-up: load and compile the lexicon")
    if args.save_baseline:
        save_baseline(corpus)
        return 0
    baseline = json.loads(BASELINE.read_text()) if BASELINE.exists() else None
    sizes = ", ".join(f"{split} {len(items)}" for split, items in later.items())
    print(f"corpus: {len(corpus)} real texts (dev {sum(i['split'] == 'dev' for i in corpus)}, "
          f"blind-1 {sum(i['split'] == 'blind' for i in corpus)}); {sizes}; tuning data: all but {CURRENT}")
    scores = corpus_report(corpus + [i for items in later.values() for i in items], baseline)
    print("\n".join(class_table(scores)))
    first = score(load_items())
    print(f"{'first dev set':<22} within {first['within']:.1%}  exact {first['exact']:.1%}  "
          f"P0->P2/3 {first['p0_rated_low']} (n={first['n']}, the first version's tuning set)")
    ours, base = timing(corpus, args.repeat)
    med, med_base = statistics.median(ours), statistics.median(base)
    print(f"per call: median {med:.1f} us, p90 {p90(ours):.1f} us (n={len(ours)}); baseline regex median "
          f"{med_base:.2f} us, ratio {med / med_base:.0f}x")
    if args.misses == "dev":
        for mid, want, acc, got, conf, text in scores["dev/text"]["misses"]:
            print(f"MISS {mid}: label {want} {acc} got {got} ({conf}) :: {text[:140]!r}")
    elif args.misses == "first-dev":
        for mid, want, acc, got, conf, text in first["misses"]:
            print(f"MISS {mid}: label {want} {acc} got {got} ({conf}) :: {text[:140]!r}")
    failed = targets_met(scores, med)
    print("targets:", "OK" if not failed else "NOT MET: " + "; ".join(failed))
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
