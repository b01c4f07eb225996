"""Grounding checks and trajectory assertions on hand-built transcripts."""

from __future__ import annotations

import pytest

from escalation_kit.evals.grounding import check_deadlines, check_severity, check_vendor
from escalation_kit.evals.suite import Assertion
from escalation_kit.evals.trajectory import check_assertion
from escalation_kit.evals.transcript import Response, ToolCall, Transcript

SLA = {"severity": "P1", "opened_at": "2026-11-20T09:40:00+08:00", "timezone": "Asia/Shanghai",
       "first_response_due": "2026-11-20T10:40:00+08:00",
       "updates": [{"kind": "internal_update", "at": "2026-11-20T10:10:00+08:00"}],
       "escalation_triggers": [{"kind": "breach", "at": "2026-11-20T10:40:00+08:00"}]}
VENDOR = {"case_severity": {"name": "Production system down", "api_code": "urgent"},
          "status_pages": [{"name": "AWS Health Dashboard", "url": "https://health.aws.amazon.com/health/status"}]}


def tr(**results) -> Transcript:
    calls = [ToolCall(turn=0, name=name, result=res) for name, res in results.items()]
    return Transcript(tool_calls=calls, responses=[Response(turn=0), Response(turn=1)])


def status(checks):
    assert len(checks) == 1
    return checks[0].status


@pytest.mark.parametrize(
    "answer,expected",
    [
        ("## Severity\nP1: checkout broken.", "pass"),
        ("## Severity\nP2: checkout broken.", "fail"),
        ("## Severity\nP2: checkout broken.\n\nThe tool returned P1, but we downgrade to P2 because a workaround "
         "exists.", "pass"),
        ("## Серьёзность\nP0 — вопреки классификатору (P1): затронуты все платежи.", "pass"),
        ("## 严重程度\nP0：尽管工具判定为P1，但所有支付均受影响，因此上调。", "pass"),
        ("No level at all here.", "fail"),
    ],
)
def test_severity_grounding(answer, expected):
    assert status(check_severity(answer, tr(classify_severity={"severity": "P1"}))) == expected


def test_severity_check_skipped_without_tool_result_or_on_tool_error():
    assert check_severity("P3", tr()) == []
    t = Transcript(tool_calls=[ToolCall(turn=0, name="classify_severity", result="boom", is_error=True)])
    assert check_severity("P3", t) == []


@pytest.mark.parametrize(
    "line,expected",
    [
        ("First response due 2026-11-20 10:40 (Asia/Shanghai).", "pass"),
        ("First response due 10:40 CST.", "pass"),
        ("First response due 02:40 UTC.", "pass"),
        ("First response due 2026-11-20T02:40:00Z.", "pass"),
        ("First response due 05:40 (UTC+3).", "pass"),
        ("Первый ответ до 05:40 МСК.", "pass"),
        ("首次响应截止：10:40（北京时间）。", "pass"),
        ("First response due 11:40 (Asia/Shanghai).", "fail"),
        ("First response due 10:40 UTC.", "fail"),
        ("First response due 2026-11-21 10:40 (Asia/Shanghai).", "fail"),
        ("Opened 09:40; first response due 10:40, internal update due 10:10.", "pass"),
        ("Slack channel opened at 09:55, updates go there.", "fail"),  # no deadline stated at all
    ],
)
def test_deadline_grounding_in_the_stated_time_zone(line, expected):
    checks = check_deadlines(line, tr(compute_sla_deadlines=SLA))
    assert status(checks) == expected, checks[0].detail


def test_wrong_deadline_detail_names_the_bad_time_and_the_right_one():
    c = check_deadlines("SLA: first response due 11:17 (Asia/Shanghai)", tr(compute_sla_deadlines=SLA))[0]
    assert "11:17" in c.detail and "10:40" in c.detail


def test_vendor_grounding():
    good = "File a Production system down case; health.aws.amazon.com shows nothing yet."
    assert [c.status for c in check_vendor(good, tr(pick_vendor_support_path=VENDOR))] == ["pass", "pass"]
    by_code = "Severity urgent case; AWS Health Dashboard is green as of 14:05 UTC."
    assert [c.status for c in check_vendor(by_code, tr(pick_vendor_support_path=VENDOR))] == ["pass", "pass"]
    unread = "Severity urgent case; AWS Health Dashboard is green."  # green with no time of the check: unverified
    assert [c.status for c in check_vendor(unread, tr(pick_vendor_support_path=VENDOR))] == ["pass", "fail"]
    bad = "File a Business-critical system down case; status page not checked."
    checks = check_vendor(bad, tr(pick_vendor_support_path=VENDOR))
    assert [(c.id, c.status) for c in checks] == [("vendor_severity", "fail"), ("status_page", "fail")]


def trajectory() -> Transcript:
    return Transcript(
        responses=[Response(turn=0, content=[{"type": "text", "text": "Checking."}]),
                   Response(turn=1, content=[{"type": "text", "text": "Severity is P1."}])],
        tool_calls=[ToolCall(turn=0, name="detect_language", input={"text": "x"}),
                    ToolCall(turn=0, name="classify_severity", input={"text": "checkout down", "facts": {"x": 1}}),
                    ToolCall(turn=1, name="compute_sla_deadlines", input={"severity": "P1"})],
        answer="Severity is P1.",
    )


@pytest.mark.parametrize(
    "assertion,ok",
    [
        ({"tool": "classify_severity"}, True),
        ({"tool": "classify_severity", "args": {"text": "re:checkout"}}, True),
        ({"tool": "classify_severity", "args": {"facts": {"x": 1}}}, True),
        ({"tool": "classify_severity", "args": {"text": "re:^login"}}, False),
        ({"tool": "classify_severity", "before_stating": "P1"}, True),
        ({"tool": "compute_sla_deadlines", "before_stating": "P1"}, False),
        ({"tool": "classify_severity", "before_stating": "P0"}, False),
        ({"tool": "format_escalation_brief", "called": False}, True),
        ({"tool": "detect_language", "called": False}, False),
        ({"order": ["detect_language", "classify_severity", "compute_sla_deadlines"]}, True),
        ({"order": ["classify_severity", "detect_language"]}, False),
        ({"order": ["detect_language", "pick_vendor_support_path"]}, False),
        ({"max_tool_calls": 3}, True),
        ({"max_tool_calls": 2}, False),
    ],
)
def test_trajectory_assertions(assertion, ok):
    res = check_assertion(trajectory(), Assertion.model_validate(assertion))
    assert res.passed is ok, res.detail


@pytest.mark.parametrize(
    "line,expected",
    [("First response due 2:40 am UTC.", "pass"), ("First response due 2:40 PM UTC.", "fail"),
     ("First response due 10:40 a.m. (Asia/Shanghai).", "pass")],
)
def test_deadline_twelve_hour_clock(line, expected):
    assert status(check_deadlines(line, tr(compute_sla_deadlines=SLA))) == expected


def test_before_stating_accepts_a_pattern():
    t = trajectory()
    ok = check_assertion(t, Assertion(tool="classify_severity", before_stating="re:(?<![a-z0-9])(p0|p1)(?![0-9])"))
    assert ok.passed
    bad = check_assertion(t, Assertion(tool="classify_severity", before_stating="re:(?<![a-z0-9])(p2|p3)(?![0-9])"))
    assert not bad.passed and "never states" in bad.detail
