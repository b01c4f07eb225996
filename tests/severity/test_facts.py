"""Structured facts override the text; the text fills gaps; bad facts fail with a named field."""

from __future__ import annotations

import pytest

from escalation_kit.errors import InputError
from escalation_kit.severity.classify import ImpactFacts, classify_severity
from escalation_kit.tools import classify_severity as classify_tool


def test_facts_alone_classify() -> None:
    result = classify_severity(facts={"production": True, "users_affected_pct": 100, "core_function_affected": True})
    assert result.severity == "P0"
    assert result.signals == []
    assert result.language == "en"


def test_production_fact_overrides_staging_words() -> None:
    text = "staging cluster is completely down"
    assert classify_severity(text).decided_by == "T3-non-production-cap"
    stated = classify_severity(text, {"production": True})
    assert (stated.severity, stated.decided_by) == ("P1", "B-outage-breadth-unknown")  # no cap; breadth unknown
    core = classify_severity(text, {"production": True, "core_function_affected": True})
    assert (core.severity, core.decided_by) == ("P1", "B-production-outage")  # breadth still unknown
    assert classify_severity(text, {"production": True, "users_affected_pct": 100}).severity == "P0"


def test_non_production_fact_caps_an_outage() -> None:
    result = classify_severity("Everything is down for all users", ImpactFacts(production=False))
    assert (result.severity, result.decided_by) == ("P2", "T3-non-production-cap")


def test_share_of_users_overrides_all_users_words() -> None:
    text = "Login is down for all users"
    assert classify_severity(text).severity == "P0"
    assert classify_severity(text, {"users_affected_pct": 20}).severity == "P1"
    assert classify_severity(text, {"users_affected_pct": 1}).severity == "P2"
    assert classify_severity(text, {"users_affected_pct": 0}).severity == "P3"


def test_workaround_false_fact_removes_the_cap() -> None:
    text = "Checkout errors for everyone, retry succeeds"
    assert classify_severity(text).severity == "P2"
    assert classify_severity(text, {"workaround": False}).severity != "P2"


@pytest.mark.parametrize(("facts", "level", "rule"), [
    ({"security_exposure": "confirmed"}, "P0", "T1-security-breach"),
    ({"security_exposure": "suspected"}, "P1", "T1-suspected-security"),
    ({"security_exposure": "confirmed", "production": False}, "P1", "T1-suspected-security"),
    ({"data_loss": "confirmed", "production": True}, "P0", "T1-data-loss"),
    ({"data_loss": "confirmed", "users_affected_pct": 100}, "P0", "T1-data-loss-wide"),
    ({"data_loss": "confirmed"}, "P1", "T1-suspected-data-loss"),
    ({"data_loss": "suspected"}, "P1", "T1-suspected-data-loss"),
])
def test_security_and_data_facts(facts: dict, level: str, rule: str) -> None:
    result = classify_severity("The cosmetic footer typo", facts)
    assert (result.severity, result.decided_by) == (level, rule)


def test_unstated_environment_of_a_confirmed_loss_is_asked_about() -> None:
    """A confirmed loss not known to be production data is P1, and the engine asks whether it is."""
    result = classify_severity("The cosmetic footer typo", {"data_loss": "confirmed"})
    assert result.severity == "P1" and "production" in result.question_ids
    confirmed_in_production = {"data_loss": "confirmed", "production": True}
    assert classify_severity("The cosmetic footer typo", confirmed_in_production).severity == "P0"


def test_facts_none_silence_text_alarm() -> None:
    text = "data breach reported by a customer"
    assert classify_severity(text).severity == "P0"
    result = classify_severity(text, {"security_exposure": "none"})
    assert result.severity != "P0"
    assert result.features["security"] == "none"


def test_facts_are_named_in_rationale_and_answered_questions_disappear() -> None:
    text = "The API is down"
    open_questions = classify_severity(text).question_ids
    assert "scope" in open_questions and "production" in open_questions
    answered = classify_severity(text, {"users_affected_pct": 100, "production": True})
    assert "scope" not in answered.question_ids and "production" not in answered.question_ids
    assert "users" not in answered.rationale or "scope=all" in answered.rationale


def test_context_facts_reported_not_scored() -> None:
    base = classify_severity("Uploads are failing")
    more = classify_severity("Uploads are failing", {"duration_minutes": 45, "customer_tier": "enterprise"})
    assert base.severity == more.severity
    assert "enterprise" in more.rationale


@pytest.mark.parametrize(("facts", "field"), [
    ({"users_affected_pct": 140}, "users_affected_pct"),
    ({"data_loss": "maybe"}, "data_loss"),
    ({"regions_affected": -1}, "regions_affected"),
])
def test_bad_facts_raise_input_error_naming_the_field(facts: dict, field: str) -> None:
    with pytest.raises(InputError) as err:
        classify_severity("down", facts)
    assert field in str(err.value)
    assert err.value.field == "facts"


@pytest.mark.parametrize("facts", [
    {"impact": "outage", "scope": "all", "production": True},
    {"security": True},
    {"users_affected": 50},
])
def test_unknown_fact_keys_are_rejected_with_the_allowed_fields(facts: dict) -> None:
    with pytest.raises(InputError) as err:
        classify_severity(None, facts)
    unknown = next(k for k in facts if k not in ImpactFacts.model_fields)
    assert unknown in str(err.value)
    assert err.value.field == "facts"
    assert err.value.allowed is not None and set(err.value.allowed) == set(ImpactFacts.model_fields)


def test_impact_facts_schema_forbids_extra_keys() -> None:
    assert ImpactFacts.model_json_schema().get("additionalProperties") is False


def test_empty_input_is_an_input_error() -> None:
    with pytest.raises(InputError) as err:
        classify_severity("   ")
    assert err.value.field == "text"
    with pytest.raises(InputError):
        classify_severity(None, None)
    with pytest.raises(InputError):
        classify_severity("x" * 20_001)


def test_vendor_names_follow_level_and_environment() -> None:
    vendors = {"aws", "azure", "gcp", "alibaba-cn", "alibaba-intl", "oci", "tencent", "huawei", "yandex", "cloudflare"}
    p0 = classify_tool("Production is down for all users").vendor_case_severity
    assert set(p0) == vendors
    assert p0["aws"].startswith("Business-critical system down")
    assert p0["azure"].startswith("Severity A")
    assert p0["alibaba-cn"].startswith("紧急")
    p3 = classify_tool("How do I enable MFA?").vendor_case_severity
    assert p3["aws"].startswith("General guidance") and p3["gcp"].startswith("P4")
    staging = classify_tool("staging is down").vendor_case_severity
    assert staging["aws"].startswith("System impaired")


@pytest.mark.parametrize(("text", "lang", "fragment"), [
    ("API не работает", "ru", "пользовател"),
    ("接口挂了", "zh", "用户"),
    ("The API is down", "en", "users"),
])
def test_questions_come_in_the_language_of_the_text(text: str, lang: str, fragment: str) -> None:
    result = classify_severity(text)
    assert result.language == lang
    assert result.questions and any(fragment in q for q in result.questions)


def test_revenue_at_risk_alone_does_not_invent_an_impact() -> None:
    result = classify_severity(None, {"revenue_at_risk": True})
    assert result.features["revenue"] is True
    assert result.features["impact"] is None and result.features["core"] is None
    assert result.decided_by != "B-severe-impairment" and result.severity != "P1"


def test_revenue_at_risk_keeps_the_level_the_other_facts_give() -> None:
    base = {"core_function_affected": False, "users_affected_pct": 10, "production": True}
    without = classify_severity("The export button errors", base)
    with_revenue = classify_severity("The export button errors", {**base, "revenue_at_risk": True})
    assert with_revenue.severity == without.severity
    assert with_revenue.features["core"] is False


def test_scope_thresholds_come_from_rules_yaml() -> None:
    from escalation_kit.severity.data import rules

    limits = rules()["thresholds"]
    all_pct, seg_pct, regions = limits["scope_all_pct"], limits["scope_segment_pct"], limits["multi_region_count"]
    assert 0 < seg_pct < all_pct <= 100 and regions >= 2

    def scope(**facts: float) -> str:
        return classify_severity("The API is down", facts).features["scope"]

    assert scope(users_affected_pct=all_pct) == "all"
    assert scope(users_affected_pct=all_pct - 0.5) == "segment"
    assert scope(users_affected_pct=seg_pct) == "segment"
    assert scope(users_affected_pct=seg_pct - 0.5) == "few"
    assert scope(regions_affected=regions) == "multi_region"
    assert scope(regions_affected=regions - 1) == "region"


@pytest.mark.parametrize(("facts", "field"), [
    ({"production": "no"}, "production"), ({"production": 0}, "production"), ({"workaround": "off"}, "workaround"),
    ({"core_function_affected": 1}, "core_function_affected"), ({"revenue_at_risk": "yes"}, "revenue_at_risk"),
    ({"regions_affected": True}, "regions_affected"), ({"regions_affected": 10**30}, "regions_affected"),
    ({"duration_minutes": 10**12}, "duration_minutes"), ({"customer_tier": "x" * 65}, "customer_tier"),
])
def test_a_flag_or_count_that_is_not_one_is_refused_naming_the_field(facts: dict, field: str) -> None:
    """"no", 0 or "off" for a flag would lower a level on a guess; an absurd count is no fact (adversarial review)."""
    with pytest.raises(InputError) as err:
        classify_severity("Checkout is down", facts)
    assert err.value.field == "facts" and field in str(err.value)
    assert len(str(err.value)) < 400  # the bad value is not echoed whole


def test_plain_flags_and_counts_still_decide() -> None:
    assert classify_severity("Checkout is down", {"production": False}).severity in ("P2", "P3")
    assert classify_severity("Checkout is down", {"users_affected_pct": 100, "production": True}).severity == "P0"
