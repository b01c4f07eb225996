"""Which language is an answer written in? The project's detector first, a script count as fallback.

The fallback exists because the detector is developed separately; it only has to tell
en, ru and zh apart in a whole answer, which letter scripts do reliably once code spans,
URLs and identifiers are removed.
"""

from __future__ import annotations

import re

_CODE = re.compile(r"```.*?```|`[^`\n]*`|https?://\S+|\b[\w.-]+\.(?:com|cn|net|io|org|ru)\S*", re.DOTALL)
_CYR = re.compile(r"[\u0400-\u04ff]")
_HAN = re.compile(r"[\u3400-\u9fff]")
_LAT = re.compile(r"[A-Za-z]")


def script_language(text: str) -> str:
    """en / ru / zh by letter scripts: Han wins at 25% of letters, Cyrillic at 40% of the rest."""
    text = _CODE.sub(" ", text)
    han, cyr, lat = len(_HAN.findall(text)), len(_CYR.findall(text)), len(_LAT.findall(text))
    total = han + cyr + lat
    if total == 0:
        return "unknown"
    if han / total >= 0.25:
        return "zh"
    if cyr / max(1, cyr + lat) >= 0.4:
        return "ru"
    return "en"


SAMPLE_CHARS = 500


def answer_language(text: str) -> tuple[str, str]:
    """Return (language, method): the project detector's answer, or the script count when it is unavailable.

    The detector reads the first ``SAMPLE_CHARS`` characters; when its answer disagrees with the
    script count over the whole text (an answer that switches language part-way), it reads all
    of it. Long answers therefore cost one short detection, not one over every line.
    """
    scripts = script_language(text)
    try:
        from escalation_kit.language import detect_language

        result = detect_language(text[:SAMPLE_CHARS])
        if result.language != "unknown" and (result.language == scripts or len(text) <= SAMPLE_CHARS):
            return result.language, "detect_language"
        if len(text) > SAMPLE_CHARS:
            result = detect_language(text)
            if result.language != "unknown":
                return result.language, "detect_language (whole answer)"
    except NotImplementedError:
        pass
    return scripts, "script count"
