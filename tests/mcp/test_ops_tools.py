"""The status-feed and on-call read tools through the official SDK client: answers, and errors naming the field."""

from __future__ import annotations

import json

import pytest

from escalation_kit.mcp.server import build_server
from mcp import Client
from statuspages_support import Route, feed_server, sample

pytestmark = pytest.mark.anyio


async def _call(name: str, args: dict) -> tuple[bool, str]:
    async with Client(build_server(enable_writes=False)) as client:
        result = await client.call_tool(name, args)
    return result.is_error, result.content[0].text


async def test_both_tools_are_listed_read_only() -> None:
    async with Client(build_server(enable_writes=False)) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
    for name in ("check_provider_status", "who_is_on_call"):
        assert tools[name].annotations.read_only_hint is True
    assert tools["check_provider_status"].annotations.open_world_hint is True
    assert tools["check_provider_status"].input_schema["properties"]["vendor"]["maxLength"] == 200


async def test_a_status_feed_is_read_from_the_operator_s_base_url(monkeypatch) -> None:
    with feed_server({"/api/v2/summary.json": Route(sample("cloudflare_summary.json"))}) as (base, seen):
        monkeypatch.setenv("ESCALATION_KIT_STATUS_BASE_URL", base)
        error, text = await _call("check_provider_status", {"vendor": "cloudflare", "region": "FRA"})
    answer = json.loads(text)
    assert not error and answer["verified"] is True and answer["region_in_current_incident"] is True
    assert answer["feed_url"] == f"{base}/api/v2/summary.json" and len(seen) == 1


async def test_an_unreadable_feed_is_an_answer_that_says_not_verified(monkeypatch) -> None:
    with feed_server({"/api/v2/summary.json": Route(b"{broken", status=200)}) as (base, _):
        monkeypatch.setenv("ESCALATION_KIT_STATUS_BASE_URL", base)
        error, text = await _call("check_provider_status", {"vendor": "cloudflare"})
    answer = json.loads(text)
    assert not error and answer["verified"] is False and answer["state"] == "not_verified"
    assert "NOT VERIFIED" in answer["summary"]


async def test_an_unknown_vendor_is_a_tool_error_naming_the_field() -> None:
    error, text = await _call("check_provider_status", {"vendor": "nope"})
    assert error and "vendor" in text and "cloudflare" in text


async def test_who_is_on_call_for_a_follow_the_sun_role_and_a_tier(monkeypatch) -> None:
    monkeypatch.delenv("ESCALATION_KIT_ONCALL_SCHEDULE", raising=False)
    error, text = await _call("who_is_on_call", {"role": "sre_follow_the_sun", "at": "2026-03-10T17:00:00Z"})
    answer = json.loads(text)
    assert not error and answer["schedule"] == "oncall.yaml"
    assert [(h["person"], h["shift"]) for h in answer["holders"]] == [("ben", "Americas day")]
    error, text = await _call("who_is_on_call", {"tier": 3, "at": "2026-03-09T15:00:00Z"})
    assert not error and [h["role"] for h in json.loads(text)["holders"]] == ["engineering_lead", "csm"]


@pytest.mark.parametrize(("args", "field"), [
    ({}, "role"), ({"role": "x", "tier": 2}, "role"), ({"role": "senior_engineer", "notice": "tier_raised"}, "notice"),
    ({"role": "senior_engineer", "at": "2026-03-10T09:00"}, "at"), ({"role": "nobody_here"}, "role"),
])
async def test_bad_on_call_questions_name_the_field(args: dict, field: str) -> None:
    error, text = await _call("who_is_on_call", args)
    assert error and f"{field}:" in text


async def test_slow_feeds_do_not_take_the_workers_cpu_calls_need(monkeypatch) -> None:
    """Feed reads have their own two-slot pool: while two reads wait on a slow feed, the shared CPU pool is free."""
    import anyio

    from escalation_kit.mcp import ops_tools, tools

    with feed_server({"/api/v2/summary.json": Route(sample("cloudflare_summary.json"), delay=3.0)}) as (base, _):
        monkeypatch.setenv("ESCALATION_KIT_STATUS_BASE_URL", base)
        async with Client(build_server(enable_writes=False)) as client, anyio.create_task_group() as group:
            for _ in range(2):
                group.start_soon(client.call_tool, "check_provider_status", {"vendor": "cloudflare"})
            with anyio.move_on_after(10):  # wait (not time) until both reads hold a network slot
                while ops_tools.NETWORK.borrowed_tokens < 2:
                    await anyio.sleep(0.01)
            assert ops_tools.NETWORK.borrowed_tokens == 2 and tools.WORKERS.borrowed_tokens == 0
