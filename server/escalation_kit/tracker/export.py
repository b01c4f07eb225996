"""The seed-003 tracking document rendered from the record by the existing ``escalation_tracking`` templates."""

from __future__ import annotations

from functools import cache
from typing import Any

from escalation_kit.briefs import BriefResult, format_escalation_brief
from escalation_kit.datafiles import load_yaml
from escalation_kit.paths import prompts_dir
from escalation_kit.tracker.models import EscalationState, Event
from escalation_kit.vocab import Lang


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
        "timeline": [{"at": e.at.isoformat(), "event": _line(lang, e, state.title)}
                     for e in events if e.kind != "reminder_fired"],
        "actions": [{"action": a.text, "owner": a.owner, "due": a.due_at.isoformat() if a.due_at else None,
                     "done": a.done_at is not None} for a in state.actions.values()],
        "communication_log": comms,
        "resolution_plan": "\n\n".join(x for x in (state.resolution_plan or plan or state.root_cause,
                                                    state.next_steps) if x) or None,
        "eta": state.estimated_resolution,
    }


def export_tracking(state: EscalationState, events: list[Event], lang: Lang, timezone: str | None) -> BriefResult:
    return format_escalation_brief(tracking_facts(state, events, lang), kind="escalation_tracking", language=lang,
                                   timezone=timezone or state.timezone)
