"""Confidence that means something: how often answers with the same evidence were right, less the drop on new text.

The evidence of an answer is the rule that decided it, how many of scope/production/workaround were
unknown, whether the text pointed two ways (several impact readings), whether it was thin (at most one
counted signal) and whether facts were given. ``references/severity/calibration.json`` holds, per kind of
evidence, the accuracy measured on tuning data, shrunk and less the measured generalisation drop (fitted by
``benchmarks/calibrate_severity.py``, never on the blind split); a kind never seen falls back to its rule,
then to all answers.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any, NamedTuple

from escalation_kit.paths import references_dir

FLOOR, CEILING = 0.2, 0.95


class Evidence(NamedTuple):
    """What an answer rests on; the calibration table is keyed by it."""

    rule: str
    assumed: int
    conflict: bool
    thin: bool
    facts: int

    def key(self) -> str:
        return f"{self.rule}|a{min(self.assumed, 2)}|c{int(self.conflict)}|t{int(self.thin)}|f{min(self.facts, 1)}"


@cache
def calibration() -> dict[str, Any]:
    """The fitted table: {"cells": {key: p}, "rules": {rule: p}, "global": p, ...provenance}."""
    return json.loads((references_dir() / "severity" / "calibration.json").read_text(encoding="utf-8"))


def confidence(evidence: Evidence) -> float:
    """The calibrated confidence for this evidence, between FLOOR and CEILING."""
    table = calibration()
    value = table["cells"].get(evidence.key())
    if value is None:
        value = table["rules"].get(evidence.rule, table["global"])
    value = min(value, table.get("ceilings", {}).get(evidence.rule, CEILING))
    return round(min(CEILING, max(FLOOR, value)), 2)
