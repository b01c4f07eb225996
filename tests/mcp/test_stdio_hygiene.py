"""On stdio the server writes nothing but JSON-RPC messages to stdout, even for bad calls."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from conftest import cli_path

pytestmark = pytest.mark.integration

MESSAGES = [
    {"jsonrpc": "2.0", "id": 1, "method": "initialize",
     "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}},
    {"jsonrpc": "2.0", "method": "notifications/initialized"},
    {"jsonrpc": "2.0", "id": 2, "method": "tools/call",
     "params": {"name": "compute_sla_deadlines", "arguments": {"severity": "P1", "opened_at": "noon"}}},
    {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "no_such_tool", "arguments": {}}},
    {"jsonrpc": "2.0", "id": 4, "method": "tools/list"},
]


def test_stdout_carries_only_protocol_messages():
    proc = subprocess.Popen([cli_path(), "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=os.path.expanduser("~"))
    replies = []
    try:
        for message in MESSAGES:
            proc.stdin.write(json.dumps(message) + "\n")
            proc.stdin.flush()
            if "id" in message:
                line = proc.stdout.readline()  # every stdout line must parse as a JSON-RPC message
                replies.append(json.loads(line))
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)
    stderr = proc.stderr.read()
    assert all(r.get("jsonrpc") == "2.0" for r in replies)
    by_id = {r["id"]: r for r in replies}
    assert set(by_id) == {1, 2, 3, 4}
    assert by_id[2]["result"]["isError"] is True
    assert "opened_at" in by_id[2]["result"]["content"][0]["text"]
    assert len(by_id[4]["result"]["tools"]) == 21  # five pure, the tracker's fourteen, status and on-call
    assert proc.stdout.read().strip() == ""
    assert "Traceback" not in stderr
