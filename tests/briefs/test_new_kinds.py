"""The post-mortem, de-escalation notice and recovery plan: what each states, what it refuses, and the policy link.

The de-escalation notice's decision is the de-escalation policy's (``routing.recommend_deescalation``), taken
by ``escalation_kit.tools`` from the notice's criteria; these tests hold the two together, so a notice can
never announce a de-escalation the policy does not allow.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from escalation_kit.briefs.render import format_escalation_brief as render_without_policy
from escalation_kit.errors import InputError
from escalation_kit.routing import recommend_deescalation
from escalation_kit.tools import format_escalation_brief

FACTS = yaml.safe_load((Path(__file__).parent / "golden" / "facts.yaml").read_text(encoding="utf-8"))
LANGS = ("en", "ru", "zh")
# The headline each language gives each decision (and the one a notice without a policy check gives).
HEADLINE = {
    "de-escalate": {"en": "**DE-ESCALATED.**", "ru": "**ЭСКАЛАЦИЯ СНЯТА.**", "zh": "**已解除升级。**"},
    "lower-severity": {"en": "**SEVERITY LOWERED", "ru": "**ПРИОРИТЕТ ПОНИЖЕН", "zh": "**级别已由"},
    "hold": {"en": "**NOT DE-ESCALATED.**", "ru": "**ЭСКАЛАЦИЯ НЕ СНЯТА.**", "zh": "**暂不解除升级。**"},
    "unchecked": {"en": "**NOT EVALUATED.**", "ru": "**НЕ ОЦЕНЕНО.**", "zh": "**未评估。**"},
}
ONE_FORM = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC[+-]\d{2}:\d{2}")
FIXED = "2026-11-22T18:40:00+00:00"


def notice(resolution: dict, lang: str = "en", **extra) -> tuple[str, str]:
    """The rendered notice and the decision it shows (read back from its headline)."""
    facts = {"summary": "Reports export fails", "severity": "P1", "resolution": resolution, **extra}
    markdown = format_escalation_brief(facts, kind="deescalation_notice", language=lang).markdown
    shown = [action for action, words in HEADLINE.items() if words[lang] in markdown]
    assert len(shown) == 1, markdown
    return markdown, shown[0]


# --- post-mortem ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_post_mortem_follows_the_seed_agenda_and_leaves_gaps_to_fill(lang):
    result = format_escalation_brief(FACTS["minimal"]["post_mortem"], kind="post_mortem", language=lang)
    headings = re.findall(r"^## (.+)$", result.markdown, flags=re.M)
    assert len(headings) == 9  # attendees, impact, the six agenda items, then the customer follow-up
    agenda = {"root_cause_technical", "root_cause_process", "timeline", "went_well", "went_wrong",
              "preventive_measures", "process_improvements", "war_room_team", "executives", "follow_up_at"}
    assert agenda <= set(result.unknown_fields)
    to_fill = {"en": "[to be filled]", "ru": "[заполнить]", "zh": "【待补充】"}[lang]
    assert result.markdown.count(to_fill) == len(result.unknown_fields)
    assert not ONE_FORM.search(result.markdown), "a time the caller did not give was made up"
    assert "unknown" not in result.markdown and result.sendable  # an internal draft, not sent as written


@pytest.mark.parametrize(("lang", "blameless"), [("en", "blameless"), ("ru", "без поиска виноватых"),
                                                 ("zh", "不追究个人责任")])
def test_post_mortem_says_it_is_blameless(lang, blameless):
    markdown = format_escalation_brief(FACTS["full"]["post_mortem"], kind="post_mortem", language=lang).markdown
    assert blameless in markdown
    assert "Sergey Petrov" in markdown  # owners of actions are named; blame is not


def test_post_mortem_duration_and_follow_up_come_from_the_given_times():
    markdown = format_escalation_brief(FACTS["full"]["post_mortem"], kind="post_mortem", language="en").markdown
    assert "(duration 3 h 15 min)" in markdown
    assert "**Executive-to-executive call:** 2026-11-28 09:00 UTC+00:00" in markdown


@pytest.mark.parametrize(("lang", "late"), [("en", "more than a week after resolution"),
                                           ("ru", "больше недели после устранения"), ("zh", "已超过恢复后一周")])
def test_a_customer_follow_up_later_than_a_week_is_flagged(lang, late):
    on_time = format_escalation_brief(FACTS["full"]["post_mortem"], kind="post_mortem", language=lang).markdown
    assert late not in on_time  # 5 days 20 hours after resolution
    facts = dict(FACTS["full"]["post_mortem"], follow_up_at="2026-11-29T13:00:00+00:00")  # 7 days and 5 minutes
    assert late in format_escalation_brief(facts, kind="post_mortem", language=lang).markdown


@pytest.mark.parametrize(("changes", "field"), [
    ({"resolved_at": "2026-11-22T09:00:00+00:00"}, "facts.resolved_at"),
    ({"detected_at": "2026-11-22T09:00:00+00:00"}, "facts.detected_at"),
    ({"follow_up_at": "2026-11-20T09:00:00+00:00"}, "facts.follow_up_at"),
    ({"war_room_team": "Li Wei"}, "facts.war_room_team"),
    ({"severity": "Sev1"}, "facts.severity"),
    ({"attendees": ["Li Wei"]}, "facts.attendees"),
    ({"preventive_measures": [{"action": "Load test", "due": "next week"}]}, "facts.preventive_measures.0.due"),
])
def test_post_mortem_bad_facts_name_the_field(changes, field):
    with pytest.raises(InputError) as err:
        format_escalation_brief(dict(FACTS["full"]["post_mortem"], **changes), kind="post_mortem")
    assert field in str(err.value)


def test_post_mortem_refuses_huge_text_by_field_without_echoing_it():
    facts = dict(FACTS["minimal"]["post_mortem"], went_wrong=["ok", "y" * 25_000])
    with pytest.raises(InputError) as err:
        format_escalation_brief(facts, kind="post_mortem")
    assert err.value.field == "facts.went_wrong[1]" and "yyyyyyyyyy" not in str(err.value)


# --- de-escalation notice ------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("resolution", "extra", "action"), [
    ({"fix_applied": "Patch v2.3.5", "customer_confirmation": True, "monitoring_period_complete": True}, {},
     "de-escalate"),
    ({"fix_applied": True, "customer_confirmed": True}, {"fixed_at": FIXED, "decided_at": "2026-11-23T19:00:00Z"},
     "de-escalate"),
    ({"fix_applied": True, "customer_confirmed": True}, {"fixed_at": FIXED, "decided_at": "2026-11-23T08:00:00Z"},
     "hold"),  # 13 h 20 min stable; a P1 needs 24 h
    ({"fix_applied": True, "monitoring_period_complete": True}, {}, "hold"),  # the customer has not confirmed
    ({"fix_applied": True, "customer_confirmed": False, "monitoring_period_complete": True}, {}, "hold"),
    ({"fix_applied": True, "customer_confirmed": True, "monitoring_period_complete": True, "recurrence": True}, {},
     "hold"),
    ({"workaround": "Export by month instead of by year", "customer_confirmed": True}, {}, "de-escalate"),
    ({}, {"reassessed_severity": "P3"}, "lower-severity"),
])
def test_the_notice_shows_the_policy_decision(resolution, extra, action, lang):
    markdown, shown = notice(resolution, lang, **extra)
    assert shown == action
    if action == "hold":
        assert HEADLINE["de-escalate"][lang] not in markdown
        assert "`policy:deescalation.yaml#" in markdown


def test_a_held_notice_lists_what_is_still_open_and_gives_no_de_escalation_steps():
    markdown, shown = notice({"fix_applied": True, "monitoring_period_complete": True})
    assert shown == "hold"
    still = markdown.split("**Still to confirm before the escalation can come down:**")[1].split("##")[0]
    assert "- The customer confirmed the resolution" in still
    assert "| The customer confirmed the resolution | open — not confirmed yet |" in markdown
    assert "| A fix is deployed | yes |" in markdown
    assert "Archive the escalation record" not in markdown


def test_a_lowered_severity_keeps_the_escalation_open_and_archives_nothing():
    markdown, shown = notice({}, reassessed_severity="P3")
    assert shown == "lower-severity" and "**SEVERITY LOWERED from P1 to P3.**" in markdown
    assert "Archive the escalation record" not in markdown and "## Next steps" not in markdown


def test_monitoring_time_is_measured_from_the_fix_to_the_decision():
    markdown, _ = notice({"fix_applied": True, "customer_confirmed": True}, "ru", fixed_at=FIXED,
                         decided_at="2026-11-23T08:00:00+00:00")
    assert "Период наблюдения для P1: 24\u00a0ч 0\u00a0мин стабильной работы; пока 13\u00a0ч 20\u00a0мин." in markdown


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    criteria=st.fixed_dictionaries({}, optional={
        name: st.sampled_from([True, False, None])
        for name in ("root_cause_found", "fix_applied", "workaround_available", "resolved_itself",
                     "customer_confirmed", "support_resolvable", "recurrence", "monitoring_period_complete")}),
    severity=st.sampled_from(["P0", "P1", "P2", "P3"]),
    stable=st.one_of(st.none(), st.integers(min_value=0, max_value=5000)),
)
def test_a_notice_claims_de_escalation_exactly_when_the_policy_allows_it(criteria, severity, stable):
    expected = recommend_deescalation(severity, dict(criteria), stable)
    facts = {"summary": "x", "severity": severity, "resolution": criteria, "stable_minutes": stable}
    markdown = format_escalation_brief(facts, kind="deescalation_notice", language="en").markdown
    assert (HEADLINE["de-escalate"]["en"] in markdown) == (expected.action == "de-escalate")
    assert (HEADLINE["hold"]["en"] in markdown) == (expected.action == "hold")
    assert f"`{expected.decided_by}`" in markdown


def test_without_the_policy_check_a_notice_decides_nothing_and_is_not_sendable():
    facts = FACTS["full"]["deescalation_notice"]
    result = render_without_policy(facts, kind="deescalation_notice", language="en")
    assert HEADLINE["unchecked"]["en"] in result.markdown and HEADLINE["de-escalate"]["en"] not in result.markdown
    assert not result.sendable and result.missing_for_sending == ["decision"]
    assert format_escalation_brief(facts, kind="deescalation_notice", language="en").sendable


@pytest.mark.parametrize(("facts", "field"), [
    ({"decision": {"action": "de-escalate"}}, "facts.decision"),  # the caller cannot state the decision
    ({"resolution": {"customer_confirmed": "yes"}}, "facts.resolution.customer_confirmed"),
    ({"resolution": {"root_cause_found": False, "root_cause": "Memory leak"}}, "facts.resolution.root_cause_found"),
    ({"resolution": {"fixed": True}}, "facts.resolution.fixed"),
    ({"stable_minutes": -5}, "facts.stable_minutes"),
    ({"stable_minutes": "48h"}, "facts.stable_minutes"),
    ({"fixed_at": FIXED, "decided_at": "2026-11-22T10:00:00+00:00"}, "facts.decided_at"),
    ({"reassessed_severity": "low"}, "facts.reassessed_severity"),
])
def test_notice_bad_facts_name_the_field(facts, field):
    with pytest.raises(InputError) as err:
        format_escalation_brief({"summary": "x", "severity": "P1", **facts}, kind="deescalation_notice")
    assert field in str(err.value)


def test_notice_refuses_huge_text_in_the_nested_criteria():
    facts = {"summary": "x", "severity": "P1", "resolution": {"root_cause": "z" * 20_001}}
    with pytest.raises(InputError) as err:
        format_escalation_brief(facts, kind="deescalation_notice")
    assert err.value.field == "facts.resolution.root_cause"


def test_notice_masks_contacts_in_the_stakeholder_list():
    result = format_escalation_brief(FACTS["full"]["deescalation_notice"], kind="deescalation_notice", language="zh")
    assert "ops-oncall@vendor.example" not in result.markdown
    assert [(r.kind, r.field) for r in result.redactions] == [("email", "stakeholders[2]")]


# --- recovery plan -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "proposal", "approved"), [
    ("en", "**proposal, needs approval before it is promised**", "commitment approved by Tom Berg"),
    ("ru", "**предложение — до утверждения клиенту не обещать**", "обязательство утверждено (Tom Berg)"),
    ("zh", "**仅为提议，获批前不得向客户承诺**", "该承诺已获批准（审批人：Tom Berg）"),
])
def test_recovery_commitments_are_proposals_until_approved(lang, proposal, approved):
    markdown = format_escalation_brief(FACTS["full"]["recovery_plan"], kind="recovery_plan", language=lang).markdown
    assert markdown.count(proposal) == 3  # the three commitments nobody has approved yet
    assert markdown.count(approved) == 1
    credit = markdown.split("\n## ")[-1]
    assert "10% of the November fee" in credit and "Maria Lopez" in credit


@pytest.mark.parametrize("lang", LANGS)
def test_recovery_plan_has_the_four_horizons_and_marks_empty_ones(lang):
    result = format_escalation_brief(FACTS["minimal"]["recovery_plan"], kind="recovery_plan", language=lang)
    assert len(re.findall(r"^## ", result.markdown, flags=re.M)) == 5  # four horizons and the credit
    assert {"immediate", "short_term", "medium_term", "long_term", "service_credit"} <= set(result.unknown_fields)
    assert not ONE_FORM.search(result.markdown)


@pytest.mark.parametrize(("changes", "field"), [
    ({"short_term": [{"action": "Weekly call", "approved_by": "VP"}]}, "facts.short_term.0.approved_by"),
    ({"service_credit_approved": True}, "facts.service_credit_approved"),
    ({"health_score": 140}, "facts.health_score"),
    ({"long_term": [{"action": "Partnership", "commitment": "maybe"}]}, "facts.long_term.0.commitment"),
])
def test_recovery_bad_facts_name_the_field(changes, field):
    with pytest.raises(InputError) as err:
        format_escalation_brief(dict(FACTS["minimal"]["recovery_plan"], **changes), kind="recovery_plan")
    assert field in str(err.value)


# --- through the MCP server ----------------------------------------------------------------------------------

@pytest.mark.anyio
async def test_the_mcp_tool_offers_the_new_kinds_and_takes_the_notice_decision_from_policy(tmp_path, monkeypatch):
    from escalation_kit import datafiles
    from escalation_kit.mcp import published
    from escalation_kit.mcp.server import build_server
    from mcp import Client

    monkeypatch.setenv(datafiles.CACHE_ENV, str(tmp_path))  # published forms derived afresh, as after an upgrade
    published._entries.cache_clear()
    try:
        async with Client(build_server()) as client:
            tools = {t.name: t for t in (await client.list_tools()).tools}
            kinds = tools["format_escalation_brief"].input_schema["properties"]["kind"]["enum"]
            assert {"post_mortem", "deescalation_notice", "recovery_plan"} <= set(kinds)
            facts = {"summary": "Export fails", "severity": "P1",
                     "resolution": {"fix_applied": True, "monitoring_period_complete": True}}
            held = await client.call_tool("format_escalation_brief", {"facts": facts, "kind": "deescalation_notice"})
            assert not held.is_error and HEADLINE["hold"]["en"] in held.structured_content["markdown"]
            facts["resolution"]["customer_confirmation"] = True
            done = await client.call_tool("format_escalation_brief", {"facts": facts, "kind": "deescalation_notice"})
            assert HEADLINE["de-escalate"]["en"] in done.structured_content["markdown"]
            bad = await client.call_tool("format_escalation_brief", {
                "facts": {"summary": "x", "severity": "P0", "went_well": "everything"}, "kind": "post_mortem"})
            assert bad.is_error and "facts.went_well" in bad.content[0].text
    finally:
        published._entries.cache_clear()
