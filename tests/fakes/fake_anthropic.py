"""A local fake of the Anthropic Messages API on 127.0.0.1: real HTTP, for the real ``anthropic`` SDK.

Serves ``POST /v1/messages`` (non-streaming), the Message Batches endpoints (create, retrieve,
results JSONL at an absolute ``results_url`` on this host), and 404 ``not_found_error`` for the
rest. Auth is ``Authorization: Bearer <key>`` as SDK 2.x sends it (``x-api-key`` also accepted).
Replies come from a ``responder(body) -> {"content": [...], "stop_reason": ...}``; failures can be
queued (``inject``) to test retries. Every request is logged in ``requests``.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import deque
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Responder = Callable[[dict[str, Any]], dict[str, Any]]


class FakeAnthropic:
    def __init__(self, responder: Responder, api_key: str = "test-key", batch_polls: int = 1,
                 latency_s: float = 0.0) -> None:
        self.responder, self.api_key = responder, api_key
        self.batch_polls, self.latency_s = batch_polls, latency_s
        self.requests: list[dict[str, Any]] = []
        self.inject: deque[tuple[int, dict[str, str]]] = deque()
        self.batches: dict[str, dict[str, Any]] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeAnthropic:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def next_id(self, prefix: str) -> str:
        with self._lock:
            return f"{prefix}_{next(self._ids):06d}"

    def message(self, body: dict[str, Any]) -> dict[str, Any]:
        """A full Message object for one request, from the responder's content and stop reason."""
        reply = self.responder(body)
        text = json.dumps(reply["content"], ensure_ascii=False)
        return {"id": self.next_id("msg"), "type": "message", "role": "assistant", "model": body.get("model"),
                "content": reply["content"], "stop_reason": reply.get("stop_reason", "end_turn"),
                "stop_sequence": None,
                "usage": {"input_tokens": len(json.dumps(body.get("messages", []), ensure_ascii=False)) // 4 + 50,
                          "output_tokens": len(text) // 4 + 1, "cache_creation_input_tokens": 0,
                          "cache_read_input_tokens": 0}}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None,
                      raw: bytes | None = None, ctype: str = "application/json") -> None:
                data = raw if raw is not None else json.dumps(payload, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("content-type", ctype)
                self.send_header("content-length", str(len(data)))
                self.send_header("request-id", fake.next_id("req"))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def _error(self, status: int, kind: str, message: str, headers: dict[str, str] | None = None) -> None:
                self._send(status, {"type": "error", "error": {"type": kind, "message": message}}, headers)

            def _authorised(self) -> bool:
                auth = self.headers.get("authorization", "")
                ok = auth == f"Bearer {fake.api_key}" or self.headers.get("x-api-key") == fake.api_key
                if not ok:
                    self._error(401, "authentication_error", "invalid x-api-key / bearer token")
                return ok

            def _body(self) -> dict[str, Any]:
                n = int(self.headers.get("content-length") or 0)
                return json.loads(self.rfile.read(n) or b"{}")

            def do_POST(self) -> None:  # noqa: N802
                if not self._authorised():
                    return
                body = self._body()
                fake.requests.append({"path": self.path, "body": body,
                                      "headers": {k.lower(): v for k, v in self.headers.items()}})
                if fake.inject:
                    status, headers = fake.inject.popleft()
                    kind = "rate_limit_error" if status == 429 else "overloaded_error"
                    return self._error(status, kind, "injected failure", headers)
                if fake.latency_s:
                    time.sleep(fake.latency_s)
                if self.path == "/v1/messages":
                    return self._send(200, fake.message(body))
                if self.path == "/v1/messages/batches":
                    return self._send(200, fake.create_batch(body))
                self._error(404, "not_found_error", f"no route {self.path}")

            def do_GET(self) -> None:  # noqa: N802
                if not self._authorised():
                    return
                parts = self.path.strip("/").split("/")
                if parts[:3] == ["v1", "messages", "batches"] and len(parts) >= 4 and parts[3] in fake.batches:
                    batch = fake.batches[parts[3]]
                    if len(parts) == 5 and parts[4] == "results":
                        lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in batch["results"])
                        return self._send(200, None, raw=lines.encode(), ctype="application/binary")
                    batch["polls"] += 1
                    return self._send(200, fake.batch_view(parts[3]))
                self._error(404, "not_found_error", f"no route {self.path}")

        return Handler

    def create_batch(self, body: dict[str, Any]) -> dict[str, Any]:
        bid = self.next_id("msgbatch")
        results = []
        for req in body.get("requests", []):
            try:
                results.append({"custom_id": req["custom_id"],
                                "result": {"type": "succeeded", "message": self.message(req["params"])}})
            except Exception as exc:  # a responder failure becomes an errored item, as the API reports it
                err = {"type": "error", "error": {"type": "api_error", "message": str(exc)}}
                results.append({"custom_id": req["custom_id"], "result": {"type": "errored", "error": err}})
        results.reverse()  # the API does not keep request order; neither do we
        self.batches[bid] = {"results": results, "polls": 0, "count": len(results)}
        return self.batch_view(bid)

    def batch_view(self, bid: str) -> dict[str, Any]:
        b = self.batches[bid]
        ended = b["polls"] >= self.batch_polls
        ok = sum(r["result"]["type"] == "succeeded" for r in b["results"])
        return {"id": bid, "type": "message_batch", "processing_status": "ended" if ended else "in_progress",
                "request_counts": {"processing": 0 if ended else b["count"], "succeeded": ok if ended else 0,
                                   "errored": (b["count"] - ok) if ended else 0, "canceled": 0, "expired": 0},
                "created_at": "2026-11-22T00:00:00Z", "expires_at": "2026-11-23T00:00:00Z",
                "ended_at": "2026-11-22T00:00:01Z" if ended else None, "archived_at": None,
                "cancel_initiated_at": None,
                "results_url": f"{self.url}/v1/messages/batches/{bid}/results" if ended else None}
