"""Measure what the server costs a host: the tokens of tools/list as a real client receives it."""

from __future__ import annotations

import json
from typing import Any

from escalation_kit.mcp.server import build_server
from mcp import Client

TOOLS_TOKEN_BUDGET = 3100  # the five pure tools: 3,000 plus the maxLength every string input declares
TRACKER_TOKEN_BUDGET = 4500  # the tracker's read, routing and write tools on top (issue 14)


async def _list_tools_json() -> str:

    async with Client(build_server()) as client:
        result = await client.list_tools()
    tools = [t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in result.tools]
    return json.dumps({"tools": tools}, ensure_ascii=False, separators=(",", ":"))


def tools_list_stats() -> dict[str, Any]:
    """Tokens of the server's tools/list result as a host receives it; skipped when there is no server."""
    import anyio

    from escalation_kit.skillpack import pack as skillpack

    payload = anyio.run(_list_tools_json)
    tools = json.loads(payload)["tools"]

    def tok(value: Any) -> int:
        return skillpack.estimate_tokens(json.dumps(value, ensure_ascii=False, separators=(",", ":")))

    per_tool = [{"name": t["name"], "tokens": tok(t), "input_schema_tokens": tok(t.get("inputSchema")),
                 "output_schema_tokens": tok(t.get("outputSchema"))} for t in tools]
    from escalation_kit.mcp.tools import CORE_FUNCTIONS

    pure = sum(t["tokens"] for t in per_tool if t["name"] in CORE_FUNCTIONS)
    return {"tools": len(tools), "chars": len(payload), "tokens": skillpack.estimate_tokens(payload),
            "pure_tokens": pure, "budget": TOOLS_TOKEN_BUDGET, "tracker_budget": TRACKER_TOKEN_BUDGET,
            "per_tool": per_tool}
