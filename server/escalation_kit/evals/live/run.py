"""Run a suite live: every case and trial as a conversation, sequentially or in batches, then judge and report.

The orchestrator of the live harness; the building blocks are in ``conversation``, the batch and
judge strategies in ``batch`` and ``judge``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from escalation_kit.evals.cache import ResponseCache
from escalation_kit.evals.live.batch import run_batched
from escalation_kit.evals.live.conversation import (
    Conversation,
    HarnessError,
    LiveOptions,
    McpToolSession,
    ToolSession,
    create_with_retry,
    graded_pass,
    make_client,
    system_prompt,
)
from escalation_kit.evals.live.judge import judge_report
from escalation_kit.evals.pricing import prices_source
from escalation_kit.evals.results import CaseResult, RunReport
from escalation_kit.evals.runner import Progress
from escalation_kit.evals.suite import Suite


async def _step(conv: Conversation, client: Any, session: ToolSession, cache: ResponseCache) -> None:
    params = conv.params()
    key = cache.key(params, conv.trial, conv.opts.base_url)
    conv.record_request()
    t0 = time.perf_counter()
    msg, retries, cached = cache.get(key), 0, True
    if msg is None:
        msg, retries = await create_with_retry(client, params, conv.opts)
        cached = False
        cache.put(key, msg)
    await conv.apply(msg, session, (time.perf_counter() - t0) * 1000, retries, cached)


async def _run_conversation(conv: Conversation, client: Any, session: ToolSession, cache: ResponseCache,
                            sem: asyncio.Semaphore) -> None:
    async with sem:
        try:
            while not conv.done:
                await _step(conv, client, session, cache)
        except HarnessError as exc:
            conv.fail(str(exc))


async def run_live(suite: Suite, opts: LiveOptions, *, session: ToolSession | None = None, client: Any = None,
                   progress: Progress | None = None, holder: list | None = None) -> RunReport:
    """Run every case ``opts.trials`` times live (or in batches) and grade the transcripts."""
    started, t0 = datetime.now(UTC).isoformat(timespec="seconds"), time.perf_counter()
    if client is None:
        async with make_client(opts) as own_client:  # closed inside this loop, not at interpreter exit
            return await run_live(suite, opts, session=session, client=own_client, progress=progress, holder=holder)
    if session is None:
        async with McpToolSession.open(opts.server_command, opts.server_log) as mcp_session:
            return await run_live(suite, opts, session=mcp_session, client=client, progress=progress, holder=holder)
    tools = await session.list_tools()
    cache = ResponseCache(opts.cache_dir)
    convs = [Conversation(c, t, system_prompt(c.skill), tools, opts) for c in suite.cases for t in range(opts.trials)]
    if holder is not None:
        holder.extend(convs)  # so Ctrl-C can still write what was done
    if opts.batch:
        await run_batched(convs, client, session, cache, progress)
    else:
        sem = asyncio.Semaphore(opts.concurrency)
        tasks = [asyncio.create_task(_run_conversation(c, client, session, cache, sem)) for c in convs]
        for n, fut in enumerate(asyncio.as_completed(tasks), 1):
            await fut
            if progress:
                progress(n, len(tasks), sum(graded_pass(c, opts) for c in convs if c.done))
    report = _report(suite, opts, convs, started, time.perf_counter() - t0)
    if opts.judge:
        await judge_report(report, convs, client, opts, cache)
    return report


def _report(suite: Suite, opts: LiveOptions, convs: list[Conversation], started: str, wall: float) -> RunReport:
    by_case: dict[str, list] = {}
    for conv in convs:
        path = None
        if opts.transcripts_dir:
            opts.transcripts_dir.mkdir(parents=True, exist_ok=True)
            path = opts.transcripts_dir / f"{conv.key_id}.jsonl"
            path.write_text(conv.transcript.to_jsonl(), encoding="utf-8")
        graded_pass(conv, opts)
        trial = conv.result
        trial.transcript = str(path) if path else None
        by_case.setdefault(conv.case.id, []).append(trial)
    cases = [CaseResult(id=c.id, skill=c.skill, language=c.language, trials=by_case[c.id]) for c in suite.cases]
    return RunReport(suite=suite.name, mode="batch" if opts.batch else "live", model=opts.model,
                     trials=opts.trials, started_at=started, wall_s=round(wall, 3), cases=cases,
                     prices_source=prices_source())


def run_live_suite(suite: Suite, opts: LiveOptions, progress: Callable[[int, int, int], None] | None = None,
                   ) -> RunReport:
    """Synchronous entry point for the CLI; a missing key or a dead MCP server is a harness error."""
    holder: list[Conversation] = []
    started, t0 = datetime.now(UTC).isoformat(timespec="seconds"), time.perf_counter()
    try:
        return asyncio.run(run_live(suite, opts, progress=progress, holder=holder))
    except KeyboardInterrupt:  # Ctrl-C: write every transcript so far and a partial report
        for conv in holder:
            if not conv.done:
                conv.fail("interrupted (Ctrl-C)")
        report = _report(suite, opts, holder, started, time.perf_counter() - t0) if holder else RunReport(
            suite=suite.name, mode="batch" if opts.batch else "live", model=opts.model, trials=opts.trials,
            started_at=started, cases=[])
        report.interrupted = True
        report.harness_errors.append("interrupted (Ctrl-C): the report is partial")
        return report
    except Exception as exc:  # no key, MCP server did not start, batch API failure: nothing to grade
        started = datetime.now(UTC).isoformat(timespec="seconds")
        return RunReport(suite=suite.name, mode="batch" if opts.batch else "live", model=opts.model,
                         trials=opts.trials, started_at=started, cases=[],
                         harness_errors=[f"{type(exc).__name__}: {exc}"])
