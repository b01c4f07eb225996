"""``escalation-kit tickets sync --system jira|servicenow --once|--every N``: mirror tracker records in tickets.

Each active record without a ticket gets one (Jira Cloud issue or ServiceNow incident); each later
stage, owner or severity change, de-escalation and resolution is pushed once as a comment or work
note with the ticket's state and priority brought in line (references/policy/ticketing.yaml), and
recorded in the tracker only after the system accepted it, so a failure is retried on the next pass.
The URL, user and project come from flags or the environment; the API token or password only from
the environment or a file, never a flag, and no message prints it.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from escalation_kit.cli._values import check_every, check_timeout, read_secret
from escalation_kit.errors import InputError, quote

if TYPE_CHECKING:
    from escalation_kit.ticketing import System

SYSTEMS = ("jira", "servicenow")
ENV = {
    "jira": {"url": "ESCALATION_KIT_JIRA_URL", "user": "ESCALATION_KIT_JIRA_USER",
             "secret": "ESCALATION_KIT_JIRA_TOKEN", "project": "ESCALATION_KIT_JIRA_PROJECT"},
    "servicenow": {"url": "ESCALATION_KIT_SERVICENOW_URL", "user": "ESCALATION_KIT_SERVICENOW_USER",
                   "secret": "ESCALATION_KIT_SERVICENOW_PASSWORD"},
}
LOOPBACK = ("127.0.0.1", "localhost", "::1")
PROJECT_KEY = re.compile(r"^[A-Z][A-Z0-9_]{0,49}$")
EXAMPLE = "ESCALATION_KIT_JIRA_TOKEN=... escalation-kit tickets sync --system jira --url https://acme.atlassian.net " \
          "--user ops@acme.example --project OPS --once"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("tickets", help="sync tracked escalations with Jira or ServiceNow tickets",
                       description="Status sync with a ticketing system (Jira Cloud or ServiceNow).")
    s = p.add_subparsers(dest="tickets_command", metavar="sync", required=True)
    sy = s.add_parser("sync", help="open a ticket per active record and push each new event once",
                      description="Open a ticket for each active record that has none, push each new stage, owner "
                      "or severity change, de-escalation and resolution once as a comment or work note with the "
                      "ticket's state and priority, and record each push in the tracker once accepted.",
                      epilog=f"Example: {EXAMPLE}")
    sy.add_argument("--system", required=True, choices=SYSTEMS, help="the ticketing system")
    when = sy.add_mutually_exclusive_group(required=True)
    when.add_argument("--once", action="store_true", help="one pass, then exit (for cron)")
    when.add_argument("--every", type=int, metavar="SECONDS", help="repeat every N seconds")
    sy.add_argument("--url", metavar="URL", help="the site, e.g. https://acme.atlassian.net or "
                    "https://acme.service-now.com (default: $ESCALATION_KIT_JIRA_URL / $ESCALATION_KIT_SERVICENOW_URL)")
    sy.add_argument("--user", metavar="USER", help="Jira: the account e-mail; ServiceNow: the user name (default: "
                    "$ESCALATION_KIT_JIRA_USER / $ESCALATION_KIT_SERVICENOW_USER)")
    sy.add_argument("--secret-file", metavar="FILE", help="file holding the Jira API token or the ServiceNow password "
                    "(default: $ESCALATION_KIT_JIRA_TOKEN / $ESCALATION_KIT_SERVICENOW_PASSWORD)")
    sy.add_argument("--project", metavar="KEY", help="Jira project key for new issues (default: "
                    "$ESCALATION_KIT_JIRA_PROJECT)")
    sy.add_argument("--issue-type", metavar="NAME", help="Jira issue type for new issues (default: the policy's, Task)")
    sy.add_argument("--pull", action="store_true", help="also read each linked ticket's state back and record a "
                    "note on the record when it differs from the record's")
    sy.add_argument("--now", help="record at this time (ISO 8601; default: the clock)")
    sy.add_argument("--db", help="database URL (default: $ESCALATION_KIT_DB_URL or the local SQLite file)")
    sy.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for each call (default 10)")
    sy.set_defaults(func=run)


def _secret(env: str, path: str | None) -> str:
    """The API token or password from its file (first line) or environment variable."""
    if path:
        return read_secret(path, "--secret-file")
    value = os.environ.get(env, "").strip()
    if not value:
        raise InputError("--secret-file", f"no credentials: set ${env} or pass --secret-file FILE")
    return value


def _url(value: str | None, env: str) -> str:
    if not value:
        raise InputError("--url", f"no site: pass --url URL or set ${env}")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError("--url", f"{quote(value)} is not an http(s) URL", allowed=["https://acme.atlassian.net"])
    if parts.username or parts.password or parts.query:
        raise InputError("--url", "give the bare site URL: the user goes in --user, the secret in a file or "
                         "the environment")
    if parts.scheme == "http" and parts.hostname not in LOOPBACK:
        raise InputError("--url", "http:// would send the credentials in clear text; use https://")
    return value.rstrip("/")


def _check(args: argparse.Namespace) -> None:
    check_every(args.every)
    check_timeout(args.timeout)
    if args.system == "servicenow" and (args.project or args.issue_type):
        raise InputError("--project" if args.project else "--issue-type", "only applies to --system jira")


def system_from(args: argparse.Namespace) -> System:
    """The configured system, every flag and secret checked before the tracker is opened or anything sent."""
    from escalation_kit.ticketing import Http, Jira, ServiceNow, load_ticket_policy

    _check(args)
    env = ENV[args.system]
    url = _url(args.url or os.environ.get(env["url"]), env["url"])
    user = (args.user or os.environ.get(env["user"], "")).strip()
    if not user or any(c in user for c in "\r\n:") or len(user) > 200:
        raise InputError("--user", f"no usable user: pass --user USER or set ${env['user']} (no ':' or line breaks)")
    secret = _secret(env["secret"], args.secret_file)
    http = Http(args.system, url, user, secret, args.timeout, env["secret"])
    policy = load_ticket_policy(args.system)
    if args.system == "servicenow":
        return ServiceNow(http, policy)
    project = (args.project or os.environ.get(env["project"], "")).strip()
    if not PROJECT_KEY.match(project):
        raise InputError("--project", f"{quote(project) if project else 'nothing'} is not a Jira project key: pass "
                         f"--project KEY or set ${env['project']}", allowed=["OPS", "SUPPORT_2"])
    issue_type = args.issue_type.strip() if args.issue_type else None
    if args.issue_type is not None and not issue_type:
        raise InputError("--issue-type", "is empty")
    return Jira(http, policy, project, issue_type)


def run(args: argparse.Namespace) -> int:
    from escalation_kit.ticketing import Sync, one_pass
    from escalation_kit.timezones import parse_instant
    from escalation_kit.tracker import Tracker, open_store

    system = system_from(args)
    now = parse_instant(args.now, "--now") if args.now else None
    tracker = Tracker(open_store(args.db))
    sync = Sync(tracker, system, now, args.pull)
    try:
        while True:
            result = one_pass(sync)
            for line in result.lines:
                print(f"escalation-kit: {line}", file=sys.stderr)
            print(f"tickets: {system.name}: {result.created} created, {result.linked} linked, {result.pushed} "
                  f"pushed, {result.failed} failed" + (f", {result.mismatches} mismatches" if args.pull else ""),
                  file=sys.stderr)
            if result.auth_error:
                return 2
            if args.once:
                return 1 if result.failed else 0
            time.sleep(args.every)
    finally:
        tracker.close()
