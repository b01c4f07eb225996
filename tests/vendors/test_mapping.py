"""P0-P3 -> vendor case severity per plan, the fallbacks, and what the answer carries."""

from __future__ import annotations

import pytest

from escalation_kit.vendors import catalog as vc
from escalation_kit.vendors import pick_vendor_support_path
from escalation_kit.vendors.path import case_facts

# (vendor, plan, P-level) -> (API code, or level id where the vendor has no API, minutes, clock, exact match)
TABLE = [
    ("aws", "business-support-plus", "P0", "critical", 30, "24x7", True),
    ("aws", "business-support-plus", "P1", "urgent", 60, "24x7", True),
    ("aws", "business-support-plus", "P2", "high", 240, "24x7", True),
    ("aws", "business-support-plus", "P3", "low", 1440, "24x7", True),
    ("aws", "enterprise", "P0", "critical", 15, "24x7", True),
    ("aws", "unified-operations", "P0", "critical", 5, "24x7", True),
    ("aws", "enterprise-on-ramp", "P0", "critical", 30, "24x7", True),
    ("aws", "business", "P0", "urgent", 60, "24x7", False),
    ("aws", "developer", "P0", "normal", 720, "business", False),
    ("aws", "developer", "P3", "low", 1440, "business", True),
    ("azure", "standard", "P0", "critical", 60, "24x7", True),
    ("azure", "standard", "P2", "moderate", 240, "unknown", True),
    ("azure", "standard", "P3", "minimal", 480, "business", True),
    ("azure", "professional-direct", "P1", "critical", 60, "24x7", True),
    ("azure", "developer", "P0", "minimal", 480, "business", False),
    ("azure", "rapid-response", "P0", "critical", 15, "24x7", True),
    ("gcp", "standard", "P0", "P2", 240, "business", False),
    ("gcp", "standard", "P1", "P2", 240, "business", False),
    ("gcp", "enhanced", "P0", "P1", 60, "24x7", True),
    ("gcp", "premium", "P0", "P1", 15, "24x7", True),
    ("gcp", "premium", "P1", "P1", 15, "24x7", True),
    ("gcp", "premium", "P3", "P4", 480, "unknown", True),
    ("alibaba-cn", "enterprise", "P0", "2", None, "24x7", True),
    ("alibaba-cn", "top", "P2", "1", None, "24x7", True),
    ("alibaba-intl", "business", "P1", "2", None, "unknown", True),
    ("oci", "paid", "P0", "HIGHEST", None, "unknown", True),
    ("oci", "paid", "P3", "LOW", None, "unknown", True),
    ("tencent", "enterprise", "P0", "business-critical", 15, "unknown", True),
    ("tencent", "business", "P0", "production-impacted", 30, "unknown", False),
    ("tencent", "basic", "P1", "general", 960, "unknown", False),
    ("huawei", "enterprise", "P0", "core-unavailable", 15, "24x7", True),
    ("huawei", "business", "P0", "production-unavailable", 60, "24x7", False),
    ("huawei", "developer", "P1", "system-impaired", 720, "business", False),
    ("yandex", "premium", "P0", "critical", 15, "unknown", True),
    ("yandex", "business", "P0", "critical", 30, "unknown", True),
    ("yandex", "basic", "P0", "normal", 1440, "unknown", False),
    ("yandex", "business", "P2", "critical", 30, "unknown", True),  # unknown production reads as production
    ("cloudflare", "enterprise", "P0", "P1", 120, "unknown", True),
    ("cloudflare", "premium", "P1", "P2", 120, "unknown", True),
    ("cloudflare", "pro", "P0", "P1", None, "unknown", True),
]


@pytest.mark.parametrize(("vendor", "plan", "sev", "code", "minutes", "clock", "exact"), TABLE)
def test_mapping_table(vendor, plan, sev, code, minutes, clock, exact):
    path = pick_vendor_support_path(vendor, sev, plan=plan)
    assert path.available
    assert path.case_severity is not None
    assert (path.case_severity.api_code or path.case_severity.level) == code
    assert path.case_severity.response_minutes == minutes
    assert path.case_severity.clock == clock
    assert path.exact_match is exact
    if not exact:
        assert "has no" in path.note and "best available" in path.note


def test_gcp_standard_p0_says_it_has_no_p1():
    path = pick_vendor_support_path("gcp", "P0", plan="standard")
    assert "no 'P1" in path.note
    assert path.case_severity.name.startswith("P2")


@pytest.mark.parametrize(
    ("vendor", "plan", "word"),
    [
        ("aws", "basic", "technical"),
        ("azure", "basic", "technical"),
        ("gcp", "basic", "technical"),
        ("gcp", "legacy", "no longer exists"),
    ],
)
def test_plans_without_technical_cases_are_unavailable(vendor, plan, word):
    path = pick_vendor_support_path(vendor, "P0", plan=plan)
    assert path.available is False
    assert path.case_severity is None
    assert word in path.note
    assert path.open_case == []
    assert path.status_pages, "status pages are still worth checking"
    needs_case = {r.id for r in vc.load_policy().steps if r.needs_case}
    ids = [s.id for s in path.policy]
    assert "check-status-page" in ids
    assert not needs_case & set(ids), "no step may tell the user to file a case the plan cannot open"


def _all_combinations():
    for spec in vc.load_catalog().values():
        for plan in spec.plans:
            for sev in ("P0", "P1", "P2", "P3"):
                yield spec, plan, sev


@pytest.mark.parametrize("combo", list(_all_combinations()), ids=lambda c: f"{c[0].id}-{c[1].id}-{c[2]}")
def test_every_combination_is_consistent(combo):
    spec, plan, sev = combo
    path = pick_vendor_support_path(spec.id, sev, plan=plan.id)
    assert path.available == (path.case_severity is not None)
    cited = {s.id for s in path.sources}
    if path.case_severity:
        figure = next(f for f in plan.severities if f.level == path.case_severity.level)
        assert path.case_severity.response_minutes == figure.response_minutes
        rule = plan.mapping.get(sev) or spec.mapping[sev]
        defined = spec.defined_level(case_facts(sev, None))
        prefer = spec.below(defined[0].id) if defined else rule.prefer
        offered = [lv for lv in prefer if lv in {f.level for f in plan.severities}]
        assert path.case_severity.level == offered[0], "first preferred level the plan offers"
        if defined:
            assert defined[1].quote in path.mapping_reason, "the vendor's own words decide"
        else:
            assert path.mapping_reason == rule.why
        assert set(path.case_severity.sources) <= cited
        if path.case_severity.unverified:
            assert any(u.startswith("case_severity") for u in path.unverified)
        else:
            assert path.case_severity.sources, "a verified figure must cite a source"
    labelled = [
        *((c, f"open_case.{c.kind}") for c in path.open_case),
        *((e, f"escalation: {e.role}") for e in path.escalation),
        *((p, f"status_pages: {p.name}") for p in path.status_pages),
    ]
    for item, label in labelled:
        assert set(item.sources) <= cited
        assert (label in path.unverified) == item.unverified
    for src in path.sources:
        assert src.url and src.checked


def test_default_plan_is_assumed_and_said():
    path = pick_vendor_support_path("aws", "P0")
    assert path.plan == vc.load_catalog()["aws"].default_plan
    assert path.plan_assumed
    assert "No plan given: assumed" in path.note
    explicit = pick_vendor_support_path("aws", "P0", plan=path.plan)
    assert not explicit.plan_assumed
    assert "assumed" not in explicit.note


def test_legacy_plan_carries_its_end_date():
    path = pick_vendor_support_path("aws", "P1", plan="business")
    assert path.plan_lifecycle == "legacy"
    assert "2027-01-01" in path.note


def test_unverified_alibaba_target_is_passed_on():
    path = pick_vendor_support_path("alibaba-cn", "P0", plan="enterprise")
    assert path.case_severity.unverified
    assert path.case_severity.response_minutes is None
    assert "case_severity: 紧急 (emergency)" in path.unverified


def test_dse_expansions_differ_between_vendors():
    aws = pick_vendor_support_path("aws", "P0", plan="unified-operations")
    azure = pick_vendor_support_path("azure", "P0", plan="premier")
    aws_dse = next(e.role for e in aws.escalation if e.kind == "dse")
    azure_dse = next(e.role for e in azure.escalation if e.kind == "dse")
    assert "Domain Specialist Engineer" in aws_dse
    assert "Designated Support Engineering" in azure_dse


def test_api_channels_are_plan_gated():
    standard = pick_vendor_support_path("azure", "P0", plan="standard")
    prodirect = pick_vendor_support_path("azure", "P0", plan="professional-direct")
    assert {c.kind for c in standard.open_case} == {"console"}
    assert {"console", "cli", "api"} <= {c.kind for c in prodirect.open_case}
    cli = next(c for c in prodirect.open_case if c.kind == "cli")
    assert cli.command.startswith("az support in-subscription tickets create")
    aws_cli = next(c for c in pick_vendor_support_path("aws", "P0").open_case if c.kind == "cli")
    assert "aws support create-case" in aws_cli.command and "--severity-code" in aws_cli.command


def test_region_rule_adds_note():
    path = pick_vendor_support_path("aws", "P0", plan="enterprise", region="cn-north-1")
    assert "support.cn-north-1.amazonaws.com.cn" in path.note
    assert path.region == "cn-north-1"
    plain = pick_vendor_support_path("aws", "P0", plan="enterprise", region="eu-west-1")
    assert "cn-north-1" not in plain.note


def test_answer_is_a_copy_not_the_cached_catalog():
    first = pick_vendor_support_path("aws", "P0", plan="enterprise")
    first.status_pages[0].url = "https://example.invalid/"
    first.case_severity.response_minutes = 1
    again = pick_vendor_support_path("aws", "P0", plan="enterprise")
    assert again.status_pages[0].url != "https://example.invalid/"
    assert again.case_severity.response_minutes == 15


def test_alibaba_region_does_not_trigger_aws_china_note():
    assert "cn-north-1" not in pick_vendor_support_path("aws", "P0", region="cn-hangzhou").note


def test_missing_and_unclocked_targets_are_said_out_loud():
    ali = pick_vendor_support_path("alibaba-cn", "P0")
    assert "No first-response target" in ali.note and "official source" in ali.note
    pro = pick_vendor_support_path("cloudflare", "P0", plan="pro")
    assert "commits to none" in pro.note
    tencent = pick_vendor_support_path("tencent", "P0", plan="enterprise")
    assert "24x7 or in business hours" in tencent.note
    aws = pick_vendor_support_path("aws", "P0", plan="enterprise")
    assert "No first-response target" not in aws.note and "24x7 or in business" not in aws.note
