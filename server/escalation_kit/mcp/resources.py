"""The server's reference resources, the triage prompt and argument completions.

Resources are a table of (uri, title, description, mime type, reader); the vendor page is the one
template. Readers call the core; nothing here computes a figure.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from mcp.server import MCPServer
from mcp.server.mcpserver.exceptions import ResourceNotFoundError
from mcp.shared.exceptions import MCPError
from mcp.types import Completion

from escalation_kit.errors import InputError, quote
from escalation_kit.mcp.skills import add_static, check_prompt_arguments, language_rule
from escalation_kit.paths import references_dir
from escalation_kit.skillpack import pack as skillpack
from escalation_kit.vendors.ids import vendor_ids
from escalation_kit.vocab import LANGUAGE_CHOICES, SEVERITIES


def _rubric() -> str:
    return (references_dir() / "severity-rubric.md").read_text(encoding="utf-8")


def _catalog() -> str:
    from escalation_kit.vendors.catalog import list_vendors  # the catalog's models load with the first read

    return list_vendors().model_dump_json(indent=2)


def _sla_policies() -> str:
    from escalation_kit.sla.policy import list_policies

    return json.dumps(list_policies(), ensure_ascii=False, indent=2, default=str)


STATIC: tuple[tuple[str, str, str, str, Callable[[], str]], ...] = (
    ("escalation-kit://rubric/severity", "Severity rubric (P0-P3)",
     "The sourced P0-P3 rubric and tie-break rules classify_severity applies", "text/markdown", _rubric),
    ("escalation-kit://vendors", "Vendor support catalog",
     "Every vendor, site and support plan in the catalog, with sources", "application/json", _catalog),
    ("escalation-kit://policy/sla", "SLA and escalation policies",
     "Update cadence, SLA-at-risk triggers and escalation tier models the SLA clock can run", "application/json",
     _sla_policies),
)


def register_resources(server: MCPServer) -> None:
    """The static resources from the table, then the one-vendor template."""
    for uri, title, description, mime, reader in STATIC:
        add_static(server, uri, reader, name=reader.__name__.lstrip("_"), title=title, description=description,
                   mime_type=mime)

    @server.resource(
        "escalation-kit://vendors/{vendor}",
        title="One vendor's support paths",
        description="Plans, case severities, response targets, escalation roles and status pages of one vendor",
        mime_type="text/markdown",
    )
    def vendor_detail(vendor: str) -> str:
        from escalation_kit.vendors.markdown import catalog_markdown

        try:
            return catalog_markdown(vendor)
        except InputError as exc:  # an unknown vendor is a missing resource (-32602), with the valid ids
            raise ResourceNotFoundError(str(exc)) from exc


def register_prompts(server: MCPServer) -> None:
    @server.prompt(title="Triage an incident")
    def triage_incident(incident_text: str, vendor: str = "", plan: str = "", language: str = "auto") -> str:
        """Triage an incident end to end with the deterministic tools and write the incident report."""
        try:
            incident_text = check_prompt_arguments(incident_text, language, vendor, plan)
        except InputError as exc:  # MCPError passes through the SDK with its message intact
            raise MCPError(-32602, str(exc)) from exc
        vendor_line = ""
        if vendor.strip():
            vendor_line = f" The affected cloud vendor is {vendor.strip()}" + (f" on plan {plan}." if plan else ".")
        return (
            "Triage this incident as a senior escalation coordinator.\n\n"
            f"Incident report:\n<<<\n{incident_text}\n>>>\n{vendor_line}\n\n"
            "Steps: 1) detect_language on the report. 2) classify_severity with the text and any facts you know; "
            "ask the returned questions you cannot answer. 3) pick_vendor_support_path if a cloud vendor is "
            "involved, and check its status pages before blaming the user side. 4) compute_sla_deadlines from "
            "the time the case was opened. 5) format_escalation_brief with kind incident_report.\n"
            "Return: the classification and impact scope, the status page check result, the evidence checklist "
            "(collected in parallel with mitigation), the escalation path and SLA tracking plan, the war room "
            f"and communication plan, and the open questions that block closing. {language_rule(language)}"
        )


COMPLETION_VALUES: dict[str, Callable[[], list[str]]] = {
    "severity": lambda: list(SEVERITIES),
    "level": lambda: list(SEVERITIES),
    "language": lambda: list(LANGUAGE_CHOICES),
    "vendor": vendor_ids,
}
SKILL_REFERENCE = "escalation-kit://skills/{skill}/references/{file}"


def _skill_files(context: Any) -> list[str]:
    """Reference files of the skill already chosen in the template, or of every skill."""
    chosen = (getattr(context, "arguments", None) or {}).get("skill")
    names = [chosen] if chosen in skillpack.list_skills() else skillpack.list_skills()
    return sorted({f for name in names for f in skillpack.reference_files(name)})


TEMPLATE_VALUES: dict[str, dict[str, Callable[[Any], list[str]]]] = {
    "escalation-kit://vendors/{vendor}": {"vendor": lambda _: vendor_ids()},
    SKILL_REFERENCE: {"skill": lambda _: skillpack.list_skills(), "file": _skill_files},
}


async def completion_values(server: MCPServer, ref: Any, argument: str, context: Any) -> list[str]:
    """Values for one argument of one prompt or resource template; an unknown prompt or template is -32602."""
    if getattr(ref, "type", "") == "ref/prompt":
        prompts = {p.name: {a.name for a in p.arguments or ()} for p in await server.list_prompts()}
        if ref.name not in prompts:
            raise MCPError(-32602, f"Unknown prompt: {quote(ref.name)}")
        source = COMPLETION_VALUES.get(argument) if argument in prompts[ref.name] else None
        return source() if source else []
    uri = getattr(ref, "uri", "")
    if uri not in TEMPLATE_VALUES:
        raise MCPError(-32602, f"Unknown resource template: {quote(uri)}")
    reader = TEMPLATE_VALUES[uri].get(argument)
    return reader(context) if reader else []


def register_completions(server: MCPServer) -> None:
    @server.completion()
    async def complete(ref: Any, argument: Any, context: Any) -> Completion:
        """Complete the arguments the referenced prompt or template actually has (vendor, language, skill...)."""
        values = [v for v in await completion_values(server, ref, argument.name, context)
                  if v.startswith(argument.value or "")]
        return Completion(values=values[:100], total=len(values), has_more=len(values) > 100)
