"""stdio with a raw pipe: every request line gets an answer, oversized lines are bounded, and the server
finishes the requests in flight before it exits on EOF, SIGINT or SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time

import pytest

from conftest import cli_path

pytestmark = pytest.mark.integration

INIT = {"jsonrpc": "2.0", "id": 0, "method": "initialize",
        "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}}
INITIALIZED = {"jsonrpc": "2.0", "method": "notifications/initialized"}


def spawn() -> subprocess.Popen:
    return subprocess.Popen([cli_path(), "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=os.path.expanduser("~"))


def send(proc: subprocess.Popen, *lines: bytes | dict) -> None:
    for line in lines:
        proc.stdin.write(line if isinstance(line, bytes) else json.dumps(line).encode() + b"\n")
    proc.stdin.flush()


def replies(proc: subprocess.Popen, timeout: float = 60) -> tuple[list[dict], str, int]:
    out, err = proc.communicate(timeout=timeout)
    return [json.loads(line) for line in out.splitlines()], err.decode(), proc.returncode


def call(request_id: int, name: str = "detect_language", **args: object) -> dict:
    return {"jsonrpc": "2.0", "id": request_id, "method": "tools/call",
            "params": {"name": name, "arguments": args or {"text": "База данных недоступна"}}}


MALFORMED = [
    (b'{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"detect_language","arguments":{"text":"a\\ud800b"}}}\n',
     3, -32700),
    (b'[{"jsonrpc":"2.0","id":4,"method":"ping"},{"jsonrpc":"2.0","id":5,"method":"ping"}]\n', 4, -32600),
    (b'{"jsonrpc":"2.0","id":6}\n', 6, -32600),
    (b'{"jsonrpc":"2.0","id":7,"method":"ping","params":[1]}\n', 7, -32600),
    (b'{"jsonrpc":"1.0","id":8,"method":"ping"}\n', 8, -32600),
    (b'{"jsonrpc":"2.0","id":null,"method":"ping"}\n', None, -32600),
    (b'{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"detect_language","arguments":{"text":'
     + b'[' * 300 + b']' * 300 + b'}}}\n', 9, -32700),
]


def test_every_unparsable_request_with_an_id_is_answered():
    proc = spawn()
    send(proc, INIT, INITIALIZED, *(line for line, _, _ in MALFORMED), b"{not json at all\n",
         {"jsonrpc": "2.0", "id": 99, "method": "ping"})
    got, err, rc = replies(proc)
    by_id = {r["id"]: r for r in got if not isinstance(r.get("id"), dict)}
    for _, request_id, code in MALFORMED:
        assert by_id[request_id]["error"]["code"] == code, (request_id, by_id.get(request_id))
    assert 5 in by_id  # both members of a batch are answered
    assert "result" in by_id[99] and rc == 0
    assert "not json at all" in err and "Traceback" not in err


def test_an_oversized_line_is_refused_without_holding_it():
    proc = spawn()
    huge = json.dumps(call(1, text="x" * 3_000_000)).encode() + b"\n"
    send(proc, INIT, INITIALIZED, huge, {"jsonrpc": "2.0", "id": 2, "method": "ping"})
    got, _, rc = replies(proc)
    by_id = {r["id"]: r for r in got}
    assert by_id[1]["error"]["code"] == -32600 and "bytes" in by_id[1]["error"]["message"]
    assert "result" in by_id[2] and rc == 0


def test_eof_with_many_requests_in_flight_answers_all_of_them():
    proc = spawn()
    count = 1500
    lines = [INIT, INITIALIZED] + [call(i) if i % 2 else {"jsonrpc": "2.0", "id": i, "method": "ping"}
                                   for i in range(1, count + 1)]
    data = b"".join(json.dumps(line).encode() + b"\n" for line in lines)
    out, err_bytes = proc.communicate(data, timeout=120)  # writes everything, then closes stdin at once
    got, err, rc = [json.loads(line) for line in out.splitlines()], err_bytes.decode(), proc.returncode
    ids = {r["id"] for r in got}
    assert ids == set(range(count + 1)), f"{count + 1 - len(ids)} replies missing"
    assert rc == 0 and "Traceback" not in err


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_signal_finishes_in_flight_requests_then_exits(sig):
    proc = spawn()
    send(proc, INIT, INITIALIZED)
    assert json.loads(proc.stdout.readline())["id"] == 0
    brief = call(1, "format_escalation_brief",
                 facts={"summary": "db down", "severity": "P1", "description": "Ошибка " * 2500})
    send(proc, brief, *(call(i) for i in range(2, 40)))
    time.sleep(0.05)
    output: list[bytes] = []
    reader = threading.Thread(target=lambda: output.append(proc.stdout.read()))  # a client keeps reading
    reader.start()
    started = time.monotonic()
    proc.send_signal(sig)
    try:
        proc.wait(timeout=12)  # stdin stays open: the signal alone must end the server
    finally:
        if proc.poll() is None:
            proc.kill()
    assert time.monotonic() - started < 12
    reader.join(timeout=10)
    got, err, rc = [json.loads(line) for line in output[0].splitlines()], proc.stderr.read().decode(), proc.returncode
    ids = {r["id"] for r in got}
    assert 1 in ids, "the request in flight when the signal came was dropped"
    assert "Traceback" not in err
    assert rc == 0
