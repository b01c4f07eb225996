"""format_escalation_brief: every kind in every language, required/optional facts, time zones, redaction."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from escalation_kit.briefs.facts import KIND_MODELS, required_fields
from escalation_kit.briefs.render import DOC_KINDS, LANGUAGES, TO_FILL_KINDS
from escalation_kit.errors import InputError
from escalation_kit.paths import prompts_dir
from escalation_kit.skillpack.contracts import load_contract
from escalation_kit.tools import format_escalation_brief  # the published renderer (a notice's policy decision)

FACTS = yaml.safe_load((Path(__file__).parent / "golden" / "facts.yaml").read_text(encoding="utf-8"))
UNKNOWN = {"en": "[unknown — ask]", "ru": "[неизвестно — уточнить]", "zh": "【未知，待确认】"}
TO_FILL = {"en": "[to be filled]", "ru": "[заполнить]", "zh": "【待补充】"}
ALL_MARKERS = [*UNKNOWN.values(), *TO_FILL.values()]


def marker(kind: str, lang: str) -> str:
    """The marker an empty optional fact renders as: drafts completed in a meeting say 'to be filled'."""
    return (TO_FILL if kind in TO_FILL_KINDS else UNKNOWN)[lang]

CASES = [(k, lang) for k in DOC_KINDS for lang in LANGUAGES]


def test_every_kind_has_a_model_facts_and_a_template_per_language():
    assert set(KIND_MODELS) == set(DOC_KINDS) == set(FACTS["minimal"]) == set(FACTS["full"])
    shipped = {(p.parent.name, p.name.split(".")[0]) for p in prompts_dir().glob("*/*.md.j2")}
    assert {(k, lang) for k, lang in CASES} <= shipped


EMPTY_BULLET = re.compile(r"(?:[-*]|\d+\.)(?:\s*\[[ x]\])?")
GLUED_ITEMS = re.compile(r"\S\s*- \[[ x]\]|\S {2}\d+\. ")
LEAKED_PYTHON = re.compile(r"\bNone\b|\bTrue\b|\bFalse\b|\(\)|（）|—\s*$|@,")


def _empty_value_lines(markdown: str) -> list[str]:
    """Lines where a label or bullet has nothing after it, items glued together, or a Python value leaked."""
    lines = markdown.splitlines()
    bad = []
    for i, line in enumerate(lines):
        stripped = line.strip()
        following = next((x for x in lines[i + 1 :] if x.strip()), "")
        introduces_list = re.match(r"\s*(?:[-*]|\d+\.)\s", following) is not None
        dangling_label = re.search(r"[:：](?:\*\*)?$", stripped) and not introduces_list and "您好" not in stripped
        glued_or_leaked = GLUED_ITEMS.search(stripped) or LEAKED_PYTHON.search(stripped)
        if EMPTY_BULLET.fullmatch(stripped) or dangling_label or glued_or_leaked:
            bad.append(line)
    return bad


@pytest.mark.parametrize(("kind", "lang"), CASES)
def test_minimum_facts_render_with_markers_and_no_empty_values(kind, lang):
    result = format_escalation_brief(FACTS["minimal"][kind], kind=kind, language=lang)
    assert result.language == lang and result.kind == kind
    assert not _empty_value_lines(result.markdown), _empty_value_lines(result.markdown)
    if kind == "executive_notification":  # sent as written: empty optional sections are dropped, not marked
        assert not result.unknown_fields and marker(kind, lang) not in result.markdown and result.sendable
        return
    assert result.unknown_fields, "minimum facts leave optional facts unknown"
    assert result.markdown.count(marker(kind, lang)) >= len(result.unknown_fields)
    optional = {n for n in KIND_MODELS[kind].model_fields} - set(required_fields(kind))
    assert {re.split(r"[.\[]", f)[0] for f in result.unknown_fields} <= optional
    for value in FACTS["minimal"][kind].values():
        if isinstance(value, str) and " " in value and not re.match(r"\d{4}-\d{2}-\d{2}T", value):
            assert value in result.markdown


@pytest.mark.parametrize(("kind", "lang"), CASES)
def test_full_facts_leave_nothing_unknown(kind, lang):
    result = format_escalation_brief(FACTS["full"][kind], kind=kind, language=lang)
    assert result.unknown_fields == []
    assert not any(m in result.markdown for m in ALL_MARKERS)
    assert not _empty_value_lines(result.markdown), _empty_value_lines(result.markdown)


@pytest.mark.parametrize("kind", DOC_KINDS)
def test_missing_required_facts_are_all_listed(kind):
    with pytest.raises(InputError) as err:
        format_escalation_brief({}, kind=kind, language="en")
    text = str(err.value)
    assert err.value.field == "facts"
    for name in required_fields(kind):
        assert name in text
    partial = dict(FACTS["minimal"][kind])
    dropped = required_fields(kind)[:2]
    for name in dropped:
        partial.pop(name)
    with pytest.raises(InputError) as err:
        format_escalation_brief(partial, kind=kind, language="en")
    assert f"missing required facts for {kind}: {', '.join(dropped)} (" in str(err.value)


def test_blank_required_text_counts_as_missing():
    facts = dict(FACTS["minimal"]["escalation_brief"], summary="   ")
    with pytest.raises(InputError, match="missing required facts for escalation_brief: summary"):
        format_escalation_brief(facts, language="en")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": "postmortem"}, "kind"),
        ({"language": "de"}, "language"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
    ],
)
def test_bad_arguments_name_the_field_and_what_is_allowed(kwargs, field):
    with pytest.raises(InputError) as err:
        format_escalation_brief(FACTS["minimal"]["escalation_brief"], **kwargs)
    assert err.value.field == field and err.value.allowed


def test_unknown_fact_and_bad_enum_are_input_errors():
    with pytest.raises(InputError, match="sumary"):
        format_escalation_brief(dict(FACTS["minimal"]["escalation_brief"], sumary="typo"), language="en")
    with pytest.raises(InputError, match="severity"):
        format_escalation_brief(dict(FACTS["minimal"]["escalation_brief"], severity="Sev1"), language="en")


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("UTC", "2026-11-22 13:00 UTC+00:00"),
        ("Asia/Shanghai", "2026-11-22 21:00 UTC+08:00"),
        ("Europe/Moscow", "2026-11-22 16:00 UTC+03:00"),
        ("America/New_York", "2026-11-22 08:00 UTC-05:00"),
        ("Asia/Kolkata", "2026-11-22 18:30 UTC+05:30"),
    ],
)
def test_timestamps_render_in_the_requested_zone_with_offset(zone, expected):
    result = format_escalation_brief(FACTS["full"]["escalation_brief"], language="en", timezone=zone)
    assert f"**Deadline:** {expected}" in result.markdown


def test_daylight_saving_offset_follows_the_date():
    facts = dict(FACTS["minimal"]["escalation_brief"], deadline="2026-07-01T12:00:00Z")
    result = format_escalation_brief(facts, language="en", timezone="America/New_York")
    assert "2026-07-01 08:00 UTC-04:00" in result.markdown


def test_naive_iso_deadline_is_rejected_and_free_text_passes():
    with pytest.raises(InputError, match="offset"):
        format_escalation_brief(dict(FACTS["minimal"]["escalation_brief"], deadline="2026-11-22T18:00"))
    result = format_escalation_brief(dict(FACTS["minimal"]["escalation_brief"], deadline="before the 14:00 sale"))
    assert "**Deadline:** before the 14:00 sale" in result.markdown


def test_nested_timestamps_convert_too():
    result = format_escalation_brief(
        FACTS["full"]["vendor_case"], kind="vendor_case", language="zh", timezone="Asia/Shanghai"
    )
    assert "2026-11-22 17:12 UTC+08:00 —— Storage autoscaling started" in result.markdown


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Оплата не проходит у всех клиентов из ЕС с 09:40, ошибка 502", "ru"),
        ("自 09:40 起欧盟客户的所有结账请求均返回 502 错误", "zh"),
        ("Checkout returns 502 for every EU customer since 09:40", "en"),
    ],
)
def test_auto_language_follows_the_facts(text, lang):
    facts = {"summary": text, "severity": "P1", "description": text}
    assert format_escalation_brief(facts).language == lang


def test_secrets_are_masked_by_default_and_kept_when_redaction_is_off():
    facts = FACTS["full"]["escalation_brief"]
    on = format_escalation_brief(facts, language="en")
    off = format_escalation_brief(facts, language="en", redact=False)
    secrets = ["sk_live_51HqLyjWDarjtT1zdp7dc", "ops@acme-retail.example", "Winter2026!"]
    assert all(s not in on.markdown and s in off.markdown for s in secrets)
    assert {(r.kind, r.field) for r in on.redactions} == {
        ("bearer_token", "tried[1].action"),
        ("email", "last_customer_update"),
        ("password", "needed[1]"),
    }
    assert off.redactions == []
    assert all(s not in on.model_dump_json() for s in secrets)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_incident_report_emits_the_contract_headings(lang):
    md = format_escalation_brief(FACTS["minimal"]["incident_report"], kind="incident_report", language=lang).markdown
    emitted = [_norm(h) for h in re.findall(r"^## (.+)$", md, flags=re.M)]
    expected = [_norm(item.headings[lang][0]) for item in load_contract("incident-triage").items]
    assert emitted == expected


def test_pipeline_style_free_text_target_and_sla_pass_through():
    facts = dict(
        FACTS["minimal"]["escalation_brief"],
        target="Инженерная команда (вызван руководитель инцидента)",
        sla_status="Первичный ответ до 2026-11-22 10:15",
        needed=["Расследовать и устранить"],
        deadline="2026-11-22T10:15:00+03:00",
    )
    md = format_escalation_brief(facts, language="ru", timezone="Europe/Moscow").markdown
    assert "**Кому эскалируем:** Инженерная команда (вызван руководитель инцидента)" in md
    assert "**Срок:** 2026-11-22 10:15 UTC+03:00" in md


@pytest.mark.parametrize(
    ("tier", "only"), [("1->2", None), ("Tier 2 → Tier 3", "engineering_ask"), ("3 to vendor", "vendor")]
)
def test_handoff_checklist_matches_the_tier(tier, only):
    facts = dict(FACTS["minimal"]["tier_handoff"], tier=tier)
    result = format_escalation_brief(facts, kind="tier_handoff", language="en")
    assert ("root_cause_hypothesis" in result.unknown_fields) == (only is not None)
    assert ("engineering_ask" in result.unknown_fields) == (only == "engineering_ask")
    assert ("vendor_case_id" in result.unknown_fields) == (only == "vendor")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_subset_of_optional_facts_renders_cleanly(data):
    """Random mixes of given and missing optional facts: no empty values; only omitted facts are unknown."""
    kind = data.draw(st.sampled_from(DOC_KINDS))
    lang = data.draw(st.sampled_from(LANGUAGES))
    optional = sorted(set(FACTS["full"][kind]) - set(required_fields(kind)))
    given_names = data.draw(st.sets(st.sampled_from(optional))) if optional else set()
    facts = {k: v for k, v in FACTS["full"][kind].items() if k in given_names or k in required_fields(kind)}
    result = format_escalation_brief(facts, kind=kind, language=lang, timezone="Asia/Shanghai")
    assert not _empty_value_lines(result.markdown), _empty_value_lines(result.markdown)
    unknown_roots = {re.split(r"[.\[]", f)[0] for f in result.unknown_fields}
    assert unknown_roots <= set(optional) - given_names
    assert result.markdown.count(marker(kind, lang)) >= len(result.unknown_fields)


def test_oversized_free_text_is_refused_naming_the_field_and_the_limit():
    facts = dict(FACTS["minimal"]["escalation_brief"], description="a." * 160_000 + "@")
    with pytest.raises(InputError) as err:
        format_escalation_brief(facts, language="en")
    assert err.value.field == "facts.description"
    assert "320,001" in str(err.value) and "20,000" in str(err.value)
    nested = dict(FACTS["full"]["escalation_brief"], tried=[{"action": "ok"}, {"action": "x" * 20_001}])
    with pytest.raises(InputError) as err:
        format_escalation_brief(nested, language="en")
    assert err.value.field == "facts.tried[1].action"


def test_free_text_at_the_field_limit_renders_but_the_total_is_capped():
    at_limit = "x" * 20_000
    ok = format_escalation_brief(dict(FACTS["minimal"]["escalation_brief"], description=at_limit), language="en")
    assert at_limit in ok.markdown
    facts = dict(FACTS["minimal"]["escalation_brief"], supporting_context=[at_limit] * 5)
    with pytest.raises(InputError) as err:
        format_escalation_brief(facts, language="en")
    assert err.value.field == "facts" and "100,000" in str(err.value)


@pytest.mark.parametrize(
    ("vendor", "extra", "shown"),
    [
        ("aws", {}, "AWS"),  # the zh display name (references/i18n/vendor-names.yaml)
        ("GCP", {}, "Google Cloud"),
        ("yandex cloud", {}, "Yandex Cloud"),
        ("aws", {"vendor_name": "AWS 中国区（宁夏）"}, "AWS 中国区（宁夏）"),
        ("Acme Hosting", {}, "Acme Hosting"),
        ("alibaba", {}, "alibaba"),
    ],
)
def test_vendor_case_names_the_vendor_not_its_id(vendor, extra, shown):
    """Known ids and aliases map to the catalog's name; vendor_name wins; unknown or ambiguous names stay."""
    facts = dict(FACTS["minimal"]["vendor_case"], vendor=vendor, **extra)
    md = format_escalation_brief(facts, kind="vendor_case", language="zh").markdown
    assert f"# 提交给 {shown} 的技术支持工单" in md
    assert "vendor_name" not in format_escalation_brief(facts, kind="vendor_case", language="en").unknown_fields


def test_handoff_to_an_unnamed_vendor_still_reports_the_vendor_unknown():
    facts = dict(FACTS["minimal"]["tier_handoff"], tier="3->vendor")
    result = format_escalation_brief(facts, kind="tier_handoff", language="en")
    assert "vendor" in result.unknown_fields
    facts["vendor"] = "azure"
    assert "Microsoft Azure" in format_escalation_brief(facts, kind="tier_handoff", language="en").markdown


ONE_FORM = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC[+-]\d{2}:\d{2}")
ANY_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}[^\s,;)）—]*(?: UTC[+-]\d{2}:\d{2})?")


@pytest.mark.parametrize(("kind", "lang"), CASES)
def test_every_timestamp_in_every_document_has_the_one_form(kind, lang):
    result = format_escalation_brief(FACTS["full"][kind], kind=kind, language=lang, timezone="Asia/Kolkata")
    stamps = ANY_DATETIME.findall(result.markdown)
    assert all(ONE_FORM.fullmatch(s) for s in stamps), stamps
    assert all(s.endswith("UTC+05:30") for s in stamps), stamps


@pytest.mark.parametrize(
    "written",
    [
        "2026-11-22T10:00:00Z",
        "2026-11-22T18:00:00+08:00",
        "2026-11-22 18:00 +08:00",
        "2026-11-22T18:00+0800",
        "2026-11-22T18:00+08",
        "2026-11-22 18:00 UTC+8",
        "2026-11-22T05:00:00.250-05:00",
        "2026-11-22 10:00 UTC",
    ],
)
def test_iso_deadlines_in_any_common_spelling_render_one_way(written):
    facts = dict(FACTS["minimal"]["escalation_brief"], deadline=written)
    md = format_escalation_brief(facts, language="en", timezone="Asia/Shanghai").markdown
    assert "**Deadline:** 2026-11-22 18:00 UTC+08:00" in md


def test_time_fields_convert_while_evidence_and_links_stay_verbatim():
    link = "https://grafana.example/d/pay?from=2026-11-22T09:00:00Z"
    facts = dict(
        FACTS["minimal"]["escalation_brief"],
        deadline="2026-11-22T18:00:00+08:00 (before the evening sale)",
        tried=[{"action": "Rollback", "result": f"done at 2026-11-22T09:50:00+03:00, see {link}"}],
    )
    md = format_escalation_brief(facts, language="en", timezone="UTC").markdown
    assert "**Deadline:** 2026-11-22 10:00 UTC+00:00 (before the evening sale)" in md
    assert "done at 2026-11-22T09:50:00+03:00, see " + link in md  # evidence is quoted exactly


def test_timestamps_without_an_offset_in_free_text_stay_as_written():
    facts = dict(FACTS["minimal"]["escalation_brief"], last_customer_update="2026-11-22 10:30 — called the customer")
    md = format_escalation_brief(facts, language="en", timezone="Asia/Shanghai").markdown
    assert "2026-11-22 10:30 — called the customer" in md


def test_impossible_iso_deadline_is_rejected():
    with pytest.raises(InputError, match="not a valid date and time"):
        format_escalation_brief(dict(FACTS["minimal"]["escalation_brief"], deadline="2026-13-45T18:00:00Z"))
