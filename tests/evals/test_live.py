"""The live path against a local fake Messages API: real SDK, real HTTP; tools in-process or the real MCP server."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from escalation_kit.cli.main import main
from escalation_kit.evals.live.conversation import LiveOptions
from escalation_kit.evals.live.run import run_live
from escalation_kit.evals.suite import load_suite
from escalation_kit.evals.transcript import Transcript
from escalation_kit.language import script_language
from fakes.fake_anthropic import FakeAnthropic
from fakes.scripted import ScriptedModel

KEY = "test-key"
CANNED = {
    "detect_language": {"language": "en", "answer_language": "en", "confidence": 0.9, "mixed": False,
                        "evidence": {"script_shares": {}, "prose_letters": 10}},
    "classify_severity": {"severity": "P1", "confidence": 0.8, "decided_by": "r1", "rationale": "x"},
    "pick_vendor_support_path": {"vendor": "aws", "vendor_name": "Amazon Web Services",
                                 "case_severity": {"name": "Production system down", "api_code": "urgent"},
                                 "status_pages": [{"name": "AWS Health Dashboard",
                                                   "url": "https://health.aws.amazon.com/health/status"}],
                                 "escalation": [{"role": "Technical Account Manager (TAM)"}]},
    "compute_sla_deadlines": {"severity": "P1", "opened_at": "2026-11-20T09:40:00+00:00", "timezone": "UTC",
                              "first_response_due": "2026-11-20T10:40:00+00:00",
                              "updates": [{"kind": "internal_update", "at": "2026-11-20T10:10:00+00:00"}],
                              "escalation_triggers": []},
}


class CannedTools:
    """In-process tool session with fixed results (the MCP server is tested separately below)."""

    def __init__(self, results: dict[str, Any] | None = None) -> None:
        self.results = results or CANNED
        self.calls: list[tuple[str, dict]] = []

    async def list_tools(self) -> list[dict[str, Any]]:
        return [{"name": n, "description": n, "input_schema": {"type": "object"}} for n in self.results]

    async def call_tool(self, name: str, args: dict[str, Any]) -> tuple[Any, bool]:
        self.calls.append((name, args))
        if name == "detect_language":  # like the real tool: the reporter's language, from the text
            lang = script_language(args["text"].split("\n\n")[0])
            return {**self.results[name], "language": lang, "answer_language": lang}, False
        return self.results[name], False


def make_suite(tmp_path: Path, n: int = 2, langs=("en", "ru")) -> Path:
    texts = {"en": "Checkout API returns 500 for 40% of orders", "ru": "Оформление заказа падает у 40% клиентов",
             "zh": "结账接口约40%的订单失败"}
    cases = [{"id": f"live-{i}-{langs[i % len(langs)]}", "skill": "incident-triage",
              "language": langs[i % len(langs)], "incident": f"{texts[langs[i % len(langs)]]} (#{i})",
              "vendor": "aws", "opened_at": "2026-11-20T09:40:00+00:00", "timezone": "UTC",
              "assertions": [{"order": ["detect_language", "classify_severity"]},
                             {"tool": "compute_sla_deadlines", "args": {"vendor": "aws"}}]}
             for i in range(n)]
    folder = tmp_path / "suite"
    folder.mkdir()
    (folder / "cases.yaml").write_text(yaml.safe_dump(cases, allow_unicode=True), encoding="utf-8")
    return folder


def opts(fake: FakeAnthropic, tmp_path: Path, **kw) -> LiveOptions:
    base = {"model": "claude-fake", "base_url": fake.url, "api_key": KEY, "cache_dir": tmp_path / "cache",
            "transcripts_dir": tmp_path / "tr", "backoff_base": 0.01, "batch_poll_s": 0.01}
    return LiveOptions(**{**base, **kw})


def run(suite_dir: Path, o: LiveOptions, tools=None):
    return asyncio.run(run_live(load_suite(str(suite_dir)), o, session=tools or CannedTools()))


def message_posts(fake: FakeAnthropic) -> list[dict]:
    return [r for r in fake.requests if r["path"] == "/v1/messages"]


def test_live_loop_grades_grounded_answers_and_records_everything(tmp_path):
    suite = make_suite(tmp_path)
    with FakeAnthropic(ScriptedModel(), api_key=KEY) as fake:
        report = run(suite, opts(fake, tmp_path))
    assert [c.passed for c in report.cases] == [True, True], [c.trials[0].failures for c in report.cases]
    grade = report.cases[0].trials[0].grade
    assert {c.id for c in grade.checks} >= {"severity", "deadline", "vendor_severity", "status_page", "language"}
    assert len(message_posts(fake)) == 6  # 3 turns x 2 cases
    assert all(r["headers"]["authorization"] == f"Bearer {KEY}" for r in fake.requests)
    first = message_posts(fake)[0]["body"]
    assert first["temperature"] == 0 and "Response minimum" in first["system"]
    assert {t["name"] for t in first["tools"]} == set(CANNED)
    t = Transcript.load(tmp_path / "tr" / "live-1-ru__t0.jsonl")
    assert [c.name for c in t.tool_calls] == list(CANNED)
    assert t.tool_calls[1].result["severity"] == "P1" and t.usage.input_tokens > 0
    assert t.answer.count("\n## ") >= 5 and t.meta["model"] == "claude-fake"
    assert report.cases[0].trials[0].cost_usd > 0


def test_cache_replays_successes_and_is_keyed_by_trial(tmp_path):
    suite = make_suite(tmp_path, n=1)
    with FakeAnthropic(ScriptedModel(), api_key=KEY) as fake:
        run(suite, opts(fake, tmp_path, trials=2))
        assert len(message_posts(fake)) == 6  # 2 trials are 2 independent samples
        again = run(suite, opts(fake, tmp_path, trials=2))
        assert len(message_posts(fake)) == 6  # all replayed from the cache
        assert again.cases[0].trials[0].cached_turns == 3 and again.cases[0].passed
        run(suite, opts(fake, tmp_path, trials=2, model="claude-fake-2"))
        assert len(message_posts(fake)) == 12  # model is part of the key


def test_errors_are_not_cached_and_failed_runs_are_harness_errors(tmp_path):
    suite = make_suite(tmp_path, n=1)
    with FakeAnthropic(ScriptedModel(), api_key=KEY) as fake:
        fake.inject.append((500, {}))
        report = run(suite, opts(fake, tmp_path, max_retries=0))
        assert report.cases[0].errored and "500" in report.cases[0].trials[0].error
        assert not list((tmp_path / "cache").glob("*.json"))
        report = run(suite, opts(fake, tmp_path, max_retries=0))
        assert report.cases[0].passed and len(list((tmp_path / "cache").glob("*.json"))) == 3


def test_retry_honours_retry_after(tmp_path):
    suite = make_suite(tmp_path, n=1)
    with FakeAnthropic(ScriptedModel(), api_key=KEY) as fake:
        fake.inject.extend([(429, {"retry-after": "0.3"}), (529, {"retry-after-ms": "100"})])
        t0 = time.perf_counter()
        report = run(suite, opts(fake, tmp_path, backoff_base=0.0))
        took = time.perf_counter() - t0
    trial = report.cases[0].trials[0]
    assert trial.retries == 2 and report.cases[0].passed
    assert took >= 0.4  # 0.3 s + 0.1 s from the headers; base back-off was set to zero


def test_auth_is_checked(tmp_path):
    suite = make_suite(tmp_path, n=1)
    with FakeAnthropic(ScriptedModel(), api_key="other") as fake:
        report = run(suite, opts(fake, tmp_path))
    assert report.cases[0].errored and "401" in report.cases[0].trials[0].error


def test_live_progress_counts_graded_passes(tmp_path):
    import io

    from escalation_kit.evals.progress import ProgressBar

    suite = make_suite(tmp_path, n=2)
    buf = io.StringIO()
    with FakeAnthropic(ScriptedModel(answer_lang="zh"), api_key=KEY) as fake:  # wrong language for en/ru cases
        report = asyncio.run(run_live(load_suite(str(suite)), opts(fake, tmp_path, cache_dir=None),
                                      session=CannedTools(), progress=ProgressBar("live", stream=buf, force=True)))
    assert not any(c.passed for c in report.cases)
    assert "2/2 passed 0 failed 2" in buf.getvalue()


def test_concurrency_is_bounded(tmp_path):
    suite = make_suite(tmp_path, n=8)
    in_flight, peak = 0, 0

    class SlowTools(CannedTools):
        async def call_tool(self, name, args):
            nonlocal in_flight, peak
            in_flight += 1
            peak = max(peak, in_flight)
            await asyncio.sleep(0.02)
            in_flight -= 1
            return await super().call_tool(name, args)

    with FakeAnthropic(ScriptedModel(), api_key=KEY) as fake:
        report = run(suite, opts(fake, tmp_path, concurrency=3, cache_dir=None), tools=SlowTools())
    assert all(c.passed for c in report.cases)
    # each conversation runs its tool calls one after another, so tool calls in flight = conversations in flight
    assert 1 < peak <= 3


def test_batch_mode_uses_message_batches_per_round(tmp_path):
    suite = make_suite(tmp_path, n=3, langs=("en", "ru", "zh"))
    with FakeAnthropic(ScriptedModel(), api_key=KEY, batch_polls=2) as fake:
        report = run(suite, opts(fake, tmp_path, batch=True, trials=2))
    assert not message_posts(fake)
    creates = [r for r in fake.requests if r["path"] == "/v1/messages/batches"]
    assert len(creates) == 3  # three rounds: tools, tools, answer
    assert [len(r["body"]["requests"]) for r in creates] == [6, 6, 6]
    assert report.mode == "batch" and all(c.passed for c in report.cases), [
        t.failures for c in report.cases for t in c.trials]
    assert all(len(c.trials) == 2 for c in report.cases)


@pytest.fixture
def calibrated_judge(monkeypatch):
    """Pretend the default judge model passed calibration, so its verdicts gate (the gate is tested elsewhere)."""
    import escalation_kit.evals.judge_gate as cal
    from escalation_kit.evals.live.conversation import DEFAULT_JUDGE_MODEL

    good = {lang: {"kappa": 0.9} for lang in ("en", "ru", "zh")}
    monkeypatch.setattr(cal, "judge_calibration", lambda: {"models": {DEFAULT_JUDGE_MODEL: good}})


def test_judge_verdicts_need_quoted_evidence_and_parse_failures_are_unscored(tmp_path, calibrated_judge):
    suite = make_suite(tmp_path, n=1)
    for mode, status in (("quote", "pass"), ("fake_quote", "unscored"), ("garbage", "unscored")):
        with FakeAnthropic(ScriptedModel(judge_mode=mode), api_key=KEY) as fake:
            report = run(suite, opts(fake, tmp_path, judge=True, cache_dir=None))
        checks = [c for c in report.cases[0].trials[0].grade.checks if c.kind == "judge"]
        assert len(checks) == 6 and {c.status for c in checks} == {status}, mode
        assert report.cases[0].passed is (status == "pass")
        judge_bodies = [r["body"] for r in message_posts(fake) if r["body"].get("tool_choice")]
        assert all(b["temperature"] == 0 for b in judge_bodies)


def test_judge_in_batch_mode_sends_one_batch_of_item_verdicts(tmp_path, calibrated_judge):
    suite = make_suite(tmp_path, n=2)
    with FakeAnthropic(ScriptedModel(), api_key=KEY) as fake:
        report = run(suite, opts(fake, tmp_path, judge=True, batch=True, cache_dir=None))
    creates = [r["body"]["requests"] for r in fake.requests if r["path"] == "/v1/messages/batches"]
    assert len(creates) == 4  # three conversation rounds, then one batch with every judge call
    judge = creates[-1]
    assert len(judge) == 2 * 6 and all(r["params"]["tool_choice"]["name"] == "record_verdict" for r in judge)
    assert all(r["params"]["temperature"] == 0 for r in judge)
    for case in report.cases:
        checks = [c for c in case.trials[0].grade.checks if c.kind == "judge"]
        assert len(checks) == 6 and all(c.status == "pass" for c in checks)


def _server_problem() -> str | None:
    """Why the real MCP server cannot run here (None when it can): module missing or failing to build."""
    if importlib.util.find_spec("escalation_kit.mcp.server") is None:
        return "escalation_kit.mcp.server is not importable (MCP server not merged)"
    try:
        from escalation_kit.mcp.server import build_server

        build_server()
    except Exception as exc:  # e.g. a module it registers has not landed yet
        return f"the MCP server does not build yet: {type(exc).__name__}: {exc}"
    return None


SERVER_PROBLEM = _server_problem()


@pytest.mark.integration
@pytest.mark.skipif(SERVER_PROBLEM is not None, reason=str(SERVER_PROBLEM))
def test_end_to_end_cli_with_real_mcp_server_over_stdio(tmp_path, monkeypatch):
    """escalation-kit eval run --live: real SDK -> fake API, real MCP server subprocess, real grading."""
    suite = make_suite(tmp_path, n=2)
    out = tmp_path / "out"
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    with FakeAnthropic(ScriptedModel(), api_key=KEY) as fake:
        code = main(["eval", "run", str(suite), "--live", "--base-url", fake.url, "--model", "claude-fake",
                     "--out", str(out), "--no-cache", "--concurrency", "2", "--no-progress"])
        tools_offered = {t["name"] for t in message_posts(fake)[0]["body"]["tools"]}
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert tools_offered >= {"detect_language", "classify_severity", "compute_sla_deadlines",
                             "pick_vendor_support_path", "format_escalation_brief"}
    t = Transcript.load(next((out / "transcripts").glob("live-0-*.jsonl")))
    assert [c.name for c in t.tool_calls][:2] == ["detect_language", "classify_severity"]
    assert all(c.result is not None for c in t.tool_calls)  # structured result or the tool's error text
    items = data["cases"][0]["trials"][0]["grade"]["items"]
    assert all(i["passed"] for i in items), items
    assert code == 0, data["cases"]
    # the same through Message Batches: one batch per round, no direct /v1/messages calls
    with FakeAnthropic(ScriptedModel(), api_key=KEY) as fake:
        code = main(["eval", "run", str(suite), "--batch", "--base-url", fake.url, "--model", "claude-fake",
                     "--out", str(tmp_path / "batch"), "--no-cache", "--no-progress", "--batch-poll", "0.05"])
        paths = [r["path"] for r in fake.requests]
    assert code == 0 and "/v1/messages" not in paths and paths.count("/v1/messages/batches") == 3


def test_cli_live_without_api_key_is_a_harness_error(tmp_path, monkeypatch, capsys):
    suite = make_suite(tmp_path, n=1)
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    code = main(["eval", "run", str(suite), "--live", "--out", str(tmp_path / "o"), "--no-progress"])
    assert code == 3
    assert "ANTHROPIC_API_KEY" in capsys.readouterr().err


def test_progress_bar_draws_on_stderr(tmp_path):
    import io

    from escalation_kit.evals.progress import ProgressBar

    buf = io.StringIO()
    bar = ProgressBar("eval x", stream=buf, force=True, width=10)
    bar(5, 10, 4)
    bar(10, 10, 9)
    out = buf.getvalue()
    assert "[#####.....] 5/10 passed 4 failed 1" in out and out.endswith("\n")
    quiet = io.StringIO()
    ProgressBar("eval x", stream=quiet)(1, 2, 1)  # not a terminal, not forced: silent
    assert quiet.getvalue() == ""


def test_refusals_are_graded_but_never_cached(tmp_path):
    suite = make_suite(tmp_path, n=1)

    def refuse(body):
        return {"content": [{"type": "text", "text": "I can't help with that."}], "stop_reason": "refusal"}

    with FakeAnthropic(refuse, api_key=KEY) as fake:
        report = run(suite, opts(fake, tmp_path))
    trial = report.cases[0].trials[0]
    assert not trial.error and not trial.passed and "item:classification" in trial.failures
    assert not list((tmp_path / "cache").glob("*.json"))


def test_a_model_that_never_answers_stops_at_max_turns(tmp_path):
    suite = make_suite(tmp_path, n=1)

    def loop_forever(body):
        return {"content": [{"type": "tool_use", "id": f"t{len(body['messages'])}", "name": "classify_severity",
                             "input": {"text": "x"}}], "stop_reason": "tool_use"}

    with FakeAnthropic(loop_forever, api_key=KEY) as fake:
        report = run(suite, opts(fake, tmp_path, max_turns=3, cache_dir=None))
    trial = report.cases[0].trials[0]
    assert trial.error == "no final answer after 3 model turns" and len(message_posts(fake)) == 3
