"""The trigram tables load from a keyed snapshot that must read exactly as the text files do."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from escalation_kit import datafiles
from escalation_kit.language import ngrams
from escalation_kit.paths import references_dir

NAMES = ("cyrillic", "latin")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(datafiles.CACHE_ENV, str(tmp_path))
    return tmp_path


def _text_rows(name: str) -> tuple[tuple[str, ...], list[int], dict[str, list[int]]]:
    """The table read straight from the text file, the way the detector read it before snapshots."""
    langs: tuple[str, ...] = ()
    totals: list[int] = []
    rows: dict[str, list[int]] = {}
    path = references_dir() / "language" / f"{name}_trigrams.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            if "counts for" in line:
                langs = tuple(line.split("counts for", 1)[1].strip(" .").split())
            elif line.startswith("# totals "):
                totals = [int(x) for x in line[9:].split()]
            continue
        gram, _, counts = line.partition("\t")
        rows[gram] = [int(c) for c in counts.split("\t")]
    return langs, totals, rows


@pytest.mark.parametrize("name", NAMES)
def test_cold_and_warm_tables_equal_the_text_file(name: str, cache: Path):
    langs, totals, rows = _text_rows(name)
    assert len(rows) > 10_000
    for attempt in ("cold", "warm"):
        model = ngrams._Model(name)
        assert list(cache.glob(f"derived/trigrams-{name}-*.bin")), attempt
        assert model.langs == langs and model.totals == totals, attempt
        assert model.pool_total == sum(totals) + ngrams.SMOOTHING * len(rows), attempt
        assert all(model.counts_of(gram) == values for gram, values in rows.items()), attempt
        for absent in ("zzq", "^$$", "ab", "abcd", ""):
            if absent not in rows:
                assert model.counts_of(absent) is None, (attempt, absent)


@pytest.mark.parametrize("name", NAMES)
def test_rows_are_the_same_floats_as_from_the_text(name: str, cache: Path):
    _langs, totals, rows = _text_rows(name)
    model = ngrams._Model(name)
    pool_total = sum(totals) + ngrams.SMOOTHING * len(rows)
    for gram in list(rows)[::97]:
        pooled = (sum(rows[gram]) + ngrams.SMOOTHING) / pool_total
        expected = tuple(math.log((c + ngrams.PRIOR * pooled) / (n + ngrams.PRIOR))
                         for c, n in zip(rows[gram], totals, strict=True))
        assert model.row(gram) == expected


@pytest.mark.parametrize("damage", [b"", b"{}\n", b"not json\n\x00\x01", None])
def test_a_damaged_snapshot_is_rebuilt(damage: bytes | None, cache: Path):
    ngrams._Model("cyrillic")
    (snapshot,) = cache.glob("derived/trigrams-cyrillic-*.bin")
    blob = snapshot.read_bytes()
    snapshot.write_bytes(blob[:-2] if damage is None else damage)  # None: one count short
    model = ngrams._Model("cyrillic")
    _langs, _totals, rows = _text_rows("cyrillic")
    assert all(model.counts_of(gram) == values for gram, values in rows.items())
    assert snapshot.read_bytes() == blob  # written again whole


def test_the_key_follows_the_table_and_the_module(tmp_path: Path, cache: Path):
    table = tmp_path / "t.txt"
    table.write_text("# counts for en de.\n# totals 1 1\nabc\t1\t0\n", encoding="utf-8")
    module = Path(ngrams.__file__)
    first = datafiles.derived_path("trigrams-t", [table, module], ".bin")
    table.write_text("# counts for en de.\n# totals 1 1\nabc\t0\t1\n", encoding="utf-8")
    assert datafiles.derived_path("trigrams-t", [table, module], ".bin") != first


def test_a_malformed_table_is_refused():
    with pytest.raises(ValueError, match="malformed"):
        ngrams.parse_table("# counts for en de.\n# totals 1 1\nabcd\t1\t0\n")
    with pytest.raises(ValueError, match="malformed"):
        ngrams.parse_table("# counts for en de.\n# totals 1 1\nabc\t1\n")


def _text_words(name: str) -> dict[str, tuple[str, ...]]:
    """The word table read straight from its file, as the detector read it before snapshots."""
    out: dict[str, tuple[str, ...]] = {}
    langs: tuple[str, ...] = ()
    path = references_dir() / "language" / f"{name}_words.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("["):
            langs = tuple(line[1:-1].split())
        elif line and not line.startswith("#"):
            out.update(dict.fromkeys(line.split(), langs))
    return out


@pytest.mark.parametrize("name", NAMES)
def test_cold_and_warm_word_tables_equal_the_word_file(name: str, cache: Path):
    expected = _text_words(name)
    assert len(expected) > 10_000
    for attempt in ("cold", "warm"):
        ngrams._other_words.cache_clear()
        table = ngrams._other_words(name)
        assert list(cache.glob(f"derived/words-{name}-*.bin")), attempt
        assert len(table) == len(expected) and set(table) == expected.keys(), attempt
        assert all(table[word] == langs for word, langs in expected.items()), attempt
        for absent in ("", "the", "сервер", "a b", "доступу доступу"):
            assert absent not in table and table.get(absent) is None, (attempt, absent)
    ngrams._other_words.cache_clear()


def test_a_damaged_word_snapshot_is_rebuilt(cache: Path):
    ngrams._other_words.cache_clear()
    ngrams._other_words("cyrillic")
    (snapshot,) = cache.glob("derived/words-cyrillic-*.bin")
    blob = snapshot.read_bytes()
    snapshot.write_bytes(blob[:-3])
    ngrams._other_words.cache_clear()
    assert ngrams._other_words("cyrillic")["доступу"] == _text_words("cyrillic")["доступу"]
    assert snapshot.read_bytes() == blob
    ngrams._other_words.cache_clear()


def test_an_unwritable_cache_still_loads_the_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv(datafiles.CACHE_ENV, str(blocker))
    _langs, _totals, rows = _text_rows("cyrillic")
    model = ngrams._Model("cyrillic")
    assert all(model.counts_of(gram) == values for gram, values in list(rows.items())[::50])
    ngrams._other_words.cache_clear()
    assert ngrams._other_words("cyrillic")["доступу"] == _text_words("cyrillic")["доступу"]
    ngrams._other_words.cache_clear()
