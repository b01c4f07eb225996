"""The published tools: classify_severity names the vendor case severity pick_vendor_support_path files."""

from __future__ import annotations

import pytest

from escalation_kit.errors import InputError
from escalation_kit.tools import classify_severity
from escalation_kit.vendors import case_severity_names
from escalation_kit.vendors.catalog import load_catalog
from escalation_kit.vendors.path import pick_vendor_support_path
from escalation_kit.vocab import SEVERITIES

VENDORS = sorted(load_catalog())


def _name(vendor: str, level: str, production: bool | None) -> str:
    case = pick_vendor_support_path(vendor, level, production=production).case_severity
    assert case is not None, (vendor, level, production)
    return case.name


@pytest.mark.parametrize(("level", "production", "expected"), [
    ("P0", True, {"aws": "Business-critical system down", "azure": "Severity A - Critical impact",
                  "huawei": "Production system unavailable", "oci": "HIGHEST"}),
    ("P2", None, {"aws": "Production system impaired", "azure": "Severity B - Moderate impact", "oci": "MEDIUM"}),
    ("P3", None, {"aws": "General guidance", "azure": "Severity C - Minimal impact", "cloudflare": "P4 Low"}),
    ("P0", False, {"aws": "System impaired", "huawei": "System impaired"}),
])
def test_case_severity_names_per_vendor(level: str, production: bool | None, expected: dict[str, str]) -> None:
    table = case_severity_names(level, production)
    assert sorted(table) == VENDORS
    assert {vendor: table[vendor] for vendor in expected} == expected


def test_case_severity_names_is_a_fresh_copy() -> None:
    first = case_severity_names("P1")
    first["aws"] = "changed"
    assert case_severity_names("P1")["aws"] != "changed"


@pytest.mark.parametrize(("text", "facts"), [
    ("staging is down", None),
    ("Checkout is down for all users in production", None),
    ("The test environment is completely down", {"production": False, "users_affected_pct": 100}),
    ("Payments fail for some users", {"production": True}),
    ("How do I enable MFA?", None),
])
def test_classify_end_to_end_matches_vendor_path(text: str, facts: dict | None) -> None:
    result = classify_severity(text, facts)
    production = result.features["production"]
    assert result.vendor_case_severity.items(), "nothing to check"
    for vendor, name in result.vendor_case_severity.items():
        assert name == _name(vendor, result.severity, production), (vendor, result.severity, production)


def test_staging_p2_is_not_filed_as_a_production_level() -> None:
    result = classify_severity("staging is down")
    assert result.severity == "P2" and result.features["production"] is False
    assert result.vendor_case_severity["aws"] == "System impaired"
    assert result.vendor_case_severity["huawei"] == "System impaired"


def test_non_production_never_files_above_the_vendor_ceiling() -> None:
    assert load_catalog().items(), "nothing to check"
    for vendor, spec in load_catalog().items():
        order = [lv.id for lv in spec.levels]
        for level in SEVERITIES:
            prod = pick_vendor_support_path(vendor, level, production=True).case_severity
            nonprod = pick_vendor_support_path(vendor, level, production=False)
            assert nonprod.production is False and nonprod.case_severity and prod
            if spec.non_production is None:
                assert nonprod.case_severity.level == prod.level, vendor
                continue
            ceiling = order.index(spec.non_production.ceiling)
            assert order.index(nonprod.case_severity.level) >= ceiling, (vendor, level)
            assert order.index(nonprod.case_severity.level) >= order.index(prod.level), (vendor, level)


def test_unverified_cap_is_flagged_and_sourced() -> None:
    path = pick_vendor_support_path("gcp", "P0", production=False)
    assert path.case_severity and path.case_severity.level == "P3"
    assert "non_production cap" in path.unverified
    assert path.mapping_reason.startswith("Non-production")
    assert "non_production cap" not in pick_vendor_support_path("gcp", "P0").unverified


def test_production_must_be_a_bool() -> None:
    with pytest.raises(InputError) as err:
        pick_vendor_support_path("aws", "P1", None, None, "no")  # type: ignore[arg-type]
    assert err.value.field == "production"


def test_catalog_markdown_states_the_non_production_cap() -> None:
    from escalation_kit.vendors import catalog_markdown

    assert load_catalog().items(), "nothing to check"
    for vendor, spec in load_catalog().items():
        text = catalog_markdown(vendor)
        if spec.non_production:
            assert f"Not production: at most {spec.level(spec.non_production.ceiling).name}" in text, vendor
        else:
            assert "Not production" not in text, vendor
