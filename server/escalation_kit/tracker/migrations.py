"""Versioned schema migrations, shared by SQLite and PostgreSQL (portable SQL, applied in order once).

Times are fixed-width UTC text (``events.iso``), so they compare the same way in both databases. The
``escalations`` row is a cache of the state replayed from ``events``; ``track verify`` checks both.
"""

from __future__ import annotations

MIGRATIONS: list[tuple[int, str, list[str]]] = [
    (1, "event log, escalation cache, id counters, idempotency keys", [
        """CREATE TABLE escalations (
            id TEXT PRIMARY KEY,
            version INTEGER NOT NULL,
            last_hash TEXT NOT NULL,
            status TEXT NOT NULL,
            severity TEXT NOT NULL,
            tier INTEGER NOT NULL,
            owner TEXT,
            customer TEXT,
            segment TEXT,
            vendor TEXT,
            category TEXT,
            opened_at TEXT NOT NULL,
            last_activity_at TEXT NOT NULL,
            acknowledged_at TEXT,
            first_response_at TEXT,
            first_response_due TEXT,
            vendor_filed_at TEXT,
            vendor_responded_at TEXT,
            vendor_due TEXT,
            resolved_at TEXT,
            de_escalated_at TEXT,
            tier_raises INTEGER NOT NULL DEFAULT 0,
            reopened INTEGER NOT NULL DEFAULT 0,
            attention_at TEXT,
            state TEXT NOT NULL
        )""",
        "CREATE INDEX escalations_attention ON escalations (status, attention_at)",
        "CREATE INDEX escalations_opened ON escalations (opened_at)",
        "CREATE INDEX escalations_customer ON escalations (customer, opened_at)",
        "CREATE INDEX escalations_owner ON escalations (owner)",
        """CREATE TABLE events (
            escalation_id TEXT NOT NULL REFERENCES escalations (id),
            seq INTEGER NOT NULL,
            kind TEXT NOT NULL,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            payload TEXT NOT NULL,
            idempotency_key TEXT,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            PRIMARY KEY (escalation_id, seq)
        )""",
        "CREATE INDEX events_at ON events (escalation_id, at)",
        "CREATE TABLE id_counters (year INTEGER PRIMARY KEY, n INTEGER NOT NULL)",
        """CREATE TABLE idempotency (
            key TEXT PRIMARY KEY,
            request_hash TEXT NOT NULL,
            escalation_id TEXT NOT NULL,
            result TEXT NOT NULL
        )""",
    ]),
    (2, "checkpoints cached per escalation, so list_due computes no clock on read", [
        "ALTER TABLE escalations ADD COLUMN checkpoints TEXT",
    ]),
    (3, "durations cached as numbers for metrics; cache_version marks rows to refresh after an upgrade", [
        "ALTER TABLE escalations ADD COLUMN ack_minutes REAL",
        "ALTER TABLE escalations ADD COLUMN resolve_minutes REAL",
        "ALTER TABLE escalations ADD COLUMN deesc_minutes REAL",
        "ALTER TABLE escalations ADD COLUMN fr_met INTEGER",
        "ALTER TABLE escalations ADD COLUMN cache_version INTEGER",
    ]),
    (4, "the replayed state moves to its own table, so scans of the escalations table stay small", [
        """CREATE TABLE escalation_states (
            id TEXT PRIMARY KEY REFERENCES escalations (id),
            state TEXT NOT NULL
        )""",
        "INSERT INTO escalation_states (id, state) SELECT id, state FROM escalations",
        "ALTER TABLE escalations DROP COLUMN state",
    ]),
    (5, "archiving: when a record was archived and closed, so lists leave archived records out", [
        "ALTER TABLE escalations ADD COLUMN archived_at TEXT",
        "ALTER TABLE escalations ADD COLUMN closed_at TEXT",
    ]),
    (6, "the ISO week of the opening cached, so metrics can group by week (volume trends)", [
        "ALTER TABLE escalations ADD COLUMN opened_week TEXT",
    ]),
    (7, "handoff and executive clocks cached for metrics: due, stop and whether the target was met", [
        "ALTER TABLE escalations ADD COLUMN handoff_due TEXT",
        "ALTER TABLE escalations ADD COLUMN handoff_done TEXT",
        "ALTER TABLE escalations ADD COLUMN handoff_met INTEGER",
        "ALTER TABLE escalations ADD COLUMN exec_due TEXT",
        "ALTER TABLE escalations ADD COLUMN exec_done TEXT",
        "ALTER TABLE escalations ADD COLUMN exec_met INTEGER",
    ]),
]
LATEST = MIGRATIONS[-1][0]
