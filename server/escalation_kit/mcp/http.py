"""Streamable HTTP serving with the checks a network-facing server needs, as one ASGI guard in front of the SDK.

The SDK turns on DNS-rebinding protection only for the literal hosts ``127.0.0.1``, ``localhost`` and
``::1``, matches Host by prefix and lets any ``http://localhost:*`` Origin through. The guard instead
checks every request on every bind against exact allow-lists, requires a bearer token when one is
configured (compared in constant time), refuses GET streams on the stateless endpoint (405), caps the
body size explicitly, and answers a request whose ``id`` is null or not a string/number with a JSON-RPC
error instead of the SDK's silent 202.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

MAX_REQUEST_BYTES = 1024 * 1024  # the largest valid call (a 100,000-character brief, escaped) fits easily
GRACEFUL_SHUTDOWN_SECONDS = 5
SWITCH_INTERVAL_S = 0.001  # a pool thread running a big call yields the GIL to the event loop within 1 ms, not 5
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
_ODD_ID = re.compile(rb'"id"\s*:\s*(?:null|true|false|\{|\[)')


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback IP literals; any other name could resolve anywhere."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_with_port(host: str, port: int) -> str:
    """The Host header a client sends for this address (IPv6 literals in brackets)."""
    literal = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"{literal}:{port}".lower()


@dataclass(frozen=True)
class HttpOptions:
    """Everything the HTTP transport needs besides the server: bind, path, allow-lists, token, limits."""

    host: str = "127.0.0.1"
    port: int = 8000
    path: str = "/mcp"
    allowed_hosts: tuple[str, ...] = ()
    allowed_origins: tuple[str, ...] = ()
    token: str | None = None
    max_request_bytes: int = MAX_REQUEST_BYTES
    hosts: frozenset[str] = field(init=False)
    origins: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "hosts", frozenset(allowed_host_headers(self.host, self.port, self.allowed_hosts)))
        object.__setattr__(self, "origins", frozenset(allowed_origin_values(self.hosts, self.allowed_origins)))


def allowed_host_headers(bind: str, port: int, extra: Iterable[str]) -> set[str]:
    """Exact Host values accepted: the loopback names and the bound address on our port, plus the extras.

    An extra without a port is accepted with our port and bare (as a proxy on port 80/443 sends it).
    A wildcard bind (0.0.0.0, ::) is not itself a Host anyone sends, so it adds nothing.
    """
    hosts = {host_with_port(name, port) for name in LOOPBACK_NAMES}
    if not ipaddress_is_unspecified(bind):
        hosts.add(host_with_port(bind, port))
    for item in extra:
        value = item.strip().lower()
        if value.rsplit(":", 1)[-1].isdigit() and not value.endswith("]"):
            hosts.add(value)
        else:
            hosts.update({value, host_with_port(value, port)})
    return hosts


def allowed_origin_values(hosts: Iterable[str], extra: Iterable[str]) -> set[str]:
    """Same-origin pages of the accepted hosts (exact port, so ``http://localhost:1`` is refused) plus extras."""
    return {f"http://{h}" for h in hosts if h.rsplit(":", 1)[-1].isdigit()} | {o.strip().lower().rstrip("/")
                                                                             for o in extra}


def ipaddress_is_unspecified(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return False


class HttpGuard:
    """ASGI middleware: Host, Origin, bearer token, method, body size and request-id checks, then the app."""

    def __init__(self, app: ASGIApp, options: HttpOptions) -> None:
        self.app = app
        self.options = options
        self.token = options.token.encode() if options.token else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"] == self.options.path.rstrip("/") + "/":  # the SDK's router answers 307 for a trailing /
            scope = {**scope, "path": self.options.path, "raw_path": self.options.path.encode()}
        refusal = self.refusal(scope)
        if refusal is not None:
            await respond(send, *refusal)
            return
        if scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        body = await read_body(receive, self.options.max_request_bytes)
        if body is None:
            limit = self.options.max_request_bytes
            await respond(send, 413, f"Request body over {limit} bytes", {"connection": "close"})
            return
        bad_id = invalid_request_id(body)
        if bad_id:
            await respond_json(send, 400, {"jsonrpc": "2.0", "id": None,
                                           "error": {"code": -32600, "message": bad_id}})
            return
        await self.app(scope, replay(body, receive), send)

    def refusal(self, scope: Scope) -> tuple[int, str, dict[str, str]] | None:
        """Why this request is refused before its body is read, or None."""
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if headers.get("host", "").lower() not in self.options.hosts:
            log.debug("refused Host %.80r", headers.get("host"))
            return 421, "Invalid Host header", {}
        origin = headers.get("origin")
        if origin is not None and origin.lower().rstrip("/") not in self.options.origins:
            log.debug("refused Origin %.80r", origin)
            return 403, "Invalid Origin header", {}
        if self.token is not None and not self.authorized(headers.get("authorization", "")):
            return 401, "Missing or invalid bearer token", {"www-authenticate": 'Bearer realm="escalation-kit"'}
        if scope["method"] == "GET" and scope["path"].rstrip("/") == self.options.path.rstrip("/"):
            return 405, "This stateless server opens no GET event streams; POST requests instead", {"allow": "POST"}
        if scope["method"] == "POST":
            length = headers.get("content-length", "")
            if length.isdigit() and int(length) > self.options.max_request_bytes:  # closed: the body is never read
                return 413, f"Request body over {self.options.max_request_bytes} bytes", {"connection": "close"}
        return None

    def authorized(self, header: str) -> bool:
        """Constant-time check of ``Authorization: Bearer <token>``."""
        scheme, _, presented = header.partition(" ")
        ok = hmac.compare_digest(presented.strip().encode(), self.token or b"")
        return scheme.lower() == "bearer" and ok


def invalid_request_id(body: bytes) -> str | None:
    """Why a JSON-RPC request's id is unusable (null, object, array, boolean), or None.

    The SDK treats such a message as a notification and answers 202 with nothing, leaving the client
    waiting; JSON-RPC 2.0 says a request id is a string or a number.
    """
    if not _ODD_ID.search(body):  # a C scan first: most bodies are never parsed twice
        return None
    try:
        message = json.loads(body)
    except ValueError:
        return None  # the SDK answers malformed JSON with -32700 itself
    if not isinstance(message, dict) or "method" not in message or "id" not in message:
        return None
    request_id = message["id"]
    if isinstance(request_id, bool) or not isinstance(request_id, str | int | float):
        return "Invalid Request: id must be a string or a number"
    return None


async def read_body(receive: Receive, limit: int) -> bytes | None:
    """The whole request body, or None as soon as it grows past ``limit`` (chunked bodies included)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def replay(body: bytes, receive: Receive) -> Receive:
    """A receive callable that yields the already-read body once, then defers to the real one."""
    sent = False

    async def again() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return again


async def respond(send: Send, status: int, text: str, headers: dict[str, str] | None = None) -> None:
    await _send(send, status, text.encode(), "text/plain; charset=utf-8", headers or {})


async def respond_json(send: Send, status: int, payload: object) -> None:
    await _send(send, status, json.dumps(payload).encode(), "application/json", {})


async def _send(send: Send, status: int, body: bytes, content_type: str, headers: dict[str, str]) -> None:
    raw = [(b"content-type", content_type.encode()), (b"content-length", str(len(body)).encode())]
    raw += [(k.encode(), v.encode()) for k, v in headers.items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


def build_app(server: object, options: HttpOptions) -> ASGIApp:
    """The SDK's stateless JSON-response app behind the guard (the SDK's own Host check is replaced)."""
    from mcp.server.transport_security import TransportSecuritySettings

    app = server.streamable_http_app(  # type: ignore[attr-defined]
        streamable_http_path=options.path, stateless_http=True, json_response=True,
        max_request_body_size=options.max_request_bytes, host=options.host,
        transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False),
    )
    return HttpGuard(app, options)


def serve_http(server: object, options: HttpOptions) -> None:
    """Run uvicorn on the guarded app; on SIGINT/SIGTERM in-flight requests get a bounded time to finish."""
    import sys

    import uvicorn

    sys.setswitchinterval(SWITCH_INTERVAL_S)
    config = uvicorn.Config(build_app(server, options), host=options.host, port=options.port, log_level="warning",
                            timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS, limit_concurrency=512,
                            server_header=False)
    uvicorn.Server(config).run()
