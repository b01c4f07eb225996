"""One JSON exchange with a ticketing system over HTTPS, with basic auth and errors that never hold a secret.

``TicketError`` says which system at which host refused or failed and why (the record is added by the
sync); ``AuthError`` is the one that no retry can fix (401: the credentials are wrong), so a pass stops
at it instead of failing every record the same way. The exchange itself is ``jsonhttp.JsonExchange``
(shared with ``supportcases``); every message is scrubbed of the secret, its base64 form and the
Authorization header, since a server may echo any of them back.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any

from escalation_kit.jsonhttp import JsonExchange

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
        hint = f": check the user {self.user!r} and ${self.secret_env}" if self.secret_env else ""
        self._json = JsonExchange(self.system, self.base_url, self._auth, self.timeout, self.secrets,
                                  error=TicketError, auth_error=AuthError, auth_hint=hint,
                                  caller=f"user {self.user!r}", retry_note="; retried next pass")

    @property
    def where(self) -> str:
        return self._json.where

    def call(self, method: str, path: str, body: Any = None, what: str = "") -> Any:
        """Send one request and return the decoded JSON answer (None when it has no body)."""
        return self._json.call(method, path, body, what)
