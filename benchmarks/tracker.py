"""Tracker at scale: list_due and escalation_metrics on 10,000 escalations / 1,000,000 events.

usage: python benchmarks/tracker.py [ESCALATIONS] [EVENTS] [--db URL]

Builds the full store and one ten times smaller (in temp SQLite files, or fresh databases on the
PostgreSQL server given by --db postgresql://...), then times list_due (the whole due list at the end
of the period), escalation_metrics (a year, grouped by tier and severity) and get_escalation on a
long record. Prints medians and the full/small ratios: linear growth shows as about 10 at most.
Targets (issue 14): list_due and escalation_metrics under 100 ms on the full store.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from escalation_kit.tracker import Tracker, open_store

START = datetime(2026, 1, 1, tzinfo=UTC)
OPEN_SHARE = 0.02  # escalations still open at the end (the newest ones), as in a healthy queue


def build(tracker: Tracker, n: int, events: int, seed: int = 1) -> datetime:
    """n escalations spread over a year, about events/n events each; the newest 2 % stay open."""
    rng = random.Random(seed)
    per = max(6, events // n)
    step = timedelta(minutes=525_600 / n)
    end = period_end(n)
    sev = ["P0", "P1", "P2", "P3"]
    with tracker.batch():
        for i in range(n):
            opened = START + step * i
            s = rng.choices(sev, weights=[1, 3, 4, 2])[0]
            vendor = rng.random() < 0.3
            e = tracker.open({"title": f"incident {i}", "severity": s, "customer": f"c{i % 300}",
                              "category": rng.choice(["db", "network", "auth", "billing"]), "tier": rng.randint(1, 3),
                              "vendor": "aws" if vendor else None}, at=opened)
            t = opened + timedelta(minutes=rng.randint(1, 20))
            tracker.record_event(e.id, "acknowledged", at=t)
            t += timedelta(minutes=rng.randint(1, 90))
            tracker.record_event(e.id, "first_response_sent", at=t)
            written = 3
            if vendor:
                tracker.record_event(e.id, "vendor_case_filed", at=t, payload={"case_id": f"C{i}"})
                tracker.record_event(e.id, "vendor_responded", at=t + timedelta(minutes=rng.randint(5, 200)))
                written += 2
            still_open = i >= n * (1 - OPEN_SHARE)
            body = per - written - (0 if still_open else 2)
            for k in range(max(0, body)):
                t += timedelta(minutes=rng.randint(1, 30))
                kind = ("note", "customer_update_sent", "internal_update")[k % 3]
                tracker.record_event(e.id, kind, at=min(t, end), payload={"text": f"update {k}"})
            if not still_open:
                tracker.record_event(e.id, "resolved", at=t + timedelta(minutes=5))
                tracker.close_escalation(e.id, at=t + timedelta(minutes=10))
    return end


def timed(fn, runs: int = 7) -> float:
    """Median milliseconds of ``runs`` calls after one warm-up."""
    fn()
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def measure(tracker: Tracker, end: datetime) -> dict[str, float]:
    year = (START.isoformat(), (START + timedelta(days=366)).isoformat())
    longest = tracker.store.one("SELECT id FROM escalations ORDER BY version DESC LIMIT 1")[0]
    from escalation_kit.tracker.clocks import _sla

    _sla.cache_clear()
    t0 = time.perf_counter()
    due = tracker.due(end)
    cold = (time.perf_counter() - t0) * 1000
    return {
        "list_due_cold_ms": cold,
        "list_due_ms": timed(lambda: tracker.due(end)),
        "list_due_all_ms": timed(lambda: tracker.due(end, include_notified=True), runs=3),
        "metrics_ms": timed(lambda: tracker.metrics(*year, ["tier", "severity"], now=end)),
        "get_escalation_ms": timed(lambda: tracker.get(longest, now=end)),
        "due_items": len(due),
        "events": tracker.store.one("SELECT COUNT(*) FROM events")[0],
    }


def period_end(n: int) -> datetime:
    return START + timedelta(minutes=525_600 / n) * n


def store_for(db: str | None, name: str, tmp: Path) -> Tracker:
    if db and db.startswith("postgres"):
        import psycopg

        with psycopg.connect(db, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return Tracker(open_store(db.rsplit("/", 1)[0] + f"/{name}"))
    return Tracker(open_store(f"sqlite:///{tmp / (name + '.db')}"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("escalations", nargs="?", type=int, default=10_000)
    parser.add_argument("events", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--db", help="postgresql://... server to create the two databases on (default: SQLite)")
    parser.add_argument("--keep", type=Path, help="keep the SQLite files in this folder and reuse them next time")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for label, n, ev in (("small", args.escalations // 10, args.events // 10),
                             ("full", args.escalations, args.events)):
            name = f"bench_{label}_{n}_{ev}"
            reuse = not args.db and (folder / f"{name}.db").exists()
            tracker = store_for(None if reuse else args.db, name, folder) if reuse else store_for(args.db, name, folder)
            t0 = time.perf_counter()
            end = period_end(n) if reuse else build(tracker, n, ev)
            load = time.perf_counter() - t0 if not reuse else float("nan")
            results[label] = {**measure(tracker, end), "load_s": load, "escalations": n}
            tracker.close()
            r = results[label]
            print(f"{label:5} {n:>7} escalations {r['events']:>9} events  load {load:7.1f} s "
                  f"({r['events'] / load:,.0f} events/s)  list_due {r['list_due_ms']:7.1f} ms "
                  f"({r['due_items']} items, first call {r['list_due_cold_ms']:.1f} ms)  "
                  f"list_due(all) {r['list_due_all_ms']:7.1f} ms  "
                  f"metrics {r['metrics_ms']:7.1f} ms  get {r['get_escalation_ms']:6.1f} ms", flush=True)
    small, full = results["small"], results["full"]
    print("\nratio full/small (10x data; linear growth = 10 or less):")
    for key in ("list_due_cold_ms", "list_due_ms", "list_due_all_ms", "metrics_ms", "get_escalation_ms"):
        print(f"  {key:18} {full[key] / small[key]:6.2f}")
    ok = full["list_due_ms"] < 100 and full["metrics_ms"] < 100
    print(f"\ntarget list_due and metrics < 100 ms on the full store: {'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
