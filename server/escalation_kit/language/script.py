"""The one cheap script count: en / ru / zh by letter scripts, once code spans and URLs are removed.

``detect_language`` is the real detector; this count is the fallback the eval harness uses to see
whether a long answer switched language part-way, where letter scripts are reliable.
"""

from __future__ import annotations

import re

from escalation_kit import regexcache

# A host name is matched only from the start of its run of [\w.-] characters: with a bare \b the search tried
# every letter of a long "a.a.a..." run again and backtracked to its end each time (20,000 characters: 4 s).
_TLDS = ("com", "cn", "net", "io", "org", "ru")
_CODE = regexcache.compile(r"```.*?```|`[^`\n]*`|https?://\S+|(?<![\w.-])[\w.-]+\.(?:" + "|".join(_TLDS) + r")\S*",
                           re.DOTALL)
# What some _CODE alternative needs in the text (a backtick, "://", a dot before a listed domain): without any,
# the removal is skipped (its search tried every word of a Russian report, ~12 us).
_CODE_NEEDS = ("`", "://", *(f".{tld}" for tld in _TLDS))
_CYR = regexcache.compile(r"[\u0400-\u04ff]")
_HAN = regexcache.compile(r"[\u3400-\u9fff]")
_LAT = regexcache.compile(r"[A-Za-z]")
# The counts add up the lengths of runs of each script: a 300-letter Chinese text makes a few dozen strings
# instead of 300 (a third of the count's time), for the same numbers.
_RUNS = tuple(regexcache.compile_many([(rx.pattern + "+", 0) for rx in (_HAN, _CYR, _LAT)]))
HAN_SHARE = 0.25  # Han letters carry a word each, so a quarter of the letters is already most of the text
CYRILLIC_SHARE = 0.4  # of the alphabetic letters: Russian prose keeps English terms well under 60 %


def script_language(text: str) -> str:
    """en / ru / zh by letter scripts (or 'unknown' with no letters): Han at 25 %, Cyrillic at 40 % of the rest."""
    if any(need in text for need in _CODE_NEEDS):
        text = _CODE.sub(" ", text)
    if text.isascii():  # no Han or Cyrillic letter can be in it: skip the three counts
        return "en" if _LAT.search(text) else "unknown"
    han, cyr, lat = (sum(map(len, rx.findall(text))) for rx in _RUNS)
    total = han + cyr + lat
    if total == 0:
        return "unknown"
    if han / total >= HAN_SHARE:
        return "zh"
    if cyr / max(1, cyr + lat) >= CYRILLIC_SHARE:
        return "ru"
    return "en"
