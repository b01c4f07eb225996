"""Does a section say anything? Filler, placeholders, heading echo, repeats and non-language text.

A sentence states a fact when it holds a number or time, a URL, a command, a name (a capitalised
word inside the sentence, an acronym, an identifier such as ``ru-central1``), a system from the cue
file, or asks a question. A section needs at least one such sentence that is not filler.
"""

from __future__ import annotations

import re
from functools import cache

from escalation_kit.evals.cues import systems_re
from escalation_kit.evals.data import grading_config
from escalation_kit.evals.markdown import normalize

_SENT = re.compile(r"(?<=[.!?;])\s+|[。！？；\n]+|(?<=[?？])")
_MD = re.compile(r"[*_`>#|]+|^\s*(?:[-+]|\d+[.)]|[一二三四五六七八九十]+、)\s*", re.MULTILINE)
_URL = re.compile(r"https?://\S+|\b[\w-]+(?:\.[\w-]+)+/\S*|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|cn|ru|io|net|org|cloud)\b",
                  re.IGNORECASE)
_COMMAND = re.compile(r"`[^`]+`|(?:^|\s)--[a-z][\w-]+|(?:^|\s)\$\s?\w")
_NAME_AFTER_START = re.compile(r"(?<=[\w,;:)(\-–—] )[A-ZА-ЯЁ][\w-]+")
_ACRONYM = re.compile(r"(?<![\w-])[A-Z]{2,}[A-Z0-9]*(?![\w-])")
_IDENT = re.compile(r"[a-z]+[-_][a-z0-9]+\d|[a-zA-Z]+\d+[a-zA-Z]*|#[\w-]+|@\w+")
_LATIN_IN_CJK = re.compile(r"[A-Za-z]{2,}")
_CJK = re.compile(r"[\u3400-\u9fff]")
_WORD = re.compile(r"\w+")


@cache
def _filler_re() -> re.Pattern[str]:
    words = sorted({w for ws in grading_config()["filler_phrases"].values() for w in ws}, key=len, reverse=True)
    parts = [re.escape(w) if _CJK.search(w) else rf"(?<!\w){re.escape(w)}(?!\w)" for w in words]
    return re.compile("|".join(parts))


@cache
def _not_names() -> frozenset[str]:
    return frozenset(grading_config()["not_names"])


@cache
def _nonsense() -> frozenset[str]:
    return frozenset(grading_config()["nonsense_words"])


def plain(text: str) -> str:
    """Body text without Markdown markers."""
    return _MD.sub(" ", text)


def sentences(text: str) -> list[str]:
    """Sentences of a body (list items and lines count as sentences)."""
    return [s.strip(" \t-–—:：,，") for s in _SENT.split(plain(text)) if s and s.strip(" \t-–—:：,，.。")]


def fact_in(sentence: str) -> str | None:
    """The first fact a sentence states (what kind), or None for a sentence with no fact."""
    if any(c.isdigit() for c in sentence):
        return "number"
    if _URL.search(sentence):
        return "url"
    if _COMMAND.search(sentence):
        return "command"
    for m in _ACRONYM.finditer(sentence):
        if m.group(0).lower() not in _not_names():
            return "name"
    for m in _NAME_AFTER_START.finditer(sentence):
        if m.group(0).lower() not in _not_names():
            return "name"
    if _IDENT.search(sentence):
        return "name"
    norm = normalize(sentence)
    if _CJK.search(sentence) and any(t.lower() not in _not_names() for t in _LATIN_IN_CJK.findall(sentence)):
        return "name"
    if systems_re().search(norm):
        return "system"
    if sentence.rstrip().endswith(("?", "？")) and not _filler_re().search(norm):
        return "question"
    return None


def is_filler(sentence: str) -> bool:
    """A sentence with no fact, or a placeholder phrase with nothing else of substance."""
    norm = normalize(sentence)
    hit = _filler_re().search(norm)
    if hit and len(_WORD.findall(_filler_re().sub(" ", norm))) <= 2:
        return True
    return fact_in(sentence) is None


def nonsense(text: str) -> str | None:
    """Why a body is not language at all (lorem ipsum, one token repeated, no letters), or None."""
    norm = normalize(plain(text))
    toks = _WORD.findall(norm)
    if not toks:
        return "no words" if norm.strip() else None
    bad = [t for t in toks if t in _nonsense()]
    if len(bad) >= 2 or (bad and len(bad) * 3 >= len(toks)):
        return f"filler words ({', '.join(dict.fromkeys(bad))})"
    if len(toks) >= 4 and len(set(toks)) * 3 <= len(toks):
        return f"the same words repeated ({', '.join(list(dict.fromkeys(toks))[:3])})"
    letters = sum(c.isalpha() for c in norm)
    if len(norm) >= 12 and letters * 3 < len(norm.replace(" ", "")):
        return "mostly symbols, not words"
    return None


def key(sentence: str) -> str:
    """The comparison key of a sentence for finding repeats: letters and digits only, folded."""
    return "".join(_WORD.findall(normalize(sentence)))
