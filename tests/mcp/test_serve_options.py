"""``serve`` option checks and the HTTP allow-list defaults, without starting a server."""

from __future__ import annotations

from pathlib import Path

import pytest

from escalation_kit.cli.main import main
from escalation_kit.mcp.http import HttpOptions, is_loopback


def test_non_loopback_bind_without_token_is_refused(capsys, monkeypatch):
    monkeypatch.delenv("ESCALATION_KIT_AUTH_TOKEN", raising=False)
    assert main(["serve", "--transport", "http", "--host", "0.0.0.0"]) == 2
    err = capsys.readouterr().err
    assert "token" in err and "--insecure-no-auth" in err

def test_short_token_is_refused(tmp_path: Path, capsys):
    (tmp_path / "t").write_text("short")
    assert main(["serve", "--transport", "http", "--auth-token-file", str(tmp_path / "t")]) == 2
    assert "at least" in capsys.readouterr().err

def test_default_allow_lists_are_exact():
    options = HttpOptions(host="0.0.0.0", port=8123)
    assert options.hosts == {"127.0.0.1:8123", "localhost:8123", "[::1]:8123"}
    assert "http://localhost:8123" in options.origins and "http://localhost:1" not in options.origins
    assert HttpOptions(host="::1", port=9).hosts >= {"[::1]:9"}

@pytest.mark.parametrize("host, loopback", [("127.0.0.2", True), ("localhost", True), ("::1", True),
                                            ("0.0.0.0", False), ("10.1.2.3", False), ("example.com", False)])
def test_loopback_detection(host, loopback):
    assert is_loopback(host) is loopback
