"""Static resources added directly as FunctionResource list and read exactly as the SDK decorator's do."""

from __future__ import annotations

import pytest
from mcp.server import MCPServer

from escalation_kit.mcp.skills import add_static
from mcp import Client

pytestmark = pytest.mark.anyio


def read_note() -> str:
    return "# Note\nplain text"


async def _listed_and_read(server: MCPServer) -> tuple[list, list]:
    async with Client(server) as client:
        listed = [r.model_dump(mode="json") for r in (await client.list_resources()).resources]
        read = [(await client.read_resource(r["uri"])).model_dump(mode="json") for r in listed]
    return listed, read


async def test_add_static_matches_the_decorator():
    meta = {"name": "note", "title": "A note", "description": "One note", "mime_type": "text/markdown"}
    decorated = MCPServer("a")
    decorated.resource("escalation-kit://note", **meta)(read_note)
    direct = MCPServer("a")
    add_static(direct, "escalation-kit://note", read_note, **meta)
    listed, read = await _listed_and_read(direct)
    assert (listed, read) == await _listed_and_read(decorated)
    assert read[0]["contents"][0]["text"] == read_note()
