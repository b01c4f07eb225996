"""Count script letters and vote words for each language in cleaned text segments."""

from __future__ import annotations

import re

from escalation_kit import regexcache
from escalation_kit.language.lexicon import OTHER_CYRILLIC_LETTERS, W_COMMON, Lexicon
from escalation_kit.language.text import NOISE

# Noise tokens first, then one alternative per script; text is already case-folded and
# NFKC-normalized. The lookahead before the scripts (anything but ASCII non-letters) lets the
# engine skip spaces, digits and punctuation in one step, and its small class keeps compile
# time low.
_LAT = "a-z\u00df-\u00f6\u00f8-\u024f\u1e00-\u1eff'"
_CYR = "\u0400-\u052f"
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_KANA = "\u3041-\u309f\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff"
_HANGUL = "\uac00-\ud7af\u1100-\u11ff\u3131-\u318e"
_OTHER = "\u0370-\u03ff\u0530-\u10ff\u1200-\u1cff"  # Greek, Hebrew, Arabic, Indic, Thai...
_TOKEN = regexcache.compile(
    rf"(?:{NOISE})|"  # a noise token (URL, path, identifier...) matches with every group empty
    r"(?=[^\x00-\x26\x28-\x60\x7b-\x7f])"
    rf"(?:([{_LAT}]+)|([{_CYR}]+)|([{_HAN}]+)|([{_KANA}]+)|([{_HANGUL}]+)|([{_OTHER}]+))",
    re.X,
)
SCRIPTS = ("latin", "cyrillic", "han", "kana", "hangul", "other")
# A letter Russian never uses (Ukrainian, Belarusian, Kazakh, Serbian, Macedonian).
_OTHER_CYR_LETTER = regexcache.compile("[" + "".join(OTHER_CYRILLIC_LETTERS) + "]")
# Anything in a word that can mark another Cyrillic language (see _cyrillic_lang).
_OTHER_CYR_SIGN = regexcache.compile("[" + "".join(OTHER_CYRILLIC_LETTERS) + "ъ]|шч|ць$|цца$")
_BG_HARD_SIGN = regexcache.compile(r"ъ(?![еёюя])")
# Belarusian spellings Russian lacks: infinitive -ць, reflexive -цца, the cluster шч.
_BE_ENDINGS = ("ць", "цца")
# An unknown ASCII word leans English a little; a one-letter word barely.
W_UNKNOWN, W_SINGLE, W_RU_LETTER = 0.45, 0.2, 0.5


class Tally:
    """Weighted votes, raw letter counts and voting words gathered from one tier of text."""

    __slots__ = ("letters", "en", "en_strong", "other_latin", "cyr_words", "ru", "other_cyr",
                 "han", "kana", "hangul", "other", "voted", "langs", "latin_words", "ru_markers")

    def __init__(self) -> None:
        self.letters = [0, 0, 0, 0, 0, 0]  # in SCRIPTS order
        self.en = self.en_strong = self.other_latin = 0.0
        self.cyr_words = self.ru = self.other_cyr = 0.0
        self.ru_markers = 0.0  # Russian-only function words alone (no letter votes)
        self.han = self.kana = self.hangul = self.other = 0.0
        self.voted: list[tuple[str, str]] = []  # (key, word) for the evidence
        self.langs: dict[str, float] = {}
        self.latin_words: list[str] = []  # every counted Latin word, for the trigram check

    def words(self, *keys: str, limit: int = 8) -> list[str]:
        """The first ``limit`` distinct words that voted under any of ``keys``, first seen first."""
        seen: dict[str, None] = {}  # a plain loop: no generator frame, stops once it has enough
        for key, word in self.voted:
            if key in keys:
                seen[word] = None
                if len(seen) == limit:
                    break
        return list(seen)

    def cyrillic_words(self) -> list[str]:
        """Every Cyrillic word that was counted, in order (the trigram check reads their spelling)."""
        return [word for key, word in self.voted if key in ("ru", "cyr", "other_cyr")]

    def letter_counts(self) -> dict[str, int]:
        return {name: n for name, n in zip(SCRIPTS, self.letters, strict=True) if n}


def _latin(t: Tally, word: str, w: float, latin: dict[str, tuple[float, str | None]]) -> None:
    """Vote one Latin word for English or for another Latin-script language."""
    if "'" in word:
        word = word.strip("'")
        if not word:
            return
    t.letters[0] += len(word)
    vote = latin.get(word)
    if vote is None:
        if word.isascii():
            t.en += (W_SINGLE if len(word) == 1 else W_UNKNOWN) * w
            return
        vote = (0.0, "latin-diacritics")
    weight, lang = vote
    if lang:
        t.other_latin += w
        t.langs[lang] = t.langs.get(lang, 0.0) + w
        t.voted.append(("other_latin", word))
    else:
        t.en += weight * w
        if weight >= W_COMMON:
            t.en_strong += weight * w
            t.voted.append(("en", word))


def _has_ru_letter(word: str) -> bool:
    """Whether the word has a letter only Russian uses (substring tests beat frozenset.isdisjoint)."""
    return "ы" in word or "э" in word or "ё" in word


def _cyrillic_lang(word: str, cyrillic: dict[str, str]) -> str | None:
    """The language a Cyrillic word marks (ru, uk, bg...), or None for a word any of them uses."""
    if _OTHER_CYR_LETTER.search(word):
        # "і" is shared by Ukrainian, Belarusian and Kazakh: a more specific letter wins.
        for c in word:
            if c != "і" and c in OTHER_CYRILLIC_LETTERS:
                return OTHER_CYRILLIC_LETTERS[c]
        return "uk"
    lang = cyrillic.get(word)
    if lang is None and (word.endswith(_BE_ENDINGS) or "шч" in word):
        return "be"
    if lang is None and "ъ" in word and _BG_HARD_SIGN.search(word):
        return "bg"
    return lang


def _cyrillic(t: Tally, word: str, w: float, cyrillic: dict[str, str]) -> None:
    """Vote one Cyrillic word for Russian or for another Cyrillic language."""
    t.letters[1] += len(word)
    t.cyr_words += w
    lang = _cyrillic_lang(word, cyrillic)
    if lang == "ru":
        t.ru += w
        t.ru_markers += w
        t.voted.append(("ru", word))
    elif lang is not None:
        t.other_cyr += w
        t.langs[lang] = t.langs.get(lang, 0.0) + w
        t.voted.append(("other_cyr", word))
    elif _has_ru_letter(word):
        t.ru += W_RU_LETTER * w
        t.voted.append(("ru", word))
    else:
        t.voted.append(("cyr", word))


def tally(pieces: list[tuple[str, str]], weights: dict[str, float], lex: Lexicon) -> Tally:
    """Score every token of the (kind, text) ``pieces``; ``weights`` says how much each kind counts."""
    t = Tally()
    letters, voted, latin, cyrillic = t.letters, t.voted, lex.latin, lex.cyrillic
    latin_words = t.latin_words
    for kind, text in pieces:
        w = weights.get(kind, 0.0)
        if not w:
            continue
        for lat, cyr, han, kana, hangul, other in _TOKEN.findall(text):
            if lat:
                latin_words.append(lat)
                vote = latin.get(lat)
                if vote is not None and vote[1] is None:  # English word: the common case, inlined
                    letters[0] += len(lat)
                    t.en += vote[0] * w
                    if vote[0] >= W_COMMON:
                        t.en_strong += vote[0] * w
                        voted.append(("en", lat))
                elif vote is None and lat.isascii() and "'" not in lat:  # unknown ASCII word, inlined
                    letters[0] += len(lat)
                    t.en += (W_SINGLE if len(lat) == 1 else W_UNKNOWN) * w
                else:
                    _latin(t, lat, w, latin)
            elif cyr:
                lang = cyrillic.get(cyr)
                if lang == "ru":  # a Russian marker word: the common case, inlined
                    letters[1] += len(cyr)
                    t.cyr_words += w
                    t.ru += w
                    t.ru_markers += w
                    voted.append(("ru", cyr))
                elif lang is None and _OTHER_CYR_SIGN.search(cyr) is None:  # a plain unlisted word, inlined
                    letters[1] += len(cyr)
                    t.cyr_words += w
                    if not _has_ru_letter(cyr):
                        voted.append(("cyr", cyr))
                    else:
                        t.ru += W_RU_LETTER * w
                        voted.append(("ru", cyr))
                else:
                    _cyrillic(t, cyr, w, cyrillic)
            elif han:
                letters[2] += len(han)
                t.han += len(han) * w
                voted.append(("zh", han))
            elif kana:
                letters[3] += len(kana)
                t.kana += len(kana) * w
                voted.append(("ja", kana))
            elif hangul:
                letters[4] += len(hangul)
                t.hangul += len(hangul) * w
                voted.append(("ko", hangul))
            elif other:
                letters[5] += len(other)
                t.other += w
    return t
