"""String-length limits: declared as ``maxLength`` in every tool's input schema, and enforced from that schema.

One table decides the limits, the published schema carries them (so a client sees them before it
calls), and ``violation`` checks a call's raw arguments against that same schema before the SDK
parses them, so a megabyte value is refused in microseconds with a message that quotes none of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from escalation_kit.errors import quote

TEXT_CHARS = 20_000  # free text: the severity engine's and the brief's per-field limit
SHORT_CHARS = 200  # ids, names, timestamps, zones, plans, regions, hours
KEY_CHARS = 100  # keys of free-form objects (the brief's facts)
MAX_KEYS = 200  # members of one object: a brief has a few dozen facts
MAX_ITEMS = 1_000  # items of one array
MAX_ERROR_CHARS = 2_000  # longest tool-error text sent back (the SDK lists every bad field it finds)
TEXT_FIELDS = frozenset({"text", "description", "summary", "incident_text", "impact", "tried", "needed", "notes"})


def cap_strings(schema: Any, name: str = "") -> Any:
    """Add ``maxLength`` to every string node without one (free-text fields get TEXT_CHARS, others SHORT_CHARS)."""
    if isinstance(schema, list):
        return [cap_strings(item, name) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: _cap_child(key, value, name) for key, value in schema.items()}
    types = out.get("type")
    is_string = types == "string" or (isinstance(types, list) and "string" in types)
    if is_string and "maxLength" not in out and "enum" not in out and "const" not in out:
        out["maxLength"] = TEXT_CHARS if name in TEXT_FIELDS else SHORT_CHARS
    return out


def _cap_child(key: str, value: Any, name: str) -> Any:
    if key == "properties" and isinstance(value, dict):
        return {prop: cap_strings(sub, prop) for prop, sub in value.items()}
    if key in ("items", "anyOf", "oneOf", "allOf", "additionalProperties"):
        return cap_strings(value, name)
    return value


def violation(value: Any, schema: Any, path: str) -> str | None:
    """The first string in ``value`` longer than its schema's maxLength (or TEXT_CHARS where none applies)."""
    if isinstance(value, str):
        limit = _limit(schema)
        if len(value) > limit:
            return f"{path}: at most {limit:,} characters, got {len(value):,}"
        return None
    if isinstance(value, Mapping):
        if len(value) > MAX_KEYS:
            return f"{path or 'arguments'}: at most {MAX_KEYS} keys, got {len(value):,}"
        return _object_violation(value, schema if isinstance(schema, dict) else {}, path)
    if isinstance(value, list):
        if len(value) > MAX_ITEMS:
            return f"{path}: at most {MAX_ITEMS:,} items, got {len(value):,}"
        items = schema.get("items", {}) if isinstance(schema, dict) else {}
        for index, item in enumerate(value):
            found = violation(item, items, f"{path}[{index}]")
            if found:
                return found
    return None


def shorten(text: str) -> str:
    """An error text cut to MAX_ERROR_CHARS, saying how much was left out."""
    if len(text) <= MAX_ERROR_CHARS:
        return text
    return f"{text[:MAX_ERROR_CHARS]}… ({len(text) - MAX_ERROR_CHARS:,} more characters left out)"


def _object_violation(value: Mapping[str, Any], schema: dict[str, Any], path: str) -> str | None:
    properties = _merged(schema, "properties")
    extra = schema.get("additionalProperties", {})
    for key, item in value.items():
        if not isinstance(key, str) or len(key) > KEY_CHARS:
            return f"{path}: key {quote(key, 40)} is over {KEY_CHARS} characters"
        found = violation(item, properties.get(key, extra if isinstance(extra, dict) else {}),
                          f"{path}.{key}" if path else key)
        if found:
            return found
    return None


def _merged(schema: dict[str, Any], key: str) -> dict[str, Any]:
    """``properties`` of a schema, including those of its anyOf/oneOf branches (nullable objects)."""
    merged = dict(schema.get(key) or {})
    for branch in (*schema.get("anyOf", ()), *schema.get("oneOf", ())):
        if isinstance(branch, dict):
            merged.update(branch.get(key) or {})
    return merged


def _limit(schema: Any) -> int:
    if not isinstance(schema, dict):
        return TEXT_CHARS
    if isinstance(schema.get("maxLength"), int):
        return schema["maxLength"]
    lengths = [b["maxLength"] for b in (*schema.get("anyOf", ()), *schema.get("oneOf", ()))
               if isinstance(b, dict) and isinstance(b.get("maxLength"), int)]
    return max(lengths) if lengths else TEXT_CHARS
