"""Skill workflows as MCP prompts and skill files as MCP resources, through a real in-memory client."""

from __future__ import annotations

import json

import anyio
import pytest
from mcp.server import MCPServer
from mcp.shared.exceptions import MCPError

from escalation_kit.mcp import skills as mcp_skills
from escalation_kit.skillpack import pack as skillpack
from escalation_kit.skillpack.contracts import Contract
from mcp import Client

SKILLS = skillpack.list_skills()


def server() -> MCPServer:
    srv = MCPServer("skills-under-test")
    mcp_skills.register(srv)
    return srv


def run(fn):
    """Run an async test body against a fresh server."""
    async def body():
        async with Client(server()) as client:
            return await fn(client)

    return anyio.run(body)


def test_one_prompt_per_skill_with_described_arguments():
    async def check(client):
        return (await client.list_prompts()).prompts

    prompts = {p.name: p for p in run(check)}
    assert set(prompts) == {mcp_skills.prompt_name(n) for n in SKILLS}
    triage = prompts["skill_incident_triage"]
    args = {a.name: a for a in triage.arguments}
    assert args["incident_text"].required and not args["language"].required and not args["vendor"].required
    assert "incident-triage" in triage.description and triage.title == "Skill: Incident triage"


@pytest.mark.parametrize("name", ["incident-triage", "vendor-escalation"])
def test_prompt_carries_the_case_the_language_and_the_skill_instructions(name):
    async def check(client):
        return await client.get_prompt(mcp_skills.prompt_name(name),
                                       {"incident_text": "RDS в cn-hangzhou недоступна", "language": "ru",
                                        "vendor": "alibaba-cn"})

    text = run(check).messages[0].content.text
    skill = skillpack.load_skill(name)
    assert "RDS в cn-hangzhou недоступна" in text
    assert "Answer in this language: ru." in text and "alibaba-cn" in text
    assert skill.body.strip() in text
    for file in skill.references:
        assert mcp_skills.reference_uri(name, file) in text


def test_prompt_rejects_an_unknown_language_naming_the_allowed_ones():
    async def check(client):
        with pytest.raises(MCPError) as err:
            await client.get_prompt("skill_escalation_brief", {"incident_text": "x", "language": "fr"})
        return str(err.value)

    message = run(check)
    assert "language" in message and "auto, en, ru, zh" in message


def test_resources_serve_skill_md_contract_and_every_reference():
    async def check(client):
        listed = {str(r.uri) for r in (await client.list_resources()).resources}
        skill_md = await client.read_resource(mcp_skills.skill_uri("escalation-workflow"))
        contract = await client.read_resource(mcp_skills.skill_uri("escalation-workflow") + "/contract")
        ref = await client.read_resource(mcp_skills.reference_uri("escalation-workflow", "tier-model.md"))
        via_template = await client.read_resource(
            "escalation-kit://skills/escalation-brief/references/brief-layout.md")
        return listed, skill_md, contract, ref, via_template

    listed, skill_md, contract, ref, via_template = run(check)
    for name in SKILLS:
        assert mcp_skills.skill_uri(name) in listed
        for file in skillpack.load_skill(name).references:
            assert mcp_skills.reference_uri(name, file) in listed
    folder = skillpack.skills_dir() / "escalation-workflow"
    assert skill_md.contents[0].text == (folder / "SKILL.md").read_text(encoding="utf-8")
    parsed = Contract.model_validate(json.loads(contract.contents[0].text))
    assert parsed == skillpack.load_skill("escalation-workflow").contract
    assert ref.contents[0].text == (folder / "references" / "tier-model.md").read_text(encoding="utf-8")
    assert via_template.contents[0].text.startswith("# Escalation brief layout")


def test_unknown_reference_is_an_error_listing_the_files():
    async def check(client):
        with pytest.raises(MCPError) as err:
            await client.read_resource("escalation-kit://skills/incident-triage/references/nope.md")
        return str(err.value)

    assert "severity-rubric.md" in run(check)
