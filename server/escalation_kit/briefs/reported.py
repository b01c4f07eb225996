"""The reporter's own start time ("с 14:05 МСК", "从14:05开始", "since 14:05 UTC") read from the text.

A clock time becomes an instant on the latest day on which it is not after the moment the
escalation was opened; a zone word after (or, in Chinese, before) it picks the zone from
``references/i18n/time-zones.yaml``, otherwise the reporter's zone applies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from escalation_kit.paths import references_dir

SLACK = timedelta(minutes=5)  # a start written a few minutes "after" opening is a rounding, not tomorrow


@dataclass(frozen=True)
class ReportedStart:
    """When the reporter says the incident began, and the words they used."""

    at: datetime
    phrase: str
    zone: str | None  # IANA zone named by a zone word, None when the text gave none


@cache
def zone_words() -> dict[str, str]:
    """Zone word -> IANA zone, from the data file."""
    from escalation_kit.datafiles import load_yaml  # the JSON snapshot: no YAML parsing after the first run

    data = load_yaml(references_dir() / "i18n" / "time-zones.yaml")
    return {word: zone for zone, words in data["zones"].items() for word in words}


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    """Start phrases in en, ru and zh, each with hour, minute and optional zone (and date, meridiem)."""
    words = sorted(zone_words(), key=len, reverse=True)
    alternatives = "|".join(re.escape(w) for w in words)

    def zone(name: str = "zone") -> str:
        return f"(?P<{name}>{alternatives})(?![A-Za-z])"

    date = r"(?:(?P<date>\d{4}-\d{2}-\d{2})[T ])?"
    clock = r"(?P<hour>[01]?\d|2[0-3])[:：](?P<minute>[0-5]\d)"
    return (
        re.compile(rf"(?i)\b(?:since|from|starting at|started at|began at|beginning at|as of)\s+"
                   rf"(?:about\s+|around\s+|approx\.?\s+|~)?{date}{clock}\s*(?P<ampm>[ap]\.?m\.?)?(?:\s*{zone()})?"),
        re.compile(rf"(?i)(?<![\w])(?:начиная\s+)?с\s+(?:примерно\s+|около\s+)?{date}{clock}(?:\s*{zone()})?"),
        re.compile(rf"(?:从|自)\s*(?:{zone('zone_before')}\s*)?{date}{clock}\s*(?:{zone()}\s*)?(?:开始|起)"),
        re.compile(rf"(?:{zone('zone_before')}\s*)?{date}{clock}\s*(?:{zone()}\s*)?(?:开始|起|以来)"),
    )


def reported_start(text: str, opened_at: datetime, zone: ZoneInfo) -> ReportedStart | None:
    """The first start time the text states, as an aware instant not after ``opened_at``; None if none."""
    found = [m for p in _patterns() if (m := p.search(text))]
    if not found:
        return None
    match = min(found, key=lambda m: m.start())
    groups = match.groupdict()
    word = groups.get("zone") or groups.get("zone_before")
    named = zone_words().get(word) if word else None
    tz = ZoneInfo(named) if named else zone
    hour = int(match["hour"])
    ampm = (groups.get("ampm") or "").lower().replace(".", "")
    if ampm and hour <= 12:
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    reference = opened_at.astimezone(tz)
    day = datetime.fromisoformat(match["date"]).date() if match["date"] else reference.date()
    start = datetime(day.year, day.month, day.day, hour, int(match["minute"]), tzinfo=tz)
    if not match["date"] and start > reference + SLACK:
        start = datetime.combine(day - timedelta(days=1), start.timetz())
    return ReportedStart(at=start, phrase=match[0].strip(), zone=named or None)
