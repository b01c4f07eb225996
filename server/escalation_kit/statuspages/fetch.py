"""Fetch one public feed: https only, no credentials, a deadline for the whole request, a size cap.

Built on ``http.client`` rather than ``urllib.request`` so nothing is added behind our back: no
proxy, cookie, netrc or ``file:``/``ftp:`` handler, and every redirect is checked like the first URL.
Each failure is a ``FetchError`` whose kind and message name the feed and URL, and never carry the
body (at most the server's short reason phrase).
"""

from __future__ import annotations

import http.client
import ssl
import time
from dataclasses import dataclass
from urllib.parse import SplitResult, urljoin, urlsplit

from escalation_kit.errors import quote
from escalation_kit.statuspages.models import FailureKind

CHUNK = 65536
ACCEPT = "application/json, application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"


class FetchError(Exception):
    """A feed that could not be read: ``kind`` says which way, the message names the feed and URL."""

    def __init__(self, kind: FailureKind, feed_id: str, url: str, detail: str) -> None:
        self.kind = kind
        self.feed_id = feed_id
        self.url = url
        super().__init__(f"{feed_id} ({url}): {detail}")


@dataclass(frozen=True)
class Limits:
    """How long and how much: the fetch half of our policy."""

    timeout: float
    max_bytes: int
    max_redirects: int
    plain_http_hosts: tuple[str, ...]
    user_agent: str


@dataclass(frozen=True)
class Fetched:
    """A body read whole and within the limits, with the URL it finally came from."""

    url: str
    body: bytes
    content_type: str
    seconds: float


def checked_url(url: str, plain_http_hosts: tuple[str, ...]) -> SplitResult:
    """The URL split, if it may be fetched: https (http only to the listed hosts), a host, no user or password."""
    parts = urlsplit(url)
    if parts.username is not None or parts.password is not None:
        raise ValueError("carries a user name or password; status feeds are public and get no credentials")
    if not parts.hostname:
        raise ValueError("has no host")
    if parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in plain_http_hosts):
        return parts
    allowed = "https" + (f" (http only to {', '.join(plain_http_hosts)})" if plain_http_hosts else "")
    raise ValueError(f"scheme {parts.scheme or '(none)'!r} is not allowed; use {allowed}")


def fetch(feed_id: str, url: str, limits: Limits) -> Fetched:
    """GET ``url`` within ``limits``; a ``FetchError`` for a timeout, an HTTP error, a body too large or a bad URL."""
    started = time.monotonic()
    deadline = started + limits.timeout
    current = url
    for _ in range(limits.max_redirects + 1):
        try:
            parts = checked_url(current, limits.plain_http_hosts)
        except ValueError as exc:
            raise FetchError("refused_url", feed_id, current, f"refused: the URL {exc}") from None
        location, body, ctype = _one_request(feed_id, current, parts, limits, deadline)
        if location is None:
            return Fetched(url=current, body=body, content_type=ctype, seconds=time.monotonic() - started)
        current = urljoin(current, location)
    raise FetchError("http_status", feed_id, url, f"more than {limits.max_redirects} redirects")


def _remaining(feed_id: str, url: str, deadline: float, timeout: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchError("timeout", feed_id, url, f"no complete answer within {timeout:g} s")
    return left


def _one_request(feed_id: str, url: str, parts: SplitResult, limits: Limits,
                 deadline: float) -> tuple[str | None, bytes, str]:
    """One GET: (redirect location, b"", "") or (None, body, content type)."""
    left = _remaining(feed_id, url, deadline, limits.timeout)
    if parts.scheme == "https":
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(
            parts.hostname, parts.port, timeout=left, context=ssl.create_default_context())
    else:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=left)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        conn.request("GET", target, headers={"User-Agent": limits.user_agent, "Accept": ACCEPT,
                                             "Accept-Encoding": "identity", "Connection": "close"})
        _tick(conn, feed_id, url, deadline, limits.timeout)
        resp = conn.getresponse()
        if resp.status in (301, 302, 303, 307, 308) and resp.getheader("Location"):
            return resp.getheader("Location"), b"", ""
        if resp.status != 200:
            reason = quote(resp.reason or "", 60) if resp.reason else ""
            raise FetchError("http_status", feed_id, url, f"HTTP {resp.status}{' ' + reason if reason else ''}")
        _check_length(resp, feed_id, url, limits.max_bytes)
        body = _read_capped(conn, resp, feed_id, url, deadline, limits)
        return None, body, resp.getheader("Content-Type") or ""
    except TimeoutError:
        raise FetchError("timeout", feed_id, url, f"no complete answer within {limits.timeout:g} s") from None
    except ssl.SSLError as exc:
        raise FetchError("network", feed_id, url, f"TLS failed ({exc.reason or type(exc).__name__})") from None
    except http.client.HTTPException as exc:
        raise FetchError("network", feed_id, url, f"not a valid HTTP answer ({type(exc).__name__})") from None
    except OSError as exc:
        raise FetchError("network", feed_id, url, f"cannot connect ({exc.strerror or type(exc).__name__})") from None
    finally:
        conn.close()


def _tick(conn: http.client.HTTPConnection, feed_id: str, url: str, deadline: float, timeout: float) -> None:
    """Shrink the socket's timeout to what is left of the deadline, so a trickling server cannot stretch it."""
    if conn.sock is not None:
        conn.sock.settimeout(_remaining(feed_id, url, deadline, timeout))


def _check_length(resp: http.client.HTTPResponse, feed_id: str, url: str, cap: int) -> None:
    declared = resp.getheader("Content-Length") or ""
    if declared.isdigit() and int(declared) > cap:
        raise FetchError("too_large", feed_id, url, f"body of {int(declared)} bytes is over the {cap}-byte cap")


def _read_capped(conn: http.client.HTTPConnection, resp: http.client.HTTPResponse, feed_id: str, url: str,
                 deadline: float, limits: Limits) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        _tick(conn, feed_id, url, deadline, limits.timeout)
        chunk = resp.read1(CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limits.max_bytes:
            cap = limits.max_bytes
            raise FetchError("too_large", feed_id, url, f"body is over the {cap}-byte cap (stopped reading)")
        chunks.append(chunk)
