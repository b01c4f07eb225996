"""Protocol details the SDK (mcp 2.3.0) gets wrong for us, fixed in our layer as server middleware.

* ``prompts/get`` with an unknown name or a missing required argument: the SDK raises ValueError,
  which goes out as ``-32603 Internal server error`` (2026-07-28) or code ``0`` (2025-11-25); the
  specification says ``-32602``.
* ``tools/call`` of an unknown tool: the SDK returns an ``isError`` result; 2025-11-25 lists an
  unknown tool as the protocol error ``-32602``.
* A ``cursor`` on a list request: the SDK ignores it. We never hand out cursors, so any cursor is
  invalid (``-32602``).
* A string argument over its schema's ``maxLength``: refused here as a tool error (``isError``) that
  names the field and the sizes, before the SDK parses a megabyte into models.

The middleware runs before the SDK validates or dispatches, sees the raw params, and raises
``MCPError`` so both protocol eras answer with the same code and a short message.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from mcp.shared.exceptions import MCPError
from mcp.types import CallToolResult, TextContent

from escalation_kit.errors import quote
from escalation_kit.mcp.limits import shorten, violation

INVALID_PARAMS = -32602
MAX_URI_CHARS = 1_000
LIST_METHODS = frozenset({"tools/list", "prompts/list", "resources/list", "resources/templates/list"})


class ProtocolChecks:
    """Server middleware: refuse unknown tools and prompts, missing prompt arguments and cursors with -32602."""

    def __init__(self, server: Any) -> None:
        self.server = server
        self.tools: dict[str, dict[str, Any]] | None = None
        self.prompts: dict[str, tuple[str, ...]] | None = None

    async def __call__(self, ctx: Any, call_next: Any) -> Any:
        if ctx.request_id is not None:
            params = ctx.params if isinstance(ctx.params, Mapping) else {}
            await self.check(ctx.method, params)
            if ctx.method == "tools/call":
                too_long = self.too_long(params)
                if too_long:
                    return CallToolResult(content=[TextContent(type="text", text=too_long)], is_error=True)
                return short_errors(await call_next(ctx))
        return await call_next(ctx)

    def too_long(self, params: Mapping[str, Any]) -> str | None:
        """The first argument string over its published maxLength, as a tool-error message, or None."""
        arguments = params.get("arguments")
        if not isinstance(arguments, Mapping) or self.tools is None:
            return None
        return violation(arguments, self.tools.get(str(params.get("name")), {}), "")

    async def check(self, method: str, params: Mapping[str, Any]) -> None:
        if method == "tools/call":
            await self.check_tool(params.get("name"))
        elif method == "prompts/get":
            await self.check_prompt(params.get("name"), params.get("arguments"))
        elif method in ("resources/read", "resources/subscribe", "resources/unsubscribe"):
            uri = params.get("uri")
            if isinstance(uri, str) and len(uri) > MAX_URI_CHARS:
                raise MCPError(INVALID_PARAMS, f"uri: at most {MAX_URI_CHARS} characters, got {len(uri):,}")
        elif method in LIST_METHODS and params.get("cursor") is not None:
            raise MCPError(INVALID_PARAMS, f"Invalid cursor {quote(params.get('cursor'))}: every list fits one "
                                           "page here, so no cursor is ever valid")

    async def check_tool(self, name: object) -> None:
        if self.tools is None:  # the tool set is fixed once the server is serving
            self.tools = {t.name: t.input_schema for t in await self.server.list_tools()}
        if isinstance(name, str) and name not in self.tools:
            raise MCPError(INVALID_PARAMS, f"Unknown tool: {quote(name)} (tools: {', '.join(sorted(self.tools))})")

    async def check_prompt(self, name: object, arguments: object) -> None:
        if self.prompts is None:
            self.prompts = {p.name: tuple(a.name for a in p.arguments or () if a.required)
                            for p in await self.server.list_prompts()}
        if not isinstance(name, str):
            return  # the SDK's params validation answers -32602 itself
        if name not in self.prompts:
            known = ", ".join(sorted(self.prompts))
            raise MCPError(INVALID_PARAMS, f"Unknown prompt: {quote(name)} (prompts: {known})")
        given = arguments if isinstance(arguments, Mapping) else {}
        too_long = violation(dict(given), {}, "arguments")
        if too_long:
            raise MCPError(INVALID_PARAMS, f"Prompt {name}: {too_long}")
        missing = [a for a in self.prompts[name] if a not in given]
        if missing:
            raise MCPError(INVALID_PARAMS, f"Prompt {name} is missing required argument(s): {', '.join(missing)}")


def short_errors(result: Any) -> Any:
    """Tidy and cut the text of a tool error: the SDK's own argument validation lists every bad field it finds,
    in pydantic's report form (model name, type codes, input reprs, a documentation URL per field)."""
    if isinstance(result, CallToolResult) and result.is_error:
        for block in result.content:
            if isinstance(block, TextContent):
                block.text = shorten(tidy_validation(block.text))
    elif isinstance(result, dict) and result.get("isError"):  # the SDK hands middleware the wire form
        for block in result.get("content") or ():
            if isinstance(block, dict) and isinstance(block.get("text"), str):
                block["text"] = shorten(tidy_validation(block["text"]))
    return result


# One field of pydantic's ValidationError report: the location line, then "  message [type=..., input_value=...,
# input_type=...]" and "    For further information visit URL".
_REPORT_HEAD = re.compile(r"(?P<prefix>.*?: )?\d+ validation errors? for \w+\n")
_REPORT_FIELD = re.compile(r"(?P<loc>[^\n]+)\n  (?P<msg>[^\n]*?) \[type=[\w.]+(?:, input_value=(?P<value>.*?))?"
                           r"(?:, input_type=(?P<type>\w+))?\](?:\n    For further information visit \S+)?(?:\n|$)",
                           re.DOTALL)


def tidy_validation(text: str) -> str:
    """pydantic's report as 'invalid arguments: FIELD: MESSAGE (got TYPE VALUE); ...', a value quoted at most 40
    characters; any text not in that form is returned as it was."""
    head = _REPORT_HEAD.match(text)
    if head is None:
        return text
    parts, at = [], head.end()
    while at < len(text):
        found = _REPORT_FIELD.match(text, at)
        if found is None:
            return text
        parts.append(_field_text(found))
        at = found.end()
    return f"{head['prefix'] or ''}invalid arguments: {'; '.join(parts)}"


def _field_text(found: re.Match[str]) -> str:
    kind, value = found["type"], found["value"]
    if found["msg"] == "Field required":
        return f"{found['loc']}: required"
    got = f" (got {'null' if kind == 'NoneType' else kind}" if kind else ""
    if got and value is not None and kind in ("str", "int", "float", "bool"):
        got += f" {value if len(value) <= 40 else value[:39] + '…'}"
    return f"{found['loc']}: {found['msg']}{got + ')' if got else ''}"


def register_static_handlers(server: Any) -> None:
    """``logging/setLevel`` and ``resources/subscribe``/``unsubscribe`` for a server whose content never changes.

    The lists and resources are fixed for the life of the process, so a subscription is valid for any
    resource we serve and simply never fires, and no log notification is ever sent, whatever the level.
    An unknown URI is ``-32602``. The SDK registers these only through the low-level server.
    """
    import mcp.types as types

    lowlevel = server._lowlevel_server  # MCPServer has no public registration for these methods
    state: dict[str, str] = {"level": "warning"}

    async def set_level(ctx: Any, params: types.SetLevelRequestParams) -> types.EmptyResult:
        state["level"] = params.level
        return types.EmptyResult()

    async def subscribe(ctx: Any, params: types.SubscribeRequestParams) -> types.EmptyResult:
        await _known_resource(server, str(params.uri))
        return types.EmptyResult()

    lowlevel.add_request_handler("logging/setLevel", types.SetLevelRequestParams, set_level)
    lowlevel.add_request_handler("resources/subscribe", types.SubscribeRequestParams, subscribe)
    lowlevel.add_request_handler("resources/unsubscribe", types.UnsubscribeRequestParams, subscribe)


async def _known_resource(server: Any, uri: str) -> None:
    """Raise -32602 unless ``uri`` is a listed resource or matches a resource template's shape."""
    if uri in {str(r.uri) for r in await server.list_resources()}:
        return
    for template in await server.list_resource_templates():
        prefix = template.uri_template.split("{", 1)[0]
        if uri.startswith(prefix) and len(uri) > len(prefix):
            return
    raise MCPError(INVALID_PARAMS, f"Unknown resource: {quote(uri)}")
