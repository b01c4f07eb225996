"""Each catalog vendor's own case-severity name per P-level and environment, without loading the catalog.

``classify_severity`` reports these names for every vendor. Computing them needs the validated catalog,
whose models take ~10 ms to build in a fresh process, on the first call. So the whole table (P0-P3 by
production true / false / unknown) is derived once per content of the vendor and policy data and of
this package's code, kept as JSON in the user cache beside the data snapshots, and read from there after.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from escalation_kit.datafiles import load_derived
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
    return load_derived("case-names", sources, build)


def build() -> dict[str, list[list[str]]]:
    """Every (level, environment) row computed from the validated catalog."""
    from escalation_kit.vendors.path import case_severity_names as from_catalog

    return {_key(level, production): [list(pair) for pair in from_catalog(level, production).items()]
            for level in SEVERITIES for production in _PRODUCTION}
