"""Load and check the SLA clock's policy data (references/policy/sla.yaml): cadence, thresholds, tiers.

Policy is playbook data with a seed source per entry, kept apart from vendor facts; loaded lazily
and cached so importing the module does no I/O. What it returns is the policy's runtime form
(``policy_types``: plain objects with the validated fields, read from a snapshot); the pydantic models
that validate the file (``policy_schema``) subclass those, so a call of the clock never creates them.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from escalation_kit.datafiles import unplain
from escalation_kit.paths import references_dir
from escalation_kit.sla.policy_types import (
    Cadence,
    CalendarDefault,
    CalendarNote,
    Clock,
    DefaultTarget,
    Level,
    LevelMap,
    NamedPolicy,
    PolicyStepDef,
    SlaPolicy,
    SourceRef,
    Step,
    Stream,
    Threshold,
    Window,
)

__all__ = [
    "POLICY_FILE", "Cadence", "CalendarDefault", "CalendarNote", "Clock", "DefaultTarget", "Level", "LevelMap",
    "NamedPolicy", "PolicyStepDef", "SlaPolicy", "SourceRef", "Step", "Stream", "Threshold", "Window",
    "list_policies", "load_sla_policy", "policy_ref",
]
POLICY_FILE = "sla.yaml"


@cache
def load_sla_policy() -> SlaPolicy:
    """Parse and validate references/policy/sla.yaml once per process."""
    from escalation_kit.datafiles import load_checked  # validated snapshot: no schema class, no parsing

    path = references_dir() / "policy" / POLICY_FILE
    code = [Path(__file__).with_name(name) for name in ("policy.py", "policy_types.py", "policy_schema.py")]
    return load_checked("sla-policy", [path, *code], lambda: _validated(path))


def _validated(path: Path) -> SlaPolicy:
    """The policy file parsed and validated by its schema, in its plain runtime form."""
    from escalation_kit.datafiles import load_yaml, plain
    from escalation_kit.sla import policy_schema

    return plain(policy_schema.SlaPolicy.model_validate(load_yaml(path)))


def policy_ref(section: str) -> str:
    """The label tool output uses for anything taken from this policy file."""
    return f"policy:{POLICY_FILE}#{section}"


def list_policies() -> list[dict[str, Any]]:
    """Every block of the SLA policy data as JSON-ready dicts: tier models first, then the clock's rules."""
    from escalation_kit.sla.policy_schema import PolicyInfo

    pol = load_sla_policy()
    items = [
        PolicyInfo(
            name=name,
            kind="tier_model",
            title=f"{p.title} ({p.mode})",
            runnable=True,
            source=policy_ref(f"policies.{name}"),
            origin=[pol.source_title(p.source)],
            data={key: unplain(value) for key, value in vars(p).items() if key not in ("title", "source")},
        )
        for name, p in pol.policies.items()
    ]
    rules: list[tuple[str, Any, str, Any]] = [
        (
            "cadence",
            "update_cadence",
            "Follow-up cadence by level (P0-P3 mapped in 'levels')",
            {"levels": pol.severity_levels, "cadence": pol.cadence},
        ),
        (
            "risk_thresholds",
            "risk_thresholds",
            "SLA-at-risk triggers (share of target consumed)",
            {"risk_thresholds": pol.risk_thresholds, "at_risk_from_percent": pol.at_risk_from_percent},
        ),
        (
            "escalation_steps",
            "escalation_steps",
            "Playbook escalation steps by severity",
            {"escalation_steps": pol.escalation_steps},
        ),
        (
            "default_targets",
            "default_targets",
            "Internal first-response target when none is given",
            {"default_targets": pol.default_targets, "default_business_window": pol.default_business_window},
        ),
    ]
    for name, kind, title, value in rules:
        data = unplain(value)
        items.append(
            PolicyInfo(
                name=name,
                kind=kind,
                title=title,
                source=policy_ref(name),
                origin=_origins(data, pol),
                data=data,
            )
        )
    return [i.model_dump(mode="json") for i in items]


def _origins(data: Any, pol: SlaPolicy) -> list[str]:
    """Titles of every source id mentioned anywhere in ``data``."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("source"), str):
                found.add(node["source"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(data)
    return [pol.source_title(s) for s in sorted(found) if s in pol.sources]
