"""``escalation-kit track`` in-process: tables by default, --json for scripts, exit 2 on bad input."""

from __future__ import annotations

import json

from escalation_kit.cli import main
from tracker_support import T0, at


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["track", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_open_event_show_list_due_metrics_export_verify(home, capsys):
    code, out, _ = run(capsys, "open", "RDS down", "--severity", "P1", "--vendor", "aws", "--at", T0,
                       "--customer", "Acme")
    assert code == 0 and "ESC-2026-0001 opened" in out
    assert run(capsys, "event", "ESC-2026-0001", "acknowledged", "--at", at(5))[0] == 0
    assert run(capsys, "event", "ESC-2026-0001", "vendor_case_filed", "--case-id", "C-3", "--at", at(10))[0] == 0
    code, out, _ = run(capsys, "show", "ESC-2026-0001", "--now", at(40))
    assert code == 0 and "vendor_response" in out and "first_response" in out and "acknowledged" in out
    code, out, _ = run(capsys, "show", "ESC-2026-0001", "--now", at(40), "--json")
    assert json.loads(out)["state"]["vendor_case_id"] == "C-3"
    code, out, _ = run(capsys, "--json", "list", "--customer", "Acme")
    assert [r["id"] for r in json.loads(out)] == ["ESC-2026-0001"]
    code, out, _ = run(capsys, "due", "--now", at(600))
    assert code == 0 and "breach" in out and "escalation_id" in out.splitlines()[0]
    code, out, _ = run(capsys, "metrics", "--from", "2026-03-01T00:00:00Z", "--to", "2026-04-01T00:00:00Z",
                       "--group-by", "severity")
    assert code == 0 and "mtta_minutes" in out and "severity=P1" in out
    code, out, _ = run(capsys, "export", "ESC-2026-0001", "--language", "ru")
    assert code == 0 and "Эскалация принята" in out
    target = home / "ESC-2026-0001-tracking.md"
    assert run(capsys, "export", "ESC-2026-0001", "--out", str(target))[0] == 0 and target.exists()
    code, out, _ = run(capsys, "update", "ESC-2026-0001", "--owner", "ann", "--tier", "4", "--at", at(50))
    assert code == 0 and "owner, tier" in out
    code, out, _ = run(capsys, "close", "ESC-2026-0001", "--root-cause", "disk full", "--at", at(90), "--json")
    assert json.loads(out)["status"] == "closed"
    code, out, _ = run(capsys, "verify")
    assert code == 0 and "7 events" in out


def test_bad_input_is_a_message_and_exit_2(home, capsys):
    run(capsys, "open", "x", "--severity", "P2", "--at", T0)
    code, out, err = run(capsys, "event", "ESC-2026-0001", "acknowledged", "--at", at(-1))
    assert code == 2 and "at:" in err and "Traceback" not in err
    code, out, err = run(capsys, "show", "ESC-2099-0001")
    assert code == 2 and "escalation_id" in err


def test_verify_exits_1_when_the_log_was_edited(home, capsys):
    import sqlite3

    run(capsys, "open", "x", "--severity", "P2", "--at", T0)
    run(capsys, "event", "ESC-2026-0001", "note", "--text", "promise", "--at", at(1))
    with sqlite3.connect(home / "escalations.db") as db:
        db.execute("UPDATE events SET actor = 'mallory' WHERE seq = 2")
    code, out, _ = run(capsys, "verify")
    assert code == 1 and "TAMPERED" in out


def test_recommend_reads_the_record_and_waits_for_the_monitoring_period(home, capsys):
    """Seed 002's de-escalation recommendation from a stored escalation: the fix and the stable minutes come
    from the record, the customer's confirmation from the caller."""
    assert run(capsys, "open", "Checkout 502s", "--severity", "P1", "--at", T0)[0] == 0
    code, out, _ = run(capsys, "recommend", "ESC-2026-0001", "--now", at(60), "--json")
    held = json.loads(out)
    assert code == 0 and held["action"] == "hold" and "fix_applied" in held["missing"]
    assert run(capsys, "event", "ESC-2026-0001", "resolved", "--at", at(60))[0] == 0
    code, out, _ = run(capsys, "recommend", "ESC-2026-0001", "--now", at(60 + 600), "--customer-confirmed", "--json")
    early = json.loads(out)
    assert early["action"] == "hold" and early["monitoring"] == {
        "required_minutes": 1440, "stable_minutes": 600, "complete": False}
    code, out, _ = run(capsys, "recommend", "ESC-2026-0001", "--now", at(60 + 1440), "--customer-confirmed")
    assert code == 0 and "de-escalate" in out and "Notify the team you escalated to" in out
    code, _, err = run(capsys, "recommend", "ESC-2099-0001")
    assert code == 2 and "escalation_id" in err


def test_metrics_report_in_each_language(home, capsys):
    """Seed 002's 'report SLA performance by tier' as a Markdown report in en, ru and zh."""
    assert run(capsys, "open", "RDS down", "--severity", "P1", "--tier", "2", "--category", "disk full",
               "--at", T0)[0] == 0
    assert run(capsys, "open", "Login slow", "--severity", "P2", "--at", at(5))[0] == 0
    assert run(capsys, "event", "ESC-2026-0001", "acknowledged", "--at", at(10))[0] == 0
    assert run(capsys, "close", "ESC-2026-0001", "--root-cause", "disk full", "--at", at(90))[0] == 0
    reports = {}
    for lang in ("en", "ru", "zh"):
        code, out, _ = run(capsys, "metrics", "--from", "2026-03-01T00:00:00Z", "--to", "2026-04-01T00:00:00Z",
                           "--group-by", "severity", "--report", "--language", lang)
        assert code == 0
        reports[lang] = out
    en = reports["en"].splitlines()
    assert en[0].startswith("# Escalation metrics, 2026-03-01") and "2 escalations, 1 still open." in en
    header = next(line for line in en if line.startswith("| Measure"))
    assert header.count("|") == 5 and "severity=P1" in header and "severity=P2" in header
    mtta = next(line for line in en if line.startswith("| Mean time to acknowledge"))
    assert mtta.split("|")[2].strip() == "10"  # acknowledged 10 minutes after opening
    assert "- disk full: 1" in en
    assert "Эскалаций: 2, из них открыто: 1." in reports["ru"] and "Основные причины" in reports["ru"]
    assert "共 2 个升级，其中 1 个仍未关闭。" in reports["zh"]


def test_metrics_group_by_week(home, capsys):
    assert run(capsys, "open", "a", "--severity", "P2", "--at", T0)[0] == 0
    code, out, _ = run(capsys, "metrics", "--from", "2026-03-02T00:00:00Z", "--to", "2026-03-16T00:00:00Z",
                       "--group-by", "week")
    assert code == 0 and "week=2026-W10" in out and "week=2026-W11" in out
    code, _, err = run(capsys, "metrics", "--from", "2026-03-02T00:00:00Z", "--to", "2026-03-16T00:00:00Z",
                       "--group-by", "fortnight")
    assert code == 2 and "group_by" in err and "week" in err


def test_patterns_lists_an_issue_three_customers_reported(home, capsys):
    for customer, minutes in (("Acme", 0), ("Beta", 60), ("Gamma", 120)):
        assert run(capsys, "open", "login fails", "--severity", "P2", "--customer", customer,
                   "--category", "auth", "--at", at(minutes))[0] == 0
    code, out, _ = run(capsys, "patterns", "--now", at(180), "--json")
    assert code == 0 and [(r["category"], r["customers"]) for r in json.loads(out)] == [("auth", 3)]
    code, out, _ = run(capsys, "patterns", "--now", at(180), "--min-customers", "4")
    assert code == 0 and out.strip() == "(none)"
    code, _, err = run(capsys, "patterns", "--days", "0")
    assert code == 2 and "days" in err


def test_metrics_with_ticket_counts_prints_the_escalation_rate(home, capsys):
    for minutes in (0, 10):
        assert run(capsys, "open", "login fails", "--severity", "P3", "--category", "auth", "--at", at(minutes))[0] == 0
    code, out, _ = run(capsys, "metrics", "--from", "2026-03-01T00:00:00Z", "--to", "2026-04-01T00:00:00Z",
                       "--tickets", "auth=40", "--json")
    assert code == 0 and json.loads(out)["escalation_rates"] == [
        {"category": "auth", "escalations": 2, "tickets": 40, "rate": 0.05}]
    code, _, err = run(capsys, "metrics", "--from", "2026-03-01T00:00:00Z", "--to", "2026-04-01T00:00:00Z",
                       "--tickets", "auth:40")
    assert code == 2 and "--tickets" in err
