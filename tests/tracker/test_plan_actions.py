"""Seed 002's track-progress fields: next steps, estimated resolution and the resolution plan, and the
follow-up actions, through the Tracker, the ``track`` command line and the MCP update tool."""

from __future__ import annotations

import json

import pytest

from escalation_kit.cli import main
from escalation_kit.errors import InputError
from escalation_kit.mcp.server import build_server
from mcp import Client
from tracker_support import T0, at


def test_next_steps_eta_and_plan_are_one_event_and_part_of_the_state(tracker):
    e = tracker.open({"title": "Memory leak", "severity": "P2"}, at=T0)
    s = tracker.update(e.id, {"next_steps": "Deploy patch in next maintenance window",
                              "estimated_resolution": at(600), "resolution_plan": "Roll out v2.3.5"}, at=at(10))
    assert [ev.kind for ev in tracker.events(e.id)][-1] == "plan_updated"
    assert s.next_steps == "Deploy patch in next maintenance window" and s.resolution_plan == "Roll out v2.3.5"
    assert s.estimated_resolution.isoformat() == at(600)
    s = tracker.update(e.id, {"estimated_resolution": at(900), "next_steps": s.next_steps}, at=at(20))
    assert tracker.events(e.id)[-1].payload == {"estimated_resolution": at(900)}  # only what changed
    assert s.resolution_plan == "Roll out v2.3.5" and s.estimated_resolution.isoformat() == at(900)
    with pytest.raises(InputError) as info:
        tracker.update(e.id, {"estimated_resolution": at(900)}, at=at(30))
    assert info.value.field == "changes"
    with pytest.raises(InputError) as info:
        tracker.update(e.id, {"estimated_resolution": "next tuesday"}, at=at(30))
    assert info.value.field == "estimated_resolution"
    assert tracker.verify()["ok"] and len(tracker.events(e.id)) == 3


def test_the_tracking_document_shows_the_plan_next_steps_and_eta(tracker):
    e = tracker.open({"title": "Memory leak", "severity": "P2"}, at=T0)
    tracker.update(e.id, {"resolution_plan": "Roll out v2.3.5", "next_steps": "Canary in eu-west",
                          "estimated_resolution": "2026-03-07T09:00:00Z"}, at=at(10))
    doc = tracker.export(e.id, "en", "Europe/Moscow").markdown
    plan = doc.split("## Resolution plan", 1)[1]
    assert "Roll out v2.3.5" in plan and "Canary in eu-west" in plan and "12:00" in plan  # 09:00 UTC in Moscow


def test_a_passed_eta_is_due_until_resolved_or_moved(tracker):
    e = tracker.open({"title": "Memory leak", "severity": "P3", "owner": "ann"}, at=T0)
    tracker.update(e.id, {"estimated_resolution": at(120)}, at=at(1))
    assert not [i for i in tracker.due(now=at(100)) if i.kind == "eta"]
    item = next(i for i in tracker.due(now=at(130)) if i.kind == "eta")
    assert "estimated resolution" in item.message and "new estimate" in item.next_step
    tracker.update(e.id, {"estimated_resolution": at(500)}, at=at(131))
    assert not [i for i in tracker.due(now=at(140)) if i.kind == "eta"]
    tracker.record_event(e.id, "resolved", at=at(200))
    assert tracker.due(now=at(600)) == []


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["track", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_actions_and_plan(home, capsys):
    assert run(capsys, "open", "Memory leak", "--severity", "P2", "--at", T0)[0] == 0
    code, out, _ = run(capsys, "action", "add", "ESC-2026-0001", "Collect heap dumps", "--owner", "bob",
                       "--due", at(60), "--at", at(5))
    assert code == 0 and "A1" in out
    code, out, _ = run(capsys, "--json", "action", "add", "ESC-2026-0001", "Patch", "--at", at(6))
    assert code == 0 and set(json.loads(out)["actions"]) == {"A1", "A2"}
    code, out, _ = run(capsys, "action", "done", "ESC-2026-0001", "A1", "--at", at(30))
    assert code == 0 and "A1 done" in out
    code, _, err = run(capsys, "action", "done", "ESC-2026-0001", "A9", "--at", at(31))
    assert code == 2 and "action_id" in err and "Traceback" not in err
    code, _, err = run(capsys, "action", "add", "ESC-2026-0001", "x", "--due", "soonish", "--at", at(31))
    assert code == 2 and "due_at" in err
    code, out, _ = run(capsys, "update", "ESC-2026-0001", "--next-steps", "Deploy patch in next window",
                       "--eta", "2026-03-07T09:00:00Z", "--plan", "Roll out v2.3.5", "--at", at(40))
    assert code == 0 and "next_steps" in out
    code, _, err = run(capsys, "update", "ESC-2026-0001", "--eta", "tomorrow-ish", "--at", at(41))
    assert code == 2 and "estimated_resolution" in err
    code, out, _ = run(capsys, "show", "ESC-2026-0001", "--now", at(50))
    assert code == 0 and "Collect heap dumps" in out and "bob" in out and "Deploy patch in next window" in out
    assert "2026-03-07T09:00:00+00:00" in out and "Roll out v2.3.5" in out
    assert run(capsys, "verify")[0] == 0


@pytest.mark.anyio
async def test_mcp_update_escalation_sets_next_steps_eta_and_plan(home):
    async with Client(build_server()) as c:
        opened = (await c.call_tool("open_escalation", {"title": "Leak", "severity": "P2", "at": T0}))
        opened = opened.structured_content
        result = await c.call_tool("update_escalation", {
            "escalation_id": opened["id"], "next_steps": "Canary", "estimated_resolution": at(300),
            "resolution_plan": "Patch", "at": at(5)})
        assert not result.is_error
        state = result.structured_content
        assert (state["next_steps"], state["resolution_plan"]) == ("Canary", "Patch")
        bad = await c.call_tool("update_escalation", {"escalation_id": opened["id"], "estimated_resolution": "soon",
                                                      "at": at(6)})
        assert bad.is_error and "estimated_resolution" in " ".join(getattr(b, "text", "") for b in bad.content)
