"""``escalation-kit watch`` against a real HTTP server on 127.0.0.1: posts once, retries failures, four shapes."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from escalation_kit.cli import main
from tracker_support import T0, at


class Hook:
    def __init__(self) -> None:
        self.bodies: list[dict] = []
        self.status = 200


@pytest.fixture
def hook() -> Iterator[tuple[Hook, str]]:
    state = Hook()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            length = int(self.headers["Content-Length"])
            body = json.loads(self.rfile.read(length))
            self.send_response(state.status)
            self.end_headers()
            if state.status == 200:
                state.bodies.append(body)
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield state, f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()
    server.server_close()


def watch(url: str, *extra: str) -> int:
    return main(["watch", "--once", "--webhook", url, *extra])


def test_each_due_item_is_posted_once(home, hook, tracker):
    state, url = hook
    esc = tracker.open({"title": "Checkout down", "severity": "P0"}, at=T0)
    assert watch(url, "--now", at(31)) == 0
    first = [b["text"] for b in state.bodies]
    assert any(esc.id in t and "breach" in t for t in first) and all("Next:" in t for t in first)
    assert watch(url, "--now", at(32)) == 0
    assert len(state.bodies) == len(first)  # nothing new, nothing repeated
    kinds = [e.kind for e in tracker.events(esc.id)]
    assert kinds.count("reminder_fired") == len(first)
    assert watch(url, "--now", at(31 + 240)) == 0  # the record has since stalled: a new item
    assert len(state.bodies) > len(first)


def test_a_failed_post_is_not_recorded_and_is_retried(home, hook, tracker):
    state, url = hook
    esc = tracker.open({"title": "Checkout down", "severity": "P0"}, at=T0)
    state.status = 500
    assert watch(url, "--now", at(31)) == 1
    assert "reminder_fired" not in [e.kind for e in tracker.events(esc.id)]
    state.status = 200
    assert watch(url, "--now", at(31)) == 0 and state.bodies


@pytest.mark.parametrize(("fmt", "keys"), [
    ("slack", {"text", "blocks"}), ("dingtalk", {"msgtype", "markdown"}), ("feishu", {"msg_type", "content"}),
    ("teams", {"@type", "summary", "text"}),
])
def test_payload_shapes(home, hook, tracker, fmt, keys):
    state, url = hook
    tracker.open({"title": "Checkout down", "severity": "P0"}, at=T0)
    assert watch(url, "--now", at(31), "--format", fmt) == 0
    assert state.bodies and keys <= set(state.bodies[0])
    assert "ESC-2026-0001" in json.dumps(state.bodies[0], ensure_ascii=False)


def test_a_missing_webhook_is_exit_2(home, capsys, monkeypatch):
    monkeypatch.delenv("ESCALATION_KIT_WEBHOOK_URL", raising=False)
    assert main(["watch", "--once"]) == 2
    assert "--webhook" in capsys.readouterr().err
