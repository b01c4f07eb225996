"""``escalation-kit watch --schedule``: stakeholder notices addressed to the people on call when they are sent.

Real subprocesses of the installed script, a real SQLite file, the real SMTP server (aiosmtpd) and a real
HTTP server on 127.0.0.1, as in test_watch_notify.py.
"""

from __future__ import annotations

import email
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml

from escalation_kit.tracker import Tracker, open_store
from watch_support import Mailbox, serve_smtp, watch

pytestmark = pytest.mark.integration

# The CSM hands over Monday 2026-03-09 09:00 New York time: EDT since the day before, so 13:00 UTC.
SCHEDULE = {
    "people": {p: {"name": p.title(), "email": f"{p}@example.com"} for p in
               ("lena", "omar", "csm_old", "csm_new", "mgr", "kim")},
    "roles": {
        "engineering_lead": {"label": "Engineering Lead", "rotation": {
            "people": ["lena", "omar"], "timezone": "Europe/Berlin", "start": "2026-03-02",
            "handoff": {"weekday": "monday", "time": "10:00"}, "length_days": 7}},
        "csm": {"label": "CSM", "rotation": {
            "people": ["csm_old", "csm_new"], "timezone": "America/New_York", "start": "2026-03-02",
            "handoff": {"weekday": "monday", "time": "09:00"}, "length_days": 7}},
        "support_manager": {"label": "Support Manager", "rotation": {
            "people": ["mgr"], "timezone": "America/New_York", "start": "2026-03-02",
            "handoff": {"weekday": "monday", "time": "09:00"}, "length_days": 7},
            "overrides": [{"start": "2026-03-09T08:00", "end": "2026-03-09T08:30", "person": "kim",
                           "reason": "cover"}]},
    },
}


@pytest.fixture
def smtp() -> Iterator[Mailbox]:
    yield from serve_smtp(Mailbox())


@pytest.fixture
def chat() -> Iterator[tuple[str, list[dict]]]:
    bodies: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            bodies.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", bodies
    server.shutdown()
    server.server_close()


@pytest.fixture
def tracker(tmp_path) -> Iterator[Tracker]:
    t = Tracker(open_store(f"sqlite:///{tmp_path / 'escalations.db'}"))
    yield t
    t.close()


def mail(box: Mailbox) -> list[str]:
    return ["--smtp", f"127.0.0.1:{box.port}", "--mail-from", "watch@example.com", "--mail-to", "team@example.com"]


def schedule_file(tmp_path, data=SCHEDULE) -> str:
    path = tmp_path / "oncall.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return str(path)


def raised(tracker: Tracker, title: str, opened: str, raised_at: str) -> str:
    esc = tracker.open({"title": title, "severity": "P2"}, at=opened)  # tier 2
    tracker.update(esc.id, {"tier": 3}, at=raised_at)
    return esc.id


def test_a_tier_raise_goes_to_whoever_is_on_call_when_it_is_sent(tmp_path, smtp, chat, tracker):
    url, bodies = chat
    first = raised(tracker, "Search slow", "2026-03-09T12:00:00+00:00", "2026-03-09T12:30:00+00:00")
    out = watch(tmp_path, *mail(smtp), "--webhook", url, "--schedule", schedule_file(tmp_path),
                "--now", "2026-03-09T12:59:00+00:00")
    assert out.returncode == 0, out.stderr
    notices = [m for m in smtp.messages if "tier raised" in m[2]]
    sender, rcpts, text = notices[0]
    msg = email.message_from_string(text)
    # Tier 3 is engineering lead + CSM (seed 002), a raise also tells the support manager; team@ is a copy.
    assert rcpts == ["omar@example.com", "csm_old@example.com", "mgr@example.com", "team@example.com"]
    assert msg["To"] == "omar@example.com, csm_old@example.com, mgr@example.com" and msg["Cc"] == "team@example.com"
    assert f"{first} tier raised" in msg["Subject"]
    assert "On call: CSM: Csm_Old <csm_old@example.com> (rotation)" in msg.get_payload()
    chat_notice = [b["text"] for b in bodies if "tier raised" in b["text"]]
    assert len(chat_notice) == 1 and "For: Engineering Lead Omar; CSM Csm_Old; Support Manager Mgr." in chat_notice[0]
    # The tier's due item (the handoff nearing its response target) goes to tier 3's on-call people.
    due = [m for m in smtp.messages if "at risk 75" in m[2]]
    assert len(due) == 1 and due[0][1] == ["omar@example.com", "csm_old@example.com", "team@example.com"]
    sent = len(smtp.messages)

    # One minute after the New York handoff (13:00 UTC, not 14:00: the clocks went forward on Sunday).
    second = raised(tracker, "Checkout slow", "2026-03-09T12:40:00+00:00", "2026-03-09T12:50:00+00:00")
    again = watch(tmp_path, *mail(smtp), "--webhook", url, "--schedule", schedule_file(tmp_path),
                  "--now", "2026-03-09T13:01:00+00:00")
    assert again.returncode == 0, again.stderr
    later = smtp.messages[sent:]
    assert not any(first in m[2] and "tier raised" in m[2] for m in later)  # the first notice is not sent again
    _, rcpts2, text2 = next(m for m in later if "tier raised" in m[2])
    assert second in text2 and rcpts2 == ["omar@example.com", "csm_new@example.com", "mgr@example.com",
                                          "team@example.com"]


def test_an_override_wins_at_sending_time(tmp_path, smtp, tracker):
    raised(tracker, "Search slow", "2026-03-09T11:00:00+00:00", "2026-03-09T12:10:00+00:00")
    out = watch(tmp_path, *mail(smtp), "--schedule", schedule_file(tmp_path), "--now", "2026-03-09T12:15:00+00:00")
    assert out.returncode == 0, out.stderr
    notice = next(m for m in smtp.messages if "tier raised" in m[2])
    assert "kim@example.com" in notice[1] and "mgr@example.com" not in notice[1]
    assert "On call: Support Manager: Kim <kim@example.com> (override)" in notice[2]


def test_without_a_schedule_notices_go_to_the_configured_addresses_only(tmp_path, smtp, tracker):
    raised(tracker, "Search slow", "2026-03-09T12:00:00+00:00", "2026-03-09T12:30:00+00:00")
    out = watch(tmp_path, *mail(smtp), "--now", "2026-03-09T12:59:00+00:00")
    assert out.returncode == 0, out.stderr
    assert smtp.messages and all(m[1] == ["team@example.com"] and "On call:" not in m[2] for m in smtp.messages)


def test_the_environment_variable_gives_the_schedule(tmp_path, smtp, tracker):
    raised(tracker, "Search slow", "2026-03-09T12:00:00+00:00", "2026-03-09T12:30:00+00:00")
    out = watch(tmp_path, *mail(smtp), "--now", "2026-03-09T12:59:00+00:00",
                env={"ESCALATION_KIT_ONCALL_SCHEDULE": schedule_file(tmp_path)})
    assert out.returncode == 0, out.stderr
    assert "csm_old@example.com" in next(m for m in smtp.messages if "tier raised" in m[2])[1]


def test_a_bad_schedule_is_exit_2_naming_the_field_and_sends_nothing(tmp_path, smtp, tracker):
    raised(tracker, "Search slow", "2026-03-09T12:00:00+00:00", "2026-03-09T12:30:00+00:00")
    broken = json.loads(json.dumps(SCHEDULE))
    broken["roles"]["csm"]["rotation"]["timezone"] = "America/Gotham"
    path = schedule_file(tmp_path, broken)
    out = watch(tmp_path, *mail(smtp), "--schedule", path, "--now", "2026-03-09T12:59:00+00:00")
    assert out.returncode == 2
    assert f"error: {path}: roles.csm.rotation.timezone: 'America/Gotham' is not a known IANA" in out.stderr
    assert "Traceback" not in out.stderr and smtp.messages == []
    missing = watch(tmp_path, *mail(smtp), "--schedule", str(tmp_path / "nope.yaml"))
    assert missing.returncode == 2 and "error: --schedule: cannot read" in missing.stderr
