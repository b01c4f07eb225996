"""A writer process for the crash and concurrency tests: appends notes (and opens records), printing each ack.

usage: writer.py DB_URL ESCALATION_ID PREFIX START COUNT [OPENS]
Each note carries the idempotency key PREFIX-N, so a restarted writer can retry the last unacknowledged
write safely. "ACK N" is printed only after the transaction committed.
"""

from __future__ import annotations

import sys

from escalation_kit.tracker import Tracker, open_store

AT = "2026-03-06T10:01:00+00:00"


def main() -> None:
    url, esc_id, prefix, start, count = sys.argv[1:6]
    opens = int(sys.argv[6]) if len(sys.argv) > 6 else 0
    tracker = Tracker(open_store(url))
    print("READY", flush=True)
    for n in range(int(start), int(start) + int(count)):
        tracker.record_event(esc_id, "note", at=AT, actor=prefix, payload={"text": f"{prefix}-{n}"},
                             idempotency_key=f"{prefix}-{n}")
        print(f"ACK {n}", flush=True)
    for k in range(opens):
        state = tracker.open({"title": f"{prefix} {k}", "severity": "P2"}, at=AT, idempotency_key=f"{prefix}-open-{k}")
        print(f"OPEN {state.id}", flush=True)
    tracker.close()


if __name__ == "__main__":
    main()
