"""Count script letters and vote words for each language in cleaned text segments."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from escalation_kit.language_lexicon import OTHER_CYRILLIC_LETTERS, Lexicon

# One alternative per script; text is already case-folded and NFKC-normalized.
_LAT = "a-z\u00df-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_CYR = "\u0400-\u052f"
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_KANA = "\u3041-\u309f\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff"
_HANGUL = "\uac00-\ud7af\u1100-\u11ff\u3131-\u318e"
_TOKEN = re.compile(
    rf"([{_LAT}']+)|([{_CYR}]+)|([{_HAN}]+)|([{_KANA}]+)|([{_HANGUL}]+)"
    rf"|((?:(?![{_LAT}{_CYR}{_HAN}{_KANA}{_HANGUL}])[^\W\d_])+)"
)
SCRIPTS = ("latin", "cyrillic", "han", "kana", "hangul", "other")
_RU_LETTERS = frozenset("ыэё")
_BG_HARD_SIGN = re.compile(r"ъ(?![еёюя])")
# Belarusian spellings Russian lacks: infinitive -ць, reflexive -цца, the cluster шч.
_BE_SPELLING = re.compile(r"(?:ць|цца)$|шч")

# Word weights for English evidence: function words are strong, tech terms weak.
W_FUNCTION, W_COMMON, W_TECH, W_UNKNOWN, W_SINGLE = 1.0, 0.8, 0.25, 0.45, 0.2


@dataclass
class Tally:
    """Weighted votes and raw letter counts gathered from one tier (prose or machine)."""

    letters: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SCRIPTS, 0))
    en: float = 0.0
    en_strong: float = 0.0
    other_latin: float = 0.0
    cyr_words: float = 0.0
    ru: float = 0.0
    other_cyr: float = 0.0
    han: float = 0.0
    kana: float = 0.0
    hangul: float = 0.0
    other: float = 0.0
    words: dict[str, list[str]] = field(default_factory=dict)
    langs: dict[str, float] = field(default_factory=dict)

    def note_word(self, key: str, word: str) -> None:
        """Remember a word that voted for ``key`` (kept short for the evidence)."""
        bucket = self.words.setdefault(key, [])
        if len(bucket) < 8 and word not in bucket:
            bucket.append(word)

    def note_lang(self, lang: str, weight: float) -> None:
        self.langs[lang] = self.langs.get(lang, 0.0) + weight


def _latin(t: Tally, word: str, w: float, lex: Lexicon) -> None:
    """Vote one Latin word for English or for another Latin-script language."""
    word = word.strip("'")
    if not word:
        return
    t.letters["latin"] += len(word)
    if word in lex.en_function:
        t.en += W_FUNCTION * w
        t.en_strong += W_FUNCTION * w
        t.note_word("en", word)
    elif word in lex.en_common:
        t.en += W_COMMON * w
        t.en_strong += W_COMMON * w
        t.note_word("en", word)
    elif word in lex.en_tech:
        t.en += W_TECH * w
    elif word in lex.other_latin or not word.isascii():
        t.other_latin += w
        t.note_lang(lex.other_latin.get(word, "latin-diacritics"), w)
        t.note_word("other_latin", word)
    else:
        t.en += (W_SINGLE if len(word) == 1 else W_UNKNOWN) * w


def _cyrillic(t: Tally, word: str, w: float, lex: Lexicon) -> None:
    """Vote one Cyrillic word for Russian or for another Cyrillic language."""
    t.letters["cyrillic"] += len(word)
    t.cyr_words += w
    marks = [OTHER_CYRILLIC_LETTERS[c] for c in word if c in OTHER_CYRILLIC_LETTERS]
    if marks:
        t.other_cyr += w
        t.note_lang(marks[0], w)
        t.note_word("other_cyr", word)
    elif word in lex.other_cyrillic:
        t.other_cyr += w
        t.note_lang(lex.other_cyrillic[word], w)
        t.note_word("other_cyr", word)
    elif word in lex.ru_marker:
        t.ru += w
        t.note_word("ru", word)
    elif _BE_SPELLING.search(word):
        t.other_cyr += w
        t.note_lang("be", w)
        t.note_word("other_cyr", word)
    elif "ъ" in word and _BG_HARD_SIGN.search(word):
        t.other_cyr += w
        t.note_lang("bg", w)
        t.note_word("other_cyr", word)
    elif _RU_LETTERS.intersection(word):
        t.ru += 0.5 * w
        t.note_word("ru", word)
    else:
        t.note_word("cyr", word)


def tally(texts: list[str], weights: list[float], lex: Lexicon) -> Tally:
    """Score every token of ``texts``; ``weights`` says how much each text counts."""
    t = Tally()
    for text, w in zip(texts, weights, strict=True):
        for lat, cyr, han, kana, hangul, other in _TOKEN.findall(text):
            if lat:
                _latin(t, lat, w, lex)
            elif cyr:
                _cyrillic(t, cyr, w, lex)
            elif han:
                t.letters["han"] += len(han)
                t.han += len(han) * w
                t.note_word("zh", han)
            elif kana:
                t.letters["kana"] += len(kana)
                t.kana += len(kana) * w
            elif hangul:
                t.letters["hangul"] += len(hangul)
                t.hangul += len(hangul) * w
            else:
                t.letters["other"] += len(other)
                t.other += w
    return t
