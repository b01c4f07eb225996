"""``escalation-kit brief`` as a person runs it: the installed script, facts from a file or stdin."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from conftest import cli_path

pytestmark = pytest.mark.integration


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([cli_path(), "brief", *args], capture_output=True, text=True, input=stdin,
                          cwd=os.path.expanduser("~"), timeout=120)


def test_a_post_mortem_from_stdin_in_russian(tmp_path):
    out = run("post_mortem", "--facts", "-", "--language", "ru",
              stdin=json.dumps({"summary": "Сбой оплаты", "severity": "P0"}))
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("# Разбор инцидента: Сбой оплаты") and "[заполнить]" in out.stdout


def test_a_deescalation_notice_from_a_file_carries_the_policy_decision(tmp_path):
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps({"summary": "Export fails", "severity": "P1", "stakeholders": ["a@b.example"],
                                 "resolution": {"fix_applied": True, "customer_confirmation": True,
                                                "monitoring_period_complete": True}}), encoding="utf-8")
    out = run("deescalation_notice", "--facts", str(facts), "--language", "en", "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert "**DE-ESCALATED.**" in result["markdown"] and "a@b.example" not in result["markdown"]
    assert result["redactions"][0]["field"] == "stakeholders[0]"
    kept = run("deescalation_notice", "--facts", str(facts), "--no-redact")
    assert "a@b.example" in kept.stdout


@pytest.mark.parametrize(("args", "stdin", "needle"), [
    (["post_mortem", "--facts", "-"], '{"summary": "x", "severity": "P0", "went_well": 3}', "facts.went_well"),
    (["post_mortem", "--facts", "-"], "[1, 2]", "--facts: expected a JSON object"),
    (["post_mortem", "--facts", "-"], "{summary", "--facts: not valid JSON"),
    (["recovery_plan", "--facts", "-"], '{"customer": "A", "summary": "' + "x" * 30_000 + '"}', "facts.summary"),
    (["postmortem", "--facts", "-"], "{}", "invalid choice"),
])
def test_bad_input_names_the_field_and_exits_2(args, stdin, needle):
    out = run(*args, stdin=stdin)
    assert out.returncode == 2 and needle in out.stderr, out.stderr
    assert "Traceback" not in out.stderr and "x" * 200 not in out.stderr
