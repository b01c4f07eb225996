"""The one error type the core raises for bad input.

The MCP adapter turns it into a tool error (``isError``) and the CLI into a message on
stderr with exit code 2, so the text must say which field was wrong, what was expected
and what is allowed.
"""

from __future__ import annotations

from collections.abc import Iterable


class InputError(ValueError):
    """Input the caller can fix: names the field, the bad value and the allowed values."""

    def __init__(self, field: str, message: str, allowed: Iterable[str] | None = None) -> None:
        self.field = field
        self.allowed = list(allowed) if allowed is not None else None
        text = f"{field}: {message}"
        if self.allowed:
            text += f" (allowed: {', '.join(self.allowed)})"
        super().__init__(text)


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
