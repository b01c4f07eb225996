"""Eval harness speed: offline grading throughput, and a 200-case live run against the local fake API.

Run:  .venv/bin/python benchmarks/eval_throughput.py [--cases 200] [--concurrency 16] [--seconds 3]

1. Offline: every recording of the ``core`` suite, pre-loaded, graded in a loop on one core
   (contract items + language + grounding + trajectory). Baseline measured in the same run: a
   naive grader that only searches each contract heading word in the lower-cased answer, so
   the ratio says what the language-aware parsing costs on top of plain substring search.
   Then per answer language, for ``core`` and for ``gold`` (60 answers written by hand in
   en/ru/zh), with the answers' median length: the figure is not one of short answers.
2. Live: N cases (default 200) through the real anthropic SDK to the fake Messages API on
   127.0.0.1, 3 model turns each, tools from the real MCP server over stdio (one subprocess),
   at the given concurrency; then the same with in-process tools to separate the MCP share.
   The fake answers instantly, so wall time / cases is the harness's own overhead per case.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from escalation_kit.evals.markdown import normalize  # noqa: E402
from escalation_kit.evals.runner import grade_transcript  # noqa: E402
from escalation_kit.evals.suite import load_suite  # noqa: E402
from escalation_kit.evals.transcript import Transcript  # noqa: E402
from escalation_kit.skillpack.contracts import load_contract  # noqa: E402


def _loop(fn, items, seconds: float) -> tuple[int, float, float]:
    """Run ``fn`` over ``items`` for about ``seconds``: (count, wall seconds, CPU seconds of this process)."""
    n, t0, c0 = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - t0 < seconds:
        for it in items:
            fn(it)
        n += len(items)
    return n, time.perf_counter() - t0, time.process_time() - c0


def _items(name: str) -> list[tuple[Transcript, object]]:
    suite = load_suite(name)
    return [(Transcript.load(suite.transcript_path(r)), c) for c in suite.cases for r in c.recordings]


def _graded_with_suffix(items: list, seconds: float) -> tuple[int, float, float]:
    """Grade ``items`` in a loop, each answer with a unique trailing comment: no cache keyed on the answer hits."""
    base_answers = {id(t): t.answer for t, _ in items}
    counter = iter(range(10**9))

    def ours_once(item):
        item[0].answer = base_answers[id(item[0])] + f"\n\n<!-- {next(counter)} -->\n"
        return grade_transcript(*item)

    try:
        return _loop(ours_once, items, seconds)
    finally:
        for t, _ in items:
            t.answer = base_answers[id(t)]


def by_language(name: str, seconds: float) -> None:
    """Answers per CPU-second for each answer language of a suite, with the answers' median length."""
    items = _items(name)
    for t, c in items:
        grade_transcript(t, c)
    parts = []
    for lang in ("en", "ru", "zh"):
        sel = [(t, c) for t, c in items if c.language == lang]
        if sel:
            n, _, cpu = _graded_with_suffix(sel, seconds / 3)
            median = statistics.median(len(t.answer) for t, _ in sel)
            parts.append(f"{lang} {n / cpu:,.0f}/s ({len(sel)} answers, median {median:,.0f} chars)")
    print(f"  {name} suite by answer language: " + "; ".join(parts))


def offline(seconds: float) -> None:
    items = _items("core")
    grade_transcript(*items[0])  # warm caches (contract, word lists, zone names)

    def naive(item):
        text = normalize(item[0].answer)
        contract = load_contract(item[1].skill)
        return all(any(w in text for ws in it.headings.values() for w in ws) for it in contract.items)

    # a unique trailing comment per grading defeats any cache keyed on the whole answer text
    n, t, c = _graded_with_suffix(items, seconds)
    nb, tb, cb = _loop(naive, items, seconds)
    ours, ours_cpu, base_cpu = n / t, n / c, nb / cb
    print(f"offline grading: {ours_cpu:,.0f} answers per CPU-second on one core ({ours:,.0f}/s wall; "
          f"{len(items)} distinct recordings, {n} graded, each with a unique suffix)")
    print(f"  baseline naive substring grader: {base_cpu:,.0f} answers per CPU-second; ours costs "
          f"{base_cpu / ours_cpu:.1f}x the baseline (target > 1,000/s: {'met' if ours_cpu > 1000 else 'NOT met'})")
    by_language("core", seconds)
    by_language("gold", seconds)  # hand-written answers: realistic lengths and styles in en/ru/zh
    print(f"  load average now {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores: wall figures are noisy")


def _suite_dir(tmp: Path, n: int) -> Path:
    import yaml

    texts = ["Checkout API returns 500 for 40% of orders", "Оформление заказа падает у 40% клиентов",
             "结账接口约40%的订单失败"]
    langs = ["en", "ru", "zh"]
    cases = [{"id": f"bench-{i:03d}", "skill": "incident-triage", "language": langs[i % 3],
              "incident": f"{texts[i % 3]} (#{i})", "vendor": "aws", "opened_at": "2026-11-20T09:40:00+00:00",
              "timezone": "UTC", "assertions": [{"order": ["detect_language", "classify_severity"]}]}
             for i in range(n)]
    folder = tmp / "suite"
    folder.mkdir(exist_ok=True)
    (folder / "cases.yaml").write_text(yaml.safe_dump(cases, allow_unicode=True), encoding="utf-8")
    return folder


def live(n: int, concurrency: int) -> None:
    from escalation_kit.evals.live.conversation import LiveOptions, McpToolSession
    from escalation_kit.evals.live.run import run_live
    from evals.test_live import CannedTools
    from fakes.fake_anthropic import FakeAnthropic
    from fakes.scripted import ScriptedModel

    with tempfile.TemporaryDirectory() as tmp, FakeAnthropic(ScriptedModel(), api_key="bench") as fake:
        suite = load_suite(str(_suite_dir(Path(tmp), n)))
        opts = LiveOptions(model="claude-fake", base_url=fake.url, api_key="bench", concurrency=concurrency,
                           cache_dir=None, transcripts_dir=Path(tmp) / "tr")

        async def with_mcp():
            t0 = time.perf_counter()
            async with McpToolSession.open(opts.server_command, Path(tmp) / "server.log") as session:
                started = time.perf_counter()
                report = await run_live(suite, opts, session=session)
                return report, started - t0, time.perf_counter() - started

        report, spawn, wall = asyncio.run(with_mcp())
        calls = len(fake.requests)
        ok = sum(c.passed for c in report.cases)
        errs = sum(c.errored for c in report.cases)
        print(f"live, real MCP server over stdio: {n} cases x 3 turns at concurrency {concurrency}: "
              f"wall {wall:.2f} s (+ {spawn:.2f} s server start), {1000 * wall / n:.1f} ms per case, "
              f"{calls / wall:.0f} API requests/s; {ok} passed, {errs} harness errors")
        t0 = time.perf_counter()
        report2 = asyncio.run(run_live(suite, opts, session=CannedTools()))
        wall2 = time.perf_counter() - t0
        print(f"live, in-process tools (no MCP): wall {wall2:.2f} s, {1000 * wall2 / n:.1f} ms per case; "
              f"MCP share {100 * (wall - wall2) / wall:.0f}% of the wall time; "
              f"{sum(c.passed for c in report2.cases)} passed")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=200)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--skip-live", action="store_true")
    args = ap.parse_args()
    print(f"python {sys.version.split()[0]}, pid {os.getpid()}, cpus {os.cpu_count()}")
    offline(args.seconds)
    if not args.skip_live:
        live(args.cases, args.concurrency)


if __name__ == "__main__":
    main()
