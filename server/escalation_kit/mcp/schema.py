"""Shrink JSON Schemas for tools/list without changing what they accept.

Every token of tools/list is paid by the host on every turn. Pydantic's schemas carry an
auto-generated ``title`` on every property, ``default: null`` and ``anyOf: [X, null]``;
dropping the annotations and folding the nullable unions keeps validation identical.
"""

from __future__ import annotations

from typing import Any

NAME_MAPS = frozenset({"properties", "$defs", "definitions", "patternProperties"})
FOLDABLE = frozenset({"type", "format", "enum", "pattern", "minimum", "maximum", "exclusiveMinimum",
                      "exclusiveMaximum", "minLength", "maxLength", "description", "items"})
NULL = {"type": "null"}
# An output is produced by our own models, so its enum and const constraints only cost the host tokens.
OUTPUT_ONLY_DROPS = frozenset({"description", "default", "additionalProperties", "pattern", "minimum", "maximum",
                               "exclusiveMinimum", "exclusiveMaximum", "enum", "const"})


def compact_schema(node: Any, output: bool = False) -> Any:
    """Return a copy of ``node`` without titles and null defaults, with simple nullable unions folded.

    For an output schema (``output=True``) descriptions, defaults and input-side constraints go too:
    a result is produced by our own models, never filled in by the caller. A model under ``$defs``
    loses its class docstring, which the property that uses it already describes.
    """
    if isinstance(node, list):
        return [compact_schema(item, output) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "title" or (key == "default" and value is None) or (key == "additionalProperties" and value is True):
            continue
        if output and key in OUTPUT_ONLY_DROPS:
            continue
        if key == "$defs" and isinstance(value, dict):
            out[key] = {name: compact_schema(_nested(sub, output), output) for name, sub in value.items()}
        elif key in NAME_MAPS and isinstance(value, dict):
            out[key] = {name: compact_schema(sub, output) for name, sub in value.items()}
        else:
            out[key] = compact_schema(value, output)
    if "const" in out and isinstance(out.get("type"), str):
        del out["type"]  # a const already fixes the type
    return _fold_nullable(out)


def inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """Replace local ``#/$defs/X`` references by the definitions themselves (non-recursive schemas only).

    Our models use each definition once or twice, so the schema barely grows, while validators
    (the SDK client checks every structured result) skip reference resolution on every call.
    """
    defs = schema.get("$defs")
    if not isinstance(defs, dict):
        return schema

    def resolve(node: Any, trail: tuple[str, ...]) -> Any:
        if isinstance(node, list):
            return [resolve(item, trail) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            name = ref.removeprefix("#/$defs/")
            if name in trail or name not in defs:
                raise ValueError(f"cannot inline recursive or missing definition {name!r}")
            siblings = {k: resolve(v, trail) for k, v in node.items() if k != "$ref"}
            return {**resolve(defs[name], (*trail, name)), **siblings}
        return {k: resolve(v, trail) for k, v in node.items() if k != "$defs"}

    return resolve(schema, ())


def _nested(schema: Any, output: bool) -> Any:
    """A model under $defs: its docstring repeats the property's description; in an output schema its
    ``required`` list adds nothing, since our models serialise every field every time."""
    drop = {"description", "required"} if output else {"description"}
    return {k: v for k, v in schema.items() if k not in drop} if isinstance(schema, dict) else schema


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
