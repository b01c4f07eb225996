"""``escalation-kit oncall ROLE | --tier N [--notice KIND] | --list``: who is on call, from the on-call schedule.

The schedule is --schedule FILE, else $ESCALATION_KIT_ONCALL_SCHEDULE, else the shipped example
(references/policy/oncall.yaml, made-up people). The answer is for --at (ISO 8601 with an offset) or now.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from escalation_kit.errors import InputError

if TYPE_CHECKING:
    from escalation_kit.oncall import Holder

EXAMPLE = "escalation-kit oncall senior_engineer --at 2026-03-09T09:30:00-04:00"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("oncall", help="who holds an on-call role, or who a tier or notice tells, at a time",
                       description="Resolve the on-call schedule: who holds ROLE, who a tier's stakeholders "
                       "are (seed 002's tier table), or who a watch notice goes to.", epilog=f"Example: {EXAMPLE}")
    p.add_argument("role", nargs="?", metavar="ROLE", help="a role id from the schedule, e.g. senior_engineer")
    p.add_argument("--tier", type=int, metavar="N", help="the people a tier 1-4 escalation's stakeholders are")
    p.add_argument("--notice", metavar="KIND", help="with --tier: who a notice of this kind goes to "
                   "(tier_raised, exec_level_raised, de_escalated, resolved)")
    p.add_argument("--level", type=int, default=0, metavar="N", help="with --notice: the executive level 0-4")
    p.add_argument("--list", action="store_true", help="every role and who holds it")
    p.add_argument("--at", metavar="ISO", help="the instant to answer for (ISO 8601 with offset; default now)")
    p.add_argument("--schedule", metavar="FILE",
                   help="schedule YAML (default: $ESCALATION_KIT_ONCALL_SCHEDULE, else the shipped example)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run)


def _check_args(args: argparse.Namespace) -> None:
    if args.notice and args.tier is None:
        raise InputError("--notice", "needs --tier N (a notice's recipients depend on the record's tier)")
    chosen = [n for n, v in (("ROLE", args.role), ("--tier", args.tier is not None), ("--list", args.list)) if v]
    if len(chosen) != 1:
        raise InputError("ROLE", "give exactly one of ROLE, --tier N or --list" + (
            f" (got {' and '.join(chosen)})" if chosen else ""), allowed=[EXAMPLE, "escalation-kit oncall --tier 3"])
    if args.level and not args.notice:
        raise InputError("--level", "only applies with --notice")


def _answer(args: argparse.Namespace, when: datetime) -> tuple[str, list[Holder]]:
    from escalation_kit.oncall import holder, holders_for, load_schedule

    schedule = load_schedule(args.schedule, "--schedule")
    try:
        if args.list:
            return schedule.source, [holder(schedule, r, when) for r in schedule.roles]
        return schedule.source, holders_for(schedule, when, role=args.role, tier=args.tier, notice=args.notice,
                                            level=args.level)
    except InputError as exc:  # name the flag the caller typed, not the library's parameter
        flag = {"role": "ROLE", "tier": "--tier", "kind": "--notice", "exec_level": "--level"}.get(exc.field)
        if flag is None:
            raise
        raise InputError(flag, str(exc).split(": ", 1)[1].split(" (allowed: ")[0], allowed=exc.allowed) from None


def _text(h: Holder) -> str:
    if h.source == "unfilled":
        return f"{h.role}: nobody ({h.reason or 'the schedule has no such role'})"
    why = f", {h.reason}" if h.reason else ""
    source = f"{h.source} {h.shift}" if h.shift else h.source
    return f"{h.role} ({h.role_label}): {h.name} <{h.email}>  [{source}{why}; {h.span()}]"


def run(args: argparse.Namespace) -> int:
    from escalation_kit.timezones import parse_instant

    _check_args(args)
    when = parse_instant(args.at, "--at") if args.at else datetime.now(UTC)
    source, found = _answer(args, when)
    if args.json:
        print(json.dumps({"at": when.astimezone(UTC).isoformat(), "schedule": source,
                          "holders": [h.as_dict() for h in found]}, ensure_ascii=False, indent=2))
    else:
        print(f"On call at {when.astimezone(UTC).isoformat()} ({source}):")
        print("\n".join(f"  {_text(h)}" for h in found))
    return 0
