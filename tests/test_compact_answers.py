"""The compact vendor and SLA answers (the tools' default) over the whole catalog and a grid of SLA calls.

``tests/mcp/test_results.py`` checks one answer of each through the MCP client; these check the same
promises on every vendor, plan and level, and on SLA calls across clocks, zones, calendars and ``now``:
the compact answer is the summary one with parts left out, never with a value changed, and it keeps
what a caller states (the case severity, how to open and escalate, status pages, the response target's
sources, every unverified flag and the unverified list; the deadline, the next update of each kind, the triggers).
"""

from __future__ import annotations

from datetime import datetime

import pytest

from escalation_kit import tools
from escalation_kit.vendors.catalog import load_catalog
from escalation_kit.vendors.ids import vendor_ids
from escalation_kit.vocab import SEVERITIES

KEPT = ("vendor", "vendor_name", "plan", "plan_name", "plan_assumed", "severity", "case_severity", "available",
        "note", "mapping_reason", "open_case", "escalation", "status_pages", "unverified")


def _paths() -> list[tuple[str, str, str]]:
    catalog = load_catalog()
    return [(v, plan.id, s) for v in vendor_ids() for plan in catalog.get(v).plans for s in SEVERITIES]


def test_every_vendor_plan_and_level_keeps_what_a_caller_states() -> None:
    paths = _paths()
    assert len(paths) > 100
    without_case = 0
    for vendor, plan, level in paths:
        path = tools.pick_vendor_support_path(vendor, level, plan, copy=False)
        compact, summary = path.compact().model_dump(mode="json"), path.brief().model_dump(mode="json")
        where = (vendor, plan, level)
        assert {k: compact.get(k) for k in KEPT} == {k: summary.get(k) for k in KEPT}, where
        assert not {"policy", "facts_label", "policy_label"} & set(compact), where
        assert all(s in summary.get("sources", []) for s in compact.get("sources", [])), where
        if path.case_severity is None:
            without_case += 1
            assert compact.get("sources") == summary.get("sources"), where
        else:
            cited = [s.url for s in path.sources if s.id in path.case_severity.sources]
            assert cited and [s["url"] for s in compact["sources"]] == cited, where
    assert without_case, "no plan without a case at some level: the every-source branch went untested"


SLA_CALLS = [
    {"vendor": "aws"}, {"vendor": "alibaba-cn", "timezone": "Asia/Shanghai", "calendar": "CN"},
    {"vendor": "gcp", "plan": "enhanced", "timezone": "Europe/Moscow", "calendar": "RU"},
    {"target": {"minutes": 240, "clock": "business", "timezone": "Asia/Shanghai", "calendar": "CN"}},
    {"target": {"minutes": 30}}, {"policy": "workflow-tiers", "tier": 2, "timezone": "America/New_York"},
    {"timezone": "Europe/London", "calendar": "GB"},
]
OPENED = "2026-02-13T17:30:00+08:00"
NOWS = [None, "2026-02-13T18:10:00+08:00", "2026-02-14T09:00:00Z", "2026-03-20T00:00:00+00:00"]


@pytest.mark.parametrize("level", SEVERITIES)
def test_sla_compact_is_the_summary_with_parts_left_out(level: str) -> None:
    for kwargs in SLA_CALLS:
        for now in NOWS:
            result = tools.compute_sla_deadlines(level, OPENED, now=now, **kwargs)
            compact, summary = result.compact(now).model_dump(mode="json"), result.brief().model_dump(mode="json")
            where = (level, kwargs, now)
            same = ("severity", "opened_at", "timezone", "target_minutes", "clock", "target_source",
                    "first_response_due", "target_label", "notes", "status", "remaining_minutes", "percent_consumed",
                    "unverified", "business_hours", "calendar")
            assert {k: compact.get(k) for k in same} == {k: summary.get(k) for k in same}, where
            assert not {"elapsed_minutes", "update_labels", "internal_target_minutes", "internal_clock"} & set(compact)
            # one update per kind, each one of the summary's, labelled with its kind's cadence
            kinds = {u["kind"] for u in summary.get("updates", [])}
            assert sorted(u["kind"] for u in compact.get("updates", [])) == sorted(kinds), where
            pairs = {(u["kind"], u["at"]) for u in summary.get("updates", [])}
            for update in compact.get("updates", []):
                assert (update["kind"], update["at"]) in pairs, where
                assert update["label"] == summary["update_labels"][update["kind"]], where
                if now is not None:  # the next one after now, or the last when none is
                    later = [at for kind, at in pairs if kind == update["kind"]
                             and datetime.fromisoformat(at) > datetime.fromisoformat(now)]
                    assert update["at"] == (min(later, key=datetime.fromisoformat) if later else max(
                        (at for kind, at in pairs if kind == update["kind"]), key=datetime.fromisoformat)), where
            triggers = [(t["kind"], t["at"]) for t in summary["escalation_triggers"] if t["kind"] != "breach"]
            assert [(t["kind"], t["at"]) for t in compact["escalation_triggers"]] == triggers, where
            internal = summary.get("internal_due") != summary["first_response_due"]
            assert ("internal_due" in compact) == internal, where
