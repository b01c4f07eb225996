"""``escalation-kit oncall``: a role, a tier, a notice's recipients or every role, at a given instant."""

from __future__ import annotations

import json
import os
import subprocess

import pytest
import yaml

from conftest import cli_path
from escalation_kit.cli.main import main

SCHEDULE = {
    "people": {"a": {"name": "Ann", "email": "a@example.com"}, "b": {"name": "Bob", "email": "b@example.com"}},
    "roles": {"senior_engineer": {"label": "Senior Engineer", "rotation": {
        "people": ["a", "b"], "timezone": "Europe/Berlin", "start": "2026-10-19",
        "handoff": {"weekday": "monday", "time": "09:00"}, "length_days": 7}}},
}


@pytest.fixture
def schedule(tmp_path) -> str:
    path = tmp_path / "oncall.yaml"
    path.write_text(yaml.safe_dump(SCHEDULE), encoding="utf-8")
    return str(path)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["oncall", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_role_across_the_berlin_october_handoff(capsys, schedule):
    # Clocks go back on Sunday 2026-10-25, so Monday 09:00 is 08:00 UTC (a week before: 07:00 UTC).
    code, out, _ = run(capsys, "senior_engineer", "--at", "2026-10-26T07:59:00Z", "--schedule", schedule, "--json")
    assert code == 0 and json.loads(out)["holders"][0]["person"] == "a"
    code, out, _ = run(capsys, "senior_engineer", "--at", "2026-10-26T09:00:00+01:00", "--schedule", schedule,
                       "--json")
    data = json.loads(out)
    assert code == 0 and data["at"] == "2026-10-26T08:00:00+00:00" and data["schedule"] == schedule
    assert data["holders"][0] | {} == {"role": "senior_engineer", "role_label": "Senior Engineer", "person": "b",
                                      "name": "Bob", "email": "b@example.com", "source": "rotation",
                                      "since": "2026-10-26T08:00:00+00:00", "until": "2026-11-02T08:00:00+00:00",
                                      "reason": "", "zone": "Europe/Berlin"}


def test_a_tier_from_the_shipped_example_in_text(capsys):
    code, out, _ = run(capsys, "--tier", "3", "--at", "2026-03-09T15:00:00Z")
    assert code == 0 and "policy/oncall.yaml" in out
    assert [line.split()[0] for line in out.splitlines()[1:]] == ["engineering_lead", "csm"]


def test_a_notice_and_the_list(capsys, schedule):
    code, out, _ = run(capsys, "--tier", "2", "--notice", "tier_raised", "--at", "2026-03-09T15:00:00Z", "--json")
    assert code == 0 and [h["role"] for h in json.loads(out)["holders"]] == ["senior_engineer", "csm",
                                                                           "support_manager"]
    code, out, _ = run(capsys, "--tier", "3", "--schedule", schedule, "--at", "2026-10-26T08:00:00Z")
    assert code == 0 and "engineering_lead: nobody (the schedule has no such role)" in out
    code, out, _ = run(capsys, "--list", "--schedule", schedule, "--at", "2026-10-20T08:00:00Z")
    assert code == 0 and ("senior_engineer (Senior Engineer): Ann <a@example.com>  [rotation; 2026-10-19 09:00 CEST "
                          "to 2026-10-26 09:00 CET (Europe/Berlin)]") in out


@pytest.mark.parametrize(("args", "says"), [
    (["vp"], "error: ROLE: 'vp' is not a role in"),
    ([], "error: ROLE: give exactly one of ROLE, --tier N or --list"),
    (["senior_engineer", "--tier", "2"], "(got ROLE and --tier)"),
    (["--tier", "5"], "error: --tier: 5 is out of range (allowed: 1, 2, 3, 4)"),
    (["--tier", "2", "--notice", "paged"], "error: --notice: 'paged' has no recipients policy"),
    (["--notice", "resolved"], "error: --notice: needs --tier N"),
    (["--tier", "2", "--notice", "exec_level_raised", "--level", "7"], "error: --level: 7 is out of range"),
    (["senior_engineer", "--at", "2026-10-26 09:00"], "error: --at: '2026-10-26 09:00' has no UTC offset"),
    (["senior_engineer", "--at", "soon"], "error: --at: 'soon' is not an ISO 8601 timestamp"),
])
def test_bad_input_is_exit_2_naming_the_flag(capsys, schedule, args, says):
    code, out, err = run(capsys, *args, "--schedule", schedule)
    assert code == 2 and says in err and out == "" and "Traceback" not in err


def test_a_bad_or_missing_schedule_file_is_exit_2(capsys, tmp_path, schedule):
    code, _, err = run(capsys, "--list", "--schedule", str(tmp_path / "missing.yaml"))
    assert code == 2 and "error: --schedule: cannot read" in err
    broken = yaml.safe_load((tmp_path / "oncall.yaml").read_text())
    broken["roles"]["senior_engineer"]["rotation"]["people"] = []
    (tmp_path / "broken.yaml").write_text(yaml.safe_dump(broken))
    code, _, err = run(capsys, "--list", "--schedule", str(tmp_path / "broken.yaml"))
    assert code == 2 and "broken.yaml: roles.senior_engineer.rotation.people: is empty" in err


@pytest.mark.integration
def test_the_installed_script_reads_the_schedule_from_the_environment(tmp_path, schedule):
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("ESCALATION_KIT_")},
           "ESCALATION_KIT_ONCALL_SCHEDULE": schedule, "ESCALATION_KIT_HOME": str(tmp_path)}
    out = subprocess.run([cli_path(), "oncall", "senior_engineer", "--at", "2026-10-26T08:00:00Z"],
                         capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0 and "Bob <b@example.com>" in out.stdout, out.stderr
    bad = subprocess.run([cli_path(), "oncall", "--tier", "0"], capture_output=True, text=True, env=env, timeout=60)
    assert bad.returncode == 2 and "--tier: 0 is out of range" in bad.stderr
