"""The seed-003 tracking document rendered from the record by the existing ``escalation_tracking`` templates."""

from __future__ import annotations

from typing import Any

from escalation_kit.briefs import BriefResult, format_escalation_brief
from escalation_kit.tracker.models import EscalationState, Event
from escalation_kit.vocab import Lang

# How each event reads on the timeline, per language; {p} fields come from the event's payload.
LABELS: dict[str, dict[str, str]] = {
    "en": {
        "created": "Escalation received: {title}", "acknowledged": "Escalation acknowledged",
        "first_response_sent": "First response sent to the customer", "status_changed": "Status changed to {to}",
        "owner_changed": "Owner changed to {to}", "tier_changed": "Moved to tier {to}",
        "exec_level_changed": "Executive level {to}", "severity_changed": "Severity changed to {to}",
        "note": "Note: {text}", "vendor_case_filed": "Vendor case filed {case_id}",
        "vendor_responded": "Vendor responded", "customer_update_sent": "Customer update sent",
        "internal_update": "Internal update", "paused": "Clock paused ({reason})", "resumed": "Clock resumed",
        "action_added": "Action added: {text}", "action_done": "Action {action_id} done",
        "reminder_fired": "Reminder sent", "de_escalated": "De-escalated", "resolved": "Resolved",
        "closed": "Closed", "reopened": "Reopened", "level": "Tier {tier}, executive level {exec}",
    },
    "ru": {
        "created": "Эскалация получена: {title}", "acknowledged": "Эскалация принята",
        "first_response_sent": "Клиенту отправлен первый ответ", "status_changed": "Статус изменён на {to}",
        "owner_changed": "Новый ответственный: {to}", "tier_changed": "Передано на уровень {to}",
        "exec_level_changed": "Уровень руководства {to}", "severity_changed": "Приоритет изменён на {to}",
        "note": "Заметка: {text}", "vendor_case_filed": "Открыто обращение к вендору {case_id}",
        "vendor_responded": "Вендор ответил", "customer_update_sent": "Клиенту отправлено обновление",
        "internal_update": "Внутреннее обновление", "paused": "Отсчёт приостановлен ({reason})",
        "resumed": "Отсчёт возобновлён", "action_added": "Добавлено действие: {text}",
        "action_done": "Действие {action_id} выполнено", "reminder_fired": "Отправлено напоминание",
        "de_escalated": "Эскалация снята", "resolved": "Решено", "closed": "Закрыто", "reopened": "Открыто снова",
        "level": "Уровень {tier}, уровень руководства {exec}",
    },
    "zh": {
        "created": "收到升级：{title}", "acknowledged": "已确认升级", "first_response_sent": "已向客户发送首次响应",
        "status_changed": "状态变更为 {to}", "owner_changed": "负责人变更为 {to}", "tier_changed": "升级至第 {to} 级",
        "exec_level_changed": "管理层级别 {to}", "severity_changed": "严重级别变更为 {to}", "note": "备注：{text}",
        "vendor_case_filed": "已向厂商提交工单 {case_id}", "vendor_responded": "厂商已响应",
        "customer_update_sent": "已向客户发送进展", "internal_update": "内部进展通报", "paused": "计时暂停（{reason}）",
        "resumed": "计时恢复", "action_added": "新增行动项：{text}", "action_done": "行动项 {action_id} 已完成",
        "reminder_fired": "已发送提醒", "de_escalated": "已降级", "resolved": "已解决", "closed": "已关闭",
        "reopened": "重新打开", "level": "第 {tier} 级，管理层级别 {exec}",
    },
}
COMMS = {"first_response_sent": "customer", "customer_update_sent": "customer", "internal_update": "internal",
         "vendor_case_filed": "vendor", "vendor_responded": "vendor"}


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def _line(lang: str, e: Event, title: str) -> str:
    fields = _Blank({k: v for k, v in e.payload.items() if isinstance(v, str | int)})
    fields.setdefault("title", title)
    return " ".join(LABELS[lang][e.kind].format_map(fields).split()) or e.kind


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
        "level": LABELS[lang]["level"].format(tier=state.tier, exec=state.exec_level),
        "status": status,
        "ticket_id": state.id,
        "timeline": [{"at": e.at.isoformat(), "event": _line(lang, e, state.title)}
                     for e in events if e.kind != "reminder_fired"],
        "actions": [{"action": a.text, "owner": a.owner, "due": a.due_at.isoformat() if a.due_at else None,
                     "done": a.done_at is not None} for a in state.actions.values()],
        "communication_log": comms,
        "resolution_plan": plan or state.root_cause,
    }


def export_tracking(state: EscalationState, events: list[Event], lang: Lang, timezone: str | None) -> BriefResult:
    return format_escalation_brief(tracking_facts(state, events, lang), kind="escalation_tracking", language=lang,
                                   timezone=timezone or state.timezone)
