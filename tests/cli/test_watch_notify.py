"""``escalation-kit watch`` to PagerDuty, e-mail and chat, with stakeholder notices: real subprocesses of the
installed script, a real SQLite file, a real HTTP server and a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.smtp import AuthResult

from conftest import cli_path, free_port
from escalation_kit.errors import InputError
from escalation_kit.notify import PagerDutyTarget, load_notify_policy
from escalation_kit.tracker import Tracker, open_store
from escalation_kit.vocab import SEVERITIES
from tracker_support import T0, at
from watch_support import Mailbox, serve_smtp, watch

pytestmark = pytest.mark.integration

ROUTING_KEY = "R0UT1NGKEY0000000000000000000042"
PASSWORD = "s3cret-pa55-word"


@dataclass
class Http:
    """A loopback HTTP endpoint that keeps every JSON body it accepted and answers with ``status``."""

    url: str = ""
    status: int = 202
    answer: bytes = b'{"status":"success"}'
    bodies: list[dict] = field(default_factory=list)


@pytest.fixture
def http() -> Iterator[Http]:
    state = Http()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(state.status)
            self.end_headers()
            if 200 <= state.status < 300:
                state.bodies.append(body)
            self.wfile.write(state.answer)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/v2/enqueue"
    yield state
    server.shutdown()
    server.server_close()


def _login(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = auth_data.login == b"anna" and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def smtp() -> Iterator[Mailbox]:
    yield from serve_smtp(Mailbox())


@pytest.fixture
def smtp_auth() -> Iterator[Mailbox]:
    yield from serve_smtp(Mailbox(), authenticator=_login, auth_required=True, auth_require_tls=False)


@pytest.fixture
def tracker(tmp_path) -> Iterator[Tracker]:
    t = Tracker(open_store(f"sqlite:///{tmp_path / 'escalations.db'}"))
    yield t
    t.close()


def pd(tmp_path, server: Http, *args: str) -> subprocess.CompletedProcess:
    return watch(tmp_path, "--pagerduty", "--pagerduty-url", server.url, *args,
                 env={"ESCALATION_KIT_PAGERDUTY_ROUTING_KEY": ROUTING_KEY})


def mail_args(box: Mailbox, *to: str) -> list[str]:
    return ["--smtp", f"127.0.0.1:{box.port}", "--mail-from", "watch@example.com",
            *[a for t in (to or ("oncall@example.com",)) for a in ("--mail-to", t)]]


def sent_keys(tracker: Tracker, esc_id: str) -> list[str]:
    return [e.payload["key"] for e in tracker.events(esc_id) if e.kind == "reminder_fired"]


def log_text(tracker: Tracker, esc_id: str) -> str:
    return json.dumps([e.model_dump(mode="json") for e in tracker.events(esc_id)])


# ------------------------------------------------------------------------------------------------ PagerDuty
def test_pagerduty_pages_once_per_escalation_and_resolves_once(tmp_path, http, tracker):
    esc = tracker.open({"title": "Checkout down", "severity": "P0"}, at=T0)
    first = pd(tmp_path, http, "--now", at(31))
    assert first.returncode == 0, first.stderr
    triggers = [b for b in http.bodies if b["event_action"] == "trigger"]
    assert {b["payload"]["class"] for b in triggers} == {"breach", "stalled"}  # both page; 50 % would not
    assert {b["dedup_key"] for b in triggers} == {f"escalation-kit/{esc.id}"}  # one alert in PagerDuty
    assert {b["payload"]["severity"] for b in triggers} == {"critical"}
    assert all(b["routing_key"] == ROUTING_KEY and esc.id in b["payload"]["summary"] for b in triggers)
    assert pd(tmp_path, http, "--now", at(33)).returncode == 0
    assert len(http.bodies) == len(triggers)  # a later pass pages nothing again

    tracker.record_event(esc.id, "resolved", at=at(40))
    assert pd(tmp_path, http, "--now", at(41)).returncode == 0
    resolves = [b for b in http.bodies if b["event_action"] == "resolve"]
    assert resolves == [{"routing_key": ROUTING_KEY, "dedup_key": f"escalation-kit/{esc.id}",
                         "event_action": "resolve"}]
    tracker.record_event(esc.id, "de_escalated", at=at(42))  # a second finishing event: still one resolve
    assert pd(tmp_path, http, "--now", at(43)).returncode == 0
    assert [b["event_action"] for b in http.bodies].count("resolve") == 1
    assert ROUTING_KEY not in log_text(tracker, esc.id)


def test_a_record_that_never_paged_sends_no_resolve(tmp_path, http, tracker):
    esc = tracker.open({"title": "Typo on the pricing page", "severity": "P3"}, at=T0)
    tracker.record_event(esc.id, "resolved", at=at(5))
    assert pd(tmp_path, http, "--now", at(6)).returncode == 0
    assert http.bodies == []


def test_severity_map_is_policy_within_pagerduty_values(tracker):
    policy = load_notify_policy()
    esc = tracker.open({"title": "x", "severity": "P0"}, at=T0)
    item = tracker.due(at(31))[0]
    target = PagerDutyTarget(ROUTING_KEY, policy)
    seen = {level: target.body(item.model_copy(update={"severity": level}))["payload"]["severity"]
            for level in SEVERITIES}
    assert seen == {"P0": "critical", "P1": "error", "P2": "warning", "P3": "info"}
    assert len(set(seen.values())) == len(SEVERITIES) and esc.id in target.dedup_key(item)
    assert target.url == "https://events.pagerduty.com/v2/enqueue"  # the documented endpoint unless overridden


def test_a_refused_page_is_not_recorded_and_names_the_cause_without_the_key(tmp_path, http, tracker):
    esc = tracker.open({"title": "Checkout down", "severity": "P0"}, at=T0)
    http.status, http.answer = 400, b'{"status":"invalid event","message":"bad key ' + ROUTING_KEY.encode() + b'"}'
    out = pd(tmp_path, http, "--now", at(31))
    assert out.returncode == 1
    assert f"PagerDuty at 127.0.0.1:{http.url.split(':')[2].split('/')[0]} answered HTTP 400" in out.stderr
    assert "invalid event" in out.stderr and "not recorded, retried next pass" in out.stderr
    assert ROUTING_KEY not in out.stderr + out.stdout
    assert sent_keys(tracker, esc.id) == []
    http.status = 202
    assert pd(tmp_path, http, "--now", at(32)).returncode == 0 and http.bodies  # retried on the next pass


def test_an_unreachable_target_is_exit_1_with_its_host(tmp_path, tracker):
    esc = tracker.open({"title": "Checkout down", "severity": "P0"}, at=T0)
    port = free_port()  # nothing listens there
    out = watch(tmp_path, "--pagerduty", "--pagerduty-url", f"http://127.0.0.1:{port}/v2/enqueue", "--now", at(31),
                env={"ESCALATION_KIT_PAGERDUTY_ROUTING_KEY": ROUTING_KEY})
    assert out.returncode == 1
    assert f"cannot reach PagerDuty at 127.0.0.1:{port}" in out.stderr and "refused" in out.stderr.lower()
    assert "Traceback" not in out.stderr and sent_keys(tracker, esc.id) == []


def test_routing_key_from_a_file(tmp_path, http, tracker):
    tracker.open({"title": "Checkout down", "severity": "P1"}, at=T0)
    key_file = tmp_path / "pd.key"
    key_file.write_text(ROUTING_KEY + "\n")
    out = watch(tmp_path, "--pagerduty-key-file", str(key_file), "--pagerduty-url", http.url, "--now", at(600))
    assert out.returncode == 0, out.stderr
    assert http.bodies and {b["routing_key"] for b in http.bodies} == {ROUTING_KEY}
    assert {b["payload"]["severity"] for b in http.bodies} == {"error"}


# ------------------------------------------------------------------------------------------------ e-mail
def test_email_sends_each_item_once_with_level_and_id_in_the_subject(tmp_path, smtp, tracker):
    esc = tracker.open({"title": "Checkout down", "severity": "P0"}, at=T0)
    out = watch(tmp_path, *mail_args(smtp, "oncall@example.com", "lead@example.com,cto@example.com"), "--now", at(31))
    assert out.returncode == 0, out.stderr
    assert len(smtp.messages) == 2  # breach and stalled
    sender, rcpts, text = smtp.messages[0]
    assert sender == "watch@example.com" and rcpts == ["oncall@example.com", "lead@example.com", "cto@example.com"]
    assert f"Subject: [P0] {esc.id} breach: Checkout down" in text and "Next:" in text
    assert watch(tmp_path, *mail_args(smtp), "--now", at(32)).returncode == 0
    assert len(smtp.messages) == 2


def test_a_title_with_line_breaks_gives_a_one_line_subject(tmp_path, smtp, tracker):
    esc = tracker.open({"title": "Checkout down\r\nX-Injected: yes", "severity": "P0"}, at=T0)
    out = watch(tmp_path, *mail_args(smtp), "--now", at(31))
    assert out.returncode == 0, out.stderr
    text = smtp.messages[0][2]
    assert f"Subject: [P0] {esc.id} breach: Checkout down X-Injected: yes" in text
    headers = text.split("\r\n\r\n", 1)[0].splitlines()
    assert not any(h.startswith("X-Injected") for h in headers) and smtp.messages[0][1] == ["oncall@example.com"]


def test_a_refused_recipient_is_exit_1_not_recorded_and_retried(tmp_path, smtp, tracker):
    esc = tracker.open({"title": "Checkout down", "severity": "P0"}, at=T0)
    smtp.refuse.add("nobody@example.com")
    out = watch(tmp_path, *mail_args(smtp, "nobody@example.com"), "--now", at(31))
    assert out.returncode == 1
    assert f"SMTP server 127.0.0.1:{smtp.port} refused every recipient: nobody@example.com: 550" in out.stderr
    assert sent_keys(tracker, esc.id) == [] and smtp.messages == []
    assert watch(tmp_path, *mail_args(smtp), "--now", at(31)).returncode == 0 and len(smtp.messages) == 2


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # loopback only
def test_smtp_login_reads_the_password_from_env_or_file_and_never_prints_it(tmp_path, smtp_auth, tracker):
    esc = tracker.open({"title": "Checkout down", "severity": "P0"}, at=T0)
    wrong = watch(tmp_path, *mail_args(smtp_auth), "--smtp-user", "anna", "--now", at(31),
                  env={"ESCALATION_KIT_SMTP_PASSWORD": "not-" + PASSWORD})
    assert wrong.returncode == 1 and "rejected the login of anna: 535" in wrong.stderr
    assert PASSWORD not in wrong.stderr + wrong.stdout and sent_keys(tracker, esc.id) == []
    secret = tmp_path / "smtp.pw"
    secret.write_text(PASSWORD + "\n")
    right = watch(tmp_path, *mail_args(smtp_auth), "--smtp-user", "anna", "--smtp-password-file", str(secret),
                  "--now", at(31))
    assert right.returncode == 0, right.stderr
    assert len(smtp_auth.messages) == 2 and PASSWORD not in right.stderr + log_text(tracker, esc.id)


def test_starttls_verifies_the_server_with_the_given_ca(tmp_path, tracker):
    import ssl

    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out",
                    "cert.pem", "-days", "2", "-subj", "/CN=localhost", "-addext",
                    "subjectAltName=IP:127.0.0.1,DNS:localhost"], cwd=tmp_path, check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    tracker.open({"title": "Checkout down", "severity": "P0"}, at=T0)
    for box in serve_smtp(Mailbox(), tls_context=context, require_starttls=True):
        plain = watch(tmp_path, *mail_args(box), "--now", at(31))
        assert plain.returncode == 1 and "530" in plain.stderr  # the server insists on STARTTLS
        untrusted = watch(tmp_path, *mail_args(box), "--smtp-starttls", "--now", at(31))
        assert untrusted.returncode == 1 and "STARTTLS failed" in untrusted.stderr
        trusted = watch(tmp_path, *mail_args(box), "--smtp-starttls", "--smtp-cafile", str(tmp_path / "cert.pem"),
                        "--now", at(31))
        assert trusted.returncode == 0, trusted.stderr
        assert len(box.messages) == 2


# ------------------------------------------------------------------------------------------------ notices
def test_tier_and_executive_raises_and_de_escalation_are_announced_once(tmp_path, http, tracker):
    esc = tracker.open({"title": "Search slow", "severity": "P2"}, at=T0)  # tier 2
    tracker.update(esc.id, {"tier": 4}, at=at(5))
    tracker.update(esc.id, {"tier": 3}, at=at(6))  # moved down: recorded, not announced
    tracker.update(esc.id, {"exec_level": 2}, at=at(7))
    tracker.record_event(esc.id, "resolved", at=at(20), payload={"root_cause": "a missing index"})
    tracker.record_event(esc.id, "de_escalated", at=at(21))
    out = watch(tmp_path, "--webhook", http.url, "--now", at(22))
    assert out.returncode == 0, out.stderr
    texts = [b["text"] for b in http.bodies]
    assert len(texts) == 4
    assert "tier raised" in texts[0] and "from tier 2 to Tier 4, business critical: Director, VP, Executive" in texts[0]
    assert "exec level raised" in texts[1] and "Support Manager" in texts[1]
    assert "resolved" in texts[2] and "root cause: a missing index" in texts[2]
    assert "de escalated" in texts[3] and all(esc.id in t and "[P2]" in t for t in texts)
    second = watch(tmp_path, "--webhook", http.url, "--now", at(23))  # another watcher, later
    assert second.returncode == 0 and len(http.bodies) == 4
    assert sorted(k.split(":")[-1] for k in sent_keys(tracker, esc.id)) == sorted(
        ["tier_raised", "exec_level_raised", "resolved", "de_escalated"])


def test_notices_go_to_email_too_and_can_be_turned_off(tmp_path, http, smtp, tracker):
    esc = tracker.open({"title": "Search slow", "severity": "P2"}, at=T0)
    tracker.update(esc.id, {"tier": 3}, at=at(5))
    off = watch(tmp_path, "--webhook", http.url, *mail_args(smtp), "--no-notices", "--now", at(6))
    assert off.returncode == 0 and http.bodies == [] and smtp.messages == []
    on = watch(tmp_path, "--webhook", http.url, *mail_args(smtp), "--now", at(6))
    assert on.returncode == 0, on.stderr
    assert len(http.bodies) == 1 and len(smtp.messages) == 1
    assert f"Subject: [P2] {esc.id} tier raised: Search slow" in smtp.messages[0][2]


def test_notices_older_than_the_window_are_not_sent(tmp_path, http, tracker):
    esc = tracker.open({"title": "Search slow", "severity": "P3"}, at=T0)
    tracker.update(esc.id, {"tier": 2}, at=at(5))
    window = load_notify_policy().max_age_minutes
    out = watch(tmp_path, "--webhook", http.url, "--now", at(5 + window + 1))
    assert out.returncode == 0 and http.bodies  # the record's due items still go out
    assert not any("tier raised" in b["text"] for b in http.bodies)
    assert not any(":notice:" in k for k in sent_keys(tracker, esc.id))


def test_a_target_that_failed_is_retried_alone(tmp_path, http, smtp, tracker):
    esc = tracker.open({"title": "Search slow", "severity": "P2"}, at=T0)
    tracker.update(esc.id, {"tier": 3}, at=at(5))
    smtp.refuse.add("oncall@example.com")
    first = watch(tmp_path, "--webhook", http.url, *mail_args(smtp), "--now", at(6))
    assert first.returncode == 1 and len(http.bodies) == 1 and smtp.messages == []
    assert [k.rsplit("#", 1)[-1] for k in sent_keys(tracker, esc.id)] == ["slack"]
    smtp.refuse.clear()
    second = watch(tmp_path, "--webhook", http.url, *mail_args(smtp), "--now", at(7))
    assert second.returncode == 0, second.stderr
    assert len(http.bodies) == 1 and len(smtp.messages) == 1  # chat not sent again, e-mail caught up
    keys = sent_keys(tracker, esc.id)
    assert len(keys) == 3 and keys[-1] == keys[0].rsplit("#", 1)[0]  # per target, then the item itself


def test_two_watchers_at_once_record_each_notice_once(tmp_path, http, tracker):
    esc = tracker.open({"title": "Search slow", "severity": "P2"}, at=T0)
    for n, tier in enumerate((3, 4), start=1):
        tracker.update(esc.id, {"tier": tier}, at=at(n))
    env = {k: v for k, v in os.environ.items() if not k.startswith("ESCALATION_KIT_")}
    env["ESCALATION_KIT_HOME"] = str(tmp_path)
    procs = [subprocess.Popen([cli_path(), "watch", "--once", "--webhook", http.url, "--now", at(3)], env=env,
                              cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    keys = sent_keys(tracker, esc.id)
    assert len(keys) == 2 and len(set(keys)) == 2  # recorded once each, whoever sent it
    assert 2 <= len(http.bodies) <= 4  # each sent at least once; a race may send one twice (see README)


def test_a_record_closed_before_watch_saw_it_still_gets_its_notices_once(tmp_path, http, tracker):
    """Closing straight after a raise must not swallow the notice: a closed record takes reminder_fired only."""
    esc = tracker.open({"title": "Search slow", "severity": "P2"}, at=T0)
    tracker.update(esc.id, {"tier": 3}, at=at(5))
    tracker.close_escalation(esc.id, at=at(9))
    out = watch(tmp_path, "--webhook", http.url, "--now", at(10))
    assert out.returncode == 0 and len(http.bodies) == 2, out.stderr
    assert len(sent_keys(tracker, esc.id)) == 2
    again = watch(tmp_path, "--webhook", http.url, "--now", at(11))
    assert again.returncode == 0 and len(http.bodies) == 2  # nothing sent twice
    with pytest.raises(InputError, match="only 'reopened' may follow"):
        tracker.update(esc.id, {"tier": 4}, at=at(12))


# ------------------------------------------------------------------------------------------------ bad flags
@pytest.mark.parametrize(("args", "env", "field"), [
    ([], {}, "--webhook"),
    (["--pagerduty"], {}, "--pagerduty"),
    (["--pagerduty", "--pagerduty-url", "ftp://x"], {"ESCALATION_KIT_PAGERDUTY_ROUTING_KEY": "k"}, "--pagerduty-url"),
    (["--pagerduty-key-file", "/nonexistent/key"], {}, "--pagerduty-key-file"),
    (["--smtp", "mail.example.com"], {}, "--smtp"),
    (["--mail-to", "a@example.com"], {}, "--mail-to"),
    (["--smtp", "127.0.0.1:25", "--mail-from", "w@example.com"], {}, "--mail-to"),
    (["--smtp", "127.0.0.1:25", "--mail-from", "w@example.com", "--mail-to", "not-an-address"], {}, "--mail-to"),
    (["--smtp", "mail.example.com:25", "--mail-from", "w@example.com", "--mail-to", "a@example.com",
      "--smtp-user", "anna"], {"ESCALATION_KIT_SMTP_PASSWORD": PASSWORD}, "--smtp-user"),
    (["--smtp", "127.0.0.1:25", "--mail-from", "w@example.com", "--mail-to", "a@example.com",
      "--smtp-user", "anna"], {}, "--smtp-user"),
])
def test_bad_configuration_is_exit_2_naming_the_flag(tmp_path, args, env, field):
    out = watch(tmp_path, *args, env=env)
    assert out.returncode == 2, out.stderr
    assert f"error: {field}:" in out.stderr and "Traceback" not in out.stderr and PASSWORD not in out.stderr
