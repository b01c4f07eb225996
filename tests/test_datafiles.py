"""The JSON snapshots of the YAML data decode to exactly what PyYAML's safe loader gives, and never go stale."""

from __future__ import annotations

import datetime as dt
import json
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


def test_checked_snapshot_returns_the_built_value_and_follows_its_inputs(tmp_path: Path, _cache: Path):
    """load_checked builds once, then unpickles; any change to an input's bytes builds again."""
    data = tmp_path / "in.yaml"
    data.write_text("a: 1\n", encoding="utf-8")
    calls: list[int] = []

    def build() -> dict:
        calls.append(1)
        return {"value": datafiles.load_yaml(data), "when": dt.date(2026, 1, 2)}

    first = datafiles.load_checked("probe", [data], build)
    again = datafiles.load_checked("probe", [data], build)
    assert first == again == {"value": {"a": 1}, "when": dt.date(2026, 1, 2)} and len(calls) == 1
    data.write_text("a: 2\n", encoding="utf-8")
    assert datafiles.load_checked("probe", [data], build)["value"] == {"a": 2} and len(calls) == 2
    for snapshot in (_cache / "checked").iterdir():
        snapshot.write_bytes(b"not a pickle")
    assert datafiles.load_checked("probe", [data], build)["value"] == {"a": 2} and len(calls) == 3


def test_validated_catalog_and_policies_from_snapshots_equal_a_fresh_validation(_cache: Path):
    """The vendor catalog, both vendor policies and the SLA policy read from their snapshots are equal
    to validating the YAML again, object for object."""
    from escalation_kit.sla import policy as sla_policy
    from escalation_kit.vendors import catalog as vc

    loaders = [vc.load_catalog, vc.load_policy, vc.load_fact_defaults, sla_policy.load_sla_policy]
    fresh = []
    for load in loaders:
        load.cache_clear()
        fresh.append(load())  # validates the YAML and writes the snapshot into the empty cache
        load.cache_clear()
    assert len(list((_cache / "checked").iterdir())) == len(loaders)
    for load, built in zip(loaders, fresh, strict=True):
        snap = load()  # read back from the snapshot
        assert snap is not built and snap == built, load.__name__
        load.cache_clear()
    assert fresh[0]["aws"].plans and fresh[3].default_targets


def test_derived_data_is_the_json_value_cold_and_warm(tmp_path, monkeypatch):
    """``load_derived`` gives build()'s value, then (its marshal entry, else its JSON) the value JSON gives back."""
    from escalation_kit import datafiles

    monkeypatch.setenv(datafiles.CACHE_ENV, str(tmp_path))
    source = tmp_path / "source.txt"
    source.write_text("x")
    built = {"names": {"a_0": 1}, "parts": ("p", 2, None, 1.5, True), "text": "не работает 全部"}
    calls: list[int] = []

    def load():
        return datafiles.load_derived("t", [source], lambda: calls.append(1) or built)

    cold, warm = load(), load()
    assert cold is built and calls == [1]
    assert warm == json.loads(json.dumps(built)) and isinstance(warm["parts"], list)
    (fast,) = (tmp_path / "derived").glob("t-*.marshal")
    (text,) = (tmp_path / "derived").glob("t-*.json")
    fast.write_bytes(b"\x00damaged")
    assert load() == warm and calls == [1]  # read from the JSON, the marshal entry rewritten
    assert load() == warm and fast.read_bytes() != b"\x00damaged"
    fast.unlink()
    text.write_text("{damaged")
    assert load() is built and calls == [1, 1]
