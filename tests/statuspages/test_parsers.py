"""The feed parsers on small hand-written samples of each real format (tests/statuspages/samples/README.md)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from escalation_kit.errors import InputError
from escalation_kit.statuspages.catalog import load_policy
from escalation_kit.statuspages.check import current_incidents, feed_state, incident_matches, name_pattern
from escalation_kit.statuspages.parsers import FeedFormatError, parse
from statuspages_support import sample

NOW = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)


def test_statuspage_summary_gives_indicator_degraded_components_and_open_incidents() -> None:
    r = parse("statuspage_v2", sample("cloudflare_summary.json"), "https://www.cloudflarestatus.com/")
    assert (r.indicator, r.description) == ("minor", "Minor Service Outage")
    assert r.degraded_components == ["Frankfurt, Germany - (FRA)"]
    titles = [i.title for i in r.incidents]
    # the in-progress maintenance counts, the scheduled one does not
    assert titles == ["Elevated errors for Workers KV in Frankfurt", "IAD datacenter maintenance"]
    kv = r.incidents[0]
    assert kv.ongoing is True and kv.status == "investigating" and kv.impact == "minor"
    assert kv.started_at == datetime(2026, 12, 5, 9, 35, tzinfo=UTC)
    assert kv.components == ["Frankfurt, Germany - (FRA)"] and kv.link == "https://stspg.io/p7qx0k3zt9lm"
    assert r.page_updated_at == datetime(2026, 12, 5, 9, 58, 12, 104000, tzinfo=UTC)
    assert feed_state(r, current_incidents(r, NOW, load_policy())) == "incident"


def test_statuspage_all_clear_is_operational_only_because_the_feed_says_so() -> None:
    r = parse("statuspage_v2", sample("statuspage_all_clear.json"))
    assert r.incidents == [] and r.degraded_components == [] and r.indicator == "none"
    assert feed_state(r, []) == "operational"
    assert feed_state(r.model_copy(update={"indicator": ""}), []) == "no_current_incidents"
    assert feed_state(r.model_copy(update={"indicator": "major"}), []) == "degraded"


def test_gcp_incidents_without_end_are_ongoing_with_locations_and_products() -> None:
    r = parse("gcp_incidents_json", sample("gcp_incidents.json"), "https://status.cloud.google.com/")
    open_, closed = r.incidents
    assert open_.ongoing is True and closed.ongoing is False
    assert open_.regions == ["us-central1", "Iowa (us-central1)"]
    assert open_.components == ["Google Cloud SQL"] and open_.impact == "SERVICE_DISRUPTION"
    assert open_.link == "https://status.cloud.google.com/incidents/kK4pvZ3GZ2pPqTFXt6nB"
    assert open_.updated_at == datetime(2026, 12, 5, 9, 50, 41, tzinfo=UTC)
    assert [i.title for i in current_incidents(r, NOW, load_policy())] == [open_.title]


def test_azure_rss_item_carries_its_categories_and_a_bare_z_date() -> None:
    r = parse("rss", sample("azure_feed.rss"))
    (item,) = r.incidents
    assert item.title == "Virtual Machines - West Europe - Service degradation"
    assert item.components == ["Compute", "West Europe"]
    assert item.updated_at == datetime(2026, 12, 5, 9, 45, tzinfo=UTC) and item.ongoing is None
    assert r.description == "Azure Status"
    assert current_incidents(r, NOW, load_policy()) == [item]
    assert parse("rss", sample("azure_empty.rss")).incidents == []


def test_rss_and_atom_items_count_as_current_only_when_recent_and_not_marked_resolved() -> None:
    policy = load_policy()
    aws = parse("rss", sample("aws_all.rss"))
    current = [i.title for i in current_incidents(aws, NOW, policy)]
    assert current == ["Informational message: Increased API Error Rates"]  # the [RESOLVED] one is dropped
    later = NOW.replace(hour=23)  # 14 h after the item: older than the policy's max_age_hours (6)
    assert current_incidents(aws, later, policy) == []
    atom = parse("atom", sample("gcp_feed.atom"))
    assert [i.title[:7] for i in current_incidents(atom, NOW, policy)] == ["UPDATE:"]  # RESOLVED: is dropped
    assert atom.incidents[0].components == ["Google Cloud SQL"]


@pytest.mark.parametrize(("fmt", "name", "why"), [
    ("statuspage_v2", "bad.json", "not JSON"),
    ("gcp_incidents_json", "bad.json", "not JSON"),
    ("rss", "bad.xml", "not a well-formed RSS feed"),
    ("rss", "cloudflare_summary.json", "not a well-formed RSS feed"),
    ("statuspage_v2", "gcp_incidents.json", "no 'incidents' list"),
    ("gcp_incidents_json", "cloudflare_summary.json", "not a JSON array"),
    ("statuspage_v2", "aws_all.rss", "not JSON"),
])
def test_a_body_in_the_wrong_format_is_refused_with_a_short_reason(fmt: str, name: str, why: str) -> None:
    with pytest.raises(FeedFormatError, match=why):
        parse(fmt, sample(name))


def test_a_format_error_never_echoes_a_large_body() -> None:
    body = b'{"status": "' + b"x" * 200_000
    with pytest.raises(FeedFormatError) as caught:
        parse("statuspage_v2", body)
    assert len(str(caught.value)) < 200 and "xxxxxxxxxx" not in str(caught.value)


@pytest.mark.parametrize(("name", "text", "hit"), [
    ("West US", "Virtual Machines - West US - Service degradation", True),
    ("West US", "Virtual Machines - West US 2 - Service degradation", False),
    ("west-us", "virtual machines in westus", True),
    ("us-east-1", "http://status.aws.amazon.com/#ec2-us-east-1_1796461320", True),
    ("us-east-1", "use1-az1 in us-east-1a", True),
    ("us-east-1", "us-east-10", False),
    ("FRA", "Frankfurt, Germany - (FRA)", True),
    ("fra", "Infrastructure", False),
    ("ec2", "http://status.aws.amazon.com/#ec2-us-east-1_1796461320", True),
    ("Cloud SQL", "Google Cloud SQL", True),
])
def test_names_match_as_whole_words_not_followed_by_a_digit(name: str, text: str, hit: bool) -> None:
    assert bool(name_pattern("region", name).search(text.lower())) is hit


def test_matching_looks_in_the_policy_fields_only() -> None:
    r = parse("gcp_incidents_json", sample("gcp_incidents.json"))
    pattern = name_pattern("region", "us-central1")
    assert incident_matches(r.incidents[0], pattern, ["regions"])
    assert not incident_matches(r.incidents[0], pattern, ["components", "link"])


@pytest.mark.parametrize("bad", ["", "---", "x" * 81])
def test_a_name_without_letters_or_too_long_is_an_input_error(bad: str) -> None:
    with pytest.raises(InputError, match="^region: expected a region or product name"):
        name_pattern("region", bad)
