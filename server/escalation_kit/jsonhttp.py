"""One JSON exchange over HTTP(S) with an authorization header, and errors that name the peer, never a secret.

Shared by the adapters that call a vendor's REST API (``ticketing``'s client, ``supportcases``' Azure and
Google clients). Each caller passes the exception classes it wants raised, so its own callers keep catching
their own error types; ``auth_error`` is raised on HTTP 401, which no retry can fix. Every message is
scrubbed of the secrets the caller names (a server may echo any of them back).
"""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from escalation_kit.netmsg import error_body, host_of, scrub

MAX_ANSWER_CHARS = 200


class CallError(Exception):
    """The peer could not be reached or refused a call."""


class CallAuthError(CallError):
    """The peer rejected the credentials (HTTP 401)."""


@dataclass
class JsonExchange:
    """A peer (system name and base URL), the Authorization header value, a timeout and how to word failures."""

    system: str
    base_url: str
    authorization: str = field(repr=False)
    timeout: float = 10.0
    secrets: tuple[str, ...] = field(default=(), repr=False)
    error: type[Exception] = CallError
    auth_error: type[Exception] = CallAuthError
    auth_hint: str = ""
    caller: str = "the caller"
    retry_note: str = ""

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/")
        self.secrets = tuple(s for s in (*self.secrets, self.authorization) if s)

    @property
    def where(self) -> str:
        return f"{self.system} at {host_of(self.base_url)}"

    def call(self, method: str, path: str, body: Any = None, what: str = "", missing_ok: bool = False) -> Any:
        """Send one request and return the decoded JSON answer (None when it has no body, or with ``missing_ok``
        when the peer answers 404)."""
        try:
            return self._exchange(method, path, body, what, missing_ok)
        except (self.error, self.auth_error) as exc:
            raise type(exc)(scrub(str(exc), self.secrets)) from None

    def _exchange(self, method: str, path: str, body: Any, what: str, missing_ok: bool = False) -> Any:
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        req = urllib.request.Request(self.base_url + path, data=data, method=method, headers={
            "Authorization": self.authorization, "Accept": "application/json",
            **({"Content-Type": "application/json; charset=utf-8"} if data is not None else {})})
        doing = f"{what} ({method} {path.split('?')[0]})" if what else f"{method} {path.split('?')[0]}"
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:  # noqa: S310 - the configured peer
                raw = resp.read()
        except urllib.error.HTTPError as exc:
            if exc.code == 404 and missing_ok:
                return None
            raise self._refusal(exc, doing) from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                raise self.error(f"{self.where} did not answer {doing} within {self.timeout:g} s") from None
            text = getattr(reason, "strerror", None) or str(reason)
            raise self.error(f"cannot reach {self.where}: {text}") from None
        except TimeoutError:
            raise self.error(f"{self.where} did not answer {doing} within {self.timeout:g} s") from None
        except (OSError, http.client.HTTPException) as exc:
            raise self.error(f"{self.where} broke off {doing}: {type(exc).__name__} {exc}".rstrip()) from None
        if not raw.strip():
            return None
        try:
            return json.loads(raw)
        except ValueError:
            raise self.error(f"{self.where} answered {doing} with something that is not JSON") from None

    def _refusal(self, exc: urllib.error.HTTPError, doing: str) -> Exception:
        answer = error_body(exc, MAX_ANSWER_CHARS)
        if exc.code == 401:
            return self.auth_error(f"{self.where} rejected the credentials (HTTP 401) for {doing}{self.auth_hint}")
        if exc.code == 403:
            return self.error(f"{self.where} refused {doing}: {self.caller} lacks the permission (HTTP 403){answer}")
        retry = self.retry_note if exc.code == 429 or exc.code >= 500 else ""
        return self.error(f"{self.where} answered {doing} with HTTP {exc.code} {exc.reason}{answer}{retry}")
