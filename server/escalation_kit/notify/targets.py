"""Send one item to one target: a chat webhook, the PagerDuty Events API v2, or e-mail over SMTP.

Each target names itself (the name is recorded as the item's channel) and says which items it takes.
Every failure is a ``DeliveryError`` whose text names the target by host only (a webhook's path and a
routing key are secrets), says what went wrong and never contains a configured secret.
"""

from __future__ import annotations

import http.client
import json
import smtplib
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any
from urllib.parse import urlsplit

from escalation_kit.netmsg import error_body, host_of, scrub
from escalation_kit.notify.notices import PD_CHANNEL, PD_RESOLVE
from escalation_kit.notify.policy import NotifyPolicy

MAX_ANSWER_CHARS = 200


class DeliveryError(Exception):
    """A target could not be reached or refused the item; nothing was recorded, the next pass retries."""


def label(item: Any) -> str:
    return item.kind.replace("_", " ")


def recipients_of(item: Any) -> tuple[Any, ...]:
    """The on-call people a notice is addressed to (due items and notices without a schedule: none)."""
    return tuple(getattr(item, "recipients", ()) or ())


def addressees(item: Any) -> str:
    """``For: Senior Engineer Dana Ruiz; CSM nobody on the schedule`` or the empty string."""
    people = recipients_of(item)
    return "For: " + "; ".join(f"{h.role_label} {h.name or 'nobody on the schedule'}" for h in people) + ". " \
        if people else ""


def message(item: Any) -> str:
    """One line per item: severity, id, what is due or what happened, who it is for, the suggested next step."""
    when = item.at.astimezone().strftime("%Y-%m-%d %H:%M %Z")
    return (f"[{item.severity}] {item.escalation_id} {label(item)} at {when}: {item.title}. "
            f"{item.message}. {addressees(item)}Next: {item.next_step}")


def chat_payload(fmt: str, item: Any) -> dict[str, Any]:
    """The JSON body each chat platform's incoming webhook expects."""
    text = message(item)
    title = f"{item.escalation_id}: {label(item)}"
    if fmt == "dingtalk":
        return {"msgtype": "markdown", "markdown": {"title": title, "text": f"### {title}\n\n{text}"}}
    if fmt == "feishu":
        return {"msg_type": "text", "content": {"text": text}}
    if fmt == "teams":
        return {"@type": "MessageCard", "@context": "https://schema.org/extensions", "summary": title,
                "title": title, "text": text}
    return {"text": text, "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]}


def post_json(url: str, body: dict[str, Any], timeout: float, what: str) -> None:
    """POST JSON and expect 2xx; anything else is a DeliveryError saying what happened."""
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    req = urllib.request.Request(url, data=data, method="POST",
                                 headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - the user's own target URL
            if not 200 <= resp.status < 300:
                raise DeliveryError(f"{what} answered HTTP {resp.status}, not 2xx")
    except urllib.error.HTTPError as exc:
        retry = " (rate limited)" if exc.code == 429 else ""
        body = error_body(exc, MAX_ANSWER_CHARS)
        raise DeliveryError(f"{what} answered HTTP {exc.code} {exc.reason}{retry}{body}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        text = getattr(reason, "strerror", None) or str(reason)
        raise DeliveryError(f"cannot reach {what}: {text}") from None
    except TimeoutError:
        raise DeliveryError(f"{what} did not answer within {timeout:g} s") from None
    except (OSError, http.client.HTTPException) as exc:
        raise DeliveryError(f"{what} broke off the exchange: {type(exc).__name__} {exc}".rstrip()) from None


class Target:
    """One place items go; ``name`` is what reminder_fired records as the channel."""

    name = "target"
    secrets: tuple[str, ...] = ()

    def accepts(self, item: Any) -> bool:
        """Chat and e-mail take every due item and notice, not the PagerDuty-only resolve."""
        return item.kind != PD_RESOLVE

    def send(self, item: Any) -> None:
        raise NotImplementedError

    def deliver(self, item: Any) -> None:
        """send(), with every secret masked in the error it raises."""
        try:
            self.send(item)
        except DeliveryError as exc:
            raise DeliveryError(scrub(str(exc), self.secrets)) from None


@dataclass
class WebhookTarget(Target):
    """A chat platform's incoming webhook (Slack-compatible, DingTalk, Feishu/Lark, Microsoft Teams)."""

    url: str
    fmt: str = "slack"
    timeout: float = 10.0

    def __post_init__(self) -> None:
        self.name = self.fmt
        self.secrets = (self.url, urlsplit(self.url).path) if len(urlsplit(self.url).path) > 1 else (self.url,)

    def send(self, item: Any) -> None:
        post_json(self.url, chat_payload(self.fmt, item), self.timeout, f"the {self.fmt} webhook at "
                  f"{host_of(self.url)}")


@dataclass
class PagerDutyTarget(Target):
    """PagerDuty Events API v2: a trigger per paging item (one dedup_key per escalation), a resolve once after."""

    routing_key: str
    policy: NotifyPolicy
    url: str = ""
    timeout: float = 10.0

    def __post_init__(self) -> None:
        self.name = PD_CHANNEL
        self.url = self.url or self.policy.endpoint
        self.secrets = (self.routing_key,)

    def accepts(self, item: Any) -> bool:
        return item.kind == PD_RESOLVE or item.kind in self.policy.trigger_kinds

    def dedup_key(self, item: Any) -> str:
        return f"{self.policy.dedup_prefix}{item.escalation_id}"[: self.policy.dedup_max]

    def body(self, item: Any) -> dict[str, Any]:
        """The event: resolve (routing key, dedup key) or trigger (with the summary, source and mapped severity)."""
        base = {"routing_key": self.routing_key, "dedup_key": self.dedup_key(item)}
        if item.kind == PD_RESOLVE:
            return {**base, "event_action": "resolve"}
        summary = f"[{item.severity}] {item.escalation_id} {label(item)}: {item.title}"
        return {**base, "event_action": "trigger", "client": "escalation-kit", "payload": {
            "summary": summary[: self.policy.summary_max], "source": self.policy.source,
            "severity": self.policy.pd_severity[item.severity], "timestamp": item.at.isoformat(),
            "class": item.kind, "group": f"tier-{item.tier}",
            "custom_details": {"escalation_id": item.escalation_id, "key": item.key, "what": item.message,
                               "next_step": item.next_step, "owner": item.owner,
                               **({"recipients": [h.line() for h in recipients_of(item)]}
                                  if recipients_of(item) else {})},
        }}

    def send(self, item: Any) -> None:
        post_json(self.url, self.body(item), self.timeout, f"PagerDuty at {host_of(self.url)}")


@dataclass
class EmailTarget(Target):
    """Plain-text e-mail through an SMTP server (STARTTLS and login optional), one message per item."""

    host: str
    port: int
    sender: str
    recipients: list[str]
    starttls: bool = False
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    cafile: str | None = None
    timeout: float = 10.0

    def __post_init__(self) -> None:
        self.name = "email"
        self.secrets = (self.password,) if self.password else ()

    def envelope(self, item: Any) -> tuple[list[str], list[str]]:
        """(To, Cc): a notice's on-call people, with the configured addresses as copies; else the configured."""
        on_call = list(dict.fromkeys(h.email for h in recipients_of(item) if h.email))
        if not on_call:
            return list(self.recipients), []
        return on_call, [a for a in self.recipients if a not in on_call]

    def compose(self, item: Any) -> EmailMessage:
        msg = EmailMessage()
        subject = f"[{item.severity}] {item.escalation_id} {label(item)}: {item.title}"
        msg["Subject"] = " ".join(subject.split())[:200]  # a title's line breaks would break the header
        msg["From"] = self.sender
        to, cc = self.envelope(item)
        msg["To"] = ", ".join(to)
        if cc:
            msg["Cc"] = ", ".join(cc)
        msg["Date"] = formatdate(localtime=False)
        msg["Message-ID"] = make_msgid(domain="escalation-kit.invalid")
        msg.set_content(f"{message(item)}\n\nEscalation: {item.escalation_id}\nSeverity: {item.severity}\n"
                        f"Tier: {item.tier}\nOwner: {item.owner or 'unassigned'}\nKey: {item.key}\n"
                        + "".join(f"On call: {h.line()} ({h.source})\n" for h in recipients_of(item)))
        return msg

    def send(self, item: Any) -> None:
        where = f"SMTP server {self.host}:{self.port}"
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                self._session(smtp, where)
                refused = smtp.send_message(self.compose(item))
        except DeliveryError:
            raise
        except smtplib.SMTPRecipientsRefused as exc:
            raise DeliveryError(f"{where} refused every recipient: {_refusals(exc.recipients)}") from None
        except smtplib.SMTPSenderRefused as exc:
            raise DeliveryError(f"{where} refused the sender {self.sender}: {_reply(exc)}") from None
        except smtplib.SMTPAuthenticationError as exc:
            raise DeliveryError(f"{where} rejected the login of {self.user}: {_reply(exc)}") from None
        except smtplib.SMTPResponseException as exc:
            raise DeliveryError(f"{where} refused the message: {_reply(exc)}") from None
        except smtplib.SMTPException as exc:
            raise DeliveryError(f"{where}: {exc}") from None
        except ssl.SSLError as exc:
            raise DeliveryError(f"{where}: STARTTLS failed: {exc.reason or exc}") from None
        except TimeoutError:
            raise DeliveryError(f"{where} did not answer within {self.timeout:g} s") from None
        except OSError as exc:
            raise DeliveryError(f"cannot reach {where}: {exc.strerror or exc}") from None
        if refused:
            raise DeliveryError(f"{where} refused {len(refused)} of {len(sum(self.envelope(item), []))} recipients "
                                f"({_refusals(refused)}); the others got it, all are retried next pass")

    def _session(self, smtp: smtplib.SMTP, where: str) -> None:
        smtp.ehlo()
        if self.starttls:
            if not smtp.has_extn("starttls"):
                raise DeliveryError(f"{where} does not offer STARTTLS")
            smtp.starttls(context=ssl.create_default_context(cafile=self.cafile))
            smtp.ehlo()
        if self.user:
            smtp.login(self.user, self.password or "")


def _reply(exc: smtplib.SMTPResponseException) -> str:
    text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
    return f"{exc.smtp_code} {' '.join(text.split())}"[:MAX_ANSWER_CHARS]


def _refusals(refused: dict[str, tuple[int, bytes]]) -> str:
    return "; ".join(f"{addr}: {code} {msg.decode('utf-8', 'replace') if isinstance(msg, bytes) else msg}"
                     for addr, (code, msg) in sorted(refused.items()))[:MAX_ANSWER_CHARS * 2]
