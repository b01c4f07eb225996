"""The one place that turns a caller's time-zone name or timestamp into a ZoneInfo or an aware datetime.

Folder names inside the zone database ("Asia", "Etc"), paths, empty strings and absurdly long names
are refused with the same message as unknown zones, and the value is quoted only in part. Instants
outside 1970..2200 are refused too: year 1 or 9999 is never a real incident time, and near datetime's
limits any conversion to UTC or a zone, or a deadline added to it, overflows.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache, lru_cache
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from escalation_kit.errors import InputError, quote

MAX_ZONE_CHARS = 64  # the longest IANA name is 32 characters; anything far longer is not a zone
ISO_FORMS = ["ISO 8601 with an offset, e.g. 2026-03-08T01:30:00-05:00 or 2026-03-08T06:30:00Z"]
ZONE_FORMS = ["an IANA name such as UTC, Asia/Shanghai, Europe/Moscow"]
# Instants a caller may give: wide enough for any real incident, far enough from datetime's year-9999
# limit that deadlines, update times and calendars computed from them never overflow.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)
RANGE_FORMS = ["between 1970-01-01T00:00:00Z and 2200-01-01T00:00:00Z"]


def parse_zone(name: object, field_name: str = "timezone") -> ZoneInfo:
    """Load an IANA time zone or raise an InputError naming the field and the expected form."""
    if not isinstance(name, str) or not name or len(name) > MAX_ZONE_CHARS:
        raise InputError(field_name, f"{quote(name)} is not a known IANA time zone", allowed=ZONE_FORMS)
    zone = _load(name)
    if zone is None:
        raise InputError(field_name, f"{quote(name)} is not a known IANA time zone", allowed=ZONE_FORMS)
    return zone


def zone_country(name: str) -> str | None:
    """The ISO country code the IANA zone database gives a zone ("Asia/Shanghai" -> "CN"), or None.

    Read from tzdata's zone.tab, which names one country per zone; zones that serve no one country
    (UTC, Etc/GMT+3) and old aliases that zone.tab does not list have none.
    """
    return _zone_countries().get(name)


@cache
def _zone_countries() -> dict[str, str]:
    table = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in table.splitlines() if line and not line.startswith("#"))
    return {row[2]: row[0] for row in rows if len(row) >= 3}


@lru_cache(maxsize=256)
def _load(name: str) -> ZoneInfo | None:
    if name.startswith(("/", ".")) or ".." in name or "\\" in name or "\x00" in name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError, OSError):  # a folder such as "Asia" is an OSError
        return None


def parse_instant(value: str | datetime, field_name: str) -> datetime:
    """An aware datetime from ISO 8601 text or a datetime; naive or malformed input is an InputError."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError as exc:
            raise InputError(field_name, f"{quote(value)} is not an ISO 8601 timestamp", allowed=ISO_FORMS) from exc
    else:
        raise InputError(field_name, f"expected text, got {type(value).__name__}", allowed=ISO_FORMS)
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        message = f"{quote(str(value))} has no UTC offset (naive time is ambiguous)"
        raise InputError(field_name, message, allowed=ISO_FORMS)
    if not in_range(parsed):
        raise InputError(field_name, f"{quote(str(value))} is outside the supported range", allowed=RANGE_FORMS)
    return parsed


def in_range(moment: datetime) -> bool:
    """Whether an aware instant lies in EARLIEST..LATEST (False also when it cannot even be put in UTC)."""
    try:
        return EARLIEST <= moment.astimezone(UTC) <= LATEST
    except OverflowError:  # e.g. 9999-12-31T23:00:00-05:00 is past datetime's last UTC instant
        return False
