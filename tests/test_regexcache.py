"""Patterns built from cached code are the very patterns ``re.compile`` builds, and a bad cache only costs speed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from escalation_kit import datafiles, regexcache
from escalation_kit.severity import data

PATTERNS = [
    (r"(?<![A-Za-z0-9_])(?:(?P<a>down|outage)|(?P<b>не\s+работает))(?![A-Za-z])", re.IGNORECASE),
    (r"(?:所有用户|全部)[^。]{0,6}(?:无法|不能)", 0),
    (r"(?P<x>a)(?P<y>b)?c+?(?=d)", re.IGNORECASE | re.MULTILINE),
    (r"(?i)mixed inline flags \d{2,4}", 0),
]


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(datafiles.CACHE_ENV, str(tmp_path))
    return tmp_path


def _entries(cache: Path) -> list[Path]:
    return sorted((cache / "regex").glob("*.bin"))


@pytest.mark.parametrize(("pattern", "flags"), PATTERNS)
def test_cold_and_warm_builds_equal_re_compile(pattern: str, flags: int, _cache: Path):
    expected = re.compile(pattern, flags)
    cold = regexcache.compile(pattern, flags)
    assert len(_entries(_cache)) == 1, "the first build was not cached"
    warm = regexcache.compile(pattern, flags)
    # Pattern equality compares the flags, the source and the compiled code words.
    assert cold == expected and warm == expected
    assert warm.groupindex == expected.groupindex and warm.groups == expected.groups


def test_flags_are_part_of_the_key(_cache: Path):
    plain = regexcache.compile("abc")
    folded = regexcache.compile("abc", re.IGNORECASE)
    assert len(_entries(_cache)) == 2
    assert folded.match("ABC") and not plain.match("ABC")


@pytest.mark.parametrize("damage", [b"", b"not json\n\x00\x01", b'{"flags": 32, "size": 3}\n\x01\x00\x00\x00'])
def test_a_damaged_entry_falls_back_to_the_real_compiler(damage: bytes, _cache: Path):
    pattern = r"(?P<word>\w+)\s+(?P=word)"
    regexcache.compile(pattern)
    (entry,) = _entries(_cache)
    entry.write_bytes(damage)
    rebuilt = regexcache.compile(pattern)
    assert rebuilt == re.compile(pattern)
    assert rebuilt.search("it is is here").group("word") == "is"


def test_an_unwritable_cache_still_compiles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv(datafiles.CACHE_ENV, str(blocker))
    assert regexcache.compile("x+y") == re.compile("x+y")


def test_the_severity_lexicon_is_what_re_compile_builds(_cache: Path):
    """Cold (plan and code built) and warm (both read from the cache) lexicons equal plain compiles."""
    for attempt in ("cold", "warm"):
        data.lexicon.cache_clear()
        lex = data.lexicon()
        compiled = list(lex.regex.values()) + [p for ps in lex.pairs.values() for p in ps]
        assert len(compiled) >= 3, attempt
        assert all(p == re.compile(p.pattern, p.flags) for p in compiled), attempt
        assert set(lex.groups) >= {n for p in compiled for n in p.groupindex}, attempt
    assert list(_cache.glob("derived/severity-plan-*.json")), "the dispatch plan was not cached"
    data.lexicon.cache_clear()


LEXICON = "signals:\n  - {id: s, kind: impact, level: P1, patterns: {en: [WORD]}}\n"


def _lexicon_file(folder: Path, word: str) -> Path:
    """A one-signal lexicon file matching ``word``."""
    source = folder / "lexicon.yaml"
    source.write_text(LEXICON.replace("WORD", word), encoding="utf-8")
    return source


def test_the_plan_key_follows_the_lexicon(_cache: Path, tmp_path: Path):
    """The plan is keyed by the lexicon file's bytes: an edited file never gets the old plan."""
    first = data._cached_plan(_lexicon_file(tmp_path, "outage"))
    second = data._cached_plan(_lexicon_file(tmp_path, "blackout"))
    old, new = (re.compile(plan["regex"]["en"][0], plan["regex"]["en"][2]) for plan in (first, second))
    assert old.search("an Outage") and not old.search("a blackout")
    assert new.search("a Blackout") and not new.search("an outage")


def test_the_plan_key_follows_the_code_that_builds_it(_cache: Path, monkeypatch: pytest.MonkeyPatch):
    """An edit to severity/_trie.py (or data.py) must rebuild the cached plan, not serve the old one."""
    source = _lexicon_file(_cache, "outage")
    data._cached_plan(source)
    real = Path.read_bytes

    def edited(self: Path) -> bytes:
        return real(self) + (b"\n# edited" if self.name == "_trie.py" else b"")

    monkeypatch.setattr(Path, "read_bytes", edited)
    data._cached_plan(source)
    assert len(list(_cache.glob("derived/severity-plan-*.json"))) == 2


def test_a_pattern_set_is_one_entry_and_equals_re_compile(_cache: Path):
    cold = regexcache.compile_many(PATTERNS)
    assert len(_entries(_cache)) == 1, "the set was not cached as one entry"
    warm = regexcache.compile_many(PATTERNS)
    expected = [re.compile(p, f) for p, f in PATTERNS]
    assert cold == expected and warm == expected
    assert [p.groupindex for p in warm] == [p.groupindex for p in expected]
    assert regexcache.compile_many(PATTERNS[:2]) == expected[:2]  # another set is another entry
    assert len(_entries(_cache)) == 2


def test_a_damaged_set_entry_falls_back_to_the_real_compiler(_cache: Path):
    regexcache.compile_many(PATTERNS)
    (entry,) = _entries(_cache)
    head, _, body = entry.read_bytes().partition(b"\n")
    entry.write_bytes(head + b"\n" + body[:-4])  # one code word short
    assert regexcache.compile_many(PATTERNS) == [re.compile(p, f) for p, f in PATTERNS]


def test_the_redaction_patterns_are_what_re_compile_builds(_cache: Path):
    from escalation_kit.briefs import redact

    for attempt in ("cold", "warm"):
        redact.patterns.cache_clear()
        compiled = [p.regex for p in redact.patterns()]
        assert len(compiled) >= 20, attempt
        assert all(p == re.compile(p.pattern, p.flags) for p in compiled), attempt
    redact.patterns.cache_clear()


# Patterns whose pure-Python compile is slow enough to be kept (huge character classes), each new to ``re``'s cache.
SLOW = [(f"[\\u3400-\\u9fff\\u0400-\\u04ff]{{2}}{i}", 0) for i in range(3)] + [("(?i)[\\w\\u3400-\\u9fff]+x", 0)]


def _set_entry(name: str) -> regexcache._Served:
    return regexcache._Served(name)


def test_served_patterns_are_what_re_compile_builds_cold_and_warm(_cache: Path):
    from re import _compiler

    original = _compiler.compile
    for attempt in ("cold", "warm"):
        re.purge()
        with regexcache.served("t"):
            assert _compiler.compile is not original, attempt
            got = [re.compile(p, f) for p, f in SLOW]
        assert _compiler.compile is original, attempt  # restored when the block ends
        re.purge()
        assert got == [re.compile(p, f) for p, f in SLOW], attempt
        assert [p.groupindex for p in got] == [re.compile(p, f).groupindex for p, f in SLOW]
    assert {key for key in _set_entry("t").known} >= {(p, f) for p, f in SLOW}


def test_a_served_set_is_read_back_and_used(_cache: Path, monkeypatch: pytest.MonkeyPatch):
    from re import _parser

    re.purge()
    with regexcache.served("t"):
        re.compile(*SLOW[0])
    re.purge()
    parsed: list[str] = []
    real = _parser.parse
    monkeypatch.setattr(_parser, "parse", lambda p, f=0, *a: parsed.append(p) or real(p, f, *a))
    with regexcache.served("t"):
        again = re.compile(*SLOW[0])
    assert SLOW[0][0] not in parsed  # served from the set's code, never parsed again
    monkeypatch.setattr(_parser, "parse", real)
    re.purge()
    assert again == re.compile(*SLOW[0])


def test_serving_is_for_the_thread_inside_the_block_only(_cache: Path):
    import threading

    re.purge()
    with regexcache.served("t"):
        other = threading.Thread(target=lambda: re.compile(*SLOW[1]))
        other.start()
        other.join()
    assert (SLOW[1][0], 0) not in _set_entry("t").known  # another thread's compile is not this set's


def test_fast_patterns_and_a_damaged_set_cost_nothing_but_speed(_cache: Path):
    re.purge()
    with regexcache.served("t"):
        assert re.compile("ab+c") == re.compile("ab+c")
    assert ("ab+c", 0) not in _set_entry("t").known  # too quick to be worth keeping
    with regexcache.served("t"):
        re.compile(*SLOW[2])
    entry = _set_entry("t").path
    assert entry is not None and entry.exists()
    entry.write_bytes(entry.read_bytes()[:-4])  # one code word short
    re.purge()
    with regexcache.served("t"):
        assert re.compile(*SLOW[2]) == re.compile(*SLOW[2])
