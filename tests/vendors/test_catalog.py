"""Schema and provenance checks over every vendor file and the policy file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from escalation_kit.paths import references_dir
from escalation_kit.vendors import catalog as vc
from escalation_kit.vendors import list_vendors

VENDOR_FILES = sorted((references_dir() / "vendors").glob("*.yaml"))
REQUIRED = {
    "aws",
    "azure",
    "gcp",
    "alibaba-cn",
    "alibaba-intl",
    "oci",
    "tencent",
    "huawei",
    "yandex",
    "cloudflare",
}


def test_required_vendors_present():
    assert {p.stem for p in VENDOR_FILES} >= REQUIRED


@pytest.mark.parametrize("path", VENDOR_FILES, ids=lambda p: p.stem)
def test_vendor_file_validates(path: Path):
    spec = vc.load_vendor_file(path)
    assert spec.id == path.stem
    assert spec.default_plan in {p.id for p in spec.plans}


@pytest.mark.parametrize("path", VENDOR_FILES, ids=lambda p: p.stem)
def test_every_figure_has_sources_or_is_unverified(path: Path):
    """Walk the raw YAML (not the model) so a loader bug cannot hide a missing source."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    known = {s["id"] for s in raw["sources"]}
    assert raw["plans"], "nothing to check"
    for plan in raw["plans"]:
        for fig in plan.get("severities", []):
            ids = fig.get("sources") or plan.get("sources") or []
            assert ids or fig.get("unverified"), f"{path.stem}/{plan['id']}/{fig['level']} has no provenance"
            assert set(ids) <= known
        for contact in plan.get("escalation", []):
            assert contact.get("sources") or contact.get("unverified"), f"{path.stem}/{plan['id']}: {contact}"
        assert plan.get("sources") or plan.get("unverified"), f"{path.stem}/{plan['id']} has no sources"
    for section in ("open_case", "status_pages", "escalation", "plan_changes", "region_rules", "levels"):
        for item in raw.get(section, []):
            assert item.get("sources") or item.get("unverified"), f"{path.stem} {section}: {item}"
            assert set(item.get("sources", [])) <= known


@pytest.mark.parametrize("path", VENDOR_FILES, ids=lambda p: p.stem)
def test_sources_have_url_and_check_date(path: Path):
    assert vc.load_vendor_file(path).sources, "nothing to check"
    for src in vc.load_vendor_file(path).sources:
        assert src.url.startswith("https://") or src.url.startswith("http://"), src.id
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", src.checked)


@pytest.mark.parametrize("path", VENDOR_FILES, ids=lambda p: p.stem)
def test_levels_listed_most_severe_first_and_mapping_monotonic(path: Path):
    """P0 never maps to a milder vendor level than P1, and so on, on every plan."""
    spec = vc.load_vendor_file(path)
    rank = {lv.id: i for i, lv in enumerate(spec.levels)}
    assert spec.plans, "nothing to check"
    for plan in spec.plans:
        if not plan.technical_cases:
            continue
        offered = {s.level for s in plan.severities}
        chosen = []
        for sev in ("P0", "P1", "P2", "P3"):
            rule = plan.mapping.get(sev) or spec.mapping[sev]
            first = next((lv for lv in rule.prefer if lv in offered), None)
            if first is not None:
                chosen.append(rank[first])
        assert chosen == sorted(chosen), f"{spec.id}/{plan.id}: {chosen}"


def _write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / f"{data['id']}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _aws_raw() -> dict:
    return yaml.safe_load((references_dir() / "vendors" / "aws.yaml").read_text(encoding="utf-8"))


def test_loader_rejects_figure_without_provenance(tmp_path):
    data = _aws_raw()
    plan = next(p for p in data["plans"] if p["id"] == "enterprise")
    plan["sources"] = []
    with pytest.raises(ValueError, match="needs sources or unverified"):
        vc.load_vendor_file(_write(tmp_path, data))


def test_loader_rejects_unknown_source_id(tmp_path):
    data = _aws_raw()
    data["status_pages"][0]["sources"] = ["no-such-source"]
    with pytest.raises(ValueError, match="unknown source ids"):
        vc.load_vendor_file(_write(tmp_path, data))


def test_loader_rejects_mapping_to_unknown_level(tmp_path):
    data = _aws_raw()
    data["mapping"]["P0"]["prefer"] = ["sev1"]
    with pytest.raises(ValueError, match="unknown levels"):
        vc.load_vendor_file(_write(tmp_path, data))


def test_loader_rejects_incomplete_mapping(tmp_path):
    data = _aws_raw()
    del data["mapping"]["P3"]
    with pytest.raises(ValueError, match="mapping must cover"):
        vc.load_vendor_file(_write(tmp_path, data))


def test_loader_rejects_misspelt_field(tmp_path):
    data = _aws_raw()
    data["plans"][1]["severities"][0]["respone_minutes"] = 5
    with pytest.raises(ValueError, match="respone_minutes"):
        vc.load_vendor_file(_write(tmp_path, data))


def test_loader_rejects_file_name_mismatch(tmp_path):
    data = _aws_raw()
    path = tmp_path / "amazon.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ValueError, match="does not match the file name"):
        vc.load_vendor_file(path)


def test_loader_names_the_file_of_a_yaml_syntax_error(tmp_path, monkeypatch):
    """A broken vendor file is a DataError naming it, not a raw parser error (yaml is imported lazily)."""
    monkeypatch.setenv("ESCALATION_KIT_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "aws.yaml"
    path.write_text("id: aws\nname: [unclosed\n", encoding="utf-8")
    with pytest.raises(vc.DataError, match=r"aws\.yaml"):
        vc.load_vendor_file(path)


def test_policy_file_is_labelled_policy_and_sources_resolve():
    policy = vc.load_policy()
    assert policy.label == "policy"
    known = {s.id for s in policy.sources}
    assert all(step.source in known for step in policy.steps)
    assert not any(s.official for s in policy.sources), "policy sources are playbooks, not vendor documents"


def test_policy_sources_are_not_vendor_sources():
    policy_ids = {s.id for s in vc.load_policy().sources}
    assert vc.load_catalog().values(), "nothing to check"
    for spec in vc.load_catalog().values():
        assert not policy_ids & {s.id for s in spec.sources}


def test_list_vendors_summarises_catalog():
    catalog = list_vendors()
    ids = {v.id for v in catalog.vendors}
    assert ids == set(vc.load_catalog())
    for vendor in catalog.vendors:
        assert sum(p.default for p in vendor.plans) == 1
        assert vendor.status_pages
    assert set(catalog.ambiguous_aliases["alibaba"]) == {"alibaba-cn", "alibaba-intl"}
    by_id = {v.id: v for v in catalog.vendors}
    # Business Support+ and Unified Operations figures were read only through copies
    assert by_id["aws"].targets_unverified == 10 and by_id["aws"].targets_verified >= 16
    assert by_id["alibaba-cn"].targets_verified == 0


def test_official_sources_list_names_every_source():
    """The human-readable list must not drift from the data: every source id and URL appears in it."""
    text = (references_dir() / "official-sources.md").read_text(encoding="utf-8")
    assert vc.load_catalog().values(), "nothing to check"
    for spec in vc.load_catalog().values():
        assert f"`{spec.id}`" in text
        for src in spec.sources:
            assert f"`{src.id}`" in text and src.url in text, src.id


@pytest.mark.integration
def test_a_warm_process_answers_without_building_the_catalog_models(tmp_path):
    """With the validated snapshot saved, a fresh process picks a support path without building the catalog's
    schema models or the full answer model (they are built only to validate, or for detail: full)."""
    import json
    import os
    import subprocess
    import sys

    probe = (
        "import json; from escalation_kit.vendors import catalog as vc, models as m; "
        "from escalation_kit.vendors.path import pick_vendor_support_path as p; "
        "r = p('aws', 'P1', copy=False).brief().model_dump(mode='json'); "
        "print(json.dumps([r['case_severity']['name'], vc.VendorSpec.__pydantic_complete__, "
        "m.VendorPath.__pydantic_complete__]))"
    )
    env = {**os.environ, "ESCALATION_KIT_CACHE_DIR": str(tmp_path)}
    runs = [json.loads(subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60,
                                      check=True, env=env).stdout) for _ in range(2)]
    assert runs[0] == ["Production system down", True, False]  # the first process validates the YAML
    assert runs[1] == ["Production system down", False, False]  # the next one reads the validated snapshot
