"""``escalation-kit triage TEXT``: language -> severity -> vendor path -> SLA -> brief, offline."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from escalation_kit.errors import InputError
from escalation_kit.vocab import LANGUAGE_CHOICES

MAX_STDIN_CHARS = 1_000_000  # read no further: the text limit is far lower and is reported with the real length
EXAMPLE = "escalation-kit triage \"RDS in cn-hangzhou is down, checkout fails for everyone\" --vendor alibaba-cn"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("triage", help="triage an incident and print the escalation brief",
                       description="Run every tool on the incident text and print the escalation brief "
                       "(or, with --json, every step's output). Works offline with no API key.",
                       epilog=f"example: {EXAMPLE}")
    p.add_argument("text", help="incident text; '-' reads it from stdin")
    p.add_argument("--vendor", help="cloud vendor id, e.g. aws, azure, gcp, alibaba-cn, alibaba-intl")
    p.add_argument("--plan", help="vendor support plan id (default: the catalog's default plan)")
    p.add_argument("--region", help="cloud region, e.g. cn-hangzhou")
    p.add_argument("--opened-at", help="when the incident/case was opened, ISO 8601 with offset (default: --now)")
    p.add_argument("--now", help="current time for SLA status, ISO 8601 with offset")
    p.add_argument("--tz", help="IANA time zone for the output (default: the offset of --opened-at)")
    p.add_argument("--calendar", help="holiday calendar for business hours, a country code such as CN, RU, US")
    p.add_argument("--language", choices=LANGUAGE_CHOICES, default="auto",
                   help="language of the brief (default: the reporter's)")
    p.add_argument("--json", action="store_true", help="print every step's output as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from escalation_kit.cli._values import read_limited
    from escalation_kit.errors import from_validation_error
    from escalation_kit.timezones import parse_instant
    from escalation_kit.triage import TriageRequest, run_triage

    text = read_limited("-", "text", MAX_STDIN_CHARS) if args.text == "-" else args.text
    if not text.strip():
        raise InputError("text", "the incident text is empty")
    now = parse_instant(args.now, "--now") if args.now else None
    opened = parse_instant(args.opened_at, "--opened-at") if args.opened_at else None
    opened = opened or now or datetime.now(UTC).replace(microsecond=0)
    try:
        req = TriageRequest(text=text, opened_at=opened, vendor=args.vendor, plan=args.plan, region=args.region,
                            timezone=args.tz, calendar=args.calendar, now=now, language=args.language)
    except ValidationError as exc:
        raise from_validation_error(exc) from exc
    report = run_triage(req)
    print(report.model_dump_json(indent=2) if args.json else report.brief.markdown)
    return 0
