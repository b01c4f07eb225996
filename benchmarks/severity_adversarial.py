"""Worst-case time of classify_severity on long repetitive inputs built from the lexicon's own prefixes.

A pattern that backtracks quadratically (an unbounded repetition before a literal, "#+ ?describe...")
turns a 20,000-character run of its first character into seconds of work. This builds such inputs from
every literal prefix the lexicon opens with (a character run, a character-space run, a word run) and
prints the slowest, against a baseline measured in the same run: the same engine on ordinary text of the
same length (corpus reports joined). A ratio far above 1 is a pattern that backtracks, or one that fires at
every character (each hit costs a signal); both are worth a look.
Usage: python benchmarks/severity_adversarial.py [--chars N] [--top K]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import severity as bench  # noqa: E402  (benchmarks/severity.py: the corpus loader)
from escalation_kit.severity import data  # noqa: E402
from escalation_kit.severity._trie import expand, literal_prefix  # noqa: E402
from escalation_kit.severity.classify import MAX_TEXT_CHARS, classify_severity  # noqa: E402

LIMIT_RATIO = 10.0  # slowest input against ordinary text of the same length


def inputs(chars: int) -> list[str]:
    """Repetitive texts from every literal prefix the lexicon opens with."""
    starts: set[str] = set()
    words: set[str] = set()
    for signal in data._read("lexicon.yaml")["signals"]:
        for lang in data.LANGUAGES:
            for pattern in (signal.get("patterns") or {}).get(lang) or []:
                for alt in expand(pattern):
                    prefix = literal_prefix(alt)[0].strip()
                    if prefix:
                        starts.add(prefix[0].lower())
                        words.add(prefix.split(" ")[0][:12])
    texts = [ch * chars for ch in sorted(starts)] + [(ch + " ") * (chars // 2) for ch in sorted(starts)]
    texts += [(w + " ") * (chars // (len(w) + 1)) for w in sorted(words)]
    return [t for t in texts if t.strip()]


def _time(text: str) -> float:
    """Seconds for one classify_severity call."""
    start = time.perf_counter()
    classify_severity(text)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=MAX_TEXT_CHARS)
    parser.add_argument("--top", type=int, default=5)
    args = parser.parse_args()
    classify_severity("warm-up: load and compile the lexicon")
    ordinary = " ".join(item["text"] for item in bench.load_corpus())[:args.chars]
    base = min(_time(ordinary) for _ in range(3))
    worst = []
    for text in inputs(args.chars):
        ours = _time(text)
        worst.append((ours / base, ours * 1000, text[:20]))
    worst.sort(reverse=True)
    print(f"{len(worst)} inputs of {args.chars} characters; ordinary text of that length: {base * 1000:.1f} ms")
    for ratio, ours, head in worst[:args.top]:
        print(f"  {ours:8.1f} ms  ({ratio:.1f}x)  {head!r}")
    ok = worst[0][0] <= LIMIT_RATIO
    print(f"slowest ratio {worst[0][0]:.1f}x: {'OK' if ok else 'OVER'} (limit {LIMIT_RATIO:.0f}x)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
