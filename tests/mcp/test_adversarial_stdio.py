"""Lines the SDK client cannot send, over a raw stdio pipe: each -32700 says what is wrong and where, and quotes
none of the line (found by benchmarks/fuzz_inputs.py, which answered both with a bare "Parse error")."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from conftest import cli_path

pytestmark = pytest.mark.integration

INIT = {"jsonrpc": "2.0", "id": 0, "method": "initialize",
        "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}}
HEAD = b'{"jsonrpc":"2.0","id":ID,"method":"tools/call","params":{"name":"format_escalation_brief","arguments":'
LINES = {
    1: HEAD.replace(b"ID", b"1") + b'{"facts":{"summary":"SECRET\\ud800","severity":"P1","description":"x"}}}}',
    2: HEAD.replace(b"ID", b"2") + b'{"facts":' + b'{"a":' * 250 + b'"SECRET"' + b"}" * 250 + b"}}}",
    4: HEAD.replace(b"ID", b"4") + b'{"facts":{"summary":"SECRET \xff\xfe","severity":"P1","description":"x"}}}}',
    5: b'{"jsonrpc":"2.0","id":"\xc3\x28","method":"ping"}',
}


def test_a_parse_error_names_the_cause_and_position_without_quoting_the_line():
    proc = subprocess.Popen([cli_path(), "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=os.path.expanduser("~"))
    lines = [json.dumps(INIT).encode(), b'{"jsonrpc":"2.0","method":"notifications/initialized"}', *LINES.values(),
             b'{"jsonrpc":"2.0","id":3,"method":"ping"}']
    out, _ = proc.communicate(b"\n".join(lines) + b"\n", timeout=60)
    by_id = {r["id"]: r for r in map(json.loads, out.splitlines())}
    surrogate, deep = by_id[1]["error"], by_id[2]["error"]
    assert surrogate["code"] == deep["code"] == -32700
    assert "without its pair" in surrogate["message"] and "line 1 column" in surrogate["message"]
    assert "nested deeper than 200 levels" in deep["message"] and "line 1 column" in deep["message"]
    assert "SECRET" not in surrogate["message"] + deep["message"]
    assert "result" in by_id[3] and proc.returncode == 0


def test_a_line_that_is_not_utf8_is_refused_not_repaired():
    """Bytes that are not UTF-8 were decoded with U+FFFD in their place, so a brief rendered text the client never
    sent; now the request gets -32700 naming the byte, and a line whose id itself is not UTF-8 is logged."""
    proc = subprocess.Popen([cli_path(), "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=os.path.expanduser("~"))
    lines = [json.dumps(INIT).encode(), b'{"jsonrpc":"2.0","method":"notifications/initialized"}', LINES[4], LINES[5],
             b'{"jsonrpc":"2.0","id":3,"method":"ping"}']
    out, err = proc.communicate(b"\n".join(lines) + b"\n", timeout=60)
    by_id = {r["id"]: r for r in map(json.loads, out.splitlines())}
    assert by_id[4]["error"]["code"] == -32700 and "not valid UTF-8 (byte" in by_id[4]["error"]["message"]
    assert "SECRET" not in by_id[4]["error"]["message"] and "result" not in by_id[4]
    assert set(by_id) == {0, 3, 4} and "not valid UTF-8" in err.decode("utf-8", "replace")
    assert "result" in by_id[3] and proc.returncode == 0
