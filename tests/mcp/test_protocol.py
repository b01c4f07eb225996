"""Protocol details through the SDK Client in memory, in both eras: error codes, cursors, completions, limits.

Every bad request gets the specific answer the specification asks for (-32602 for unknown tools and
prompts, missing prompt arguments and invalid cursors); every bad tool argument gets a tool error that
names the field and quotes at most a short prefix of the value, never "Error executing tool" alone.
"""

from __future__ import annotations

import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mcp.shared.exceptions import MCPError
from mcp.types import PromptReference, ResourceTemplateReference

from escalation_kit.mcp.limits import SHORT_CHARS, TEXT_CHARS
from escalation_kit.mcp.server import build_server
from mcp import Client

pytestmark = pytest.mark.anyio
MODES = ["legacy", "auto"]
BIG = "x" * 1_000_000


@pytest.fixture(params=MODES)
def mode(request) -> str:
    return request.param


async def error_code(coro) -> tuple[int, str]:
    with pytest.raises(MCPError) as info:
        await coro
    return info.value.error.code, info.value.error.message


async def test_unknown_tool_is_invalid_params(mode):
    async with Client(build_server(), mode=mode) as c:
        code, message = await error_code(c.call_tool("no_such_tool", {}))
    assert code == -32602 and "no_such_tool" in message and "detect_language" in message


@pytest.mark.parametrize("name, args, word", [
    ("no_such_prompt", {}, "Unknown prompt"),
    ("triage_incident", {}, "incident_text"),
    ("skill_incident_triage", {"language": "en"}, "incident_text"),
])
async def test_bad_prompt_requests_are_invalid_params(mode, name, args, word):
    async with Client(build_server(), mode=mode) as c:
        code, message = await error_code(c.get_prompt(name, args))
    assert code == -32602 and word in message


async def test_a_cursor_is_invalid_because_every_list_is_one_page(mode):
    async with Client(build_server(), mode=mode) as c:
        for call in (c.list_tools, c.list_prompts, c.list_resources, c.list_resource_templates):
            code, message = await error_code(call(cursor="bogus"))
            assert code == -32602 and "cursor" in message
        assert (await c.list_tools()).tools  # no cursor: one full page


async def test_completions_follow_the_reference():
    async with Client(build_server(), mode="legacy") as c:
        prompt = PromptReference(type="ref/prompt", name="triage_incident")
        assert (await c.complete(prompt, {"name": "severity", "value": ""})).completion.values == []
        assert "aws" in (await c.complete(prompt, {"name": "vendor", "value": "a"})).completion.values
        skill = PromptReference(type="ref/prompt", name="skill_incident_triage")
        assert (await c.complete(skill, {"name": "language", "value": "z"})).completion.values == ["zh"]
        template = ResourceTemplateReference(type="ref/resource", uri="escalation-kit://skills/{skill}/references/{file}")
        skills = (await c.complete(template, {"name": "skill", "value": "incident"})).completion.values
        assert skills == ["incident-triage"]
        files = (await c.complete(template, {"name": "file", "value": ""}, {"skill": "incident-triage"})).completion
        assert files.values and all(v.endswith(".md") for v in files.values)
        code, _ = await error_code(c.complete(ResourceTemplateReference(type="ref/resource", uri="escalation-kit://x/{y}"),
                                              {"name": "severity", "value": ""}))
        assert code == -32602
        code, _ = await error_code(c.complete(PromptReference(type="ref/prompt", name="nope"),
                                              {"name": "vendor", "value": ""}))
        assert code == -32602


async def test_every_string_input_declares_a_max_length():
    async with Client(build_server()) as c:
        tools = (await c.list_tools()).tools

    def strings(node, path):
        if isinstance(node, dict):
            types = node.get("type")
            if (types == "string" or (isinstance(types, list) and "string" in types)) and "enum" not in node:
                yield path, node
            for key, value in node.items():
                yield from strings(value, f"{path}.{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                yield from strings(value, f"{path}[{i}]")

    found = [(t.name + p, n) for t in tools for p, n in strings(t.input_schema, "")]
    assert len(found) > 10
    assert [p for p, n in found if not isinstance(n.get("maxLength"), int)] == []
    text = next(t for t in tools if t.name == "detect_language").input_schema["properties"]["text"]
    assert text["maxLength"] == TEXT_CHARS


@pytest.mark.parametrize("tool, args, field", [
    ("pick_vendor_support_path", {"vendor": BIG, "severity": "P1"}, "vendor"),
    ("pick_vendor_support_path", {"vendor": "aws", "severity": "P1", "region": BIG}, "region"),
    ("pick_vendor_support_path", {"vendor": "aws", "severity": "P1", "plan": BIG}, "plan"),
    ("compute_sla_deadlines", {"severity": "P1", "opened_at": BIG}, "opened_at"),
    ("compute_sla_deadlines", {"severity": "P1", "opened_at": "2026-03-06T10:00:00Z", "calendar": BIG}, "calendar"),
    ("compute_sla_deadlines", {"severity": "P1", "opened_at": "2026-03-06T10:00:00Z",
                               "target": {"minutes": 60, "business_hours": BIG}}, "target.business_hours"),
    ("format_escalation_brief", {"facts": {BIG: "x"}}, "facts"),
    ("detect_language", {"text": BIG}, "text"),
    ("classify_severity", {"text": BIG}, "text"),
])
async def test_huge_values_are_refused_without_echo(tool, args, field):
    async with Client(build_server()) as c:
        result = await c.call_tool(tool, args)
    text = result.content[0].text
    assert result.is_error and text.startswith(field) and len(text) < 300, text[:300]


@pytest.mark.parametrize("tool, args, start", [
    ("classify_severity", {"facts": {f"k{i:06d}": "v" for i in range(50_000)}}, "facts: at most"),
    ("format_escalation_brief", {"facts": {"summary": "s", "severity": "P1", "description": "d",
                                           "tried": ["x" * 100] * 5_000}}, "facts.tried: at most"),
    ("classify_severity", {"facts": {f"k{i:03d}": "v" for i in range(150)}}, "Error executing"),  # SDK's own list
])
async def test_many_keys_or_items_never_make_a_huge_error(mode, tool, args, start):
    async with Client(build_server(), mode=mode) as c:
        result = await c.call_tool(tool, args)
    text = result.content[0].text
    assert result.is_error and text.startswith(start) and len(text) <= 2_100, (len(text), text[:200])


async def test_huge_prompt_arguments_and_uris_are_refused_without_echo(mode):
    async with Client(build_server(), mode=mode) as c:
        code, message = await error_code(c.get_prompt("triage_incident", {"incident_text": BIG}))
        assert code == -32602 and "incident_text" in message and len(message) < 300
        code, message = await error_code(c.read_resource("escalation-kit://vendors/" + BIG))
        assert code == -32602 and len(message) < 300


@pytest.mark.parametrize("zone", ["Asia", "Etc", "America", "Europe", "a" * 300, "../../etc/passwd", "UTC/", "Asia/"])
async def test_time_zone_folders_and_junk_are_specific_tool_errors(zone, caplog):
    caplog.set_level(logging.INFO)
    calls = [
        ("compute_sla_deadlines", {"severity": "P1", "opened_at": "2026-03-06T10:00:00Z", "timezone": zone}),
        ("compute_sla_deadlines", {"severity": "P1", "opened_at": "2026-03-06T10:00:00Z",
                                   "target": {"minutes": 60, "timezone": zone}}),
        ("format_escalation_brief", {"facts": {"summary": "db down", "severity": "P1", "description": "x"},
                                     "timezone": zone}),
    ]
    async with Client(build_server()) as c:
        for name, args in calls:
            result = await c.call_tool(name, args)
            text = result.content[0].text
            assert result.is_error and "timezone" in text and len(text) < 600, (name, text[:300])
    assert "unexpected exception" not in caplog.text


SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30)
JSONISH = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                       | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=6)
ARG_NAMES = {
    "detect_language": ["text"],
    "classify_severity": ["text", "facts"],
    "pick_vendor_support_path": ["vendor", "severity", "plan", "region", "production"],
    "compute_sla_deadlines": ["severity", "opened_at", "vendor", "plan", "timezone", "calendar", "now", "target",
                              "policy", "tier"],
    "format_escalation_brief": ["facts", "kind", "language", "timezone", "redact"],
}
SEEDS = {"severity": st.sampled_from(["P0", "P1", "P3"]), "vendor": st.sampled_from(["aws", "alibaba-cn", "zz"]),
         "opened_at": st.sampled_from(["2026-03-06T10:00:00Z", "2026-02-30T00:00:00+08:00"]),
         "timezone": st.sampled_from(["Asia", "Asia/Shanghai", "Etc", "UTC", "Etc/GMT+14"])}


@st.composite
def tool_calls(draw):
    name = draw(st.sampled_from(sorted(ARG_NAMES)))
    chosen = draw(st.lists(st.sampled_from(ARG_NAMES[name]), unique=True, max_size=4))
    return name, {arg: draw(st.one_of(SEEDS.get(arg, JSONISH), JSONISH)) for arg in chosen}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(calls=st.lists(tool_calls(), min_size=1, max_size=1))
def test_no_input_causes_an_internal_error(calls):
    """Arbitrary JSON for every argument: a result or a specific tool error, never the SDK's bare internal error."""
    import anyio

    async def run():
        async with Client(SERVER) as c:
            for name, args in calls:
                result = await c.call_tool(name, args)
                text = result.content[0].text if result.content else ""
                assert text != f"Error executing tool {name}", (name, args)
                assert len(text) < 20_000 or not result.is_error

    anyio.run(run)


SERVER = build_server()
assert SHORT_CHARS < TEXT_CHARS


async def test_logging_level_and_subscriptions_are_accepted_for_known_resources():
    """The lists never change, so a subscription to a served resource is valid and never fires; unknown is -32602."""
    import warnings

    async with Client(build_server(), mode="legacy") as c:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the client marks these methods deprecated for 2026-07-28
            await c.set_logging_level("info")
            await c.subscribe_resource("escalation-kit://vendors")
            await c.subscribe_resource("escalation-kit://vendors/aws")
            await c.unsubscribe_resource("escalation-kit://vendors")
            code, message = await error_code(c.subscribe_resource("test://watched-resource"))
    assert code == -32602 and "test://watched-resource" in message


def test_the_tool_skips_the_deep_copy_but_returns_the_same_answer():
    """The MCP tool asks for the uncopied answer (it only serialises it); it must equal the copied one."""
    from escalation_kit.vendors import pick_vendor_support_path

    for vendor, severity in (("aws", "P1"), ("alibaba-cn", "P0"), ("azure", "P3")):
        shared = pick_vendor_support_path(vendor, severity, copy=False)
        copied = pick_vendor_support_path(vendor, severity)
        assert shared.model_dump() == copied.model_dump()
