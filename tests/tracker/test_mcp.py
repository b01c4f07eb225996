"""The tracker tools through the official SDK Client, in memory, on a real SQLite file."""

from __future__ import annotations

import pytest

from escalation_kit.mcp.server import build_server
from mcp import Client
from mcp_cases import TRACKER_READ_TOOLS, TRACKER_WRITE_TOOLS
from tracker_support import T0, at

pytestmark = pytest.mark.anyio


def text(result) -> str:
    return " ".join(getattr(b, "text", "") for b in result.content)


async def call(c, name, args):
    result = await c.call_tool(name, args)
    assert not result.is_error, (name, text(result))
    return result.structured_content


async def test_write_tools_are_listed_with_honest_annotations(home):
    async with Client(build_server()) as c:
        tools = {t.name: t for t in (await c.list_tools()).tools}
    assert set(tools) >= TRACKER_READ_TOOLS | TRACKER_WRITE_TOOLS
    for name in TRACKER_WRITE_TOOLS:
        assert tools[name].annotations.read_only_hint is False, name
    assert tools["close_escalation"].annotations.idempotent_hint is True
    assert tools["open_escalation"].annotations.idempotent_hint is False
    for name in TRACKER_READ_TOOLS:
        assert tools[name].annotations.read_only_hint is True, name


async def test_without_writes_only_the_read_tools_are_listed(home):
    async with Client(build_server(enable_writes=False)) as c:
        names = {t.name for t in (await c.list_tools()).tools}
    assert names >= TRACKER_READ_TOOLS and not names & TRACKER_WRITE_TOOLS


async def test_a_lifecycle_through_the_tools(home):
    async with Client(build_server()) as c:
        opened = await call(c, "open_escalation", {"title": "RDS down", "severity": "P1", "vendor": "aws",
                                                   "customer": "Acme", "at": T0, "idempotency_key": "o1"})
        esc = opened["id"]
        again = await call(c, "open_escalation", {"title": "RDS down", "severity": "P1", "vendor": "aws",
                                                  "customer": "Acme", "at": T0, "idempotency_key": "o1"})
        assert again["id"] == esc
        await call(c, "record_event", {"escalation_id": esc, "kind": "acknowledged", "at": at(5)})
        await call(c, "record_event", {"escalation_id": esc, "kind": "vendor_case_filed", "at": at(10),
                                       "payload": {"case_id": "C-1"}})
        await call(c, "record_event", {"escalation_id": esc, "kind": "paused", "at": at(20),
                                       "payload": {"reason": "awaiting_customer"}})
        await call(c, "record_event", {"escalation_id": esc, "kind": "resumed", "at": at(30)})
        await call(c, "update_escalation", {"escalation_id": esc, "tier": 4, "owner": "ann", "at": at(31)})
        await call(c, "add_action", {"escalation_id": esc, "text": "Collect logs", "owner": "bob", "due_at": at(90),
                                     "at": at(32)})
        await call(c, "complete_action", {"escalation_id": esc, "action_id": "A1", "at": at(40)})
        view = await call(c, "get_escalation", {"escalation_id": esc, "now": at(50)})
        clocks = {k["name"]: k for k in view["clocks"]}
        assert clocks["vendor_response"]["elapsed_minutes"] == 30.0  # 40 min since filing minus the 10 min pause
        assert clocks["vendor_response"]["paused_minutes"] == 10.0
        assert len(view["timeline"]) == 9 and view["state"]["tier"] == 4
        listed = await call(c, "list_escalations", {"status": "escalated", "customer": "Acme", "now": at(50)})
        assert [e["id"] for e in listed["escalations"]] == [esc]
        due = await call(c, "list_due", {"now": at(600)})
        assert {"breach", "stalled"} <= {i["kind"] for i in due["items"]}
        await call(c, "close_escalation", {"escalation_id": esc, "at": at(700), "root_cause": "disk full"})
        metrics = await call(c, "escalation_metrics", {"date_from": "2026-03-01T00:00:00Z",
                                                       "date_to": "2026-04-01T00:00:00Z", "group_by": ["tier"]})
        assert metrics["total"]["count"] == 1 and metrics["total"]["mttr_p50_minutes"] == 700.0
        doc = await call(c, "export_tracking", {"escalation_id": esc, "language": "zh"})
        assert "已解决" in doc["markdown"] or "已关闭" in doc["markdown"]
        pm = await call(c, "export_tracking", {"escalation_id": esc, "kind": "post_mortem",
                                                "facts": {"facilitator": "Mira"}})
        assert "Post-mortem" in pm["markdown"] and "disk full" in pm["markdown"] and "Mira" in pm["markdown"]
        notice = await call(c, "export_tracking", {"escalation_id": esc, "kind": "deescalation_notice",
                                                   "now": at(720)})
        assert "NOT DE-ESCALATED" in notice["markdown"]  # 20 minutes after the fix: the policy holds it
        health = await call(c, "account_health", {"customer": "Acme", "months": 1, "now": at(720),
                                                   "categories": {"support_satisfaction": 80}})
        month = health["months"][-1]
        assert month["escalations"] == 1 and month["health"]["score"] is not None


async def test_bad_calls_are_specific_tool_errors_and_store_nothing(home):
    async with Client(build_server()) as c:
        opened = await call(c, "open_escalation", {"title": "x", "severity": "P2", "at": T0})
        esc = opened["id"]
        cases = [
            ("get_escalation", {"escalation_id": "ESC-2026-9999"}, "escalation_id"),
            ("record_event", {"escalation_id": esc, "kind": "vendor_responded", "at": at(1)}, "vendor_case_filed"),
            ("record_event", {"escalation_id": esc, "kind": "acknowledged", "at": at(-5)}, "at"),
            ("record_event", {"escalation_id": esc, "kind": "note", "at": at(1), "payload": {"text": "x"},
                              "expected_version": 7}, "expected_version"),
            ("open_escalation", {"title": "x", "severity": "P2", "timezone": "Mars/Olympus"}, "timezone"),
        ]
        for name, args, word in cases:
            result = await c.call_tool(name, args)
            assert result.is_error, (name, args)
            assert word in text(result), (name, text(result))
        view = await call(c, "get_escalation", {"escalation_id": esc, "now": at(2)})
        assert view["state"]["version"] == 1


async def test_determine_escalation_tool_routes_security_to_security(home):
    async with Client(build_server()) as c:
        out = await call(c, "determine_escalation", {"severity": "P2", "facts": {"security": True}})
        assert out["target_team"] == "security" and out["security_bypass"] and out["tier"] >= 3
        bad = await c.call_tool("determine_escalation", {"severity": "P2", "facts": {"colour": "red"}})
        assert bad.is_error and "facts" in text(bad)


async def test_recommend_deescalation_tool_follows_seed_002_and_names_bad_fields(home):
    async with Client(build_server()) as c:
        out = await call(c, "recommend_deescalation", {
            "severity": "P1", "language": "ru",
            "resolution": {"root_cause": "Memory leak in v2.3.4", "fix": "Patch deployed v2.3.5",
                           "customer_confirmation": True, "monitoring_period_complete": True}})
        assert out["action"] == "de-escalate" and out["steps"] and "клиент" in out["rationale"]
        held = await call(c, "recommend_deescalation", {"severity": "P0", "resolution": {"fix_applied": True},
                                                         "stable_minutes": 60})
        assert held["action"] == "hold" and "customer_confirmed" in held["missing"]
        bad = await c.call_tool("recommend_deescalation", {"severity": "P1", "resolution": {"fixd": True}})
        assert bad.is_error and "resolution" in text(bad)


async def test_determine_escalation_reads_repeats_from_the_store(home):
    from escalation_kit.tracker import Tracker, open_store

    t = Tracker(open_store())
    from datetime import UTC, datetime, timedelta

    now = datetime.now(UTC)
    for days in (2, 10, 20, 60):
        t.open({"title": "login fails", "severity": "P3", "customer": "Acme", "category": "auth"},
               at=(now - timedelta(days=days)).isoformat())
    t.close()
    async with Client(build_server()) as c:
        out = await call(c, "determine_escalation", {"severity": "P3", "customer_name": "Acme", "category": "auth"})
    assert out["history_used"] == {"escalations_90d": 4, "repeats_30d": 3, "customers_same_issue": 1,
                                   "recurring_after_fix": 0}
    assert out["executive_level"] == 1 and "repeated_issues" in " ".join(out["decided_by"])


@pytest.mark.integration
async def test_over_http_the_write_tools_are_off(http_url):
    async with Client(http_url) as c:
        names = {t.name for t in (await c.list_tools()).tools}
    assert names >= TRACKER_READ_TOOLS and not names & TRACKER_WRITE_TOOLS


@pytest.mark.integration
async def test_over_stdio_a_record_lands_in_the_home_file(home):
    import os

    from conftest import cli_path
    from mcp import StdioServerParameters

    params = StdioServerParameters(command=cli_path(), args=["serve"], cwd=str(home),
                                   env={**os.environ, "ESCALATION_KIT_HOME": str(home / "kit")})
    async with Client(params) as c:
        opened = await call(c, "open_escalation", {"title": "over stdio", "severity": "P2", "at": T0})
        await call(c, "record_event", {"escalation_id": opened["id"], "kind": "acknowledged", "at": at(3)})
    from escalation_kit.tracker import Tracker, open_store

    t = Tracker(open_store(f"sqlite:///{home / 'kit' / 'escalations.db'}"))
    assert [e.kind for e in t.events(opened["id"])] == ["created", "acknowledged"] and t.verify()["ok"]
    t.close()


async def test_escalation_metrics_gives_the_rate_per_category_from_ticket_counts(home):
    async with Client(build_server()) as c:
        for minutes in (0, 10):
            await call(c, "open_escalation", {"title": "login fails", "severity": "P3", "category": "auth",
                                              "at": at(minutes)})
        window = {"date_from": "2026-03-01T00:00:00Z", "date_to": "2026-04-01T00:00:00Z"}
        out = await call(c, "escalation_metrics", {**window, "tickets": {"auth": 40}})
        bad = await c.call_tool("escalation_metrics", {**window, "tickets": {"auth": 1}})
    assert out["escalation_rates"] == [{"category": "auth", "escalations": 2, "tickets": 40, "rate": 0.05}]
    assert bad.is_error and "tickets.auth" in text(bad)
