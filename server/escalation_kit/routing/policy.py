"""Read references/policy/routing.yaml once."""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml

from escalation_kit.errors import DataError
from escalation_kit.paths import references_dir

FILE = "policy/routing.yaml"


@cache
def load_routing_policy() -> dict[str, Any]:
    path = references_dir() / FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key in ("tiers", "severity_tier", "urgency", "floors", "executive_levels", "executive_triggers", "teams",
                "health"):
        if key not in data:
            raise DataError(f"{path}: section {key!r} is missing")
    return data


def ref(rule_id: str) -> str:
    return f"policy:routing.yaml#{rule_id}"
