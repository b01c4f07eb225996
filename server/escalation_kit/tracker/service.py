"""The tracker's operations: open, record, update, actions, close, read back, due list, metrics, verify.

Every write is one transaction that checks the version and the idempotency key, redacts the payload,
validates the event against the replayed state (nothing is stored when it is out of order), appends
it with its chained hash and refreshes the cached state row.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import ValidationError

from escalation_kit.briefs import BriefResult
from escalation_kit.errors import InputError, from_validation_error, quote
from escalation_kit.routing.policy import load_routing_policy
from escalation_kit.timezones import parse_instant, parse_zone
from escalation_kit.tracker import clocks as ck
from escalation_kit.tracker import due as dl
from escalation_kit.tracker.events import (
    GENESIS,
    apply,
    check_time,
    event_hash,
    iso,
    new_state,
    redact_payload,
    replay,
)
from escalation_kit.tracker.export import export_document
from escalation_kit.tracker.health import AccountHealth, account_health
from escalation_kit.tracker.metrics import escalation_metrics, iso_week
from escalation_kit.tracker.models import (
    EVENT_KINDS,
    FINISHED,
    PLAN_FIELDS,
    RECORDABLE,
    STATUSES,
    DueItem,
    EscalationState,
    EscalationView,
    Event,
    Metrics,
    NewEscalation,
)
from escalation_kit.tracker.store import IntegrityConflict, Store, open_store
from escalation_kit.vocab import LANGS, SEVERITIES

MAX_PAYLOAD_CHARS = 20_000
MAX_PLAN_CHARS = 4_000
# Bump when _refresh computes its cached columns differently: rows below it are refreshed on open.
CACHE_VERSION = 7
# Event kinds from which the current version derives more state than the last (7: the handoff and executive
# clocks; also a 'created' with an executive level): stale records with them are replayed on open, not just
# refreshed. Empty this when the next bump changes only the cached columns.
REPLAY_KINDS = ("tier_changed", "exec_level_changed")
AGE_BUCKETS = {"lt_1h": (0, 60), "1h_4h": (60, 240), "4h_24h": (240, 1440), "1d_7d": (1440, 10080),
               "gt_7d": (10080, None)}
FINISHED_SQL = "(" + ", ".join(f"'{x}'" for x in sorted(FINISHED)) + ")"
# A finished record's age is frozen at its resolution (or de-escalation): the cached minutes from opening.
FROZEN_AGE = "COALESCE(e.resolve_minutes, e.deesc_minutes)"
ARCHIVED = {"exclude": "e.archived_at IS NULL", "include": "", "only": "e.archived_at IS NOT NULL"}
UPDATABLE = {"status": "status_changed", "owner": "owner_changed", "tier": "tier_changed",
             "exec_level": "exec_level_changed", "severity": "severity_changed"}


def _now() -> datetime:
    return datetime.now(UTC)


def _instant(value: str | datetime | None, field: str) -> datetime:
    return (parse_instant(value, field) if value is not None else _now()).astimezone(UTC)


def _nul_path(value: Any, path: str) -> str | None:
    """The path of the first string holding a NUL character in ``value`` (nested dicts and lists too), or None."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        found = _nul_path(key, path) if isinstance(key, str) else None
        found = found or _nul_path(item, f"{path}.{key}" if path else str(key))
        if found:
            return found
    return None


def refuse_nul(**values: Any) -> None:
    """Refuse caller text holding U+0000, naming the field: PostgreSQL cannot store it (psycopg raised DataError on
    the first query with it), SQLite cuts some reads short at it, and no real text needs it."""
    for name, value in values.items():
        found = _nul_path(value, name)
        if found:
            raise InputError(found, "contains a NUL character (U+0000), which no stored text may hold")


def _check_actor(actor: Any) -> None:
    if not isinstance(actor, str) or not actor.strip() or len(actor) > 200:
        raise InputError("actor", "must be 1-200 characters")
    refuse_nul(actor=actor)


def _day_or_instant(value: str | datetime, field: str) -> datetime:
    """A period's bound: an ISO instant with offset, or a bare date (YYYY-MM-DD) as its 00:00 UTC, as documented."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        value = f"{value.strip()}T00:00:00+00:00"
    return _instant(value, field)


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _fingerprint(request: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(request, sort_keys=True, default=str).encode()).hexdigest()


def _check_payload(payload: Any) -> dict[str, Any]:
    if payload is None:
        return {}
    if not isinstance(payload, dict):
        raise InputError("payload", f"expected an object, got {type(payload).__name__}")
    size = len(json.dumps(payload, default=str))
    if size > MAX_PAYLOAD_CHARS:
        raise InputError("payload", f"{size} characters is too large", allowed=[f"at most {MAX_PAYLOAD_CHARS}"])
    return json.loads(json.dumps(payload, default=str))


def _plan_payload(fields: dict[str, Any]) -> dict[str, Any]:
    """The plan_updated payload: texts capped, the estimated resolution as an ISO instant ('' or None clears)."""
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if value is None or value == "":
            out[key] = ""
        elif key == "estimated_resolution":
            out[key] = _instant(value, key).isoformat()
        elif not isinstance(value, str):
            raise InputError(key, f"expected text, got {type(value).__name__}")
        elif len(value) > MAX_PLAN_CHARS:
            raise InputError(key, f"{len(value)} characters is too long", allowed=[f"at most {MAX_PLAN_CHARS}"])
        else:
            out[key] = value
    return out


def _what_changes(state: EscalationState, kind: str, raw: dict[str, Any]) -> dict[str, Any] | None:
    """The part of an update that differs from the state; None when nothing does (no event is written)."""
    if kind == "plan_updated":
        def current(key: str) -> Any:
            value = getattr(state, key)
            return iso(value) if isinstance(value, datetime) else (value or "")

        def wanted(key: str) -> Any:
            value = raw[key]
            return iso(_parse_time(value)) if key == "estimated_resolution" and value else value

        kept = {k: raw[k] for k in PLAN_FIELDS if k in raw and wanted(k) != current(k)}
        return {**kept, **({"note": raw["note"]} if "note" in raw else {})} if kept else None
    return None if raw.get("to") == getattr(state, kind.removesuffix("_changed"), object()) else raw


def default_tier(severity: str) -> int:
    """The tier the routing policy starts this severity at (routing's public answer, so the table lives once)."""
    from escalation_kit.routing import determine_escalation

    return determine_escalation(severity).tier


def finished_at(s: EscalationState) -> datetime | None:
    """When a finished record stopped ageing (resolved, else de-escalated, else closed); None while it runs."""
    if s.status not in FINISHED:
        return None
    ended = s.resolved_at or s.de_escalated_at or s.closed_at
    return ended.astimezone(UTC) if ended else None


def _met(s: EscalationState, stop: datetime | None, due: datetime | None) -> int | None:
    """1/0 when the clock was stopped (a response, a pickup) in/after its target, 0 when the record finished after
    the target without it (it never came: a miss, not a gap in the data), None when there is nothing to judge yet."""
    if due is None:
        return None
    if stop is not None:
        return int(stop.astimezone(UTC) <= due.astimezone(UTC))
    ended = s.resolved_at or s.de_escalated_at or s.closed_at
    if s.status in FINISHED and ended is not None and ended.astimezone(UTC) > due.astimezone(UTC):
        return 0
    return None


def _pattern_rule(rule_id: str) -> dict[str, Any]:
    """One of seed 004's pattern criteria in routing.yaml (its window and threshold)."""
    return next(r for r in load_routing_policy()["next_tier"]["criteria"] if r["id"] == rule_id)

class Tracker:
    """Escalations over a Store; one instance per process (or per test)."""

    def __init__(self, store: Store | None = None) -> None:
        self.store = store or open_store()
        self._deferred: set[str] | None = None
        self._states: dict[str, EscalationState] | None = None
        self._refresh_stale()

    def _refresh_stale(self) -> None:
        """Rebuild the cached state from the log and recompute the cached columns of rows written by an older
        version (after a migration added columns, or a new version derives more from the same events)."""
        stale = self.store.all("SELECT id FROM escalations WHERE cache_version IS NULL OR cache_version < ?",
                               (CACHE_VERSION,))
        if stale:
            replay_ids = {r[0] for r in self.store.all(
                "SELECT DISTINCT escalation_id FROM events WHERE kind IN (" + ", ".join("?" * len(REPLAY_KINDS))
                + ")", REPLAY_KINDS)}
            with self.batch():
                for (esc_id,) in stale:
                    self._refresh(self._rebuilt(esc_id, esc_id in replay_ids))

    def _rebuilt(self, esc_id: str, events_changed: bool) -> EscalationState:
        """The state replayed from the log (kept for the batch to store) when this version derives more from its
        events; else, or if the log does not replay (verify reports that), the cached one."""
        cached = self._load(esc_id)
        if not events_changed and not cached.exec_level:
            return cached
        try:
            state = replay(self.events(esc_id))
        except InputError:
            return cached
        if self._states is not None:
            self._states[esc_id] = state
        return state

    def close(self) -> None:
        self.store.close()

    # ---------------------------------------------------------------- writes
    def open(self, new: NewEscalation | dict[str, Any], *, at: str | datetime | None = None, actor: str = "system",
             idempotency_key: str | None = None) -> EscalationState:
        """Create an escalation with the next ESC-YYYY-NNNN id and its 'created' event."""
        _check_actor(actor)
        refuse_nul(**(new if isinstance(new, dict) else {}))
        try:
            spec = new if isinstance(new, NewEscalation) else NewEscalation.model_validate(new)
        except ValidationError as exc:
            raise from_validation_error(exc) from exc
        parse_zone(spec.timezone, "timezone")
        if spec.vendor is not None:  # refused now, not at the vendor_case_filed that would need its catalog entry
            from escalation_kit.vendors import plan_ids

            plan_ids(spec.vendor)
        if spec.tier is None:
            spec = spec.model_copy(update={"tier": default_tier(spec.severity)})
        opened = _instant(at, "at")
        # the request as the caller sent it: a retry without `at` a second later is the same request
        request = {"op": "open", "spec": spec.model_dump(), "at": None if at is None else iso(opened), "actor": actor}

        def body() -> EscalationState:
            n = self.store.one("INSERT INTO id_counters (year, n) VALUES (?, 1) ON CONFLICT (year) "
                               "DO UPDATE SET n = id_counters.n + 1 RETURNING n", (opened.year,))[0]
            esc_id = f"ESC-{opened.year}-{n:04d}"
            payload = redact_payload(spec.model_dump(exclude_none=True))
            state = new_state(esc_id, opened, payload)
            digest = event_hash(esc_id, 1, "created", opened, actor, payload, GENESIS)
            state.version, state.last_hash = 1, digest
            self._insert_row(state)
            self._insert_event(esc_id, 1, "created", opened, actor, payload, idempotency_key, GENESIS, digest)
            if self._states is not None:
                self._states[esc_id] = state
            self._refresh(state)
            return state

        return self._write(idempotency_key, request, body)

    def record_event(self, escalation_id: str, kind: str, *, at: str | datetime | None = None, actor: str = "system",
                     payload: dict[str, Any] | None = None, expected_version: int | None = None,
                     idempotency_key: str | None = None) -> EscalationState:
        """Append one event (acknowledged, vendor_case_filed, paused, resolved...) after checking it is in order."""
        if kind not in RECORDABLE:
            other = "use update_escalation, add_action, complete_action or close_escalation" \
                if kind in EVENT_KINDS else "not an event kind"
            raise InputError("kind", f"{quote(kind)}: {other}", allowed=list(RECORDABLE))
        refuse_nul(payload=payload)
        return self._append(escalation_id, [(kind, _check_payload(payload))], at, actor, expected_version,
                            idempotency_key)

    def update(self, escalation_id: str, changes: dict[str, Any], *, at: str | datetime | None = None,
               actor: str = "system", reason: str | None = None, expected_version: int | None = None,
               idempotency_key: str | None = None) -> EscalationState:
        """Change status, owner, tier, executive level or severity (one event per changed field) and the next
        steps, estimated resolution and resolution plan (one plan_updated event for those)."""
        allowed = sorted(set(UPDATABLE) | set(PLAN_FIELDS))
        if not isinstance(changes, dict) or not changes:
            raise InputError("changes", "nothing to change", allowed=allowed)
        unknown = sorted(set(changes) - set(allowed))
        if unknown:
            raise InputError("changes", f"cannot change {', '.join(unknown)}", allowed=allowed)
        refuse_nul(**changes, reason=reason)
        entries = []
        for name in sorted(set(changes) & set(UPDATABLE)):
            payload: dict[str, Any] = {"to": changes[name]}
            if reason:
                payload["note"] = reason
            entries.append((UPDATABLE[name], payload))
        plan = _plan_payload({k: changes[k] for k in PLAN_FIELDS if k in changes})
        if plan:
            entries.append(("plan_updated", {**plan, **({"note": reason} if reason else {})}))
        return self._append(escalation_id, entries, at, actor, expected_version, idempotency_key, diff=True)

    def add_action(self, escalation_id: str, text: str, *, owner: str | None = None,
                   due_at: str | datetime | None = None, at: str | datetime | None = None, actor: str = "system",
                   expected_version: int | None = None, idempotency_key: str | None = None) -> EscalationState:
        """Add a follow-up action (id A1, A2...) with an owner and a due time."""
        if not isinstance(text, str) or not text.strip():
            raise InputError("text", "an action needs text")
        payload: dict[str, Any] = {"text": text[:2000], "owner": owner}
        if due_at is not None:
            payload["due_at"] = _instant(due_at, "due_at").isoformat()
        return self._append(escalation_id, [("action_added", payload)], at, actor, expected_version, idempotency_key)

    def complete_action(self, escalation_id: str, action_id: str, *, at: str | datetime | None = None,
                        actor: str = "system", expected_version: int | None = None,
                        idempotency_key: str | None = None) -> EscalationState:
        return self._append(escalation_id, [("action_done", {"action_id": action_id})], at, actor, expected_version,
                            idempotency_key)

    def close_escalation(self, escalation_id: str, *, at: str | datetime | None = None, actor: str = "system",
                         root_cause: str | None = None, expected_version: int | None = None,
                         idempotency_key: str | None = None) -> EscalationState:
        """Close (resolving first if it was not resolved): the record stays, read-only until reopened."""
        state = self._load(escalation_id)
        entries: list[tuple[str, dict[str, Any]]] = []
        extra = {"root_cause": root_cause} if root_cause else {}
        if state.resolved_at is None and state.status != "de_escalated":
            entries.append(("resolved", dict(extra)))
        entries.append(("closed", dict(extra)))
        return self._append(escalation_id, entries, at, actor, expected_version, idempotency_key)

    def archive_closed(self, before: str | datetime, *, at: str | datetime | None = None,
                       actor: str = "system") -> list[str]:
        """Archive every closed record closed before ``before`` (one 'archived' event each); the ids archived."""
        cutoff = _instant(before, "closed_before")
        rows = self.store.all("SELECT id FROM escalations WHERE status = 'closed' AND archived_at IS NULL "
                              "AND closed_at < ? ORDER BY id", (iso(cutoff),))
        when = _instant(at, "at")
        with self.batch():
            for (esc_id,) in rows:
                self._append(esc_id, [("archived", {})], when, actor, None, None)
        return [r[0] for r in rows]

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Many writes in one transaction, cached columns refreshed once per escalation at the end (bulk loads)."""
        with self.store.transaction():
            self._deferred, self._states = set(), {}
            try:
                yield
                states, self._states = self._states, None
                for state in states.values():
                    self.store.execute("UPDATE escalations SET version = ?, last_hash = ? WHERE id = ?",
                                       (state.version, state.last_hash, state.id))
                    self.store.execute("UPDATE escalation_states SET state = ? WHERE id = ?",
                                       (state.model_dump_json(), state.id))
                for esc_id in sorted(self._deferred):
                    self._deferred.discard(esc_id)
                    self._refresh(states.get(esc_id) or self._load(esc_id), force=True)
            finally:
                self._deferred, self._states = None, None

    # ---------------------------------------------------------------- write internals
    def _write(self, key: str | None, request: dict[str, Any], body: Any) -> EscalationState:
        if key is not None and (not isinstance(key, str) or not 1 <= len(key) <= 200):
            raise InputError("idempotency_key", "must be 1-200 characters")
        refuse_nul(idempotency_key=key)
        fingerprint = _fingerprint(request)
        for _attempt in range(8):
            try:
                with self.store.transaction():
                    if key:
                        self.store.lock_key(key)
                        row = self.store.one("SELECT request_hash, escalation_id FROM idempotency WHERE key = ?",
                                             (key,))
                        if row:
                            if row[0] != fingerprint:
                                raise InputError("idempotency_key", f"{quote(key)} was already used for a different "
                                                 "request; use a new key for a new write")
                            return self._load(row[1])
                    state = body()
                    if key:
                        self.store.execute("INSERT INTO idempotency (key, request_hash, escalation_id, result) "
                                           "VALUES (?, ?, ?, ?)", (key, fingerprint, state.id, str(state.version)))
                    return state
            except IntegrityConflict:
                if self.store.in_transaction:
                    raise
                continue
        raise InputError("idempotency_key", "the write kept colliding with concurrent writers; retry it")

    def _append(self, escalation_id: str, entries: list[tuple[str, dict[str, Any]]], at: str | datetime | None,
                actor: str, expected_version: int | None, key: str | None, diff: bool = False) -> EscalationState:
        when = _instant(at, "at")
        _check_actor(actor)
        for _kind, raw in entries:
            refuse_nul(**(raw if isinstance(raw, dict) else {}))
        request = {"op": "append", "id": escalation_id, "entries": entries, "at": None if at is None else iso(when),
                   "actor": actor,
                   "expected_version": expected_version}

        def body() -> EscalationState:
            state = self._load(escalation_id, lock=True)
            if expected_version is not None and expected_version != state.version:
                raise InputError("expected_version", f"{escalation_id} is at version {state.version}, not "
                                 f"{expected_version}: read it again and retry", allowed=[str(state.version)])
            check_time(state, when)
            seq, prev, old_version = state.version, state.last_hash, state.version
            for kind, raw in entries:
                if diff:
                    raw = _what_changes(state, kind, raw)
                    if raw is None:
                        continue
                payload = redact_payload(raw)
                state = apply(state, kind, when, payload)
                seq += 1
                digest = event_hash(escalation_id, seq, kind, when, actor, payload, prev)
                self._insert_event(escalation_id, seq, kind, when, actor, payload, key if seq == old_version + 1
                                   else None, prev, digest)
                prev = digest
            if seq == old_version:
                raise InputError("changes", "every field already has that value: nothing to record")
            state.version, state.last_hash = seq, prev
            self._save(state, old_version)
            return state

        return self._write(key, request, body)

    def _insert_row(self, s: EscalationState) -> None:
        self.store.execute(
            "INSERT INTO escalations (id, version, last_hash, status, severity, tier, opened_at, last_activity_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (s.id, s.version, s.last_hash, s.status, s.severity, s.tier, iso(s.opened_at), iso(s.last_activity_at)))
        self.store.execute("INSERT INTO escalation_states (id, state) VALUES (?, ?)", (s.id, s.model_dump_json()))

    def _insert_event(self, esc_id: str, seq: int, kind: str, at: datetime, actor: str, payload: dict[str, Any],
                      key: str | None, prev: str, digest: str) -> None:
        self.store.execute(
            "INSERT INTO events (escalation_id, seq, kind, at, actor, payload, idempotency_key, prev_hash, hash, "
            "recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (esc_id, seq, kind, iso(at), actor, json.dumps(payload, ensure_ascii=False, sort_keys=True), key, prev,
             digest, iso(_now())))

    def _save(self, state: EscalationState, old_version: int) -> None:
        if self._states is not None:  # inside a batch: one transaction holds the lock, rows are written at the end
            self._states[state.id] = state
            self._refresh(state)
            return
        changed = self.store.execute(
            "UPDATE escalations SET version = ?, last_hash = ? WHERE id = ? AND version = ?",
            (state.version, state.last_hash, state.id, old_version))
        if changed != 1:
            raise InputError("expected_version", f"{state.id} changed concurrently; read it again and retry")
        self.store.execute("UPDATE escalation_states SET state = ? WHERE id = ?", (state.model_dump_json(), state.id))
        self._refresh(state)

    def _refresh(self, s: EscalationState, force: bool = False) -> None:
        """Recompute the cached columns list_due and metrics read (deferred inside a batch)."""
        if self._deferred is not None and not force:
            self._deferred.add(s.id)
            return
        at = s.last_activity_at
        clocks = ck.compute_clocks(s, at)
        fr = next(c for c in clocks if c.name == "first_response")
        vendor = next((c for c in clocks if c.name == "vendor_response"), None)
        points = dl.checkpoints(s)
        attention = dl.attention_at(s, points)

        def t(v: datetime | None) -> str | None:
            return iso(v) if v is not None else None

        def since(v: datetime | None) -> float | None:
            return (v.astimezone(UTC) - s.opened_at.astimezone(UTC)).total_seconds() / 60 if v else None

        met = _met(s, s.first_response_at, fr.due_at)
        handoff = next((c for c in clocks if c.name == "handoff_response"), None)
        executive = next((c for c in clocks if c.name == "executive_response"), None)
        h_due, h_done = (handoff.due_at, s.handoff_accepted_at) if handoff else (None, None)
        x_due, x_done = (executive.due_at, s.exec_engaged_at) if executive else (None, None)

        self.store.execute(
            "UPDATE escalations SET status = ?, severity = ?, tier = ?, owner = ?, customer = ?, segment = ?, "
            "vendor = ?, category = ?, last_activity_at = ?, acknowledged_at = ?, first_response_at = ?, "
            "first_response_due = ?, vendor_filed_at = ?, vendor_responded_at = ?, vendor_due = ?, resolved_at = ?, "
            "de_escalated_at = ?, tier_raises = ?, reopened = ?, attention_at = ?, checkpoints = ?, ack_minutes = ?, "
            "resolve_minutes = ?, deesc_minutes = ?, fr_met = ?, archived_at = ?, closed_at = ?, opened_week = ?, "
            "handoff_due = ?, handoff_done = ?, handoff_met = ?, exec_due = ?, exec_done = ?, exec_met = ?, "
            "cache_version = ? "
            "WHERE id = ?",
            (s.status, s.severity, s.tier, s.owner, s.customer, s.segment, s.vendor, s.category,
             iso(s.last_activity_at), t(s.acknowledged_at), t(s.first_response_at), t(fr.due_at),
             t(s.case_filed_at), t(s.vendor_responded_at), t(vendor.due_at if vendor else None), t(s.resolved_at),
             t(s.de_escalated_at), s.tier_raises, s.reopened, t(attention), dl.dump_points(points),
             since(s.acknowledged_at), since(s.resolved_at), since(s.de_escalated_at), met, t(s.archived_at),
             t(s.closed_at), iso_week(s.opened_at), t(h_due), t(h_done), _met(s, h_done, h_due), t(x_due),
             t(x_done), _met(s, x_done, x_due), CACHE_VERSION, s.id))

    # ---------------------------------------------------------------- reads
    def _load(self, escalation_id: str, lock: bool = False) -> EscalationState:
        if self._states is not None and escalation_id in self._states:
            return self._states[escalation_id]
        if not isinstance(escalation_id, str) or len(escalation_id) > 40 or "\x00" in escalation_id:
            raise InputError("escalation_id", f"{quote(escalation_id)} is not an escalation id",
                             allowed=["ESC-YYYY-NNNN"])
        lock_sql = self.store.for_update if lock else ""
        row = self.store.one("SELECT state FROM escalation_states WHERE id = ?" + lock_sql, (escalation_id,))
        if row is None:
            raise InputError("escalation_id", f"no escalation {quote(escalation_id)}; list_escalations shows the ids",
                             allowed=["an existing ESC-YYYY-NNNN"])
        return EscalationState.model_validate_json(row[0])

    def events(self, escalation_id: str) -> list[Event]:
        self._load(escalation_id)
        rows = self.store.all("SELECT escalation_id, seq, kind, at, actor, payload, idempotency_key, prev_hash, hash "
                              "FROM events WHERE escalation_id = ? ORDER BY seq", (escalation_id,))
        return [Event(escalation_id=r[0], seq=r[1], kind=r[2], at=_parse_time(r[3]), actor=r[4],
                      payload=json.loads(r[5]), idempotency_key=r[6], prev_hash=r[7], hash=r[8]) for r in rows]

    def get(self, escalation_id: str, now: str | datetime | None = None) -> EscalationView:
        """State, every clock at ``now`` and the full timeline."""
        state = self._load(escalation_id)
        at = _instant(now, "now")
        return EscalationView(state=state, now=at, clocks=ck.compute_clocks(state, at),
                              timeline=self.events(escalation_id))

    def list(self, *, status: str | None = None, owner: str | None = None, customer: str | None = None,
             tier: int | None = None, severity: str | None = None, vendor: str | None = None,
             age: str | None = None, now: str | datetime | None = None, limit: int = 100,
             archived: str = "exclude") -> list[dict[str, Any]]:
        """Escalations matching every filter given, newest first; status 'active' means not finished; archived
        records only with archived='include' or 'only'."""
        at = _instant(now, "now")
        refuse_nul(status=status, owner=owner, customer=customer, vendor=vendor)
        where, params = [], []
        if archived not in ARCHIVED:
            raise InputError("archived", f"{quote(archived)} is not a choice", allowed=list(ARCHIVED))
        if ARCHIVED[archived]:
            where.append(ARCHIVED[archived])
        if status is not None and status != "active" and status not in STATUSES:
            raise InputError("status", f"{quote(status)} is not a status", allowed=["active", *STATUSES])
        if status == "active":
            where.append("e.status NOT IN ('resolved', 'de_escalated', 'closed')")
        elif status is not None:
            where.append("e.status = ?")
            params.append(status)
        if tier is not None and (isinstance(tier, bool) or tier not in (1, 2, 3, 4)):
            raise InputError("tier", f"{quote(tier)} is not a tier", allowed=["1", "2", "3", "4"])
        if severity is not None and severity not in SEVERITIES:
            raise InputError("severity", f"{quote(severity)} is not a severity", allowed=list(SEVERITIES))
        for name, value in (("owner", owner), ("customer", customer), ("tier", tier), ("severity", severity),
                            ("vendor", vendor)):
            if value is not None:
                where.append(f"e.{name} = ?")
                params.append(value)
        if age is not None:
            if age not in AGE_BUCKETS:
                raise InputError("age", f"{quote(age)} is not an age bucket", allowed=list(AGE_BUCKETS))
            lo, hi = AGE_BUCKETS[age]
            running, frozen = ["e.opened_at <= ?"], [f"{FROZEN_AGE} >= ?"]
            params += [iso(at - timedelta(minutes=lo))]
            if hi is not None:
                running.append("e.opened_at > ?")
                params.append(iso(at - timedelta(minutes=hi)))
            params.append(lo)
            if hi is not None:
                frozen.append(f"{FROZEN_AGE} < ?")
                params.append(hi)
            where.append(f"((e.status NOT IN {FINISHED_SQL} AND {' AND '.join(running)}) OR "
                         f"(e.status IN {FINISHED_SQL} AND {' AND '.join(frozen)}))")
        if not 1 <= limit <= 1000:
            raise InputError("limit", f"{limit} is out of range", allowed=["1 to 1000"])
        sql = "SELECT s.state FROM escalations e JOIN escalation_states s ON s.id = e.id"
        sql += " WHERE " + " AND ".join(where) if where else ""
        rows = self.store.all(sql + " ORDER BY e.opened_at DESC, e.id DESC LIMIT ?", (*params, limit))
        out = []
        for (raw,) in rows:
            s = EscalationState.model_validate_json(raw)
            ended = finished_at(s)
            out.append({"id": s.id, "title": s.title, "status": s.status, "severity": s.severity, "tier": s.tier,
                        "exec_level": s.exec_level, "owner": s.owner, "customer": s.customer, "vendor": s.vendor,
                        "opened_at": s.opened_at.isoformat(), "version": s.version,
                        "finished_at": ended.isoformat() if ended else None,
                        "age_minutes": round(((ended or at) - s.opened_at.astimezone(UTC)).total_seconds() / 60, 1)})
        return out

    def due(self, now: str | datetime | None = None, horizon_minutes: int = 0,
            include_notified: bool = False) -> list[DueItem]:
        """Everything due or late across open escalations (and due within the horizon), oldest first."""
        at = _instant(now, "now")
        if not 0 <= horizon_minutes <= 7 * 24 * 60:
            raise InputError("horizon_minutes", f"{horizon_minutes} is out of range", allowed=["0 to 10080"])
        horizon = timedelta(minutes=horizon_minutes)
        finished = ", ".join(f"'{s}'" for s in sorted(FINISHED))
        sql = (f"SELECT s.state, e.checkpoints FROM escalations e JOIN escalation_states s ON s.id = e.id "
               f"WHERE e.status NOT IN ({finished})")
        if include_notified:
            rows = self.store.all(sql)
        else:
            rows = self.store.all(sql + " AND e.attention_at <= ?", (iso(at + horizon),))
        items: list[DueItem] = []
        for raw, points in rows:
            state = EscalationState.model_validate_json(raw)
            items += dl.due_items(state, at, horizon, include_notified, dl.load_points(points) if points else None)
        return sorted(items, key=lambda i: (i.at.astimezone(UTC), i.escalation_id, i.key))

    def verify(self, escalation_id: str | None = None) -> dict[str, Any]:
        """Recompute every hash chain and replay every log; report each mismatch (tampering or a torn write)."""
        ids = [escalation_id] if escalation_id else [r[0] for r in self.store.all("SELECT id FROM escalations "
                                                                                   "ORDER BY id")]
        problems: list[str] = []
        total = 0
        for esc_id in ids:
            events = self.events(esc_id)
            total += len(events)
            prev = GENESIS
            for n, e in enumerate(events, start=1):
                if e.seq != n:
                    problems.append(f"{esc_id}: event {n} is missing (found seq {e.seq})")
                    break
                if e.prev_hash != prev or event_hash(esc_id, e.seq, e.kind, e.at, e.actor, e.payload,
                                                     e.prev_hash) != e.hash:
                    problems.append(f"{esc_id}: event {e.seq} ({e.kind}) does not match its hash chain")
                    break
                prev = e.hash
            cached = self._load(esc_id)
            try:
                rebuilt = replay(events)
            except InputError as exc:
                problems.append(f"{esc_id}: the log does not replay: {exc}")
                continue
            if rebuilt.model_dump() != cached.model_dump():
                problems.append(f"{esc_id}: the cached state differs from the replayed log")
        return {"ok": not problems, "escalations": len(ids), "events": total, "problems": problems}

    def metrics(self, date_from: str | datetime, date_to: str | datetime, group_by: list[str] | None = None,
                now: str | datetime | None = None, tickets: dict[str, int] | None = None) -> Metrics:
        """Escalation metrics for records opened in [date_from, date_to); with ``tickets`` (per category, from the
        ticketing system) also the escalation rate per category."""
        if tickets is not None and not isinstance(tickets, dict):
            raise InputError("tickets", f"expected an object of category: count, got {type(tickets).__name__}")
        return escalation_metrics(self.store, _day_or_instant(date_from, "date_from"),
                                  _day_or_instant(date_to, "date_to"), list(group_by or []), _instant(now, "now"),
                                  tickets)

    def export(self, escalation_id: str, language: str | None = None, timezone: str | None = None,
               kind: str = "escalation_tracking", facts: dict[str, Any] | None = None,
               now: str | datetime | None = None) -> BriefResult:
        """A document rendered from the stored record in en, ru or zh: seed 003's tracking document (default),
        or the post-mortem or de-escalation notice pre-filled from the record, with the caller's ``facts`` on top."""
        state = self._load(escalation_id)
        lang = language or state.language
        if lang not in LANGS:
            raise InputError("language", f"{quote(lang)} is not supported", allowed=list(LANGS))
        return export_document(state, self.events(escalation_id), kind, lang, timezone,  # type: ignore[arg-type]
                               facts, _instant(now, "now"))

    def history(self, customer: str, category: str | None = None, now: str | datetime | None = None) -> dict[str, int]:
        """The customer's escalations in the last 90 days and repeats (same category, if given) in the last 30."""
        refuse_nul(customer=customer, category=category)
        at = _instant(now, "now")
        since90, since30 = iso(at - timedelta(days=90)), iso(at - timedelta(days=30))
        n90 = self.store.one("SELECT COUNT(*) FROM escalations WHERE customer = ? AND opened_at >= ? "
                             "AND opened_at <= ?", (customer, since90, iso(at)))[0]
        sql = "SELECT COUNT(*) FROM escalations WHERE customer = ? AND opened_at >= ? AND opened_at <= ?"
        params: list[Any] = [customer, since30, iso(at)]
        if category:
            sql += " AND category = ?"
            params.append(category)
        out = {"escalations_90d": int(n90), "repeats_30d": int(self.store.one(sql, params)[0])}
        if category:
            out.update(self._pattern(customer, category, at))
        return out

    def account_health(self, customer: str, months: int = 6, categories: dict[str, Any] | None = None,
                       now: str | datetime | None = None) -> AccountHealth:
        """Seed 001's account health month by month: ticket_trends from the records, other categories given."""
        refuse_nul(customer=customer)
        return account_health(self.store, customer, _instant(now, "now"), months, categories)

    def shared_issues(self, now: str | datetime | None = None, days: int | None = None,
                      min_customers: int | None = None) -> list[dict[str, Any]]:
        """Issue categories reported by several customers in the window (seed 004's pattern trigger), most first;
        the window and the threshold default to routing.yaml's same_issue_customers criterion."""
        rule = _pattern_rule("same_issue_customers")
        days = rule["window_days"] if days is None else days
        least = rule["min_customers"] if min_customers is None else min_customers
        for name, value in (("days", days), ("min_customers", least)):
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 3650:
                raise InputError(name, f"{quote(value)} is not a whole number from 1 to 3650")
        at = _instant(now, "now")
        rows = self.store.all(
            "SELECT category, COUNT(DISTINCT customer), COUNT(*), MIN(opened_at), MAX(opened_at) FROM escalations "
            "WHERE category IS NOT NULL AND customer IS NOT NULL AND opened_at >= ? AND opened_at <= ? "
            "GROUP BY category HAVING COUNT(DISTINCT customer) >= ? ORDER BY COUNT(DISTINCT customer) DESC, category",
            (iso(at - timedelta(days=days)), iso(at), least))
        keys = ("category", "customers", "escalations", "first_opened_at", "last_opened_at")
        return [dict(zip(keys, (cat, int(n), int(count), first, last), strict=True))
                for cat, n, count, first, last in rows]

    def _pattern(self, customer: str, category: str, at: datetime) -> dict[str, int]:
        """Seed 004's pattern counts for an issue category, over the windows of their routing.yaml criteria
        (7 and 30 days): distinct customers with it, and this customer's escalations of it opened after one of
        it was resolved."""
        shared = iso(at - timedelta(days=_pattern_rule("same_issue_customers")["window_days"]))
        fixed_since = iso(at - timedelta(days=_pattern_rule("recurring_after_fix")["window_days"]))
        customers = self.store.one(
            "SELECT COUNT(DISTINCT customer) FROM escalations WHERE category = ? AND opened_at >= ? "
            "AND opened_at <= ? AND customer IS NOT NULL", (category, shared, iso(at)))[0]
        recurring = self.store.one(
            "SELECT COUNT(*) FROM escalations AS later WHERE later.customer = ? AND later.category = ? "
            "AND later.opened_at >= ? AND later.opened_at <= ? AND EXISTS (SELECT 1 FROM escalations AS fixed "
            "WHERE fixed.customer = later.customer AND fixed.category = later.category AND fixed.id <> later.id "
            "AND fixed.resolved_at IS NOT NULL AND fixed.resolved_at <= later.opened_at "
            "AND fixed.resolved_at >= ?)", (customer, category, fixed_since, iso(at), fixed_since))[0]
        return {"customers_same_issue": int(customers), "recurring_after_fix": int(recurring)}
