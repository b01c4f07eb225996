"""MCP adapter for the skill pack: each skill's workflow as a prompt, its files as resources.

Hosts without Agent Skills support get the same knowledge this way: the prompt
``skill_<name>`` (hyphens become underscores) carries the skill's instructions plus the
reporter's text, and ``escalation-kit://skills/<name>`` (SKILL.md),
``escalation-kit://skills/<name>/references/<file>`` and
``escalation-kit://skills/<name>/contract`` serve the files the instructions point to.
All reading goes through ``skillpack``; this module only registers. Registration lists the
skill folders but reads no file, so building the server stays cheap; every file is read when
a prompt or resource is requested.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated

from mcp.server import MCPServer
from mcp.server.mcpserver.exceptions import ResourceNotFoundError
from mcp.server.mcpserver.prompts import Prompt
from mcp.server.mcpserver.resources import FunctionResource
from mcp.shared.exceptions import MCPError
from pydantic import Field

from escalation_kit.errors import InputError, quote
from escalation_kit.skillpack import pack as skillpack
from escalation_kit.vocab import LANGUAGE_CHOICES

URI_ROOT = "escalation-kit://skills"
INVALID_PARAMS = -32602
LANGUAGES = LANGUAGE_CHOICES


def language_rule(language: str) -> str:
    """The one line every prompt uses to say which language to answer in."""
    if language == "auto":
        return "Answer in the language detect_language returns for the case text."
    return f"Answer in this language: {language}."


def prompt_name(skill: str) -> str:
    """MCP prompt name for a skill, e.g. incident-triage -> skill_incident_triage."""
    return "skill_" + skill.replace("-", "_")


def skill_uri(skill: str) -> str:
    return f"{URI_ROOT}/{skill}"


def reference_uri(skill: str, file: str) -> str:
    return f"{URI_ROOT}/{skill}/references/{file}"


def check_prompt_arguments(incident_text: str, language: str, vendor: str, plan: str = "") -> str:
    """Refuse what a prompt would paste in unchecked (an unknown language or vendor, a plan that is no id, no
    text), naming the argument; return the case text with the quote's delimiters defused, so text cannot
    end the quoted block early and write instructions after it."""
    from escalation_kit.vendors.ids import vendor_ids

    if language not in LANGUAGES:
        raise InputError("language", f"unknown language {quote(language)}", list(LANGUAGES))
    if not incident_text.strip():
        raise InputError("incident_text", "give the incident or case text as the reporter wrote it")
    if vendor.strip() and vendor.strip() not in vendor_ids():
        raise InputError("vendor", f"unknown vendor {quote(vendor)}", vendor_ids())
    if plan and not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", plan):
        raise InputError("plan", f"{quote(plan)} is not a plan id", ["a catalog plan id, e.g. business"])
    return incident_text.replace("<<<", "< < <").replace(">>>", "> > >")


def render_prompt(skill: skillpack.Skill, incident_text: str, language: str = "auto", vendor: str = "") -> str:
    """The prompt text: the reporter's case, the language rule, then the skill's own instructions."""
    incident_text = check_prompt_arguments(incident_text, language, vendor)
    lang_rule = language_rule(language)
    vendor_line = f"\nCloud vendor involved: {vendor.strip()}." if vendor.strip() else ""
    refs = "\n".join(f"- references/{f}: {reference_uri(skill.name, f)}" for f in skill.references)
    return (
        f"Work on this case by following the {skill.name} skill below.\n\n"
        f"Case text:\n<<<\n{incident_text}\n>>>{vendor_line}\n\n{lang_rule}\n\n"
        f"The skill's reference files are MCP resources; read one only when the skill says to:\n{refs}\n\n"
        f"--- {skill.name} skill ---\n{skill.body.strip()}\n"
    )


def _make_prompt(name: str) -> Callable[..., str]:
    """A prompt function bound to one skill, with typed, described arguments."""

    async def prompt(
        incident_text: Annotated[str, Field(description="The incident or case text, as the reporter wrote it")],
        language: Annotated[str, Field(description="auto (detect from the text), en, ru or zh")] = "auto",
        vendor: Annotated[str, Field(description="Cloud vendor id if one is involved, e.g. aws, alibaba-cn")] = "",
    ) -> str:
        try:
            return render_prompt(skillpack.load_skill(name), incident_text, language, vendor)
        except InputError as exc:  # MCPError passes through the SDK with its message intact
            raise MCPError(INVALID_PARAMS, str(exc)) from exc

    return prompt


def label(skill: str) -> str:
    """Human title from the folder name, e.g. incident-triage -> Incident triage (no file read)."""
    return skill.replace("-", " ").capitalize()


def _register_prompts(server: MCPServer, names: list[str]) -> None:
    """One prompt per skill. The SDK derives the arguments once; each skill's prompt is a copy of it.

    All six prompts share one signature, and deriving it (a pydantic model and its JSON Schema) cost
    about 2 ms a prompt at start-up. The SDK's per-call argument casting is not needed: prompt
    arguments arrive as strings, which is what every parameter takes.
    """
    template = Prompt.from_function(_make_prompt(names[0]))
    for name in names:
        server.add_prompt(template.model_copy(update={
            "name": prompt_name(name),
            "title": f"Skill: {label(name)}",
            "description": (f"Work a case with the {name} skill: its instructions (SKILL.md), the case text and "
                            f"the answer language, in one prompt. Reference files: {skill_uri(name)}/references/..."),
            "fn": _make_prompt(name),
        }))


def _reference_reader(name: str, file: str) -> Callable[[], str]:
    """A parameterless reader for one reference file (static resources take no arguments)."""

    def read_ref() -> str:
        return skillpack.read_reference(name, file)

    return read_ref


def add_static(server: MCPServer, uri: str, reader: Callable[[], str], *, name: str, title: str,
               description: str, mime_type: str) -> None:
    """A static resource, added as the SDK's ``FunctionResource`` directly.

    ``server.resource(...)`` wraps each reader in pydantic's ``validate_call`` (~0.15 ms a resource at
    start-up, ~30 of them), which checks nothing for a reader that takes no arguments.
    """
    server.add_resource(FunctionResource(uri=uri, name=name, title=title, description=description,
                                         mime_type=mime_type, fn=reader))


def _register_files(server: MCPServer, name: str) -> None:
    title = label(name)

    def read_skill() -> str:
        return (skillpack.load_skill(name).path / "SKILL.md").read_text(encoding="utf-8")

    add_static(server, skill_uri(name), read_skill, name=f"{name}-skill", title=f"{title} (SKILL.md)",
               description=f"Instructions of the {name} skill", mime_type="text/markdown")

    def read_contract() -> str:
        return skillpack.load_skill(name).contract.model_dump_json(indent=2)

    add_static(server, f"{skill_uri(name)}/contract", read_contract, name=f"{name}-contract",
               title=f"{title}: response-minimum contract",
               description="Required answer sections with their headings in en, ru and zh",
               mime_type="application/json")

    for file in skillpack.reference_files(name):
        add_static(server, reference_uri(name, file), _reference_reader(name, file),
                   name=f"{name}-{file.removesuffix('.md')}", title=f"{title}: {file}",
                   description=f"Reference file {file} of the {name} skill", mime_type="text/markdown")


def _register_template(server: MCPServer) -> None:
    @server.resource(f"{URI_ROOT}/{{skill}}/references/{{file}}", name="skill-reference",
                     title="Skill reference file",
                     description="Any reference file of any skill; unknown names list the valid ones",
                     mime_type="text/markdown")
    def skill_reference(skill: str, file: str) -> str:
        try:
            return skillpack.read_reference(skill, file)
        except InputError as exc:
            raise ResourceNotFoundError(str(exc)) from exc


def register(server: MCPServer) -> None:
    """Add one prompt per skill and resources for every SKILL.md, contract and reference file."""
    try:
        names = skillpack.list_skills()
    except FileNotFoundError:  # an install without the skills folder still serves the tools
        return
    if names:
        _register_prompts(server, names)
    for name in names:
        _register_files(server, name)
    _register_template(server)
