"""Shared by the SQLite and PostgreSQL durability tests: kill -9 a writer many times, run two writers at once."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from escalation_kit.tracker import Tracker

WRITER = str(Path(__file__).with_name("tracker_writer.py"))


def _start(url: str, esc_id: str, prefix: str, start: int, count: int, opens: int = 0) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, WRITER, url, esc_id, prefix, str(start), str(count), str(opens)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})


def _read(proc: subprocess.Popen, lines: list[str]) -> threading.Thread:
    def pump() -> None:
        for line in proc.stdout:  # type: ignore[union-attr]
            lines.append(line.strip())
    thread = threading.Thread(target=pump, daemon=True)
    thread.start()
    return thread


def kill_nine_rounds(tracker: Tracker, url: str, esc_id: str, rounds: int, seed: int = 7) -> dict[str, int]:
    """Kill a streaming writer at random moments; every acknowledged note must survive exactly once."""
    rng = random.Random(seed)
    acked: set[int] = set()
    next_n, kills = 0, 0
    for _ in range(rounds):
        proc = _start(url, esc_id, "w", next_n, 100_000)
        lines: list[str] = []
        pump = _read(proc, lines)
        deadline = time.monotonic() + 30
        while "READY" not in lines and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert "READY" in lines, proc.stderr.read() if proc.poll() is not None else "writer never got ready"
        time.sleep(rng.uniform(0.02, 0.3))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        pump.join(timeout=5)
        kills += proc.returncode == -signal.SIGKILL
        got = [int(line.split()[1]) for line in lines if line.startswith("ACK ")]
        acked.update(got)
        # resume at the last acknowledged write + 1: it may already be stored, its key makes the retry safe
        next_n = max(got, default=next_n - 1) + 1
    events = tracker.events(esc_id)
    texts = [e.payload.get("text") for e in events if e.kind == "note"]
    stored = {int(t.split("-")[1]) for t in texts}
    assert len(texts) == len(stored), "a note was stored twice"
    assert acked <= stored, f"acknowledged but lost: {sorted(acked - stored)[:10]}"
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    report = tracker.verify()
    assert report["ok"], report["problems"]
    return {"kills": kills, "acked": len(acked), "stored": len(stored)}


def two_writers(tracker: Tracker, url: str, esc_id: str, notes: int, opens: int) -> None:
    """Two processes append to one escalation and open records at once: nothing lost, nothing doubled."""
    procs = [_start(url, esc_id, p, 0, notes, opens) for p in ("a", "b")]
    for proc in procs:
        out, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err[-2000:]
    events = tracker.events(esc_id)
    texts = sorted(e.payload["text"] for e in events if e.kind == "note")
    assert texts == sorted(f"{p}-{n}" for p in ("a", "b") for n in range(notes))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    ids = [row["id"] for row in tracker.list(limit=1000)]
    assert len(ids) == len(set(ids)) == 1 + 2 * opens
    report = tracker.verify()
    assert report["ok"], report["problems"]
