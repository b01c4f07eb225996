"""The fetcher and the whole check against a real HTTP server on 127.0.0.1 serving the samples."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from escalation_kit.errors import InputError
from escalation_kit.statuspages import check_status
from escalation_kit.statuspages.fetch import FetchError, Limits, fetch
from statuspages_support import Route, feed_server, sample

NOW = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
CF = "/api/v2/summary.json"
GCP, GCP_ATOM = "/incidents.json", "/en/feed.atom"
AZ = "/en-us/status/feed/"


def limits(timeout: float = 2.0, max_bytes: int = 10_000) -> Limits:
    return Limits(timeout=timeout, max_bytes=max_bytes, max_redirects=2, plain_http_hosts=("127.0.0.1",),
                  user_agent="test-agent")


def test_a_statuspage_feed_is_read_and_the_region_and_product_found() -> None:
    with feed_server({CF: Route(sample("cloudflare_summary.json"))}) as (base, seen):
        r = check_status("cloudflare", region="FRA", product="Workers KV", base_url=base, now=NOW)
    assert r.verified and r.state == "incident" and r.feed_id == "cloudflare-summary"
    assert r.feed_url == f"{base}{CF}" and r.checked_at == NOW and r.feed_documented is True
    assert r.region_in_current_incident is True and r.product_in_current_incident is True
    assert r.matching_incidents == ["Elevated errors for Workers KV in Frankfurt"]
    assert r.degraded_components == ["Frankfurt, Germany - (FRA)"]
    assert "FRA" in r.summary and "2 current incident(s)" in r.summary and "2026-12-05 10:00 UTC" in r.summary
    (request,) = seen
    assert request["path"] == CF and request["user-agent"].startswith("escalation-kit")
    assert not {"authorization", "cookie", "proxy-authorization"} & set(request)


def test_an_all_clear_feed_is_operational_and_a_region_not_in_it_says_so() -> None:
    with feed_server({CF: Route(sample("statuspage_all_clear.json"))}) as (base, _):
        r = check_status("cloudflare", region="FRA", base_url=base, now=NOW)
    assert (r.verified, r.state, r.region_in_current_incident, r.incidents) == (True, "operational", False, [])
    assert "does not appear" in r.summary


def test_gcp_reads_the_json_history_first_and_only_open_incidents_count() -> None:
    with feed_server({GCP: Route(sample("gcp_incidents.json"))}) as (base, seen):
        hit = check_status("gcp", region="us-central1", product="Cloud SQL", base_url=base, now=NOW)
        miss = check_status("gcp", region="europe-west1", base_url=base, now=NOW)
    assert hit.feed_id == "gcp-incidents-json" and hit.feed_documented is False
    assert hit.region_in_current_incident and hit.product_in_current_incident
    assert miss.verified and miss.region_in_current_incident is False  # that incident has ended
    assert [s["path"] for s in seen] == [GCP, GCP]


def test_when_the_first_feed_fails_the_next_one_is_read_and_both_attempts_are_reported() -> None:
    routes = {GCP: Route(b"oops", 500, content_type="text/plain"),
              GCP_ATOM: Route(sample("gcp_feed.atom"), content_type="application/atom+xml")}
    with feed_server(routes) as (base, _):
        r = check_status("gcp", base_url=base, now=NOW)
    assert r.verified and r.feed_id == "gcp-atom" and r.feed_documented is True
    assert [(a.feed_id, a.ok, a.failure) for a in r.attempts] == [
        ("gcp-incidents-json", False, "http_status"), ("gcp-atom", True, None)]
    assert "HTTP 500" in r.attempts[0].error and "gcp-incidents-json" in r.attempts[0].error


def test_an_empty_azure_channel_is_no_current_incidents_not_operational() -> None:
    with feed_server({AZ: Route(sample("azure_empty.rss"), content_type="application/rss+xml")}) as (base, _):
        r = check_status("azure", region="West Europe", base_url=base, now=NOW)
    assert (r.verified, r.state, r.region_in_current_incident) == (True, "no_current_incidents", False)


def test_an_azure_item_names_its_region() -> None:
    with feed_server({AZ: Route(sample("azure_feed.rss"), content_type="application/rss+xml")}) as (base, _):
        r = check_status("azure", region="West Europe", product="Virtual Machines", base_url=base, now=NOW)
        other = check_status("azure", region="North Europe", base_url=base, now=NOW)
    assert r.state == "incident" and r.region_in_current_incident and r.product_in_current_incident
    assert other.region_in_current_incident is False  # named only in the description, which is not matched


@pytest.mark.parametrize(("route", "kind", "words"), [
    (Route(b"", 500, content_type="text/plain"), "http_status", "HTTP 500"),
    (Route(b"gone", 404, content_type="text/plain"), "http_status", "HTTP 404"),
    (Route(b"x" * 50_000), "too_large", "over the 10000-byte cap"),
    (Route(b"x" * 50_000, declare_length=False), "too_large", "stopped reading"),
])
def test_each_fetch_failure_is_named_and_short(route: Route, kind: str, words: str) -> None:
    with feed_server({CF: route}) as (base, _), pytest.raises(FetchError) as caught:
        fetch("cloudflare-summary", base + CF, limits())
    assert caught.value.kind == kind and words in str(caught.value)
    assert str(caught.value).startswith(f"cloudflare-summary ({base}{CF}): ") and "xxxxx" not in str(caught.value)


def test_bad_json_is_not_verified_and_points_to_the_page_to_open() -> None:
    with feed_server({CF: Route(sample("bad.json"))}) as (base, _):
        r = check_status("cloudflare", base_url=base, now=NOW)
    assert (r.verified, r.state, r.attempts[0].failure) == (False, "not_verified", "bad_format")
    assert "not JSON" in r.reason and "NOT VERIFIED" in r.summary and "https://www.cloudflarestatus.com/" in r.summary


def test_a_slow_feed_times_out_within_the_deadline_and_is_not_verified() -> None:
    with feed_server({CF: Route(sample("statuspage_all_clear.json"), delay=3.0)}) as (base, _):
        started = time.monotonic()
        r = check_status("cloudflare", base_url=base, timeout=0.5, now=NOW)
        elapsed = time.monotonic() - started
    assert (r.verified, r.state, r.attempts[0].failure) == (False, "not_verified", "timeout")
    assert "within 0.5 s" in r.reason and elapsed < 2.0


def test_bad_xml_is_not_verified_for_every_azure_feed() -> None:
    with feed_server({AZ: Route(sample("bad.xml"), content_type="application/rss+xml")}) as (base, _):
        r = check_status("azure", base_url=base, now=NOW)
    assert not r.verified and [a.failure for a in r.attempts] == ["bad_format", "bad_format"]
    assert r.region_in_current_incident is None and r.incidents == []


def test_a_redirect_off_loopback_to_plain_http_is_refused_without_following_it() -> None:
    hop = Route(b"", 302, headers={"Location": "http://status.example.com/api/v2/summary.json"})
    with feed_server({CF: hop}) as (base, seen), pytest.raises(FetchError) as caught:
        fetch("cloudflare-summary", base + CF, limits())
    assert caught.value.kind == "refused_url" and "scheme 'http' is not allowed" in str(caught.value)
    assert len(seen) == 1


def test_a_redirect_on_loopback_is_followed() -> None:
    routes = {"/old": Route(b"", 301, headers={"Location": CF}), CF: Route(sample("statuspage_all_clear.json"))}
    with feed_server(routes) as (base, seen):
        got = fetch("cloudflare-summary", base + "/old", limits())
    assert got.url == base + CF and got.body == sample("statuspage_all_clear.json")
    assert [s["path"] for s in seen] == ["/old", CF]


@pytest.mark.parametrize(("url", "words"), [
    ("http://status.example.com/feed", "scheme 'http' is not allowed"),
    ("https://user:secret@status.example.com/feed", "user name or password"),
    ("file:///etc/passwd", "has no host"),
])
def test_urls_that_are_not_plain_public_https_are_refused_before_any_connection(url: str, words: str) -> None:
    with pytest.raises(FetchError) as caught:
        fetch("f", url, limits())
    assert caught.value.kind == "refused_url" and words in str(caught.value)


def test_a_vendor_without_a_public_feed_is_not_verified_with_the_page_to_open() -> None:
    r = check_status("alibaba-cn", region="cn-hangzhou")
    assert (r.verified, r.state, r.attempts[0].failure) == (False, "not_verified", "no_feed")
    assert r.status_pages == ["https://status.aliyun.com/"] and "https://status.aliyun.com/" in r.summary
    assert r.region_in_current_incident is None


def test_catalog_aliases_resolve_and_an_ambiguous_one_names_its_choices() -> None:
    assert check_status("aliyun").vendor == "alibaba-cn"
    with pytest.raises(InputError, match="^vendor: 'alibaba' could be any of these.*allowed: alibaba-cn, alibaba-intl"):
        check_status("alibaba")


def test_bad_input_is_an_input_error_naming_the_field() -> None:
    with pytest.raises(InputError, match="^vendor: no status feed facts for 'digitalocean'.*allowed: alibaba-cn"):
        check_status("digitalocean")
    with pytest.raises(InputError, match="^base_url: "):
        check_status("aws", base_url="ftp://127.0.0.1")
    with pytest.raises(InputError, match="^timeout: "):
        check_status("aws", timeout=0)
