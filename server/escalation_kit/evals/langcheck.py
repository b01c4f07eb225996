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
