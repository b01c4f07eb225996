"""The severity, vendor and SLA tools answer in sizes: the vendor and SLA tools compact by default, summary
(the previous default) and full with ``detail``; the severity tool summary by default and full.

Every size must match the published output schema (the SDK client re-validates every result), and the
default one must keep every field the skills, the eval grader and the scripted host read. Fields at their
default (a false flag, a null, an empty list or text) are left out of each (``escalation_kit.lean``);
the model read back from the full answer equals the one the core returned, so nothing but defaults is lost.
"""

from __future__ import annotations

import json
from datetime import datetime

import jsonschema
import pytest

from escalation_kit.mcp.server import build_server
from mcp import Client

pytestmark = pytest.mark.anyio

VENDOR = {"vendor": "aws", "severity": "P1"}
SLA = {"severity": "P1", "opened_at": "2026-02-13T17:30:00+08:00", "vendor": "alibaba-cn",
       "timezone": "Asia/Shanghai", "calendar": "CN", "now": "2026-02-13T18:00:00+08:00"}
# Read by skills/*/SKILL.md, evals/grounding.py and the scripted host (tests/fakes/scripted.py): the case
# severity and its vendor, its response target and sources, how to open and escalate, status pages, and
# what was assumed (plan_assumed with the note).
VENDOR_KEYS = {"vendor", "vendor_name", "plan", "plan_name", "plan_assumed", "case_severity", "available", "note",
               "mapping_reason", "open_case", "escalation", "status_pages", "sources", "unverified"}
CASE_KEYS = {"name", "api_code", "response_minutes", "clock", "unverified"}
SLA_KEYS = {"opened_at", "timezone", "first_response_due", "target_minutes", "clock", "target_label", "updates",
            "escalation_triggers", "remaining_minutes", "percent_consumed", "status", "notes"}
SEVERITY = {"text": "Production checkout is down for all users in cn-hangzhou, no workaround"}
SEVERITY_KEYS = {"severity", "confidence", "decided_by", "rationale", "scope", "vendor_case_severity", "language",
                 "features"}


async def _call(name: str, args: dict) -> tuple[dict, dict]:
    async with Client(build_server()) as client:
        schema = {t.name: t.output_schema for t in (await client.list_tools()).tools}[name]
        result = await client.call_tool(name, args)
    assert not result.is_error, result.content
    return result.structured_content, schema


async def _sizes(name: str, args: dict) -> tuple[dict, dict, dict, dict]:
    """(default, summary, full, output schema) of one call, each size checked against the schema."""
    default, schema = await _call(name, args)
    summary, _ = await _call(name, {**args, "detail": "summary"})
    full, _ = await _call(name, {**args, "detail": "full"})
    for answer in (default, summary, full):
        jsonschema.validate(answer, schema)
    return default, summary, full, schema


@pytest.mark.parametrize(("name", "args", "keys"), [("pick_vendor_support_path", VENDOR, VENDOR_KEYS),
                                                    ("compute_sla_deadlines", SLA, SLA_KEYS),
                                                    ("classify_severity", SEVERITY, SEVERITY_KEYS)])
async def test_every_size_matches_the_schema_and_the_default_keeps_what_callers_read(
        name: str, args: dict, keys: set[str]) -> None:
    default, summary, full, schema = await _sizes(name, args)
    assert keys <= set(default), keys - set(default)
    assert set(default) <= set(summary) | {"update_labels"} and set(default) <= set(schema["properties"])
    assert set(summary) - {"update_labels"} <= set(full)
    assert len(json.dumps(default)) <= len(json.dumps(summary)) < len(json.dumps(full))
    assert {k: v for k, v in full.items() if k in summary and not isinstance(v, list | dict)} == {
        k: v for k, v in summary.items() if not isinstance(v, list | dict)}


async def test_vendor_summary_keeps_what_callers_act_on_and_moves_provenance_ids_to_full() -> None:
    brief, _ = await _call("pick_vendor_support_path", {**VENDOR, "detail": "summary"})
    full, _ = await _call("pick_vendor_support_path", {**VENDOR, "detail": "full"})
    assert set(brief["case_severity"]) == CASE_KEYS
    assert brief["case_severity"]["name"] == full["case_severity"]["name"] == "Production system down"
    assert [p["url"] for p in brief["status_pages"]] == [p["url"] for p in full["status_pages"]]
    assert [s["url"] for s in brief["sources"]] == [s["url"] for s in full["sources"]]
    assert all(set(s) == {"url", "checked"} for s in brief["sources"])
    assert all("sources" in c for c in full["open_case"]) and not any("sources" in c for c in brief["open_case"])
    assert [p["action"] for p in brief["policy"]] == [p["action"] for p in full["policy"]]
    assert brief["unverified"] == full["unverified"] and brief["unverified"]
    assert brief["facts_label"] == "vendor" and brief["policy_label"] == "policy"


async def test_vendor_default_is_the_summary_less_playbook_steps_and_sources_behind_no_stated_figure() -> None:
    compact, summary, full, _ = await _sizes("pick_vendor_support_path", VENDOR)
    for key in ("case_severity", "open_case", "escalation", "status_pages", "note", "mapping_reason", "plan_assumed",
                "unverified"):
        assert compact[key] == summary[key], key
    assert not {"policy", "facts_label", "policy_label"} & set(compact)
    assert summary["policy"] and compact["unverified"] and len(compact["sources"]) < len(summary["sources"])
    # the sources kept are exactly those the case severity (its response target) cites, with their check dates
    by_id = {s["id"]: s for s in full["sources"]}
    assert compact["sources"] == [{"url": by_id[i]["url"], "checked": by_id[i]["checked"]}
                                  for i in by_id if i in full["case_severity"]["sources"]]


async def test_vendor_default_without_a_case_keeps_every_source() -> None:
    args = {"vendor": "gcp", "severity": "P0", "plan": "basic"}
    compact, summary, _, _ = await _sizes("pick_vendor_support_path", args)
    assert compact["case_severity"] is None and compact["available"] is False and compact["note"]
    assert compact["sources"] == summary["sources"] and len(compact["sources"]) > 1


async def test_sla_summary_keeps_every_time_and_full_adds_their_sources() -> None:
    brief, _ = await _call("compute_sla_deadlines", {**SLA, "detail": "summary"})
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


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value)


@pytest.mark.parametrize("now", [None, "2026-02-13T18:00:00+08:00", "2026-02-14T03:00:00+08:00",
                                 "2026-02-20T00:00:00+08:00"])
async def test_sla_default_gives_the_next_update_of_each_kind_and_the_triggers(now: str | None) -> None:
    args = {k: v for k, v in {**SLA, "now": now}.items() if v is not None}
    compact, summary, _, _ = await _sizes("compute_sla_deadlines", args)
    for key in ("first_response_due", "target_minutes", "clock", "target_label", "notes", "status",
                "remaining_minutes", "percent_consumed"):
        assert compact.get(key) == summary.get(key), key
    assert "elapsed_minutes" not in compact and ("elapsed_minutes" in summary) == (now is not None)
    # per kind: the first update after now (after opening without it), else the last, with its kind's label
    after = _at(now or SLA["opened_at"])
    want = []
    for kind, label in summary["update_labels"].items():
        times = [u["at"] for u in summary["updates"] if u["kind"] == kind]
        later = [t for t in times if _at(t) > after]
        want.append({"kind": kind, "at": later[0] if later else times[-1], "label": label})
    assert sorted(compact["updates"], key=lambda u: u["kind"]) == sorted(want, key=lambda u: u["kind"])
    assert [u["at"] for u in compact["updates"]] == sorted(u["at"] for u in compact["updates"])
    # every trigger but the breach (the first-response deadline), the at-risk ones by kind and time only
    breach = [t for t in summary["escalation_triggers"] if t["kind"] == "breach"]
    assert [t["at"] for t in breach] == [summary["first_response_due"]]
    assert compact["escalation_triggers"] == [
        t if t["kind"] == "policy_step" else {"kind": t["kind"], "at": t["at"]}
        for t in summary["escalation_triggers"] if t["kind"] != "breach"]


async def test_sla_default_leaves_out_the_internal_target_when_it_is_the_target() -> None:
    args = {"severity": "P2", "opened_at": "2026-02-13T17:30:00+08:00"}
    compact, summary, _, _ = await _sizes("compute_sla_deadlines", args)
    assert summary["internal_due"] == summary["first_response_due"] and summary["internal_target_label"]
    assert not {k for k in compact if k.startswith("internal_")}
    explicit = {**args, "target": {"minutes": 240, "clock": "business", "timezone": "Asia/Shanghai"}}
    compact, summary, _, _ = await _sizes("compute_sla_deadlines", explicit)
    assert summary["internal_due"] != summary["first_response_due"]
    assert {k: v for k, v in compact.items() if k.startswith("internal_")} == {
        "internal_due": summary["internal_due"], "internal_target_label": summary["internal_target_label"]}


async def test_summary_is_the_previous_default() -> None:
    from escalation_kit import tools

    vendor, _ = await _call("pick_vendor_support_path", {**VENDOR, "detail": "summary"})
    assert vendor == tools.pick_vendor_support_path(**VENDOR).brief().model_dump(mode="json")
    sla, _ = await _call("compute_sla_deadlines", {**SLA, "detail": "summary"})
    assert sla == tools.compute_sla_deadlines(**SLA).brief().model_dump(mode="json")


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
