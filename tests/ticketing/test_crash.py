"""kill -9 after the system accepted a call and before the tracker recorded it: the next pass opens and posts
nothing twice (the ticket is found by its label or correlation id, the comment by its marker)."""

from __future__ import annotations

import os
import signal
import subprocess

import pytest

from conftest import cli_path
from ticketing_support import SECRET, USER, adf_text, sync_jira, sync_snow
from tracker_support import T0, at

pytestmark = pytest.mark.integration


def start(home, system: str, url: str, now: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ESCALATION_KIT_")}
    env.update({"ESCALATION_KIT_HOME": str(home), "ESCALATION_KIT_JIRA_TOKEN": SECRET,
                "ESCALATION_KIT_SERVICENOW_PASSWORD": SECRET})
    extra = ["--project", "OPS"] if system == "jira" else []
    return subprocess.Popen([cli_path(), "tickets", "sync", "--system", system, "--once", "--url", url, "--user", USER,
                             "--now", now, "--timeout", "20", *extra], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def kill_when_held(fake, proc: subprocess.Popen, op: str) -> None:
    """Let the stand-in store the call ``op``, kill -9 the sync while it waits for the answer, then let go."""
    assert fake.held.wait(60), f"the sync never reached {op}: {proc.stderr.read().decode() if proc.poll() else ''}"
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(30) == -signal.SIGKILL
    fake.release.set()
    fake.held.clear()


def test_jira_create_and_comment_survive_kill_nine(home, tracker, jira):
    esc = tracker.open({"title": "Checkout down", "severity": "P1"}, at=T0)
    jira.hold = "create"
    kill_when_held(jira, start(home, "jira", jira.url, at(1)), "create")
    assert list(jira.issues) == ["OPS-1"] and not [e for e in tracker.events(esc.id) if e.kind == "ticket_synced"]
    assert sync_jira(jira, "--now", at(2)) == 0
    assert list(jira.issues) == ["OPS-1"]  # found by its label, not opened again
    assert tracker.events(esc.id)[-1].payload["ticket"] == "OPS-1"

    tracker.update(esc.id, {"owner": "lee"}, at=at(3))
    jira.release.clear()
    jira.hold = "comment"
    kill_when_held(jira, start(home, "jira", jira.url, at(4)), "comment")
    assert len(jira.issues["OPS-1"]["comments"]) == 1
    assert sync_jira(jira, "--now", at(5)) == 0
    texts = [adf_text(c["body"]) for c in jira.issues["OPS-1"]["comments"]]
    assert len(texts) == 1 and "Owner changed to lee." in texts[0]  # found by its marker, not posted again
    keys = [e.payload["key"] for e in tracker.events(esc.id) if e.kind == "ticket_synced"]
    assert keys == [f"{esc.id}:ticket:jira:link", f"{esc.id}:ticket:jira:3"]  # event 2 is the link


def test_servicenow_work_note_survives_kill_nine(home, tracker, snow):
    esc = tracker.open({"title": "Payments failing", "severity": "P1"}, at=T0)
    assert sync_snow(snow, "--now", at(1)) == 0
    tracker.record_event(esc.id, "resolved", at=at(2), payload={"root_cause": "bad deploy"})
    snow.hold = "patch"
    kill_when_held(snow, start(home, "servicenow", snow.url, at(3)), "patch")
    [rec] = snow.records.values()
    assert len(rec["work_notes"]) == 1 and rec["state"] == "6"
    assert sync_snow(snow, "--now", at(4)) == 0
    assert len(rec["work_notes"]) == 1 and len(snow.records) == 1
    assert [e.payload["key"] for e in tracker.events(esc.id) if e.kind == "ticket_synced"][-1] == \
        f"{esc.id}:ticket:servicenow:3"
