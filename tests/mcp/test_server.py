"""The MCP server through the official SDK Client: in memory, over stdio (a real subprocess) and over
Streamable HTTP on 127.0.0.1, in both protocol eras (2025-11-25 handshake and 2026-07-28)."""

from __future__ import annotations

import os
from contextlib import asynccontextmanager

import pytest
from mcp.types import PromptReference, ResourceTemplateReference

from conftest import cli_path
from escalation_kit.mcp.server import build_server
from mcp import Client, StdioServerParameters
from mcp_cases import BAD_CALLS, GOOD_CALLS, OPS_TOOLS, TOOLS, TRACKER_READ_TOOLS, TRACKER_WRITE_TOOLS

pytestmark = pytest.mark.anyio
MODES = {"legacy": "2025-11-25", "auto": "2026-07-28"}


@asynccontextmanager
async def connect(transport: str, mode: str, http_url: str | None = None):
    if transport == "memory":
        target = build_server()
    elif transport == "stdio":
        target = StdioServerParameters(command=cli_path(), args=["serve"], cwd=os.path.expanduser("~"))
    else:
        target = http_url
    async with Client(target, mode=mode) as client:
        yield client


@pytest.fixture(params=["memory", pytest.param("stdio", marks=pytest.mark.integration),
                        pytest.param("http", marks=pytest.mark.integration)])
def transport(request) -> str:
    return request.param


@pytest.fixture(params=list(MODES))
def mode(request) -> str:
    return request.param


@pytest.fixture
def url(transport, request) -> str | None:
    return request.getfixturevalue("http_url") if transport == "http" else None


async def test_handshake_era_and_tool_list(transport, mode, url):
    async with connect(transport, mode, url) as c:
        assert c.protocol_version == MODES[mode]
        tools = {t.name: t for t in (await c.list_tools()).tools}
    assert set(tools) - TRACKER_WRITE_TOOLS == TOOLS | TRACKER_READ_TOOLS | OPS_TOOLS
    for tool in (tools[name] for name in TOOLS):
        assert tool.title and len(tool.description or "") > 80, tool.name
        assert tool.output_schema and tool.output_schema.get("type") == "object", tool.name
        a = tool.annotations
        assert (a.read_only_hint, a.idempotent_hint, a.destructive_hint, a.open_world_hint) == (
            True, True, False, False), tool.name


async def test_every_tool_returns_structured_output(transport, mode, url):
    async with connect(transport, mode, url) as c:
        assert GOOD_CALLS, "nothing to check"
        for name, args, expected in GOOD_CALLS:
            result = await c.call_tool(name, args)
            assert not result.is_error, (name, result.content)
            data = result.structured_content
            assert data is not None, name
            for key, value in expected.items():
                assert data[key] == value, (name, key, data[key])


async def test_bad_input_is_a_specific_tool_error(transport, mode, url):
    async with connect(transport, mode, url) as c:
        assert BAD_CALLS, "nothing to check"
        for name, args, words in BAD_CALLS:
            result = await c.call_tool(name, args)
            assert result.is_error, (name, args)
            text = " ".join(getattr(block, "text", "") for block in result.content)
            assert text.strip() != f"Error executing tool {name}", "message was hidden"
            for word in words:
                assert word in text, (name, word, text)


async def test_schemas_constrain_enums():
    async with Client(build_server()) as c:
        tools = {t.name: t for t in (await c.list_tools()).tools}
    sev = tools["pick_vendor_support_path"].input_schema["properties"]["severity"]
    assert sev.get("enum") == ["P0", "P1", "P2", "P3"]
    assert "severity" in tools["classify_severity"].output_schema["properties"]
    assert "markdown" in tools["format_escalation_brief"].output_schema["properties"]


async def test_resources_prompt_and_completions():
    async with Client(build_server(), mode="legacy") as c:
        uris = {str(r.uri) for r in (await c.list_resources()).resources}
        assert {"escalation-kit://rubric/severity", "escalation-kit://vendors", "escalation-kit://policy/sla"} <= uris
        rubric = (await c.read_resource("escalation-kit://rubric/severity")).contents[0].text
        assert "P0" in rubric and "P3" in rubric
        templates = {t.uri_template for t in (await c.list_resource_templates()).resource_templates}
        assert "escalation-kit://vendors/{vendor}" in templates
        aws = (await c.read_resource("escalation-kit://vendors/aws")).contents[0].text
        assert "Business-critical system down" in aws
        prompt = await c.get_prompt("triage_incident", {"incident_text": "DB down in prod", "vendor": "aws"})
        body = prompt.messages[0].content.text
        assert "DB down in prod" in body and "classify_severity" in body and "aws" in body
        done = await c.complete(PromptReference(type="ref/prompt", name="triage_incident"),
                                {"name": "vendor", "value": "ali"})
        assert set(done.completion.values) == {"alibaba-cn", "alibaba-intl"}
        done = await c.complete(ResourceTemplateReference(type="ref/resource", uri="escalation-kit://vendors/{vendor}"),
                                {"name": "vendor", "value": "a"})
        assert "aws" in done.completion.values and "azure" in done.completion.values
        done = await c.complete(PromptReference(type="ref/prompt", name="triage_incident"),
                                {"name": "language", "value": "r"})
        assert done.completion.values == ["ru"]


async def test_unknown_vendor_resource_is_not_found_with_valid_ids():
    from mcp.shared.exceptions import MCPError

    async with Client(build_server()) as c:
        with pytest.raises(MCPError) as info:
            await c.read_resource("escalation-kit://vendors/nosuchcloud")
    assert info.value.error.code == -32602
    assert "aws" in info.value.error.message and "nosuchcloud" in info.value.error.message


async def test_vendor_description_names_exactly_the_catalog_vendors():
    """The tool description lists the catalog's vendor ids (the vendor files' names, read without parsing)."""
    import re

    from escalation_kit.vendors.catalog import load_catalog

    async with Client(build_server()) as c:
        tools = {t.name: t for t in (await c.list_tools()).tools}
    described = tools["pick_vendor_support_path"].input_schema["properties"]["vendor"]["description"]
    assert set(re.findall(r"[a-z][a-z-]+", described)) == set(load_catalog())


def test_serve_preloads_the_vendor_answer_models_before_freezing_start_up(monkeypatch):
    """``run`` imports PRELOAD (shared by the vendor and SLA tools' first calls), then freezes start-up."""
    import gc

    import anyio

    from escalation_kit.mcp import published
    from escalation_kit.mcp import server as mcp_server

    order: list[str] = []
    monkeypatch.setattr(mcp_server, "preload", lambda: order.append("preload"))
    monkeypatch.setattr(gc, "freeze", lambda: order.append("freeze"))
    monkeypatch.setattr(anyio, "run", lambda *a, **k: order.append("serve"))
    monkeypatch.setattr(published, "FREEZE_FIRST_CALLS", False)  # restored after: run() sets it
    mcp_server.run("stdio")
    assert order == ["preload", "freeze", "serve"]
    assert mcp_server.PRELOAD == ("escalation_kit.vendors.models", "escalation_kit.language",
                                  "escalation_kit.briefs.render")
