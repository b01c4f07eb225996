"""Helpers shared by the tracker tests: a fixed start time and offsets from it."""

from __future__ import annotations

from datetime import datetime, timedelta

T0 = "2026-03-06T10:00:00+00:00"


def at(minutes: float) -> str:
    """T0 plus ``minutes``, as ISO text."""
    return (datetime.fromisoformat(T0) + timedelta(minutes=minutes)).isoformat()
