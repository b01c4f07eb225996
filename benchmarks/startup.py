"""Cold start, spawn to initialized, of our server against a bare one-tool MCPServer (target ratio <= 1.10).

Runs alternate between the servers so machine noise hits them alike. With BEFORE=<old checkout>/server
in the environment, that checkout's server runs interleaved too, for a same-run before/after. Usage:
    [BEFORE=/path/to/old/server] python benchmarks/startup.py [RUNS]
"""

from __future__ import annotations

import os
import statistics
import sys
import time

import anyio

from _stdio import BARE, OURS, summary
from mcp import Client, StdioServerParameters


async def cold_start_ms(params) -> float:
    start = time.perf_counter()
    async with Client(params, mode="legacy") as client:
        await client.list_tools()
        elapsed = (time.perf_counter() - start) * 1000
    return elapsed


async def main(runs: int) -> None:
    servers = {"escalation-kit serve": OURS, "bare MCPServer": BARE}
    if os.environ.get("BEFORE"):
        servers["before (BEFORE=...)"] = StdioServerParameters(command=OURS.command, args=OURS.args,
                                                                env={"PYTHONPATH": os.environ["BEFORE"]})
    samples: dict[str, list[float]] = {name: [] for name in servers}
    for params in servers.values():  # warm the OS file cache for each
        await cold_start_ms(params)
    for _ in range(runs):
        for name, params in servers.items():
            samples[name].append(await cold_start_ms(params))
    bare = statistics.median(samples["bare MCPServer"])
    for name, values in samples.items():
        print(f"{name:22}: {summary(values)}  ratio {statistics.median(values) / bare:.3f}")
    ratio = statistics.median(samples["escalation-kit serve"]) / bare
    print(f"cold-start ratio (median ours / median bare): {ratio:.3f}  target <= 1.10  "
          f"{'OK' if ratio <= 1.10 else 'OVER'}")


if __name__ == "__main__":
    anyio.run(main, int(sys.argv[1]) if len(sys.argv) > 1 else 10)
