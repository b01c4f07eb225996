"""Safe text about a network peer, for error messages: a URL's host without its secrets, secrets masked.

Shared by the adapters that call out (``notify``'s targets, ``ticketing``'s client): a chat webhook's path
and a query string can be the credential itself, and a server may echo a token back in its error body.
"""

from __future__ import annotations

import urllib.error
from urllib.parse import urlsplit


def scrub(text: str, secrets: tuple[str, ...]) -> str:
    """The text with every configured secret masked."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def host_of(url: str) -> str:
    """host[:port] of a URL, without user, path or query."""
    parts = urlsplit(url)
    return parts.hostname + (f":{parts.port}" if parts.port else "") if parts.hostname else "?"


def error_body(exc: urllib.error.HTTPError, max_chars: int) -> str:
    """': <the start of the error body, whitespace folded>' for a message, or '' when there is none to read."""
    try:
        raw = exc.read(max_chars * 4).decode("utf-8", "replace")
    except OSError:
        return ""
    text = " ".join(raw.split())
    return f": {text[:max_chars]}" if text else ""
