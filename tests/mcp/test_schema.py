"""Compacted tool schemas accept exactly what the original pydantic schemas accept, and tools/list fits its budget."""

from __future__ import annotations

import jsonschema
import pytest

from escalation_kit.briefs import render as brief
from escalation_kit.mcp.schema import compact_schema
from escalation_kit.severity import classify as severity
from escalation_kit.sla import clock as sla
from escalation_kit.vendors import path as vendors

MODELS = [severity.ImpactFacts, sla.SlaTarget, severity.SeverityResult, sla.SlaResult, vendors.VendorPath,
          brief.BriefResult]

INSTANCES = [
    {}, {"production": True, "users_affected_pct": 50}, {"users_affected_pct": 101}, {"data_loss": "maybe"},
    {"data_loss": None}, {"minutes": 60}, {"minutes": 0}, {"minutes": 30, "clock": "weekly"},
    {"minutes": 30, "business_start": "9am"}, {"severity": "P0", "confidence": 0.5, "decided_by": "r", "rationale": ""},
    {"severity": "P5"}, {"alternative": None}, {"alternative": "P7"}, {"status": None}, {"status": "late"},
    {"case_severity": None}, {"case_severity": {"name": "x", "response_minutes": None, "clock": "24x7"}},
    {"plans": None}, {"regions_affected": -1}, {"customer_tier": 3},
]


def verdict(schema: dict, instance: dict) -> bool:
    return jsonschema.Draft202012Validator(schema).is_valid(instance)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_input_compaction_keeps_validation_identical(model):
    original = model.model_json_schema()
    compact = compact_schema(original)
    assert len(str(compact)) < len(str(original))
    for instance in INSTANCES:
        assert verdict(original, instance) == verdict(compact, instance), instance


def test_folds_nullable_enums_and_keeps_property_named_title():
    schema = {"properties": {"title": {"title": "Title", "type": "string"},
                             "level": {"anyOf": [{"enum": ["a", "b"], "type": "string"}, {"type": "null"}],
                                       "default": None, "title": "Level"}}}
    out = compact_schema(schema)
    assert set(out["properties"]) == {"title", "level"}
    assert out["properties"]["level"] == {"enum": ["a", "b", None], "type": ["string", "null"]}
    assert verdict(out, {"level": None}) and not verdict(out, {"level": "c"})


def test_tools_list_fits_the_token_budget():
    from escalation_kit.mcp.stats import tools_list_stats

    stats = tools_list_stats()
    pure = {"detect_language", "classify_severity", "pick_vendor_support_path", "compute_sla_deadlines",
            "format_escalation_brief"}
    assert pure <= {t["name"] for t in stats["per_tool"]}
    pure_tokens = sum(t["tokens"] for t in stats["per_tool"] if t["name"] in pure)
    assert pure_tokens == stats["pure_tokens"] <= stats["budget"] == 3100, stats
    # The tracker's tools (issue 14) have their own allowance on top of the pure five.
    assert stats["tokens"] - pure_tokens <= stats["tracker_budget"] == 4500, stats
