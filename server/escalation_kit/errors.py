"""The kit's two error types: bad input the caller can fix, and a broken data file that we must fix.

The MCP adapter turns ``InputError`` into a tool error (``isError``) and the CLI into a message on
stderr with exit code 2, so the text must say which field was wrong, what was expected and what is
allowed. ``DataError`` means a shipped file under ``references/``, ``prompts/`` or ``skills/`` is
wrong: it is our bug, reported as such, never blamed on the caller.
"""

from __future__ import annotations

from collections.abc import Iterable

MAX_QUOTE_CHARS = 80


class InputError(ValueError):
    """Input the caller can fix: names the field, the bad value and the allowed values."""

    def __init__(self, field: str, message: str, allowed: Iterable[str] | None = None) -> None:
        self.field = field
        self.allowed = list(allowed) if allowed is not None else None
        text = f"{field}: {message}"
        if self.allowed:
            text += f" (allowed: {', '.join(self.allowed)})"
        super().__init__(text)


class DataError(ValueError):
    """A data file shipped with the kit is malformed or inconsistent (names the file and the problem)."""


def quote(value: object, limit: int = MAX_QUOTE_CHARS) -> str:
    """repr() of a value cut to ``limit`` characters, so an error never echoes a megabyte of input."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}…' ({len(str(value))} characters)"


def from_validation_error(exc: Exception, prefix: str = "") -> InputError:
    """Flatten a pydantic ValidationError into one InputError listing every bad field."""
    errors = getattr(exc, "errors", None)
    if not callable(errors):
        return InputError(prefix or "input", str(exc))
    parts = []
    for err in errors():
        loc = ".".join(str(p) for p in err.get("loc", ())) or "input"
        parts.append(f"{prefix + '.' if prefix and loc else prefix}{loc}: {err.get('msg', 'invalid')}")
    return InputError(prefix or "input", "; ".join(parts))
