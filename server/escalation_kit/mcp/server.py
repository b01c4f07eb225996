"""Build and run the MCP server: the five pure tools, reference resources, prompts, skills, completions.

Thin on purpose: tools live in ``tools``, resources, the triage prompt and completions in
``resources``, the skill pack in ``skills``. No domain logic lives in this package, and nothing
heavier than the core's pydantic models is imported at start.
"""

from __future__ import annotations

from mcp.server import MCPServer
from mcp.server.caching import CacheHint

from escalation_kit import __version__
from escalation_kit.mcp import resources, skills
from escalation_kit.mcp.tools import CORE_FUNCTIONS, PURE, build_tools
from escalation_kit.mcp.tracker_tools import register_tracker_tools

__all__ = ["CORE_FUNCTIONS", "INSTRUCTIONS", "PURE", "build_server", "run"]

INSTRUCTIONS = (
    "Deterministic incident-triage tools: the same input always gives the same output, offline. "
    "For a new incident call detect_language on the reporter's text and answer in its answer_language; "
    "then classify_severity; then pick_vendor_support_path when a cloud vendor is involved; then "
    "compute_sla_deadlines with the case's opened_at; then format_escalation_brief. State severities, "
    "deadlines and vendor paths exactly as the tools return them; figures marked unverified must be "
    "reported as unverified."
)


def build_server(*, enable_writes: bool = True) -> MCPServer:
    """Create the server with its tools, resources, prompts, skills and completion handler."""
    hint = CacheHint(ttl_ms=3_600_000, scope="public")
    server = MCPServer(
        "escalation-kit",
        title="Escalation Kit",
        version=__version__,
        instructions=INSTRUCTIONS,
        website_url="https://github.com/escalation-kit/escalation-kit",
        log_level="WARNING",
        cache_hints={m: hint for m in ("tools/list", "prompts/list", "resources/list", "resources/templates/list")},
        tools=build_tools(),
    )
    resources.register_resources(server)
    resources.register_prompts(server)
    resources.register_completions(server)
    skills.register(server)
    register_tracker_tools(server, enable_writes)
    return server


def run(transport: str = "stdio", host: str = "127.0.0.1", port: int = 8000, path: str = "/mcp") -> None:
    """Serve over stdio (default) or stateless Streamable HTTP."""
    server = build_server(enable_writes=transport == "stdio")
    if transport == "stdio":
        server.run()
    else:
        server.run("streamable-http", host=host, port=port, streamable_http_path=path,
                   stateless_http=True, json_response=True)
