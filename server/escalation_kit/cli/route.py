"""``escalation-kit route --severity P``: determine_escalation from a shell (tier, level, team, urgency).

The flags mirror the MCP tool's inputs: one flag per field of ``facts``, ``customer`` and ``history``
(``--facts``/``--customer``/``--history`` take a whole JSON object, the single flags override it), and
``--customer-name``/``--category`` read the history from the tracker when no history is given. The flags
are declared here rather than read from the routing package so that parsing any command never imports
pydantic; tests/routing/test_route_cli.py checks that they match the engine's fields.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from escalation_kit.cli._values import json_object, named_numbers
from escalation_kit.errors import InputError
from escalation_kit.vocab import SEVERITIES

EXAMPLE = "escalation-kit route --severity P3 --beyond-tier --customer-requested --sla-percent-consumed 60"

FACT_FLAGS: dict[str, tuple[type, str]] = {
    "security": (bool, "a security issue (bypasses to the security team)"),
    "multiple_customers": (bool, "more than one customer affected"),
    "customer_requested": (bool, "the customer asked for escalation (moves up one tier)"),
    "customer_requested_manager": (bool, "the customer asked for a manager"),
    "beyond_tier": (bool, "beyond the current tier's expertise (moves up one tier)"),
    "product_bug": (bool, "a suspected product bug"),
    "feature_gap": (bool, "a missing feature"),
    "vendor_platform": (bool, "a cloud vendor's platform issue"),
    "multi_service": (bool, "several services down"),
    "legal_or_pr": (bool, "legal or PR implications"),
    "legal_threat": (bool, "legal action threatened"),
    "pr_crisis": (bool, "a public relations crisis"),
    "churn_threat": (bool, "a major customer threatens to leave"),
    "systemic_failure": (bool, "a systemic platform failure"),
    "c_level": (bool, "a C-level customer escalation"),
    "lead_unable_to_resolve": (bool, "the team lead could not resolve it"),
    "hours_open": (float, "hours the case has been open"),
    "current_tier": (int, "the tier holding the case now, 1-4"),
    "sla_percent_consumed": (float, "percent of the SLA time used; over 50 moves up one tier"),
    "revenue_impact": (float, "revenue at stake, USD"),
    "severity_rising": (bool, "the severity has risen since the case opened (moves up one tier)"),
    "architecture_consultation": (bool, "architecture or design advice needed (moves tier 2 to tier 3)"),
}
CUSTOMER_FLAGS: dict[str, tuple[type, str]] = {
    "segment": (str, "enterprise, strategic, mid_market or smb"),
    "contract_value": (float, "annual contract value, USD"),
    "health_score": (float, "account health score 0-100"),
    "health": (dict, "one account health category score, CATEGORY=SCORE (repeat)"),
    "csat": (float, "customer satisfaction 1-5"),
    "sentiment": (str, "calm, neutral, frustrated or angry"),
}
HISTORY_FLAGS: dict[str, tuple[type, str]] = {
    "escalations_90d": (int, "the customer's escalations in the last 90 days"),
    "repeats_30d": (int, "the same issue's repeats in the last 30 days"),
    "customers_same_issue": (int, "customers with the same issue in the last 7 days; 3+ moves up one tier"),
    "recurring_after_fix": (int, "escalations of this issue reopened after a fix in 30 days; 1+ moves up one tier"),
}
SECTIONS = {"facts": FACT_FLAGS, "customer": CUSTOMER_FLAGS, "history": HISTORY_FLAGS}


def flag(key: str) -> str:
    """The command-line flag for an input field: hours_open -> --hours-open."""
    return "--" + key.replace("_", "-")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("route", help="tier, executive level, target team and urgency for a case",
                       description="determine_escalation from the command line: the workflow tier 1-4, executive "
                       "level, target team, urgency and response target, with the policy rules that decided.",
                       usage="escalation-kit route --severity P0-P3 [FACT, CUSTOMER and HISTORY flags] [--json]",
                       epilog=f"example: {EXAMPLE}", allow_abbrev=False)
    p.add_argument("--severity", required=True, choices=SEVERITIES)
    for section, fields in SECTIONS.items():
        group = p.add_argument_group(section)
        group.add_argument(f"--{section}", dest=f"{section}_json", metavar="JSON",
                           help=f"the whole {section} object as JSON; the flags below override its fields")
        for key, (kind, text) in fields.items():
            dest = f"{section}__{key}"
            if kind is bool:
                group.add_argument(flag(key), dest=dest, action=argparse.BooleanOptionalAction, help=text)
            elif kind is dict:
                group.add_argument(flag(key), dest=dest, action="append", metavar="CATEGORY=SCORE", help=text)
            else:
                metavar = key.upper() if kind is str else "N" if kind is int else "NUMBER"
                group.add_argument(flag(key), dest=dest, type=kind, metavar=metavar, help=text)
    t = p.add_argument_group("history from the tracker")
    t.add_argument("--customer-name", help="read the history from the tracker for this customer when no "
                   "history is given")
    t.add_argument("--category", help="count repeats in this category only (with --customer-name)")
    t.add_argument("--db", help="tracker database URL (default: $ESCALATION_KIT_DB_URL or the local SQLite file)")
    p.add_argument("--json", action="store_true", help="print the tool's JSON result")
    p.set_defaults(func=run)


def inputs(args: argparse.Namespace) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """The tool's facts, customer and history objects from the flags, and which flag set each field."""
    given: dict[str, dict[str, Any]] = {}
    flags: dict[str, str] = {}
    for section, fields in SECTIONS.items():
        text = getattr(args, f"{section}_json")
        given[section] = json_object(text, f"--{section}") if text is not None else {}
        if text is not None:
            flags[section] = f"--{section}"
        for key in fields:
            value = getattr(args, f"{section}__{key}")
            if value is None:
                continue
            if key == "health":
                value = named_numbers(value, "--health", "CATEGORY=SCORE (e.g. relationship_strength=40)")
            given[section][key] = value
            flags[f"{section}.{key}"] = flag(key)
    if "health" in given["customer"]:
        flags["health"] = flags.get("customer.health", "--customer")
    return given, flags


def _history(args: argparse.Namespace, given: dict[str, Any], has_history: bool) -> dict[str, Any]:
    if args.category and not args.customer_name:
        raise InputError("--category", "needs --customer-name")
    if has_history or not args.customer_name:
        return given
    from escalation_kit.tracker import Tracker, open_store

    tracker = Tracker(open_store(args.db))
    try:
        return tracker.history(args.customer_name, args.category)
    finally:
        tracker.close()


def _renamed(exc: InputError, flags: dict[str, str]) -> InputError:
    """The engine names fields (facts.hours_open); say which flag carried it as well."""
    field = next((f for f in (exc.field, exc.field.split(".")[0]) if f in flags), None)
    if field is None:
        return exc
    name = flags[field] if flags[field] == f"--{exc.field}" else f"{flags[field]} ({exc.field})"
    return InputError(name, str(exc).removeprefix(f"{exc.field}: "))


def run(args: argparse.Namespace) -> int:
    from escalation_kit.routing import determine_escalation

    given, flags = inputs(args)
    has_history = args.history_json is not None or any(k.startswith("history.") for k in flags)
    history = _history(args, given["history"], has_history)
    try:
        result = determine_escalation(args.severity, given["facts"], given["customer"], history)
    except InputError as exc:
        raise _renamed(exc, flags) from None
    out = result.model_dump(mode="json")
    out["history_used"] = history
    print(json.dumps(out, indent=2, ensure_ascii=False) if args.json else render(out))
    return 0


def _names(items: list[str]) -> str:
    return ", ".join(items) if items else "none"


def render(out: dict[str, Any]) -> str:
    """A short human summary of a routing result."""
    hop = f" (moves {out['technical_hop']})" if out["technical_hop"] else ""
    level = f"{out['executive_level']} ({out['executive_title']})" if out["executive_level"] else "none"
    lines = [f"Tier {out['tier']}{hop}: {out['tier_label']}",
             f"Executive level: {level}",
             f"Target team: {out['target_team']}" + (" (security bypass)" if out["security_bypass"] else ""),
             f"Urgency: {out['urgency']}/100",
             f"Response target: {out['response_target_label']}",
             f"Escalation criteria: {_names(out['escalation_criteria'])}",
             f"Aggravating factors: {_names(out['aggravating'])}",
             f"Decided by: {_names(out['decided_by'])}"]
    if out["health"] and out["health"]["score"] is not None:
        lines.append(f"Account health: {out['health']['score']} ({out['health']['label']})")
    if out["history_used"]:
        lines.append("History: " + ", ".join(f"{k} {v}" for k, v in out["history_used"].items()))
    if out["missing"]:
        lines.append(f"Missing inputs: {_names(out['missing'])}")
    return "\n".join(lines)
