"""The feed facts and our policy: every vendor covered, every feed sourced, policy consistent with the facts."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from escalation_kit.statuspages.catalog import FactsFile, Policy, load_facts, load_policy, ordered_feeds
from escalation_kit.vendors import vendor_ids


def test_every_catalog_vendor_has_an_entry_and_no_other() -> None:
    assert sorted(load_facts().vendors) == sorted(vendor_ids())
    assert len(load_facts().vendors) == 10


def test_every_feed_is_https_with_a_parser_and_a_checked_source() -> None:
    facts = load_facts()
    sources = {s.id: s for s in facts.sources}
    feeds = [f for v in facts.vendors.values() for f in v.feeds]
    assert len(feeds) >= 6
    for feed in feeds:
        assert feed.url.startswith("https://") and feed.sources
        assert all(sources[s].checked == "2026-12-05" and sources[s].url.startswith("https://") for s in feed.sources)
        assert feed.unverified or feed.note, feed.id  # a documented feed still says where it is stated


def test_a_vendor_without_feeds_says_why() -> None:
    empty = {vid: v for vid, v in load_facts().vendors.items() if not v.feeds}
    assert {"alibaba-cn", "alibaba-intl", "tencent", "huawei", "yandex"} == set(empty)
    assert all(len(v.note) > 40 for v in empty.values())


def test_only_the_feeds_a_vendor_page_states_are_marked_documented() -> None:
    documented = sorted(f.id for v in load_facts().vendors.values() for f in v.feeds if not f.unverified)
    assert documented == ["cloudflare-summary", "gcp-atom"]


def test_the_policy_orders_gcp_json_first_and_keeps_the_file_order_otherwise() -> None:
    assert [f.id for f in ordered_feeds("gcp")] == ["gcp-incidents-json", "gcp-atom"]
    assert [f.id for f in ordered_feeds("aws")] == ["aws-all-rss"]
    policy = load_policy()
    assert policy.max_bytes_for("gcp-incidents-json") > policy.max_bytes_for("aws-all-rss") == policy.fetch.max_bytes


@pytest.mark.parametrize(("change", "words"), [
    (lambda d: d["vendors"]["aws"]["feeds"][0].update(format="html"), "format 'html' is not one of"),
    (lambda d: d["vendors"]["aws"]["feeds"][0].update(url="http://status.aws.amazon.com/rss/all.rss"), "must be https"),
    (lambda d: d["vendors"]["aws"]["feeds"][0].update(sources=["nowhere"]), "unknown source ids"),
    (lambda d: d["vendors"]["tencent"].update(note=""), "no feeds and no note"),
    (lambda d: d["vendors"]["azure"]["feeds"][1].update(id="azure-rss"), "used twice"),
])
def test_a_broken_facts_file_is_refused_naming_the_problem(change, words: str) -> None:
    data = load_facts().model_dump()
    change(data)
    with pytest.raises(ValidationError, match=words):
        FactsFile.model_validate(data)


def test_a_policy_with_unknown_match_fields_is_refused() -> None:
    data = load_policy().model_dump()
    data["match"]["fields"] = ["title", "description"]
    with pytest.raises(ValidationError, match="match.fields must be some of"):
        Policy.model_validate(data)
