"""Documents rendered from a stored record: seed 003's tracking document, and the post-mortem and de-escalation
notice (seeds 001 and 002) pre-filled from the record, so the timeline, times and criteria are never retyped.

What only the caller knows (root causes, attendees, lessons) comes in as extra facts and wins over the record.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from escalation_kit.briefs import BriefResult
from escalation_kit.datafiles import load_yaml
from escalation_kit.errors import InputError, quote
from escalation_kit.paths import prompts_dir
from escalation_kit.tools import format_escalation_brief as render_published  # carries the notice's decision
from escalation_kit.tracker.models import NOTICE_KINDS, EscalationState, Event
from escalation_kit.vocab import RECORD_DOC_KINDS, Lang


@cache
def labels() -> dict[str, dict[str, str]]:
    """How each event reads on the timeline, per language (prompts/escalation_tracking/timeline.yaml)."""
    return load_yaml(prompts_dir() / "escalation_tracking" / "timeline.yaml")


COMMS = {"first_response_sent": "customer", "customer_update_sent": "customer", "internal_update": "internal",
         "vendor_case_filed": "vendor", "vendor_responded": "vendor"}


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def _line(lang: str, e: Event, title: str) -> str:
    fields = _Blank({k: v for k, v in e.payload.items() if isinstance(v, str | int)})
    fields.setdefault("title", title)
    return " ".join(labels()[lang][e.kind].format_map(fields).split()) or e.kind


def tracking_facts(state: EscalationState, events: list[Event], lang: Lang) -> dict[str, Any]:
    """The escalation_tracking facts for one record: timeline, actions, communication log, plan."""
    status = "resolved" if state.status in ("resolved", "de_escalated", "closed") else (
        "escalated" if state.status == "escalated" else "active")
    comms = [{"at": e.at.isoformat(), "audience": COMMS[e.kind], "channel": e.payload.get("channel"),
              "summary": e.payload.get("summary") or e.payload.get("text") or _line(lang, e, state.title)}
             for e in events if e.kind in COMMS]
    plan = next((e.payload.get("text") for e in reversed(events) if e.kind == "note" and e.payload.get("plan")), None)
    return {
        "title": state.title if not state.customer else f"{state.customer}: {state.title}",
        "type": state.type,
        "level": labels()[lang]["level"].format(tier=state.tier, exec=state.exec_level),
        "status": status,
        "ticket_id": state.id,
        "timeline": _timeline(state, events, lang),
        "actions": [{"action": a.text, "owner": a.owner, "due": a.due_at.isoformat() if a.due_at else None,
                     "done": a.done_at is not None} for a in state.actions.values()],
        "communication_log": comms,
        "resolution_plan": "\n\n".join(x for x in (state.resolution_plan or plan or state.root_cause,
                                                    state.next_steps) if x) or None,
        "eta": state.estimated_resolution,
    }


def _timeline(state: EscalationState, events: list[Event], lang: Lang) -> list[dict[str, str]]:
    return [{"at": e.at.isoformat(), "event": _line(lang, e, state.title)} for e in events
            if e.kind not in NOTICE_KINDS]


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at else None


def post_mortem_facts(state: EscalationState, events: list[Event], lang: Lang) -> dict[str, Any]:
    """The post-mortem's facts the record knows: what, how bad, for whom, when, the timeline and the root cause."""
    return {"summary": state.title, "severity": state.severity, "incident_id": state.id, "customer": state.customer,
            "detected_at": _iso(state.opened_at), "resolved_at": _iso(state.resolved_at),
            "timeline": _timeline(state, events, lang), "root_cause_technical": state.root_cause}


def record_criteria(state: EscalationState) -> dict[str, Any]:
    """The de-escalation criteria a record answers by itself: a fix once resolved, the root cause if recorded,
    a recurrence while it is reopened and unresolved; None where the record cannot tell."""
    resolved = state.resolved_at is not None
    return {"fix_applied": True if resolved else None, "root_cause_found": True if state.root_cause else None,
            "recurrence": (state.reopened > 0 and not resolved) or (False if resolved else None)}


def deescalation_facts(state: EscalationState, events: list[Event], lang: Lang, now: datetime) -> dict[str, Any]:
    """The notice's facts the record knows; the decision itself is the policy's (tools.format_escalation_brief)."""
    told = [e for e in events if e.kind == "customer_update_sent" and e.at >= (state.resolved_at or state.opened_at)]
    return {
        "summary": state.title, "severity": state.severity, "escalation_id": state.id,
        "escalated_to": state.target_team or labels()[lang]["level" if state.exec_level else "tier"].format(
            tier=state.tier, exec=state.exec_level),
        "resolution": {**record_criteria(state), "root_cause": state.root_cause},
        "fixed_at": _iso(state.resolved_at),
        "decided_at": _iso(state.de_escalated_at or max(now, state.resolved_at or now)),
        "owner": state.owner,
        "customer_update": (told[-1].payload.get("summary") or told[-1].payload.get("text")) if told else None,
    }


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """The record's facts with the caller's on top; nested objects merge key by key, nulls from the record drop."""
    out = {k: v for k, v in base.items() if v is not None}
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            value = {**{k: v for k, v in out[key].items() if v is not None}, **value}
        out[key] = value
    return out


def export_document(state: EscalationState, events: list[Event], kind: str, lang: Lang, timezone: str | None,
                    extra: dict[str, Any] | None, now: datetime) -> BriefResult:
    """One of RECORD_DOC_KINDS from the record plus the caller's extra facts, through the published renderer."""
    if kind not in RECORD_DOC_KINDS:
        raise InputError("kind", f"{quote(kind)} cannot be built from a record", allowed=list(RECORD_DOC_KINDS))
    if extra is not None and not isinstance(extra, dict):
        raise InputError("facts", f"expected an object, got {type(extra).__name__}")
    base = {"escalation_tracking": lambda: tracking_facts(state, events, lang),
            "post_mortem": lambda: post_mortem_facts(state, events, lang),
            "deescalation_notice": lambda: deescalation_facts(state, events, lang, now)}[kind]()
    return render_published(_merge(base, extra or {}), kind=kind, language=lang, timezone=timezone or state.timezone)
