"""A first call scans the lexicon by first-edge chunks: the matches are exactly the whole regexes' matches."""

from __future__ import annotations

from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from escalation_kit.severity import _trie, data, match

SAMPLES = [
    "Production database down, all customers cannot check out",
    "База данных недоступна, пользователи не могут войти; не работает у всех клиентов",
    "生产环境数据库宕机，所有用户无法登录，預覽Demo中",
    "API не работает, 全部用户 cannot log in, no impact to customers ... ſervice down KELVIN",
]


def _found(matches) -> list[tuple[int, int, str | None]]:
    return [(m.start(), m.end(), m.lastgroup) for m in matches]


def _same(lex: data.Lexicon, text: str) -> None:
    """Every language's chunks (lexicon and pairs) find what the whole regexes find in ``text``."""
    for lang in data.LANGUAGES:
        chunked = lex.chunks[lang]
        assert chunked is not None, lang
        assert _found(chunked.finditer(text)) == _found(lex.regex[lang].finditer(text)), (lang, text)
        for cut, whole in zip(lex.pair_chunks[lang], lex.pairs[lang], strict=True):
            assert cut is not None, lang
            assert _found(cut.finditer(text)) == _found(whole.finditer(text)), (lang, text)


def test_chunks_find_what_the_whole_regexes_find_on_every_corpus_text(bench: ModuleType) -> None:
    lex = data.lexicon()
    texts = SAMPLES + [i["text"] for i in bench.load_corpus()] + [i["text"] for i in bench.load_items()]
    table = data.traditional_to_simplified()
    for text in texts:
        _same(lex, text)
        _same(lex, text.translate(table))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aAdDcCpPsSoO nNtTuUwW-'_ 0,.днеНЕ全部用户数据ſK")), max_size=60))
def test_chunks_find_what_the_whole_regexes_find_on_generated_text(text: str) -> None:
    _same(data.lexicon(), text)


def test_a_first_call_scans_by_chunks_and_later_ones_by_the_whole_regex() -> None:
    data.lexicon.cache_clear()
    try:
        lex = data.lexicon()
        first = match.find_signals(SAMPLES[0], "en")
        assert not lex.regex.loaded("en") and not lex.pairs.loaded("en")
        assert lex.chunks["en"].used
        second = match.find_signals(SAMPLES[0], "en")
        assert lex.regex.loaded("en") and lex.pairs.loaded("en")
        assert first == second and first
    finally:
        data.lexicon.cache_clear()


def test_a_long_text_and_a_preloaded_language_use_the_whole_regex() -> None:
    data.lexicon.cache_clear()
    try:
        lex = data.lexicon()
        match.find_signals("database down " * (data.CHUNK_SCAN_CHARS // 10), "en")
        assert lex.regex.loaded("en") and not lex.chunks["en"].used
        data.preload(("ru",))
        match.find_signals(SAMPLES[1], "ru")
        assert lex.regex.loaded("ru") and not lex.chunks["ru"].used
    finally:
        data.lexicon.cache_clear()


def test_no_chunks_without_a_leading_literal_or_for_the_dispatch_form() -> None:
    assert _trie.chunks([("a", r"\w+ down")]) is None
    assert data._chunks("en", [("a", "down")], "(?:down)", 2) is None
    assert data._chunks("en", [("a", "down"), ("b", "Dim")], data._WRAP["en"].format("x"), 0) is None  # groups differ


@pytest.mark.parametrize("lang", data.LANGUAGES)
def test_the_shipped_lexicon_has_chunks(lang: str) -> None:
    lex = data.lexicon()
    assert lex.chunks[lang] is not None and all(cut is not None for cut in lex.pair_chunks[lang])


def test_a_word_loads_only_the_alternatives_its_second_character_allows() -> None:
    """Below the first character an edge is cut again: a word's regex holds the alternatives starting with its
    second character and the leaves, a fraction of the edge (what a first call reads and hands to ``_sre``)."""
    chunked = data.lexicon().chunks["en"]
    assert sum(len(edge) == 5 for edge in chunked._cut) >= len(chunked._cut) // 2
    index = chunked._index["p"]
    edge = chunked._cut[index]
    part = chunked._part(index, "r")
    assert part is not None and len(part.pattern) < (edge[2] - edge[1]) // 2
    assert part.match("production down") is not None
    leaves = [chars for chars, _, _ in data._alternatives(edge[4]) if chars is None]
    assert (chunked._part(index, "") is None) == (not leaves)  # the text's end: only a leaf could match


def test_the_second_level_spells_each_edge_exactly() -> None:
    found = data._second_level("x[Aa](?:b|(?P<t>)|c)", 1, "[Aa](?:b|(?P<t>)|c)", [("bB", "b"), (None, "(?P<t>)"),
                                                                              ("c,C", "c")])
    assert found[0] == 4 and data._alternatives(found[1]) == [("bB", 8, 9), (None, 10, 17), ("c,C", 18, 19)]
    assert data._second_level("x[Aa](?:b|c)", 1, "[Aa](?:b|c)", [("bB", "b"), ("dD", "d")]) == []
    assert data._second_level("x[Aa]b", 1, "[Aa]b", None) == []
