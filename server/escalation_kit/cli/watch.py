"""``escalation-kit watch --once|--every N``: send due items and stakeholder notices, each exactly once.

Cron-friendly: one pass with --once, or a loop. Targets: a chat webhook (Slack-compatible JSON, DingTalk,
Feishu/Lark, Microsoft Teams), PagerDuty Events API v2 (a trigger per paging item under one dedup_key
per escalation, a resolve once it is resolved or de-escalated) and e-mail over SMTP. Besides due items,
watch announces what the tracker recorded: a raise to a higher tier or executive level, de-escalation
and resolution (references/policy/notify.yaml); with an on-call schedule (--schedule FILE or
$ESCALATION_KIT_ONCALL_SCHEDULE) each notice is addressed to the people on call for it when it is sent.
An item is recorded as ``reminder_fired`` only after a
target accepted it, so the next pass, or another watcher, does not send it again and a failure is retried.
Secrets (the routing key, the SMTP password) come from the environment or a file, never a flag.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from email.utils import parseaddr
from typing import TYPE_CHECKING

from escalation_kit.cli._values import check_every, check_timeout, read_secret
from escalation_kit.errors import InputError, quote

if TYPE_CHECKING:
    from escalation_kit.notify import NotifyPolicy, Target

FORMATS = ("slack", "dingtalk", "feishu", "teams")
ENV_WEBHOOK = "ESCALATION_KIT_WEBHOOK_URL"
ENV_PD_KEY = "ESCALATION_KIT_PAGERDUTY_ROUTING_KEY"
ENV_PD_URL = "ESCALATION_KIT_PAGERDUTY_URL"
ENV_SMTP_PASSWORD = "ESCALATION_KIT_SMTP_PASSWORD"
ENV_SCHEDULE = "ESCALATION_KIT_ONCALL_SCHEDULE"  # the same name as escalation_kit.oncall.ENV_SCHEDULE
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("watch", help="send due items and notices to chat, PagerDuty or e-mail (once or every N s)",
                       description="Send list_due items and stakeholder notices (tier or executive raise, "
                       "de-escalation, resolution) and record reminder_fired, so nothing is sent twice.")
    when = p.add_mutually_exclusive_group(required=True)
    when.add_argument("--once", action="store_true", help="one pass, then exit (for cron)")
    when.add_argument("--every", type=int, metavar="SECONDS", help="repeat every N seconds")
    p.add_argument("--webhook", default=os.environ.get(ENV_WEBHOOK),
                   help=f"chat webhook URL (default: ${ENV_WEBHOOK})")
    p.add_argument("--format", choices=FORMATS, default="slack", help="webhook payload shape (default slack)")
    pd = p.add_argument_group("PagerDuty Events API v2")
    pd.add_argument("--pagerduty", action="store_true",
                    help=f"page through PagerDuty; the routing key comes from ${ENV_PD_KEY} or --pagerduty-key-file")
    pd.add_argument("--pagerduty-key-file", metavar="FILE", help="file holding the routing key (implies --pagerduty)")
    pd.add_argument("--pagerduty-url", default=os.environ.get(ENV_PD_URL), metavar="URL",
                    help=f"events endpoint (default: ${ENV_PD_URL} or PagerDuty's own)")
    mail = p.add_argument_group("e-mail over SMTP")
    mail.add_argument("--smtp", metavar="HOST:PORT", help="SMTP server to send e-mail through")
    mail.add_argument("--mail-from", metavar="ADDRESS", help="sender address")
    mail.add_argument("--mail-to", action="append", metavar="ADDRESS",
                      help="recipient (repeat, or separate with commas)")
    mail.add_argument("--smtp-starttls", action="store_true", help="upgrade the connection with STARTTLS")
    mail.add_argument("--smtp-cafile", metavar="FILE", help="CA bundle to verify the server's certificate with")
    mail.add_argument("--smtp-user", metavar="USER",
                      help=f"log in as USER; the password comes from ${ENV_SMTP_PASSWORD} or --smtp-password-file")
    mail.add_argument("--smtp-password-file", metavar="FILE", help="file holding the SMTP password")
    p.add_argument("--schedule", default=os.environ.get(ENV_SCHEDULE) or None, metavar="FILE",
                   help=f"on-call schedule (YAML, see references/policy/oncall.yaml; default: ${ENV_SCHEDULE}, "
                   "else none): address each notice to the people on call for its tier when it is sent")
    p.add_argument("--no-notices", action="store_true",
                   help="send due items only, no notices of tier or executive raises, de-escalation, resolution")
    p.add_argument("--horizon", type=int, default=0, help="also send what falls due within N minutes")
    p.add_argument("--now", help="evaluate at this time (ISO 8601; default: the clock)")
    p.add_argument("--db", help="database URL (default: $ESCALATION_KIT_DB_URL or the local SQLite file)")
    p.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for each target")
    p.set_defaults(func=run)


def _secret(env: str, path: str | None, flag: str) -> str | None:
    """A secret from its file (first line) or environment variable; None when neither is given."""
    if path:
        return read_secret(path, flag)
    value = os.environ.get(env, "").strip()
    return value or None


def _url(value: str, flag: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise InputError(flag, "must be an http:// or https:// URL")
    return value


def _host_port(value: str) -> tuple[str, int]:
    host, sep, port = value.rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 1 <= int(port) <= 65535:
        raise InputError("--smtp", f"{quote(value)} is not HOST:PORT", allowed=["smtp.example.com:587",
                                                                                "127.0.0.1:25"])
    return host, int(port)


def _address(value: str, flag: str) -> str:
    name, addr = parseaddr(value)
    if "@" not in addr or any(c in value for c in "\r\n") or addr.count("@") != 1:
        raise InputError(flag, f"{quote(value)} is not an e-mail address")
    return value.strip()


def _webhook(args: argparse.Namespace) -> list[Target]:
    from escalation_kit.notify import WebhookTarget

    return [WebhookTarget(_url(args.webhook, "--webhook"), args.format, args.timeout)] if args.webhook else []


def _pagerduty(args: argparse.Namespace, policy: NotifyPolicy) -> list[Target]:
    from escalation_kit.notify import PagerDutyTarget

    if not (args.pagerduty or args.pagerduty_key_file):
        return []
    key = _secret(ENV_PD_KEY, args.pagerduty_key_file, "--pagerduty-key-file")
    if not key:
        raise InputError("--pagerduty", f"no routing key: set ${ENV_PD_KEY} or pass --pagerduty-key-file FILE")
    if any(c.isspace() for c in key) or len(key) > 200:
        raise InputError("--pagerduty", "the routing key has spaces or is too long: check the key you were given")
    url = _url(args.pagerduty_url, "--pagerduty-url") if args.pagerduty_url else ""
    return [PagerDutyTarget(key, policy, url, args.timeout)]


def _email(args: argparse.Namespace) -> list[Target]:
    from escalation_kit.notify import EmailTarget

    given = [f for f, v in (("--mail-from", args.mail_from), ("--mail-to", args.mail_to),
                            ("--smtp-user", args.smtp_user), ("--smtp-starttls", args.smtp_starttls)) if v]
    if not args.smtp:
        if given:
            raise InputError(given[0], "needs --smtp HOST:PORT")
        return []
    host, port = _host_port(args.smtp)
    if not args.mail_from or not args.mail_to:
        raise InputError("--mail-from" if not args.mail_from else "--mail-to", "e-mail needs a sender and at least "
                         "one recipient")
    recipients = [_address(a, "--mail-to") for v in args.mail_to for a in v.split(",") if a.strip()]
    password = None
    if args.smtp_user:
        if not args.smtp_starttls and host not in LOOPBACK:
            raise InputError("--smtp-user", "a login without --smtp-starttls would send the password in clear text")
        password = _secret(ENV_SMTP_PASSWORD, args.smtp_password_file, "--smtp-password-file")
        if password is None:
            raise InputError("--smtp-user", f"no password: set ${ENV_SMTP_PASSWORD} or pass --smtp-password-file")
    return [EmailTarget(host, port, _address(args.mail_from, "--mail-from"), recipients, args.smtp_starttls,
                        args.smtp_user, password, args.smtp_cafile, args.timeout)]


def targets(args: argparse.Namespace) -> list[Target]:
    """Every target the flags configure, checked before anything is read or sent."""
    from escalation_kit.notify import load_notify_policy

    found = [*_webhook(args), *_pagerduty(args, load_notify_policy()), *_email(args)]
    if not found:
        raise InputError("--webhook", f"no target: pass --webhook URL (or set ${ENV_WEBHOOK}), --pagerduty or "
                         "--smtp HOST:PORT")
    return found


def run(args: argparse.Namespace) -> int:
    check_every(args.every)
    check_timeout(args.timeout)
    from escalation_kit.notify import Watch, load_notify_policy, one_pass
    from escalation_kit.timezones import parse_instant
    from escalation_kit.tracker import Tracker, open_store

    found = targets(args)
    now = parse_instant(args.now, "--now") if args.now else None
    schedule = None
    if args.schedule:
        from escalation_kit.oncall import load_schedule

        schedule = load_schedule(args.schedule, "--schedule")
    tracker = Tracker(open_store(args.db))
    watch = Watch(tracker, found, load_notify_policy(), now, args.horizon, not args.no_notices, schedule=schedule)
    try:
        while True:
            result = one_pass(watch)
            for line in result.lines:
                print(f"escalation-kit: {line}", file=sys.stderr)
            print(f"watch: {result.sent} sent, {result.failed} failed", file=sys.stderr)
            if args.once:
                return 1 if result.failed else 0
            time.sleep(args.every)
    finally:
        tracker.close()
