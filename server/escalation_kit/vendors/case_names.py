"""Each catalog vendor's own case-severity name per P-level and environment, without loading the catalog.

``classify_severity`` reports these names for every vendor. Computing them needs the validated catalog,
whose models take ~10 ms to build in a fresh process, on the first call. So the whole table (P0-P3 by
production true / false / unknown) is derived once per content of the vendor and policy data and of
this package's code, kept as JSON in the user cache beside the data snapshots, and read from there after.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import cache
from pathlib import Path

from escalation_kit.datafiles import cache_dir
from escalation_kit.paths import references_dir
from escalation_kit.vocab import SEVERITIES, Severity

_PRODUCTION = (True, False, None)


def case_severity_names(severity: Severity, production: bool | None = None) -> dict[str, str]:
    """The vendor's own case-severity name per catalog vendor on its default plan (a fresh dict per call)."""
    return dict(_table()[_key(severity, production)])


def _key(severity: str, production: bool | None) -> str:
    return f"{severity}|{production}"


@cache
def _table() -> dict[str, list[list[str]]]:
    """The full table, from the cache when its key matches the data and code, else built and saved."""
    data = references_dir()
    sources = [*sorted((data / "vendors").glob("*.yaml")), *sorted((data / "policy").glob("*.yaml")),
               *sorted(Path(__file__).parent.glob("*.py"))]
    digest = hashlib.blake2b(digest_size=16)
    for source in sources:
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    target = cache_dir() / f"case-names-{digest.hexdigest()}.json"
    try:
        return json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    table = build()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(table, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, target)
    except OSError:  # a read-only cache only costs speed
        pass
    return table


def build() -> dict[str, list[list[str]]]:
    """Every (level, environment) row computed from the validated catalog."""
    from escalation_kit.vendors.path import case_severity_names as from_catalog

    return {_key(level, production): [list(pair) for pair in from_catalog(level, production).items()]
            for level in SEVERITIES for production in _PRODUCTION}
