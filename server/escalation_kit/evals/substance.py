"""Does a section say anything? Filler, placeholders, heading echo, repeats and non-language text.

A sentence states a fact when it holds a number or time, a URL or a command; or a name (a
capitalised word inside the sentence, an acronym, an identifier such as ``ru-central1``), a system
from the cue file, a question or a long concrete statement - these last count only when the
sentence holds no filler phrase ("to be determined", "待定", "будет уточнено"). A section needs at
least one sentence that is not filler.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from escalation_kit.evals.cues import systems
from escalation_kit.evals.data import grading_config
from escalation_kit.evals.markdown import normalize

# Sentence breaks inside a line: the spaces after . ! ? ; (group 1) or the point right after 。！？； (group 2).
# One leading character class lets the regex engine jump from one punctuation mark to the next.
_SENT = re.compile(r"[.!?;。！？；](?:(?<=[.!?;])(\s+)|(?<=[。！？；])())")
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
_NON_WORD = re.compile(r"[\W_]+")
_DIGIT = re.compile(r"\d")
_LETTER = re.compile(r"[^\W\d_]")


@cache
def _filler_words() -> tuple[str, ...]:
    return tuple(sorted({w for ws in grading_config()["filler_phrases"].values() for w in ws}, key=len, reverse=True))


@cache
def _filler_index() -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    """Latin/Cyrillic filler phrases by their first word, and the CJK phrases."""
    by_first: dict[str, list[str]] = {}
    cjk = []
    for w in _filler_words():
        if _CJK.search(w):
            cjk.append(w)
        elif _WORD.findall(w):
            by_first.setdefault(_WORD.findall(w)[0], []).append(w)
    return {k: tuple(v) for k, v in by_first.items()}, tuple(cjk)


@cache
def _cjk_filler_re() -> re.Pattern[str]:
    """Any CJK filler phrase as a substring, in one regex search; a one-character phrase (无, 略) only as the
    whole sentence: as a substring it is in 无法 (cannot) and 策略 (policy), in most real sentences."""
    whole = [re.escape(w) for w in _filler_index()[1] if len(w) == 1]
    parts = [re.escape(w) for w in _filler_index()[1] if len(w) > 1]
    if whole:
        parts.append(rf"^[\W\d_]*(?:{'|'.join(whole)})[\W\d_]*$")
    return re.compile("|".join(parts))


def _filler_hit(norm: str) -> bool:
    """Does the normalised text hold a filler phrase (a whole-word match; CJK as a substring)?"""
    by_first, cjk = _filler_index()
    for tok in set(_WORD.findall(norm)).intersection(by_first):
        for phrase in by_first[tok]:
            i = norm.find(phrase)
            while i >= 0:
                end = i + len(phrase)
                if (i == 0 or not norm[i - 1].isalnum()) and (end == len(norm) or not norm[end].isalnum()):
                    return True
                i = norm.find(phrase, i + 1)
    return bool(cjk) and _CJK.search(norm) is not None and _cjk_filler_re().search(norm) is not None


@cache
def _not_names() -> frozenset[str]:
    return frozenset(grading_config()["not_names"])


@cache
def _nonsense() -> frozenset[str]:
    return frozenset(grading_config()["nonsense_words"])


@cache
def _nonsense_re() -> re.Pattern[str]:
    """Any nonsense word as a substring: one regex search instead of a loop of ``in`` tests."""
    return re.compile("|".join(re.escape(w) for w in sorted(_nonsense())))




def _unmark(text: str) -> str:
    """Drop ``*``, blank out ``>`` and ``|`` (three C-level replaces; ``str.translate`` with a dict is slower)."""
    return text.replace("*", "").replace(">", " ").replace("|", " ")


_BULLET = re.compile(r"^\s*(?:[-+]|\d+[.)]|[一二三四五六七八九十]+、)\s*")
_STRIP = " \t-–—:：,，"


def split_at_groups(pattern: re.Pattern[str], text: str, whole: int | None = None) -> Iterator[str]:
    """Split ``text`` at the matched group of each match of ``pattern``, one part at a time.

    The pattern's groups are alternatives ending where the match ends (exactly one takes part);
    what a match holds before its group (the punctuation) stays with the part before, except for
    group ``whole``, whose match is all separator. Matching the punctuation, not a look-behind for
    it, lets the regex engine skip straight to each candidate; callers may stop early.
    """
    pos = 0
    for m in pattern.finditer(text):
        group = m.lastindex or 0
        yield text[pos:m.start() if group == whole else m.start(group)]
        pos = m.end()
    yield text[pos:]


def plain(text: str) -> str:
    """Body text without Markdown markers."""
    return "\n".join(_BULLET.sub("", ln) for ln in _unmark(text).splitlines())


def sentences(text: str) -> list[str]:
    """Sentences of a body (list items and lines count as sentences)."""
    out = []
    for line in _unmark(text).splitlines():
        if line[:1] in " \t-+0123456789一二三四五六七八九十":
            line = _BULLET.sub("", line)
        parts = split_at_groups(_SENT, line)
        out += [p.strip(_STRIP) for p in parts if p and p.strip(_STRIP + ".。")]
    return out


def fact_in(sentence: str) -> str | None:
    """The first fact a sentence states (what kind), or None for a sentence with no fact."""
    if _DIGIT.search(sentence):
        return "number"
    if _has_url(sentence):
        return "url"
    if _has_command(sentence):
        return "command"
    for m in _ACRONYM.finditer(sentence):
        if m.group(0).lower() not in _not_names():
            return "name"
    for m in _NAME_AFTER_START.finditer(sentence):
        if m.group(0).lower() not in _not_names():
            return "name"
    if ("#" in sentence or "@" in sentence) and _IDENT.search(sentence):  # digits returned above; these remain
        return "name"
    norm = normalize(sentence)
    if _CJK.search(sentence) and any(t.lower() not in _not_names() for t in _LATIN_IN_CJK.findall(sentence)):
        return "name"
    if systems().holds(norm, _WORD.findall(norm)):
        return "system"
    if sentence.rstrip().endswith(("?", "？")):
        return "question"
    if len(sentence) >= 40 or len(_CJK.findall(sentence)) >= 15:
        return "statement"
    return None


_DOT_WORD = re.compile(r"\.[\w-]")


def _has_url(sentence: str) -> bool:
    """A URL or a host name: "://", or a dot followed by a word character, must be there before _URL can match."""
    return "." in sentence and ("://" in sentence or _DOT_WORD.search(sentence) is not None) \
        and _URL.search(sentence) is not None


def _has_command(sentence: str) -> bool:
    """A command: backticks, a ``--flag`` or a ``$ prompt``; each needs its marker before the regex can match."""
    return ("`" in sentence or "--" in sentence or "$" in sentence) and _COMMAND.search(sentence) is not None


def is_filler(sentence: str) -> bool:
    """A sentence with no fact, or a placeholder phrase with nothing else of substance."""
    if _hard_fact(sentence):
        return False
    long_enough = len(sentence) >= 40 or sentence.rstrip().endswith(("?", "？")) or len(_CJK.findall(sentence)) >= 15
    if not long_enough and fact_in(sentence) is None:  # every soft fact leads to the same filler test below
        return True
    return _filler_hit(normalize(sentence))


def is_statement(text: str) -> bool:
    """Long enough to say something (40 characters, or 15 Chinese ones) and holding no filler phrase."""
    long_enough = len(text) >= 40 or len(_CJK.findall(text)) >= 15
    return long_enough and not _filler_hit(normalize(text))


def _hard_fact(sentence: str) -> bool:
    """A number, a URL or a command: facts that no filler phrase beside them can empty."""
    return bool(_DIGIT.search(sentence) or _has_url(sentence)
                or _has_command(sentence))


def nonsense(text: str) -> str | None:
    """Why a body is not language at all (lorem ipsum, one token repeated, no letters), or None."""
    if len(text) > 160 and _DIGIT.search(text):
        low = text.casefold()
        if not _nonsense_re().search(low):
            return None  # long text with figures and no filler words: language, not filler
    norm = normalize(plain(text))
    toks = _WORD.findall(norm)
    if not toks:
        return "no words" if norm.strip() else None
    bad = [] if _nonsense().isdisjoint(toks) else [t for t in toks if t in _nonsense()]
    if len(bad) >= 2 or (bad and len(bad) * 3 >= len(toks)):
        return f"filler words ({', '.join(dict.fromkeys(bad))})"
    if len(toks) >= 4 and len(set(toks)) * 3 <= len(toks):
        return f"the same words repeated ({', '.join(list(dict.fromkeys(toks))[:3])})"
    if len(norm) >= 12 and len(toks) * 12 < len(norm):  # few words for the length: count the letters
        letters = len(_LETTER.findall(norm))
        if letters * 3 < len(norm.replace(" ", "")):
            return "mostly symbols, not words"
    return None


def key(sentence: str) -> str:
    """The comparison key of a sentence for finding repeats: letters and digits only, folded."""
    return "".join(sentence.casefold().split()).strip(".,;:!?。，；：！？*-–—\"'«»“”()（）")
