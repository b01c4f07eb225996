"""Read references/policy/notify.yaml once: our paging and notice policy, checked against the PagerDuty facts."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from escalation_kit.datafiles import load_yaml
from escalation_kit.errors import DataError
from escalation_kit.paths import references_dir
from escalation_kit.vocab import SEVERITIES

FILE = "policy/notify.yaml"
# The stakeholder notices watch knows how to find in a record's events (the policy picks among them).
NOTICE_KINDS = ("tier_raised", "exec_level_raised", "de_escalated", "resolved")


@dataclass(frozen=True)
class NotifyPolicy:
    """Our choices (severity map, what pages, what is announced) and the vendor limits they must respect."""

    pd_severity: dict[str, str]
    trigger_kinds: frozenset[str]
    dedup_prefix: str
    source: str
    notice_kinds: frozenset[str]
    max_age_minutes: int
    endpoint: str
    summary_max: int
    dedup_max: int


def _section(data: dict[str, Any], *path: str) -> Any:
    node: Any = data
    for key in path:
        if not isinstance(node, dict) or key not in node:
            raise DataError(f"{references_dir() / FILE}: {'.'.join(path)} is missing")
        node = node[key]
    return node


@cache
def load_notify_policy() -> NotifyPolicy:
    """The policy, validated: every P level mapped to a severity PagerDuty accepts, known notice kinds."""
    path = references_dir() / FILE
    data = load_yaml(path)
    fact = _section(data, "vendor_fact", "pagerduty_events_v2")
    allowed = set(_section(fact, "severities"))
    mapping = dict(_section(data, "policy", "pagerduty", "severity"))
    if set(mapping) != set(SEVERITIES) or not set(mapping.values()) <= allowed:
        raise DataError(f"{path}: policy.pagerduty.severity must map each of {', '.join(SEVERITIES)} to one of "
                        f"{', '.join(sorted(allowed))}; it has {mapping}")
    kinds = set(_section(data, "policy", "notices", "kinds"))
    if not kinds <= set(NOTICE_KINDS):
        raise DataError(f"{path}: unknown notice kinds {sorted(kinds - set(NOTICE_KINDS))}")
    limits = _section(fact, "max_chars")
    return NotifyPolicy(
        pd_severity=mapping,
        trigger_kinds=frozenset(_section(data, "policy", "pagerduty", "trigger_kinds")),
        dedup_prefix=str(_section(data, "policy", "pagerduty", "dedup_key_prefix")),
        source=str(_section(data, "policy", "pagerduty", "source")),
        notice_kinds=frozenset(kinds),
        max_age_minutes=int(_section(data, "policy", "notices", "max_age_minutes")),
        endpoint=str(_section(fact, "endpoint")),
        summary_max=int(limits["payload.summary"]),
        dedup_max=int(limits["dedup_key"]),
    )
