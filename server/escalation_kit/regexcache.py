"""Compile large regexes in about a millisecond: CPython's assembled pattern code, cached on disk.

``re.compile`` of the severity lexicon (about 150,000 characters of patterns) takes ~200 ms, nearly
all of it in the pure-Python parser and code generator (``re._parser``, ``re._compiler``); the final
C step is fast. This module runs those two steps once per machine and interpreter, stores the
resulting opcode array and group tables in the user cache (next to the data snapshots), and later
hands them straight to ``_sre.compile``. The key holds the pattern, the flags and the exact
interpreter build, so a cached entry is never used by another Python; ``_sre`` validates the code it
is given. Any surprise (another implementation, a changed internal signature, a damaged file) falls
back to ``re.compile``: the cache may cost speed, never correctness.
"""

from __future__ import annotations

import array
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

from escalation_kit.datafiles import cache_dir, write_atomic

FORMAT = "1"
# The arguments after ``pattern`` that ``_sre.compile`` takes: flags, code, groups, groupindex, indexgroup.
Parts = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:  # noqa: A001 - mirrors re.compile
    """``re.compile(pattern, flags)``, built from cached pattern code when this interpreter has it."""
    return compile_many([(pattern, flags)])[0]


def compile_many(specs: list[tuple[str, int]]) -> list[re.Pattern[str]]:
    """``[re.compile(p, f) for p, f in specs]``, cached as one entry: one file read for a whole pattern set.

    A set of ~40 patterns read one entry each costs ~40 file opens and hashes (about 1 ms); one entry
    for the set costs one. The key holds every pattern and flag in order, so any edit builds afresh.
    """
    specs = [(pattern, int(flags)) for pattern, flags in specs]
    try:
        import _sre
        from re import _compiler, _parser
    except ImportError:
        return [re.compile(pattern, flags) for pattern, flags in specs]
    path = _entry_path("\0".join(f"{flags}\0{pattern}" for pattern, flags in specs), -1)
    cached = _load(path, len(specs)) if path is not None else None
    if cached is not None:
        try:
            return [_sre.compile(pattern, *parts) for (pattern, _), parts in zip(specs, cached, strict=True)]
        except Exception:  # noqa: BLE001 - a bad entry must cost speed, never correctness
            pass
    try:
        all_parts = []
        for pattern, flags in specs:
            parsed = _parser.parse(pattern, flags)
            all_parts.append(_assemble(parsed, _compiler._code(parsed, flags), flags))
        compiled = [_sre.compile(pattern, *parts) for (pattern, _), parts in zip(specs, all_parts, strict=True)]
    except Exception:  # noqa: BLE001 - internals changed: the public compiler is always right
        return [re.compile(pattern, flags) for pattern, flags in specs]
    if path is not None:
        _save(path, all_parts)
    return compiled


def _assemble(parsed: Any, code: list[int], flags: int) -> Parts:
    """The arguments after ``pattern`` that ``re._compiler.compile`` passes to ``_sre.compile``."""
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup)


def _entry_path(pattern: str, flags: int) -> Path | None:
    """Cache file for this pattern on this exact interpreter; None when it cannot be keyed."""
    if sys.implementation.name != "cpython":
        return None
    import _sre

    key = "\0".join((FORMAT, sys.version, str(_sre.MAGIC), str(_sre.CODESIZE), str(flags), pattern))
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    return cache_dir() / "regex" / f"{digest}.bin"


def _typecode() -> str:
    """An ``array`` type code whose items are as wide as ``_sre``'s code words."""
    import _sre

    return next(t for t in "IL" if array.array(t).itemsize == _sre.CODESIZE)


def _load(path: Path, count: int) -> list[Parts] | None:
    """An entry: one JSON header line listing each pattern's parts, then all code words in order.

    The code words are read through a memoryview of the file's bytes, so the ~1 MB of the severity
    lexicon's code is converted to the list ``_sre`` needs once, with no intermediate copies (the
    header split, an array and per-pattern slices cost ~2 ms of a 5 ms load).
    """
    try:
        blob = path.read_bytes()
        cut = blob.index(b"\n")
        metas = json.loads(blob[:cut])
        code = memoryview(blob)[cut + 1:].cast(_typecode())
        if len(metas) != count or len(code) != sum(meta["size"] for meta in metas):
            return None
        out, at = [], 0
        for meta in metas:
            out.append((meta["flags"], code[at:at + meta["size"]].tolist(), meta["groups"], meta["groupindex"],
                        tuple(meta["indexgroup"])))
            at += meta["size"]
        return out
    except (OSError, ValueError, KeyError, TypeError, StopIteration):
        return None


def _save(path: Path, all_parts: list[Parts]) -> None:
    """Write an entry atomically (temp file + rename); a read-only cache just stays cold."""
    metas = [{"flags": flags, "size": len(code), "groups": groups, "groupindex": groupindex,
              "indexgroup": list(indexgroup)} for flags, code, groups, groupindex, indexgroup in all_parts]
    try:
        body = array.array(_typecode(), [word for parts in all_parts for word in parts[1]]).tobytes()
    except (ValueError, OverflowError, StopIteration):
        return
    write_atomic(path, json.dumps(metas).encode("utf-8") + b"\n" + body)
