"""Tools assembled from their cached published form are the tools Tool.from_function builds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mcp.server.mcpserver.tools import Tool

from escalation_kit import datafiles
from escalation_kit.mcp import published
from escalation_kit.mcp.ops_tools import ops_specs
from escalation_kit.mcp.server import build_server
from escalation_kit.mcp.tools import TITLES, build_tools, derive, publish
from escalation_kit.mcp.tracker_tools import tracker_tools
from mcp import Client

pytestmark = pytest.mark.anyio


def _all_tools() -> list[Tool]:
    return build_tools() + tracker_tools(enable_writes=True) + [publish(*spec) for spec in ops_specs()]


def _no_derivation(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args, **_kwargs):
        raise AssertionError("a cached tool was derived again")

    monkeypatch.setattr(Tool, "from_function", refuse)


def test_every_tool_is_cached_and_assembles_to_the_derived_tool(cache: Path, monkeypatch: pytest.MonkeyPatch):
    cold = _all_tools()
    (entries_file,) = cache.glob("derived/published-tools-*.json")
    entries = json.loads(entries_file.read_text(encoding="utf-8"))
    assert set(entries) == {tool.name for tool in cold} and len(entries) == 21
    published._entries.cache_clear()  # read the file as a new process would
    _no_derivation(monkeypatch)
    warm = _all_tools()
    assert [t.name for t in warm] == [t.name for t in cold]
    for hot, derived in zip(warm, cold, strict=True):
        assert published.same_tool(hot, derived), hot.name


def test_pure_tools_match_a_fresh_derivation_field_by_field(cache: Path):
    build_tools()  # fills the cache
    published._entries.cache_clear()
    for fn, title in TITLES.items():
        hot = published.cached_tool(fn, title, published_annotations(fn), lambda: pytest.fail("derived"))
        fresh = derive(fn, title, published_annotations(fn))
        assert hot.parameters == fresh.parameters and hot.description == fresh.description
        assert hot.fn_metadata.output_schema == fresh.fn_metadata.output_schema
        assert hot.fn_metadata.output_model is fresh.fn_metadata.output_model
        assert hot.fn_metadata.arg_model.model_json_schema() == fresh.fn_metadata.arg_model.model_json_schema()


def published_annotations(_fn):
    from escalation_kit.mcp.tools import PURE

    return PURE


async def test_a_warm_server_lists_and_answers_like_a_cold_one(cache: Path, monkeypatch: pytest.MonkeyPatch):
    async def session(server) -> tuple[list, dict, dict]:
        async with Client(server) as client:
            listed = [t.model_dump(mode="json") for t in (await client.list_tools()).tools]
            brief = await client.call_tool("format_escalation_brief", {
                "facts": {"summary": "Checkout down", "severity": "P1", "description": "500 since 09:40 UTC"}})
            routed = await client.call_tool("determine_escalation", {"severity": "P1"})
            assert not brief.is_error and not routed.is_error, (brief.content, routed.content)
            return listed, brief.model_dump(mode="json"), routed.model_dump(mode="json")

    cold_server = build_server()
    published._entries.cache_clear()
    with monkeypatch.context() as patch:
        _no_derivation(patch)
        warm_server = build_server()  # built before any call imports more modules (the key is the loaded set)
    assert await session(warm_server) == await session(cold_server)


def test_a_damaged_cache_file_means_a_full_build(cache: Path):
    build_tools()
    (entries_file,) = cache.glob("derived/published-tools-*.json")
    entries_file.write_text("{not json", encoding="utf-8")
    published._entries.cache_clear()
    again = build_tools()
    assert len(again) == 5
    assert len(json.loads(entries_file.read_text(encoding="utf-8"))) == 5  # rewritten whole


def test_edits_to_a_built_tool_never_reach_the_cache(cache: Path):
    """build_tools fills the vendor argument's description with the catalog ids after publishing: the cache
    keeps the placeholder, so a vendor file added later still shows up."""
    build_tools()
    published._entries.cache_clear()
    first = {t.name: t for t in build_tools()}  # warm: assembled from the file
    second = {t.name: t for t in build_tools()}  # warm again, from the same in-memory entries
    for tools in (first, second):
        vendor = tools["pick_vendor_support_path"].parameters["properties"]["vendor"]
        assert "aws" in vendor["description"].split(", ")
    first["detect_language"].parameters["properties"]["text"]["description"] = "edited"
    assert build_tools()[0].parameters["properties"]["text"]["description"] != "edited"
    (entries_file,) = cache.glob("derived/published-tools-*.json")
    entries = json.loads(entries_file.read_text(encoding="utf-8"))
    assert entries["pick_vendor_support_path"]["parameters"]["properties"]["vendor"]["description"] == "VENDORS"


def test_an_unwritable_cache_derives_every_tool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv(datafiles.CACHE_ENV, str(blocker))
    published._entries.cache_clear()
    tools = build_tools()
    assert [t.name for t in tools] == [fn.__name__ for fn in TITLES]
    published._entries.cache_clear()
