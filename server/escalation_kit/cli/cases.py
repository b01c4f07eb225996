"""``escalation-kit cases open RECORD_ID --vendor V [--send]`` and ``cases poll [RECORD_ID]``: vendor support cases.

``open`` builds the case from the record and the case severity the vendor catalog gives for its P level
and plan, and by default only prints the exact request (``--dry-run``, Authorization redacted); ``--send``
sends it and records the vendor's case id on the record (``vendor_case_filed``) once the vendor accepted
it. ``poll`` reads each open case's status and records each change once (``vendor_case_status``), and the
vendor's response when the status says so. Credentials come only from the environment or a file (AWS:
the usual AWS variables and files, read by botocore), never a flag, and are never printed. Each API's
base URL can be overridden for tests and sovereign clouds.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from escalation_kit.cli._values import check_timeout, read_secret
from escalation_kit.errors import InputError, quote

if TYPE_CHECKING:
    from escalation_kit.supportcases import SupportApi

VENDORS = ("aws", "azure", "gcp")
LOOPBACK = ("127.0.0.1", "localhost", "::1")
URL_ENV = {"aws": "ESCALATION_KIT_AWS_SUPPORT_URL", "azure": "ESCALATION_KIT_AZURE_SUPPORT_URL",
           "gcp": "ESCALATION_KIT_GCP_SUPPORT_URL"}
TOKEN_ENV = {"azure": "ESCALATION_KIT_AZURE_TOKEN", "gcp": "ESCALATION_KIT_GCP_TOKEN"}
AWS_REGION_ENV = "ESCALATION_KIT_AWS_SUPPORT_REGION"
CONTACT = ("first_name", "last_name", "email", "country", "timezone")
EXAMPLE = "escalation-kit cases open ESC-2026-0001 --vendor aws --service-code amazon-ec2 --category-code other"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("cases", help="open vendor support cases for tracked escalations and follow their status",
                       description="Vendor support cases (AWS Support API, Azure Support REST API, Google Cloud "
                       "Support API v2) opened from a tracker record and linked to it.")
    s = p.add_subparsers(dest="cases_command", metavar="open|poll", required=True)
    o = s.add_parser("open", help="print (default) or send the case for one record",
                     description="Build the support case for a record at the case severity the vendor catalog "
                     "gives for its P level and plan. Without --send nothing is sent: the exact request is "
                     "printed (Authorization redacted). With --send the case is opened and its id recorded on "
                     "the record.", epilog=f"Example: {EXAMPLE}")
    o.add_argument("record", metavar="RECORD_ID", help="the escalation, e.g. ESC-2026-0001")
    o.add_argument("--vendor", help=f"{', '.join(VENDORS)} (default: the record's vendor)")
    o.add_argument("--plan", help="the support plan (default: the record's, else the catalog's default)")
    mode = o.add_mutually_exclusive_group()
    mode.add_argument("--dry-run", dest="send", action="store_false", help="print the request only (the default)")
    mode.add_argument("--send", dest="send", action="store_true", help="open the case and record it")
    o.set_defaults(send=False)
    aws = o.add_argument_group("AWS (credentials: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE)")
    aws.add_argument("--service-code", help="serviceCode from DescribeServices, e.g. amazon-ec2")
    aws.add_argument("--category-code", help="categoryCode of that service")
    aws.add_argument("--cc", action="append", default=[], metavar="EMAIL", help="copy this address (repeatable)")
    az = o.add_argument_group("Azure (token: $ESCALATION_KIT_AZURE_TOKEN or --token-file)")
    az.add_argument("--subscription", help="subscription id (default: $ESCALATION_KIT_AZURE_SUBSCRIPTION_ID)")
    az.add_argument("--service-id", help="the Azure service resource id (from the Services API)")
    az.add_argument("--problem-classification", help="the problem classification resource id")
    for name in CONTACT:
        flag = name.replace("_", "-")
        env = f"ESCALATION_KIT_AZURE_CONTACT_{name.upper()}"
        az.add_argument(f"--contact-{flag}", dest=f"contact_{name}",
                        help=f"contact {name.replace('_', ' ')} (default: ${env})")
    gcp = o.add_argument_group("Google Cloud (token: $ESCALATION_KIT_GCP_TOKEN or --token-file)")
    gcp.add_argument("--parent", help="projects/<id> or organizations/<number> (default: $ESCALATION_KIT_GCP_PARENT)")
    gcp.add_argument("--classification", help="the case classification id (caseClassifications.search)")
    gcp.add_argument("--subscriber", action="append", default=[], metavar="EMAIL",
                     help="send case updates to this address too (repeatable)")
    o.add_argument("--token-file", metavar="FILE", help="file holding the Azure or Google access token")
    _common(o)
    o.set_defaults(func=run_open)

    pl = s.add_parser("poll", help="record each status change of open vendor cases once",
                      description="Read the status of each record's open vendor case (or one record's) and "
                      "record each change once; a status that means the vendor responded also stops the vendor "
                      "response clock.")
    pl.add_argument("record", metavar="RECORD_ID", nargs="?", help="only this escalation (default: every one)")
    pl.add_argument("--azure-token-file", metavar="FILE", help="file holding the Azure access token")
    pl.add_argument("--gcp-token-file", metavar="FILE", help="file holding the Google access token")
    _common(pl)
    pl.set_defaults(func=run_poll)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", help="database URL (default: $ESCALATION_KIT_DB_URL or the local SQLite file)")
    p.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for each call (default 10)")
    p.add_argument("--now", help="record at this time (ISO 8601; default: the clock)")


def _base_url(vendor: str) -> str:
    """The API's base URL: the facts' default, or the override in the environment (tests, sovereign clouds)."""
    from escalation_kit.supportcases import load_case_policy

    env = URL_ENV[vendor]
    value = os.environ.get(env, "").strip() or str(load_case_policy(vendor).facts["endpoint"]["base_url"])
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(env, f"{quote(value)} is not an http(s) URL")
    if parts.username or parts.password or parts.query:
        raise InputError(env, "give the bare base URL: credentials go in the environment or a file")
    if parts.scheme == "http" and parts.hostname not in LOOPBACK:
        raise InputError(env, "http:// would send the credentials in clear text; use https://")
    return value.rstrip("/")


def _token(vendor: str, path: str | None, flag: str) -> str:
    """The bearer token from its file (first line) or environment variable; never a flag, never printed."""
    env = TOKEN_ENV[vendor]
    if path:
        value = read_secret(path, flag)
    else:
        value = os.environ.get(env, "").strip()
        if not value:
            raise InputError(flag, f"no credentials for {vendor}: set ${env} or pass {flag} FILE")
    if any(c.isspace() for c in value) or len(value) > 20_000:
        raise InputError(flag, f"the {vendor} token is not one line of text")
    return value


def _check(args: argparse.Namespace) -> None:
    check_timeout(args.timeout)


def _aws(args: argparse.Namespace | None, timeout: float) -> SupportApi:
    from escalation_kit.supportcases import Aws, load_case_policy

    facts = load_case_policy("aws").facts["endpoint"]
    region = os.environ.get(AWS_REGION_ENV, "").strip() or str(facts["region"])
    if args is None:
        return Aws(_base_url("aws"), region, timeout)
    return Aws(_base_url("aws"), region, timeout, args.service_code, args.category_code, tuple(args.cc))


def api_for_open(vendor: str, args: argparse.Namespace) -> SupportApi:
    """The API for ``open``; the token is read only with --send (a dry run needs no credentials)."""
    from escalation_kit.supportcases import Azure, Gcp

    if vendor == "aws":
        return _aws(args, args.timeout)
    token = _token(vendor, args.token_file, "--token-file") if args.send else ""
    if vendor == "azure":
        contact = {k: getattr(args, f"contact_{k}") or os.environ.get(f"ESCALATION_KIT_AZURE_CONTACT_{k.upper()}")
                   for k in CONTACT}
        sub = args.subscription or os.environ.get("ESCALATION_KIT_AZURE_SUBSCRIPTION_ID")
        return Azure(_base_url("azure"), token, sub, args.service_id, args.problem_classification, contact,
                     args.timeout)
    return Gcp(_base_url("gcp"), token, args.parent or os.environ.get("ESCALATION_KIT_GCP_PARENT"),
               args.classification, tuple(args.subscriber), args.timeout)


def run_open(args: argparse.Namespace) -> int:
    from escalation_kit.supportcases import CaseAuthError, CaseError, aws_params_check, draft_case
    from escalation_kit.timezones import parse_instant
    from escalation_kit.tracker import Tracker, open_store

    _check(args)
    now = parse_instant(args.now, "--now") if args.now else None
    tracker = Tracker(open_store(args.db))
    try:
        state = tracker.get(args.record).state
        draft = draft_case(state, tracker.events(args.record), args.vendor, args.plan)
        api = api_for_open(draft.vendor, args)
        prepared = api.prepare(draft)
        if draft.vendor == "aws":
            aws_params_check(prepared)
        if not args.send:
            print(json.dumps({"dry_run": True, "record": draft.escalation_id, "vendor": draft.vendor,
                              "plan": draft.plan, "case_severity": {"code": draft.case_severity,
                                                                    "name": draft.case_severity_name},
                              "request": prepared.shown()}, ensure_ascii=False, indent=2))
            print("escalation-kit: dry run: nothing was sent; add --send to open the case", file=sys.stderr)
            return 0
        try:
            opened = api.find(draft)
            if opened is not None:
                print(f"escalation-kit: {draft.vendor} already has case {opened.label} for {draft.escalation_id} "
                      "(opened by an earlier --send that did not record it): recording it, not opening another",
                      file=sys.stderr)
            else:
                opened = api.open(prepared)
        except CaseAuthError as exc:
            print(f"escalation-kit: error: {exc}; nothing sent was accepted, nothing recorded", file=sys.stderr)
            return 2
        except CaseError as exc:
            print(f"escalation-kit: error: {exc}; nothing recorded", file=sys.stderr)
            return 1
        return _record(tracker, draft, opened, now)
    finally:
        tracker.close()


def _record(tracker: Any, draft: Any, opened: Any, now: Any) -> int:
    from escalation_kit.supportcases import record_filed

    try:
        state = record_filed(tracker, draft, opened, now)
    except InputError as exc:
        print(f"escalation-kit: error: {draft.vendor} opened case {opened.case_id} but the record did not take it "
              f"({exc}); record it with: escalation-kit track event {draft.escalation_id} vendor_case_filed "
              f"--case-id '{opened.case_id}'", file=sys.stderr)
        return 1
    print(json.dumps({"record": state.id, "vendor": draft.vendor, "case_id": opened.case_id, "label": opened.label,
                      "status": opened.status, "case_severity": draft.case_severity, "version": state.version},
                     ensure_ascii=False, indent=2))
    print(f"escalation-kit: opened {draft.vendor} case {opened.label} for {state.id}", file=sys.stderr)
    return 0


def run_poll(args: argparse.Namespace) -> int:
    from escalation_kit.supportcases import Azure, Gcp, poll
    from escalation_kit.timezones import parse_instant
    from escalation_kit.tracker import Tracker, open_store

    _check(args)
    now = parse_instant(args.now, "--now") if args.now else None
    apis = {"aws": lambda: _aws(None, args.timeout),
            "azure": lambda: Azure(_base_url("azure"), _token("azure", args.azure_token_file, "--azure-token-file"),
                                   timeout=args.timeout),
            "gcp": lambda: Gcp(_base_url("gcp"), _token("gcp", args.gcp_token_file, "--gcp-token-file"),
                               timeout=args.timeout)}
    tracker = Tracker(open_store(args.db))
    try:
        result = poll(tracker, apis, args.record, now)
    finally:
        tracker.close()
    for line in result.lines:
        print(f"escalation-kit: {line}", file=sys.stderr if line.startswith(("error", "warning")) else sys.stdout)
    print(f"cases: {result.checked} checked, {result.changed} changed, {result.responded} responded, "
          f"{result.failed} failed", file=sys.stderr)
    if result.auth_errors:
        return 2
    return 1 if result.failed else 0
