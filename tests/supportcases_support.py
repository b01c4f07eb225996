"""Stand-ins for the three support APIs on 127.0.0.1, and records to open cases for (tests/supportcases/).

One real HTTP server in a thread answers the subset of each API the kit calls: the AWS Support API
(JSON 1.1 at POST /, each request's SigV4 signature recomputed with botocore and the test secret), the
Azure supportTickets resource (PUT/GET with a bearer token) and Cloud Support v2 cases (POST/GET with a
bearer token). Each request is checked for the fields the API requires and kept for the tests to read;
the server can be told to fail the next calls of one operation (an HTTP status, ``"timeout"``: answer
late, or ``"badjson"``: a 200 whose body is not JSON). A 401 echoes the credentials it got, as a careless
proxy might, so the tests see the client mask them.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from escalation_kit.tracker import Tracker

AKID, AWS_SECRET = "AKIDSUPPORTTEST01", "aws-secret-Zq9/very-secret"
AZURE_TOKEN, GCP_TOKEN = "az-token-Q1w2e3r4-secret", "ya29.gcp-token-secret-9"
SUBSCRIPTION = "132d901f-189d-4381-9214-fe68e27e05a1"
SECRETS = (AWS_SECRET, AZURE_TOKEN, GCP_TOKEN)
SLOW_SECONDS = 2.0
ENV_NAMES = ("ESCALATION_KIT_DB_URL", "ESCALATION_KIT_AWS_SUPPORT_URL", "ESCALATION_KIT_AZURE_SUPPORT_URL",
             "ESCALATION_KIT_GCP_SUPPORT_URL", "ESCALATION_KIT_AZURE_TOKEN", "ESCALATION_KIT_GCP_TOKEN",
             "ESCALATION_KIT_AZURE_SUBSCRIPTION_ID", "ESCALATION_KIT_GCP_PARENT", "AWS_PROFILE",
             "AWS_SESSION_TOKEN", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "ESCALATION_KIT_AWS_SUPPORT_REGION")
AZURE_REQUIRED = {"title", "description", "problemClassificationId", "serviceId", "severity",
                  "advancedDiagnosticConsent", "contactDetails"}
CONTACT_REQUIRED = {"firstName", "lastName", "preferredContactMethod", "primaryEmailAddress", "preferredTimeZone",
                    "country", "preferredSupportLanguage"}
GCP_REQUIRED = {"displayName", "description", "classification", "priority"}


@dataclass
class Call:
    vendor: str
    op: str
    path: str
    headers: dict[str, str]
    body: Any
    problems: list[str]


@dataclass
class FakeVendors:
    """What the stand-in was asked, what it holds, and how the next calls of an operation should fail."""

    url: str = ""
    calls: list[Call] = field(default_factory=list)
    fail: dict[str, list[Any]] = field(default_factory=dict)
    statuses: dict[str, str] = field(default_factory=dict)
    subjects: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    counter: int = 0

    def ops(self, op: str) -> list[Call]:
        return [c for c in self.calls if c.op == op]

    def problems(self) -> list[str]:
        return [p for c in self.calls for p in c.problems]


def _sigv4_problems(handler: BaseHTTPRequestHandler, raw: bytes) -> list[str]:
    """Recompute the request's SigV4 signature with the test secret: a wrong or missing one is a problem."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    auth = handler.headers.get("Authorization", "")
    m = re.match(r"AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request, "
                 r"SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$", auth)
    if not m:
        return [f"aws: Authorization is not SigV4: {auth[:40]!r}"]
    key, _day, region, service, signed, signature = m.groups()
    problems = [p for ok, p in ((key == AKID, f"aws: signed with key {key}"), (region == "us-east-1", "aws: region"),
                                (service == "support", "aws: service name")) if not ok]
    names = signed.split(";")
    req = AWSRequest(method=handler.command, url=f"http://{handler.headers['Host']}{handler.path}", data=raw,
                     headers={k: v for k, v in handler.headers.items() if k.lower() in names})
    req.context["timestamp"] = handler.headers.get("X-Amz-Date", "")
    signer = SigV4Auth(Credentials(AKID, AWS_SECRET), "support", "us-east-1")
    expected = signer.signature(signer.string_to_sign(req, signer.canonical_request(req)), req)
    if signature != expected:
        problems.append("aws: the SigV4 signature does not verify")
    return problems


class Handler(BaseHTTPRequestHandler):
    state: FakeVendors

    def log_message(self, *args: Any) -> None:
        pass

    def _send(self, code: int, payload: Any, raw: bytes | None = None) -> None:
        data = raw if raw is not None else json.dumps(payload).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _failure(self, op: str) -> bool:
        """Answer with the failure queued for ``op``, if any (True when answered)."""
        with self.state.lock:
            queue = self.state.fail.get(op) or []
            mode = queue.pop(0) if queue else None
        if mode is None:
            return False
        if mode == "timeout":
            time.sleep(SLOW_SECONDS)
            self._send(200, {})
        elif mode == "badjson":
            self._send(200, None, b"{this is not json")
        elif mode == 401:
            self._send(401, {"error": f"bad credentials: {self.headers.get('Authorization')}"})
        else:
            self._send(int(mode), {"error": {"code": "InternalError", "message": "try later"}})
        return True

    def _bearer(self, token: str) -> list[str]:
        return [] if self.headers.get("Authorization") == f"Bearer {token}" else ["bearer token missing or wrong"]

    def _body(self) -> tuple[bytes, Any]:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            return raw, json.loads(raw) if raw else None
        except ValueError:
            return raw, "<not json>"

    def _keep(self, vendor: str, op: str, body: Any, problems: list[str]) -> None:
        with self.state.lock:
            self.state.calls.append(Call(vendor, op, self.path, dict(self.headers.items()), body, problems))

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        raw, body = self._body()
        if self.path == "/":
            self._aws(raw, body)
        elif re.fullmatch(r"/v2/(projects|organizations)/[^/]+/cases", self.path):
            self._gcp_create(body)
        else:
            self._send(404, {"error": "no such path"})

    def do_PUT(self) -> None:  # noqa: N802
        _raw, body = self._body()
        self._azure("create", body)

    def do_GET(self) -> None:  # noqa: N802
        if self.path.startswith("/v2/"):
            problems = self._bearer(GCP_TOKEN)
            self._keep("gcp", "gcp.get", None, problems)
            if self._failure("gcp.get"):
                return
            name = self.path[len("/v2/"):]
            if name not in self.state.statuses:
                return self._send(404, {"error": {"message": f"no case {name}"}})
            return self._send(200, {"name": name, "state": self.state.statuses[name], "priority": "P1"})
        self._azure("get", None)

    def _aws(self, raw: bytes, body: Any) -> None:
        target = self.headers.get("X-Amz-Target", "")
        op = {"AWSSupport_20130415.CreateCase": "aws.create",
              "AWSSupport_20130415.DescribeCases": "aws.get"}.get(target, "aws.unknown")
        problems = _sigv4_problems(self, raw)
        if self.headers.get("Content-Type") != "application/x-amz-json-1.1":
            problems.append(f"aws: content type {self.headers.get('Content-Type')}")
        if op == "aws.create" and not ({"subject", "communicationBody"} <= set(body or {})):
            problems.append("aws: CreateCase lacks subject or communicationBody")
        self._keep("aws", op, body, problems)
        if self._failure(op):
            return
        if any(p.startswith("aws: the SigV4") or "not SigV4" in p for p in problems):
            return self._send(403, {"__type": "InvalidSignatureException", "message": "signature mismatch"})
        if op == "aws.create":
            with self.state.lock:
                self.state.counter += 1
                case_id = f"case-123456789012-muen-2026-{self.state.counter:016x}"
                self.state.statuses[case_id] = "unassigned"
                self.state.subjects[case_id] = body["subject"]
            return self._send(200, {"caseId": case_id})
        if op == "aws.get":
            return self._send(200, self._aws_cases(body or {}))
        self._send(400, {"__type": "UnknownOperationException"})

    def _aws_cases(self, body: dict[str, Any]) -> dict[str, Any]:
        """DescribeCases: the listed ids, or every case a page at a time (maxResults, nextToken)."""
        ids = body.get("caseIdList") or sorted(c for c in self.state.statuses if c.startswith("case-"))
        cases = [{"caseId": c, "displayId": "1700000001", "status": self.state.statuses[c],
                  "subject": self.state.subjects.get(c, "")} for c in ids if c in self.state.statuses]
        if body.get("caseIdList"):
            return {"cases": cases}
        start, size = int(body.get("nextToken") or 0), int(body.get("maxResults") or 100)
        page = {"cases": cases[start:start + size]}
        if start + size < len(cases):
            page["nextToken"] = str(start + size)
        return page


    def _azure(self, kind: str, body: Any) -> None:
        parts = urlsplit(self.path)
        m = re.fullmatch(r"/subscriptions/([0-9a-f-]{36})/providers/Microsoft\.Support/supportTickets/([^/]+)",
                         parts.path)
        problems = self._bearer(AZURE_TOKEN)
        if parse_qs(parts.query).get("api-version") != ["2024-04-01"]:
            problems.append("azure: api-version")
        if not m:
            self._keep("azure", f"azure.{kind}", body, problems + ["azure: path"])
            return self._send(404, {"error": {"code": "NotFound"}})
        if kind == "create":
            props = (body or {}).get("properties") or {}
            missing = sorted(AZURE_REQUIRED - set(props)) + sorted(CONTACT_REQUIRED - set(props.get("contactDetails")
                                                                                           or {}))
            problems += [f"azure: missing {name}" for name in missing]
        self._keep("azure", f"azure.{kind}", body, problems)
        if self._failure(f"azure.{kind}"):
            return
        resource = parts.path
        if kind == "create":
            self.state.statuses[resource] = "Open"
            return self._send(201, {"name": m.group(2), "id": resource,
                                    "properties": {"supportTicketId": "2612050010000001", "status": "Open"}})
        if resource not in self.state.statuses:
            return self._send(404, {"error": {"code": "NotFound"}})
        self._send(200, {"name": m.group(2), "id": resource, "properties": {"status": self.state.statuses[resource]}})

    def _gcp_create(self, body: Any) -> None:
        problems = self._bearer(GCP_TOKEN)
        problems += [f"gcp: missing {name}" for name in sorted(GCP_REQUIRED - set(body or {}))]
        if not isinstance((body or {}).get("classification"), dict) or not body["classification"].get("id"):
            problems.append("gcp: classification.id")
        self._keep("gcp", "gcp.create", body, problems)
        if self._failure("gcp.create"):
            return
        with self.state.lock:
            self.state.counter += 1
            name = f"{self.path[len('/v2/'):]}/{1000 + self.state.counter}"
            self.state.statuses[name] = "NEW"
        self._send(200, {"name": name, "state": "NEW", "priority": body.get("priority")})


class QuietServer(ThreadingHTTPServer):
    """A client that gave up (a timeout test) closes the socket the late answer is written to: not an error."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


@contextmanager
def vendor_server() -> Iterator[FakeVendors]:
    """The stand-in running in a thread on 127.0.0.1 for the duration of the block."""
    state = FakeVendors()
    handler = type("BoundHandler", (Handler,), {"state": state})
    server = QuietServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_port}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def open_record(tracker: Tracker, vendor: str, severity: str = "P1", plan: str | None = None, **extra: Any) -> str:
    """A record about ``vendor`` on a plan whose API can open cases; its id."""
    plans = {"aws": "enterprise", "azure": "premier", "gcp": "enhanced"}
    state = tracker.open({"title": f"{vendor} checkout outage", "severity": severity, "vendor": vendor,
                          "plan": plan or plans.get(vendor), "description": "All requests fail with 502 since 14:30.",
                          **extra}, at="2026-12-05T10:00:00Z")
    return state.id


AZURE_FLAGS = ["--service-id", "/providers/Microsoft.Support/services/sql-db",
               "--problem-classification", "/providers/Microsoft.Support/services/sql-db/problemClassifications/conn"]
GCP_FLAGS = ["--classification", "100IK2AKCLHMGRJ9CDGMOCGP8DM6UTB4BT262T31BT1M2T31DHNMENPO6KS36CPJ786L2TBFEHGN6NPI64R3"]
VENDOR_FLAGS = {"aws": ["--service-code", "amazon-elastic-compute-cloud-linux", "--category-code", "other"],
                "azure": AZURE_FLAGS, "gcp": GCP_FLAGS}
