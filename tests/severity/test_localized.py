"""The rationale and scope come in the language of the text; rule ids stay English."""

from __future__ import annotations

import re

import pytest

from escalation_kit.severity.classify import classify_severity
from escalation_kit.severity.data import LANGUAGES, rule_says, wording

_SCRIPT = {"ru": re.compile(r"[\u0400-\u04ff]"), "zh": re.compile(r"[\u4e00-\u9fff]")}


def test_every_rule_says_why_in_every_language() -> None:
    assert rule_says().items(), "nothing to check"
    for rule_id, says in rule_says().items():
        assert set(says) == set(LANGUAGES), rule_id
        assert all(says.values()), rule_id
        for lang, pattern in _SCRIPT.items():
            assert pattern.search(says[lang]), (rule_id, lang)


def test_wording_has_the_same_keys_in_every_language() -> None:
    table = wording()
    keys = {lang: set(table[lang]) for lang in LANGUAGES}
    assert keys["ru"] == keys["en"] == keys["zh"]
    for part in ("environment", "breadth", "unknown_names"):
        assert set(table["ru"][part]) == set(table["en"][part]) == set(table["zh"][part]), part


@pytest.mark.parametrize(("text", "lang"), [
    ("Payments are failing for all users", "en"),
    ("Платежи не проходят у всех пользователей", "ru"),
    ("所有用户都无法支付", "zh"),
    ("staging is down", "en"),
    ("На стейджинге всё упало", "ru"),
    ("测试环境挂了", "zh"),
])
def test_rationale_and_scope_follow_the_text_language(text: str, lang: str) -> None:
    result = classify_severity(text)
    assert result.language == lang
    says = rule_says()[result.decided_by][lang]
    assert says in result.rationale
    assert result.decided_by in result.rationale  # the id itself is not translated
    words = wording()[lang]
    env_key = {True: "production", False: "non_production", None: "unknown"}[result.features["production"]]
    assert result.scope.startswith(words["environment"][env_key])
    assert words["breadth"][result.features["scope"] or "unknown"] in result.scope
    if lang != "en":
        assert _SCRIPT[lang].search(result.scope)
        assert rule_says()[result.decided_by]["en"] not in result.rationale


def test_facts_only_input_is_explained_in_english() -> None:
    result = classify_severity(None, {"production": True, "users_affected_pct": 100, "core_function_affected": True})
    assert result.language == "en"
    assert rule_says()[result.decided_by]["en"] in result.rationale
