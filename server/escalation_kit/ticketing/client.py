"""One JSON exchange with a ticketing system over HTTPS, with basic auth and errors that never hold a secret.

``TicketError`` says which system at which host refused or failed and why (the record is added by the
sync); ``AuthError`` is the one that no retry can fix (401: the credentials are wrong), so a pass stops
at it instead of failing every record the same way. Every message is scrubbed of the secret, its
base64 form and the Authorization header, since a server may echo any of them back.
"""

from __future__ import annotations

import base64
import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from escalation_kit.netmsg import error_body, host_of, scrub

MAX_ANSWER_CHARS = 200
LOOPBACK = ("127.0.0.1", "localhost", "::1")


class TicketError(Exception):
    """The system could not be reached or refused a call; nothing was recorded, the next pass retries."""


class AuthError(TicketError):
    """The system rejected the credentials (HTTP 401): every call would fail the same way until they are fixed."""


@dataclass
class Http:
    """A base URL, a user and a secret for basic auth, a timeout; ``call`` does one exchange."""

    system: str
    base_url: str
    user: str
    secret: str = field(repr=False)
    timeout: float = 10.0
    secret_env: str = ""

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/")
        token = base64.b64encode(f"{self.user}:{self.secret}".encode()).decode("ascii")
        self._auth = f"Basic {token}"
        self.secrets = (self.secret, token, self._auth)

    @property
    def where(self) -> str:
        return f"{self.system} at {host_of(self.base_url)}"

    def call(self, method: str, path: str, body: Any = None, what: str = "") -> Any:
        """Send one request and return the decoded JSON answer (None when it has no body)."""
        try:
            return self._exchange(method, path, body, what)
        except TicketError as exc:
            raise type(exc)(scrub(str(exc), self.secrets)) from None

    def _exchange(self, method: str, path: str, body: Any, what: str) -> Any:
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        req = urllib.request.Request(self.base_url + path, data=data, method=method, headers={
            "Authorization": self._auth, "Accept": "application/json",
            **({"Content-Type": "application/json; charset=utf-8"} if data is not None else {})})
        doing = f"{what} ({method} {path.split('?')[0]})" if what else f"{method} {path.split('?')[0]}"
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:  # noqa: S310 - the configured system
                raw = resp.read()
        except urllib.error.HTTPError as exc:
            raise self._refusal(exc, doing) from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                raise TicketError(f"{self.where} did not answer {doing} within {self.timeout:g} s") from None
            text = getattr(reason, "strerror", None) or str(reason)
            raise TicketError(f"cannot reach {self.where}: {text}") from None
        except TimeoutError:
            raise TicketError(f"{self.where} did not answer {doing} within {self.timeout:g} s") from None
        except (OSError, http.client.HTTPException) as exc:
            raise TicketError(f"{self.where} broke off {doing}: {type(exc).__name__} {exc}".rstrip()) from None
        if not raw.strip():
            return None
        try:
            return json.loads(raw)
        except ValueError:
            raise TicketError(f"{self.where} answered {doing} with something that is not JSON") from None

    def _refusal(self, exc: urllib.error.HTTPError, doing: str) -> TicketError:
        answer = error_body(exc, MAX_ANSWER_CHARS)
        if exc.code == 401:
            hint = f": check the user {self.user!r} and ${self.secret_env}" if self.secret_env else ""
            return AuthError(f"{self.where} rejected the credentials (HTTP 401) for {doing}{hint}")
        if exc.code == 403:
            return TicketError(f"{self.where} refused {doing}: user {self.user!r} lacks the permission (HTTP 403)"
                               f"{answer}")
        retry = "; retried next pass" if exc.code == 429 or exc.code >= 500 else ""
        return TicketError(f"{self.where} answered {doing} with HTTP {exc.code} {exc.reason}{answer}{retry}")
