"""Detect the reporter's language (ru / en / zh / unknown) from incident text.

The answer is the language of the prose a person wrote: code, log lines, stack traces,
URLs, paths, identifiers and JSON are set aside first (language_text), then words vote by
script and by small word lists (language_score). Russian or Chinese prose outweighs the
English tech terms embedded in it; quoted messages count little. Deterministic, pure Python.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from escalation_kit.errors import InputError
from escalation_kit.language.lexicon import OTHER_CYRILLIC, OTHER_LATIN, lexicon
from escalation_kit.language.ngrams import other_language
from escalation_kit.language.score import SCRIPTS, Tally, tally
from escalation_kit.language.text import MACHINE, PROSE, QUOTE, normalize, segments
from escalation_kit.lean import new_list
from escalation_kit.vocab import Lang

Language = Literal[Lang, "unknown"]
AnswerLanguage = Lang


class LanguageEvidence(BaseModel):
    script_shares: dict[str, float] = Field(
        description="Share of prose letters per script (latin, cyrillic, han...)")
    prose_letters: int = Field(
        description="Letters counted after code, logs, URLs and identifiers were removed")
    deciding_words: list[str] = Field(default_factory=new_list, description="Words that decided the answer")
    note: str = ""


class LanguageResult(BaseModel):
    language: Language
    answer_language: AnswerLanguage = Field(description="Language the assistant should answer in")
    confidence: float = Field(ge=0.0, le=1.0)
    mixed: bool = Field(description="True when the text mixes scripts or languages")
    evidence: LanguageEvidence


# Weights. A quoted passage counts a tenth of the sentence around it. Cyrillic words and Chinese
# words (about 1.6 characters each) count double against Latin words: Russian or Chinese prose
# wins over the English terms embedded in it, and English prose has to clearly outweigh an
# unquoted Russian or Chinese passage to win.
QUOTE_WEIGHT = 0.1
NON_LATIN_EDGE = 2.0
HAN_PER_WORD = 1.6
MIN_PROSE_SCORE = 0.9
MIN_MESSAGE_SCORE = 1.0  # a lone English word in log lines (GET, error) is not a message
DEFAULT_ANSWER: AnswerLanguage = "en"
# Enough Russian-only function words ("что", "это", "уже") or English ones ("the", "is", "with")
# settle the language without the spelling check (which also keeps long texts fast).
RU_DECIDED = 2.0
EN_DECIDED = 5.0
MIN_FOREIGN_WORDS = 2  # spelling overrules English only with two words the English lists do not know
MIXED_SHARE = 0.05  # two scripts with at least this share of the prose letters make a text mixed


def _blocks(t: Tally) -> dict[str, float]:
    """Score each script block; the largest one holds the prose language."""
    return {
        "latin": t.en + t.other_latin,
        "cyrillic": t.cyr_words * NON_LATIN_EDGE,
        "cjk": (t.han + t.kana) / HAN_PER_WORD * NON_LATIN_EDGE,
        "hangul": t.hangul / HAN_PER_WORD,
        "other": t.other,
    }


_CYRILLIC_LANGS = frozenset((*OTHER_CYRILLIC, "kk", "mk"))
_LATIN_LANGS = frozenset((*OTHER_LATIN, "latin-diacritics"))


def _pick(block: str, t: Tally) -> tuple[Language, str, list[str]]:
    """Turn the winning script block into a language, a note and the (first eight) deciding words."""
    if block == "cyrillic":
        if t.other_cyr > t.ru:
            lang = max((k for k in t.langs if k in _CYRILLIC_LANGS),
                       key=t.langs.__getitem__, default="other")
            note = f"Cyrillic prose in another language ({lang}), not Russian"
            return "unknown", note, t.words("other_cyr")
        other = None if t.ru_markers >= RU_DECIDED else other_language(t.cyrillic_words(), "cyrillic")
        if other is not None:
            return "unknown", f"Cyrillic prose in another language ({other}, by its words and spelling), not Russian", \
                t.words("other_cyr", "ru", "cyr")
        return "ru", "", t.words("ru", "cyr")
    if block == "cjk":
        if t.kana and t.kana >= 0.1 * (t.han + t.kana):
            return "unknown", "Japanese (kana present)", t.words("ja", "zh")
        return "zh", "", t.words("zh")
    if block == "latin":
        if t.other_latin > t.en_strong:
            lang = max((k for k in t.langs if k in _LATIN_LANGS),
                       key=t.langs.__getitem__, default="other")
            return "unknown", f"Latin-script prose in another language ({lang}), not English", \
                t.words("other_latin")
        other = _latin_by_spelling(t)
        if other is not None:
            note = f"Latin-script prose in another language ({other}, by its words and spelling), not English"
            return "unknown", note, t.words("other_latin", "en")
        return "en", "", t.words("en")
    if block == "hangul":
        return "unknown", "Korean (hangul)", t.words("ko")
    return "unknown", "a script other than Latin, Cyrillic or Han", []


def _latin_by_spelling(t: Tally) -> str | None:
    """Another Latin-script language by letter trigrams, resting on words the English lists do not know.

    Words the lexicon knows as English ("to", "server", "down") count for English in the trigram sums.
    One word only another language uses ("jours", "instellingen") decides if the trigrams agree; the
    trigrams alone need MIN_FOREIGN_WORDS unknown words: brand names alone ("RabbitMQ") decide nothing.
    """
    if t.en_strong >= EN_DECIDED:
        return None
    latin = lexicon().latin
    foreign = [w for w in t.latin_words if (vote := latin.get(w)) is None or vote[1] is not None]
    if not foreign:
        return None
    return other_language(t.latin_words, "latin", spelling=len(foreign) >= MIN_FOREIGN_WORDS)


def _shares(t: Tally) -> tuple[dict[str, float], int, bool]:
    """Share of counted letters per script, the letter total, and whether two scripts have 5% or more."""
    total = sum(t.letters)
    if not total:
        return {}, 0, False
    shares: dict[str, float] = {}
    sizeable = 0
    for name, n in zip(SCRIPTS, t.letters):  # noqa: B905
        if n == total:  # one script only, the usual case: no rounding needed
            return {name: 1.0}, total, False
        if n:
            share = shares[name] = round(n / total, 3)
            sizeable += share >= MIXED_SHARE
    return shares, total, sizeable > 1


_VALIDATE = LanguageResult.__pydantic_validator__.validate_python  # model_validate minus a frame
_PROSE_WEIGHTS = {PROSE: 1.0, QUOTE: QUOTE_WEIGHT}
_FALLBACK_WEIGHTS = {PROSE: 1.0, QUOTE: 0.5, MACHINE: 1.0}


def _tiers(text: str) -> tuple[Tally, dict[str, float], bool, bool]:
    """Tally the prose; fall back to log lines only when there is too little prose."""
    segs = segments(normalize(text))
    lex = lexicon()
    t = tally(segs, _PROSE_WEIGHTS, lex)
    blocks = _blocks(t)
    has_machine = any(kind == MACHINE for kind, _ in segs)
    if not has_machine or max(blocks.values()) >= MIN_PROSE_SCORE:
        return t, blocks, False, has_machine
    t = tally(segs, _FALLBACK_WEIGHTS, lex)
    return t, _blocks(t), True, True


def detect_language(text: str) -> LanguageResult:
    """Decide the language of the prose in ``text`` and the language to answer in."""
    if not isinstance(text, str):
        raise InputError("text", f"expected a string of incident text, got {type(text).__name__}",
                         allowed=["str"])
    t, blocks, fell_back, has_machine = _tiers(text)
    block = max(blocks, key=blocks.__getitem__)
    best = blocks[block]
    shares, letters, two_scripts = _shares(t)
    mixed = (has_machine and not fell_back) or two_scripts
    if best <= 0 or (fell_back and best < MIN_MESSAGE_SCORE):
        note = ("no prose letters (numbers, symbols, URLs, identifiers or data only)" if best <= 0
                else "no prose letters and no readable message in the log lines")
        return _result("unknown", 0.9, mixed, shares, letters, [], note)
    lang, note, words = _pick(block, t)
    confidence = (best / sum(blocks.values())) * (0.55 + 0.45 * min(1.0, best / 4.0))
    if fell_back:
        confidence *= 0.8
        note = "; ".join(x for x in (note, "no prose outside log lines: decided from their messages") if x)
    return _result(lang, confidence, mixed, shares, letters, words, note)


def _result(lang: Language, confidence: float, mixed: bool, shares: dict[str, float], letters: int,
            words: list[str], note: str) -> LanguageResult:
    """Build the result; unknown answers in the default language and says so."""
    answer: AnswerLanguage = lang if lang != "unknown" else DEFAULT_ANSWER
    if lang == "unknown":
        note = f"{note}; answering in {DEFAULT_ANSWER}, the default for unsupported or undecidable text"
    evidence = {"script_shares": shares, "prose_letters": letters, "deciding_words": words, "note": note}
    return _VALIDATE({
        "language": lang, "answer_language": answer, "confidence": round(min(1.0, max(0.0, confidence)), 3),
        "mixed": mixed, "evidence": evidence})


__all__ = ["SCRIPTS", "AnswerLanguage", "Language", "LanguageEvidence", "LanguageResult", "detect_language"]
