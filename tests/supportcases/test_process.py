"""The installed command end to end in its own process: credentials only from the environment, real SQLite file."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from escalation_kit.tracker import Tracker, open_store
from supportcases_support import SECRETS, VENDOR_FLAGS, open_record


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "escalation_kit", *args], env=env, capture_output=True, text=True,
                          timeout=60, check=False)


@pytest.mark.integration
def test_open_then_poll_in_a_separate_process_links_the_case_to_the_record(home, vendors):
    db = f"sqlite:///{home / 'cases.db'}"
    env = {**os.environ, "ESCALATION_KIT_DB_URL": db}
    tracker = Tracker(open_store(db))
    try:
        esc = open_record(tracker, "aws")
    finally:
        tracker.close()
    sent = run(["cases", "open", esc, *VENDOR_FLAGS["aws"], "--send"], env)
    assert sent.returncode == 0, sent.stderr
    case_id = json.loads(sent.stdout)["case_id"]
    vendors.statuses[case_id] = "pending-customer-action"
    polled = run(["cases", "poll"], env)
    assert polled.returncode == 0, polled.stderr
    assert not any(s in sent.stdout + sent.stderr + polled.stdout + polled.stderr for s in SECRETS)
    tracker = Tracker(open_store(db))
    try:
        kinds = [(e.kind, e.payload.get("status")) for e in tracker.events(esc)]
        assert kinds == [("created", None), ("vendor_case_filed", None),
                         ("vendor_case_status", "pending-customer-action"),
                         ("vendor_responded", "pending-customer-action")]
        assert tracker.get(esc).state.vendor_case_id == case_id and tracker.verify(esc)["ok"]
    finally:
        tracker.close()
    assert vendors.problems() == [] and len(vendors.ops("aws.create")) == 1
