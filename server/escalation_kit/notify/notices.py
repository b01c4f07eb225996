"""The stakeholder notices a record's event log calls for, and the PagerDuty resolve it still owes.

Read from the log, not the cached state, so each notice has the stable key of the event behind it
(``ESC-…:notice:<seq>:<kind>``): a later pass, or another watcher, sees it recorded and sends nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from escalation_kit.notify.policy import NotifyPolicy
from escalation_kit.oncall import Holder
from escalation_kit.routing.policy import load_routing_policy
from escalation_kit.tracker import Event

PD_RESOLVE = "pagerduty_resolve"
PD_CHANNEL = "pagerduty"
NEXT_STEPS = {
    "tier_raised": "The receiving tier picks it up and records handoff_accepted; brief them with the tier handoff "
                   "document.",
    "exec_level_raised": "The executive responds and it is recorded as executive_engaged; send them the executive "
                         "notification.",
    "de_escalated": "The extra people can stand down; tell the customer and close the record when it is done.",
    "resolved": "Confirm with the customer, then de-escalate and close the record.",
    PD_RESOLVE: "Nothing: the page is resolved because the tracker says the escalation is.",
}


@dataclass(frozen=True)
class Notice:
    """One notice, shaped like a due item (id, kind, key, time, severity, tier, title, message, next step).

    ``recipients`` are the on-call people it is addressed to, resolved when it is sent (empty without a
    schedule); ``level`` is the record's executive level, which some notices also tell.
    """

    escalation_id: str
    key: str
    kind: str
    at: datetime
    severity: str
    tier: int
    title: str
    message: str
    next_step: str
    owner: str | None = None
    level: int = 0
    recipients: tuple[Holder, ...] = ()


def channels_of(payload: dict[str, Any]) -> set[str]:
    """The targets a reminder_fired event says it went to (``channel`` is one name or several, comma-joined)."""
    return set(str(payload.get("channel") or "").split(","))


def recorded_keys(events: Sequence[Event]) -> set[str]:
    """Every key recorded as sent in this log."""
    return {str(e.payload.get("key")) for e in events if e.kind == "reminder_fired"}


def _tier_label(tier: int) -> str:
    label = load_routing_policy()["tiers"].get(tier, {}).get("label")
    return label or f"tier {tier}"


def _level_label(level: int) -> str:
    title = load_routing_policy()["executive_levels"].get(level, {}).get("title")
    return f"executive level {level} ({title})" if title else f"executive level {level}"


def _text(kind: str, before: int, after: int, payload: dict[str, Any]) -> str:
    if kind == "tier_raised":
        return f"raised from tier {before} to {_tier_label(after)}"
    if kind == "exec_level_raised":
        return f"raised from executive level {before} to {_level_label(after)}"
    cause = payload.get("root_cause")
    word = "de-escalated" if kind == "de_escalated" else "resolved"
    return f"{word}; root cause: {cause}" if cause else word


class _Walk:
    """The running values a notice needs while the log is read in order."""

    def __init__(self, first: Event) -> None:
        p = first.payload
        self.id, self.title = first.escalation_id, str(p.get("title") or "")
        self.severity, self.owner = str(p.get("severity")), p.get("owner")
        self.tier, self.level = int(p.get("tier") or 1), int(p.get("exec_level") or 0)
        self.paged = False  # a trigger went to PagerDuty and no resolve since
        self.finish: Event | None = None  # the first resolved/de_escalated since the last reopen

    def notice(self, e: Event, kind: str, message: str) -> Notice:
        return Notice(escalation_id=self.id, key=f"{self.id}:notice:{e.seq}:{kind}", kind=kind, at=e.at,
                      severity=self.severity, tier=self.tier, title=self.title, message=message,
                      next_step=NEXT_STEPS[kind], owner=self.owner, level=self.level)


def _step(w: _Walk, e: Event) -> Notice | None:
    """Advance the walk by one event; the notice it calls for, if any."""
    p, kind = e.payload, e.kind
    if kind == "severity_changed":
        w.severity = str(p.get("to") or w.severity)
    elif kind == "owner_changed":
        w.owner = p.get("to")
    elif kind in ("tier_changed", "exec_level_changed") and isinstance(p.get("to"), int):
        attr = "tier" if kind == "tier_changed" else "level"
        before, after = getattr(w, attr), p["to"]
        setattr(w, attr, after)
        if after > before:
            name = "tier_raised" if attr == "tier" else "exec_level_raised"
            return w.notice(e, name, _text(name, before, after, p))
    elif kind in ("resolved", "de_escalated"):
        w.finish = w.finish or e
        return w.notice(e, kind, _text(kind, 0, 0, p))
    elif kind == "reopened":
        w.finish = None  # the page, if any, stays open: the escalation is live again
    elif kind == "reminder_fired" and PD_CHANNEL in channels_of(p):
        w.paged = f":{PD_CHANNEL}:resolve:" not in str(p.get("key"))
    return None


def notices_for(events: Sequence[Event], now: datetime, policy: NotifyPolicy) -> list[Notice]:
    """The policy's notices for events no older than its window, and a PagerDuty resolve if a page is still open
    for a record that has since been resolved or de-escalated (sent or not: the caller checks the keys)."""
    if not events:
        return []
    walk = _Walk(events[0])
    since = now - timedelta(minutes=policy.max_age_minutes)
    out = []
    for e in events[1:]:
        found = _step(walk, e)
        if found is not None and found.kind in policy.notice_kinds and e.at >= since:
            out.append(found)
    if walk.paged and walk.finish is not None:
        f = walk.finish
        out.append(Notice(escalation_id=walk.id, key=f"{walk.id}:{PD_CHANNEL}:resolve:{f.seq}", kind=PD_RESOLVE,
                          at=f.at, severity=walk.severity, tier=walk.tier, title=walk.title,
                          message=f"{f.kind.replace('_', '-')} in the tracker", next_step=NEXT_STEPS[PD_RESOLVE],
                          owner=walk.owner))
    return out
