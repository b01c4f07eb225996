"""The severity, vendor and SLA tools return a brief answer by default and the full one with detail: "full".

Both sizes must match the published output schema (the SDK client re-validates every result), and the
brief one must keep every field the skills, the eval grader and the scripted host read. Fields at their
default (a false flag, a null, an empty list or text) are left out of both (``escalation_kit.lean``);
the model read back from the answer equals the one the core returned, so nothing but defaults is lost.
"""

from __future__ import annotations

import json

import jsonschema
import pytest

from escalation_kit.mcp.server import build_server
from mcp import Client

pytestmark = pytest.mark.anyio

VENDOR = {"vendor": "aws", "severity": "P1"}
SLA = {"severity": "P1", "opened_at": "2026-02-13T17:30:00+08:00", "vendor": "alibaba-cn",
       "timezone": "Asia/Shanghai", "calendar": "CN", "now": "2026-02-13T18:00:00+08:00"}
# Read by skills/*/SKILL.md, evals/grounding.py and the scripted host (tests/fakes/scripted.py).
VENDOR_KEYS = {"vendor", "vendor_name", "plan", "plan_name", "plan_assumed", "case_severity", "available", "note",
               "open_case", "escalation", "status_pages", "policy", "sources", "unverified", "policy_label"}
CASE_KEYS = {"name", "api_code", "response_minutes", "clock", "unverified"}
SLA_KEYS = {"opened_at", "timezone", "first_response_due", "updates", "escalation_triggers", "remaining_minutes",
            "percent_consumed", "status", "notes", "internal_due"}
SEVERITY = {"text": "Production checkout is down for all users in cn-hangzhou, no workaround"}
SEVERITY_KEYS = {"severity", "confidence", "decided_by", "rationale", "scope", "vendor_case_severity", "language",
                 "features"}


async def _call(name: str, args: dict) -> tuple[dict, dict]:
    async with Client(build_server()) as client:
        schema = {t.name: t.output_schema for t in (await client.list_tools()).tools}[name]
        result = await client.call_tool(name, args)
    assert not result.is_error, result.content
    return result.structured_content, schema


@pytest.mark.parametrize(("name", "args", "keys"), [("pick_vendor_support_path", VENDOR, VENDOR_KEYS),
                                                    ("compute_sla_deadlines", SLA, SLA_KEYS),
                                                    ("classify_severity", SEVERITY, SEVERITY_KEYS)])
async def test_brief_and_full_answers_match_the_schema(name: str, args: dict, keys: set[str]) -> None:
    brief, schema = await _call(name, args)
    full, _ = await _call(name, {**args, "detail": "full"})
    jsonschema.validate(brief, schema)
    jsonschema.validate(full, schema)
    assert keys <= set(brief), keys - set(brief)
    assert set(brief) - {"update_labels"} <= set(full) and set(brief) <= set(schema["properties"])
    assert len(json.dumps(brief)) < len(json.dumps(full))
    assert {k: v for k, v in full.items() if k in brief and not isinstance(v, list | dict)} == {
        k: v for k, v in brief.items() if not isinstance(v, list | dict)}


async def test_vendor_brief_keeps_what_callers_act_on_and_moves_provenance_ids_to_full() -> None:
    brief, _ = await _call("pick_vendor_support_path", VENDOR)
    full, _ = await _call("pick_vendor_support_path", {**VENDOR, "detail": "full"})
    assert set(brief["case_severity"]) == CASE_KEYS
    assert brief["case_severity"]["name"] == full["case_severity"]["name"] == "Production system down"
    assert [p["url"] for p in brief["status_pages"]] == [p["url"] for p in full["status_pages"]]
    assert [s["url"] for s in brief["sources"]] == [s["url"] for s in full["sources"]]
    assert all(set(s) == {"url", "checked"} for s in brief["sources"])
    assert all("sources" in c for c in full["open_case"]) and not any("sources" in c for c in brief["open_case"])
    assert [p["action"] for p in brief["policy"]] == [p["action"] for p in full["policy"]]
    assert brief["unverified"] == full["unverified"] and brief["unverified"]


async def test_sla_brief_keeps_every_time_and_full_adds_their_sources() -> None:
    brief, _ = await _call("compute_sla_deadlines", SLA)
    full, _ = await _call("compute_sla_deadlines", {**SLA, "detail": "full"})
    for key in ("updates", "escalation_triggers"):
        assert [(e["kind"], e["at"]) for e in brief[key]] == [(e["kind"], e["at"]) for e in full[key]]
        assert all(e["source"] for e in full[key])
    assert brief["escalation_triggers"] and all(set(e) == {"kind", "at", "label"} for e in brief["escalation_triggers"])
    # each update kind's label once, not on each update: read back, every update has its full label
    labels = brief["update_labels"]
    assert len(labels) == len({e["kind"] for e in full["updates"]}) < len(full["updates"])
    assert [e.get("label") or labels[e["kind"]] for e in brief["updates"]] == [e["label"] for e in full["updates"]]
    assert "update_labels" not in full


async def test_unknown_detail_is_a_tool_error_naming_it() -> None:
    async with Client(build_server()) as client:
        result = await client.call_tool("pick_vendor_support_path", {**VENDOR, "detail": "everything"})
    assert result.is_error
    assert "detail" in " ".join(getattr(b, "text", "") for b in result.content)


async def test_severity_brief_leaves_the_signals_to_full() -> None:
    brief, schema = await _call("classify_severity", SEVERITY)
    full, _ = await _call("classify_severity", {**SEVERITY, "detail": "full"})
    assert "signals" not in brief and "signals" in schema["properties"]
    assert schema["properties"]["signals"]["items"]["properties"]["negated"] == {"type": "boolean"}
    assert [s["text"] for s in full["signals"]] and all(f"'{s['text']}'" in brief["rationale"] for s in full["signals"])
    assert {k: v for k, v in full.items() if k != "signals"} == brief


async def test_default_values_are_left_out_and_read_back_unchanged() -> None:
    from escalation_kit import tools
    from escalation_kit.mcp.answers import SeverityAnswer
    from escalation_kit.sla.models import SlaResult
    from escalation_kit.vendors.models import VendorPath

    cases = [("pick_vendor_support_path", {"vendor": "gcp", "severity": "P2", "plan": "enhanced"}, VendorPath,
              tools.pick_vendor_support_path("gcp", "P2", "enhanced")),
             ("compute_sla_deadlines", SLA, SlaResult, tools.compute_sla_deadlines(**SLA)),
             ("classify_severity", SEVERITY, SeverityAnswer,
              SeverityAnswer.of(tools.classify_severity(SEVERITY["text"]), full=True))]
    for name, args, model, core in cases:
        full, _ = await _call(name, {**args, "detail": "full"})
        assert model.model_validate(full) == core, name  # only defaults were left out
        assert set(full) < set(type(core).model_fields), name  # and some were
    vendor, _ = await _call("pick_vendor_support_path", {"vendor": "gcp", "severity": "P2", "plan": "enhanced"})
    assert "plan_assumed" not in vendor and "command" not in vendor["open_case"][0]
    assert all(item.get("unverified", False) is not False for item in vendor["status_pages"] if "unverified" in item)


@pytest.mark.parametrize(("name", "args"), [("detect_language", {"text": "у нас упал prod"}),
                                            ("classify_severity", SEVERITY), ("pick_vendor_support_path", VENDOR),
                                            ("compute_sla_deadlines", SLA),
                                            ("format_escalation_brief", {"facts": {"summary": "Checkout down",
                                                                                   "severity": "P0",
                                                                                   "description": "502s"}})])
async def test_the_text_block_is_the_structured_content_as_compact_json(name: str, args: dict) -> None:
    async with Client(build_server()) as client:
        result = await client.call_tool(name, args)
    assert not result.is_error and len(result.content) == 1
    text = result.content[0].text
    assert json.loads(text) == result.structured_content
    assert text == json.dumps(result.structured_content, ensure_ascii=False, separators=(",", ":"))


def test_an_update_whose_label_differs_from_its_kinds_keeps_it() -> None:
    from escalation_kit import tools

    full = tools.compute_sla_deadlines(**SLA)
    first, second = full.updates[0], full.updates[1]
    changed = full.model_copy(update={"updates": [first, first.model_copy(update={"label": "after the call"}),
                                                  second]})
    brief = changed.brief().model_dump(mode="json")
    assert brief["update_labels"] == {first.kind: first.label, second.kind: second.label}
    assert [e.get("label") for e in brief["updates"]] == [None, "after the call", None]
