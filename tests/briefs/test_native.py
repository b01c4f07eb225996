"""Native review rules on every rendered ru/zh document, and the sendable / time-zone rules (issue 16)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from escalation_kit.briefs.render import DOC_KINDS
from escalation_kit.tools import format_escalation_brief
from native_rules import native_problems

GOLDEN = Path(__file__).parent / "golden"
FACTS = yaml.safe_load((GOLDEN / "facts.yaml").read_text(encoding="utf-8"))
ZONES = {"ru": "Europe/Moscow", "zh": "Asia/Shanghai"}


@pytest.mark.parametrize("set_name", ["full", "minimal"])
@pytest.mark.parametrize("kind", DOC_KINDS)
@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_ru_and_zh_documents_pass_the_native_checks(set_name, kind, lang):
    facts = FACTS[set_name][kind]
    markdown = format_escalation_brief(facts, kind=kind, language=lang, timezone=ZONES[lang]).markdown
    assert not native_problems(markdown, lang, yaml.safe_dump(facts, allow_unicode=True))


def test_native_checks_catch_what_a_reviewer_would():
    assert native_problems("- 向 Alibaba Cloud (阿里云) 提交 紧急 (emergency) 工单", "zh")
    assert native_problems("P1 工 单 2 小时内无响应", "zh")
    assert native_problems('Открыть обращение "критичное" за 30 мин', "ru")
    assert native_problems("By 2026-12-05T01:09+00:00 (playbook policy) [seed-000]", "en")
    assert not native_problems("向阿里云（中国站）提交紧急工单，截止 2026-12-04 15:00 UTC+08:00", "zh")


@pytest.mark.parametrize("kind", ["customer_acknowledgement", "customer_progress_update", "customer_resolution"])
def test_customer_documents_with_placeholders_are_not_sendable(kind):
    result = format_escalation_brief(FACTS["minimal"][kind], kind=kind, language="en")
    assert not result.sendable and result.missing_for_sending
    if kind != "customer_resolution":
        assert "next_update" in result.missing_for_sending


@pytest.mark.parametrize("kind", ["customer_acknowledgement", "customer_progress_update", "customer_resolution",
                                  "executive_notification"])
def test_complete_customer_and_executive_documents_are_sendable(kind):
    result = format_escalation_brief(FACTS["full"][kind], kind=kind, language="zh")
    assert result.sendable and not result.missing_for_sending and not result.unknown_fields


def test_a_customer_update_without_next_update_is_not_sendable():
    facts = dict(FACTS["full"]["customer_progress_update"])
    assert facts.pop("next_update")
    assert "next_update" in format_escalation_brief(facts, kind="customer_progress_update").missing_for_sending


def test_internal_documents_are_not_judged_for_sending():
    result = format_escalation_brief(FACTS["minimal"]["escalation_brief"], language="en")
    assert result.unknown_fields and result.sendable and not result.missing_for_sending


def test_executive_notification_drops_empty_optional_sections():
    result = format_escalation_brief(FACTS["minimal"]["executive_notification"], kind="executive_notification",
                                     language="ru")
    assert result.sendable and "неизвестно" not in result.markdown and "Варианты" not in result.markdown


def test_documents_default_to_the_zone_the_facts_carry():
    facts = dict(FACTS["minimal"]["customer_acknowledgement"], next_update="2026-11-22T10:00:00+03:00")
    markdown = format_escalation_brief(facts, kind="customer_acknowledgement", language="ru").markdown
    assert "2026-11-22 10:00 UTC+03:00" in markdown and "UTC+00:00" not in markdown
    explicit = format_escalation_brief(facts, kind="customer_acknowledgement", language="ru", timezone="UTC")
    assert "2026-11-22 07:00 UTC+00:00" in explicit.markdown
