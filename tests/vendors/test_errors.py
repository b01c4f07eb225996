"""Bad or ambiguous input raises InputError naming the field and the valid values."""

from __future__ import annotations

import pytest

from escalation_kit.errors import InputError
from escalation_kit.vendors import catalog as vc
from escalation_kit.vendors import catalog_markdown, pick_vendor_support_path, plan_ids, vendor_ids


def test_unknown_vendor_lists_vendor_ids():
    with pytest.raises(InputError) as err:
        pick_vendor_support_path("digitalocean-xyz", "P0")
    assert err.value.field == "vendor"
    assert err.value.allowed == vendor_ids()


@pytest.mark.parametrize("bad", ["", "   ", None])
def test_missing_vendor_is_an_error(bad):
    with pytest.raises(InputError) as err:
        pick_vendor_support_path(bad, "P0")
    assert err.value.field == "vendor"


def test_unknown_plan_lists_that_vendors_plans():
    with pytest.raises(InputError) as err:
        pick_vendor_support_path("gcp", "P0", plan="gold-plus")
    assert err.value.field == "plan"
    assert err.value.allowed == plan_ids("gcp")
    assert "enhanced" in str(err.value)


@pytest.mark.parametrize("bad", ["P4", "p0", "critical", "", None])
def test_unknown_severity(bad):
    with pytest.raises(InputError) as err:
        pick_vendor_support_path("aws", bad)
    assert err.value.field == "severity"
    assert err.value.allowed == ["P0", "P1", "P2", "P3"]


@pytest.mark.parametrize("name", ["alibaba", "Alibaba Cloud", "alicloud"])
def test_alibaba_alone_is_ambiguous(name):
    with pytest.raises(InputError) as err:
        pick_vendor_support_path(name, "P0")
    assert sorted(err.value.allowed) == ["alibaba-cn", "alibaba-intl"]
    assert "aliyun.com" in str(err.value) and "alibabacloud.com" in str(err.value)


def test_alibaba_with_china_region_still_errors_but_hints():
    with pytest.raises(InputError) as err:
        pick_vendor_support_path("alibaba", "P0", region="cn-hangzhou")
    text = str(err.value)
    assert "cn-hangzhou" in text and "alibaba-cn" in text
    with pytest.raises(InputError) as plain:
        pick_vendor_support_path("alibaba", "P0")
    assert "cn-hangzhou" not in str(plain.value)


@pytest.mark.parametrize(
    ("name", "vendor"),
    [
        ("Google Cloud", "gcp"),
        ("google", "gcp"),
        ("google_cloud", "gcp"),
        ("AMAZON", "aws"),
        ("Microsoft Azure", "azure"),
        ("aliyun", "alibaba-cn"),
        ("alibabacloud", "alibaba-intl"),
    ],
)
def test_aliases(name, vendor):
    assert pick_vendor_support_path(name, "P2").vendor == vendor


@pytest.mark.parametrize(
    ("vendor", "plan", "plan_id"),
    [
        ("azure", "ProDirect", "professional-direct"),
        ("aws", "AWS Enterprise Support", "enterprise"),
        ("aws", "Business+", "business-support-plus"),
        ("gcp", "Premium Support", "premium"),
        ("alibaba-cn", "企业级", "enterprise"),
    ],
)
def test_plan_aliases_and_names(vendor, plan, plan_id):
    assert pick_vendor_support_path(vendor, "P1", plan=plan).plan == plan_id


def test_aliases_are_unique_across_vendors():
    seen: dict[str, str] = {}
    assert vc.load_catalog().values(), "nothing to check"
    for spec in vc.load_catalog().values():
        for alias in [spec.id, *spec.aliases]:
            key = vc.normalise(alias)
            assert seen.setdefault(key, spec.id) == spec.id, alias


def test_markdown_unknown_vendor_and_contents():
    with pytest.raises(InputError):
        catalog_markdown("nope")
    text = catalog_markdown("google")
    spec = vc.load_catalog()["gcp"]
    for plan in spec.plans:
        assert plan.name in text
    for src in spec.sources:
        assert src.url in text
    assert "(unverified)" in text
