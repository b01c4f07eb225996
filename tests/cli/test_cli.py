"""The CLI as a person runs it: real subprocesses of the installed ``escalation-kit`` script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime

import pytest

from conftest import cli_path

pytestmark = pytest.mark.integration

HOME = os.path.expanduser("~")
FIXED = ["--opened-at", "2026-11-20T10:00:00+08:00", "--now", "2026-11-20T10:20:00+08:00"]


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([cli_path(), *args], capture_output=True, text=True, input=stdin, cwd=HOME, timeout=120)


def test_triage_prints_brief_in_reporter_language():
    out = run("triage", "RDS in cn-hangzhou is down, checkout fails for everyone", "--vendor", "alibaba-cn",
              "--tz", "Asia/Shanghai", *FIXED)
    assert out.returncode == 0, out.stderr
    assert "P0" in out.stdout and "+08:00" in out.stdout
    assert "status.aliyun.com" in out.stdout
    ru = run("triage", "У нас упал прод: RDS недоступен, оплата не проходит ни у кого", *FIXED)
    assert ru.returncode == 0, ru.stderr
    assert any(c in ru.stdout for c in "абвгдежзийклмнопрстуфхцчшщыэюя")


def test_triage_json_carries_every_step_and_agrees_with_tools():
    from escalation_kit.severity.classify import classify_severity
    from escalation_kit.sla.clock import compute_sla_deadlines

    text = "ECS 实例 CPU 100%，SLB 502，华东1 全部用户无法下单"
    out = run("triage", text, "--vendor", "aws", "--json", *FIXED)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert set(report) == {"language", "severity", "vendor_path", "sla", "brief"}
    assert report["language"]["language"] == "zh" and report["brief"]["language"] == "zh"
    sev = classify_severity(text).severity
    assert report["severity"]["severity"] == sev
    clock = compute_sla_deadlines(sev, "2026-11-20T10:00:00+08:00", vendor="aws",
                                  plan=report["vendor_path"]["plan"], now="2026-11-20T10:20:00+08:00")
    stated = datetime.fromisoformat(report["sla"]["first_response_due"].replace("Z", "+00:00"))
    assert stated == clock.first_response_due  # the same instant, whatever zone it is rendered in


def test_weak_plan_keeps_the_internal_deadline_and_says_the_mapping_is_not_exact():
    out = run("triage", "prod checkout is down for all users", "--vendor", "aws", "--plan", "developer",
              "--opened-at", "2026-11-20T17:00:00+03:00", "--json")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    vendor_due, internal_due = report["sla"]["first_response_due"], report["sla"]["internal_due"]
    assert internal_due < vendor_due  # the plan's 12 business hours are later than the P0 target
    markdown = report["brief"]["markdown"]
    assert "2026-11-20 17:30 UTC+03:00" in markdown  # the brief's deadline is the earlier one
    assert "no exact match for P0" in markdown


def test_default_zone_is_the_offset_of_opened_at():
    out = run("triage", "db down", "--opened-at", "2026-11-20T09:00:00+08:00", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["sla"]["first_response_due"].endswith("+08:00")


def test_now_alone_sets_opened_at():
    out = run("triage", "db down", "--now", "2026-11-20T09:00:00+08:00", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["sla"]["status"] == "on_track"


def test_triage_reads_stdin():
    out = run("triage", "-", "--json", *FIXED, stdin="db down\n")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["brief"]["markdown"]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["triage", "db down", "--vendor", "nosuchcloud"], "vendor"),
        (["triage", "db down", "--plan", "enterprise"], "--vendor"),
        (["triage", "db down", "--tz", "Mars/Olympus"], "timezone"),
        (["triage", "db down", "--opened-at", "not-a-date"], "--opened-at"),
        (["triage", "db down", "--opened-at", "2026-11-20T10:00:00"], "offset"),
        (["triage", "   "], "empty"),
        (["serve", "--port", "0"], "--port"),
        (["serve", "--transport", "carrier-pigeon"], "invalid choice"),
        ([], "usage"),
    ],
)
def test_bad_arguments_exit_nonzero_with_a_clear_message(args, needle):
    out = run(*args)
    assert out.returncode == 2, (out.returncode, out.stderr)
    assert needle in out.stderr
    assert "Traceback" not in out.stderr


def test_python_dash_m_is_the_same_cli():
    out = subprocess.run([sys.executable, "-m", "escalation_kit", "--version"], capture_output=True, text=True,
                         cwd=HOME, timeout=60)
    assert out.returncode == 0 and out.stdout.startswith("escalation-kit ")


def test_phrase_files_have_the_same_keys_in_every_language():
    import yaml

    from escalation_kit.paths import prompts_dir

    phrases = yaml.safe_load((prompts_dir() / "triage" / "phrases.yaml").read_text(encoding="utf-8"))
    assert set(phrases) == {"en", "ru", "zh"}
    assert set(phrases["ru"]) == set(phrases["en"]) == set(phrases["zh"])


def test_english_brief_carries_the_timed_playbook_steps():
    out = run("triage", "RDS in cn-hangzhou is down, checkout fails for everyone", "--vendor", "alibaba-cn",
              "--opened-at", "2026-11-20T10:00:00+08:00")
    assert out.returncode == 0, out.stderr
    assert "By 2026-11-20" in out.stdout and "account manager" in out.stdout


def test_chinese_brief_reads_as_a_chinese_engineer_writes_it():
    text = "华东1（杭州）的RDS从14:05开始无法连接，所有用户下单失败，已经影响支付"
    out = run("triage", text, "--vendor", "alibaba-cn", "--tz", "Asia/Shanghai",
              "--opened-at", "2026-11-20T14:30:00+08:00")
    assert out.returncode == 0, out.stderr
    assert "阿里云（中国站）" in out.stdout and "紧急工单" in out.stdout
    assert "2026-11-20 14:05 UTC+08:00" in out.stdout and "已持续 25 分钟" in out.stdout
    for leaked in ("Alibaba Cloud China site", "(emergency)", "B-total-outage", "scope-region", "[seed-", "T14:"):
        assert leaked not in out.stdout


def test_a_reader_that_stops_reading_ends_the_command_quietly():
    """`escalation-kit triage ... | head -3` printed 'escalation-kit: error: Broken pipe' and exited 2; a command
    whose reader went away stops quietly with the shell's SIGPIPE status, as Unix tools do."""
    proc = subprocess.Popen([cli_path(), "triage", "RDS in cn-hangzhou is down, checkout fails for everyone",
                             "--vendor", "alibaba-cn", *FIXED], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            cwd=HOME)
    proc.stdout.close()  # the reader is gone before the command writes a byte
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141 and err == "", err
