"""Read references/policy/routing.yaml once (through the JSON snapshot cache, like every data file)."""

from __future__ import annotations

from functools import cache
from typing import Any

from escalation_kit.datafiles import load_yaml
from escalation_kit.errors import DataError
from escalation_kit.paths import references_dir

FILE = "policy/routing.yaml"


@cache
def load_routing_policy() -> dict[str, Any]:
    path = references_dir() / FILE
    data = load_yaml(path)
    for section in ("tiers", "executive_levels"):  # numbered levels; JSON snapshots keep keys as text
        data[section] = {int(k): v for k, v in data.get(section, {}).items()}
    for key in ("tiers", "severity_tier", "urgency", "next_tier", "floors", "executive_levels", "executive_triggers",
                "teams", "health"):
        if key not in data:
            raise DataError(f"{path}: section {key!r} is missing")
    return data


def ref(rule_id: str) -> str:
    return f"policy:routing.yaml#{rule_id}"
