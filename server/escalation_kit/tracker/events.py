"""The event log's rules: redaction before storage, the hash chain, and replaying events into state.

``apply`` is the single place that knows what each event does to an escalation and which events
are out of order; it raises InputError (naming the field) before anything is written.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from escalation_kit.briefs import Redactor
from escalation_kit.errors import InputError
from escalation_kit.tracker.models import (
    FINISHED,
    NOTICE_KINDS,
    PLAN_FIELDS,
    STATUSES,
    Action,
    EscalationState,
    Event,
)
from escalation_kit.vocab import SEVERITIES

GENESIS = "0" * 64
# Payload keys that hold identifiers or enumerations, not free text: never masked.
STRUCTURED_KEYS = frozenset({
    "type", "severity", "tier", "exec_level", "target_team", "owner", "customer", "segment", "category", "vendor",
    "plan", "case_id", "case_severity", "language", "timezone", "calendar", "status", "reason", "action_id",
    "due_at", "key", "from", "to", "opened_at", "audience", "channel", "estimated_resolution",
})


def utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def iso(value: datetime) -> str:
    """Fixed-width UTC text, so comparing the text compares the instants (SQLite and Postgres alike)."""
    return utc(value).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def redact_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """Mask secrets and personal data in every free-text value of a payload (one Redactor per event)."""
    redactor = Redactor()

    def walk(value: Any, path: str) -> Any:
        if isinstance(value, str):
            return value if path.rsplit(".", 1)[-1] in STRUCTURED_KEYS else redactor.text(value, path)
        if isinstance(value, dict):
            return {k: walk(v, f"{path}.{k}" if path else str(k)) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, path) for v in value]
        return value

    return walk(payload, "")


def event_hash(escalation_id: str, seq: int, kind: str, at: datetime, actor: str, payload: dict[str, Any],
               prev_hash: str) -> str:
    """SHA-256 over the event's canonical JSON and the previous hash: editing any stored event breaks the chain."""
    body = json.dumps(
        [escalation_id, seq, kind, iso(at), actor, payload, prev_hash],
        sort_keys=True, ensure_ascii=False, separators=(",", ":"),
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _when(payload: dict[str, Any], key: str) -> datetime | None:
    value = payload.get(key)
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _require_open(state: EscalationState, kind: str) -> None:
    if state.status == "closed" and kind not in NOTICE_KINDS:  # the closing may still be told
        raise InputError("kind", f"{state.id} is closed; only 'reopened' may follow", allowed=["reopened"])
    if state.status in FINISHED and kind not in ("note", "reminder_fired", "closed", "reopened", "customer_update_sent",
                                                 "internal_update", "action_done", "de_escalated",
                                                 "vendor_case_status", "ticket_synced"):
        raise InputError("kind", f"{state.id} is {state.status}; reopen it before recording {kind}",
                         allowed=["reopened", "note", "closed"])


def check_time(state: EscalationState, at: datetime) -> None:
    """An event may not predate the escalation's opening."""
    if utc(at) < utc(state.opened_at):
        raise InputError("at", f"{iso(at)} is before {state.id} was opened ({iso(state.opened_at)})",
                         allowed=[f"a time at or after {iso(state.opened_at)}"])


def new_state(esc_id: str, at: datetime, payload: dict[str, Any]) -> EscalationState:
    """The state right after the 'created' event."""
    fields = {k: v for k, v in payload.items() if k in EscalationState.model_fields and k != "opened_at"}
    state = EscalationState(id=esc_id, opened_at=at, last_activity_at=at, status="open", **fields)
    if state.exec_level:
        state.exec_at = at  # opened with an executive involved: that level's response clock starts now
    return state


def apply(state: EscalationState, kind: str, at: datetime, payload: dict[str, Any]) -> EscalationState:
    """The state after one more event, or an InputError when the event is out of order (state unchanged)."""
    check_time(state, at)
    if kind == "created":
        raise InputError("kind", f"{state.id} already exists; 'created' is only its first event")
    if state.archived_at is not None and kind != "unarchived":
        raise InputError("kind", f"{state.id} is archived; record 'unarchived' before {kind}", allowed=["unarchived"])
    if kind not in ("reopened", "archived", "unarchived"):
        _require_open(state, kind)
    s = state.model_copy(deep=True)
    handler = _HANDLERS.get(kind)
    if handler is None:
        raise InputError("kind", f"{kind!r} is not an event kind")
    handler(s, at, payload)
    if kind not in NOTICE_KINDS:  # telling someone about the record is not activity on it
        s.last_activity_at = max(utc(s.last_activity_at), utc(at))
    return s


def _acknowledged(s: EscalationState, at: datetime, p: dict[str, Any]) -> None:
    if s.acknowledged_at is not None:
        raise InputError("kind", f"{s.id} was already acknowledged at {iso(s.acknowledged_at)}")
    s.acknowledged_at = at
    if s.status == "open":
        s.status = "acknowledged"


def _first_response(s: EscalationState, at: datetime, p: dict[str, Any]) -> None:
    if s.first_response_at is not None:
        raise InputError("kind", f"{s.id} already has its first response ({iso(s.first_response_at)})",
                         allowed=["customer_update_sent"])
    s.first_response_at = at
    s.last_customer_update_at = at
    if s.acknowledged_at is None:
        s.acknowledged_at = at
    if s.status in ("open", "acknowledged"):
        s.status = "in_progress"


def _vendor_case(s: EscalationState, at: datetime, p: dict[str, Any]) -> None:
    if s.case_filed_at is not None and s.vendor_responded_at is None:
        raise InputError("kind", f"{s.id} already has an open vendor case ({s.vendor_case_id})")
    s.case_filed_at, s.vendor_responded_at = at, None
    s.vendor_case_id = p.get("case_id") or s.vendor_case_id
    s.vendor_case_severity = p.get("case_severity") or s.vendor_case_severity
    s.vendor = p.get("vendor") or s.vendor
    s.plan = p.get("plan") or s.plan


def _vendor_responded(s: EscalationState, at: datetime, p: dict[str, Any]) -> None:
    if s.case_filed_at is None:
        raise InputError("kind", f"{s.id} has no vendor case yet: record vendor_case_filed first",
                         allowed=["vendor_case_filed"])
    if s.vendor_responded_at is not None:
        raise InputError("kind", f"the vendor already responded at {iso(s.vendor_responded_at)}")
    if utc(at) < utc(s.case_filed_at):
        raise InputError("at", f"the vendor cannot respond before the case was filed ({iso(s.case_filed_at)})")
    s.vendor_responded_at = at


def _vendor_case_status(s: EscalationState, at: datetime, p: dict[str, Any]) -> None:
    """The vendor's case moved to a new status (read from the vendor's API): the log keeps it, the state
    does not change (the vendor response clock stops only at vendor_responded)."""
    if s.vendor_case_id is None:
        raise InputError("kind", f"{s.id} has no vendor case yet: record vendor_case_filed first",
                         allowed=["vendor_case_filed"])
    if p.get("case_id") != s.vendor_case_id:
        raise InputError("payload.case_id", f"{p.get('case_id')!r} is not the case of {s.id}",
                         allowed=[s.vendor_case_id])
    if not isinstance(p.get("status"), str) or not p["status"]:
        raise InputError("payload.status", "a case status change needs the new status")


def _paused(s: EscalationState, at: datetime, p: dict[str, Any]) -> None:
    if s.paused_since is not None:
        raise InputError("kind", f"{s.id} is already paused since {iso(s.paused_since)}", allowed=["resumed"])
    reason = p.get("reason")
    if reason not in ("awaiting_customer", "awaiting_vendor"):
        raise InputError("payload.reason", f"{reason!r} is not a pause reason",
                         allowed=["awaiting_customer", "awaiting_vendor"])
    s.paused_since, s.pause_reason = at, reason


def _resumed(s: EscalationState, at: datetime, p: dict[str, Any]) -> None:
    if s.paused_since is None or s.pause_reason is None:
        raise InputError("kind", f"{s.id} is not paused", allowed=["paused"])
    if utc(at) < utc(s.paused_since):
        raise InputError("at", f"resumed before the pause began ({iso(s.paused_since)})")
    s.pauses.append((s.paused_since, at, s.pause_reason))
    s.paused_since, s.pause_reason = None, None


def _customer_update(s: EscalationState, at: datetime, p: dict[str, Any]) -> None:
    s.last_customer_update_at = at
    if s.first_response_at is None:
        _first_response(s, at, p)


def _internal_update(s: EscalationState, at: datetime, p: dict[str, Any]) -> None:
    s.last_internal_update_at = at


def _status(s: EscalationState, at: datetime, p: dict[str, Any]) -> None:
    to = p.get("to")
    if to not in STATUSES or to in ("resolved", "closed", "de_escalated"):
        raise InputError("status", f"{to!r} cannot be set directly",
                         allowed=[x for x in STATUSES if x not in ("resolved", "closed", "de_escalated")])
    s.status = to


def _owner(s: EscalationState, at: datetime, p: dict[str, Any]) -> None:
    s.owner = p.get("to")


def _tier(s: EscalationState, at: datetime, p: dict[str, Any]) -> None:
    to = p.get("to")
    if not isinstance(to, int) or not 1 <= to <= 4:
        raise InputError("tier", f"{to!r} is not a tier", allowed=["1", "2", "3", "4"])
    if to > s.tier:
        s.tier_raises += 1
        s.status = "escalated" if s.status not in FINISHED else s.status
        s.handoff_at, s.handoff_to, s.handoff_accepted_at = at, to, None  # seed 001: the next tier picks it up
    elif s.handoff_to is not None and to < s.handoff_to and s.handoff_accepted_at is None:
        s.handoff_at = s.handoff_to = None  # moved back down before anyone picked it up: nothing is owed
    s.tier = to


def _exec_level(s: EscalationState, at: datetime, p: dict[str, Any]) -> None:
    to = p.get("to")
    if not isinstance(to, int) or not 0 <= to <= 4:
        raise InputError("exec_level", f"{to!r} is not an executive level", allowed=["0", "1", "2", "3", "4"])
    if to > s.exec_level:
        s.exec_at, s.exec_engaged_at = at, None  # seed 001: the level's response time runs from now
    elif to == 0:
        s.exec_at = s.exec_engaged_at = None
    s.exec_level = to


def _handoff_accepted(s: EscalationState, at: datetime, p: dict[str, Any]) -> None:
    """The receiving tier picked the handoff up: stops the handoff clock."""
    if s.handoff_at is None or s.handoff_accepted_at is not None:
        raise InputError("kind", f"{s.id} has no tier handoff waiting; raise the tier first", allowed=["tier_changed"])
    s.handoff_accepted_at = at


def _executive_engaged(s: EscalationState, at: datetime, p: dict[str, Any]) -> None:
    """The executive of the current level responded: stops the executive clock."""
    if s.exec_at is None or s.exec_engaged_at is not None:
        raise InputError("kind", f"{s.id} has no executive level waiting for a response; raise exec_level first",
                         allowed=["exec_level_changed"])
    s.exec_engaged_at = at


def _severity(s: EscalationState, at: datetime, p: dict[str, Any]) -> None:
    to = p.get("to")
    if to not in SEVERITIES:
        raise InputError("severity", f"{to!r} is not a severity", allowed=list(SEVERITIES))
    s.severity = to


def _action_added(s: EscalationState, at: datetime, p: dict[str, Any]) -> None:
    action_id = f"A{len(s.actions) + 1}"
    s.actions[action_id] = Action(id=action_id, text=p.get("text", ""), owner=p.get("owner"),
                                  due_at=_when(p, "due_at"), added_at=at)


def _action_done(s: EscalationState, at: datetime, p: dict[str, Any]) -> None:
    action_id = p.get("action_id")
    action = s.actions.get(action_id) if isinstance(action_id, str) else None
    if action is None:
        raise InputError("action_id", f"{action_id!r} is not an action of {s.id}", allowed=sorted(s.actions) or None)
    if action.done_at is not None:
        raise InputError("action_id", f"{action_id} is already done ({iso(action.done_at)})")
    action.done_at = at


def _reminder(s: EscalationState, at: datetime, p: dict[str, Any]) -> None:
    key = p.get("key")
    if not isinstance(key, str) or not key:
        raise InputError("payload.key", "a reminder needs the due item's key")
    if key not in s.reminders:
        s.reminders.append(key)


def _ticket_synced(s: EscalationState, at: datetime, p: dict[str, Any]) -> None:
    """The record (or one of its events) reached a ticketing system: the log keeps it, the state does not change."""
    for name in ("key", "channel"):
        if not isinstance(p.get(name), str) or not p[name]:
            raise InputError(f"payload.{name}", f"a ticket sync needs its {name} (the sync key and the system's name)")


def _finish(status: str):
    def handler(s: EscalationState, at: datetime, p: dict[str, Any]) -> None:
        if status == "resolved" and s.resolved_at is not None:
            raise InputError("kind", f"{s.id} is already resolved ({iso(s.resolved_at)})", allowed=["reopened"])
        if status == "de_escalated" and s.de_escalated_at is not None:
            raise InputError("kind", f"{s.id} is already de-escalated")
        if status == "closed" and s.paused_since is not None:
            s.pauses.append((s.paused_since, at, s.pause_reason or "awaiting_customer"))
            s.paused_since, s.pause_reason = None, None
        setattr(s, f"{status}_at", at)
        s.root_cause = p.get("root_cause") or s.root_cause
        if status == "de_escalated" and s.resolved_at is not None:
            return  # de-escalation after resolution keeps the status resolved for reports
        s.status = status  # type: ignore[assignment]
    return handler


def _reopened(s: EscalationState, at: datetime, p: dict[str, Any]) -> None:
    if s.status not in FINISHED:
        raise InputError("kind", f"{s.id} is {s.status}, not resolved or closed: nothing to reopen")
    s.status, s.reopened = "in_progress", s.reopened + 1
    s.resolved_at = s.closed_at = s.de_escalated_at = None


def _plan_updated(s: EscalationState, at: datetime, p: dict[str, Any]) -> None:
    """Next steps, estimated resolution and resolution plan: each key present replaces it ('' clears it)."""
    given = [k for k in PLAN_FIELDS if k in p]
    if not given:
        raise InputError("payload", "a plan update needs next_steps, estimated_resolution or resolution_plan",
                         allowed=list(PLAN_FIELDS))
    for key in given:
        value = p[key] or None
        setattr(s, key, _when(p, key) if key == "estimated_resolution" and value else value)


def _archived(s: EscalationState, at: datetime, p: dict[str, Any]) -> None:
    """Archive a closed record (seed 002): it leaves the default lists and takes no event until unarchived."""
    if s.status != "closed":
        raise InputError("kind", f"{s.id} is {s.status}: only a closed record can be archived; close it first",
                         allowed=["closed"])
    if s.closed_at is not None and utc(at) < utc(s.closed_at):
        raise InputError("at", f"{s.id} was closed at {iso(s.closed_at)}: it cannot be archived before that")
    s.archived_at = at


def _unarchived(s: EscalationState, at: datetime, p: dict[str, Any]) -> None:
    if s.archived_at is None:
        raise InputError("kind", f"{s.id} is not archived", allowed=["archived"])
    s.archived_at = None


def _note(s: EscalationState, at: datetime, p: dict[str, Any]) -> None:
    if not p.get("text"):
        raise InputError("payload.text", "a note needs text")


_HANDLERS = {
    "acknowledged": _acknowledged, "first_response_sent": _first_response, "vendor_case_filed": _vendor_case,
    "vendor_responded": _vendor_responded, "paused": _paused, "resumed": _resumed,
    "customer_update_sent": _customer_update, "internal_update": _internal_update, "status_changed": _status,
    "owner_changed": _owner, "tier_changed": _tier, "exec_level_changed": _exec_level,
    "severity_changed": _severity, "action_added": _action_added, "action_done": _action_done,
    "reminder_fired": _reminder, "ticket_synced": _ticket_synced, "resolved": _finish("resolved"),
    "de_escalated": _finish("de_escalated"),
    "closed": _finish("closed"), "reopened": _reopened, "note": _note, "plan_updated": _plan_updated,
    "archived": _archived, "unarchived": _unarchived, "handoff_accepted": _handoff_accepted,
    "executive_engaged": _executive_engaged, "vendor_case_status": _vendor_case_status,
}


def replay(events: list[Event]) -> EscalationState:
    """Rebuild an escalation's state from its whole log (the cached state must equal this)."""
    if not events or events[0].kind != "created":
        raise InputError("events", "a log must start with 'created'")
    first = events[0]
    state = new_state(first.escalation_id, first.at, first.payload)
    for e in events[1:]:
        state = apply(state, e.kind, e.at, e.payload)
    state.version, state.last_hash = events[-1].seq, events[-1].hash
    return state
