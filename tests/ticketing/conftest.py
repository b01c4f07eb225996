"""A fresh tracker on a real SQLite file, and the Jira and ServiceNow stand-ins on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ticketing_support import SECRET, JiraState, ServiceNowState, jira_server, servicenow_server


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("ESCALATION_KIT_HOME", str(tmp_path))
    for name in ("ESCALATION_KIT_DB_URL", "ESCALATION_KIT_JIRA_URL", "ESCALATION_KIT_JIRA_USER",
                 "ESCALATION_KIT_JIRA_PROJECT", "ESCALATION_KIT_SERVICENOW_URL", "ESCALATION_KIT_SERVICENOW_USER",
                 "ESCALATION_KIT_SERVICENOW_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ESCALATION_KIT_JIRA_TOKEN", SECRET)
    monkeypatch.setenv("ESCALATION_KIT_SERVICENOW_PASSWORD", SECRET)
    return tmp_path




@pytest.fixture
def jira() -> Iterator[JiraState]:
    with jira_server() as state:
        yield state


@pytest.fixture
def snow() -> Iterator[ServiceNowState]:
    with servicenow_server() as state:
        yield state
