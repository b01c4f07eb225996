"""What every fact model shares: the strict base model and the ISO timestamp people paste into text."""

from __future__ import annotations

import re
from datetime import datetime

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

from escalation_kit import regexcache
from escalation_kit.timezones import in_range

# An ISO 8601 date-time as people paste it: T or space, optional seconds and fraction, and an optional
# offset written Z, +08:00, +0800, +08, UTC, UTC+8 or GMT-3. Not inside a URL or identifier (the
# look-behind), so links such as ?from=2026-11-22T09:00:00Z are never rewritten.
TIMESTAMP = regexcache.compile(  # cached code: 0.1 ms, not 0.4 ms, on a first call
    r"(?<![\w.:/=-])(?P<date>\d{4}-\d{2}-\d{2})[T ](?P<time>\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?)"
    r"(?:\s?(?P<offset>Z|[+-]\d{2}(?::?\d{2})?|(?:UTC|GMT)(?:\s?[+-]\d{1,2}(?::?\d{2})?)?))?(?![\w:+])"
)


def _offset(text: str | None) -> str:
    """'Z', 'UTC', '+0800', '+08', 'UTC+8', 'GMT-3' as '+HH:MM'; empty when there is none."""
    if not text:
        return ""
    sign_at = max(text.find("+"), text.find("-"))
    if sign_at < 0:
        return "+00:00"
    sign, rest = text[sign_at], text[sign_at + 1 :].replace(":", "")
    hours, minutes = (rest[:-2], rest[-2:]) if len(rest) > 2 else (rest, "00")
    return f"{sign}{int(hours):02d}:{minutes}"


def timestamp_of(match: re.Match[str]) -> datetime:
    """The datetime a TIMESTAMP match stands for (naive when it carries no offset); ValueError if impossible."""
    clock = match["time"].replace(",", ".")
    moment = datetime.fromisoformat(f"{match['date']}T{clock}{_offset(match['offset'])}")
    if moment.utcoffset() is not None and not in_range(moment):
        raise ValueError(f"{match[0]} is outside 1970..2200")  # left as written: it cannot be shown in a zone
    return moment


class FactModel(BaseModel):
    """Base for fact models: unknown keys are an error (a typo must not vanish silently)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)

    @field_validator("*")
    @classmethod
    def _instant_in_range(cls, value: object) -> object:
        """A time field outside 1970..2200 (year 1, 9999) is a typo that no zone can show: refused, naming it."""
        if isinstance(value, datetime) and value.utcoffset() is not None and not in_range(value):
            raise ValueError("is outside the supported range, between 1970-01-01T00:00:00Z and 2200-01-01T00:00:00Z")
        return value



def not_before(value: datetime | None, info: ValidationInfo, earlier: tuple[str, ...]) -> datetime | None:
    """A time that must not precede the ``earlier`` fields already validated (declared above it in the model)."""
    for name in earlier:
        before = info.data.get(name)
        if value is not None and isinstance(before, datetime) and value < before:
            raise ValueError(f"is before {name} ({before.isoformat()})")
    return value
