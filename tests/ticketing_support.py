"""Stand-ins for Jira Cloud and ServiceNow on 127.0.0.1: the subset of each API the ticket sync calls.

Each is a real HTTP server in a thread that checks basic auth (a 401 answer echoes the Authorization
header it got, as a careless proxy might, so the tests see the client mask it), keeps its tickets in
memory, and can be told to fail the next calls of one kind (an HTTP status, or ``"timeout"``: answer
late) or to ``hold`` one: store the change, then stall until released, so a test can kill the syncing
process after the system accepted a call and before the tracker recorded it.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from escalation_kit.cli import main

USER, SECRET = "ops@example.com", "tok-3f9Q-very-secret-value"


@dataclass
class Fake:
    """Shared state of one stand-in: what it holds, what it was asked, and what it should do next."""

    user: str = USER
    secret: str = SECRET
    calls: list[tuple[str, str]] = field(default_factory=list)
    fail: dict[str, list[Any]] = field(default_factory=dict)
    hold: str | None = None
    held: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    url: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def ops(self, op: str) -> int:
        return sum(1 for o, _ in self.calls if o == op)


@dataclass
class JiraState(Fake):
    issues: dict[str, dict[str, Any]] = field(default_factory=dict)
    statuses: tuple[str, ...] = ("To Do", "In Progress", "Done")


@dataclass
class ServiceNowState(Fake):
    records: dict[str, dict[str, Any]] = field(default_factory=dict)


def adf_text(node: Any) -> str:
    if isinstance(node, list):
        return "\n".join(adf_text(n) for n in node)
    if not isinstance(node, dict):
        return ""
    return (node.get("text") or "") + adf_text(node.get("content") or [])


class _Base(BaseHTTPRequestHandler):
    state: Fake

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, status: int, body: Any = None) -> None:
        data = b"" if body is None else json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (a timeout test) or was killed (a crash test)

    def _body(self) -> Any:
        n = int(self.headers.get("Content-Length") or 0)
        return json.loads(self.rfile.read(n)) if n else None

    def _gate(self, op: str) -> bool:
        """Record the call; answer 401 or an injected failure (True: answered, stop)."""
        s = self.state
        s.calls.append((op, self.path))
        expected = "Basic " + base64.b64encode(f"{s.user}:{s.secret}".encode()).decode()
        got = self.headers.get("Authorization", "")
        if got != expected:
            self._send(401, {"errorMessages": [f"bad credentials in header {got}"]})
            return True
        queue = s.fail.get(op) or s.fail.get("any")
        if queue:
            what = queue.pop(0)
            if what == "timeout":
                time.sleep(1.5)
                self._send(503, {"error": "late"})
            else:
                self._send(int(what), {"error": f"injected {what}"})
            return True
        return False

    def _maybe_hold(self, op: str) -> None:
        """After the change is stored: stall here when told to, so the client never hears the answer."""
        if self.state.hold == op:
            self.state.hold = None
            self.state.held.set()
            self.state.release.wait(30)


class _Jira(_Base):
    state: JiraState

    def _route(self, method: str) -> None:
        parts = urlsplit(self.path)
        path, query = unquote(parts.path), parse_qs(parts.query)
        m = re.fullmatch(r"/rest/api/3/issue/([A-Z0-9_]+-[0-9]+)(/comment|/transitions)?", path)
        if method == "POST" and path == "/rest/api/3/issue":
            return self._create()
        if method == "GET" and path == "/rest/api/3/search/jql":
            return self._search(query.get("jql", [""])[0])
        if m is None or m.group(1) not in self.state.issues:
            self._gate("other")
            return self._send(404, {"errorMessages": ["Issue does not exist or you do not have permission to see it."]})
        issue, tail = self.state.issues[m.group(1)], m.group(2)
        op = {("GET", None): "get", ("PUT", None): "edit", ("GET", "/comment"): "comments",
              ("POST", "/comment"): "comment", ("GET", "/transitions"): "transitions",
              ("POST", "/transitions"): "transition"}.get((method, tail))
        if op is None or self._gate(op):
            return None if op else self._send(405, {})
        return getattr(self, f"_{op}")(issue, query)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._route("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._route("POST")

    def do_PUT(self) -> None:  # noqa: N802
        self._route("PUT")

    def _create(self) -> None:
        if self._gate("create"):
            return
        fields = self._body()["fields"]
        with self.state.lock:
            key = f"{fields['project']['key']}-{len(self.state.issues) + 1}"
            self.state.issues[key] = {"id": str(10000 + len(self.state.issues)), "key": key, "comments": [],
                                      "fields": {**fields, "status": {"name": self.state.statuses[0]}}}
        self._maybe_hold("create")
        self._send(201, {"id": self.state.issues[key]["id"], "key": key, "self": f"{self.state.url}/issue/{key}"})

    def _search(self, jql: str) -> None:
        if self._gate("search"):
            return
        label = re.search(r'labels = "([^"]+)"', jql)
        project = re.search(r'project = "([^"]+)"', jql)
        found = [i for i in self.state.issues.values() if label and label.group(1) in i["fields"]["labels"]
                 and project and i["fields"]["project"]["key"] == project.group(1)]
        self._send(200, {"issues": [{"id": i["id"], "key": i["key"], "fields": {
            "summary": i["fields"]["summary"], "description": i["fields"]["description"]}} for i in found]})

    def _get(self, issue: dict, query: dict) -> None:
        f = issue["fields"]
        self._send(200, {"key": issue["key"], "fields": {"status": f["status"], "priority": f.get("priority")}})

    def _edit(self, issue: dict, query: dict) -> None:
        issue["fields"].update(self._body()["fields"])
        self._send(204)

    def _comments(self, issue: dict, query: dict) -> None:
        start, size = int(query.get("startAt", ["0"])[0]), int(query.get("maxResults", ["50"])[0])
        size = min(size, 2)  # small pages, so the client's paging is exercised
        page = issue["comments"][start:start + size]
        self._send(200, {"startAt": start, "maxResults": size, "total": len(issue["comments"]), "comments": page})

    def _comment(self, issue: dict, query: dict) -> None:
        body = self._body()["body"]
        assert body["type"] == "doc" and body["version"] == 1, body
        issue["comments"].append({"id": str(len(issue["comments"]) + 1), "body": body})
        self._maybe_hold("comment")
        self._send(201, issue["comments"][-1])

    def _ids(self) -> dict[str, str]:
        return {str(11 + 10 * n): name for n, name in enumerate(self.state.statuses)}

    def _transitions(self, issue: dict, query: dict) -> None:
        here = issue["fields"]["status"]["name"]
        self._send(200, {"transitions": [{"id": i, "name": f"Move to {n}", "to": {"name": n}}
                                         for i, n in self._ids().items() if n != here]})

    def _transition(self, issue: dict, query: dict) -> None:
        wanted = self._ids().get(str(self._body()["transition"]["id"]))
        if wanted is None or wanted == issue["fields"]["status"]["name"]:
            return self._send(400, {"errorMessages": ["It seems that you have tried to perform an invalid "
                                                      "workflow operation."]})
        issue["fields"]["status"] = {"name": wanted}
        return self._send(204)


class _ServiceNow(_Base):
    state: ServiceNowState
    TABLE = "/api/now/table/incident"

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        if parts.path == self.TABLE:
            if self._gate("query"):
                return
            wanted = query.get("sysparm_query", [""])[0].removeprefix("correlation_id=")
            found = [r for r in self.state.records.values() if r["correlation_id"] == wanted]
            return self._send(200, {"result": found[:1]})
        rec = self._record(parts.path)
        if rec is None or self._gate("get"):
            return None
        assert query.get("sysparm_display_value") == ["all"], query
        notes = "\n\n".join(reversed(rec["work_notes"]))
        return self._send(200, {"result": {
            "state": {"value": rec["state"], "display_value": {"1": "New", "2": "In Progress", "6": "Resolved",
                                                               "7": "Closed"}.get(rec["state"], rec["state"])},
            "impact": {"value": rec["impact"], "display_value": rec["impact"]},
            "urgency": {"value": rec["urgency"], "display_value": rec["urgency"]},
            "work_notes": {"value": "", "display_value": notes}}})

    def _record(self, path: str) -> dict | None:
        m = re.fullmatch(self.TABLE + r"/([0-9a-f]{32})", path)
        if m is None or m.group(1) not in self.state.records:
            self._gate("other")
            self._send(404, {"error": {"message": "No Record found"}})
            return None
        return self.state.records[m.group(1)]

    def do_POST(self) -> None:  # noqa: N802
        if urlsplit(self.path).path != self.TABLE:
            return self._send(400, {})
        if self._gate("create"):
            return None
        body = self._body()
        with self.state.lock:
            n = len(self.state.records) + 1
            sys_id = f"{n:032x}"
            rec = {"sys_id": sys_id, "number": f"INC{n:07d}", "work_notes": [], "close_code": "", "close_notes": "",
                   "state": "1", "impact": "3", "urgency": "3", "correlation_id": "", "description": ""}
            rec.update({k: v for k, v in body.items() if k != "work_notes"})
            self.state.records[sys_id] = rec
        self._maybe_hold("create")
        return self._send(201, {"result": {k: v for k, v in rec.items() if k != "work_notes"}})

    def do_PATCH(self) -> None:  # noqa: N802
        rec = self._record(urlsplit(self.path).path)
        if rec is None or self._gate("patch"):
            return None
        body = self._body()
        if body.get("state") in ("6", "7") and not (body.get("close_code") or rec["close_code"]) or \
                body.get("state") in ("6", "7") and not (body.get("close_notes") or rec["close_notes"]):
            return self._send(400, {"error": {"message": "Data Policy Exception: Resolution code, Resolution notes "
                                              "are mandatory"}})
        if "work_notes" in body:
            rec["work_notes"].append(body["work_notes"])
        rec.update({k: v for k, v in body.items() if k != "work_notes"})
        self._maybe_hold("patch")
        return self._send(200, {"result": {k: v for k, v in rec.items() if k != "work_notes"}})


@contextmanager
def serve(state: Fake, handler: type[_Base]) -> Iterator[Fake]:
    """Run the stand-in on a free loopback port while the caller's fixture lives."""
    cls = type(handler.__name__, (handler,), {"state": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), cls)
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.release.set()
        server.shutdown()
        server.server_close()


def jira_server() -> Any:
    return serve(JiraState(), _Jira)


def servicenow_server() -> Any:
    return serve(ServiceNowState(), _ServiceNow)


def sync_jira(jira: JiraState, *extra: str) -> int:
    """One ``tickets sync --system jira --once`` in this process against the stand-in."""
    return main(["tickets", "sync", "--system", "jira", "--once", "--url", jira.url, "--user", USER, "--project", "OPS",
                 "--timeout", "0.5", *extra])


def sync_snow(snow: ServiceNowState, *extra: str) -> int:
    return main(["tickets", "sync", "--system", "servicenow", "--once", "--url", snow.url, "--user", USER,
                 "--timeout", "0.5", *extra])
