"""Helpers for the stdio benchmarks: commands for our server and the bare baseline, and statistics."""

from __future__ import annotations

import os
import statistics
import sys
from pathlib import Path

from mcp import StdioServerParameters

HERE = Path(__file__).resolve().parent
# PYTHONPATH is passed on (the SDK client gives a server only a default environment), so an older checkout
# can be measured with the same scripts: PYTHONPATH=/path/to/old/server python benchmarks/startup.py
PASSED = {k: os.environ[k] for k in ("PYTHONPATH",) if k in os.environ}
OURS = StdioServerParameters(command=sys.executable, args=["-m", "escalation_kit", "serve"], env=PASSED or None)
BARE = StdioServerParameters(command=sys.executable, args=[str(HERE / "bare_server.py")], env=PASSED or None)


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
    return f"median {statistics.median(ordered):8.2f} ms  p90 {p90:8.2f} ms  (n={len(ordered)})"
