"""MCP adapter: the five deterministic tools, the reference resources, a triage prompt and completions.

Thin on purpose: every tool forwards to a core function and turns the core's InputError
(or a pydantic validation error) into a ToolError the model can act on. No domain logic
lives here, and nothing heavier than the core's pydantic models is imported at start.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar

from mcp.server import MCPServer
from mcp.server.caching import CacheHint
from mcp.server.mcpserver.exceptions import ResourceNotFoundError, ToolError
from mcp.types import Completion, ToolAnnotations
from pydantic import Field, ValidationError

from escalation_kit import __version__, brief, language, severity, sla, vendors
from escalation_kit.errors import InputError, from_validation_error
from escalation_kit.schema_compact import compact_schema, inline_refs

T = TypeVar("T")

PURE = ToolAnnotations(read_only_hint=True, idempotent_hint=True, destructive_hint=False, open_world_hint=False)

INSTRUCTIONS = (
    "Deterministic incident-triage tools: the same input always gives the same output, offline. "
    "For a new incident call detect_language on the reporter's text and answer in its answer_language; "
    "then classify_severity; then pick_vendor_support_path when a cloud vendor is involved; then "
    "compute_sla_deadlines with the case's opened_at; then format_escalation_brief. State severities, "
    "deadlines and vendor paths exactly as the tools return them; figures marked unverified must be "
    "reported as unverified."
)

SEVERITY_VALUES = list(severity.SEVERITIES)

# The core function behind each tool, for benchmarks and tests that compare a tool with its core.
CORE_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "detect_language": language.detect_language,
    "classify_severity": severity.classify_severity,
    "pick_vendor_support_path": vendors.pick_vendor_support_path,
    "compute_sla_deadlines": sla.compute_sla_deadlines,
    "format_escalation_brief": brief.format_escalation_brief,
}
LANGUAGE_VALUES = ["auto", "en", "ru", "zh"]


def _call(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a core function, mapping bad input to a ToolError that names the field and the allowed values."""
    try:
        return fn(*args, **kwargs)
    except InputError as exc:
        raise ToolError(str(exc)) from exc
    except ValidationError as exc:
        raise ToolError(str(from_validation_error(exc))) from exc


def build_server() -> MCPServer:
    """Create the server with its tools, resources, prompt and completion handler."""
    hint = CacheHint(ttl_ms=3_600_000, scope="public")
    server = MCPServer(
        "escalation-kit",
        title="Escalation Kit",
        version=__version__,
        instructions=INSTRUCTIONS,
        website_url="https://github.com/escalation-kit/escalation-kit",
        log_level="WARNING",
        cache_hints={m: hint for m in ("tools/list", "prompts/list", "resources/list", "resources/templates/list")},
    )
    _register_tools(server)
    _register_resources(server)
    _register_prompts(server)
    _register_completions(server)
    _register_skills(server)
    _compact_tool_schemas(server)
    return server


def _compact_tool_schemas(server: MCPServer) -> None:
    """Publish compact schemas (see schema_compact) and one-line descriptions.

    The SDK has no public hook for this, so it edits its tool records once, at build time.
    """
    for tool in server._tool_manager.list_tools():
        tool.description = " ".join((tool.description or "").split())
        tool.parameters = inline_refs(compact_schema(tool.parameters))
        if tool.fn_metadata.output_schema is not None:
            tool.fn_metadata.output_schema = inline_refs(compact_schema(tool.fn_metadata.output_schema, output=True))


def _register_tools(server: MCPServer) -> None:
    @server.tool(title="Detect reporter language", annotations=PURE)
    async def detect_language(
        text: Annotated[str, Field(description="The reporter's message as written")],
    ) -> language.LanguageResult:
        """The reporter's language (ru, en, zh or unknown), ignoring logs, code, URLs and embedded English
        terms. Call it first; answer in answer_language."""
        return _call(language.detect_language, text)

    @server.tool(title="Classify incident severity (P0-P3)", annotations=PURE)
    async def classify_severity(
        text: Annotated[str | None, Field(description="Incident text (en, ru or zh)")] = None,
        facts: Annotated[
            severity.ImpactFacts | None,
            Field(description="Impact facts; override the text"),
        ] = None,
    ) -> severity.SeverityResult:
        """P0-P3 from text and/or impact facts (facts win), with the deciding rule, signals, each vendor's
        case severity and the questions to ask."""
        if not (text and text.strip()) and facts is None:
            raise ToolError("text/facts: give the incident text, the impact facts, or both")
        return _call(severity.classify_severity, text, facts)

    @server.tool(title="Pick cloud vendor support path", annotations=PURE)
    async def pick_vendor_support_path(
        vendor: Annotated[
            str,
            Field(
                description="aws, azure, gcp, alibaba-cn, alibaba-intl, oci, tencent, huawei, yandex, cloudflare"
            ),
        ],
        severity: Literal["P0", "P1", "P2", "P3"],
        plan: Annotated[str | None, Field(description="Plan id; default: the common paid plan")] = None,
        region: Annotated[str | None, Field(description="e.g. cn-hangzhou")] = None,
        production: Annotated[
            bool | None, Field(description="false for staging/test: caps the case at the non-production level")
        ] = None,
    ) -> vendors.VendorPath:
        """For a cloud vendor and P0-P3: the case severity to file, committed response time, how to open
        the case, whom to escalate to and the status pages to check first, with sources."""
        return _call(vendors.pick_vendor_support_path, vendor, severity, plan, region, production)

    @server.tool(title="Compute SLA deadlines", annotations=PURE)
    async def compute_sla_deadlines(
        severity: Literal["P0", "P1", "P2", "P3"],
        opened_at: Annotated[str, Field(description="ISO 8601 with offset")],
        vendor: Annotated[str | None, Field(description="Take the target from this vendor")] = None,
        plan: Annotated[str | None, Field(description="Vendor plan id")] = None,
        timezone: Annotated[str | None, Field(description="IANA zone, e.g. Asia/Shanghai")] = None,
        calendar: Annotated[
            str | None, Field(description="Holiday calendar: CN, RU, US...")
        ] = None,
        now: Annotated[
            str | None, Field(description="ISO 8601; adds elapsed, remaining, status")
        ] = None,
        target: Annotated[
            sla.SlaTarget | None, Field(description="Explicit target, e.g. an internal SLA")
        ] = None,
        policy: Annotated[
            str | None, Field(description="workflow-tiers or technical-handoffs")
        ] = None,
        tier: Annotated[int | str | None, Field(description="Policy step, e.g. 2")] = None,
    ) -> sla.SlaResult:
        """First-response deadline, update times and escalation triggers (50%, 75%, breach, policy steps)
        on a 24x7 or business-hours clock with time zone and holidays; with now, the SLA status."""
        return _call(
            sla.compute_sla_deadlines,
            severity,
            opened_at,
            vendor=vendor,
            plan=plan,
            timezone=timezone,
            calendar=calendar,
            now=now,
            target=target,
            policy=policy,
            tier=tier,
        )

    @server.tool(title="Format escalation brief", annotations=PURE)
    async def format_escalation_brief(
        facts: Annotated[
            dict[str, Any],
            Field(
                description="escalation_brief needs summary, severity, description; takes target, "
                "customers_affected, sla_status, tried, needed, deadline... Missing ones are named in the error."
            ),
        ],
        kind: brief.DocKind = "escalation_brief",
        language: Annotated[
            Literal["auto", "en", "ru", "zh"], Field(description="auto = the facts' language")
        ] = "auto",
        timezone: Annotated[str, Field(description="IANA zone for timestamps")] = "UTC",
        redact: Annotated[bool, Field(description="Mask secrets and personal data")] = True,
    ) -> brief.BriefResult:
        """An escalation document as Markdown in en, ru or zh, secrets and personal data masked, with the
        redactions and the facts shown as 'unknown - ask'."""
        return _call(
            brief.format_escalation_brief, facts, kind=kind, language=language, timezone=timezone, redact=redact
        )


def _register_resources(server: MCPServer) -> None:
    from escalation_kit.paths import references_dir

    @server.resource(
        "escalation-kit://rubric/severity",
        title="Severity rubric (P0-P3)",
        description="The sourced P0-P3 rubric and tie-break rules classify_severity applies",
        mime_type="text/markdown",
    )
    def severity_rubric() -> str:
        return (references_dir() / "severity-rubric.md").read_text(encoding="utf-8")

    @server.resource(
        "escalation-kit://vendors",
        title="Vendor support catalog",
        description="Every vendor, site and support plan in the catalog, with sources",
        mime_type="application/json",
    )
    def vendor_catalog() -> str:
        return vendors.list_vendors().model_dump_json(indent=2)

    @server.resource(
        "escalation-kit://vendors/{vendor}",
        title="One vendor's support paths",
        description="Plans, case severities, response targets, escalation roles and status pages of one vendor",
        mime_type="text/markdown",
    )
    def vendor_detail(vendor: str) -> str:
        try:
            return vendors.catalog_markdown(vendor)
        except InputError as exc:  # an unknown vendor is a missing resource (-32602), with the valid ids
            raise ResourceNotFoundError(str(exc)) from exc

    @server.resource(
        "escalation-kit://policy/sla",
        title="SLA and escalation policies",
        description="Update cadence, SLA-at-risk triggers and escalation tier models the SLA clock can run",
        mime_type="application/json",
    )
    def sla_policies() -> str:
        return json.dumps(sla.list_policies(), ensure_ascii=False, indent=2, default=str)


def _register_prompts(server: MCPServer) -> None:
    @server.prompt(title="Triage an incident")
    def triage_incident(incident_text: str, vendor: str = "", plan: str = "", language: str = "auto") -> str:
        """Triage an incident end to end with the deterministic tools and write the incident report."""
        vendor_line = ""
        if vendor:
            vendor_line = f" The affected cloud vendor is {vendor}" + (f" on plan {plan}." if plan else ".")
        lang_line = (
            "Answer in the language detect_language returns."
            if language == "auto"
            else f"Answer in this language: {language}."
        )
        return (
            "Triage this incident as a senior escalation coordinator.\n\n"
            f"Incident report:\n<<<\n{incident_text}\n>>>\n{vendor_line}\n\n"
            "Steps: 1) detect_language on the report. 2) classify_severity with the text and any facts you know; "
            "ask the returned questions you cannot answer. 3) pick_vendor_support_path if a cloud vendor is "
            "involved, and check its status pages before blaming the user side. 4) compute_sla_deadlines from "
            "the time the case was opened. 5) format_escalation_brief with kind incident_report.\n"
            "Return: the classification and impact scope, the status page check result, the evidence checklist "
            "(collected in parallel with mitigation), the escalation path and SLA tracking plan, the war room "
            f"and communication plan, and the open questions that block closing. {lang_line}"
        )


COMPLETION_VALUES: dict[str, Callable[[], list[str]]] = {
    "severity": lambda: SEVERITY_VALUES,
    "level": lambda: SEVERITY_VALUES,
    "language": lambda: LANGUAGE_VALUES,
    "vendor": lambda: vendors.vendor_ids(),
}


def _register_completions(server: MCPServer) -> None:
    @server.completion()
    async def complete(ref: Any, argument: Any, context: Any) -> Completion:
        """Complete severity, vendor and language arguments of prompts and resource templates."""
        source = COMPLETION_VALUES.get(argument.name)
        values = [v for v in (source() if source else []) if v.startswith(argument.value or "")]
        return Completion(values=values[:100], total=len(values), has_more=len(values) > 100)


def _register_skills(server: MCPServer) -> None:
    """Offer each skill's workflow as a prompt and its references as resources (see mcp_skills)."""
    from escalation_kit import mcp_skills

    mcp_skills.register(server)


def run(transport: str = "stdio", host: str = "127.0.0.1", port: int = 8000, path: str = "/mcp") -> None:
    """Serve over stdio (default) or stateless Streamable HTTP."""
    server = build_server()
    if transport == "stdio":
        server.run()
    else:
        server.run("streamable-http", host=host, port=port, streamable_http_path=path,
                   stateless_http=True, json_response=True)
