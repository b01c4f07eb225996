"""A fresh tracker on a real SQLite file in a temporary ESCALATION_KIT_HOME for every test."""

from __future__ import annotations

import pytest


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("ESCALATION_KIT_HOME", str(tmp_path))
    monkeypatch.delenv("ESCALATION_KIT_DB_URL", raising=False)
    return tmp_path
