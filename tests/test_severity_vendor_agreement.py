"""classify_severity and pick_vendor_support_path name the same vendor case severity: one source, the catalog."""

from __future__ import annotations

import pytest

from escalation_kit.errors import InputError
from escalation_kit.severity import SEVERITIES, classify_severity
from escalation_kit.vendor_catalog import load_catalog
from escalation_kit.vendors import pick_vendor_support_path

VENDORS = sorted(load_catalog())


def _name(vendor: str, level: str, production: bool | None) -> str:
    case = pick_vendor_support_path(vendor, level, production=production).case_severity
    assert case is not None, (vendor, level, production)
    return case.name


@pytest.mark.parametrize("production", [True, False, None])
@pytest.mark.parametrize("level", SEVERITIES)
def test_severity_result_agrees_with_vendor_path_for_every_vendor(level: str, production: bool | None) -> None:
    from escalation_kit.severity import _vendor_names

    table = _vendor_names(level, production)
    assert sorted(table) == VENDORS
    for vendor in VENDORS:
        assert table[vendor] == _name(vendor, level, production), vendor


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
    for vendor, name in result.vendor_case_severity.items():
        assert name == _name(vendor, result.severity, production), (vendor, result.severity, production)


def test_staging_p2_is_not_filed_as_a_production_level() -> None:
    result = classify_severity("staging is down")
    assert result.severity == "P2" and result.features["production"] is False
    assert result.vendor_case_severity["aws"] == "System impaired"
    assert result.vendor_case_severity["huawei"] == "System impaired"


def test_non_production_never_files_above_the_vendor_ceiling() -> None:
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

    for vendor, spec in load_catalog().items():
        text = catalog_markdown(vendor)
        if spec.non_production:
            assert f"Not production: at most {spec.level(spec.non_production.ceiling).name}" in text, vendor
        else:
            assert "Not production" not in text, vendor
