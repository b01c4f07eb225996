"""Flag values parsed once for every command: NAME=NUMBER pairs (--tickets auth=120) and JSON objects (--facts)."""

from __future__ import annotations

import json
import math
import sys
from typing import Any

from escalation_kit.errors import InputError, quote

MAX_EVERY_SECONDS = 7 * 86_400  # --every: a pass a week at the least; more overflows the sleep (10**30 crashed it)
MAX_TIMEOUT_SECONDS = 300
MAX_DIGITS = 15  # a count or score past 10**15 is a typo (and 4,300+ digits is an error for int() itself)


def _number(text: str, whole: bool) -> float | None:
    """The number, or None when the text is not one (a count for ``whole``: 0, 1, 2...; finite otherwise).

    Only ASCII digits make a count: str.isdigit() also takes '²' and other digits int() refuses.
    """
    text = text.strip()
    if whole:
        return int(text) if text.isascii() and text.isdigit() and len(text) <= MAX_DIGITS else None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def named_numbers(items: list[str] | None, flag: str, shape: str, whole: bool = False) -> dict[str, float]:
    """{"name": number} from NAME=NUMBER items; a bad item is refused naming the flag and the shape wanted."""
    out: dict[str, float] = {}
    for item in items or []:
        name, sep, text = item.partition("=")
        number = _number(text, whole) if sep else None
        if number is None or not name.strip():
            raise InputError(flag, f"{quote(item)} is not {shape}")
        out[name.strip()] = number
    return out


def json_object(text: str, flag: str) -> dict[str, Any]:
    """The JSON object a flag gives (inline or read from a file), refused naming the flag when it is not one."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(flag, f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None
    except (ValueError, RecursionError) as exc:  # a 4,300+ digit number, or nesting past the parser's depth
        raise InputError(flag, f"not usable JSON ({str(exc).split(';')[0]})") from None
    if not isinstance(value, dict):
        raise InputError(flag, f"expected a JSON object, got {type(value).__name__}")
    return value


def check_every(every: int | None) -> None:
    """--every (watch, tickets sync): 1 second to a week."""
    if every is not None and not 1 <= every <= MAX_EVERY_SECONDS:
        raise InputError("--every", f"{every:,} is out of range", allowed=[f"1 to {MAX_EVERY_SECONDS:,} seconds"])


def check_timeout(timeout: float) -> None:
    """--timeout of a network call: more than 0, at most 300 seconds (NaN fails every comparison, so it fails)."""
    if not 0 < timeout <= MAX_TIMEOUT_SECONDS:
        raise InputError("--timeout", f"{timeout:g} is out of range", allowed=["more than 0, at most 300"])


MAX_SECRET_CHARS = 64_000  # a token or password file: its first line is the secret


def read_limited(path: str, flag: str, limit: int) -> str:
    """A file the user named (or - for stdin), read to at most ``limit`` characters: a larger one, or a device
    that never ends (/dev/zero, /dev/urandom), is refused naming the flag instead of filling memory or hanging."""
    try:
        if path == "-":
            text = sys.stdin.read(limit + 1)
        else:
            with open(path, encoding="utf-8") as fh:
                text = fh.read(limit + 1)
    except OSError as exc:
        raise InputError(flag, f"cannot read {quote(path)}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise InputError(flag, f"{quote(path)} is not UTF-8 text") from None
    if len(text) > limit:
        source = "standard input" if path == "-" else quote(path)
        raise InputError(flag, f"{source} is larger than {limit:,} characters; is it the right file?")
    return text


def read_secret(path: str, flag: str) -> str:
    """The first line of a secret file, refused naming the flag when it is missing, empty or not a secret file."""
    text = read_limited(path, flag, MAX_SECRET_CHARS).strip()
    value = text.splitlines()[0].strip() if text else ""
    if not value:
        raise InputError(flag, f"{quote(path)} is empty")
    return value
