"""A real HTTP server on 127.0.0.1 for the status-feed tests: each path answers with a sample, an error or a stall."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent / "statuspages" / "samples"


@dataclass
class Route:
    """One path's answer: status, body, a delay before the headers, whether to declare Content-Length."""

    body: bytes = b""
    status: int = 200
    delay: float = 0.0
    content_type: str = "application/json"
    declare_length: bool = True
    headers: dict[str, str] = field(default_factory=dict)


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


@contextmanager
def feed_server(routes: dict[str, Route]) -> Iterator[tuple[str, list[dict[str, str]]]]:
    """Serve ``routes`` on a free loopback port; yield the base URL and the request headers seen."""
    seen: list[dict[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the stdlib's hook name
            seen.append({"path": self.path, **{k.lower(): v for k, v in self.headers.items()}})
            route = routes.get(self.path, Route(b"no such feed", 404, content_type="text/plain"))
            if route.delay:
                time.sleep(route.delay)
            try:
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                for k, v in route.headers.items():
                    self.send_header(k, v)
                if route.declare_length:
                    self.send_header("Content-Length", str(len(route.body)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(route.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout or size cap), which is what the test wanted

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.block_on_close = False  # a stalled handler (the timeout test) must not hold up the test
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()
