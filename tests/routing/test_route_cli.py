"""``escalation-kit route``: determine_escalation from a shell, run as a real subprocess of the installed script."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from conftest import cli_path
from escalation_kit.cli import route
from escalation_kit.routing import determine_escalation, engine

AUDIT_CASE = ["--severity", "P3", "--beyond-tier", "--customer-requested", "--sla-percent-consumed", "60"]


def run(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "ESCALATION_KIT_HOME": str(home)}
    env.pop("ESCALATION_KIT_DB_URL", None)
    return subprocess.run([cli_path(), "route", *args], capture_output=True, text=True, cwd=home, env=env,
                          timeout=120)


def test_the_flags_are_the_tools_input_fields_with_their_types():
    """The CLI declares its flags without importing the engine; this keeps the two from drifting apart."""
    for flags, schema in ((route.FACT_FLAGS, engine.FACTS), (route.CUSTOMER_FLAGS, engine.CUSTOMER),
                          (route.HISTORY_FLAGS, engine.HISTORY)):
        assert {k: kind for k, (kind, _) in flags.items()} == schema


@pytest.mark.integration
def test_the_audit_case_moves_up_one_tier_and_json_is_the_tools_result(tmp_path):
    out = run(tmp_path, *AUDIT_CASE, "--json")
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    assert (got["tier"], got["target_team"], got["technical_hop"]) == (2, "l2_support", "tier_1_to_2")
    assert got["escalation_criteria"] == ["beyond_tier", "sla_at_risk", "customer_requested"]
    expected = determine_escalation(
        "P3", {"beyond_tier": True, "customer_requested": True, "sla_percent_consumed": 60.0}).model_dump(mode="json")
    assert got == expected | {"history_used": {}}


@pytest.mark.integration
def test_the_human_summary_names_tier_team_and_the_criteria(tmp_path):
    out = run(tmp_path, *AUDIT_CASE)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith("Tier 2 (moves tier_1_to_2)")
    assert "Target team: l2_support" in lines
    assert "Escalation criteria: beyond_tier, sla_at_risk, customer_requested" in lines
    assert "Decided by: policy:routing.yaml#next_tier, policy:routing.yaml#l2_support" in lines


@pytest.mark.integration
def test_json_objects_and_flags_combine_and_flags_win(tmp_path):
    out = run(tmp_path, "--severity", "P2", "--facts", '{"beyond_tier": true, "current_tier": 2}', "--no-beyond-tier",
              "--customer", '{"segment": "enterprise"}', "--health", "support_satisfaction=40",
              "--health", "relationship_strength=40", "--escalations-90d", "0", "--json")
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    assert got["escalation_criteria"] == [] and got["tier"] == 3  # enterprise + health below 50: one tier up
    assert got["health"]["band"] == "critical" and got["health"]["partial"] is True
    assert got["history_used"] == {"escalations_90d": 0}


@pytest.mark.integration
@pytest.mark.parametrize(("args", "named"), [
    (["--severity", "P9"], "--severity"),
    (["--severity", "P3", "--hours-open", "-1"], "--hours-open"),
    (["--severity", "P3", "--current-tier", "7"], "--current-tier"),
    (["--severity", "P3", "--current-tier", "2.5"], "--current-tier"),
    (["--severity", "P3", "--segment", "galactic"], "--segment"),
    (["--severity", "P3", "--facts", "{oops"], "--facts"),
    (["--severity", "P3", "--facts", '{"colour": 1}'], "--facts"),
    (["--severity", "P3", "--health", "mood=5"], "--health"),
    (["--severity", "P3", "--health", "forty"], "--health"),
    (["--severity", "P3", "--category", "auth"], "--category"),
])
def test_bad_input_is_one_clear_line_and_exit_2(tmp_path, args, named):
    out = run(tmp_path, *args)
    assert out.returncode == 2 and out.stdout == ""
    last = out.stderr.strip().splitlines()[-1]
    assert last.startswith(("escalation-kit: error:", "escalation-kit route: error:")) and named in last
    assert "Traceback" not in out.stderr


@pytest.mark.integration
def test_the_history_is_read_from_the_tracker_for_a_named_customer(tmp_path):
    from escalation_kit.tracker import Tracker, open_store

    url = f"sqlite:///{tmp_path / 'esc.db'}"
    tracker = Tracker(open_store(url))
    now = datetime.now(UTC)
    for days in (2, 10, 20, 60):
        tracker.open({"title": "login fails", "severity": "P3", "customer": "Acme", "category": "auth"},
                     at=(now - timedelta(days=days)).isoformat())
    tracker.close()
    out = run(tmp_path, "--severity", "P3", "--customer-name", "Acme", "--category", "auth", "--db", url, "--json")
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    assert got["history_used"] == {"escalations_90d": 4, "repeats_30d": 3, "customers_same_issue": 1,
                                   "recurring_after_fix": 0}
    assert got["executive_level"] == 1 and "policy:routing.yaml#repeated_issues" in got["decided_by"]
    given = run(tmp_path, "--severity", "P3", "--customer-name", "Acme", "--repeats-30d", "0", "--db", url, "--json")
    assert json.loads(given.stdout)["history_used"] == {"repeats_30d": 0}  # given history wins, as in the tool
