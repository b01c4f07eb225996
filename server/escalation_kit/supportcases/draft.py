"""What a support case says, built from a tracker record and the case severity the vendor catalog gives.

``draft_case`` checks everything that would make the vendor refuse or the tracker refuse to record the
case (an archived, finished or already-cased record, a vendor without an API integration, a plan that
offers no case at this level or no API) before anything is sent, so ``--dry-run`` finds the same
problems ``--send`` would.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from escalation_kit.errors import DataError, InputError, quote
from escalation_kit.supportcases.policy import VENDORS, CasePolicy, load_case_policy
from escalation_kit.timezones import parse_zone
from escalation_kit.tracker import EscalationState, Event
from escalation_kit.tracker.models import FINISHED
from escalation_kit.vendors import pick_vendor_support_path
from escalation_kit.vendors.catalog import resolve_vendor

NO_DESCRIPTION = "(no description recorded)"


@dataclass(frozen=True)
class CaseDraft:
    """One case to open: for which record, at which vendor and plan, at which case severity, with what text."""

    escalation_id: str
    vendor: str
    plan: str
    severity: str
    case_severity: str
    case_severity_name: str
    subject: str
    body: str
    language: str
    timezone: str
    policy: CasePolicy
    opened_at: datetime
    known_cases: tuple[str, ...] = ()
    ordinal: int = 1


def check_record(state: EscalationState) -> None:
    """The record can take a vendor case now (the tracker's own rules, checked before the vendor is called)."""
    if state.archived_at is not None:
        raise InputError("RECORD_ID", f"{state.id} is archived; unarchive it before opening a vendor case")
    if state.status in FINISHED:
        raise InputError("RECORD_ID", f"{state.id} is {state.status}; reopen it before opening a vendor case")
    if state.case_filed_at is not None and state.vendor_responded_at is None:
        raise InputError("RECORD_ID", f"{state.id} already has an open vendor case ({state.vendor_case_id}); "
                         "follow it with `escalation-kit cases poll`")


def pick_vendor(state: EscalationState, vendor: str | None) -> str:
    """The vendor named on the command line, else the record's; they must agree when both are given."""
    chosen = (vendor or state.vendor or "").strip()
    if not chosen:
        raise InputError("--vendor", f"{state.id} names no vendor: pass --vendor", allowed=list(VENDORS))
    return chosen


def _canonical(vendor: str) -> str:
    """The catalog id of a vendor name as recorded (the name itself when the catalog does not know it)."""
    try:
        return resolve_vendor(vendor).id
    except InputError:
        return vendor


def _values(state: EscalationState, events: list[Event], path: Any) -> dict[str, Any]:
    described = events[0].payload.get("description") if events else None
    opened = state.opened_at.astimezone(parse_zone(state.timezone))
    return {"id": state.id, "severity": state.severity, "title": state.title, "tier": state.tier,
            "opened_at": opened.strftime("%Y-%m-%d %H:%M %Z"), "timezone": state.timezone,
            "description": described if isinstance(described, str) and described.strip() else NO_DESCRIPTION,
            "case_severity": path.case_severity.api_code, "case_severity_name": path.case_severity.name,
            "mapping_reason": path.mapping_reason or "the catalog's mapping for this level"}


def fitted_subject(policy: CasePolicy, values: dict[str, Any]) -> str:
    """The subject on one line within the limit, shortening the title (never the record id, which a repair
    after a killed send looks for)."""
    def render(title: str) -> str:
        return " ".join(policy.subject.format(**{**values, "title": title}).split())

    subject, title = render(values["title"]), " ".join(str(values["title"]).split())
    excess = len(subject) - policy.subject_max
    if excess > 0:
        subject = render(title[: max(len(title) - excess - 1, 0)].rstrip() + "…")
    return subject[: policy.subject_max]


def draft_case(state: EscalationState, events: list[Event], vendor: str | None = None,
               plan: str | None = None) -> CaseDraft:
    """The case for this record: the catalog's case severity for its P level and plan, worded by the policy."""
    check_record(state)
    chosen = _canonical(pick_vendor(state, vendor))
    if vendor and state.vendor and _canonical(state.vendor) != chosen:
        raise InputError("--vendor", f"{state.id} is about vendor {state.vendor!r}, not {chosen!r}",
                         allowed=[state.vendor])
    if chosen not in VENDORS:
        raise InputError("--vendor", f"{quote(chosen)} has no support API integration", allowed=list(VENDORS))
    path = pick_vendor_support_path(chosen, state.severity, plan or state.plan)
    if path.case_severity is None or not path.available:
        raise InputError("--plan", f"{path.plan_name} offers no case for {state.severity}: {path.note}".rstrip(": "))
    if not any(c.kind == "api" for c in path.open_case):
        raise InputError("--plan", f"{path.plan_name} cannot open {path.vendor_name} cases through the API; "
                         "open it in the console and record it with `escalation-kit track event`")
    if not path.case_severity.api_code:
        raise DataError(f"references/vendors/{path.vendor}.yaml: the level {path.case_severity.name!r} has no api_code")
    policy = load_case_policy(path.vendor)
    values = _values(state, events, path)
    subject = fitted_subject(policy, values)
    return CaseDraft(escalation_id=state.id, vendor=path.vendor, plan=path.plan, severity=state.severity,
                     case_severity=str(path.case_severity.api_code), case_severity_name=path.case_severity.name,
                     subject=subject, body=policy.body.format(**values).strip(), language=state.language,
                     timezone=state.timezone, policy=policy, opened_at=state.opened_at,
                     known_cases=tuple(str(e.payload.get("case_id")) for e in events if e.kind == "vendor_case_filed"),
                     ordinal=1 + sum(1 for e in events if e.kind == "vendor_case_filed"))
