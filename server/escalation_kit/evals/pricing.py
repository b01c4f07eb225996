"""Token cost from ``evals/prices.yaml`` (USD per million tokens, with the page they came from)."""

from __future__ import annotations

from escalation_kit.evals.data import prices
from escalation_kit.evals.transcript import Usage


def price_for(model: str) -> dict[str, float] | None:
    """The price row for ``model``: exact id first, then the longest listed prefix (dated ids)."""
    table = prices()["models"]
    if model in table:
        return table[model]
    keys = sorted((k for k in table if model.startswith(k)), key=len, reverse=True)
    return table[keys[0]] if keys else None


def cost_usd(model: str | None, usage: Usage, batch: bool = False) -> float | None:
    """Cost of ``usage`` on ``model``; None when the model has no listed price."""
    row = price_for(model) if model else None
    if row is None:
        return None
    per = 1e-6 * (prices()["batch_discount"] if batch else 1.0)
    return per * (usage.input_tokens * row["input"] + usage.output_tokens * row["output"]
                  + usage.cache_creation_input_tokens * row["cache_write_5m"]
                  + usage.cache_read_input_tokens * row["cache_read"])


def prices_source() -> str:
    data = prices()
    return f"{data['source']} (checked {data['checked']}{', unverified' if data.get('unverified') else ''})"


def accepts_temperature(model: str) -> bool:
    """Does the model still take ``temperature``? Unknown models: no (sending it can be a 400)."""
    row = price_for(model)
    return bool(row and row.get("accepts_temperature"))


def sampling_args(model: str, temperature: float | None) -> dict:
    """``extra_body`` carrying the temperature where the model accepts it (SDK 2.12 has no such argument)."""
    if temperature is None or not accepts_temperature(model):
        return {}
    return {"extra_body": {"temperature": temperature}}
