"""cases poll: each status change of a vendor case is recorded once, the vendor's response stops its clock."""

from __future__ import annotations

import pytest

from escalation_kit.cli import main
from supportcases_support import SECRETS, VENDOR_FLAGS, open_record


def opened(tracker, vendor: str, capsys, **extra) -> tuple[str, str]:
    esc = open_record(tracker, vendor, **extra)
    assert main(["cases", "open", esc, "--vendor", vendor, *VENDOR_FLAGS[vendor], "--send"]) == 0
    capsys.readouterr()
    return esc, str(tracker.get(esc).state.vendor_case_id)


def statuses(tracker, esc: str) -> list[tuple[str | None, str]]:
    return [(e.payload.get("from"), e.payload["status"]) for e in tracker.events(esc) if e.kind == "vendor_case_status"]


def test_aws_status_changes_are_recorded_once_and_a_reply_stops_the_vendor_clock(tracker, vendors, capsys):
    esc, case = opened(tracker, "aws", capsys)
    reads = len(vendors.ops("aws.get"))  # open looked for an unrecorded case first
    assert main(["cases", "poll"]) == 0
    assert statuses(tracker, esc) == [(None, "unassigned")]
    assert main(["cases", "poll", esc]) == 0  # no change: nothing new
    assert statuses(tracker, esc) == [(None, "unassigned")] and len(vendors.ops("aws.get")) == reads + 2
    assert tracker.get(esc).state.vendor_responded_at is None
    vendors.statuses[case] = "work-in-progress"
    assert main(["cases", "poll"]) == 0
    out = capsys.readouterr().out
    assert statuses(tracker, esc) == [(None, "unassigned"), ("unassigned", "work-in-progress")]
    state = tracker.get(esc).state
    assert state.vendor_responded_at is not None and "responded" in out
    clock = next(c for c in tracker.get(esc).clocks if c.name == "vendor_response")
    assert clock.stopped_at is not None  # the vendor response clock stopped at the poll that saw the reply
    assert main(["cases", "poll"]) == 0
    assert [e.kind for e in tracker.events(esc)].count("vendor_responded") == 1
    assert vendors.problems() == [] and tracker.verify(esc)["ok"]


def test_a_finished_gcp_case_is_recorded_and_then_no_longer_polled(tracker, vendors, capsys):
    esc, case = opened(tracker, "gcp", capsys)
    assert tracker.events(esc)[-1].payload["status"] == "NEW"  # the create answer's state is on the filing
    assert main(["cases", "poll"]) == 0
    assert statuses(tracker, esc) == []
    vendors.statuses[case] = "CLOSED"
    assert main(["cases", "poll"]) == 0
    assert statuses(tracker, esc) == [("NEW", "CLOSED")]
    calls = len(vendors.ops("gcp.get"))
    assert main(["cases", "poll"]) == 0
    assert len(vendors.ops("gcp.get")) == calls  # a finished case is not asked again


def test_azure_open_and_closed_say_nothing_about_a_reply(tracker, vendors, capsys):
    esc, case = opened(tracker, "azure", capsys)
    vendors.statuses[case] = "Closed"
    assert main(["cases", "poll"]) == 0
    assert statuses(tracker, esc) == [("Open", "Closed")]
    assert tracker.get(esc).state.vendor_responded_at is None


def test_a_resolved_record_still_follows_its_case_but_takes_no_reply(tracker, vendors, capsys):
    esc, case = opened(tracker, "aws", capsys)
    tracker.record_event(esc, "resolved", payload={"root_cause": "bad deploy"})
    vendors.statuses[case] = "resolved"
    assert main(["cases", "poll"]) == 0
    assert statuses(tracker, esc) == [(None, "resolved")]
    assert tracker.get(esc).state.vendor_responded_at is None and tracker.get(esc).state.status == "resolved"


@pytest.mark.parametrize(("mode", "code", "words"), [(503, 1, "HTTP 503"), ("badjson", 1, "not JSON"),
                                                     (401, 2, "rejected the credentials"),
                                                     ("timeout", 1, "did not answer")])
def test_a_failed_read_records_nothing_and_is_retried_next_poll(tracker, vendors, capsys, mode, code, words):
    esc, case = opened(tracker, "gcp", capsys)
    before = len(tracker.events(esc))
    vendors.statuses[case] = "IN_PROGRESS_GOOGLE_SUPPORT"
    vendors.fail["gcp.get"] = [mode]
    assert main(["cases", "poll", "--timeout", "0.5"]) == code
    out, err = capsys.readouterr()
    assert words in err and "127.0.0.1" in err and not any(s in out + err for s in SECRETS)
    assert len(tracker.events(esc)) == before
    assert main(["cases", "poll"]) == 0
    assert statuses(tracker, esc) == [("NEW", "IN_PROGRESS_GOOGLE_SUPPORT")]
    assert tracker.get(esc).state.vendor_responded_at is not None


def test_refused_credentials_skip_that_vendor_but_not_the_others(tracker, vendors, capsys):
    first, _ = opened(tracker, "gcp", capsys)
    second, _ = opened(tracker, "gcp", capsys)
    esc_aws, aws_case = opened(tracker, "aws", capsys)
    vendors.statuses[aws_case] = "work-in-progress"
    vendors.fail["gcp.get"] = [401, 401]
    assert main(["cases", "poll"]) == 2
    err = capsys.readouterr().err
    assert "rejected the credentials" in err and "skipped" in err
    assert len(vendors.ops("gcp.get")) == 1  # the second gcp case was not tried with the refused token
    assert statuses(tracker, esc_aws) == [(None, "work-in-progress")]
    assert statuses(tracker, first) == statuses(tracker, second) == []


def test_poll_of_an_unknown_record_is_exit_2(tracker, vendors, capsys):
    assert main(["cases", "poll", "ESC-2026-0999"]) == 2
    assert "no escalation" in capsys.readouterr().err and vendors.calls == []


def test_a_case_recorded_by_hand_with_a_malformed_id_is_a_warning_not_a_crash(tracker, vendors, capsys):
    esc = open_record(tracker, "gcp")
    tracker.record_event(esc, "vendor_case_filed", payload={"case_id": "12345", "vendor": "gcp"})
    assert main(["cases", "poll"]) == 1
    assert "is not a case name" in capsys.readouterr().err and vendors.calls == []


def test_missing_credentials_for_one_vendor_are_said_once_and_the_others_still_polled(tracker, vendors, capsys,
                                                                                       monkeypatch):
    first, _ = opened(tracker, "azure", capsys)
    second, _ = opened(tracker, "azure", capsys)
    esc_gcp, gcp_case = opened(tracker, "gcp", capsys)
    vendors.statuses[gcp_case] = "ACTION_REQUIRED"
    monkeypatch.delenv("ESCALATION_KIT_AZURE_TOKEN")
    reads = len(vendors.ops("azure.get"))
    assert main(["cases", "poll"]) == 2
    err = capsys.readouterr().err
    assert err.count("ESCALATION_KIT_AZURE_TOKEN") == 1 and "skipped" in err
    assert len(vendors.ops("azure.get")) == reads and statuses(tracker, first) == statuses(tracker, second) == []
    assert statuses(tracker, esc_gcp) == [("NEW", "ACTION_REQUIRED")]
