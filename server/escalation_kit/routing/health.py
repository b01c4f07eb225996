"""The account health score of seed 001: four weighted categories (0-100), banded, missing inputs listed."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from escalation_kit.errors import InputError, quote
from escalation_kit.lean import new_list
from escalation_kit.routing.policy import load_routing_policy, ref


class HealthResult(BaseModel):
    score: float | None = Field(description="0-100; None when no input was given")
    band: str | None = None
    label: str | None = None
    partial: bool = Field(default=False, description="True when some categories were missing (weights renormalised)")
    missing: list[str] = Field(default_factory=new_list)
    source: str = ref("health")


def band_of(score: float) -> tuple[str, str]:
    for b in load_routing_policy()["health"]["bands"]:
        if score >= b["min"]:
            return b["band"], b["label"]
    raise InputError("health_score", f"{score} is below every band")


def compute_account_health(inputs: dict[str, Any]) -> HealthResult:
    """Weighted mean of the categories given (each 0-100); the missing ones are listed, not guessed."""
    weights: dict[str, float] = load_routing_policy()["health"]["weights"]
    unknown = sorted(set(inputs) - set(weights))
    if unknown:
        raise InputError("health", f"unknown categories {', '.join(unknown)}", allowed=list(weights))
    present = {}
    for name, value in inputs.items():
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
            raise InputError(f"health.{name}", f"{quote(value)} is not a score", allowed=["0 to 100"])
        present[name] = float(value)
    missing = [n for n in weights if n not in present]
    if not present:
        return HealthResult(score=None, missing=missing)
    total = sum(weights[n] for n in present)
    score = round(sum(weights[n] * v for n, v in present.items()) / total, 1)
    band, label = band_of(score)
    return HealthResult(score=score, band=band, label=label, partial=bool(missing), missing=missing)
