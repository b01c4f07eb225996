"""Shrink JSON Schemas for tools/list without changing what they accept.

Every token of tools/list is paid by the host on every turn. Pydantic's schemas carry an
auto-generated ``title`` on every property, ``default: null`` and ``anyOf: [X, null]``;
dropping the annotations and folding the nullable unions keeps validation identical.
"""

from __future__ import annotations

from typing import Any

NAME_MAPS = frozenset({"properties", "$defs", "definitions", "patternProperties"})
FOLDABLE = frozenset({"type", "format", "enum", "pattern", "minimum", "maximum", "exclusiveMinimum",
                      "exclusiveMaximum", "minLength", "maxLength", "description"})
NULL = {"type": "null"}


def compact_schema(node: Any, output: bool = False) -> Any:
    """Return a copy of ``node`` without titles and null defaults, with simple nullable unions folded.

    For an output schema (``output=True``) descriptions and defaults go too: a result is validated,
    never filled in, and the tool's description already says what it returns.
    """
    if isinstance(node, list):
        return [compact_schema(item, output) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "title" or (key == "default" and (value is None or output)) or (output and key == "description"):
            continue
        if key in NAME_MAPS and isinstance(value, dict):
            out[key] = {name: compact_schema(sub, output) for name, sub in value.items()}
        else:
            out[key] = compact_schema(value, output)
    return _fold_nullable(out)


def _fold_nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """Turn ``anyOf: [{type: T, ...}, {type: null}]`` into ``type: [T, null]`` when that is exact."""
    options = schema.get("anyOf")
    if not (isinstance(options, list) and len(options) == 2 and NULL in options):
        return schema
    other = options[0] if options[1] == NULL else options[1]
    if not isinstance(other.get("type"), str) or not set(other) <= FOLDABLE:
        return schema
    folded = {k: v for k, v in schema.items() if k != "anyOf"}
    folded.update(other)
    folded["type"] = [other["type"], "null"]
    if "enum" in folded:
        folded["enum"] = [*folded["enum"], None]
    return folded
