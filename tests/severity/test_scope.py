"""Scope words are read even when they follow an outage word, and percentages set the breadth."""

from __future__ import annotations

import pytest

from escalation_kit.severity.classify import classify_severity


@pytest.mark.parametrize("text", [
    "Checkout down for everyone",
    "Login down for all",
    "API down for everybody since 10:00",
])
def test_down_for_everyone_reports_scope_all(text: str) -> None:
    result = classify_severity(text)
    assert result.features["scope"] == "all"
    assert "scope" not in result.question_ids
    assert "scope-all" in {s.id for s in result.signals}
    assert "outage" in {s.kind for s in result.signals}


def _thresholds() -> tuple[float, float]:
    from escalation_kit.severity.data import rules

    limits = rules()["thresholds"]
    return limits["scope_all_pct"], limits["scope_segment_pct"]


@pytest.mark.parametrize("template", [
    "Payments are failing for {n}% of users",
    "Платежи не проходят у {n}% пользователей",
    "{n}%的用户无法支付",
])
def test_percentages_in_text_set_scope_by_the_rules_thresholds(template: str) -> None:
    all_pct, seg_pct = _thresholds()
    expected = [(100, "all"), (all_pct, "all"), (all_pct - 1, "segment"), (seg_pct, "segment"), (seg_pct - 1, "few")]
    for n, scope in expected:
        result = classify_severity(template.format(n=f"{n:g}"))
        assert result.features["scope"] == scope, (n, result.features)
    assert classify_severity(template.format(n=100)).severity == "P0"


def test_a_percentage_without_a_population_is_not_a_scope() -> None:
    assert classify_severity("CPU at 100% on the batch host").features["scope"] is None


@pytest.mark.parametrize(("text", "security"), [
    ("S3 bucket is public with customer PII", "confirmed"),
    ("Бакет с персональными данными в открытом доступе", "confirmed"),
    ("OSS存储桶公开，包含用户数据", "confirmed"),
    ("possible data leak", "suspected"),
    ("возможная утечка данных", "suspected"),
    ("疑似数据泄露", "suspected"),
])
def test_security_exposure_phrases(text: str, security: str) -> None:
    result = classify_severity(text)
    assert result.features["security"] == security
    assert result.severity == ("P0" if security == "confirmed" else "P1")


@pytest.mark.parametrize("text", [
    "memory leak in the worker after the deploy",
    "The S3 bucket is public (static website)",
])
def test_leak_and_public_alone_are_not_exposures(text: str) -> None:
    assert classify_severity(text).features["security"] is None


@pytest.mark.parametrize("text", [
    "no users affected, just a warning in logs",
    "Production is NOT down",
    "Никто не пострадал, просто предупреждение в логах",
    "没有用户受影响，只是日志告警",
])
def test_negated_impact_reads_as_p3(text: str) -> None:
    result = classify_severity(text)
    assert result.severity == "P3"
    assert result.features["impact"] == "none"


@pytest.mark.parametrize(("text", "level", "scope"), [
    ("С 10:00 ни один пользователь не может войти, продакшен лежит", "P0", "all"),
    ("Not a single customer can log in", "P0", "all"),
    ("没有一个用户能登录", "P0", "all"),
    ("Not a single customer was affected by the failed backup job", "P3", None),
])
def test_not_a_single_user_is_everyone_not_one(text: str, level: str, scope: str | None) -> None:
    """'ни один пользователь' / 'not a single customer' name everyone (or no one), never 'one user'."""
    result = classify_severity(text)
    assert (result.severity, result.features["scope"]) == (level, scope)
