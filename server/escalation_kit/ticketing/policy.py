"""Read references/policy/ticketing.yaml (our mapping) beside the vendor facts it relies on, and check them.

The facts (references/ticketing/*.yaml) say what each system takes: ServiceNow's state, impact and
urgency choice values. The policy says which of our P levels and record statuses maps to which of
them and what a comment says. The loader refuses a policy that leaves a level or status unmapped or
names a value the system does not take, naming the file and the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from escalation_kit.datafiles import load_yaml, required
from escalation_kit.errors import DataError
from escalation_kit.paths import references_dir
from escalation_kit.tracker.models import STATUSES
from escalation_kit.vocab import SEVERITIES

POLICY_FILE = "policy/ticketing.yaml"
FACT_FILES = {"jira": "ticketing/jira-cloud-rest-v3.yaml", "servicenow": "ticketing/servicenow-table-api.yaml"}
SYSTEMS = tuple(FACT_FILES)
RECORD_STATUSES: tuple[str, ...] = STATUSES


@dataclass(frozen=True)
class TicketPolicy:
    """Our choices for one system, with the facts they were checked against."""

    system: str
    comments: dict[str, str]
    marker: str
    finished_window_days: int
    status: dict[str, str]
    priority: dict[str, Any]
    extra: dict[str, Any]
    facts: dict[str, Any]


def _check_map(mapping: Any, keys: tuple[str, ...], path: Path, where: str) -> dict[str, Any]:
    if not isinstance(mapping, dict) or set(mapping) != set(keys):
        have = sorted(mapping) if isinstance(mapping, dict) else type(mapping).__name__
        raise DataError(f"{path}: {where} must map each of {', '.join(keys)}; it has {have}")
    return dict(mapping)


def _servicenow(data: dict[str, Any], facts: dict[str, Any], path: Path) -> tuple[dict[str, str], dict[str, Any]]:
    """Check the states and impact/urgency against the incident table's choice values."""
    states = {str(k) for k in required(facts, path, "state", "values")}
    levels = {str(k) for k in required(facts, path, "impact_urgency", "values")}
    state = {k: str(v) for k, v in _check_map(required(data, path, "servicenow", "state"), RECORD_STATUSES, path,
                                              "servicenow.state").items()}
    if not set(state.values()) <= states:
        raise DataError(f"{path}: servicenow.state uses {sorted(set(state.values()) - states)}, which the incident "
                        f"table does not take (allowed: {', '.join(sorted(states))})")
    pairs = _check_map(required(data, path, "servicenow", "impact_urgency"), SEVERITIES, path,
                       "servicenow.impact_urgency")
    out: dict[str, Any] = {}
    for level, pair in pairs.items():
        if not isinstance(pair, dict) or {str(pair.get("impact")), str(pair.get("urgency"))} - levels:
            raise DataError(f"{path}: servicenow.impact_urgency.{level} needs impact and urgency, each one of "
                            f"{', '.join(sorted(levels))}; it has {pair}")
        out[level] = {"impact": str(pair["impact"]), "urgency": str(pair["urgency"])}
    return state, out


@cache
def load_ticket_policy(system: str) -> TicketPolicy:
    """The policy for ``system`` (jira or servicenow), validated against that system's facts."""
    if system not in FACT_FILES:
        raise DataError(f"no ticketing facts for {system!r} (known: {', '.join(SYSTEMS)})")
    path = references_dir() / POLICY_FILE
    data = load_yaml(path)
    facts = load_yaml(references_dir() / FACT_FILES[system])
    comments = {str(k): str(v) for k, v in required(data, path, "comments").items()}
    marker = str(required(data, path, "marker"))
    if "{key}" not in marker:
        raise DataError(f"{path}: marker must contain {{key}}, or a restarted sync cannot find its comments")
    if system == "servicenow":
        status, priority = _servicenow(data, facts, path)
        extra = {k: str(required(data, path, "servicenow", k)) for k in ("close_code", "close_notes")}
    else:
        status = {k: str(v) for k, v in _check_map(required(data, path, "jira", "status"), RECORD_STATUSES, path,
                                                   "jira.status").items()}
        priority = _check_map(required(data, path, "jira", "priority"), SEVERITIES, path, "jira.priority")
        extra = {k: str(required(data, path, "jira", k)) for k in ("issue_type", "label")}
        if any(c.isspace() for c in extra["label"]):
            raise DataError(f"{path}: jira.label may not contain spaces (Jira labels cannot)")
    return TicketPolicy(system=system, comments=comments, marker=marker,
                        finished_window_days=int(required(data, path, "finished_window_days")), status=status,
                        priority=priority, extra=extra, facts=facts)
