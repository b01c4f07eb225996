"""Vendor case severity follows each vendor's own level definitions applied to the incident facts."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from escalation_kit.errors import DataError, InputError
from escalation_kit.vendors import catalog as vc
from escalation_kit.vendors import pick_vendor_support_path
from escalation_kit.vendors.catalog import VendorSpec


def _level(vendor: str, severity: str, **kw) -> str:
    path = pick_vendor_support_path(vendor, severity, **kw)
    assert path.case_severity is not None, path.note
    return path.case_severity.level


@pytest.mark.parametrize("severity", ["P0", "P1"])
def test_yandex_critical_issue_is_for_production_only(severity: str) -> None:
    assert _level("yandex", severity, production=True) == "critical"
    path = pick_vendor_support_path("yandex", severity, production=False)
    assert path.case_severity and path.case_severity.level == "normal"
    assert "production environment" in path.mapping_reason
    assert "non_production cap" not in path.unverified, "Yandex states the rule itself"


def test_yandex_level_names_are_the_ones_its_docs_use() -> None:
    names = {lv.name for lv in vc.load_catalog()["yandex"].levels}
    assert names == {"Critical issue", "Normal"}


def test_yandex_premium_technical_manager_is_sourced() -> None:
    path = pick_vendor_support_path("yandex", "P0", plan="premium")
    tam = next(e for e in path.escalation if e.kind == "tam")
    assert tam.role == "Personal technical manager"
    assert not tam.unverified and tam.sources


@pytest.mark.parametrize("severity", ["P0", "P1"])
@pytest.mark.parametrize("plan", ["standard", "professional-direct", "premier", "rapid-response"])
def test_azure_non_production_is_severity_b(severity: str, plan: str) -> None:
    path = pick_vendor_support_path("azure", severity, plan=plan, production=False)
    if plan == "rapid-response":  # the add-on lists only Severity A: nothing at or under B to file
        assert path.case_severity and path.case_severity.level == "B" or not path.available
        return
    assert path.case_severity and path.case_severity.level == "B"
    assert _level("azure", severity, plan=plan, production=True) == "A"


@pytest.mark.parametrize("severity", ["P0", "P1"])
def test_oci_non_production_never_gets_highest(severity: str) -> None:
    assert _level("oci", severity, production=False) != "HIGHEST"
    assert _level("oci", "P0", production=True) == "HIGHEST"


def test_gcp_regional_outage_of_a_core_service_in_production_is_google_p1() -> None:
    path = pick_vendor_support_path("gcp", "P1", plan="enhanced", production=True)
    assert path.case_severity and path.case_severity.level == "P1"
    assert path.case_severity.response_minutes == 60
    assert "currently unusable" in path.mapping_reason


def test_gcp_greatly_impaired_but_usable_is_google_p2() -> None:
    assert _level("gcp", "P1", plan="enhanced", production=True, state="impaired") == "P2"


def test_gcp_non_production_keeps_its_cap() -> None:
    assert _level("gcp", "P1", production=False) == "P3"


def test_cloudflare_intermittent_outage_for_part_of_users_is_its_p2() -> None:
    assert _level("cloudflare", "P2", state="intermittent", scope="some") == "P2"
    assert _level("cloudflare", "P2") == "P2", "the rubric's P2 is partial or intermittent failure"


def test_cloudflare_non_production_is_capped_below_p1() -> None:
    assert _level("cloudflare", "P0", production=True) == "P1"
    path = pick_vendor_support_path("cloudflare", "P0", production=False)
    assert path.case_severity and path.case_severity.level == "P2"
    assert "non_production cap" in path.unverified


def test_caller_facts_override_the_p_level_defaults() -> None:
    path = pick_vendor_support_path("gcp", "P2", plan="premium", production=True, state="down", scope="all")
    assert path.case_severity and path.case_severity.level == "P1"
    assert "production=true, state=down, scope=all" in path.facts


@pytest.mark.parametrize(("field", "kw"), [("state", {"state": "broken"}), ("scope", {"scope": "world"})])
def test_unknown_fact_values_are_refused(field: str, kw: dict) -> None:
    with pytest.raises(InputError) as err:
        pick_vendor_support_path("gcp", "P1", **kw)
    assert err.value.field == field


def test_definition_sources_are_cited() -> None:
    path = pick_vendor_support_path("gcp", "P1", production=True)
    assert "gcp-priority-enum" in {s.id for s in path.sources}


def test_a_definition_naming_an_unknown_source_is_refused() -> None:
    spec = vc.load_vendor_file(vc.vendors_dir() / "gcp.yaml").model_dump()  # the catalog holds plain objects
    spec["levels"][1]["when"][0]["sources"] = ["no-such-source"]
    with pytest.raises((DataError, ValidationError), match="unknown source ids"):
        VendorSpec.model_validate(spec)


def test_huawei_has_no_tam_on_enterprise_on_ramp() -> None:
    path = pick_vendor_support_path("huawei", "P0", plan="enterprise-on-ramp")
    assert not [e for e in path.escalation if e.kind == "tam"]
    enterprise = pick_vendor_support_path("huawei", "P0", plan="enterprise")
    assert [e for e in enterprise.escalation if e.kind == "tam"]


def test_no_source_points_at_a_site_root() -> None:
    roots = []
    for spec in vc.load_catalog().values():
        for src in spec.sources:
            path = src.url.split("://", 1)[1].split("/", 1)[1] if "/" in src.url.split("://", 1)[1] else ""
            if not path.strip("/") and "status" not in src.url:
                roots.append(src.id)
    assert roots == []


def test_aws_severity_change_rule_is_marked_unverified() -> None:
    spec = vc.load_catalog()["aws"]
    rule = next(e for e in spec.escalation if e.kind == "severity_raise")
    assert rule.unverified
    assert "can't change the severity" in rule.when


def test_aws_developer_business_window_is_in_the_catalog() -> None:
    path = pick_vendor_support_path("aws", "P3", plan="developer")
    assert path.business_window == "08:00-18:00"
    assert "08:00-18:00" in path.note


def test_catalog_markdown_shows_the_definitions_and_the_cap() -> None:
    from escalation_kit.vendors import catalog_markdown

    text = catalog_markdown("cloudflare")
    assert "## Level definitions applied to the facts" in text
    assert "intermittent outages" in text
    assert "Not production: at most P2 High" in text
