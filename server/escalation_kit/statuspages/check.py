"""The status check: try a vendor's feeds in policy order, parse the first readable one, decide what is current.

``check_status`` is the entry point. It never answers "operational" for a feed it could not read:
any failure, or a vendor with no public feed, gives ``verified: false`` and ``state: not_verified``
with the reason and the human status page to open instead.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from escalation_kit.errors import InputError, quote
from escalation_kit.statuspages.catalog import Feed, Policy, feed_vendors, load_facts, load_policy, ordered_feeds
from escalation_kit.statuspages.fetch import FetchError, Limits, checked_url, fetch
from escalation_kit.statuspages.models import Attempt, CheckState, FeedReading, Incident, StatusCheck
from escalation_kit.statuspages.parsers import FeedFormatError, parse

BASE_URL_ENV = "ESCALATION_KIT_STATUS_BASE_URL"
MAX_NAME = 80


def name_pattern(field: str, name: str) -> re.Pattern[str]:
    """The regex a region or product name matches as: its words in order, any of space/-/_ between, no digit after."""
    words = re.findall(r"[a-z0-9]+", name.lower())
    if not words or len(name) > MAX_NAME:
        raise InputError(field, f"expected a region or product name of 1-{MAX_NAME} characters with a letter "
                         f"or digit, got {quote(name)}")
    body = r"[\s_\-./]*".join(re.escape(w) for w in words)
    tail = r"(?![\s\-]*\d)" if words[-1][-1].isdigit() else r"(?![a-z0-9])(?![\s\-]*\d)"
    return re.compile(r"(?<![a-z0-9])" + body + tail)


def incident_matches(incident: Incident, pattern: re.Pattern[str], fields: list[str]) -> bool:
    """Whether the name appears in any of the policy's fields of one incident."""
    texts: list[str] = []
    for f in fields:
        value = getattr(incident, f)
        texts += value if isinstance(value, list) else [value]
    return any(pattern.search(t.lower()) for t in texts if t)


def current_incidents(reading: FeedReading, now: datetime, policy: Policy) -> list[Incident]:
    """The incidents our policy counts as current: open by the feed's word, else recent and not marked resolved."""
    horizon = now - timedelta(hours=policy.current.max_age_hours)
    markers = [m.lower() for m in policy.current.resolved_markers]
    out = []
    for inc in reading.incidents:
        if inc.ongoing is not None:
            if inc.ongoing:
                out.append(inc)
            continue
        when = inc.updated_at or inc.started_at
        if any(m in inc.title.lower() for m in markers) or (when is not None and when < horizon):
            continue
        out.append(inc)
    return out


def feed_state(reading: FeedReading, current: list[Incident]) -> CheckState:
    """The overall state a readable feed supports (see ``models.CheckState``)."""
    indicator = reading.indicator.lower()
    if current:
        return "maintenance" if all(i.impact == "maintenance" for i in current) else "incident"
    if indicator == "maintenance":
        return "maintenance"
    if reading.degraded_components or indicator in ("minor", "major", "critical"):
        return "degraded"
    return "operational" if indicator == "none" else "no_current_incidents"


def _vendor(vendor: str) -> str:
    """The vendor id for an id or a catalog alias ("aliyun" → alibaba-cn); an ambiguous alias names its choices."""
    from escalation_kit.vendors import list_vendors, normalise

    key = normalise(vendor)
    if key in load_facts().vendors:
        return key
    catalog = list_vendors()
    if key in catalog.ambiguous_aliases:
        choices = catalog.ambiguous_aliases[key]
        raise InputError("vendor", f"{quote(vendor)} could be any of these; name one", allowed=choices)
    ids = [v.id for v in catalog.vendors if key in (normalise(a) for a in v.aliases)]
    if len(ids) == 1 and ids[0] in load_facts().vendors:
        return ids[0]
    raise InputError("vendor", f"no status feed facts for {quote(vendor)}", allowed=feed_vendors())


def _status_pages(vendor: str) -> list[str]:
    """The human status pages the vendor catalog lists, to open when the feed cannot be read."""
    from escalation_kit.vendors import list_vendors

    for v in list_vendors().vendors:
        if v.id == vendor:
            return [p.url for p in v.status_pages if p.url]
    return []


def _rebase(url: str, base: str | None) -> str:
    """The feed URL with its scheme and host replaced by ``base`` (tests point feeds at 127.0.0.1)."""
    if not base:
        return url
    parts = url.split("/", 3)
    return base.rstrip("/") + "/" + (parts[3] if len(parts) > 3 else "")


def _limits(policy: Policy, feed: Feed, timeout: float | None) -> Limits:
    f = policy.fetch
    return Limits(timeout=timeout or f.timeout_seconds, max_bytes=policy.max_bytes_for(feed.id),
                  max_redirects=f.max_redirects, plain_http_hosts=tuple(f.plain_http_hosts), user_agent=f.user_agent)


def check_status(vendor: str, region: str | None = None, product: str | None = None, *,
                 base_url: str | None = None, timeout: float | None = None, now: datetime | None = None) -> StatusCheck:
    """Read the vendor's public status feed and say what it shows, or why it could not be read."""
    vendor_id = _vendor(vendor)
    policy = load_policy()
    patterns = {f: name_pattern(f, v) for f, v in (("region", region), ("product", product)) if v is not None}
    if timeout is not None and not 0 < timeout <= 60:
        raise InputError("timeout", f"expected seconds between 0 and 60, got {timeout:g}")
    if base_url:
        try:
            checked_url(base_url, tuple(policy.fetch.plain_http_hosts))
        except ValueError as exc:
            raise InputError("base_url", f"{quote(base_url)} {exc}") from None
    entry = load_facts().vendors[vendor_id]
    base = {"vendor": vendor_id, "region": region, "product": product, "status_pages": _status_pages(vendor_id)}
    if not entry.feeds:
        return _unverified(base, f"no public machine-readable status feed is known for {vendor_id}: {entry.note}",
                           [Attempt(feed_id="", url="", ok=False, failure="no_feed", error=entry.note)], now)
    attempts: list[Attempt] = []
    for feed in ordered_feeds(vendor_id):
        url = _rebase(feed.url, base_url)
        try:
            fetched = fetch(feed.id, url, _limits(policy, feed, timeout))
            reading = parse(feed.format, fetched.body, feed.link_base)
        except FetchError as exc:
            attempts.append(Attempt(feed_id=feed.id, url=url, ok=False, failure=exc.kind, error=str(exc)))
            continue
        except FeedFormatError as exc:
            attempts.append(Attempt(feed_id=feed.id, url=url, ok=False, failure="bad_format",
                                    error=f"{feed.id} ({url}): {exc}"))
            continue
        attempts.append(Attempt(feed_id=feed.id, url=url, ok=True))
        return _conclude(base, feed, url, reading, patterns, attempts, now or datetime.now(UTC), policy)
    return _unverified(base, "; ".join(a.error for a in attempts), attempts, now)


def _unverified(base: dict, reason: str, attempts: list[Attempt], now: datetime | None) -> StatusCheck:
    pages = base["status_pages"]
    see = f" Open {', '.join(pages)} and read it yourself." if pages else ""
    text = f"{base['vendor']}: status NOT VERIFIED - {reason.rstrip('. ')}.{see}"
    return StatusCheck(**base, verified=False, state="not_verified", checked_at=now or datetime.now(UTC), reason=reason,
                       attempts=attempts, summary=text)


def _conclude(base: dict, feed: Feed, url: str, reading: FeedReading, patterns: dict[str, re.Pattern[str]],
              attempts: list[Attempt], now: datetime, policy: Policy) -> StatusCheck:
    current = current_incidents(reading, now, policy)
    state = feed_state(reading, current)
    fields = policy.match.fields
    degraded = [Incident(title=c, components=[c], regions=[c]) for c in reading.degraded_components]
    found = {f: [i for i in current + degraded if incident_matches(i, p, fields)] for f, p in patterns.items()}
    both = [i.title for i in current + degraded if all(incident_matches(i, p, fields) for p in patterns.values())]
    check = StatusCheck(
        **base, verified=True, state=state, checked_at=now, feed_id=feed.id, feed_url=url, feed_format=feed.format,
        feed_documented=not feed.unverified, feed_note=feed.note, description=reading.description,
        incidents=current, degraded_components=reading.degraded_components, attempts=attempts,
        region_in_current_incident=bool(found["region"]) if "region" in found else None,
        product_in_current_incident=bool(found["product"]) if "product" in found else None,
        matching_incidents=both if patterns else [], summary="")
    return check.model_copy(update={"summary": _summary(check)})


def _summary(c: StatusCheck) -> str:
    """One paragraph a person can paste: what was read, when, from where, what it showed."""
    when = c.checked_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    doc = "" if c.feed_documented else " (a feed the vendor does not document)"
    shown = {"operational": "the feed says all systems are operational",
             "no_current_incidents": "no current incident is listed",
             "degraded": f"no open incident, but degraded: {', '.join(c.degraded_components) or c.description}",
             "maintenance": f"maintenance in progress ({len(c.incidents)})",
             "incident": f"{len(c.incidents)} current incident(s): " + "; ".join(i.title for i in c.incidents[:5])}
    text = f"{c.vendor}: read {c.feed_url}{doc} at {when}: {shown[c.state]}."
    for label, value, hit in (("region", c.region, c.region_in_current_incident),
                              ("product", c.product, c.product_in_current_incident)):
        if value is not None:
            text += f" {label} {value!r} {'appears' if hit else 'does not appear'} in a current incident."
    unscoped = [i for i in c.incidents if not i.regions and not i.components]
    if c.region is not None and unscoped:
        text += f" {len(unscoped)} current incident(s) name no region or component: read them before ruling them out."
    return text
