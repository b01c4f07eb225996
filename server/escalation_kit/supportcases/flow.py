"""Opening a case for a record and following its status, recorded in the tracker only once the vendor answered.

``record_filed`` appends ``vendor_case_filed`` (vendor, case id, case severity, plan) after the vendor
accepted the case, so a refused or failed call leaves the record untouched. ``poll`` reads the status of
each record's open vendor case and appends ``vendor_case_status`` once per change; when the policy says
the new status means the vendor responded, it also appends ``vendor_responded``, which stops the vendor
response clock (at the poll that saw it: an upper bound). A finished case status ends the polling.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from escalation_kit.errors import InputError
from escalation_kit.supportcases.apis import CaseAuthError, CaseError, Opened, SupportApi
from escalation_kit.supportcases.draft import CaseDraft
from escalation_kit.supportcases.policy import VENDORS, load_case_policy
from escalation_kit.tracker import EscalationState, Event
from escalation_kit.tracker.models import FINISHED
from escalation_kit.vendors.catalog import resolve_vendor

ACTOR = "supportcases"
LIST_LIMIT = 1000


def record_filed(tracker: Any, draft: CaseDraft, opened: Opened, at: datetime | None = None) -> EscalationState:
    """Link the vendor's case to the record: one vendor_case_filed event (retried safely: keyed by the case)."""
    payload: dict[str, Any] = {"vendor": draft.vendor, "case_id": opened.case_id,
                               "case_severity": draft.case_severity, "plan": draft.plan, "channel": "api"}
    if opened.status:
        payload["status"] = opened.status
    return tracker.record_event(draft.escalation_id, "vendor_case_filed", at=at, actor=ACTOR, payload=payload,
                                idempotency_key=f"{draft.escalation_id}:case:{draft.vendor}:{opened.case_id}")


def last_status(events: list[Event], case_id: str) -> tuple[str | None, int]:
    """The case's last recorded status (from its filing or a later change) and how many changes were recorded."""
    status, changes = None, 0
    for e in events:
        if e.payload.get("case_id") != case_id:
            continue
        if e.kind == "vendor_case_filed":
            status, changes = e.payload.get("status"), 0
        elif e.kind == "vendor_case_status":
            status, changes = e.payload.get("status"), changes + 1
    return status, changes


@dataclass
class PollResult:
    """What one poll did; ``auth_errors`` holds the vendors whose credentials were refused."""

    checked: int = 0
    changed: int = 0
    responded: int = 0
    failed: int = 0
    lines: list[str] = field(default_factory=list)
    auth_errors: set[str] = field(default_factory=set)


def _vendor_id(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return resolve_vendor(name).id
    except InputError:
        return None


def followed(tracker: Any, record_id: str | None) -> list[EscalationState]:
    """Records whose vendor case can be polled: a case id, a vendor with an API, not closed or archived."""
    if record_id is not None:
        states = [tracker.get(record_id).state]
    else:
        states = [tracker.get(r["id"]).state for r in tracker.list(limit=LIST_LIMIT) if r["status"] != "closed"]
    return [s for s in states if s.vendor_case_id and _vendor_id(s.vendor) in VENDORS and s.archived_at is None
            and s.status != "closed"]


def poll_record(tracker: Any, state: EscalationState, api: SupportApi, result: PollResult,
                now: datetime | None = None) -> None:
    """Read one record's case status; record a change once, and the vendor's response when the status says so."""
    case_id = str(state.vendor_case_id)
    policy = load_case_policy(api.name)
    before, changes = last_status(tracker.events(state.id), case_id)
    if before in policy.finished:
        return
    status = api.status(case_id)
    result.checked += 1
    if status != before:
        tracker.record_event(state.id, "vendor_case_status", at=now, actor=ACTOR,
                             payload={"vendor": api.name, "case_id": case_id, "status": status,
                                      **({"from": before} if before else {})},
                             idempotency_key=f"{state.id}:case:{case_id}:status:{changes + 1}:{status}")
        result.changed += 1
        result.lines.append(f"{state.id}: {api.name} case {case_id} is now {status}" +
                            (f" (was {before})" if before else ""))
    if (status in policy.responded and state.case_filed_at is not None and state.vendor_responded_at is None
            and state.status not in FINISHED):
        tracker.record_event(state.id, "vendor_responded", at=now, actor=ACTOR,
                             payload={"vendor": api.name, "case_id": case_id, "status": status},
                             idempotency_key=f"{state.id}:case:{case_id}:responded")
        result.responded += 1
        result.lines.append(f"{state.id}: {api.name} responded ({status}); the vendor response clock stopped")


def poll(tracker: Any, apis: Mapping[str, Callable[[], SupportApi]], record_id: str | None = None,
         now: datetime | None = None) -> PollResult:
    """One pass over the followed records; a vendor whose API cannot be built or refuses credentials is skipped."""
    result = PollResult()
    built: dict[str, SupportApi] = {}
    for state in followed(tracker, record_id):
        vendor = str(_vendor_id(state.vendor))
        if vendor in result.auth_errors:
            result.failed += 1
            continue
        if vendor not in built:
            try:
                built[vendor] = apis[vendor]()
            except (CaseError, InputError) as exc:  # no credentials or a bad base URL: the same for every case
                result.failed += 1
                result.auth_errors.add(vendor)
                result.lines.append(f"error: {vendor}: {exc}; its cases are skipped")
                continue
        try:
            poll_record(tracker, state, built[vendor], result, now)
        except CaseAuthError as exc:
            result.failed += 1
            result.auth_errors.add(vendor)
            result.lines.append(f"error: {state.id}: {exc}; the other {vendor} cases are skipped")
        except (CaseError, InputError) as exc:
            result.failed += 1
            result.lines.append(f"warning: {state.id}: {exc}; nothing recorded, retried next poll")
    return result
