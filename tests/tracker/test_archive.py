"""Seed 002's 'Archive escalation records': a closed record is archived by a new event, leaves the
default list, stays in metrics and in the verified log, and is read-only until unarchived."""

from __future__ import annotations

import json

import pytest

from escalation_kit.cli import main
from escalation_kit.errors import InputError
from tracker_archive import archive_flow
from tracker_support import T0, at

SPAN = ("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z")


def test_archiving_closed_records(tracker):
    seen = archive_flow(tracker)
    assert seen["default"] == ["ESC-2026-0003", "ESC-2026-0002"]
    assert seen["only"] == ["ESC-2026-0001"]
    assert seen["include"] == ["ESC-2026-0003", "ESC-2026-0002", "ESC-2026-0001"]
    assert seen["count"] == 3  # archived records stay in the metrics: they are history, not deleted
    assert seen["archived_at"] == at(4000) and seen["after"] == "in_progress" and seen["verify"]


def test_list_refuses_an_unknown_archived_choice(tracker):
    with pytest.raises(InputError) as info:
        tracker.list(archived="sometimes")
    assert info.value.field == "archived"


def test_a_log_written_before_archiving_existed_still_verifies(tracker):
    """Old cached states have no archived_at (nor the plan fields): they read as unset and verify clean."""
    e = tracker.open({"title": "x", "severity": "P2"}, at=T0)
    tracker.close_escalation(e.id, at=at(5))
    raw = json.loads(tracker.store.one("SELECT state FROM escalation_states WHERE id = ?", (e.id,))[0])
    for key in ("archived_at", "next_steps", "estimated_resolution", "resolution_plan"):
        raw.pop(key)
    tracker.store.execute("UPDATE escalation_states SET state = ? WHERE id = ?", (json.dumps(raw), e.id))
    assert tracker.verify()["ok"]
    assert tracker.archive_closed(before=at(10), at=at(20)) == [e.id] and tracker.verify()["ok"]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["track", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_archive_and_unarchive(home, capsys):
    run(capsys, "open", "a", "--severity", "P3", "--at", T0)
    run(capsys, "open", "b", "--severity", "P3", "--at", at(1))
    run(capsys, "close", "ESC-2026-0001", "--at", at(10))
    run(capsys, "close", "ESC-2026-0002", "--at", at(20))
    code, _, err = run(capsys, "archive")
    assert code == 2 and "closed_before" in err
    code, _, err = run(capsys, "archive", "ESC-2026-0001", "--closed-before", at(5))
    assert code == 2 and "closed_before" in err
    code, _, err = run(capsys, "archive", "--closed-before", "last week")
    assert code == 2 and "closed_before" in err and "Traceback" not in err
    code, out, _ = run(capsys, "archive", "ESC-2026-0001", "--at", at(30))
    assert code == 0 and "ESC-2026-0001" in out and "archived" in out
    code, out, _ = run(capsys, "--json", "archive", "--closed-before", at(100), "--at", at(31))
    assert code == 0 and json.loads(out) == {"archived": ["ESC-2026-0002"]}
    code, out, _ = run(capsys, "--json", "list")
    assert json.loads(out) == []
    code, out, _ = run(capsys, "--json", "list", "--archived", "only")
    assert [r["id"] for r in json.loads(out)] == ["ESC-2026-0002", "ESC-2026-0001"]
    assert run(capsys, "unarchive", "ESC-2026-0001", "--at", at(40))[0] == 0
    code, out, _ = run(capsys, "--json", "list")
    assert [r["id"] for r in json.loads(out)] == ["ESC-2026-0001"]
    code, _, err = run(capsys, "unarchive", "ESC-2026-0001", "--at", at(41))
    assert code == 2 and "kind" in err
    assert run(capsys, "verify")[0] == 0


@pytest.mark.anyio
async def test_mcp_archives_through_record_event_and_lists_on_request(home):
    from escalation_kit.mcp.server import build_server
    from mcp import Client

    async with Client(build_server()) as c:
        esc = (await c.call_tool("open_escalation", {"title": "x", "severity": "P3", "at": T0})).structured_content
        await c.call_tool("close_escalation", {"escalation_id": esc["id"], "at": at(5)})
        done = await c.call_tool("record_event", {"escalation_id": esc["id"], "kind": "archived", "at": at(6)})
        assert not done.is_error and done.structured_content["archived_at"]
        default = (await c.call_tool("list_escalations", {})).structured_content
        only = (await c.call_tool("list_escalations", {"archived": "only"})).structured_content
        assert default["count"] == 0 and [e["id"] for e in only["escalations"]] == [esc["id"]]


def test_rows_cached_before_the_upgrade_get_their_closing_time(home):
    """A row cached by the previous version has no closed_at; opening the tracker refreshes it, so the bulk
    archive finds records closed before the upgrade."""
    from escalation_kit.tracker import Tracker, open_store

    t = Tracker(open_store())
    e = t.open({"title": "x", "severity": "P3"}, at=T0)
    t.close_escalation(e.id, at=at(5))
    t.store.execute("UPDATE escalations SET closed_at = NULL, cache_version = 4")
    t.close()
    t = Tracker(open_store())
    try:
        assert t.archive_closed(before=at(10), at=at(20)) == [e.id]
    finally:
        t.close()
