"""``tickets sync --system servicenow`` against a ServiceNow stand-in on 127.0.0.1 and the real tracker on SQLite."""

from __future__ import annotations

from ticketing_support import SECRET, sync_snow
from tracker_support import T0, at


def pushes(tracker, esc_id: str) -> list[str]:
    return [e.payload["key"] for e in tracker.events(esc_id)
            if e.kind == "ticket_synced" and e.payload.get("channel") == "servicenow"]


def test_an_incident_is_opened_and_each_event_is_one_work_note(home, tracker, snow, capsys):
    esc = tracker.open({"title": "Payments failing", "severity": "P0", "description": "card auth 100% errors"}, at=T0)
    assert sync_snow(snow, "--now", at(1)) == 0
    [rec] = snow.records.values()
    assert rec["correlation_id"] == esc.id and rec["impact"] == "1" and rec["urgency"] == "1" and rec["state"] == "1"
    assert rec["short_description"] == f"[P0] {esc.id} Payments failing" and f"{esc.id}@1" in rec["description"]
    link = tracker.events(esc.id)[-1].payload
    assert link["ticket"] == rec["sys_id"] and link["label"] == rec["number"]

    tracker.record_event(esc.id, "acknowledged", at=at(2), actor="dana")
    tracker.update(esc.id, {"severity": "P2"}, at=at(3))
    assert sync_snow(snow, "--now", at(4)) == 0
    assert rec["state"] == "2" and (rec["impact"], rec["urgency"]) == ("2", "2")
    assert len(rec["work_notes"]) == 2 and "Acknowledged by dana." in rec["work_notes"][0]
    assert "Severity changed to P2." in rec["work_notes"][1]
    assert snow.ops("patch") == 2  # one PATCH per event: state, impact/urgency and the note together

    assert sync_snow(snow, "--now", at(5)) == 0
    assert len(rec["work_notes"]) == 2 and snow.ops("patch") == 2

    tracker.record_event(esc.id, "resolved", at=at(30), payload={"root_cause": "HSM firmware"})
    assert sync_snow(snow, "--now", at(31)) == 0  # the stand-in refuses Resolved without close code and notes
    assert rec["state"] == "6" and rec["close_code"] == "Solution provided" and rec["close_notes"] == "HSM firmware"
    assert "Resolved. Root cause: HSM firmware." in rec["work_notes"][-1]
    tracker.record_event(esc.id, "reopened", at=at(40))
    tracker.close_escalation(esc.id, at=at(50))
    assert sync_snow(snow, "--now", at(51)) == 0
    assert rec["state"] == "7" and len(rec["work_notes"]) == 6  # reopened (2), resolved again, closed
    assert len(snow.records) == 1 and len(pushes(tracker, esc.id)) == 1 + 6
    assert "failed" in capsys.readouterr().err


def test_a_refused_update_is_retried_and_only_then_recorded(home, tracker, snow, capsys):
    esc = tracker.open({"title": "Payments failing", "severity": "P1"}, at=T0)
    assert sync_snow(snow, "--now", at(1)) == 0
    tracker.update(esc.id, {"owner": "kim"}, at=at(2))
    snow.fail["patch"] = [500, "timeout"]
    assert sync_snow(snow, "--now", at(3)) == 1
    assert "servicenow" in capsys.readouterr().err
    assert sync_snow(snow, "--now", at(4)) == 1
    err = capsys.readouterr().err
    assert f"servicenow: {esc.id}:" in err and "did not answer" in err
    [rec] = snow.records.values()
    assert rec["work_notes"] == [] and len(pushes(tracker, esc.id)) == 1
    assert sync_snow(snow, "--now", at(5)) == 0
    assert len(rec["work_notes"]) == 1 and "Owner changed to kim." in rec["work_notes"][0]


def test_401_names_the_system_and_never_the_password(home, tracker, snow, capsys):
    tracker.open({"title": "Payments failing", "severity": "P1"}, at=T0)
    snow.user = "someone-else"
    assert sync_snow(snow, "--now", at(1)) == 2
    out = capsys.readouterr()
    assert "servicenow at 127.0.0.1" in out.err and "HTTP 401" in out.err
    assert "ESCALATION_KIT_SERVICENOW_PASSWORD" in out.err
    assert SECRET not in out.out + out.err and "Basic " not in out.out + out.err


def test_pull_records_a_state_mismatch_once(home, tracker, snow, capsys):
    esc = tracker.open({"title": "Payments failing", "severity": "P1"}, at=T0)
    assert sync_snow(snow, "--now", at(1)) == 0
    [rec] = snow.records.values()
    rec["state"] = "6"  # someone resolved the incident in ServiceNow; the record is still open
    assert sync_snow(snow, "--now", at(2), "--pull") == 0
    assert sync_snow(snow, "--now", at(3), "--pull") == 0
    notes = [e for e in tracker.events(esc.id) if e.kind == "note"]
    assert len(notes) == 1 and "state '6' while the record is open (expected '1')" in notes[0].payload["text"]
    assert "1 mismatches" in capsys.readouterr().err


def test_a_long_title_fits_short_description(home, tracker, snow):
    esc = tracker.open({"title": "Payments " + "very " * 40 + "slow", "severity": "P3"}, at=T0)
    assert sync_snow(snow, "--now", at(1)) == 0
    [rec] = snow.records.values()
    assert len(rec["short_description"]) == 160 and rec["short_description"].startswith(f"[P3] {esc.id} Payments")
    assert (rec["impact"], rec["urgency"]) == ("3", "2")
