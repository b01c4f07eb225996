"""``tickets sync --system jira`` against a Jira stand-in on 127.0.0.1 and the real tracker on SQLite."""

from __future__ import annotations

from ticketing_support import SECRET, sync_jira
from tracker_support import T0, at


def pushes(tracker, esc_id: str) -> list[str]:
    return [e.payload["key"] for e in tracker.events(esc_id)
            if e.kind == "ticket_synced" and e.payload.get("channel") == "jira"]


def comment_texts(jira, key: str) -> list[str]:
    from ticketing_support import adf_text

    return [adf_text(c["body"]) for c in jira.issues[key]["comments"]]


def test_a_record_gets_one_issue_and_each_event_one_comment(home, tracker, jira, capsys):
    esc = tracker.open({"title": "Checkout down", "severity": "P1", "description": "500s on /pay"}, at=T0)
    tracker.record_event(esc.id, "acknowledged", at=at(2), actor="dana")
    assert sync_jira(jira, "--now", at(3)) == 0
    assert list(jira.issues) == ["OPS-1"]
    issue = jira.issues["OPS-1"]["fields"]
    assert issue["priority"] == {"name": "High"} and esc.id in issue["labels"] and "escalation-kit" in issue["labels"]
    assert issue["status"] == {"name": "In Progress"}  # opened from an acknowledged record: moved along
    assert jira.issues["OPS-1"]["comments"] == []  # what happened before the issue is in the issue itself
    assert pushes(tracker, esc.id) == [f"{esc.id}:ticket:jira:link"]

    tracker.update(esc.id, {"owner": "lee", "severity": "P0"}, at=at(5), reason="second region failing")
    tracker.update(esc.id, {"tier": 4}, at=at(6))
    assert sync_jira(jira, "--now", at(7)) == 0
    texts = comment_texts(jira, "OPS-1")
    assert len(texts) == 3
    assert "Owner changed to lee." in texts[0] or "Owner changed to lee." in texts[1]
    assert any("Severity changed to P0." in t and "Note: second region failing" in t for t in texts)
    assert "Moved to tier 4." in texts[2] and all(t.rstrip().endswith("]") for t in texts)
    assert issue["priority"] == {"name": "Highest"}
    calls = len(jira.calls)

    assert sync_jira(jira, "--now", at(8)) == 0  # nothing new: nothing sent, not even a read
    assert len(comment_texts(jira, "OPS-1")) == 3 and len(jira.calls) == calls
    assert "0 pushed, 0 failed" in capsys.readouterr().err

    tracker.close_escalation(esc.id, at=at(60), root_cause="expired TLS certificate")
    assert sync_jira(jira, "--now", at(61)) == 0
    texts = comment_texts(jira, "OPS-1")
    assert any("Resolved. Root cause: expired TLS certificate." in t for t in texts) and texts[-1].find("Closed.") >= 0
    assert issue["status"] == {"name": "Done"} and list(jira.issues) == ["OPS-1"]
    assert len(pushes(tracker, esc.id)) == 1 + 5  # the link and five events, each recorded once


def test_a_5xx_is_retried_next_pass_and_names_the_system_and_record(home, tracker, jira, capsys):
    esc = tracker.open({"title": "Checkout down", "severity": "P2"}, at=T0)
    assert sync_jira(jira, "--now", at(1)) == 0
    tracker.update(esc.id, {"owner": "lee"}, at=at(2))
    jira.fail["comment"] = [503]
    assert sync_jira(jira, "--now", at(3)) == 1
    err = capsys.readouterr().err
    assert "jira" in err and esc.id in err and "HTTP 503" in err and "retried next pass" in err
    assert jira.issues["OPS-1"]["comments"] == [] and len(pushes(tracker, esc.id)) == 1
    assert sync_jira(jira, "--now", at(4)) == 0
    assert len(jira.issues["OPS-1"]["comments"]) == 1 and len(pushes(tracker, esc.id)) == 2


def test_a_timeout_is_retried_next_pass(home, tracker, jira, capsys):
    esc = tracker.open({"title": "Checkout down", "severity": "P2"}, at=T0)
    jira.fail["create"] = ["timeout"]
    assert sync_jira(jira, "--now", at(1)) == 1
    err = capsys.readouterr().err
    assert "did not answer" in err and "0.5 s" in err and esc.id in err
    assert pushes(tracker, esc.id) == []
    assert sync_jira(jira, "--now", at(2)) == 0
    assert pushes(tracker, esc.id) == [f"{esc.id}:ticket:jira:link"] and len(jira.issues) == 1


def test_401_is_a_clear_error_with_exit_2_and_no_secret(home, tracker, jira, capsys):
    tracker.open({"title": "Checkout down", "severity": "P2"}, at=T0)
    tracker.open({"title": "Search slow", "severity": "P3"}, at=T0)
    jira.secret = "the-token-jira-expects"
    assert sync_jira(jira, "--now", at(1)) == 2
    out = capsys.readouterr()
    text = out.out + out.err
    assert "jira at 127.0.0.1" in text and "rejected the credentials (HTTP 401)" in text
    assert "ESCALATION_KIT_JIRA_TOKEN" in text and "the pass stopped" in text
    assert SECRET not in text and "Basic " not in text  # the stand-in echoed the header; it was masked
    assert jira.ops("search") == 1  # stopped at the first refusal instead of failing every record


def test_a_status_the_workflow_cannot_reach_is_a_clear_error(home, tracker, jira, capsys):
    jira.statuses = ("Open", "Working", "Closed")
    tracker.open({"title": "Checkout down", "severity": "P2"}, at=T0)
    assert sync_jira(jira, "--now", at(1)) == 1
    err = capsys.readouterr().err
    assert "no transition takes OPS-1 from 'Open' to 'To Do'" in err and "jira.status" in err
    assert "Working" in err and "Closed" in err


def test_a_first_alignment_that_failed_is_retried_on_the_same_issue(home, tracker, jira, capsys):
    esc = tracker.open({"title": "Checkout down", "severity": "P2"}, at=T0)
    tracker.record_event(esc.id, "acknowledged", at=at(1))
    jira.fail["transition"] = [500]
    assert sync_jira(jira, "--now", at(2)) == 1
    assert "HTTP 500" in capsys.readouterr().err and pushes(tracker, esc.id) == []
    assert jira.issues["OPS-1"]["fields"]["status"] == {"name": "To Do"}
    assert sync_jira(jira, "--now", at(3)) == 0
    assert list(jira.issues) == ["OPS-1"] and jira.issues["OPS-1"]["fields"]["status"] == {"name": "In Progress"}
    assert pushes(tracker, esc.id) == [f"{esc.id}:ticket:jira:link"]


def test_pushes_are_their_own_event_kind_and_older_logs_are_still_read(home, tracker, jira):
    """A push is logged as ticket_synced (not as a reminder: the record's reminders stay its own, and the customer
    timeline leaves it out); a log from before the kind existed, with the same payload as reminder_fired, is
    read as pushed, so nothing is opened or posted twice after an upgrade."""
    from ticketing_support import sync_jira as run

    esc = tracker.open({"title": "Checkout down", "severity": "P1"}, at=T0)
    assert run(jira, "--now", at(1)) == 0
    assert pushes(tracker, esc.id) == [f"{esc.id}:ticket:jira:link"]
    document = tracker.export(esc.id).markdown
    assert "Checkout down" in document and "Synced to jira" not in document  # the customer's timeline leaves it out

    old = tracker.open({"title": "Search slow", "severity": "P2"}, at=T0)
    jira.issues["OPS-9"] = {"fields": {"labels": [old.id, "escalation-kit"], "status": {"name": "To Do"}},
                            "comments": []}
    tracker.record_event(old.id, "reminder_fired", at=at(2), actor="tickets-sync",
                         payload={"key": f"{old.id}:ticket:jira:link", "channel": "jira", "ticket": "OPS-9",
                                  "label": old.id, "upto": 1})
    calls = len(jira.calls)
    assert run(jira, "--now", at(3)) == 0
    assert "OPS-9" in jira.issues and len(jira.issues) == 2 and len(jira.calls) == calls  # nothing new sent


def test_a_vendor_case_status_change_reaches_the_ticket(home, tracker, jira):
    """supportcases poll records each vendor case status change; the ticket gets one comment for it."""
    esc = tracker.open({"title": "RDS down", "severity": "P1"}, at=T0)
    assert sync_jira(jira, "--now", at(1)) == 0
    tracker.record_event(esc.id, "vendor_case_filed", at=at(2), actor="cases",
                         payload={"case_id": "case-42", "vendor": "aws"})
    tracker.record_event(esc.id, "vendor_case_status", at=at(9), actor="cases",
                         payload={"case_id": "case-42", "status": "pending-customer-action"})
    assert sync_jira(jira, "--now", at(10)) == 0
    assert any("Vendor case case-42 is now pending-customer-action." in t for t in comment_texts(jira, "OPS-1"))
