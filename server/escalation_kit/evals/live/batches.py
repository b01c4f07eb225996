"""Submit one Message Batch, wait for it to end, and hand back each result by custom_id.

Both batch strategies (conversation turns and judge calls) use this one loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from escalation_kit.evals.pricing import accepts_temperature


def batch_params(params: dict[str, Any]) -> dict[str, Any]:
    """Batch request params: the temperature stays in the body only where the model accepts it."""
    if not accepts_temperature(params["model"]):
        return {k: v for k, v in params.items() if k != "temperature"}
    return params


async def submit_and_collect(client: Any, requests: list[dict[str, Any]], poll_s: float) -> AsyncIterator[Any]:
    """Create the batch, poll until it has ended, then yield its result items (each with custom_id)."""
    batch = await client.messages.batches.create(requests=requests)
    while batch.processing_status != "ended":
        await asyncio.sleep(poll_s)
        batch = await client.messages.batches.retrieve(batch.id)
    async for item in await client.messages.batches.results(batch.id):
        yield item
