"""What needs attention: SLA warnings at 50 %/75 %, breaches, overdue updates and actions, stalled records.

``checkpoints`` lists every instant at which an escalation will need someone, with a stable key; the
store caches the earliest one not yet reminded (``attention_at``), so ``list_due`` reads only the
escalations that can have something due instead of replaying every open record.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from escalation_kit.sla.policy import load_sla_policy
from escalation_kit.tracker import clocks as ck
from escalation_kit.tracker.events import iso
from escalation_kit.tracker.models import FINISHED, DueItem, EscalationState

NEXT_STEPS = {
    "at_risk_50": "Check progress with the owner; hand off to the next tier if the fix is not in sight (seed 001).",
    "at_risk_75": "Escalate now: page the next tier or the team lead before the target is missed.",
    "breach": "Target missed: tell the customer when the next update comes and raise the executive level.",
    "vendor_step": "The vendor has not responded: take the playbook step now and record it as a note.",
    "customer_update": "Send the customer an update, even without news, and record customer_update_sent.",
    "internal_update": "Post an internal update to stakeholders and record internal_update.",
    "stalled": "No activity for longer than the tier's response target: ping the owner, then their manager.",
    "action": "Ping the action's owner; if it was already reminded, ask their manager.",
    "eta": "Tell the customer a new estimate and why, then record it (track update --eta).",
}
# The handoff and executive clocks wait on someone else picking the case up: their own next step at every threshold.
CLOCK_STEPS = {
    "handoff_response": "The receiving tier has not picked the handoff up: page its on-call or lead, then record "
                        "handoff_accepted.",
    "executive_response": "The executive has not responded: reach them directly or their deputy, then record "
                          "executive_engaged.",
}
THRESHOLDS = ("at_risk_50", "at_risk_75", "breach")


@dataclass(frozen=True)
class Checkpoint:
    key: str
    at: datetime
    kind: str
    clock: str | None
    message: str


def _u(value: datetime) -> datetime:
    return value.astimezone(UTC)


def tier_minutes(tier: int) -> int:
    """The tier's response target from the workflow-tiers policy (seed 002): the stall threshold."""
    step = load_sla_policy().policies["workflow-tiers"].step(f"tier-{tier}")
    return step.minutes if step else 240


def _clock_points(state: EscalationState, name: str, res, start: datetime, stop: datetime | None) -> list[Checkpoint]:
    """50 %, 75 % and breach instants of a running, unpaused clock, moved later by pauses so far."""
    if stop is not None or ck._is_paused(state, name):
        return []
    cal = ck._calendar(state, res)
    paused = ck._minutes(ck._pauses(state, name, start, datetime.max.replace(tzinfo=UTC)), cal)
    points = []
    for t in res.escalation_triggers:
        if t.kind in THRESHOLDS:
            at = ck._shift(t.at, paused, cal)
            points.append(Checkpoint(f"{state.id}:{name}:{t.kind}", at, t.kind, name,
                                     f"{name.replace('_', ' ')} clock: {t.label}"))
    return points


def _fixed_points(state: EscalationState) -> list[Checkpoint]:
    """50 %, 75 % and breach of the running handoff and executive clocks; the start is in the key, so a new
    handoff or level is reminded afresh."""
    points = []
    for name, start, stop, target in ck.fixed_clocks(state):
        if stop is not None:
            continue
        stamp = _u(start).strftime("%Y%m%dT%H%M%S")
        for t in load_sla_policy().risk_thresholds:
            points.append(Checkpoint(f"{state.id}:{name}@{stamp}:{t.kind}",
                                     _u(start) + timedelta(minutes=target.minutes * t.percent / 100), t.kind, name,
                                     f"{name.replace('_', ' ')} clock: {t.label} ({target.label})"))
        points.append(Checkpoint(f"{state.id}:{name}@{stamp}:breach", _u(start) + timedelta(minutes=target.minutes),
                                 "breach", name, f"{name.replace('_', ' ')} target missed: {target.label}"))
    return points


def checkpoints(state: EscalationState) -> list[Checkpoint]:
    """Every instant this escalation needs someone, whether or not it was already reminded."""
    if state.status in FINISHED:
        return []
    fr = ck.first_response_sla(state)
    points = _clock_points(state, "first_response", fr, state.opened_at, state.first_response_at)
    vr = ck.vendor_sla(state)
    if vr is not None and state.case_filed_at is not None:
        points += _clock_points(state, "vendor_response", vr, state.case_filed_at, state.vendor_responded_at)
        for n, t in enumerate(ck.vendor_triggers(state, vr, None)):
            if t["fires"]:
                points.append(Checkpoint(f"{state.id}:vendor_response:step{n + 1}", t["at"], "vendor_step",
                                         "vendor_response", t["label"]))
    for kind in ("customer_update", "internal_update"):
        found = ck.update_sla(state, kind)
        if found is not None and not ck._is_paused(state, kind):
            base, _res, due = found
            paused = ck._minutes(ck._pauses(state, kind, base, datetime.max.replace(tzinfo=UTC)), None)
            at = ck._shift(due, paused, None)
            points.append(Checkpoint(f"{state.id}:{kind}:{iso(at)}", at, kind, kind, f"{kind.replace('_', ' ')} due"))
    points += _fixed_points(state)
    stalled_at = _u(state.last_activity_at) + timedelta(minutes=tier_minutes(state.tier))
    points.append(Checkpoint(f"{state.id}:stalled:{iso(state.last_activity_at)}", stalled_at, "stalled", None,
                             f"no activity since {iso(state.last_activity_at)} (tier {state.tier} target "
                             f"{tier_minutes(state.tier)} min)"))
    if state.estimated_resolution is not None:
        eta = _u(state.estimated_resolution)
        points.append(Checkpoint(f"{state.id}:eta:{iso(eta)}", eta, "eta", None,
                                 f"estimated resolution {iso(eta)} passed and {state.id} is not resolved"))
    for action in state.actions.values():
        if action.due_at is not None and action.done_at is None:
            points.append(Checkpoint(f"{state.id}:action:{action.id}", action.due_at, "action", None,
                                     f"action {action.id} overdue: {action.text} (@{action.owner or 'unassigned'})"))
    return points


def _superseded(point: Checkpoint, reminded: set[str]) -> bool:
    """A 50 % warning is moot once the 75 % or breach reminder for the same clock went out."""
    if point.kind not in THRESHOLDS:
        return False
    prefix = point.key.rsplit(":", 1)[0]
    later = THRESHOLDS[THRESHOLDS.index(point.kind) + 1:]
    return any(f"{prefix}:{k}" in reminded for k in later)


def attention_at(state: EscalationState, points: list[Checkpoint] | None = None) -> datetime | None:
    """The earliest checkpoint not yet reminded: list_due needs to look at this record from then on."""
    reminded = set(state.reminders)
    points = checkpoints(state) if points is None else points
    pending = [p.at for p in points if p.key not in reminded and not _superseded(p, reminded)]
    return min((_u(a) for a in pending), default=None)


def dump_points(points: list[Checkpoint]) -> str:
    """Checkpoints as JSON for the escalations.checkpoints cache (they do not depend on 'now')."""
    return json.dumps([[p.key, iso(p.at), p.kind, p.clock, p.message] for p in points], ensure_ascii=False)


def load_points(text: str) -> list[Checkpoint]:
    return [Checkpoint(k, datetime.fromisoformat(a.replace("Z", "+00:00")), kind, clock, msg)
            for k, a, kind, clock, msg in json.loads(text)]


def due_items(state: EscalationState, now: datetime, horizon: timedelta, include_notified: bool,
              points: list[Checkpoint] | None = None) -> list[DueItem]:
    """The due list of one escalation: per clock only its highest threshold reached (or the next one)."""
    reminded = set(state.reminders)
    limit = _u(now) + horizon
    best: dict[str, Checkpoint] = {}
    items = []
    for p in sorted(checkpoints(state) if points is None else points, key=lambda p: _u(p.at)):
        if _u(p.at) > limit:
            continue
        if p.kind in THRESHOLDS:
            prefix = p.key.rsplit(":", 1)[0]
            if _u(p.at) <= _u(now) or prefix not in best:
                best[prefix] = p
            continue
        items.append(p)
    items += best.values()
    out = []
    for p in sorted(items, key=lambda p: _u(p.at)):
        notified = p.key in reminded or _superseded(p, reminded)
        if notified and not include_notified:
            continue
        out.append(DueItem(
            escalation_id=state.id, kind=p.kind if _u(p.at) <= _u(now) else f"upcoming_{p.kind}", key=p.key,
            at=p.at, severity=state.severity, tier=state.tier, owner=state.owner, title=state.title,
            message=p.message, next_step=CLOCK_STEPS.get(p.clock or "", NEXT_STEPS[p.kind]), already_notified=notified,
        ))
    return out
