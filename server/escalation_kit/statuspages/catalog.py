"""Read the feed facts (references/statuspages/feeds.yaml) and our policy (references/policy/statuspages.yaml).

Both are validated on first use; a broken file is a ``DataError`` naming the file and the field,
never a KeyError in the middle of a check.
"""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from escalation_kit.datafiles import load_yaml
from escalation_kit.errors import DataError
from escalation_kit.paths import references_dir
from escalation_kit.statuspages.parsers import PARSERS

FACTS_FILE = "statuspages/feeds.yaml"
POLICY_FILE = "policy/statuspages.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    id: str
    url: str
    checked: str
    says: str


class Feed(_Strict):
    id: str
    format: str
    url: str
    link_base: str = ""
    unverified: bool = False
    note: str = ""
    sources: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _known_format(self) -> Feed:
        if self.format not in PARSERS:
            raise ValueError(f"format {self.format!r} is not one of {', '.join(PARSERS)}")
        if not self.url.startswith("https://"):
            raise ValueError(f"url {self.url!r} must be https")
        return self


class VendorFeeds(_Strict):
    feeds: list[Feed]
    note: str = ""
    sources: list[str] = Field(default_factory=list)


class FactsFile(_Strict):
    checked: str
    vendors: dict[str, VendorFeeds]
    sources: list[Source]

    @model_validator(mode="after")
    def _consistent(self) -> FactsFile:
        known = {s.id for s in self.sources}
        ids: list[str] = []
        for vendor, entry in self.vendors.items():
            if not entry.feeds and not entry.note:
                raise ValueError(f"vendors.{vendor}: no feeds and no note saying why")
            cited = list(entry.sources) + [s for f in entry.feeds for s in f.sources]
            missing = sorted(set(cited) - known)
            if missing:
                raise ValueError(f"vendors.{vendor}: unknown source ids {missing}")
            ids += [f.id for f in entry.feeds]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"feed ids used twice: {dupes}")
        return self


class FetchPolicy(_Strict):
    timeout_seconds: float = Field(gt=0, le=60)
    max_bytes: int = Field(gt=0)
    max_bytes_per_feed: dict[str, int] = Field(default_factory=dict)
    max_redirects: int = Field(ge=0, le=10)
    plain_http_hosts: list[str]
    user_agent: str


class CurrentPolicy(_Strict):
    max_age_hours: float = Field(gt=0)
    resolved_markers: list[str]


class MatchPolicy(_Strict):
    fields: list[str]

    @model_validator(mode="after")
    def _known_fields(self) -> MatchPolicy:
        allowed = {"regions", "components", "title", "id", "link"}
        if not self.fields or not set(self.fields) <= allowed:
            raise ValueError(f"match.fields must be some of {sorted(allowed)}")
        return self


class Policy(_Strict):
    prefer: dict[str, list[str]] = Field(default_factory=dict)
    fetch: FetchPolicy
    current: CurrentPolicy
    match: MatchPolicy

    def max_bytes_for(self, feed_id: str) -> int:
        """The size cap for one feed: its own entry, else the default."""
        return self.fetch.max_bytes_per_feed.get(feed_id, self.fetch.max_bytes)


def _validated(model: type[BaseModel], name: str) -> BaseModel:
    path = references_dir() / name
    try:
        return model.model_validate(load_yaml(path))
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or '(top)'}: {e['msg']}" for e in exc.errors())
        raise DataError(f"{path}: {problems}") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot be read ({exc.strerror or exc})") from None


@cache
def load_facts() -> FactsFile:
    """The feed facts, validated: known formats, https URLs, every cited source present."""
    facts = _validated(FactsFile, FACTS_FILE)
    assert isinstance(facts, FactsFile)
    return facts


@cache
def load_policy() -> Policy:
    """Our policy, validated, and checked against the facts (every preferred feed id exists)."""
    policy = _validated(Policy, POLICY_FILE)
    assert isinstance(policy, Policy)
    facts = load_facts()
    for vendor, order in policy.prefer.items():
        feeds = {f.id for f in facts.vendors.get(vendor, VendorFeeds(feeds=[], note="-")).feeds}
        unknown = sorted(set(order) - feeds)
        if vendor not in facts.vendors or unknown:
            raise DataError(f"{references_dir() / POLICY_FILE}: prefer.{vendor} names feeds not in "
                            f"{FACTS_FILE}: {unknown or order}")
    return policy


def feed_vendors() -> list[str]:
    """Vendor ids the facts file covers, sorted."""
    return sorted(load_facts().vendors)


def ordered_feeds(vendor: str) -> list[Feed]:
    """A vendor's feeds in the order the policy tries them (preferred first, then the file's order)."""
    feeds = load_facts().vendors[vendor].feeds
    order = load_policy().prefer.get(vendor, [])
    rank = {fid: i for i, fid in enumerate(order)}
    return sorted(feeds, key=lambda f: rank.get(f.id, len(order)))
