"""The JSON snapshots of the YAML data decode to exactly what PyYAML's safe loader gives, and never go stale."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from escalation_kit import datafiles

REPO = Path(__file__).resolve().parents[1]
YAML_FILES = sorted(p for folder in ("references", "prompts", "evals") for p in (REPO / folder).rglob("*.yaml"))


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(datafiles.CACHE_ENV, str(tmp_path))
    return tmp_path


def test_there_is_data_to_check():
    assert len(YAML_FILES) >= 15


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_snapshot_matches_the_yaml(path: Path, _cache: Path):
    expected = yaml.safe_load(path.read_text(encoding="utf-8"))
    first = datafiles.load_yaml(path)  # parses and writes the snapshot
    assert first == expected
    snapshots = list(_cache.glob(f"{path.stem}-*.json"))
    assert len(snapshots) == 1, "a snapshot was not written"
    second = datafiles.load_yaml(path)  # reads the snapshot
    assert second == expected and datafiles._same_types(second, expected)


def test_an_edited_file_is_never_served_stale(tmp_path: Path):
    data = tmp_path / "data.yaml"
    data.write_text("a: 1\n")
    assert datafiles.load_yaml(data) == {"a": 1}
    data.write_text("a: 2\n")
    assert datafiles.load_yaml(data) == {"a": 2}


def test_dates_survive_and_inexact_data_is_not_cached(_cache: Path):
    text = "checked: 2026-01-05\nat: 2026-01-05T10:00:00Z\n"
    assert datafiles.load_yaml(text) == yaml.safe_load(text)
    again = datafiles.load_yaml(text)
    assert isinstance(again["checked"], dt.date) and isinstance(again["at"], dt.datetime)
    odd = "1: int key\n"
    assert datafiles.load_yaml(odd) == {1: "int key"}
    assert datafiles.load_yaml(odd) == {1: "int key"}
    assert len(list(_cache.glob("*.json"))) == 1  # only the dated file was cached


def test_open_files_and_text_are_accepted(tmp_path: Path):
    path = tmp_path / "x.yaml"
    path.write_text("- 1\n- two\n")
    with path.open(encoding="utf-8") as fh:
        assert datafiles.load_yaml(fh) == [1, "two"]
    assert datafiles.load_yaml("- 1\n- two\n") == [1, "two"]
