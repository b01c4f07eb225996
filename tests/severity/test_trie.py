"""The trie-shaped lexicon regex finds exactly what the flat case-insensitive alternation finds."""

from __future__ import annotations

import re
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from escalation_kit.severity import _trie, data

WRAP = "(?:{})"


def _flat(entries: list[tuple[str, str]]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?P<{stem}>{pat})" for stem, pat in entries), re.IGNORECASE)


def _hits(regex: re.Pattern[str], names: dict[str, str] | None, text: str) -> list[tuple[tuple[int, int], str]]:
    return [(m.span(), names[m.lastgroup] if names else m.lastgroup) for m in regex.finditer(text)]


ENTRIES = [
    ("down", r"(?<!slow )(?<!shut )down(?! ?time)"),
    ("users", r"(?:all |most )?(?:users?|customers?) (?:are|were) (?:unable|blocked)"),
    ("pct", r"[0-9]{1,3}(?:\.[0-9]+)? ?% of (?:users|requests)"),
    ("usersdown", r"users? down"),
    ("zone", r"availability zone|(?<![a-z])az\d?"),
    ("only", r"仅?影响(?:外观|美观)"),
    ("ru", r"(?:не\s+)?работает"),
    ("form", r"#+ ?(?:describe the feature|feature request)"),
]
ALPHABET = "#downslhtimeusracbkl%0123456789. AZazZ仅影响外观美观неработаетЁ\u212a\u017f"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=60))
def test_same_hits_as_the_flat_alternation(text: str):
    pattern, names = _trie.build(ENTRIES, WRAP)
    assert _hits(re.compile(pattern), names, text) == _hits(_flat(ENTRIES), None, text)


@pytest.mark.parametrize("text", ["Users were unable to log in; 12.5% of requests failed; the site is down",
                                  "slow down, not down", "仅影响外观", "影响美观", "AZ2 is out", "Не работает"])
def test_known_texts_hit(text: str):
    pattern, names = _trie.build(ENTRIES, WRAP)
    hits = _hits(re.compile(pattern), names, text)
    assert hits and hits == _hits(_flat(ENTRIES), None, text)


EXPANDABLE = [r"(?:a|b)c", r"(?:a|b)?c", r"x?(?:y|z)w", r"[0-9]{1,3}%", r"[ab]+c", r"a|b|(?:c|d)e"]
PREFIXED = [
    (r"#+ ?x", "#", r"#* ?x"), (r"#{1,6} ?x", "#", r"#{0,5} ?x"), (r"ab{2}c", "ab", r"b{1}c"),
    (r"ab+c", "ab", r"b*c"), (r"ab+?c", "a", r"b+?c"), (r"a\.b?", "a.", r"b?"),
]


@pytest.mark.parametrize(("source", "chars", "rest"), PREFIXED)
def test_literal_prefix_keeps_the_pattern(source: str, chars: str, rest: str):
    assert _trie.literal_prefix(source) == (chars, rest)
    for text in ["#x", "### x", "####### x", "abbbc", "abbc", "ac", "abc", "a.", "a.b", "ab"]:
        joined = re.compile(re.escape(chars) + rest)
        assert bool(joined.fullmatch(text)) == bool(re.fullmatch(source, text)), text


@pytest.mark.parametrize("source", [r"[ab]*c", r"[ab]{0,2}c", r"[ab]+?c"])
def test_a_leading_class_that_may_match_nothing_is_kept_whole(source: str):
    """'[ab]*c' is not 'a*c|b*c' ('abc' matches only the first): such a class is left as it is."""
    assert _trie.expand(source) == [source]


@pytest.mark.parametrize("source", EXPANDABLE)
def test_expansion_matches_the_same_strings(source: str):
    alts = _trie.expand(source)
    assert len(alts) > 1
    joined = re.compile("|".join(f"(?:{a})" for a in alts))
    for text in ["ac", "bc", "c", "yw", "xzw", "w", "12%", "1234%", "abbc", "ce", "de", "b", "a"]:
        assert [m.span() for m in joined.finditer(text)] == [m.span() for m in re.finditer(source, text)], text


@pytest.mark.parametrize("ch", ["k", "s", "i", "a", "ё", "σ", "1", "影"])
def test_case_class_is_exactly_what_ignorecase_accepts(ch: str):
    wanted = {cp for cp in range(0x10000) if re.fullmatch(re.escape(ch), chr(cp), re.IGNORECASE)}
    cls = re.compile(_trie.char_class(_trie.key(ch)))
    got = {cp for cp in range(0x10000) if cls.fullmatch(chr(cp))}
    assert got == wanted and ord(ch) in got


def test_the_shipped_lexicon_matches_like_the_flat_dispatch(bench: ModuleType):
    """On every corpus and dev text, each language's trie regex gives the same spans and signals."""
    texts = [item["text"] for item in bench.load_corpus()] + [item["text"] for item in bench.load_items()]
    raw = data._read("lexicon.yaml")
    lex = data.lexicon()
    table = data.traditional_to_simplified()
    compared = 0
    for lang in data.LANGUAGES:
        entries = [(f"{lang}{i}", pat) for i, sig in enumerate(raw["signals"])
                   for pat in (sig.get("patterns") or {}).get(lang) or []]
        flat_pattern, flat_names = data._dispatch(lang, entries)
        flat = re.compile(flat_pattern, re.IGNORECASE)
        assert lex.regex[lang].flags & re.IGNORECASE == 0, "the trie was not used"
        for text in texts:
            text = text.translate(table)
            want = [(m.span(), raw["signals"][int(flat_names[m.lastgroup][2:])]["id"]) for m in flat.finditer(text)]
            got = [(m.span(), lex.groups[m.lastgroup].id) for m in lex.regex[lang].finditer(text)]
            assert got == want, (lang, text[:80])
            compared += bool(want)
    assert compared > 500


def test_no_supplementary_character_lower_cases_into_the_bmp():
    """``_trie._folds`` scans only the BMP for BMP targets; that is exact only while this holds."""
    import _sre

    crossing = [cp for cp in range(0x10000, 0x110000) if _sre.unicode_tolower(cp) < 0x10000]
    assert crossing == []


def test_one_pairs_regex_per_language_finds_what_one_regex_per_pair_found(bench: ModuleType, monkeypatch) -> None:
    """All `pairs` entries of a language share one trie regex; on every corpus and dev text the signals
    found are the ones the earlier layout (one regex per pair, matches merged by position) found."""
    from escalation_kit.severity import match

    raw = data._read("lexicon.yaml")
    lex = data.lexicon()
    separate, groups = {}, dict(lex.groups)
    for lang in data.LANGUAGES:
        regexes = []
        for i, sig in enumerate(raw["signals"]):
            for k, spec in enumerate((sig.get("pairs") or {}).get(lang) or []):
                pattern, names, flags = data._combined(lang, [(f"{lang}{i}p{k}", p) for p in
                                                             data.pair_patterns(lang, spec)])
                regexes.append(re.compile(pattern, flags))
                groups.update({name: lex.signals[sig["id"]] for name in names})
        separate[lang] = regexes
    assert sum(len(v) for v in separate.values()) > sum(len(lex.pairs[lang]) for lang in data.LANGUAGES)
    old = lex._replace(pairs=separate, groups=groups, pair_chunks={lang: [] for lang in data.LANGUAGES})
    texts = [i["text"] for i in bench.load_corpus()] + [i["text"] for i in bench.load_items()]

    def hits(text: str) -> list[tuple]:
        return [(h.sig.id, h.start, h.end, h.negated, h.hedged, h.suspected) for h in match.find_signals(text, "en")]

    combined = [hits(t) for t in texts]
    monkeypatch.setattr(match, "lexicon", lambda: old)
    assert [hits(t) for t in texts] == combined
    assert sum(any(h[0] in ("exposure", "cross-tenant-exposure", "data-loss") for h in c) for c in combined) > 50


def test_every_shipped_pattern_opens_with_a_literal() -> None:
    """A pattern with no literal prefix becomes a trie leaf tried at every word (and turns off the
    first-character prefilter): the lexicon must not ship one."""
    raw = data._read("lexicon.yaml")
    leaves = [(lang, sig["id"], alt) for sig in raw["signals"] for lang in data.LANGUAGES
              for pat in (sig.get("patterns") or {}).get(lang) or [] for alt in _trie.expand(pat)
              if not _trie.literal_prefix(alt)[0]]
    assert leaves == []
    assert all(data.lexicon().regex[lang].pattern.count("(?=[", 0, 60) for lang in ("en", "zh"))
