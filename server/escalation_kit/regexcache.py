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
import contextlib
import hashlib
import json
import re
import sys
import threading
import time
from collections.abc import Callable, Iterator
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
        if len(metas) != count:
            return None
        return _load_blob(blob, cut, metas)
    except (OSError, ValueError, KeyError, TypeError, StopIteration):
        return None


def _load_blob(blob: bytes, cut: int, metas: list[dict[str, Any]]) -> list[Parts] | None:
    """Each pattern's parts from an entry's bytes, its header (already parsed) ending at ``cut``."""
    code = memoryview(blob)[cut + 1:].cast(_typecode())
    if len(code) != sum(meta["size"] for meta in metas):
        return None
    out, at = [], 0
    for meta in metas:
        out.append((meta["flags"], code[at:at + meta["size"]].tolist(), meta["groups"], meta["groupindex"],
                    tuple(meta["indexgroup"])))
        at += meta["size"]
    return out


def _meta(parts: Parts) -> dict[str, Any]:
    """An entry's header for one pattern's parts (its code words follow the header, in order)."""
    flags, code, groups, groupindex, indexgroup = parts
    return {"flags": flags, "size": len(code), "groups": groups, "groupindex": groupindex,
            "indexgroup": list(indexgroup)}


def _save(path: Path, all_parts: list[Parts]) -> None:
    """Write an entry atomically (temp file + rename); a read-only cache just stays cold."""
    metas = [_meta(parts) for parts in all_parts]
    try:
        body = array.array(_typecode(), [word for parts in all_parts for word in parts[1]]).tobytes()
    except (ValueError, OverflowError, StopIteration):
        return
    write_atomic(path, json.dumps(metas).encode("utf-8") + b"\n" + body)


# ``served``: patterns that ``re`` compiles itself (module-level ``re.compile`` in our cores and in Jinja2),
# served from cached code while a tool's first call or warm-up step runs.
SERVED_MAX = 64  # patterns kept per set; one a first call compiles from input could not grow a set past it
SERVED_MIN_MS = 0.1  # a pattern compiled faster than this from source is not worth a place in the set
SERVED_MAX_WORDS = 16_384  # nor one this large: a big pattern goes through ``compile`` (an entry of its own)
_served_lock = threading.Lock()
_serving: dict[int, _Served] = {}  # thread id -> its active set
_original: Callable[..., Any] | None = None  # ``re._compiler.compile`` as ``re`` defines it (kept once seen)


class _Served:
    """One named set of patterns: the code read from its entry, and what this scope compiled afresh."""

    def __init__(self, name: str) -> None:
        self.path = _entry_path(f"served\0{name}", -2)
        self.known: dict[tuple[str, int], Parts] = {}
        self.used: dict[tuple[str, int], Parts] = {}
        self.added = False
        if self.path is not None:
            self._read()

    def _read(self) -> None:
        """The set's patterns and their parts (a missing or damaged entry is an empty set)."""
        try:
            blob = self.path.read_bytes()  # type: ignore[union-attr]
            cut = blob.index(b"\n")
            head = json.loads(blob[:cut])
            parts = _load_blob(blob, cut, [meta for _, meta in head])
        except (OSError, ValueError, KeyError, TypeError):
            return
        if parts is not None:
            self.known = {(pattern, flags): part for (pattern, flags), part in
                          zip((tuple(key) for key, _ in head), parts, strict=True)}

    def save(self) -> None:
        """Rewrite the entry when this scope compiled a pattern the set lacked."""
        if not self.added or self.path is None:
            return
        kept = list({**self.known, **self.used}.items())[-SERVED_MAX:]
        metas = [[list(key), _meta(parts)] for key, parts in kept]
        try:
            body = array.array(_typecode(), [word for _, parts in kept for word in parts[1]]).tobytes()
        except (ValueError, OverflowError, StopIteration):
            return
        write_atomic(self.path, json.dumps(metas).encode("utf-8") + b"\n" + body)


def _serve(pattern: Any, flags: int = 0) -> Any:
    """``re._compiler.compile`` for the scope of this thread: a known pattern from its cached code."""
    original = _original  # set before ``_serve`` is first installed, never unset
    assert original is not None
    scope = _serving.get(threading.get_ident())
    if scope is None or not isinstance(pattern, str) or flags & re.DEBUG:
        return original(pattern, flags)
    import _sre
    from re import _compiler, _parser

    key = (pattern, int(flags))
    parts = scope.known.get(key)
    if parts is not None:
        try:
            compiled = _sre.compile(pattern, *parts)
        except Exception:  # noqa: BLE001 - a bad entry must cost speed, never correctness
            return original(pattern, flags)
        scope.used[key] = parts
        return compiled
    start = time.perf_counter()
    try:
        parsed = _parser.parse(pattern, flags)
        parts = _assemble(parsed, _compiler._code(parsed, flags), flags)
        compiled = _sre.compile(pattern, *parts)
    except Exception:  # noqa: BLE001 - internals changed (or a bad pattern): the original decides
        return original(pattern, flags)
    if ((time.perf_counter() - start) * 1000 >= SERVED_MIN_MS and len(parts[1]) <= SERVED_MAX_WORDS
            and len(scope.used) < SERVED_MAX):
        scope.used[key] = parts
        scope.added = True
    return compiled


@contextlib.contextmanager
def served(name: str) -> Iterator[None]:
    """While the block runs, ``re`` compiles the patterns this thread compiled under ``name`` before from cached code.

    Module-level ``re.compile`` calls parse and assemble in pure Python: the severity engine's three
    CJK and word classes take 3.2 ms, Jinja2's twelve 2.4 ms, on each tool's first call. ``re`` keeps its own
    cache and checks; only its compile step (``re._compiler.compile``) is stood in for, for the threads inside
    a ``served`` block, and only for patterns this set holds code for (parsed by the same interpreter, checked
    by ``_sre``); any other pattern is compiled as ``re`` would and, if it took ``SERVED_MIN_MS``, kept for
    next time. The answers cannot change: the pattern objects are those ``re`` builds.
    """
    global _original
    try:
        from re import _compiler

        scope = _Served(name)
    except Exception:  # noqa: BLE001 - another implementation: nothing to serve
        yield
        return
    ident = threading.get_ident()
    with _served_lock:
        if _original is None and _compiler.compile is not _serve:
            _original = _compiler.compile
        if ident in _serving or _compiler.compile not in (_original, _serve):  # nested, or someone else's patch
            scope = None
        else:
            _serving[ident] = scope
            _compiler.compile = _serve
    try:
        yield
    finally:
        if scope is not None:
            with _served_lock:
                del _serving[ident]
                if not _serving and _compiler.compile is _serve:
                    _compiler.compile = _original
            scope.save()

