"""One watch pass: every due item and notice to every target that takes it, each recorded once it was accepted.

An item that one target takes is recorded as ``reminder_fired`` with the item's key (as before, so
list_due stops listing it). An item that several targets take is recorded per target first
(``<key>#<target>``) and with its key once all of them accepted it, so a target that failed is retried
on the next pass without the others sending it again. Records carry idempotency keys, so a second
watcher that sent the same item cannot record it twice, and reads the records before sending.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from escalation_kit.errors import InputError
from escalation_kit.notify.notices import PD_RESOLVE, Notice, notices_for, recorded_keys
from escalation_kit.notify.policy import NotifyPolicy
from escalation_kit.notify.targets import DeliveryError, Target
from escalation_kit.oncall import Schedule, for_notice, for_tier

LIST_LIMIT = 1000
# Records whose notices watch looks for (a closed record takes only reminder_fired, the record of a sent notice).
RECORDABLE_STATUSES = ("active", "resolved", "de_escalated", "closed")


@dataclass
class PassResult:
    """What one pass did: deliveries accepted and deliveries failed, with a line per warning."""

    sent: int = 0
    failed: int = 0
    lines: list[str] = field(default_factory=list)


@dataclass
class Watch:
    """What a pass needs: the tracker, the targets, the clock, how to report, and the on-call schedule if any."""

    tracker: Any
    targets: Sequence[Target]
    policy: NotifyPolicy
    now: datetime | None = None
    horizon: int = 0
    notices: bool = True
    warned: set[str] = field(default_factory=set)
    schedule: Schedule | None = None


def _candidates(w: Watch, now: datetime) -> dict[str, str]:
    """Records whose log can hold a notice: every active one, and those finished within the notice window."""
    since = now - timedelta(minutes=w.policy.max_age_minutes)
    found: dict[str, str] = {}
    for status in RECORDABLE_STATUSES:
        for row in w.tracker.list(status=status, now=now, limit=LIST_LIMIT):
            ended = row.get("finished_at")
            if status == "active" or (ended and datetime.fromisoformat(ended) >= since):
                found[row["id"]] = row["status"]
    return found


def _record(w: Watch, item: Any, key: str, channel: str, result: PassResult) -> None:
    try:
        w.tracker.record_event(item.escalation_id, "reminder_fired", at=w.now, actor="watch",
                               payload={"key": key, "channel": channel}, idempotency_key=f"reminder:{key}")
    except InputError as exc:  # e.g. another watcher recorded it differently, or the record closed meanwhile
        result.lines.append(f"warning: sent {key} but could not record it: {exc}")


def _deliver(w: Watch, item: Any, recorded: set[str], result: PassResult) -> None:
    """Send one item to each target that takes it and has not had it; record what was accepted."""
    takers = [t for t in w.targets if t.accepts(item)]
    if not takers or item.key in recorded:
        return
    done = {t.name for t in takers if f"{item.key}#{t.name}" in recorded}
    for target in takers:
        if target.name in done:
            continue
        try:
            target.deliver(item)
        except DeliveryError as exc:
            result.failed += 1
            result.lines.append(f"warning: {target.name} failed for {item.key}: {exc}; not recorded, retried "
                                "next pass")
            continue
        result.sent += 1
        done.add(target.name)
        if len(takers) > 1:
            _record(w, item, f"{item.key}#{target.name}", target.name, result)
    if done == {t.name for t in takers}:
        _record(w, item, item.key, ",".join(sorted(done)), result)


def addressed(w: Watch, notice: Notice, now: datetime) -> Notice:
    """The notice with the on-call people its kind, tier and executive level call for at ``now`` (sending time)."""
    if w.schedule is None or notice.kind == PD_RESOLVE or notice.kind not in w.schedule.notices:
        return notice
    people = for_notice(w.schedule, notice.kind, notice.tier, now, notice.level)
    return replace(notice, recipients=tuple(people))


def addressed_due(w: Watch, item: Any, now: datetime) -> Any:
    """A due item as a Notice addressed to the people on call for its tier at ``now``; unchanged without a schedule."""
    if w.schedule is None:
        return item
    return Notice(escalation_id=item.escalation_id, key=item.key, kind=item.kind, at=item.at,
                  severity=str(item.severity), tier=item.tier, title=item.title, message=item.message,
                  next_step=item.next_step, owner=item.owner,
                  recipients=tuple(for_tier(w.schedule, item.tier, now)))


def one_pass(w: Watch) -> PassResult:
    """Deliver every due item and (unless turned off) every notice not yet recorded, oldest first per record."""
    now = (w.now or datetime.now(UTC)).astimezone(UTC)
    result = PassResult()
    by_record: dict[str, list[Any]] = {}
    for item in w.tracker.due(now, w.horizon):
        by_record.setdefault(item.escalation_id, []).append(item)
    statuses = _candidates(w, now) if w.notices or any(t.name == "pagerduty" for t in w.targets) else {}
    for esc_id in sorted(set(by_record) | set(statuses)):
        events = w.tracker.events(esc_id)
        recorded = recorded_keys(events)
        found = notices_for(events, now, w.policy) if esc_id in statuses else []
        if not w.notices:
            found = [n for n in found if n.kind == "pagerduty_resolve"]
        found = [addressed(w, n, now) for n in found if n.key not in recorded]
        due = [addressed_due(w, i, now) for i in by_record.get(esc_id, []) if i.key not in recorded]
        for item in sorted([*due, *found], key=lambda i: i.at.astimezone(UTC)):
            _deliver(w, item, recorded, result)
    return result
