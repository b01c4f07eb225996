"""One sync pass: each tracked escalation gets a ticket, and each new event is pushed to it once.

What was done is recorded in the tracker through its public API, as ``ticket_synced`` events on the
channel of the system (a kind a finished or closed record still takes; logs written before it existed hold
the same payloads as ``reminder_fired``, and are read as well), only after the system accepted the call:

- ``ESC-…:ticket:<system>:link`` holds the ticket (``ticket``: Jira key or ServiceNow sys_id, ``label``,
  ``upto``: the last event its creation reflected);
- ``ESC-…:ticket:<system>:<seq>`` says event ``seq`` was pushed (one comment or work note, and the
  ticket's state and priority brought in line with the record as of that event).

A pass that dies between the system's answer and the tracker's record is repaired by the next: a
ticket opened but not recorded is found again (Jira label, ServiceNow correlation_id), and a comment
posted but not recorded is found by the marker it ends with, so nothing is opened or posted twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from escalation_kit.errors import DataError, InputError
from escalation_kit.ticketing.client import AuthError, TicketError
from escalation_kit.ticketing.systems import Remote, System, Ticket, Wanted
from escalation_kit.tracker import EscalationState, Event
from escalation_kit.tracker.events import apply, new_state

LIST_LIMIT = 1000
STATUS_GROUPS = ("active", "resolved", "de_escalated", "closed")
ACTOR = "tickets"


@dataclass
class SyncResult:
    """What one pass did; ``auth_error`` is set when the system rejected the credentials (the pass stopped)."""

    created: int = 0
    linked: int = 0
    pushed: int = 0
    failed: int = 0
    mismatches: int = 0
    auth_error: str | None = None
    lines: list[str] = field(default_factory=list)


@dataclass
class Sync:
    """What a pass needs: the tracker, the system, the clock, and whether to read the ticket's state back."""

    tracker: Any
    system: System
    now: datetime | None = None
    pull: bool = False


def link_key(esc_id: str, system: str) -> str:
    return f"{esc_id}:ticket:{system}:link"


def push_key(esc_id: str, system: str, seq: int) -> str:
    return f"{esc_id}:ticket:{system}:{seq}"


def recorded(events: list[Event], system: str) -> dict[str, dict[str, Any]]:
    """Payloads of this system's records in the log, by key."""
    return {str(e.payload.get("key")): e.payload for e in events
            if e.kind in ("ticket_synced", "reminder_fired") and e.payload.get("channel") == system}


def walk(events: list[Event]) -> list[tuple[Event, EscalationState]]:
    """Each event with the record's state right after it, by the tracker's own replay rules."""
    first = events[0]
    state = new_state(first.escalation_id, first.at, first.payload)
    out = [(first, state)]
    for e in events[1:]:
        state = apply(state, e.kind, e.at, e.payload)
        out.append((e, state))
    return out


def wanted(state: EscalationState, events: list[Event]) -> Wanted:
    return Wanted(escalation_id=state.id, title=state.title, severity=state.severity, tier=state.tier,
                  status=state.status, owner=state.owner, description=events[0].payload.get("description"),
                  root_cause=state.root_cause)


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "not recorded"


def comment(s: Sync, e: Event, state: EscalationState, marker: str) -> str:
    """The comment for one event: what happened (the policy's line), where the record stands now, its note."""
    values = _Blank({k: v for k, v in e.payload.items() if isinstance(v, str | int | float) and v != ""})
    values["actor"] = e.actor
    try:
        what = s.system.policy.comments[e.kind].format_map(values)
    except (ValueError, IndexError, AttributeError) as exc:
        raise DataError(f"references/policy/ticketing.yaml: comments.{e.kind} is not a valid template: {exc}") \
            from None
    lines = [f"{e.escalation_id}: {what}",
             f"Now {state.status}, {state.severity}, tier {state.tier}, owner {state.owner or 'unassigned'} "
             f"(at {e.at.astimezone(UTC).strftime('%Y-%m-%d %H:%M UTC')}, by {e.actor})."]
    if isinstance(e.payload.get("note"), str) and e.payload["note"].strip():
        lines.append(f"Note: {e.payload['note'].strip()}")
    return "\n".join([*lines, marker])


def _record(s: Sync, esc_id: str, key: str, payload: dict[str, Any], now: datetime, result: SyncResult) -> bool:
    try:
        s.tracker.record_event(esc_id, "ticket_synced", at=now, actor=ACTOR,
                               payload={"key": key, "channel": s.system.name, **payload},
                               idempotency_key=f"ticket:{key}")
    except InputError as exc:  # another syncer recorded it differently, or the record was archived meanwhile
        result.lines.append(f"warning: {s.system.name}: {esc_id}: done in {s.system.name} but not recorded "
                            f"({key}): {exc}")
        return False
    return True


def candidates(s: Sync, now: datetime) -> dict[str, bool]:
    """Records to look at, each with whether it is still active (only those get a new ticket)."""
    since = now - timedelta(days=s.system.policy.finished_window_days)
    found: dict[str, bool] = {}
    for status in STATUS_GROUPS:
        for row in s.tracker.list(status=status, now=now, limit=LIST_LIMIT):
            ended = row.get("finished_at")
            if status == "active" or (ended and datetime.fromisoformat(ended) >= since):
                found[row["id"]] = status == "active"
    return found


def _link(s: Sync, esc_id: str, steps: list[tuple[Event, EscalationState]], events: list[Event], now: datetime,
          result: SyncResult) -> tuple[Ticket, Remote] | None:
    """Find or open the record's ticket, bring it in line with the record as of ``upto``, then record the link.

    The link is recorded last, so a ticket whose first alignment failed is found again next pass and retried."""
    ticket = s.system.find(esc_id)
    if ticket is None:
        ticket = s.system.create(wanted(steps[-1][1], events), upto=events[-1].seq)
        result.created += 1
    remote = s.system.read(ticket)
    at_upto = [st for e, st in steps if e.seq <= ticket.upto] or [steps[0][1]]
    s.system.align(ticket, remote, wanted(at_upto[-1], events))
    if not _record(s, esc_id, link_key(esc_id, s.system.name), {"ticket": ticket.id, "label": ticket.label,
                                                                "upto": ticket.upto}, now, result):
        return None
    result.linked += 1
    return ticket, remote


def sync_record(s: Sync, esc_id: str, active: bool, now: datetime, result: SyncResult) -> None:
    """Link one record to its ticket if it has none, then push every event not yet pushed, oldest first."""
    events = s.tracker.events(esc_id)
    done = recorded(events, s.system.name)
    steps = walk(events)
    link = done.get(link_key(esc_id, s.system.name))
    remote: Remote | None = None
    if link is None:
        if not active:
            return
        made = _link(s, esc_id, steps, events, now, result)
        if made is None:
            return
        ticket, remote = made
    else:
        ticket = Ticket(id=str(link["ticket"]), label=str(link.get("label") or link["ticket"]),
                        upto=int(link.get("upto") or 0))
    policy = s.system.policy
    pending = [(e, st) for e, st in steps if e.seq > ticket.upto and e.kind in policy.comments
               and push_key(esc_id, s.system.name, e.seq) not in done]
    if not pending and not s.pull:
        return
    remote = remote or s.system.read(ticket)
    for e, st in pending:
        key = push_key(esc_id, s.system.name, e.seq)
        marker = policy.marker.format(key=key)
        s.system.push(ticket, remote, wanted(st, events), comment(s, e, st, marker), marker)
        if _record(s, esc_id, key, {"ticket": ticket.id, "event": e.seq}, now, result):
            result.pushed += 1
    if s.pull:
        _pull(s, ticket, remote, steps, events, now, result)


def _pull(s: Sync, ticket: Ticket, remote: Remote, steps: list[tuple[Event, EscalationState]],
          events: list[Event], now: datetime, result: SyncResult) -> None:
    """Record, once per ticket state and record event, that the ticket's state differs from the record's."""
    policy = s.system.policy
    last = [(e, st) for e, st in steps if e.kind in policy.comments or e.seq == 1][-1]
    state = steps[-1][1]
    expected = s.system.target_state(wanted(state, events))
    if state.status == "closed" or remote.state.casefold() == expected.casefold():
        return
    key = f"{state.id}:ticket:{s.system.name}:mismatch:{last[0].seq}:{remote.state}"
    if any(e.kind == "note" and e.payload.get("key") == key for e in events):
        return
    text = (f"{s.system.name} {ticket.label} is in state {remote.state!r} while the record is {state.status} "
            f"(expected {expected!r}); change one of them")
    try:
        s.tracker.record_event(state.id, "note", at=now, actor=ACTOR, payload={"text": text, "key": key,
                                                                              "channel": s.system.name},
                               idempotency_key=f"ticket:{key}")
    except InputError as exc:
        result.lines.append(f"warning: {s.system.name}: {state.id}: mismatch not recorded: {exc}")
        return
    result.mismatches += 1
    result.lines.append(f"mismatch: {text}")


def one_pass(s: Sync) -> SyncResult:
    """Sync every candidate record, oldest id first; a record that fails is reported and retried next pass."""
    now = (s.now or datetime.now(UTC)).astimezone(UTC)
    result = SyncResult()
    for esc_id, active in sorted(candidates(s, now).items()):
        try:
            sync_record(s, esc_id, active, now, result)
        except AuthError as exc:
            result.failed += 1
            result.auth_error = f"{s.system.name}: {esc_id}: {exc}"
            result.lines.append(f"error: {result.auth_error}; the pass stopped")
            break
        except TicketError as exc:
            result.failed += 1
            result.lines.append(f"warning: {s.system.name}: {esc_id}: {exc}; not recorded, retried next pass")
        except InputError as exc:  # the record changed under us (archived, say) or its log does not replay
            result.failed += 1
            result.lines.append(f"warning: {s.system.name}: {esc_id}: cannot sync this record: {exc}")
    return result
