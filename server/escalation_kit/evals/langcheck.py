"""Which language is an answer written in? The project's detector, checked against a script count.

The detector reads the first ``SAMPLE_CHARS`` characters; when that disagrees with the script count
over the whole answer (an answer that switches language part-way), it reads all of it.
"""

from __future__ import annotations

import re

from escalation_kit.language import detect_language
from escalation_kit.language import script as _script

SAMPLE_CHARS = 500
_LATIN_BYTES = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_HAN_LOW_BLOCK = re.compile(rb"\xe3[\x90-\xbf]")  # U+3400-U+3FFF; U+3000-U+33FF (CJK punctuation) is not Han


def _letters(text: str) -> tuple[int, int, int]:
    """(Han, Cyrillic, Latin) letters, counted on UTF-8 lead bytes in C rather than listed by a regex."""
    raw = text.encode("utf-8", "surrogatepass")
    lat = len(raw) - len(raw.translate(None, _LATIN_BYTES))
    cyr = raw.count(b"\xd0") + raw.count(b"\xd1") + raw.count(b"\xd2") + raw.count(b"\xd3")
    han = sum(raw.count(lead) for lead in (b"\xe4", b"\xe5", b"\xe6", b"\xe7", b"\xe8", b"\xe9"))
    if b"\xe3" in raw:
        han += len(_HAN_LOW_BLOCK.findall(raw))
    return han, cyr, lat


# Where the language package's code/URL pattern can match when the text has no backtick: a URL scheme
# or a host ending in one of its domains. Such matches never cross whitespace.
_CODE_TRIGGER = re.compile(r"http|\.(?:com|cn|net|io|org|ru)")


def _prose_letters(text: str) -> tuple[int, int, int]:
    """Letters outside code spans and URLs, as ``script_language`` counts them.

    Without a backtick its pattern matches only inside a whitespace-free token holding "http" or a
    host suffix, so only those tokens are re-counted after removing the matches; the rest of the
    text is counted once, with no regex pass over it.
    """
    if "`" in text:
        return _letters(_script._CODE.sub(" ", text))
    han, cyr, lat = _letters(text)
    done, n = 0, len(text)
    for m in _CODE_TRIGGER.finditer(text):
        if m.start() < done:
            continue
        start, end = m.start(), m.end()
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        while end < n and not text[end].isspace():
            end += 1
        token = text[start:end]
        h0, c0, l0 = _letters(token)
        h1, c1, l1 = _letters(_script._CODE.sub(" ", token))
        han, cyr, lat = han - h0 + h1, cyr - c0 + c1, lat - l0 + l1
        done = end
    return han, cyr, lat


def script_of(text: str) -> str:
    """``language.script_language(text)``: the same decision, at a fraction of the cost.

    The grader asks it for every answer and its first 500 characters. Letters are counted on
    UTF-8 lead bytes (Cyrillic U+0400-U+04FF: 0xD0-0xD3; Han U+4000-U+9FFF: 0xE4-0xE9, plus
    U+3400-U+3FFF) and the code/URL pattern runs only on the tokens it can match. The pattern
    and the thresholds are the language package's own; a test holds the two functions equal.
    """
    han, cyr, lat = _prose_letters(text)
    total = han + cyr + lat
    if total == 0:
        return "unknown"
    if han / total >= _script.HAN_SHARE:
        return "zh"
    if cyr / max(1, cyr + lat) >= _script.CYRILLIC_SHARE:
        return "ru"
    return "en"


def answer_language(text: str) -> tuple[str, str]:
    """Return (language, method): the detector's answer, or the script count when the detector abstains."""
    scripts = script_of(text)
    if scripts in ("ru", "zh") and script_of(text[:SAMPLE_CHARS]) == scripts:
        # Cyrillic or Han from the first line to the end: among en/ru/zh only one answer is possible, and the
        # detector (a third of a grade's time) would only confirm it. Latin text still goes to the detector.
        return scripts, "script count (one script throughout)"
    result = detect_language(text[:SAMPLE_CHARS])
    if result.language != "unknown" and (result.language == scripts or len(text) <= SAMPLE_CHARS):
        return result.language, "detect_language"
    if len(text) > SAMPLE_CHARS:
        result = detect_language(text)
        if result.language != "unknown":
            return result.language, "detect_language (whole answer)"
    return scripts, "script count"


_EN_FUNCTION = frozenset([
    "the", "and", "is", "are", "was", "were", "of", "to", "in", "for", "with", "we", "will", "be", "on", "this",
    "that", "not", "has", "have", "it", "our", "they", "their", "from", "by", "at", "as", "an", "a", "if", "no",
    "yet", "so", "which"
])
_MIN_LETTERS = 60


_HEADING = re.compile(r"^\s{0,3}(?:#{1,6}\s.*|\*\*[^*\n]{1,80}\*\*[:：]?\s*)$", re.MULTILINE)
_BLANK_LINE = re.compile(r"\n\s*\n")
# A fenced block is an artefact the answer quotes for pasting (case text for an English-language support
# desk, a log, a command), not the answer's own prose: it is left out of the per-paragraph check, and so is a
# paragraph written wholly as a block quote (blind6: an English case text quoted with ">" in a Russian answer).
_FENCED = re.compile(r"^\s{0,3}(```|~~~).*?^\s{0,3}\1[^\n]*$", re.MULTILINE | re.DOTALL)
# A paragraph whose every line is a Markdown block quote ("> ...").
_QUOTED = re.compile(r"^(?:[ \t]{0,3}>[^\n]*(?:\n|$)|[ \t]*\n)+$")
_CYR = re.compile(r"[\u0400-\u04ff]")
_HAN = re.compile(r"[\u3400-\u9fff]")
_LATIN_WORD = re.compile(r"[a-z]+")


def _english(par: str) -> bool:
    """At least three English function words and 60 Latin letters: a paragraph of English prose."""
    words = _LATIN_WORD.findall(par.casefold())
    return sum(len(w) for w in words) >= _MIN_LETTERS and sum(w in _EN_FUNCTION for w in words) >= 3


def _paragraph_language(par: str, expected: str) -> str | None:
    """The language of a paragraph when it is clearly not ``expected``, else None.

    Cheap script tests first: a Russian paragraph holds Cyrillic, a Chinese one Han characters;
    English needs three English function words too, so a paragraph full of identifiers
    (ru-central1, status.aliyun.com) is not mistaken for English.
    """
    if expected == "en":
        if par.isascii():
            return None
        han, cyr = len(_HAN.findall(par)), len(_CYR.findall(par))
        return "zh" if han >= 20 else "ru" if cyr >= _MIN_LETTERS else None
    if expected == "ru":
        if _CYR.search(par):
            return None
        return "zh" if len(_HAN.findall(par)) >= 20 else "en" if _english(par) else None
    if _HAN.search(par):
        return None
    return "ru" if len(_CYR.findall(par)) >= _MIN_LETTERS else "en" if _english(par) else None


def off_language_paragraphs(text: str, expected: str) -> list[tuple[str, str]]:
    """Paragraphs (blank-line separated blocks) written in a language other than ``expected``."""
    out = []
    for par in _BLANK_LINE.split(_FENCED.sub("", text)):
        if "#" in par or "**" in par:  # judge the prose, not a heading written in the expected language
            par = _HEADING.sub("", par)
        if ">" in par and _QUOTED.match(par.strip("\n")):
            continue  # a block quote is an artefact too: a case text or message quoted for pasting
        lang = _paragraph_language(par, expected)
        if lang is not None:
            out.append((lang, " ".join(par.split())[:100]))
    return out
