"""Load the harness's data files from ``evals/`` (grading word lists, model prices) once."""

from __future__ import annotations

from functools import cache
from typing import Any

from escalation_kit.datafiles import load_yaml
from escalation_kit.paths import evals_dir


@cache
def grading_config() -> dict[str, Any]:
    """Word lists for placeholders, severity overrides, deadline lines and time-zone names."""
    data = load_yaml(evals_dir() / "grading.yaml")
    data["placeholders"] = frozenset(data["placeholders"])
    return data


@cache
def prices() -> dict[str, Any]:
    """Model prices per million tokens, with their source (``evals/prices.yaml``)."""
    return load_yaml(evals_dir() / "prices.yaml")
