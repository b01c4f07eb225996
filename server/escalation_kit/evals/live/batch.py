"""``--batch``: advance every conversation one model turn per Message Batch.

Single-turn cases finish in one batch; multi-turn (tool-using) cases take one batch per
round, with tool calls run locally between rounds. Results come back in any order and are
joined on ``custom_id``. Cached responses skip the batch.
"""

from __future__ import annotations

import time
from typing import Any

from escalation_kit.evals.cache import ResponseCache
from escalation_kit.evals.live.batches import batch_params, submit_and_collect
from escalation_kit.evals.live.conversation import Conversation, ToolSession, graded_pass, opts_of
from escalation_kit.evals.runner import Progress


async def run_batched(convs: list[Conversation], client: Any, session: ToolSession, cache: ResponseCache,
                      progress: Progress | None = None) -> None:
    """Advance every conversation one turn per Message Batch until all are done."""
    while active := [c for c in convs if not c.done]:
        if progress:
            done = [c for c in convs if c.done]
            progress(len(done), len(convs), sum(graded_pass(c, opts_of(convs)) for c in done))
        pending: dict[str, tuple[Conversation, str]] = {}
        for conv in active:
            params = conv.params()
            key = cache.key(params, conv.trial, conv.opts.base_url)
            conv.record_request()
            hit = cache.get(key)
            if hit is not None:
                await conv.apply(hit, session, 0.0, 0, True)
            else:
                pending[conv.key_id] = (conv, key)
        if not pending:
            continue
        t0 = time.perf_counter()
        reqs = [{"custom_id": cid, "params": batch_params(c.params())} for cid, (c, _) in pending.items()]
        results = [item async for item in submit_and_collect(client, reqs, convs[0].opts.batch_poll_s)]
        ms = (time.perf_counter() - t0) * 1000
        seen = set()
        for item in results:
            conv, key = pending[item.custom_id]
            seen.add(item.custom_id)
            if item.result.type == "succeeded":
                msg = item.result.message.model_dump(mode="json", exclude_none=True)
                cache.put(key, msg)
                await conv.apply(msg, session, ms, 0, False)
            else:
                conv.fail(f"batch request {item.result.type}: {getattr(item.result, 'error', '')}")
        for cid in set(pending) - seen:
            pending[cid][0].fail("batch returned no result for this request")
