"""The two ticketing systems, each behind the same five calls: find, create, read, align and push.

``find`` looks for a ticket a killed sync opened but never recorded (Jira: the record's id as a label;
ServiceNow: ``correlation_id``); ``create`` opens one reflecting the record; ``read`` returns the
ticket's state, priority and every comment's text (where the markers of pushed events are found);
``align`` brings state and priority in line with the record; ``push`` does that and adds one comment
or work note. The endpoints and field names are the ones in references/ticketing/*.yaml.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass
from typing import Any

from escalation_kit.ticketing.client import Http, TicketError
from escalation_kit.ticketing.policy import TicketPolicy

PAGE = 100
MAX_PAGES = 50
SUMMARY_MAX = 250
UPTO = re.compile(r"escalation-kit record (ESC-[0-9]+-[0-9]+)@([0-9]+)")
SN_FINISHED = ("6", "7")


@dataclass
class Ticket:
    """A linked ticket: the id calls use (Jira key, ServiceNow sys_id), its human label and the last event
    its creation reflected (later events are pushed)."""

    id: str
    label: str
    upto: int


@dataclass
class Remote:
    """What the ticket holds now: its state, its priority (name, or impact/urgency) and its comments' text."""

    state: str
    priority: Any
    text: str


@dataclass(frozen=True)
class Wanted:
    """The record as the ticket should show it after one event."""

    escalation_id: str
    title: str
    severity: str
    tier: int
    status: str
    owner: str | None
    description: str | None = None
    root_cause: str | None = None


def upto_line(esc_id: str, upto: int) -> str:
    """The line in a ticket's description saying which record and event it was opened from."""
    return f"escalation-kit record {esc_id}@{upto}"


def parse_upto(esc_id: str, text: str) -> int:
    """The event number a found ticket was opened from (0 when its description does not say)."""
    for found, seq in UPTO.findall(text or ""):
        if found == esc_id:
            return int(seq)
    return 0


def summary(w: Wanted, limit: int = SUMMARY_MAX) -> str:
    """``[P1] ESC-2026-0001 title`` on one line, cut to the system's limit."""
    return " ".join(f"[{w.severity}] {w.escalation_id} {w.title}".split())[:limit]


def description(w: Wanted, upto: int) -> str:
    head = (f"Escalation {w.escalation_id}: {w.severity}, tier {w.tier}, status {w.status}, "
            f"owner {w.owner or 'unassigned'}.")
    return "\n\n".join(p for p in (head, w.description or "", upto_line(w.escalation_id, upto)) if p)


class System:
    """One ticketing system reached through ``http`` and mapped by ``policy``."""

    name = "system"

    def __init__(self, http: Http, policy: TicketPolicy) -> None:
        self.http, self.policy = http, policy

    def target_state(self, w: Wanted) -> str:
        return self.policy.status[w.status]


# ------------------------------------------------------------------------------------------------ Jira
def adf(text: str) -> dict[str, Any]:
    """Plain text as an Atlassian Document Format document, one paragraph per non-empty line."""
    paragraphs = [{"type": "paragraph", "content": [{"type": "text", "text": line}]}
                  for line in text.splitlines() if line.strip()]
    return {"type": "doc", "version": 1, "content": paragraphs}


def adf_text(node: Any) -> str:
    """The text of an ADF node (paragraphs on their own lines); a plain string passes through."""
    if isinstance(node, str):
        return node
    if isinstance(node, list):
        return "\n".join(adf_text(n) for n in node)
    if not isinstance(node, dict):
        return ""
    own = node.get("text") if isinstance(node.get("text"), str) else ""
    return own + adf_text(node.get("content") or [])


class Jira(System):
    """Jira Cloud REST API v3: issues in one project, status moved by the workflow's transitions."""

    name = "jira"

    def __init__(self, http: Http, policy: TicketPolicy, project: str, issue_type: str | None = None) -> None:
        super().__init__(http, policy)
        self.project = project
        self.issue_type = issue_type or policy.extra["issue_type"]

    def find(self, esc_id: str) -> Ticket | None:
        jql = f'project = "{self.project}" AND labels = "{esc_id}" ORDER BY created ASC'
        query = urllib.parse.urlencode({"jql": jql, "fields": "summary,description", "maxResults": 5})
        answer = self.http.call("GET", f"/rest/api/3/search/jql?{query}", what=f"searching for {esc_id}") or {}
        issues = [i for i in answer.get("issues") or [] if isinstance(i, dict) and i.get("key")]
        if not issues:
            return None
        first = issues[0]
        text = adf_text((first.get("fields") or {}).get("description"))
        return Ticket(id=str(first["key"]), label=str(first["key"]), upto=parse_upto(esc_id, text))

    def create(self, w: Wanted, upto: int) -> Ticket:
        fields = {"project": {"key": self.project}, "summary": summary(w), "issuetype": {"name": self.issue_type},
                  "description": adf(description(w, upto)), "priority": {"name": self.policy.priority[w.severity]},
                  "labels": [self.policy.extra["label"], w.escalation_id]}
        answer = self.http.call("POST", "/rest/api/3/issue", {"fields": fields},
                                what=f"creating the issue for {w.escalation_id}") or {}
        key = answer.get("key")
        if not isinstance(key, str) or not key:
            raise TicketError(f"{self.http.where} created an issue for {w.escalation_id} but its answer has no key")
        return Ticket(id=key, label=key, upto=upto)

    def read(self, ticket: Ticket) -> Remote:
        issue = self.http.call("GET", f"/rest/api/3/issue/{_q(ticket.id)}?fields=status,priority",
                               what=f"reading {ticket.label}") or {}
        fields = issue.get("fields") or {}
        texts, start = [], 0
        for _page in range(MAX_PAGES):
            page = self.http.call("GET", f"/rest/api/3/issue/{_q(ticket.id)}/comment?startAt={start}"
                                  f"&maxResults={PAGE}", what=f"reading the comments of {ticket.label}") or {}
            comments = page.get("comments") or []
            texts += [adf_text(c.get("body")) for c in comments if isinstance(c, dict)]
            start += len(comments)
            if not comments or start >= int(page.get("total") or 0):
                break
        return Remote(state=str((fields.get("status") or {}).get("name") or ""),
                      priority=(fields.get("priority") or {}).get("name"), text="\n".join(texts))

    def align(self, ticket: Ticket, remote: Remote, w: Wanted) -> None:
        want_priority = self.policy.priority[w.severity]
        if remote.priority != want_priority:
            self.http.call("PUT", f"/rest/api/3/issue/{_q(ticket.id)}",
                           {"fields": {"priority": {"name": want_priority}}},
                           what=f"setting the priority of {ticket.label}")
            remote.priority = want_priority
        target = self.target_state(w)
        if remote.state.casefold() == target.casefold():
            return
        answer = self.http.call("GET", f"/rest/api/3/issue/{_q(ticket.id)}/transitions",
                                what=f"reading the transitions of {ticket.label}") or {}
        moves = [t for t in answer.get("transitions") or [] if isinstance(t, dict)]
        move = next((t for t in moves if str((t.get("to") or {}).get("name", "")).casefold() == target.casefold()),
                    None)
        if move is None:
            reachable = sorted({str((t.get("to") or {}).get("name")) for t in moves}) or ["none"]
            raise TicketError(f"{self.http.where}: no transition takes {ticket.label} from {remote.state!r} to "
                              f"{target!r} (reachable: {', '.join(reachable)}); name a status this workflow reaches "
                              "in jira.status of references/policy/ticketing.yaml")
        self.http.call("POST", f"/rest/api/3/issue/{_q(ticket.id)}/transitions", {"transition": {"id": move["id"]}},
                       what=f"moving {ticket.label} to {target!r}")
        remote.state = target

    def push(self, ticket: Ticket, remote: Remote, w: Wanted, text: str, marker: str) -> None:
        self.align(ticket, remote, w)
        if marker not in remote.text:
            self.http.call("POST", f"/rest/api/3/issue/{_q(ticket.id)}/comment", {"body": adf(text)},
                           what=f"commenting on {ticket.label}")
            remote.text += "\n" + text


# ------------------------------------------------------------------------------------------ ServiceNow
class ServiceNow(System):
    """ServiceNow Table API on ``incident``: state, impact and urgency set as fields, history as work notes."""

    name = "servicenow"
    TABLE = "/api/now/table/incident"

    def find(self, esc_id: str) -> Ticket | None:
        query = urllib.parse.urlencode({"sysparm_query": f"correlation_id={esc_id}",
                                        "sysparm_fields": "sys_id,number,description", "sysparm_limit": 1})
        answer = self.http.call("GET", f"{self.TABLE}?{query}", what=f"searching for {esc_id}") or {}
        found = [r for r in answer.get("result") or [] if isinstance(r, dict) and r.get("sys_id")]
        if not found:
            return None
        r = found[0]
        return Ticket(id=str(r["sys_id"]), label=str(r.get("number") or r["sys_id"]),
                      upto=parse_upto(esc_id, str(r.get("description") or "")))

    def _fields(self, w: Wanted, remote: Remote | None) -> dict[str, str]:
        """The fields whose value differs from the ticket's (all of them for a new incident)."""
        want = {"state": self.target_state(w), **self.policy.priority[w.severity]}
        have = {"state": remote.state, **(remote.priority or {})} if remote else {}
        out = {k: v for k, v in want.items() if have.get(k) != v}
        if "state" in out and out["state"] in SN_FINISHED:
            out["close_code"] = self.policy.extra["close_code"]
            out["close_notes"] = w.root_cause or self.policy.extra["close_notes"]
        return out

    def create(self, w: Wanted, upto: int) -> Ticket:
        limit = int((self.policy.facts.get("fields") or {}).get("short_description_max") or SUMMARY_MAX)
        body = {"short_description": summary(w, limit), "description": description(w, upto),
                "correlation_id": w.escalation_id, "correlation_display": "escalation-kit", **self._fields(w, None)}
        answer = (self.http.call("POST", self.TABLE, body, what=f"creating the incident for {w.escalation_id}")
                  or {}).get("result") or {}
        sys_id = answer.get("sys_id")
        if not isinstance(sys_id, str) or not sys_id:
            raise TicketError(f"{self.http.where} created an incident for {w.escalation_id} but its answer has no "
                              "sys_id")
        return Ticket(id=sys_id, label=str(answer.get("number") or sys_id), upto=upto)

    def read(self, ticket: Ticket) -> Remote:
        query = "sysparm_fields=state,impact,urgency,work_notes&sysparm_display_value=all"
        r = (self.http.call("GET", f"{self.TABLE}/{_q(ticket.id)}?{query}", what=f"reading {ticket.label}")
             or {}).get("result") or {}

        def value(name: str, part: str = "value") -> str:
            field = r.get(name)
            return str(field.get(part) or "") if isinstance(field, dict) else str(field or "")

        return Remote(state=value("state"), priority={"impact": value("impact"), "urgency": value("urgency")},
                      text=value("work_notes", "display_value"))

    def _patch(self, ticket: Ticket, remote: Remote, body: dict[str, str]) -> None:
        self.http.call("PATCH", f"{self.TABLE}/{_q(ticket.id)}", body, what=f"updating {ticket.label}")
        remote.state = body.get("state", remote.state)
        remote.priority = {k: body.get(k, (remote.priority or {}).get(k, "")) for k in ("impact", "urgency")}
        if "work_notes" in body:
            remote.text += "\n" + body["work_notes"]

    def align(self, ticket: Ticket, remote: Remote, w: Wanted) -> None:
        body = self._fields(w, remote)
        if body:
            self._patch(ticket, remote, body)

    def push(self, ticket: Ticket, remote: Remote, w: Wanted, text: str, marker: str) -> None:
        """One PATCH: the changed fields and the work note together, so the two land or fail as one."""
        body = self._fields(w, remote)
        if marker not in remote.text:
            body["work_notes"] = text
        if body:
            self._patch(ticket, remote, body)


def _q(value: str) -> str:
    return urllib.parse.quote(value, safe="")
