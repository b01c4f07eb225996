"""The cached case-severity table says what the catalog says, and follows edits to the data."""

from __future__ import annotations

from pathlib import Path

import pytest

from escalation_kit import datafiles
from escalation_kit.vendors import case_names
from escalation_kit.vendors.path import case_severity_names as from_catalog
from escalation_kit.vocab import SEVERITIES


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(datafiles.CACHE_ENV, str(tmp_path))
    case_names._table.cache_clear()
    yield tmp_path
    case_names._table.cache_clear()


@pytest.mark.parametrize("production", [True, False, None])
@pytest.mark.parametrize("level", SEVERITIES)
def test_cold_and_warm_tables_match_the_catalog(level: str, production: bool | None, _cache: Path) -> None:
    cold = case_names.case_severity_names(level, production)
    assert list(_cache.glob("derived/case-names-*.json")), "the table was not saved"
    case_names._table.cache_clear()
    warm = case_names.case_severity_names(level, production)
    assert cold == warm == from_catalog(level, production)
    assert len(cold) == 10 and all(cold.values())


def test_an_edited_vendor_file_gets_a_new_table(_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case_names.case_severity_names("P0")
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: real(self) + (b"\n#" if self.name == "aws.yaml" else b""))
    case_names._table.cache_clear()
    case_names.case_severity_names("P0")
    assert len(list(_cache.glob("derived/case-names-*.json"))) == 2
