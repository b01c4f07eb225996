"""The HTTP transport on real sockets: Host/Origin allow-lists on every bind, bearer tokens, size caps, no GET streams.

Each server is a real ``escalation-kit serve --transport http`` process; requests are raw HTTP, so the
checks see exactly the headers a browser or a rebinding attacker would send.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest

from conftest import cli_path, free_port

INIT = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}}
JSON_HEADERS = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
TOKEN = "s3cret-token-for-tests-0123456789"


def start(args: list[str], host: str, env: dict[str, str] | None = None) -> tuple[subprocess.Popen, int]:
    port = free_port()
    proc = subprocess.Popen([cli_path(), "serve", "--transport", "http", "--port", str(port), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=os.path.expanduser("~"),
                            env={**os.environ, **(env or {})})
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(proc.stderr.read().decode())
        with socket.socket() as s:
            if s.connect_ex((host, port)) == 0:
                return proc, port
        time.sleep(0.1)
    proc.kill()
    raise TimeoutError("server did not listen")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def alias_server() -> Iterator[tuple[str, int]]:
    """A server on the loopback alias 127.0.0.2 (the SDK's own checks are off for it) with extra allow-list entries."""
    proc, port = start(["--host", "127.0.0.2", "--allowed-host", "mcp.example.com",
                        "--allowed-origin", "https://app.example.com"], "127.0.0.2")
    yield "127.0.0.2", port
    stop(proc)


@pytest.fixture(scope="module")
def token_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A server on every interface, with a bearer token from a file."""
    token_file = tmp_path_factory.mktemp("tok") / "token"
    token_file.write_text(TOKEN + "\n")
    proc, port = start(["--host", "0.0.0.0", "--auth-token-file", str(token_file)], "127.0.0.1")
    yield "127.0.0.1", port
    stop(proc)


def post(target: tuple[str, int], body: bytes | dict, headers: dict[str, str] | None = None,
         method: str = "POST") -> tuple[int, bytes, dict[str, str]]:
    host, port = target
    conn = http.client.HTTPConnection(host, port, timeout=30)
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    all_headers = {**JSON_HEADERS, "Host": f"{host}:{port}", **(headers or {})}
    conn.request(method, "/mcp", body=data if method == "POST" else None, headers=all_headers)
    response = conn.getresponse()
    result = response.status, response.read(), {k.lower(): v for k, v in response.getheaders()}
    conn.close()
    return result


pytestmark = pytest.mark.integration


def test_loopback_alias_accepts_its_own_host_and_origin(alias_server):
    host, port = alias_server
    assert post(alias_server, INIT)[0] == 200
    assert post(alias_server, INIT, {"Origin": f"http://{host}:{port}"})[0] == 200
    assert post(alias_server, INIT, {"Host": f"localhost:{port}"})[0] == 200


@pytest.mark.parametrize("headers, status", [
    ({"Host": "evil.example"}, 421),
    ({"Host": "evil.example:{port}"}, 421),
    ({"Host": "127.0.0.1:{port}.evil.example"}, 421),  # the SDK matched Host by prefix
    ({"Origin": "http://evil.example"}, 403),
    ({"Origin": "http://localhost:1"}, 403),  # another local port is another origin
    ({"Origin": "null"}, 403),
])
def test_rebinding_headers_are_refused_on_a_loopback_alias(alias_server, headers, status):
    port = alias_server[1]
    filled = {k: v.format(port=port) for k, v in headers.items()}
    assert post(alias_server, INIT, filled)[0] == status


def test_allow_list_options_extend_the_defaults(alias_server):
    assert post(alias_server, INIT, {"Host": "mcp.example.com"})[0] == 200
    assert post(alias_server, INIT, {"Origin": "https://app.example.com"})[0] == 200
    assert post(alias_server, INIT, {"Origin": "https://app.example.com.evil"})[0] == 403


def test_a_trailing_slash_reaches_the_endpoint(alias_server):
    host, port = alias_server
    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.request("POST", "/mcp/", body=json.dumps(INIT), headers={**JSON_HEADERS, "Host": f"{host}:{port}"})
    assert conn.getresponse().status == 200
    conn.close()


def test_get_streams_are_refused_on_the_stateless_endpoint(alias_server):
    status, _, headers = post(alias_server, b"", {"Accept": "text/event-stream"}, method="GET")
    assert status == 405 and headers.get("allow") == "POST"


def send_oversized(host: str, port: int, framing: str, pieces: list[bytes]) -> tuple[bytes, bool]:
    """POST a too-big body over a raw socket; the reply's first bytes and whether the server cut the body off."""
    head = (f"POST /mcp HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
            f"Accept: application/json, text/event-stream\r\n{framing}\r\n\r\n").encode()
    cut_off = False
    with socket.create_connection((host, port), timeout=30) as sock:
        sock.sendall(head)
        try:
            for piece in pieces:
                sock.sendall(piece)
        except (BrokenPipeError, ConnectionResetError):
            cut_off = True  # the server answered 413 and closed before the body ended
        try:
            reply = sock.recv(200)
        except ConnectionResetError:
            reply = b""
    return reply, cut_off


@pytest.mark.parametrize("framing", ["length", "chunked"])
def test_bodies_over_the_cap_are_refused(alias_server, framing):
    host, port = alias_server
    size = 40 * 65536  # 2.5 MiB, more than twice the cap
    if framing == "length":
        reply, cut_off = send_oversized(host, port, f"Content-Length: {size}", [b"x" * 65536] * 40)
    else:  # no Content-Length to refuse up front, so the body is counted as it arrives
        chunk = b"10000\r\n" + b"y" * 65536 + b"\r\n"
        reply, cut_off = send_oversized(host, port, "Transfer-Encoding: chunked", [chunk] * 40 + [b"0\r\n\r\n"])
    assert reply.startswith(b"HTTP/1.1 413") or (cut_off and not reply.startswith(b"HTTP/1.1 2")), reply


@pytest.mark.parametrize("request_id", [None, {"a": 1}, [1], True])
def test_a_request_with_an_unusable_id_gets_an_error_not_silence(alias_server, request_id):
    status, body, _ = post(alias_server, {"jsonrpc": "2.0", "id": request_id, "method": "ping"})
    assert status == 400
    assert json.loads(body)["error"]["code"] == -32600


def test_token_is_required_on_every_request(token_server):
    assert post(token_server, INIT)[0] == 401
    assert post(token_server, INIT, {"Authorization": "Bearer wrong-token-0123456789"})[0] == 401
    assert post(token_server, INIT, {"Authorization": f"Basic {TOKEN}"})[0] == 401
    status, _, headers = post(token_server, INIT)
    assert headers.get("www-authenticate", "").startswith("Bearer")
    assert post(token_server, INIT, {"Authorization": f"Bearer {TOKEN}"})[0] == 200


def test_wildcard_bind_still_checks_host_and_origin(token_server):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert post(token_server, INIT, {**auth, "Host": f"evil.example:{token_server[1]}"})[0] == 421
    assert post(token_server, INIT, {**auth, "Origin": "http://evil.example"})[0] == 403


def test_token_from_the_environment():
    proc, port = start([], "127.0.0.1", env={"ESCALATION_KIT_AUTH_TOKEN": TOKEN})
    try:
        assert post(("127.0.0.1", port), INIT)[0] == 401
        assert post(("127.0.0.1", port), INIT, {"Authorization": f"Bearer {TOKEN}"})[0] == 200
    finally:
        stop(proc)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_http_server_stops_promptly_on_a_signal(sig):
    proc, port = start([], "127.0.0.1")
    assert post(("127.0.0.1", port), INIT)[0] == 200
    started = time.monotonic()
    proc.send_signal(sig)
    try:
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert time.monotonic() - started < 8
    assert b"Traceback" not in proc.stderr.read()
