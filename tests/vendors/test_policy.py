"""Playbook policy stays apart from vendor facts and is labelled as policy in the output."""

from __future__ import annotations

import pytest

from escalation_kit.vendors import VendorPath, pick_vendor_support_path
from escalation_kit.vendors import catalog as vc


def _policy_ids() -> set[str]:
    return {s.id for s in vc.load_policy().sources}


@pytest.mark.parametrize("vendor", sorted(vc.load_catalog()))
@pytest.mark.parametrize("sev", ["P0", "P1", "P2", "P3"])
def test_policy_steps_labelled_and_vendor_facts_not(vendor, sev):
    path = pick_vendor_support_path(vendor, sev)
    assert path.policy, "every answer carries at least the status-page step"
    assert all(step.label == "policy" and step.source in _policy_ids() for step in path.policy)
    assert path.policy_label == "policy" and path.facts_label == "vendor"
    assert not _policy_ids() & {s.id for s in path.sources}, "policy sources must not pose as vendor sources"
    if path.case_severity:
        assert not _policy_ids() & set(path.case_severity.sources)
    dumped = path.model_dump()
    assert "label" not in dumped["case_severity"] if dumped["case_severity"] else True


def test_p0_policy_timings():
    path = pick_vendor_support_path("aws", "P0", plan="enterprise")
    steps = {s.id: s for s in path.policy}
    assert steps["p0-file-at-once"].after_minutes == 0
    assert steps["p0-file-at-once"].relative_to == "incident_start"
    assert "Business-critical system down" in steps["p0-file-at-once"].action
    assert steps["p0-call-account-manager"].after_minutes == 120
    assert steps["p0-call-account-manager"].relative_to == "case_opened"
    assert "p0-war-room" in steps


def test_p1_policy_timings():
    steps = {s.id: s for s in pick_vendor_support_path("gcp", "P1", plan="premium").policy}
    assert steps["p1-file-within-15"].after_minutes == 15
    assert steps["p1-escalate-account-manager"].after_minutes == 240
    assert "p0-war-room" not in steps


def test_tam_step_only_when_the_plan_has_a_tam():
    with_tam = pick_vendor_support_path("aws", "P0", plan="enterprise")
    without = pick_vendor_support_path("aws", "P0", plan="business-support-plus")
    assert "p0-engage-tam" in {s.id for s in with_tam.policy}
    assert "p0-engage-tam" not in {s.id for s in without.policy}


def test_status_page_check_comes_first():
    for sev in ("P0", "P1", "P2", "P3"):
        assert pick_vendor_support_path("azure", sev).policy[0].id == "check-status-page"


def test_policy_text_never_lands_in_vendor_fields():
    """Policy actions are not copied into the vendor note, escalation or channel texts."""
    path: VendorPath = pick_vendor_support_path("alibaba-cn", "P0")
    vendor_text = " ".join([path.note, *(e.role + e.when for e in path.escalation), *(c.how for c in path.open_case)])
    assert vc.load_policy().steps, "nothing to check"
    for step in vc.load_policy().steps:
        assert step.action.split("{case}")[0][:40] not in vendor_text
