"""Which language is an answer written in? The project's detector, checked against a script count.

The detector reads the first ``SAMPLE_CHARS`` characters; when that disagrees with the script count
over the whole answer (an answer that switches language part-way), it reads all of it.
"""

from __future__ import annotations

from escalation_kit.language import detect_language, script_language

SAMPLE_CHARS = 500


def answer_language(text: str) -> tuple[str, str]:
    """Return (language, method): the detector's answer, or the script count when the detector abstains."""
    scripts = script_language(text)
    result = detect_language(text[:SAMPLE_CHARS])
    if result.language != "unknown" and (result.language == scripts or len(text) <= SAMPLE_CHARS):
        return result.language, "detect_language"
    if len(text) > SAMPLE_CHARS:
        result = detect_language(text)
        if result.language != "unknown":
            return result.language, "detect_language (whole answer)"
    return scripts, "script count"


_EN_FUNCTION = frozenset("the and is are was were of to in for with we will be on this that not has have it our "
                         "they their from by at as an a if no yet so which".split())
_MIN_LETTERS = 60


def _paragraph_language(par: str) -> str | None:
    """en / ru / zh of one paragraph by script, or None when it is too short to say.

    English needs three English function words too, so a Russian or Chinese paragraph full of
    identifiers (ru-central1, status.aliyun.com) is not mistaken for English.
    """
    import re

    letters = sum(ch.isalpha() for ch in par)
    if letters < _MIN_LETTERS:
        return None
    lang = script_language(par)
    if lang == "en":
        words = re.findall(r"[a-z]+", par.casefold())
        if sum(w in _EN_FUNCTION for w in words) < 3:
            return None
    return lang if lang != "unknown" else None


def off_language_paragraphs(text: str, expected: str) -> list[tuple[str, str]]:
    """Paragraphs (blank-line separated blocks) written in a language other than ``expected``."""
    import re

    out = []
    for par in re.split(r"\n\s*\n", text):
        lang = _paragraph_language(par)
        if lang is not None and lang != expected:
            out.append((lang, " ".join(par.split())[:100]))
    return out
