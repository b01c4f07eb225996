"""Cold start, spawn to initialized, of our server against a bare one-tool MCPServer (target ratio <= 1.10).

Runs alternate between the two servers so machine noise hits both alike. Usage:
    python benchmarks/startup.py [RUNS]
"""

from __future__ import annotations

import statistics
import sys
import time

import anyio

from _stdio import BARE, OURS, summary
from mcp import Client


async def cold_start_ms(params) -> float:
    start = time.perf_counter()
    async with Client(params, mode="legacy") as client:
        await client.list_tools()
        elapsed = (time.perf_counter() - start) * 1000
    return elapsed


async def main(runs: int) -> None:
    ours: list[float] = []
    bare: list[float] = []
    await cold_start_ms(OURS)  # warm the OS file cache for both
    await cold_start_ms(BARE)
    for _ in range(runs):
        ours.append(await cold_start_ms(OURS))
        bare.append(await cold_start_ms(BARE))
    ratio = statistics.median(ours) / statistics.median(bare)
    print(f"escalation-kit serve : {summary(ours)}")
    print(f"bare MCPServer       : {summary(bare)}")
    print(f"cold-start ratio (median ours / median bare): {ratio:.3f}  target <= 1.10  "
          f"{'OK' if ratio <= 1.10 else 'OVER'}")


if __name__ == "__main__":
    anyio.run(main, int(sys.argv[1]) if len(sys.argv) > 1 else 10)
