"""``escalation-kit watch --once|--every N``: post list_due items to a chat webhook, each exactly once.

Cron-friendly: one pass with --once, or a loop. An item is posted, and only after the webhook answers
2xx is a ``reminder_fired`` event recorded with the item's key (and an idempotency key), so the next
pass, or another watcher, does not post it again; a failed post is retried on the next pass.
Payload shapes: Slack-compatible JSON (default), DingTalk, Feishu/Lark and Microsoft Teams.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.request
from typing import Any

from escalation_kit.errors import InputError

FORMATS = ("slack", "dingtalk", "feishu", "teams")
ENV_WEBHOOK = "ESCALATION_KIT_WEBHOOK_URL"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("watch", help="post due escalation items to a webhook (once or every N seconds)",
                       description="Post list_due items to a chat webhook and record reminder_fired, so nothing "
                       "is sent twice.")
    when = p.add_mutually_exclusive_group(required=True)
    when.add_argument("--once", action="store_true", help="one pass, then exit (for cron)")
    when.add_argument("--every", type=int, metavar="SECONDS", help="repeat every N seconds")
    p.add_argument("--webhook", default=os.environ.get(ENV_WEBHOOK),
                   help=f"webhook URL (default: ${ENV_WEBHOOK})")
    p.add_argument("--format", choices=FORMATS, default="slack", help="payload shape (default slack)")
    p.add_argument("--horizon", type=int, default=0, help="also post what falls due within N minutes")
    p.add_argument("--now", help="evaluate at this time (ISO 8601; default: the clock)")
    p.add_argument("--db", help="database URL (default: $ESCALATION_KIT_DB_URL or the local SQLite file)")
    p.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for the webhook")
    p.set_defaults(func=run)


def message(item: Any) -> str:
    """One line per item: severity, id, what is due and the suggested next step."""
    when = item.at.astimezone().strftime("%Y-%m-%d %H:%M %Z")
    return (f"[{item.severity}] {item.escalation_id} {item.kind.replace('_', ' ')} at {when}: {item.title}. "
            f"{item.message}. Next: {item.next_step}")


def payload(fmt: str, item: Any) -> dict[str, Any]:
    """The JSON body each chat platform's incoming webhook expects."""
    text = message(item)
    title = f"{item.escalation_id}: {item.kind.replace('_', ' ')}"
    if fmt == "dingtalk":
        return {"msgtype": "markdown", "markdown": {"title": title, "text": f"### {title}\n\n{text}"}}
    if fmt == "feishu":
        return {"msg_type": "text", "content": {"text": text}}
    if fmt == "teams":
        return {"@type": "MessageCard", "@context": "https://schema.org/extensions", "summary": title,
                "title": title, "text": text}
    return {"text": text, "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]}


def post(url: str, body: dict[str, Any], timeout: float) -> None:
    """POST JSON; raises OSError (urllib's errors) on a network failure or a non-2xx answer."""
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    req = urllib.request.Request(url, data=data, method="POST",
                                 headers={"Content-Type": "application/json; charset=utf-8"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - the user's own webhook URL
        if not 200 <= resp.status < 300:
            raise urllib.error.HTTPError(url, resp.status, "webhook refused the message", resp.headers, None)


def one_pass(tracker: Any, args: argparse.Namespace) -> tuple[int, int]:
    """Post every due item not yet reminded; returns (sent, failed)."""
    sent = failed = 0
    for item in tracker.due(args.now, args.horizon):
        try:
            post(args.webhook, payload(args.format, item), args.timeout)
        except OSError as exc:
            failed += 1
            print(f"escalation-kit: warning: webhook failed for {item.key}: {exc}", file=sys.stderr)
            continue
        try:
            tracker.record_event(item.escalation_id, "reminder_fired", at=args.now, actor="watch",
                                 payload={"key": item.key, "channel": args.format},
                                 idempotency_key=f"reminder:{item.key}")
        except InputError as exc:  # e.g. another watcher recorded it, or the record closed meanwhile
            print(f"escalation-kit: warning: posted {item.key} but could not record it: {exc}", file=sys.stderr)
        sent += 1
    return sent, failed


def run(args: argparse.Namespace) -> int:
    if not args.webhook:
        raise InputError("--webhook", f"no webhook URL: pass --webhook or set ${ENV_WEBHOOK}")
    if not args.webhook.startswith(("http://", "https://")):
        raise InputError("--webhook", "must be an http:// or https:// URL")
    if args.every is not None and args.every < 1:
        raise InputError("--every", f"{args.every} is too small", allowed=["1 or more seconds"])
    from escalation_kit.tracker import Tracker, open_store

    tracker = Tracker(open_store(args.db))
    try:
        while True:
            sent, failed = one_pass(tracker, args)
            print(f"watch: {sent} sent, {failed} failed", file=sys.stderr)
            if args.once:
                return 1 if failed else 0
            time.sleep(args.every)
    finally:
        tracker.close()
