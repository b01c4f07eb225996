"""The three support APIs behind the same three calls: prepare (the exact request), open, and status.

``prepare`` is pure: it builds the request ``--dry-run`` prints and ``--send`` sends, so the two cannot
differ; a setting the API requires and the caller did not give is refused here, naming the flag.
``open`` sends it and returns the vendor's case id; ``status`` reads a case's status. Every failure is a
``CaseError`` naming the API and host, never a secret (``CaseAuthError`` when the credentials are
refused). AWS goes through botocore (JSON 1.1, SigV4-signed; the optional ``aws`` extra); Azure and
Google are bearer-token JSON exchanges (``jsonhttp``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any, ClassVar, Protocol

from escalation_kit.errors import InputError, quote
from escalation_kit.jsonhttp import JsonExchange
from escalation_kit.netmsg import host_of, scrub
from escalation_kit.supportcases.draft import CaseDraft
from escalation_kit.supportcases.policy import load_case_policy

REDACTED = "***"
MAX_MESSAGE = 200
FIND_PAGE, FIND_PAGES = 100, 10
GCP_PARENT = re.compile(r"^(projects|organizations)/[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")
GCP_CASE = re.compile(r"^(projects|organizations)/[A-Za-z0-9][A-Za-z0-9._:-]{0,99}/cases/[A-Za-z0-9._-]{1,100}$")
AZURE_TICKET = re.compile(r"^/subscriptions/[0-9a-fA-F-]{36}/providers/Microsoft\.Support/supportTickets/"
                          r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
AWS_CASE = re.compile(r"^case-[A-Za-z0-9-]{1,200}$")
UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{2,}$")


class CaseError(Exception):
    """The support API could not be reached or refused a call; nothing was recorded in the tracker."""


class CaseAuthError(CaseError):
    """The support API rejected the credentials, or none were found: every call would fail the same way."""


@dataclass(frozen=True)
class Prepared:
    """One request exactly as it is sent, with the Authorization header shown redacted."""

    method: str
    url: str
    headers: dict[str, str]
    body: dict[str, Any]

    def shown(self) -> dict[str, Any]:
        return {"method": self.method, "url": self.url, "headers": self.headers, "body": self.body}


@dataclass(frozen=True)
class Opened:
    """What the vendor answered: the case id later calls use, its status if it said, and a label for people."""

    case_id: str
    status: str | None
    label: str


class SupportApi(Protocol):
    name: str

    @property
    def where(self) -> str: ...

    def prepare(self, draft: CaseDraft) -> Prepared: ...

    def find(self, draft: CaseDraft) -> Opened | None: ...

    def open(self, prepared: Prepared) -> Opened: ...

    def status(self, case_id: str) -> str: ...


def _need(value: str | None, flag: str, what: str) -> str:
    if not value or not str(value).strip():
        raise InputError(flag, f"needed to open a case: {what}")
    return str(value).strip()


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def names_record(text: str, esc_id: str) -> bool:
    """Whether a case's subject names this record (ESC-2026-0001 is not ESC-2026-00012)."""
    return re.search(rf"(?<![\w-]){re.escape(esc_id)}(?![\w-])", text) is not None


# ------------------------------------------------------------------------------------------------ AWS
@dataclass
class Aws:
    """AWS Support API through botocore: CreateCase and DescribeCases, SigV4-signed with the default chain."""

    endpoint: str
    region: str = "us-east-1"
    timeout: float = 10.0
    service_code: str | None = None
    category_code: str | None = None
    cc: tuple[str, ...] = ()
    name: str = "aws"
    _client: Any = field(default=None, repr=False)
    _secrets: tuple[str, ...] = field(default=(), repr=False)

    @property
    def where(self) -> str:
        return f"AWS Support API at {host_of(self.endpoint)}"

    def prepare(self, draft: CaseDraft) -> Prepared:
        policy = draft.policy
        params: dict[str, Any] = {"subject": draft.subject, "communicationBody": draft.body,
                                  "severityCode": draft.case_severity,
                                  "issueType": str(policy.extra.get("issue_type", "technical")),
                                  "language": policy.language[draft.language]}
        if self.service_code:
            params["serviceCode"] = self.service_code
        if self.category_code:
            params["categoryCode"] = self.category_code
        if self.cc:
            params["ccEmailAddresses"] = list(self.cc)
        facts = policy.facts["protocol"]
        return Prepared("POST", self.endpoint.rstrip("/") + "/", {
            "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": f"{facts['target_prefix']}.CreateCase",
            "Authorization": f"AWS4-HMAC-SHA256 Credential={REDACTED} (signed by botocore when sent)"}, params)

    def client(self) -> Any:
        """The botocore client, credentials from the environment or the AWS config files (never a flag)."""
        if self._client is not None:
            return self._client
        try:
            import botocore.session
            from botocore.config import Config
        except ImportError:
            raise CaseError("the AWS Support API needs botocore: pip install 'escalation-kit[aws]'") from None
        from botocore.exceptions import BotoCoreError

        session = botocore.session.Session()
        try:
            creds = session.get_credentials()
        except BotoCoreError as exc:  # a named profile that does not exist, a broken config file
            raise CaseAuthError(f"cannot load AWS credentials for {self.where}: {exc}") from None
        if creds is None:
            raise CaseAuthError(f"no AWS credentials for {self.where}: set AWS_ACCESS_KEY_ID and "
                                "AWS_SECRET_ACCESS_KEY, or AWS_PROFILE with a credentials file")
        frozen = creds.get_frozen_credentials()
        self._secrets = tuple(s for s in (frozen.secret_key, frozen.token, frozen.access_key) if s)
        config = Config(retries={"total_max_attempts": 1}, connect_timeout=self.timeout, read_timeout=self.timeout)
        self._client = session.create_client("support", region_name=self.region, endpoint_url=self.endpoint,
                                             config=config)
        return self._client

    def _call(self, operation: str, params: dict[str, Any], doing: str) -> dict[str, Any]:
        client = self.client()
        try:
            return getattr(client, operation)(**params)
        except Exception as exc:  # botocore's errors: mapped one by one below, anything else named
            raise self._failure(exc, doing) from None

    def _failure(self, exc: Exception, doing: str) -> CaseError:
        from botocore import exceptions as bx

        if isinstance(exc, bx.ClientError):
            err = exc.response.get("Error") or {}
            code = str(err.get("Code") or "")
            status = (exc.response.get("ResponseMetadata") or {}).get("HTTPStatusCode")
            message = " ".join(str(err.get("Message") or "").split())[:MAX_MESSAGE]
            codes = load_case_policy("aws").facts.get("auth_failures", {}).get("codes", [])
            if status in (401, 403) or code in codes:
                text = (f"{self.where} rejected the credentials (HTTP {status} {code}) for {doing}: check "
                        "AWS_ACCESS_KEY_ID / AWS_PROFILE")
                return CaseAuthError(scrub(text, self._secrets))
            if code == "SubscriptionRequiredException":
                return CaseError(f"{self.where} refused {doing}: the account's support plan has no API access "
                                 "(SubscriptionRequiredException)")
            text = f"{self.where} answered {doing} with HTTP {status} {code}" + (f": {message}" if message else "")
            return CaseError(scrub(text, self._secrets))
        if isinstance(exc, bx.ReadTimeoutError | bx.ConnectTimeoutError):
            return CaseError(f"{self.where} did not answer {doing} within {self.timeout:g} s")
        if isinstance(exc, bx.EndpointConnectionError):
            return CaseError(f"cannot reach {self.where} for {doing}")
        if isinstance(exc, bx.NoCredentialsError | bx.PartialCredentialsError):
            return CaseAuthError(f"no usable AWS credentials for {self.where}")
        if isinstance(exc, bx.ResponseParserError):
            return CaseError(f"{self.where} answered {doing} with something that is not JSON")
        return CaseError(scrub(f"{self.where} failed {doing}: {type(exc).__name__}", self._secrets))

    def find(self, draft: CaseDraft) -> Opened | None:
        """A case opened for this record since it was opened that the record does not hold (a send killed
        between AWS's answer and the record): found by the record's id in the subject."""
        params: dict[str, Any] = {"afterTime": draft.opened_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                                  "includeResolvedCases": True, "includeCommunications": False,
                                  "maxResults": FIND_PAGE}
        for _page in range(FIND_PAGES):
            answer = self._call("describe_cases", params, f"DescribeCases looking for {draft.escalation_id}")
            for case in answer.get("cases") or []:
                case_id = _text(case.get("caseId")) if isinstance(case, dict) else None
                if case_id and case_id not in draft.known_cases and \
                        names_record(str(case.get("subject") or ""), draft.escalation_id):
                    return Opened(case_id=case_id, status=_text(case.get("status")),
                                  label=_text(case.get("displayId")) or case_id)
            token = _text(answer.get("nextToken"))
            if token is None:
                return None
            params["nextToken"] = token
        return None

    def open(self, prepared: Prepared) -> Opened:
        answer = self._call("create_case", prepared.body, "CreateCase")
        case_id = _text(answer.get("caseId"))
        if case_id is None:
            raise CaseError(f"{self.where} answered CreateCase without a caseId")
        return Opened(case_id=case_id, status=None, label=case_id)

    def status(self, case_id: str) -> str:
        if not AWS_CASE.match(case_id):
            raise InputError("case_id", f"{quote(case_id)} is not an AWS Support case id", allowed=["case-…"])
        answer = self._call("describe_cases", {"caseIdList": [case_id], "includeResolvedCases": True},
                            f"DescribeCases for {case_id}")
        cases = [c for c in answer.get("cases") or [] if isinstance(c, dict) and c.get("caseId") == case_id]
        status = _text(cases[0].get("status")) if cases else None
        if status is None:
            raise CaseError(f"{self.where} answered DescribeCases without case {case_id} or its status")
        return status


def aws_params_check(prepared: Prepared) -> None:
    """Validate the CreateCase parameters against botocore's own model when botocore is installed (read from
    its data files directly, so no AWS profile or config is needed for a dry run)."""
    try:
        from botocore.loaders import create_loader
        from botocore.model import ServiceModel
        from botocore.validate import ParamValidator
    except ImportError:
        return
    model = ServiceModel(create_loader().load_service_model("support", "service-2"), "support")
    report = ParamValidator().validate(prepared.body, model.operation_model("CreateCase").input_shape)
    if report.has_errors():
        raise InputError("request", report.generate_report().replace("\n", "; ")[:MAX_MESSAGE * 2])


# ---------------------------------------------------------------------------------------------- Azure
class _BearerApi:
    """A vendor API reached with a bearer token over the shared JSON exchange (Azure, Google): the exchange
    names the API and host in every error and never shows the token."""

    api: ClassVar[str]
    token_hint: ClassVar[str]
    base_url: str
    token: str
    timeout: float

    def __post_init__(self) -> None:
        self.http = JsonExchange(self.api, self.base_url, f"Bearer {self.token}", self.timeout, (self.token,),
                                 error=CaseError, auth_error=CaseAuthError, auth_hint=f": check {self.token_hint}")

    @property
    def where(self) -> str:
        return self.http.where


@dataclass
class Azure(_BearerApi):
    """Azure Support REST API: PUT a support ticket named after the record, GET it for its status."""

    base_url: str
    token: str = field(repr=False)
    subscription: str | None = None
    service_id: str | None = None
    problem_classification: str | None = None
    contact: dict[str, str | None] = field(default_factory=dict)
    timeout: float = 10.0
    name: str = "azure"
    api: ClassVar[str] = "Azure Support API"
    token_hint: ClassVar[str] = "$ESCALATION_KIT_AZURE_TOKEN (an ARM access token)"

    def resource(self, ticket: str) -> str:
        """The ticket's ARM resource id, which is also the case id recorded (so a poll needs no subscription)."""
        sub = _need(self.subscription, "--subscription", "the Azure subscription id")
        if not UUID.match(sub):
            raise InputError("--subscription", f"{quote(sub)} is not a subscription id (a UUID)")
        return f"/subscriptions/{sub.lower()}/providers/Microsoft.Support/supportTickets/{ticket}"

    @staticmethod
    def _query() -> str:
        return f"?api-version={load_case_policy('azure').facts['endpoint']['api_version']}"

    def _contact(self, draft: CaseDraft) -> dict[str, str]:
        c = self.contact
        email = _need(c.get("email"), "--contact-email", "who Microsoft writes to")
        if not EMAIL.match(email):
            raise InputError("--contact-email", f"{quote(email)} is not an e-mail address")
        country = _need(c.get("country"), "--contact-country", "the contact's country (ISO 3166-1 alpha-3)")
        if not re.fullmatch(r"[A-Za-z]{3}", country):
            raise InputError("--contact-country", f"{quote(country)} is not an ISO 3166-1 alpha-3 code",
                             allowed=["USA", "DEU", "JPN"])
        return {"firstName": _need(c.get("first_name"), "--contact-first-name", "the contact's first name"),
                "lastName": _need(c.get("last_name"), "--contact-last-name", "the contact's last name"),
                "preferredContactMethod": str(draft.policy.extra.get("contact_method", "email")),
                "primaryEmailAddress": email,
                "preferredTimeZone": (c.get("timezone") or "UTC").strip(),
                "country": country.upper(),
                "preferredSupportLanguage": draft.policy.language[draft.language]}

    def ticket_name(self, draft: CaseDraft) -> str:
        """Ours, one per record and attempt: a retried --send of the same case PUTs the same ticket."""
        return f"escalation-kit-{draft.escalation_id}-{draft.ordinal}"

    def prepare(self, draft: CaseDraft) -> Prepared:
        path = self.resource(self.ticket_name(draft)) + self._query()
        props = {"title": draft.subject, "description": draft.body,
                 "problemClassificationId": _need(self.problem_classification, "--problem-classification",
                                                  "the problem classification resource id"),
                 "serviceId": _need(self.service_id, "--service-id", "the Azure service resource id"),
                 "severity": draft.case_severity,
                 "advancedDiagnosticConsent": str(draft.policy.extra.get("advanced_diagnostic_consent", "No")),
                 "contactDetails": self._contact(draft)}
        return Prepared("PUT", self.http.base_url + path, {"Authorization": f"Bearer {REDACTED}",
                                                           "Content-Type": "application/json; charset=utf-8"},
                        {"properties": props})

    def find(self, draft: CaseDraft) -> Opened | None:
        """The ticket this attempt would create, if an earlier send created it (its name is ours)."""
        resource = self.resource(self.ticket_name(draft))
        if resource in draft.known_cases:
            return None
        answer = self.http.call("GET", resource + self._query(), what=f"looking for {self.ticket_name(draft)}",
                                missing_ok=True)
        props = answer.get("properties") if isinstance(answer, dict) else None
        if not isinstance(props, dict):
            return None
        return Opened(case_id=resource, status=_text(props.get("status")),
                      label=_text(props.get("supportTicketId")) or self.ticket_name(draft))

    def open(self, prepared: Prepared) -> Opened:
        path = prepared.url[len(self.http.base_url):]
        resource = path.split("?")[0]
        ticket = resource.rsplit("/", 1)[-1]
        answer = self.http.call("PUT", path, prepared.body, what=f"creating support ticket {ticket}")
        props = (answer or {}).get("properties") if isinstance(answer, dict) else None
        if answer is not None and not isinstance(props, dict):
            raise CaseError(f"{self.where} answered the ticket creation without its properties")
        props = props or {}
        return Opened(case_id=resource, status=_text(props.get("status")),
                      label=_text(props.get("supportTicketId")) or ticket)

    def status(self, case_id: str) -> str:
        if not AZURE_TICKET.match(case_id):
            raise InputError("case_id", f"{quote(case_id)} is not a support ticket resource id",
                             allowed=["/subscriptions/<id>/providers/Microsoft.Support/supportTickets/<name>"])
        ticket = case_id.rsplit("/", 1)[-1]
        answer = self.http.call("GET", case_id + self._query(), what=f"reading support ticket {ticket}")
        props = answer.get("properties") if isinstance(answer, dict) else None
        status = _text(props.get("status")) if isinstance(props, dict) else None
        if status is None:
            raise CaseError(f"{self.where} answered the read of {case_id} without a status")
        return status


# ------------------------------------------------------------------------------------------------ GCP
@dataclass
class Gcp(_BearerApi):
    """Cloud Support API v2: POST a case under a project or organization, GET it for its state."""

    base_url: str
    token: str = field(repr=False)
    parent: str | None = None
    classification: str | None = None
    subscribers: tuple[str, ...] = ()
    timeout: float = 10.0
    name: str = "gcp"
    api: ClassVar[str] = "Cloud Support API"
    token_hint: ClassVar[str] = "$ESCALATION_KIT_GCP_TOKEN (gcloud auth print-access-token)"

    def prepare(self, draft: CaseDraft) -> Prepared:
        parent = _need(self.parent, "--parent", "projects/<id> or organizations/<number>")
        if not GCP_PARENT.match(parent):
            raise InputError("--parent", f"{quote(parent)} is not a case parent",
                             allowed=["projects/<id>", "organizations/<number>"])
        body: dict[str, Any] = {
            "displayName": draft.subject, "description": draft.body,
            "classification": {"id": _need(self.classification, "--classification", "the case classification id")},
            "priority": draft.case_severity, "timeZone": draft.timezone,
            "languageCode": draft.policy.language[draft.language],
            "testCase": bool(draft.policy.extra.get("test_case", False))}
        if self.subscribers:
            body["subscriberEmailAddresses"] = list(self.subscribers)
        return Prepared("POST", f"{self.http.base_url}/v2/{parent}/cases",
                        {"Authorization": f"Bearer {REDACTED}", "Content-Type": "application/json; charset=utf-8"},
                        body)

    def find(self, draft: CaseDraft) -> Opened | None:
        """Not done: the stored pages do not confirm a search by subject, so a send killed between Google's
        answer and the record is not repaired (the error names the case to record by hand)."""
        return None

    def open(self, prepared: Prepared) -> Opened:
        path = prepared.url[len(self.http.base_url):]
        answer = self.http.call("POST", path, prepared.body, what="creating the case")
        name = _text(answer.get("name")) if isinstance(answer, dict) else None
        if name is None or not GCP_CASE.match(name):
            raise CaseError(f"{self.where} answered the case creation without a case name")
        return Opened(case_id=name, status=_text(answer.get("state")), label=name.rsplit("/", 1)[-1])

    def status(self, case_id: str) -> str:
        if not GCP_CASE.match(case_id):
            raise InputError("case_id", f"{quote(case_id)} is not a case name", allowed=["projects/<id>/cases/<n>"])
        answer = self.http.call("GET", f"/v2/{case_id}", what=f"reading case {case_id}")
        state = _text(answer.get("state")) if isinstance(answer, dict) else None
        if state is None:
            raise CaseError(f"{self.where} answered the read of {case_id} without a state")
        return state


def dumps(prepared: Prepared) -> str:
    """The request as printed by --dry-run."""
    return json.dumps(prepared.shown(), ensure_ascii=False, indent=2)
