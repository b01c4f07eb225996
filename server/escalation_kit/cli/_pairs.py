"""NAME=NUMBER values of repeatable flags (--tickets auth=120, --health relationship_strength=40)."""

from __future__ import annotations

import math

from escalation_kit.errors import InputError, quote


def _number(text: str, whole: bool) -> float | None:
    """The number, or None when the text is not one (a count for ``whole``: 0, 1, 2...)."""
    text = text.strip()
    if whole:
        return int(text) if text.isdigit() else None
    try:
        value = float(text)
    except ValueError:
        return None
    return None if math.isnan(value) else value


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
