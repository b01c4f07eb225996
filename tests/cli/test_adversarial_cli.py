"""The CLI with hostile arguments (found by benchmarks/fuzz_inputs.py), in-process: a usage or input error is
exit 2 with a message that names the flag and never repeats a long argument whole; no traceback."""

from __future__ import annotations

import pytest

from escalation_kit.cli import main

HUGE = "B" * 100_000


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("ESCALATION_KIT_HOME", str(tmp_path))
    monkeypatch.delenv("ESCALATION_KIT_DB_URL", raising=False)
    monkeypatch.setenv("ESCALATION_KIT_ONCALL_SCHEDULE", "")
    return tmp_path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's usage errors exit from inside parse_args
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("argv", "named"), [
    (["route", "--severity", HUGE], "--severity"),  # argparse: invalid choice
    (["track", "list", "--limit", HUGE], "--limit"),  # argparse: invalid int value
    (["track", "export", "ESC-2026-0001", "--kind", HUGE], "--kind"),
    (["triage", "RDS down", "--vendor", HUGE], "vendor"),  # our InputError
    (["oncall", HUGE], "is not a role"),
    (["oncall", "senior_engineer", "--schedule", HUGE], "--schedule"),  # an OSError naming the path
])
def test_an_error_never_repeats_a_long_argument(home, capsys, argv, named):
    code, out, err = run(capsys, *argv)
    assert code == 2, err
    assert named in err and "100,000 characters" in err
    assert len(err) < 2_000 and HUGE[:200] not in err + out
    assert "Traceback" not in err


@pytest.mark.parametrize("count", ["²", "٣", "9" * 5_000, "1e3", "-1"])
def test_a_ticket_count_that_is_not_ascii_digits_is_refused_naming_the_flag(home, capsys, count):
    code, _, err = run(capsys, "track", "metrics", "--from", "2026-11-01T00:00:00Z", "--to", "2026-12-01T00:00:00Z",
                       "--tickets", f"auth={count}")
    assert code == 2 and "--tickets" in err and "CATEGORY=COUNT" in err, err


@pytest.mark.parametrize("score", ["inf", "nan", "1e400"])
def test_a_score_must_be_finite(home, capsys, score):
    code, _, err = run(capsys, "track", "health", "acme", "--category", f"support_satisfaction={score}")
    assert code == 2 and "--category" in err, err


def test_metrics_take_the_bare_dates_the_readme_shows(home, capsys):
    code, out, err = run(capsys, "track", "metrics", "--from", "2026-11-01", "--to", "2026-12-01", "--group-by",
                         "tier", "--json")
    assert code == 0, err
    assert '"date_from": "2026-11-01T00:00:00Z"' in out.replace("+00:00", "Z")
    code, _, err = run(capsys, "track", "metrics", "--from", "2026-11-01", "--to", "9999-12-31")
    assert code == 2 and "date_to" in err and "supported range" in err


@pytest.mark.parametrize("argv", [
    ["watch", "--every", "1" + "0" * 30, "--webhook", "https://127.0.0.1:9/x"],  # crashed time.sleep() after a pass
    ["tickets", "sync", "--system", "jira", "--every", "1" + "0" * 30, "--url", "https://127.0.0.1:9", "--user", "u",
     "--project", "P"],
])
def test_every_has_an_upper_bound(home, capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2 and "--every" in err and "out of range" in err and out == "", err


@pytest.mark.parametrize("timeout", ["-1", "0", "nan", "inf", "1e308"])
def test_watch_refuses_a_timeout_no_call_can_use(home, capsys, timeout):
    code, _, err = run(capsys, "watch", "--once", "--timeout", timeout, "--webhook", "https://127.0.0.1:9/x")
    assert code == 2 and "--timeout" in err, err


@pytest.mark.parametrize(("flag", "value"), [("--tier", "1" + "0" * 30), ("--tier", "0"), ("--tier", "-1"),
                                             ("--severity", "P9")])
def test_track_list_refuses_a_filter_nothing_can_match(home, capsys, flag, value):
    code, out, err = run(capsys, "track", "list", flag, value)
    assert code == 2 and flag.lstrip("-") in err and out == "", err


@pytest.mark.parametrize("level", ["-1", "5", "1" + "0" * 30])
def test_oncall_level_lists_zero_among_the_allowed_levels(capsys, level):
    code, _, err = run(capsys, "oncall", "--tier", "2", "--notice", "resolved", "--level", level)
    assert code == 2 and "--level" in err and "allowed: 0, 1, 2, 3, 4" in err, err


@pytest.mark.parametrize(("argv", "flag"), [
    (["oncall", "senior_engineer", "--schedule", "/dev/zero"], "--schedule"),
    (["watch", "--once", "--schedule", "/dev/zero", "--webhook", "https://127.0.0.1:9/x"], "--schedule"),
    (["watch", "--once", "--pagerduty", "--pagerduty-key-file", "/dev/zero"], "--pagerduty-key-file"),
    (["tickets", "sync", "--system", "jira", "--once", "--url", "https://127.0.0.1:9", "--user", "u", "--project",
      "P", "--secret-file", "/dev/zero"], "--secret-file"),
    (["serve", "--transport", "http", "--port", "1", "--auth-token-file", "/dev/zero"], "--auth-token-file"),
    (["grade", "--skill", "incident-triage", "/dev/zero"], "file"),
])
def test_a_file_that_never_ends_is_refused_not_read_forever(home, capsys, argv, flag):
    """/dev/zero (st_size 0, endless) hung each of these, which read the whole file before looking at it."""
    code, _, err = run(capsys, *argv)
    assert code == 2 and f"{flag}:" in err and "larger than" in err, err


@pytest.mark.parametrize("argv", [["triage", "-"], ["grade", "--skill", "incident-triage", "-"]])
def test_endless_standard_input_is_refused(home, capsys, monkeypatch, argv):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("z" * 6_000_000))
    code, _, err = run(capsys, *argv)
    assert code == 2 and "standard input is larger than" in err, err


@pytest.mark.parametrize("facts", ['{"hours_open": ' + "9" * 5_000 + "}", "[" * 30_000 + "]" * 30_000])
def test_facts_json_that_json_cannot_use_is_refused_naming_the_flag(home, capsys, facts):
    """json.loads raised ValueError (over 4,300 digits) or RecursionError (deep nesting), not JSONDecodeError:
    both ended in a traceback."""
    code, _, err = run(capsys, "route", "--severity", "P1", "--facts", facts)
    assert code == 2 and "--facts: not usable JSON" in err and "Traceback" not in err, err


@pytest.mark.parametrize(("argv", "flag"), [
    (["watch", "--every", "٣", "--webhook", "https://127.0.0.1:9/x"], "--every"),  # ran a watch every 3 s
    (["serve", "--transport", "http", "--port", "٣"], "--port"),  # served on port 3
    (["track", "list", "--limit", "１０"], "--limit"),
    (["status", "cloudflare", "--timeout", "１"], "--timeout"),
])
def test_numbers_are_ascii_digits_only(home, capsys, argv, flag):
    """argparse's type=int/float took any Unicode digits: '٣' (Arabic-Indic three) was read as 3 without a word."""
    code, out, err = run(capsys, *argv)
    assert code == 2 and f"argument {flag}: invalid" in err and out == "", err
