"""The tracker as MCP tools: lifecycle writes (behind ``enable_writes``), reads, and the pure routing tool.

Writes are on for stdio (one user, their own file) and off over HTTP unless the server is started
with --enable-write-tools. Every write takes an idempotency key, so a retried call never doubles an
event, and an expected_version for optimistic concurrency. The store opens on the first call.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from mcp.server.mcpserver.tools import Tool
from mcp.types import ToolAnnotations
from pydantic import Field

from escalation_kit.mcp.published import Spec
from escalation_kit.mcp.tools import PURE, call, publish
from escalation_kit.vocab import Lang, LanguageChoice, Severity

WRITE = ToolAnnotations(read_only_hint=False, idempotent_hint=False, destructive_hint=False, open_world_hint=False)
WRITE_IDEMPOTENT = ToolAnnotations(read_only_hint=False, idempotent_hint=True, destructive_hint=False,
                                   open_world_hint=False)
READ = ToolAnnotations(read_only_hint=True, idempotent_hint=True, destructive_hint=False, open_world_hint=False)

Recordable = Literal["acknowledged", "first_response_sent", "note", "vendor_case_filed", "vendor_responded",
                     "customer_update_sent", "internal_update", "paused", "resumed", "reminder_fired", "de_escalated",
                     "resolved", "reopened", "archived", "unarchived", "handoff_accepted", "executive_engaged"]
Id = Annotated[str, Field(description="ESC-YYYY-NNNN")]
At = Annotated[str | None, Field(description="ISO 8601 with offset; default now")]
Actor = Annotated[str, Field(description="Who did it")]
Version = Annotated[int | None, Field(description="Fail unless the record is at this version")]
Key = Annotated[str | None, Field(description="Same key = same write, never doubled")]


def _dump(model: Any) -> dict[str, Any]:
    return model.model_dump(mode="json")


def tracker_tools(enable_writes: bool) -> list[Tool]:
    """The tracker's read tools, determine_escalation and (when enabled) its write tools, as compact SDK Tools."""
    return [publish(fn, title, hint) for fn, title, hint in tracker_specs(enable_writes)]


def tracker_specs(enable_writes: bool) -> list[Spec]:
    """Each tracker tool's function, title and annotations (``published.publish_all`` publishes them)."""
    holder: dict[str, Any] = {}

    def tracker() -> Any:
        if "t" not in holder:
            from escalation_kit.tracker import Tracker

            holder["t"] = call(Tracker)
        return holder["t"]

    def summary(state: Any) -> dict[str, Any]:
        return _dump(state)

    async def open_escalation(
        title: str, severity: Severity,
        type: Literal["technical", "executive", "vendor"] = "technical",
        tier: Annotated[int | None, Field(ge=1, le=4, description="Default: routing's tier for the severity")] = None,
        exec_level: Annotated[int, Field(ge=0, le=4)] = 0,
        owner: str | None = None, customer: str | None = None, segment: str | None = None,
        category: str | None = None, vendor: str | None = None, plan: str | None = None,
        language: Lang = "en", timezone: str = "UTC", calendar: str | None = None,
        description: str | None = None, at: At = None, actor: Actor = "assistant", idempotency_key: Key = None,
    ) -> dict[str, Any]:
        """Open a tracked escalation; returns its ESC-YYYY-NNNN id and state. Clocks start at `at`."""
        spec = {k: v for k, v in dict(
            title=title, severity=severity, type=type, tier=tier, exec_level=exec_level, owner=owner,
            customer=customer, segment=segment, category=category, vendor=vendor, plan=plan, language=language,
            timezone=timezone, calendar=calendar, description=description).items() if v is not None}
        return summary(call(tracker().open, spec, at=at, actor=actor, idempotency_key=idempotency_key))

    async def record_event(
        escalation_id: Id, kind: Recordable,
        payload: Annotated[dict[str, Any] | None, Field(
            description="text; vendor_case_filed: case_id, case_severity; paused: reason "
                        "(awaiting_customer|awaiting_vendor); reminder_fired: key (archived: closed only)")] = None,
        at: At = None, actor: Actor = "assistant", expected_version: Version = None, idempotency_key: Key = None,
    ) -> dict[str, Any]:
        """Append an event (acknowledged, first_response_sent, vendor_case_filed, paused, resolved...); out-of-order
        events are refused and nothing is stored."""
        return summary(call(tracker().record_event, escalation_id, kind, at=at, actor=actor, payload=payload,
                            expected_version=expected_version, idempotency_key=idempotency_key))

    async def update_escalation(
        escalation_id: Id,
        status: Literal["open", "acknowledged", "in_progress", "escalated", "mitigated", "monitoring"] | None = None,
        owner: str | None = None, tier: Annotated[int | None, Field(ge=1, le=4)] = None,
        exec_level: Annotated[int | None, Field(ge=0, le=4)] = None, severity: Severity | None = None,
        next_steps: Annotated[str | None, Field(description="What happens next; '' clears")] = None,
        estimated_resolution: Annotated[str | None, Field(description="ETA, ISO 8601 with offset; '' clears")] = None,
        resolution_plan: Annotated[str | None, Field(description="Plan for the tracking document; '' clears")] = None,
        reason: str | None = None, at: At = None, actor: Actor = "assistant", expected_version: Version = None,
        idempotency_key: Key = None,
    ) -> dict[str, Any]:
        """Change status, owner, tier, executive level or severity, or set next steps, estimated resolution and
        resolution plan; each change is logged as an event (list_due flags a passed estimate)."""
        changes = {k: v for k, v in dict(status=status, owner=owner, tier=tier, exec_level=exec_level,
                                         severity=severity, next_steps=next_steps,
                                         estimated_resolution=estimated_resolution,
                                         resolution_plan=resolution_plan).items() if v is not None}
        return summary(call(tracker().update, escalation_id, changes, at=at, actor=actor, reason=reason,
                            expected_version=expected_version, idempotency_key=idempotency_key))

    async def add_action(
        escalation_id: Id, text: str, owner: str | None = None, due_at: At = None, at: At = None,
        actor: Actor = "assistant", expected_version: Version = None, idempotency_key: Key = None,
    ) -> dict[str, Any]:
        """Add a follow-up action with owner and due time (ids A1, A2...); list_due flags it when overdue."""
        return summary(call(tracker().add_action, escalation_id, text, owner=owner, due_at=due_at, at=at, actor=actor,
                            expected_version=expected_version, idempotency_key=idempotency_key))

    async def complete_action(
        escalation_id: Id, action_id: str, at: At = None, actor: Actor = "assistant",
        expected_version: Version = None, idempotency_key: Key = None,
    ) -> dict[str, Any]:
        """Mark an action done."""
        return summary(call(tracker().complete_action, escalation_id, action_id, at=at, actor=actor,
                            expected_version=expected_version, idempotency_key=idempotency_key))

    async def close_escalation(
        escalation_id: Id, root_cause: str | None = None, at: At = None, actor: Actor = "assistant",
        expected_version: Version = None, idempotency_key: Key = None,
    ) -> dict[str, Any]:
        """Resolve (if needed) and close; the record stays and can be reopened with record_event."""
        return summary(call(tracker().close_escalation, escalation_id, at=at, actor=actor, root_cause=root_cause,
                            expected_version=expected_version, idempotency_key=idempotency_key))

    async def get_escalation(escalation_id: Id, now: At = None) -> dict[str, Any]:
        """State, timeline and every SLA clock (elapsed, paused, remaining, percent, status) computed at now."""
        return _dump(call(tracker().get, escalation_id, now))

    async def list_escalations(
        status: Annotated[str | None, Field(description="active, or a status such as resolved")] = None,
        owner: str | None = None, customer: str | None = None,
        tier: Annotated[int | None, Field(ge=1, le=4)] = None, severity: Severity | None = None,
        vendor: str | None = None,
        age: Literal["lt_1h", "1h_4h", "4h_24h", "1d_7d", "gt_7d"] | None = None, now: At = None,
        limit: Annotated[int, Field(ge=1, le=1000)] = 100,
        archived: Literal["exclude", "include", "only"] = "exclude",
    ) -> dict[str, Any]:
        """Escalations matching every filter, newest first; archived records only when asked."""
        rows = call(tracker().list, status=status, owner=owner, customer=customer, tier=tier, severity=severity,
                    vendor=vendor, age=age, now=now, limit=limit, archived=archived)
        return {"escalations": rows, "count": len(rows)}

    async def list_due(
        now: At = None, horizon_minutes: Annotated[int, Field(ge=0, le=10080)] = 0,
        include_notified: Annotated[bool, Field(strict=True)] = False,
    ) -> dict[str, Any]:
        """What needs someone now: SLA 50%/75% warnings, breaches, overdue updates and actions, stalled records,
        vendor steps; each with the next step. Call it at the start of every session."""
        items = call(tracker().due, now, horizon_minutes, include_notified)
        return {"items": [_dump(i) for i in items], "count": len(items)}

    async def escalation_metrics(
        date_from: Annotated[str, Field(description="YYYY-MM-DD (00:00 UTC) or ISO 8601 with offset")],
        date_to: Annotated[str, Field(description="Excluded; YYYY-MM-DD (00:00 UTC) or ISO 8601 with offset")],
        group_by: list[Literal["tier", "severity", "segment", "vendor", "customer", "category", "owner", "week",
                               "month"]] | None = None,
        now: At = None,
        tickets: Annotated[dict[str, int] | None, Field(
            description="Tickets per category in the period, from the ticketing system: adds escalation_rates")] = None,
    ) -> dict[str, Any]:
        """Count, MTTA, MTTR p50/p90, response compliance, breaches, re-escalation rate, de-escalation time and
        top causes for escalations opened in [date_from, date_to); by week or month it is the volume trend."""
        return _dump(call(tracker().metrics, date_from, date_to, group_by, now, tickets))

    async def export_tracking(
        escalation_id: Id, language: LanguageChoice = "auto", timezone: str | None = None,
        kind: Literal["escalation_tracking", "post_mortem", "deescalation_notice"] = "escalation_tracking",
        facts: Annotated[dict[str, Any] | None, Field(
            description="What only you know, over the record's facts (root causes, attendees, criteria)")] = None,
        now: At = None,
    ) -> dict[str, Any]:
        """A document rendered from the stored record in en, ru or zh: the tracking document (seed 003), or a
        post-mortem or de-escalation notice pre-filled with the record's timeline, times and root cause (the
        notice's decision is the de-escalation policy's)."""
        lang = None if language == "auto" else language
        return _dump(call(tracker().export, escalation_id, lang, timezone, kind, facts, now))

    async def account_health(
        customer: Annotated[str, Field(max_length=200, description="The customer as recorded on its escalations")],
        months: Annotated[int, Field(ge=1, le=36)] = 6,
        categories: Annotated[dict[str, float] | None, Field(
            description="Scores 0-100 only you know: support_satisfaction, engagement_quality, "
                        "relationship_strength")] = None,
        now: At = None,
    ) -> dict[str, Any]:
        """Seed 001's account health month by month: ticket_trends (volume trend, P0/P1 share, reopen rate) from
        the records, and the overall score and band with the categories given."""
        return _dump(call(tracker().account_health, customer, months, categories, now))

    async def determine_escalation(
        severity: Severity,
        facts: Annotated[dict[str, Any] | None, Field(
            description="security, multiple_customers, customer_requested, beyond_tier, product_bug, "
                        "vendor_platform, hours_open, current_tier, sla_percent_consumed, legal_or_pr, "
                        "revenue_impact, c_level, churn_threat, severity_rising, architecture_consultation")] = None,
        customer: Annotated[dict[str, Any] | None, Field(
            description="segment, contract_value, health_score or health inputs, csat, sentiment")] = None,
        history: Annotated[dict[str, Any] | None, Field(
            description="escalations_90d, repeats_30d, customers_same_issue, recurring_after_fix")] = None,
        customer_name: Annotated[str | None, Field(
            description="Read history from the tracker for this customer when history is not given")] = None,
        category: str | None = None,
    ) -> dict[str, Any]:
        """Workflow tier 1-4, executive level, target team (security bypasses to security), urgency 0-100 and
        the response target, with the deciding rules and factors. beyond_tier, customer_requested,
        sla_percent_consumed > 50, severity_rising, 3+ customers with the same issue or a recurrence after a
        fix move the case one tier up, and product_bug, architecture_consultation or multi_service move a tier-2
        case to tier 3 (escalation_criteria). Deterministic; reads only history."""
        from escalation_kit.routing import determine_escalation as route

        if history is None and customer_name:
            history = call(tracker().history, customer_name, category)
        out = _dump(call(route, severity, facts or {}, customer or {}, history or {}))
        out["history_used"] = history or {}
        return out

    async def recommend_deescalation(
        severity: Severity,
        resolution: Annotated[dict[str, Any] | None, Field(
            description="root_cause_found, fix_applied, workaround_available, resolved_itself, customer_confirmed, "
                        "support_resolvable, recurrence, monitoring_period_complete: true/false/null; or "
                        "root_cause / fix as short texts")] = None,
        stable_minutes: Annotated[int | None, Field(ge=0, description="Minutes stable since the fix")] = None,
        reassessed_severity: Annotated[Severity | None, Field(
            description="The level new information points to, if lower")] = None,
        language: Lang = "en",
    ) -> dict[str, Any]:
        """Whether an escalation can come down now (seeds 002, 004): de-escalate, lower-severity or hold, the
        deciding policy rule, the criteria still unknown, the monitoring period and the steps. Deterministic."""
        from escalation_kit.routing import recommend_deescalation as recommend

        return _dump(call(recommend, severity, resolution, stable_minutes, reassessed_severity, language))

    reads = [(get_escalation, "Get escalation with SLA clocks"), (list_escalations, "List escalations"),
             (list_due, "List due and overdue escalation items"), (escalation_metrics, "Escalation metrics"),
             (export_tracking, "Export escalation tracking document"), (account_health, "Account health over time")]
    specs: list[Spec] = [(fn, title, READ) for fn, title in reads]
    specs.append((determine_escalation, "Determine escalation tier and level", PURE))
    specs.append((recommend_deescalation, "Recommend de-escalation", PURE))
    if not enable_writes:
        return specs
    writes: list[Spec] = [
        (open_escalation, "Open escalation", WRITE), (record_event, "Record escalation event", WRITE),
        (update_escalation, "Update escalation", WRITE_IDEMPOTENT), (add_action, "Add action", WRITE),
        (complete_action, "Complete action", WRITE_IDEMPOTENT),
        (close_escalation, "Close escalation", WRITE_IDEMPOTENT)]
    return specs + writes
