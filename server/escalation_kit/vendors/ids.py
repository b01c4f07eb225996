"""Vendor ids and name normalisation without the catalog's models, for listing tools and resources cheaply."""

from __future__ import annotations

import re
from pathlib import Path

from escalation_kit.paths import references_dir

_SEPARATORS = re.compile(r"[\s_.]+")


def vendors_dir() -> Path:
    """Folder holding one YAML file per vendor."""
    return references_dir() / "vendors"


def vendor_ids() -> list[str]:
    """Catalog vendor ids, sorted: the vendor files' names (each file's id must match it), read without parsing."""
    return sorted(p.stem for p in vendors_dir().glob("*.yaml"))


def normalise(name: str) -> str:
    """Lower-case, and turn spaces, underscores and dots into hyphens: 'Google Cloud' -> 'google-cloud'."""
    return _SEPARATORS.sub("-", name.strip().lower())
