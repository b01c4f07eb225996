"""Escalations from a shell: ``escalation-kit track`` open, update, action, close, event, show, list, due, ...

Human tables by default, ``--json`` for scripts. The store is $ESCALATION_KIT_DB_URL or the SQLite file
at $ESCALATION_KIT_HOME/escalations.db (created on first use).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from typing import Any

from escalation_kit.cli._values import named_numbers
from escalation_kit.errors import InputError
from escalation_kit.vocab import LANGS, RECORD_DOC_KINDS, SEVERITIES

EVENT_KINDS = ("acknowledged", "first_response_sent", "note", "vendor_case_filed", "vendor_responded",
               "customer_update_sent", "internal_update", "paused", "resumed", "de_escalated", "resolved", "reopened",
               "handoff_accepted", "executive_engaged")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("track", help="open, update and read tracked escalations",
                       description="The escalation tracker: an append-only, hash-chained event log with SLA clocks.")
    p.add_argument("--db", help="database URL (default: $ESCALATION_KIT_DB_URL or the local SQLite file)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    s = p.add_subparsers(dest="track_command", metavar="ACTION", required=True)

    o = s.add_parser("open", help="open an escalation")
    o.add_argument("title")
    o.add_argument("--severity", required=True, choices=SEVERITIES)
    o.add_argument("--type", default="technical", choices=["technical", "executive", "vendor"])
    o.add_argument("--tier", type=int, help="1-4 (default: the routing policy's tier for the severity, P1 -> 3)")
    o.add_argument("--owner")
    o.add_argument("--customer")
    o.add_argument("--segment")
    o.add_argument("--category")
    o.add_argument("--vendor")
    o.add_argument("--plan")
    o.add_argument("--language", default="en", choices=LANGS)
    o.add_argument("--tz", default="UTC", help="IANA time zone of the clocks and documents")
    o.add_argument("--calendar", help="holiday calendar, e.g. CN, RU, US")
    o.add_argument("--exec-level", type=int, default=0, help="executive level 0-4 (0 = none)")
    o.add_argument("--description")
    _common_write(o)

    u = s.add_parser("update", help="change owner, tier, executive level, severity or status")
    u.add_argument("id")
    u.add_argument("--owner")
    u.add_argument("--tier", type=int)
    u.add_argument("--exec-level", type=int)
    u.add_argument("--severity", choices=SEVERITIES)
    u.add_argument("--status", choices=["open", "acknowledged", "in_progress", "escalated", "mitigated", "monitoring"])
    u.add_argument("--next-steps", help="what happens next (seed 002's next_steps); '' clears it")
    u.add_argument("--eta", help="estimated resolution, ISO 8601 with offset; '' clears it")
    u.add_argument("--plan", help="the resolution plan shown in the tracking document; '' clears it")
    u.add_argument("--reason")
    u.add_argument("--expected-version", type=int)
    _common_write(u)

    act = s.add_parser("action", help="add a follow-up action or mark one done")
    acts = act.add_subparsers(dest="action_command", metavar="add|done", required=True)
    aa = acts.add_parser("add", help="add an action (ids A1, A2...); track due flags it when overdue")
    aa.add_argument("id")
    aa.add_argument("text")
    aa.add_argument("--owner")
    aa.add_argument("--due", help="when it is due, ISO 8601 with offset")
    aa.add_argument("--expected-version", type=int)
    _common_write(aa)
    ad = acts.add_parser("done", help="mark an action done")
    ad.add_argument("id")
    ad.add_argument("action_id", help="A1, A2...")
    ad.add_argument("--expected-version", type=int)
    _common_write(ad)

    c = s.add_parser("close", help="resolve (if needed) and close")
    c.add_argument("id")
    c.add_argument("--root-cause")
    _common_write(c)

    ar = s.add_parser("archive", help="archive a closed record, or every record closed before a time (seed 002)",
                      description="Archived records leave track list (see --archived), stay in metrics and in "
                                  "the verified log, and take no event until unarchived.")
    ar.add_argument("id", nargs="?", help="one closed record")
    ar.add_argument("--closed-before", help="archive every closed record closed before this ISO 8601 time")
    ar.add_argument("--at", help="when it happened, ISO 8601 with offset (default now)")
    ar.add_argument("--actor", default="cli")
    ar.add_argument("--key", help="idempotency key (with an id)")
    ua = s.add_parser("unarchive", help="bring an archived record back (it can then be reopened)")
    ua.add_argument("id")
    _common_write(ua)

    e = s.add_parser("event", help="record an event")
    e.add_argument("id")
    e.add_argument("kind", choices=EVENT_KINDS)
    e.add_argument("--text", help="note or summary text")
    e.add_argument("--case-id", help="vendor case id (vendor_case_filed)")
    e.add_argument("--reason", choices=["awaiting_customer", "awaiting_vendor"], help="pause reason")
    e.add_argument("--expected-version", type=int)
    _common_write(e)

    sh = s.add_parser("show", help="state, clocks and timeline")
    sh.add_argument("id")
    sh.add_argument("--now")

    ls = s.add_parser("list", help="list escalations")
    for name in ("status", "owner", "customer", "severity", "vendor", "age"):
        ls.add_argument(f"--{name}")
    ls.add_argument("--tier", type=int)
    ls.add_argument("--now")
    ls.add_argument("--limit", type=int, default=100)
    ls.add_argument("--archived", default="exclude", choices=["exclude", "include", "only"],
                    help="archived records: left out (default), included, or only them")

    d = s.add_parser("due", help="what is due or late")
    d.add_argument("--now")
    d.add_argument("--horizon", type=int, default=0, help="also list what falls due within N minutes")
    d.add_argument("--all", action="store_true", help="include items already reminded")

    m = s.add_parser("metrics", help="escalation metrics for a period")
    m.add_argument("--from", dest="date_from", required=True, help="YYYY-MM-DD (00:00 UTC) or ISO 8601 with offset")
    m.add_argument("--to", dest="date_to", required=True, help="YYYY-MM-DD (00:00 UTC, excluded) or ISO 8601")
    m.add_argument("--group-by", default="",
                   help="comma-separated: tier,severity,segment,vendor,customer,category,owner; week or month "
                        "gives the volume trend")
    m.add_argument("--now")
    m.add_argument("--tickets", action="append", metavar="CATEGORY=COUNT",
                   help="tickets of a category in the period (repeat): adds its escalation rate")
    m.add_argument("--report", action="store_true", help="a Markdown report instead of the table")
    m.add_argument("--language", choices=LANGS, help="the report's language (default en)")

    x = s.add_parser("export", help="the tracking document (Markdown)")
    x.add_argument("id")
    x.add_argument("--language", choices=LANGS)
    x.add_argument("--tz")
    x.add_argument("--out", help="write to this file instead of stdout")
    x.add_argument("--kind", choices=RECORD_DOC_KINDS, default="escalation_tracking",
                   help="the document: tracking (default), post_mortem or deescalation_notice, pre-filled from the "
                   "record")
    x.add_argument("--facts", help="JSON file ('-' for stdin) with what only you know (root causes, attendees...); "
                   "it wins over the record")
    x.add_argument("--now", help="decision time for a de-escalation notice (default: the clock)")

    v = s.add_parser("verify", help="check every hash chain and replay every log")
    v.add_argument("id", nargs="?")

    pt = s.add_parser("patterns", help="issue categories several customers reported recently (seed 004)")
    pt.add_argument("--days", type=int, help="the window in days (default: routing.yaml, 7)")
    pt.add_argument("--min-customers", type=int, help="customers needed (default: routing.yaml, 3)")
    pt.add_argument("--now")

    hl = s.add_parser("health", help="a customer's account health month by month (seed 001)",
                      description="ticket_trends from the records (volume trend, P0/P1 share, reopen rate; policy in "
                      "routing.yaml health.from_tracker) and the overall score with the categories you give")
    hl.add_argument("customer")
    hl.add_argument("--months", type=int, default=6, help="calendar months back from now (default 6)")
    hl.add_argument("--category", action="append", default=[], metavar="NAME=SCORE",
                    help="a category only you know, 0-100 (support_satisfaction, engagement_quality, "
                    "relationship_strength); repeatable")
    hl.add_argument("--now")

    r = s.add_parser("recommend", help="whether the escalation can be de-escalated now (seeds 002, 004)")
    r.add_argument("id")
    r.add_argument("--customer-confirmed", action="store_true", help="the customer confirmed the resolution")
    r.add_argument("--workaround", action="store_true", help="a workaround unblocks the customer")
    r.add_argument("--support-resolvable", action="store_true", help="what is left is for support, not engineering")
    r.add_argument("--reassessed", choices=SEVERITIES, help="the level new information points to")
    r.add_argument("--now")
    for child in (o, u, aa, ad, c, ar, ua, e, sh, ls, d, m, x, v, pt, hl, r):
        child.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print JSON")
    p.set_defaults(func=run)


def _common_write(p: argparse.ArgumentParser) -> None:
    p.add_argument("--at", help="when it happened, ISO 8601 with offset (default now)")
    p.add_argument("--actor", default="cli")
    p.add_argument("--key", help="idempotency key: the same key never records twice")


def _table(rows: list[dict[str, Any]], cols: list[str]) -> str:
    if not rows:
        return "(none)"
    cells = [[("" if r.get(c) is None else str(r.get(c))) for c in cols] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(cols)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True))]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(lines)


def _print(args: argparse.Namespace, data: Any, text: str) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str) if args.json else text)


def run(args: argparse.Namespace) -> int:
    from escalation_kit.tracker import Tracker, open_store

    tracker = Tracker(open_store(args.db))
    try:
        return ACTIONS[args.track_command](tracker, args)
    finally:
        tracker.close()


def _open(t: Any, a: argparse.Namespace) -> int:
    spec = {k: v for k, v in dict(title=a.title, severity=a.severity, type=a.type, tier=a.tier, owner=a.owner,
                                  customer=a.customer, segment=a.segment, category=a.category, vendor=a.vendor,
                                  plan=a.plan, language=a.language, timezone=a.tz, calendar=a.calendar,
                                  exec_level=a.exec_level, description=a.description).items()
            if v is not None}
    s = t.open(spec, at=a.at, actor=a.actor, idempotency_key=a.key)
    _print(a, s.model_dump(mode="json"), f"{s.id} opened ({s.severity}, tier {s.tier}, version {s.version})")
    return 0


def _update(t: Any, a: argparse.Namespace) -> int:
    changes = {k: v for k, v in dict(owner=a.owner, tier=a.tier, exec_level=a.exec_level, severity=a.severity,
                                     status=a.status, next_steps=a.next_steps, estimated_resolution=a.eta,
                                     resolution_plan=a.plan).items() if v is not None}
    s = t.update(a.id, changes, at=a.at, actor=a.actor, reason=a.reason, expected_version=a.expected_version,
                 idempotency_key=a.key)
    _print(a, s.model_dump(mode="json"), f"{s.id}: updated {', '.join(sorted(changes))} (version {s.version})")
    return 0


def _action(t: Any, a: argparse.Namespace) -> int:
    """``track action add ID TEXT`` / ``track action done ID A1``."""
    if a.action_command == "add":
        s = t.add_action(a.id, a.text, owner=a.owner, due_at=a.due, at=a.at, actor=a.actor,
                         expected_version=a.expected_version, idempotency_key=a.key)
        done = f"action {max(s.actions, key=lambda k: int(k[1:]))} added"
    else:
        s = t.complete_action(a.id, a.action_id, at=a.at, actor=a.actor, expected_version=a.expected_version,
                              idempotency_key=a.key)
        done = f"action {a.action_id} done"
    _print(a, s.model_dump(mode="json"), f"{s.id}: {done} (version {s.version})")
    return 0


def _close(t: Any, a: argparse.Namespace) -> int:
    s = t.close_escalation(a.id, at=a.at, actor=a.actor, root_cause=a.root_cause, idempotency_key=a.key)
    _print(a, s.model_dump(mode="json"), f"{s.id}: closed (version {s.version})")
    return 0


def _archive(t: Any, a: argparse.Namespace) -> int:
    """One closed record by id, or every record closed before --closed-before: exactly one of the two."""

    if (a.id is None) == (a.closed_before is None):
        raise InputError("closed_before", "give either an escalation id or --closed-before, not both or neither",
                         allowed=["ESC-YYYY-NNNN", "--closed-before 2026-11-01T00:00:00Z"])
    if a.id is not None:
        s = t.record_event(a.id, "archived", at=a.at, actor=a.actor, idempotency_key=a.key)
        _print(a, s.model_dump(mode="json"), f"{s.id}: archived (version {s.version})")
        return 0
    ids = t.archive_closed(a.closed_before, at=a.at, actor=a.actor)
    _print(a, {"archived": ids}, f"archived {len(ids)}: {', '.join(ids)}" if ids else "nothing to archive")
    return 0


def _unarchive(t: Any, a: argparse.Namespace) -> int:
    s = t.record_event(a.id, "unarchived", at=a.at, actor=a.actor, idempotency_key=a.key)
    _print(a, s.model_dump(mode="json"), f"{s.id}: unarchived (status {s.status}, version {s.version})")
    return 0


def _event(t: Any, a: argparse.Namespace) -> int:
    payload = {k: v for k, v in dict(text=a.text, case_id=a.case_id, reason=a.reason).items() if v is not None}
    s = t.record_event(a.id, a.kind, at=a.at, actor=a.actor, payload=payload, expected_version=a.expected_version,
                       idempotency_key=a.key)
    _print(a, s.model_dump(mode="json"), f"{s.id}: {a.kind} recorded (status {s.status}, version {s.version})")
    return 0


def _show(t: Any, a: argparse.Namespace) -> int:
    v = t.get(a.id, a.now)
    s = v.state
    clocks = [{"clock": c.name, "whose": c.owner, "status": c.status, "elapsed": c.elapsed_minutes,
               "paused": c.paused_minutes, "target": c.target_minutes, "pct": c.percent_consumed,
               "due": c.due_at.isoformat() if c.due_at else "-"} for c in v.clocks]
    events = [{"seq": e.seq, "at": e.at.isoformat(), "kind": e.kind, "actor": e.actor,
               "detail": json.dumps(e.payload, ensure_ascii=False)[:60]} for e in v.timeline]
    head = (f"{s.id}  {s.title}\n{s.severity}  tier {s.tier}  exec {s.exec_level}  status {s.status}  "
            f"owner {s.owner or '-'}  version {s.version}")
    plan = [f"{label}: {value}" for label, value in (
        ("next steps", s.next_steps), ("estimated resolution", s.estimated_resolution and
                                       s.estimated_resolution.isoformat()), ("plan", s.resolution_plan)) if value]
    actions = [{"action": x.id, "text": x.text[:60], "owner": x.owner or "-",
                "due": x.due_at.isoformat() if x.due_at else "-", "done": x.done_at.isoformat() if x.done_at else "-"}
               for x in s.actions.values()]
    parts = [head + ("\n" + "\n".join(plan) if plan else ""), _table(clocks, list(clocks[0])) if clocks else ""]
    parts += [_table(actions, list(actions[0]))] if actions else []
    parts.append(_table(events, ["seq", "at", "kind", "actor", "detail"]))
    _print(a, v.model_dump(mode="json"), "\n\n".join(parts))
    return 0


def _list(t: Any, a: argparse.Namespace) -> int:
    rows = t.list(status=a.status, owner=a.owner, customer=a.customer, tier=a.tier, severity=a.severity,
                  vendor=a.vendor, age=a.age, now=a.now, limit=a.limit, archived=a.archived)
    _print(a, rows, _table(rows, ["id", "severity", "tier", "status", "owner", "customer", "age_minutes", "title"]))
    return 0


def _patterns(t: Any, a: argparse.Namespace) -> int:
    rows = t.shared_issues(a.now, a.days, a.min_customers)
    _print(a, rows, _table(rows, ["category", "customers", "escalations", "first_opened_at", "last_opened_at"]))
    return 0


def _health(t: Any, a: argparse.Namespace) -> int:
    from escalation_kit.tracker.health import COMPONENTS

    scores = named_numbers(a.category, "--category", "NAME=SCORE")
    h = t.account_health(a.customer, a.months, scores, a.now)
    rows = [{"month": m.month, "escalations": m.escalations, **{k: m.components.get(k) for k in
             COMPONENTS}, "ticket_trends": m.ticket_trends,
             "response_time": m.response_time, "health": m.health.score if m.health else None,
             "band": m.health.band if m.health else None} for m in h.months]
    note = f"\nnot tracked: {', '.join(h.not_tracked)}; policy: {h.policy}"
    _print(a, h.model_dump(mode="json"), _table(rows, list(rows[0])) + note)
    return 0


def _due(t: Any, a: argparse.Namespace) -> int:
    items = [i.model_dump(mode="json") for i in t.due(a.now, a.horizon, a.all)]
    _print(a, items, _table(items, ["escalation_id", "kind", "at", "severity", "owner", "message", "next_step"]))
    return 0


def _metrics(t: Any, a: argparse.Namespace) -> int:
    groups = [g for g in a.group_by.split(",") if g]
    tickets = named_numbers(a.tickets, "--tickets", "CATEGORY=COUNT", whole=True) or None
    m = t.metrics(a.date_from, a.date_to, groups, a.now, tickets)
    cols = ["count", "open", "mtta_minutes", "mttr_p50_minutes", "mttr_p90_minutes", "response_compliance",
            "breaches", "re_escalation_rate", "de_escalation_p50_minutes"]
    rows = [{**m.total.model_dump(), "group": "all"}] + [
        {**g.model_dump(), "group": ",".join(f"{k}={v}" for k, v in g.group.items())} for g in m.groups]
    if a.report:
        from escalation_kit.tracker.metrics_report import render_metrics

        print(render_metrics(m, a.language or "en"), end="")
        return 0
    rates = [r.model_dump() for r in m.escalation_rates]
    text = _table(rows, ["group", *cols])
    if rates:
        text += "\n\n" + _table(rates, ["category", "escalations", "tickets", "rate"])
    _print(a, m.model_dump(mode="json"), text)
    return 0


def _export(t: Any, a: argparse.Namespace) -> int:
    from escalation_kit.cli.brief import read_facts

    extra = read_facts(a.facts) if a.facts else None
    doc = t.export(a.id, a.language, a.tz, a.kind, extra, a.now)
    if a.out:
        with open(a.out, "w", encoding="utf-8") as fh:
            fh.write(doc.markdown)
        print(f"wrote {a.out}", file=sys.stderr)
    else:
        _print(a, doc.model_dump(mode="json"), doc.markdown)
    return 0


def _verify(t: Any, a: argparse.Namespace) -> int:
    report = t.verify(a.id)
    text = (f"ok: {report['escalations']} escalations, {report['events']} events, every hash chain intact"
            if report["ok"] else "TAMPERED OR INCONSISTENT:\n" + "\n".join(report["problems"]))
    _print(a, report, text)
    return 0 if report["ok"] else 1


def _recommend(t: Any, a: argparse.Namespace) -> int:
    """The de-escalation recommendation from the stored record plus what only the caller knows."""
    from escalation_kit.routing import recommend_deescalation
    from escalation_kit.timezones import parse_instant
    from escalation_kit.tracker.export import record_criteria

    s = t.get(a.id, a.now).state
    now = parse_instant(a.now, "now") if a.now else None
    stable = None
    if s.resolved_at is not None:
        end = now or datetime.now(UTC)
        stable = max(0, int((end - s.resolved_at).total_seconds() // 60))
    resolution = {
        **record_criteria(s),
        "customer_confirmed": True if a.customer_confirmed else None,
        "workaround_available": True if a.workaround else None,
        "support_resolvable": True if a.support_resolvable else None,
    }
    r = recommend_deescalation(s.severity, resolution, stable, a.reassessed, s.language)
    lines = [f"{s.id}: {r.action} ({r.decided_by}): {r.rationale}",
             f"monitoring: {r.monitoring.stable_minutes if stable is not None else '?'} of "
             f"{r.monitoring.required_minutes} stable minutes"]
    lines += [f"to confirm: {', '.join(r.missing)}"] if r.missing else [f"- {step.text}" for step in r.steps]
    _print(a, r.model_dump(mode="json"), "\n".join(lines))
    return 0


ACTIONS = {"open": _open, "update": _update, "action": _action, "close": _close, "archive": _archive,
           "unarchive": _unarchive,
           "event": _event, "show": _show, "list": _list, "due": _due, "metrics": _metrics,
           "export": _export, "verify": _verify, "patterns": _patterns, "health": _health,
           "recommend": _recommend}
