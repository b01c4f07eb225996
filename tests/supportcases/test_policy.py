"""Support API facts carry sources and agree with botocore's model and the vendor catalog; bad policy is refused."""

from __future__ import annotations

import re
import shutil

import pytest
import yaml

from escalation_kit.datafiles import load_yaml
from escalation_kit.errors import DataError
from escalation_kit.paths import references_dir
from escalation_kit.supportcases import VENDORS, load_case_policy
from escalation_kit.supportcases import policy as policy_module
from escalation_kit.vendors.catalog import resolve_vendor

FACT_BLOCKS = ("endpoint", "severity_codes", "statuses")


def sourced_blocks(node, path=""):
    """Every mapping in a facts file that states a source, with where it is."""
    if isinstance(node, dict):
        if "source" in node:
            yield path, node
        for key, value in node.items():
            yield from sourced_blocks(value, f"{path}.{key}" if path else key)


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_fact_names_an_https_source_and_says_whether_it_is_verified(vendor):
    facts = load_case_policy(vendor).facts
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(facts["checked"]))
    blocks = list(sourced_blocks(facts))
    assert {p.split(".")[0] for p, _ in blocks} >= set(FACT_BLOCKS)
    for where, block in blocks:
        assert str(block["source"]).startswith("https://"), where
        assert isinstance(block.get("unverified"), bool), where


@pytest.mark.parametrize("vendor", VENDORS)
def test_the_catalog_files_cases_at_codes_the_api_takes(vendor):
    policy = load_case_policy(vendor)
    codes = {lv.api_code for lv in resolve_vendor(vendor).levels if lv.api_code}
    assert codes and codes <= set(policy.severity_codes)
    assert policy.finished and policy.finished <= set(policy.statuses)
    assert policy.responded <= set(policy.statuses)


def test_aws_facts_agree_with_botocores_own_model():
    botocore = pytest.importorskip("botocore.session")
    model = botocore.get_session().get_service_model("support")
    facts = load_case_policy("aws").facts
    assert model.metadata["targetPrefix"] == facts["protocol"]["target_prefix"]
    assert model.metadata.get("signingName", model.metadata["endpointPrefix"]) == facts["protocol"]["signing_name"]
    create = model.operation_model("CreateCase").input_shape
    assert list(create.required_members) == facts["calls"]["create"]["required"]
    assert set(facts["calls"]["create"]["fields"]) <= set(create.members)
    described = model.operation_model("DescribeCases").output_shape.members["cases"].member.members
    assert "status" in described and "caseId" in described


def broken(tmp_path, monkeypatch, edit) -> None:
    """A copy of the references with the policy changed by ``edit``, read instead of the shipped one."""
    root = tmp_path / "references"
    shutil.copytree(references_dir(), root)
    path = root / "policy" / "supportcases.yaml"
    data = load_yaml(path)
    edit(data)
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    monkeypatch.setattr(policy_module, "references_dir", lambda: root)
    load_case_policy.cache_clear()


@pytest.mark.parametrize(("edit", "words"), [
    (lambda d: d["aws"].__setitem__("finished", ["closed"]), "aws.finished"),
    (lambda d: d["gcp"].__setitem__("responded", ["ANSWERED"]), "gcp.responded"),
    (lambda d: d["azure"]["language"].pop("zh"), "azure.language"),
    (lambda d: d["azure"]["language"].__setitem__("ru", "ru-xx"), "azure.language"),
    (lambda d: d.__setitem__("subject", "[{severity}] {headline}"), "subject"),
    (lambda d: d.pop("body"), "body is missing"),
])
def test_a_policy_the_api_would_not_understand_is_refused_naming_the_field(tmp_path, monkeypatch, edit, words):
    broken(tmp_path, monkeypatch, edit)
    vendor = next((v for v in VENDORS if words.startswith(v)), "aws")
    try:
        with pytest.raises(DataError, match=re.escape(words)):
            load_case_policy(vendor)
    finally:
        load_case_policy.cache_clear()


def test_the_aws_request_is_checked_against_botocores_model_without_any_aws_config(monkeypatch):
    pytest.importorskip("botocore")
    from escalation_kit.errors import InputError
    from escalation_kit.supportcases import Prepared, aws_params_check

    monkeypatch.setenv("AWS_PROFILE", "no-such-profile")  # a dry run reads no profile
    aws_params_check(Prepared("POST", "https://x/", {}, {"subject": "s", "communicationBody": "b",
                                                         "severityCode": "urgent", "ccEmailAddresses": ["a@b.c"]}))
    with pytest.raises(InputError, match="ccEmailAddresses"):
        aws_params_check(Prepared("POST", "https://x/", {}, {"subject": "s", "communicationBody": "b",
                                                             "ccEmailAddresses": "a@b.c"}))
    with pytest.raises(InputError, match="communicationBody"):
        aws_params_check(Prepared("POST", "https://x/", {}, {"subject": "s"}))
