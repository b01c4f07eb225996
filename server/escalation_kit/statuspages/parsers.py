"""Parsers, one per feed format: pure functions from the body's bytes to a ``FeedReading``.

No I/O and no clock: which incidents are *current* is decided afterwards by our policy
(``check.current_incidents``). A body that is not the format it claims to be raises
``FeedFormatError`` with a short reason (never the body itself).

RSS and Atom go through ``feedparser`` (bytes in, never a URL, so it fetches nothing): it copes with
both dialects, their date formats and broken encodings, which a hand-written ElementTree reader
would re-learn one vendor at a time.
"""

from __future__ import annotations

import calendar
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from escalation_kit.statuspages.models import FeedReading, Incident

MAX_TITLE = 300
_CLOSED_STATUSPAGE = frozenset({"resolved", "postmortem", "completed"})


class FeedFormatError(ValueError):
    """The body is not the feed format it should be (the message says why, briefly)."""


def parse(fmt: str, body: bytes, link_base: str = "") -> FeedReading:
    """Parse ``body`` as feed format ``fmt``."""
    parser = PARSERS.get(fmt)
    if parser is None:
        raise FeedFormatError(f"no parser for format {fmt!r}")
    return parser(body, link_base)


def _json(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise FeedFormatError("body is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise FeedFormatError(f"body is not JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None


def _instant(value: Any) -> datetime | None:
    """An ISO 8601 timestamp as an aware datetime (UTC when it has no offset); None when absent or unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _text(value: Any, limit: int = MAX_TITLE) -> str:
    text = " ".join(str(value).split()) if value is not None else ""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _names(items: Any, *keys: str) -> list[str]:
    """The first non-empty of ``keys`` from each dict in a list, de-duplicated in order."""
    out: list[str] = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            name = next((_text(item[k], 120) for k in keys if item.get(k)), "")
            if name and name not in out:
                out.append(name)
    return out


def _link(base: str, path: Any) -> str:
    if not isinstance(path, str) or not path:
        return ""
    return path if path.startswith(("http://", "https://")) or not base else base.rstrip("/") + "/" + path.lstrip("/")


def parse_statuspage_v2(body: bytes, link_base: str = "") -> FeedReading:
    """Atlassian Statuspage ``/api/v2/summary.json`` (or ``incidents/unresolved.json``)."""
    data = _json(body)
    if not isinstance(data, dict) or not isinstance(data.get("incidents"), list):
        raise FeedFormatError("not a Statuspage v2 document: no 'incidents' list")
    status = data.get("status") if isinstance(data.get("status"), dict) else {}
    page = data.get("page") if isinstance(data.get("page"), dict) else {}
    incidents = [_statuspage_incident(i, link_base) for i in data["incidents"] if isinstance(i, dict)]
    for m in data.get("scheduled_maintenances") or []:
        if isinstance(m, dict) and m.get("status") == "in_progress":
            incidents.append(_statuspage_incident({**m, "impact": "maintenance"}, link_base))
    degraded = [
        _text(c.get("name"), 120) for c in data.get("components") or []
        if isinstance(c, dict) and c.get("name") and c.get("status") not in (None, "operational")
    ]
    return FeedReading(
        format="statuspage_v2",
        indicator=_text(status.get("indicator", ""), 40),
        description=_text(status.get("description", "")),
        page_updated_at=_instant(page.get("updated_at")),
        incidents=incidents,
        degraded_components=degraded,
    )


def _statuspage_incident(raw: dict[str, Any], link_base: str) -> Incident:
    state = _text(raw.get("status", ""), 40)
    return Incident(
        title=_text(raw.get("name")) or "(untitled incident)",
        id=_text(raw.get("id", ""), 80),
        status=state,
        impact=_text(raw.get("impact", ""), 40),
        ongoing=state.lower() not in _CLOSED_STATUSPAGE if state else None,
        started_at=_instant(raw.get("started_at")) or _instant(raw.get("created_at")),
        updated_at=_instant(raw.get("updated_at")),
        components=_names(raw.get("components"), "name"),
        link=_link(link_base, raw.get("shortlink") or (f"incidents/{raw['id']}" if raw.get("id") else "")),
    )


def parse_gcp_incidents(body: bytes, link_base: str = "") -> FeedReading:
    """Google Cloud Service Health ``incidents.json``: a list; an incident without ``end`` is ongoing."""
    data = _json(body)
    if not isinstance(data, list):
        raise FeedFormatError("not a Google Cloud incidents list: the top level is not a JSON array")
    incidents = []
    for raw in data:
        if not isinstance(raw, dict) or "begin" not in raw:
            raise FeedFormatError("not a Google Cloud incidents list: an item has no 'begin'")
        update = raw.get("most_recent_update") if isinstance(raw.get("most_recent_update"), dict) else {}
        places = raw.get("currently_affected_locations") or update.get("affected_locations")
        incidents.append(Incident(
            title=_text(raw.get("external_desc")) or "(untitled incident)",
            id=_text(raw.get("id", ""), 80),
            status=_text(update.get("status", ""), 40),
            impact=_text(raw.get("status_impact", "") or raw.get("severity", ""), 40),
            ongoing=not raw.get("end"),
            started_at=_instant(raw.get("begin")),
            updated_at=_instant(raw.get("modified")) or _instant(update.get("modified")),
            components=_names(raw.get("affected_products"), "title", "id"),
            regions=list(dict.fromkeys(_names(places, "id") + _names(places, "title"))),
            link=_link(link_base, raw.get("uri")),
        ))
    return FeedReading(format="gcp_incidents_json", incidents=incidents)


def _feed(body: bytes, fmt: str) -> FeedReading:
    """RSS or Atom through feedparser; a body feedparser cannot recognise as a feed is refused."""
    import feedparser

    parsed = feedparser.parse(bytes(body))  # bytes: feedparser treats a str as a URL or path to open
    broken = parsed.get("bozo") and not isinstance(parsed.get("bozo_exception"), feedparser.CharacterEncodingOverride)
    version = parsed.get("version") or ""
    if broken or not version:
        why = type(parsed.get("bozo_exception")).__name__ if broken else "no RSS or Atom root element"
        raise FeedFormatError(f"not a well-formed {fmt.upper()} feed ({why})")
    channel = parsed.get("feed", {})
    return FeedReading(
        format=fmt,
        description=_text(channel.get("title", "")),
        page_updated_at=_struct(dict.get(channel, "updated_parsed")),
        incidents=[_entry(e) for e in parsed.get("entries", [])],
    )


def _entry(entry: Any) -> Incident:
    tags = [_text(t.get("term"), 120) for t in entry.get("tags") or [] if t.get("term")]
    published = _struct(dict.get(entry, "published_parsed"))
    return Incident(
        title=_text(entry.get("title")) or "(untitled item)",
        id=_text(entry.get("id", ""), 200),
        started_at=published,
        updated_at=_struct(dict.get(entry, "updated_parsed")) or published,  # dict.get: no feedparser fallback
        components=list(dict.fromkeys(tags)),
        link=_text(entry.get("link", ""), 500),
    )


def _struct(value: Any) -> datetime | None:
    """feedparser's UTC struct_time as an aware datetime."""
    return datetime.fromtimestamp(calendar.timegm(value), UTC) if value else None


def parse_rss(body: bytes, link_base: str = "") -> FeedReading:
    """RSS 2.0 (and the older dialects feedparser knows)."""
    return _feed(body, "rss")


def parse_atom(body: bytes, link_base: str = "") -> FeedReading:
    """Atom 1.0."""
    return _feed(body, "atom")


PARSERS: dict[str, Callable[[bytes, str], FeedReading]] = {
    "statuspage_v2": parse_statuspage_v2,
    "gcp_incidents_json": parse_gcp_incidents,
    "rss": parse_rss,
    "atom": parse_atom,
}
