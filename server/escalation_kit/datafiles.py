"""Load the kit's YAML data fast: a JSON snapshot per file content, made on first load and reused after.

The pure-Python YAML parser takes ~600 ms for the shipped data; libyaml's ``CSafeLoader`` ~70 ms;
``json.loads`` of the same data ~1 ms. So the first load of a file parses it with the C loader (the
pure one if libyaml is missing), checks that the JSON form decodes to exactly the same value, and
writes it to a cache keyed by a hash of the YAML text; every later load (any process) reads the JSON.
The key is the content itself, so an edited YAML file can never be served stale. Dates are kept as
dates (tagged in the JSON); data JSON cannot hold exactly (non-string keys, sets) is never cached.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import marshal
import os
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, TypeVar

T = TypeVar("T")
SNAPSHOT_VERSION = "1"
CACHE_ENV = "ESCALATION_KIT_CACHE_DIR"
_DATE, _DATETIME = "$date", "$datetime"


def load_yaml(source: str | Path | IO[str]) -> Any:
    """Parsed YAML from a path, an open text file or the text itself, through the JSON snapshot cache."""
    name, text = _read(source)
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
    snapshot = cache_dir() / f"{name}-{digest}.json"
    try:
        return decode(snapshot.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    data = parse_yaml(text)
    _save(snapshot, data)
    return data


def required(data: Any, path: Path, *keys: str) -> Any:
    """``data[k1][k2]...``, or a DataError naming the file and the dotted key that is missing."""
    from escalation_kit.errors import DataError

    node = data
    for key in keys:
        if not isinstance(node, dict) or key not in node:
            raise DataError(f"{path}: {'.'.join(keys)} is missing")
        node = node[key]
    return node


def parse_yaml(text: str) -> Any:
    """YAML with libyaml's safe loader when available, else PyYAML's pure-Python safe loader."""
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader


def load_checked(name: str, inputs: list[Path], build: Callable[[], T]) -> T:
    """``build()``'s value (data files parsed *and validated* into models), kept as a pickle snapshot.

    Validating the vendor catalog builds ~20 pydantic schemas (~15 ms) before the first check even
    runs; unpickling the validated objects needs none of them. The key is the content of every input
    (the data files and the modules defining the models), the Python and pydantic versions, so an
    edited file or model is never served stale. The snapshot folder is the user's own cache folder
    (as for the JSON snapshots); a missing, damaged or unreadable snapshot is simply rebuilt.
    """
    snapshot = cache_dir() / "checked" / f"{name}-{_inputs_digest(inputs)}.pickle"
    try:
        return pickle.loads(snapshot.read_bytes())  # noqa: S301 - our own snapshot in the user's cache folder
    except Exception:  # noqa: BLE001 - any unreadable snapshot (missing, truncated, old classes) is rebuilt
        pass
    value = build()
    with contextlib.suppress(pickle.PicklingError, TypeError, AttributeError):
        write_atomic(snapshot, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    return value


class Plain:
    """The runtime form of a validated model (see ``plain``): its fields as attributes, no pydantic class.

    A data file's schema model subclasses its plain counterpart, which holds the methods both use. The
    snapshot keeps the plain form, so a process that reads it never creates the schema classes
    (~0.2-0.3 ms each, 16 for the SLA policy, 17 for the vendor catalog, on a tool's first call).
    """

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and vars(other) == vars(self)

    __hash__ = None  # type: ignore[assignment] - mutable, as the models were

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in vars(self).items())})"


def plain(value: Any) -> Any:
    """``value`` with every model whose class derives from a ``Plain`` class turned into that class (the same
    fields, converted in turn); lists and dicts are converted inside, every other value is kept as it is."""
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    target = next((c for c in type(value).__mro__ if issubclass(c, Plain) and "__pydantic_fields__" not in vars(c)),
                  None)
    if target is None or target is type(value):
        return value
    out = object.__new__(target)
    out.__dict__.update({key: plain(item) for key, item in vars(value).items()})
    return out


def unplain(value: Any) -> Any:
    """The JSON-ready data of ``Plain`` objects (their fields, converted in turn); lists and dicts inside too."""
    if isinstance(value, Plain):
        return {key: unplain(item) for key, item in vars(value).items()}
    if isinstance(value, list):
        return [unplain(item) for item in value]
    if isinstance(value, dict):
        return {key: unplain(item) for key, item in value.items()}
    return value


def load_derived(name: str, inputs: list[Path], build: Callable[[], Any], extra: bytes = b"") -> Any:
    """``build()``'s JSON value (data derived from files by code), cached in the user cache folder.

    The key is the content of every input (data files and the modules that derive from them) plus
    ``extra``, so an edit to any of them derives afresh; a missing or damaged entry is rebuilt.
    The value is kept as JSON and, beside it, in ``marshal`` form (the same value, read first): the severity
    plan (1,100 group names, 170,000 characters of patterns) reads in 0.45 ms that way, 2.3 ms as JSON text.
    """
    target = derived_path(name, inputs, ".json", extra)
    fast = target.with_suffix(".marshal")  # same key: marshal's format is fixed by the Python version in it
    try:
        return marshal.loads(fast.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        pass
    try:
        value = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        value = build()
        write_atomic(target, json.dumps(value, ensure_ascii=False).encode("utf-8"))
        with contextlib.suppress(ValueError, TypeError):
            write_atomic(fast, marshal.dumps(json.loads(json.dumps(value, ensure_ascii=False))))
        return value
    with contextlib.suppress(ValueError, TypeError):
        write_atomic(fast, marshal.dumps(value))
    return value


def derived_path(name: str, inputs: list[Path], suffix: str, extra: bytes = b"") -> Path:
    """Where data derived from ``inputs`` (files and the modules deriving from them) is cached.

    The name holds a hash of every input's bytes plus ``extra``, so an edit to any of them names
    another file: a stale entry is never read, only left behind.
    """
    digest = hashlib.blake2b(_inputs_digest(inputs).encode() + b"|" + extra, digest_size=16).hexdigest()
    return cache_dir() / "derived" / f"{name}-{digest}{suffix}"


def write_atomic(target: Path, payload: bytes) -> None:
    """Write ``payload`` through a temporary file and a rename; a read-only cache is not an error."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(payload)
        os.replace(partial, target)
    except OSError:
        return


def _inputs_digest(inputs: list[Path]) -> str:
    """A hash of the inputs' names and bytes, the snapshot format, Python and pydantic versions."""
    from pydantic.version import VERSION as PYDANTIC

    # SHA-256, not BLAKE2: with the CPU's SHA instructions it hashes a 700 KB table in 0.4 ms, not 0.8 ms
    digest = hashlib.sha256(f"{SNAPSHOT_VERSION}|{sys.version}|{PYDANTIC}".encode())
    for path in inputs:
        digest.update(f"|{path.name}|".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def is_yaml_error(exc: BaseException) -> bool:
    """Whether ``exc`` is PyYAML's parse error, without importing yaml (a snapshot load never does)."""
    yaml = sys.modules.get("yaml")
    return yaml is not None and isinstance(exc, yaml.YAMLError)


def cache_dir() -> Path:
    """Where snapshots live: $ESCALATION_KIT_CACHE_DIR, else the user cache folder."""
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "escalation-kit" / f"data-v{SNAPSHOT_VERSION}"


def encode(data: Any) -> str:
    """JSON text for parsed YAML; raises ValueError when JSON cannot hold the value exactly."""
    return json.dumps({"tagged": _has_dates(data), "data": data}, ensure_ascii=False, default=_tag,
                      allow_nan=False, separators=(",", ":"))


def decode(text: str) -> Any:
    """The value ``encode`` wrote (dates restored only when the snapshot says it holds any)."""
    head = text[:16]
    if '"tagged":true' in head:
        return json.loads(text, object_hook=_untag)["data"]
    return json.loads(text)["data"]


def _read(source: str | Path | IO[str]) -> tuple[str, str]:
    if isinstance(source, Path):
        return source.stem, source.read_text(encoding="utf-8")
    if isinstance(source, str):
        return "text", source
    return Path(getattr(source, "name", "text")).stem, source.read()


def _save(snapshot: Path, data: Any) -> None:
    """Write the snapshot if it round-trips exactly; a read-only or missing cache is not an error."""
    try:
        text = encode(data)
        if decode(text) != data or not _same_types(decode(text), data):
            return
        write_atomic(snapshot, text.encode("utf-8"))
    except (ValueError, TypeError):
        return


def _same_types(a: Any, b: Any) -> bool:
    """Equal values can still differ in type (a tuple or a set would come back as a list): check them."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return all(isinstance(k, str) for k in b) and all(_same_types(a[k], b[k]) for k in b)
    if isinstance(a, list):
        return all(_same_types(x, y) for x, y in zip(a, b, strict=True))
    return True


def _has_dates(data: Any) -> bool:
    if isinstance(data, dt.date):
        return True
    if isinstance(data, dict):
        return any(_has_dates(v) for v in data.values())
    if isinstance(data, list):
        return any(_has_dates(v) for v in data)
    return False


def _tag(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {_DATETIME: value.isoformat()}
    if isinstance(value, dt.date):
        return {_DATE: value.isoformat()}
    raise TypeError(f"{type(value).__name__} has no exact JSON form")


def _untag(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        if _DATE in obj:
            return dt.date.fromisoformat(obj[_DATE])
        if _DATETIME in obj:
            return dt.datetime.fromisoformat(obj[_DATETIME])
    return obj
