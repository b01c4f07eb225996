"""Build and run the MCP server: the five pure tools, reference resources, prompts, skills, completions.

Thin on purpose: tools live in ``tools``, resources, the triage prompt and completions in
``resources``, the skill pack in ``skills``. No domain logic lives in this package. Building the
server imports no capability core once the tools' published forms are cached (``published``): the
tools list from those forms, and each loads its core on its first call or in the warm-up.
"""

from __future__ import annotations

import gc
import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from mcp.server import MCPServer
from mcp.server.caching import CacheHint
from mcp.server.mcpserver.tools import Tool

from escalation_kit import __version__
from escalation_kit.mcp import published, resources, skills
from escalation_kit.mcp.ops_tools import ops_specs
from escalation_kit.mcp.protocol import ProtocolChecks, register_static_handlers
from escalation_kit.mcp.published import LazyTool, publish_all
from escalation_kit.mcp.tools import CORE_FUNCTIONS, PURE, derive, load_types, publish_vendor_ids, pure_specs
from escalation_kit.mcp.tracker_tools import tracker_specs

if TYPE_CHECKING:
    from escalation_kit.mcp.http import HttpOptions

__all__ = ["CORE_FUNCTIONS", "INSTRUCTIONS", "PURE", "build_server", "run"]

INSTRUCTIONS = (
    "Deterministic incident-triage tools: the same input always gives the same output, offline. "
    "For a new incident call detect_language on the reporter's text and answer in its answer_language; "
    "then classify_severity; then pick_vendor_support_path when a cloud vendor is involved; then "
    "compute_sla_deadlines with the case's opened_at; then format_escalation_brief. State severities, "
    "deadlines and vendor paths exactly as the tools return them; figures marked unverified must be "
    "reported as unverified. A severity with confidence below 0.8 is a proposal to confirm with its "
    "questions, not a fact to repeat. Results leave out fields at their default (a false flag, a null, "
    "an empty list or text). The vendor and SLA answers are compact by default; detail: \"summary\" adds "
    "playbook steps, every source and every update time, detail: \"full\" provenance and the matched signals. "
    "Two reads bring outside facts and can change: check_provider_status reads the vendor's live status feed "
    "(verified=false means say 'not verified', never 'green'); who_is_on_call names who holds a role or tier."
)


def build_server(*, enable_writes: bool = True, tools: list[Tool] | None = None) -> MCPServer:
    """Create the server with its tools, resources, prompts, skills and completion handler.

    ``enable_writes`` adds the tracker's write tools; ``run`` turns them off over HTTP unless the user
    enabled them (``serve --enable-write-tools``). The pure and read tools are always there.
    ``tools`` are the tools to serve when the caller has built them (``server_tools``).
    """
    hint = CacheHint(ttl_ms=3_600_000, scope="public")
    server = MCPServer(
        "escalation-kit",
        title="Escalation Kit",
        version=__version__,
        instructions=INSTRUCTIONS,
        website_url="https://github.com/escalation-kit/escalation-kit",
        log_level="WARNING",
        cache_hints={m: hint for m in ("tools/list", "prompts/list", "resources/list", "resources/templates/list")},
        tools=server_tools(enable_writes) if tools is None else tools,
    )
    resources.register_resources(server)
    resources.register_prompts(server)
    resources.register_completions(server)
    skills.register(server)
    register_static_handlers(server)
    server.middleware.append(ProtocolChecks(server))
    return server


def server_tools(enable_writes: bool) -> list[Tool]:
    """The pure and tracker tools, lazy when their published forms are cached; vendor ids filled in."""
    tools = publish_all(pure_specs() + tracker_specs(enable_writes) + ops_specs(), load_types, derive)
    for tool in tools:
        publish_vendor_ids(tool)
    return tools


def lazy_builders(tools: list[Tool]) -> dict[str, Callable[[], object]]:
    """Each tool still to be built (listed from its cached form) and what builds it: the warm-up's work."""
    return {tool.name: tool.realize for tool in tools if isinstance(tool, LazyTool)}


# What ``serve`` loads before the client connects although listing needs none of it: the vendor answer
# models (15 classes, ~3.6 ms), which both the vendor and the SLA tools' first calls build on (the SLA clock
# names a vendor's plan through the support path). Measured beside a start without them (session 15,
# benchmarks/README.md): cold start 1.068-1.077 against 1.050-1.069 (+4-10 ms), those two first calls right
# after tools/list 3.7-4 ms faster, which keeps the SLA tool's under 20 ms (15 against 19 ms). And the
# language package (4.3 ms), which detect_language, the severity engine and the brief all import first
# (session 17: each of those first calls ~4 ms faster, cold start +3 ms in the same run). And the brief's
# renderer without Jinja2 (its result and redaction models, ~2.5 ms): with Jinja2's import (~11 ms) the
# brief's first call right after tools/list was 1-2 ms over 20 ms (session 19).
PRELOAD = ("escalation_kit.vendors.models", "escalation_kit.language", "escalation_kit.briefs.render")


def preload() -> None:
    """Import ``PRELOAD`` (``run`` does, before ``gc.freeze``, so what it creates is frozen with start-up)."""
    for name in PRELOAD:
        importlib.import_module(name)


def run(transport: str = "stdio", http: HttpOptions | None = None, enable_writes: bool = False) -> None:
    """Serve over stdio (default) or stateless Streamable HTTP behind the Host/Origin/token guard."""
    from escalation_kit.mcp.warmup import WarmUp

    tools = server_tools(enable_writes)
    server = build_server(enable_writes=enable_writes, tools=tools)
    gates = {tool.name: tool.loading for tool in tools if isinstance(tool, LazyTool)}
    server.middleware.append(WarmUp(CORE_FUNCTIONS, lazy_builders(tools), gates))
    preload()
    # What start-up loaded lives as long as the server, so the cyclic collector need not walk it again;
    # nor what each tool's first call loads (``published.collector_paused``).
    gc.freeze()
    published.FREEZE_FIRST_CALLS = True
    if transport == "stdio":
        import anyio

        from escalation_kit.mcp.stdio import serve_stdio

        anyio.run(serve_stdio, server)
    else:
        from escalation_kit.mcp.http import HttpOptions, serve_http

        serve_http(server, http or HttpOptions())
