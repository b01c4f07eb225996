"""Shared by the plain-snapshot tests: which package modules a fresh process imports once the snapshot exists."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from escalation_kit import datafiles


def modules_after_snapshot(probe: str, cache: Path) -> list[str]:
    """Run ``probe`` (which prints a JSON list of module names last) twice in fresh interpreters sharing the
    snapshot folder ``cache``: the first builds the snapshots, the second's list is returned."""
    env = {**os.environ, datafiles.CACHE_ENV: str(cache)}
    for attempt in ("build", "read"):
        run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, env=env)
        assert run.returncode == 0, (attempt, run.stderr)
    return json.loads(run.stdout.strip().splitlines()[-1])
