"""Shared fixtures of the MCP adapter's tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from escalation_kit import datafiles
from escalation_kit.mcp import published


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache folder for the published tool forms, with the in-process entry cache cleared around."""
    monkeypatch.setenv(datafiles.CACHE_ENV, str(tmp_path))
    published._entries.cache_clear()
    yield tmp_path
    published._entries.cache_clear()
