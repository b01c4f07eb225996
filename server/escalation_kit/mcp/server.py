"""Build and run the MCP server: the five pure tools, reference resources, prompts, skills, completions.

Thin on purpose: tools live in ``tools``, resources, the triage prompt and completions in
``resources``, the skill pack in ``skills``. No domain logic lives in this package, and nothing
heavier than the core's pydantic models is imported at start.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from mcp.server import MCPServer
from mcp.server.caching import CacheHint

from escalation_kit import __version__
from escalation_kit.mcp import resources, skills
from escalation_kit.mcp.protocol import ProtocolChecks, register_static_handlers
from escalation_kit.mcp.tools import CORE_FUNCTIONS, PURE, build_tools
from escalation_kit.mcp.tracker_tools import tracker_tools

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
    "questions, not a fact to repeat."
)


def build_server(*, enable_writes: bool = True) -> MCPServer:
    """Create the server with its tools, resources, prompts, skills and completion handler.

    ``enable_writes`` adds the tracker's write tools; ``run`` turns them off over HTTP unless the user
    enabled them (``serve --enable-write-tools``). The pure and read tools are always there.
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
        tools=build_tools() + tracker_tools(enable_writes),
    )
    resources.register_resources(server)
    resources.register_prompts(server)
    resources.register_completions(server)
    skills.register(server)
    register_static_handlers(server)
    server.middleware.append(ProtocolChecks(server))
    return server


def preload_renderer() -> None:
    """Import Jinja2 before serving: ~15 ms, three quarters of the brief's 20 ms first-call budget if left to it.

    Only ``serve`` pays it (building the server or the CLI parser does not); the cached tool schemas
    (``published``) save more than that at start-up. Templates and fact models still load on first use.
    """
    import jinja2  # noqa: F401


def run(transport: str = "stdio", http: HttpOptions | None = None, enable_writes: bool = False) -> None:
    """Serve over stdio (default) or stateless Streamable HTTP behind the Host/Origin/token guard."""
    from escalation_kit.mcp.warmup import WarmUp

    preload_renderer()
    server = build_server(enable_writes=enable_writes)
    server.middleware.append(WarmUp(CORE_FUNCTIONS))
    # What start-up loaded lives as long as the server, so the cyclic collector need not walk it again:
    # with Jinja2 loaded at start, a first call's collections cost the vendor and SLA tools ~1 ms more.
    gc.freeze()
    if transport == "stdio":
        import anyio

        from escalation_kit.mcp.stdio import serve_stdio

        anyio.run(serve_stdio, server)
    else:
        from escalation_kit.mcp.http import HttpOptions, serve_http

        serve_http(server, http or HttpOptions())
