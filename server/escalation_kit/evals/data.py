"""Load the harness's data files from ``evals/`` (grading word lists, model prices) once."""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml

from escalation_kit.paths import evals_dir


@cache
def grading_config() -> dict[str, Any]:
    """Word lists for placeholders, severity overrides, deadline lines and time-zone names."""
    data = yaml.safe_load((evals_dir() / "grading.yaml").read_text(encoding="utf-8"))
    data["placeholders"] = frozenset(data["placeholders"])
    return data


@cache
def prices() -> dict[str, Any]:
    """Model prices per million tokens, with their source (``evals/prices.yaml``)."""
    return yaml.safe_load((evals_dir() / "prices.yaml").read_text(encoding="utf-8"))
