"""Bad flags or configuration: exit 2 with a message naming the flag, before the tracker is opened or anything sent."""

from __future__ import annotations

import pytest

from escalation_kit.cli import main
from ticketing_support import SECRET, USER


@pytest.mark.parametrize(("argv", "env", "field", "words"), [
    (["--system", "jira"], {}, "--url", "ESCALATION_KIT_JIRA_URL"),
    (["--system", "jira", "--url", "http://jira.example.com"], {}, "--url", "clear text"),
    (["--system", "jira", "--url", "https://u:p@jira.example.com"], {}, "--url", "bare site"),
    (["--system", "jira", "--url", "ftp://jira.example.com"], {}, "--url", "not an http(s) URL"),
    (["--system", "jira", "--url", "https://acme.atlassian.net"], {}, "--user", "ESCALATION_KIT_JIRA_USER"),
    (["--system", "jira", "--url", "https://acme.atlassian.net", "--user", USER], {}, "--project", "project key"),
    (["--system", "jira", "--url", "https://acme.atlassian.net", "--user", USER, "--project", "ops-1"], {},
     "--project", "'ops-1'"),
    (["--system", "jira", "--url", "https://acme.atlassian.net", "--user", USER, "--project", "OPS"],
     {"ESCALATION_KIT_JIRA_TOKEN": ""}, "--secret-file", "ESCALATION_KIT_JIRA_TOKEN"),
    (["--system", "servicenow", "--url", "https://acme.service-now.com", "--user", "svc", "--project", "OPS"], {},
     "--project", "only applies to --system jira"),
    (["--system", "servicenow", "--url", "https://acme.service-now.com", "--user", "svc", "--timeout", "0"], {},
     "--timeout", "out of range"),
])
def test_bad_configuration_is_exit_2_naming_the_flag(home, monkeypatch, capsys, argv, env, field, words):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(["tickets", "sync", "--once", *argv]) == 2
    err = capsys.readouterr().err
    assert f"error: {field}:" in err and words in err and SECRET not in err
    assert not (home / "escalations.db").exists()  # refused before the tracker was opened


def test_a_secret_file_is_read_and_an_empty_one_refused(home, tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.write_text("\n")
    argv = ["tickets", "sync", "--system", "servicenow", "--once", "--url", "https://acme.service-now.com",
            "--user", "svc"]
    assert main([*argv, "--secret-file", str(empty)]) == 2
    assert "--secret-file" in capsys.readouterr().err
    assert main([*argv, "--secret-file", str(tmp_path / "missing")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_an_unknown_system_is_refused_by_the_parser(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["tickets", "sync", "--system", "zendesk", "--once"])
    assert exc.value.code == 2 and "invalid choice" in capsys.readouterr().err
