"""Harness fixes of issue 13: baseline, cost of replays, retry-after limit, cache key, judge, Ctrl-C, view, record."""

from __future__ import annotations

import asyncio
import json
import shutil
import time

import pytest

from escalation_kit.cli.main import main
from escalation_kit.evals.cache import ResponseCache
from escalation_kit.evals.live.conversation import DEFAULT_JUDGE_MODEL, LiveOptions
from escalation_kit.evals.live.run import run_live
from escalation_kit.evals.runner import run_offline
from escalation_kit.evals.suite import load_suite
from evals.test_live import KEY, CannedTools, make_suite, message_posts, opts
from fakes.fake_anthropic import FakeAnthropic
from fakes.scripted import ScriptedModel


def test_baseline_with_no_matching_case_is_a_usage_error(tmp_path, capsys):
    other = tmp_path / "other"
    assert main(["eval", "run", "handwritten", "--out", str(other), "--no-progress"]) == 0
    code = main(["eval", "run", "gold", "--out", str(tmp_path / "o"), "--baseline", str(other), "--no-progress"])
    assert code == 2
    assert "no case in common" in capsys.readouterr().err


def test_offline_judge_and_trials_say_they_do_nothing(tmp_path, capsys):
    assert main(["eval", "run", "handwritten", "--judge", "--trials", "3", "--out", str(tmp_path),
                 "--no-progress"]) == 0
    err = capsys.readouterr().err
    assert "--judge does nothing offline" in err and "--trials does nothing offline" in err


def test_error_count_is_not_doubled(tmp_path, capsys):
    copy = tmp_path / "suite"
    shutil.copytree(load_suite("handwritten").path, copy)
    first = sorted((copy / "transcripts").glob("*.jsonl"))[0]
    first.write_text("{broken\n", encoding="utf-8")
    assert main(["eval", "run", str(copy), "--out", str(tmp_path / "o"), "--no-progress"]) == 3
    out = capsys.readouterr().out
    assert ", 1 errors;" in out, out


def test_ctrl_c_offline_writes_a_partial_report(tmp_path):
    suite = load_suite("gold")

    def progress(n, total, passed):
        if n == 5:
            raise KeyboardInterrupt

    report = run_offline(suite, progress=progress)
    assert report.interrupted and len(report.cases) == 5
    assert any("interrupted" in e for e in report.harness_errors)


def test_cache_key_covers_endpoint_and_every_parameter():
    base = {"model": "m", "max_tokens": 10, "messages": [], "tool_choice": {"type": "auto"}}
    k = ResponseCache.key(base, 0, "http://a")
    assert k != ResponseCache.key(base, 0, "http://b")
    assert k != ResponseCache.key({**base, "tool_choice": {"type": "any"}}, 0, "http://a")
    assert k != ResponseCache.key({**base, "top_k": 5}, 0, "http://a")
    assert k == ResponseCache.key(dict(reversed(list(base.items()))), 0, "http://a")


def test_cached_replays_cost_nothing(tmp_path):
    suite = make_suite(tmp_path, n=1)
    with FakeAnthropic(ScriptedModel(), api_key=KEY) as fake:
        first = asyncio.run(run_live(load_suite(str(suite)), opts(fake, tmp_path), session=CannedTools()))
        again = asyncio.run(run_live(load_suite(str(suite)), opts(fake, tmp_path), session=CannedTools()))
    assert first.cases[0].trials[0].cost_usd > 0
    assert again.cases[0].trials[0].cached_turns == 3 and again.cases[0].trials[0].cost_usd == 0


def test_retry_after_above_30s_is_honoured_up_to_the_limit(tmp_path):
    suite = make_suite(tmp_path, n=1)
    with FakeAnthropic(ScriptedModel(), api_key=KEY) as fake:
        fake.inject.append((429, {"retry-after": "0.6"}))
        t0 = time.perf_counter()
        report = asyncio.run(run_live(load_suite(str(suite)), opts(fake, tmp_path, backoff_cap=0.1, cache_dir=None),
                                      session=CannedTools()))
        assert time.perf_counter() - t0 >= 0.6  # the header wins over the (lowered) 30 s back-off cap
        assert report.cases[0].passed
        fake.inject.append((429, {"retry-after": "600"}))
        report = asyncio.run(run_live(load_suite(str(suite)), opts(fake, tmp_path, cache_dir=None),
                                      session=CannedTools()))
    assert report.cases[0].errored and "300 s limit" in report.cases[0].trials[0].error


def test_judge_is_a_separate_model_sees_incident_and_tools_and_is_cached(tmp_path):
    suite = make_suite(tmp_path, n=1)
    with FakeAnthropic(ScriptedModel(), api_key=KEY) as fake:
        o = opts(fake, tmp_path, judge=True, judge_model="claude-judge")
        asyncio.run(run_live(load_suite(str(suite)), o, session=CannedTools()))
        judge = [r["body"] for r in message_posts(fake) if r["body"].get("tool_choice")]
        assert judge and all(b["model"] == "claude-judge" for b in judge)
        prompt = judge[0]["messages"][0]["content"]
        assert "<incident>" in prompt and "classify_severity" in prompt and "Production system down" in prompt
        n = len(message_posts(fake))
        asyncio.run(run_live(load_suite(str(suite)), o, session=CannedTools()))
        assert len(message_posts(fake)) == n  # conversation and judge calls all replayed from the cache
    assert LiveOptions(model="x").judge_model == DEFAULT_JUDGE_MODEL != "claude-sonnet-4-5"


def test_eval_view_shows_transcripts_and_verdicts(tmp_path, capsys):
    out = tmp_path / "rep"
    assert main(["eval", "run", "gold", "--case", "gold-it-en", "--out", str(out), "--no-progress"]) == 0
    assert main(["eval", "view", str(out)]) == 0
    page = (out / "view.html").read_text(encoding="utf-8")
    assert "gold-it-en/good" in page and "tool classify_severity" in page and "item:evidence" in page
    assert "To be determined once the investigation completes" in page  # the placeholder answer is shown
    assert "placeholder" in page.lower() and "<script" not in page
    assert main(["eval", "view", str(tmp_path / "missing")]) == 2


def _browser() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.mark.integration
@pytest.mark.skipif(_browser() is None, reason="no headless browser on this machine")
def test_eval_view_renders_in_a_headless_browser(tmp_path):
    import subprocess

    out = tmp_path / "rep"
    assert main(["eval", "run", "gold", "--case", "gold-ve-zh", "--out", str(out), "--no-progress"]) == 0
    main(["eval", "view", str(out)])
    shot = tmp_path / "view.png"
    subprocess.run([_browser(), "--headless", "--disable-gpu", "--no-sandbox", f"--screenshot={shot}",
                    "--window-size=1200,1600", (out / "view.html").as_uri()], check=True, timeout=60,
                   capture_output=True)
    assert shot.is_file() and shot.stat().st_size > 10_000


def test_eval_record_saves_a_live_transcript_into_the_suite(tmp_path, monkeypatch):
    suite_dir = make_suite(tmp_path, n=1)
    import escalation_kit.evals.live.run as live_run

    real = live_run.run_live

    async def with_canned_tools(suite, o, **kw):
        kw["session"] = CannedTools()
        return await real(suite, o, **kw)

    monkeypatch.setattr(live_run, "run_live", with_canned_tools)
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    with FakeAnthropic(ScriptedModel(), api_key=KEY) as fake:
        code = main(["eval", "record", str(suite_dir), "live-0-en", "--model", "claude-fake", "--base-url", fake.url])
    assert code == 0
    suite = load_suite(str(suite_dir))
    rec = suite.cases[0].recordings[-1]
    assert rec.file == "transcripts/live-0-en.live-1.jsonl" and "UNREVIEWED" in rec.note
    assert (suite_dir / rec.file).is_file()
    assert json.loads((suite_dir / rec.file).read_text().splitlines()[0])["event"] == "meta"


def test_cohen_kappa_and_the_judge_gate():
    from escalation_kit.evals.calibration import cohen_kappa, gate

    assert cohen_kappa([(True, True), (False, False)] * 5) == 1.0
    assert cohen_kappa([(True, False), (False, True)] * 5) == -1.0
    assert cohen_kappa([(False, False), (False, True)]) is None  # one label class: undefined
    # 20 pairs, 17 agree; labels 10/10, verdicts 11 pass: kappa = (0.85 - 0.5) / 0.5 = 0.7
    pairs = [(True, True)] * 9 + [(True, False)] + [(False, True)] * 2 + [(False, False)] * 8
    assert abs(cohen_kappa(pairs) - 0.7) < 1e-9
    calibrated = {"en": {"kappa": 0.8}, "ru": {"kappa": 0.7}, "zh": {"kappa": 0.65}}
    ok, why = gate("judge-x", {"models": {"judge-x": calibrated}})
    assert ok, why
    weak_ru = {"en": {"kappa": 0.8}, "ru": {"kappa": 0.4}, "zh": {"kappa": 0.9}}
    ok, why = gate("judge-x", {"models": {"judge-x": weak_ru}})
    assert not ok and "ru" in why
    assert not gate("never-calibrated", {})[0]


def test_uncalibrated_judge_is_reported_but_does_not_decide(tmp_path):
    suite = make_suite(tmp_path, n=1)
    with FakeAnthropic(ScriptedModel(judge_mode="fail"), api_key=KEY) as fake:
        report = asyncio.run(run_live(load_suite(str(suite)), opts(fake, tmp_path, judge=True, cache_dir=None),
                                      session=CannedTools()))
    checks = [c for c in report.cases[0].trials[0].grade.checks if c.kind == "judge"]
    assert checks and all(c.status == "skipped" and "not gating" in c.detail for c in checks)
    assert report.cases[0].passed  # the deterministic grade decides


def test_deterministic_grader_agreement_on_the_labelled_set():
    """The figures in evals/README.md: at least 120 labelled answers, kappa >= 0.8 on gold in every language."""
    from escalation_kit.evals.calibration import deterministic_agreement

    figures, rows = deterministic_agreement()
    assert len(rows) >= 120 and {lab.language for lab, _ in rows} == {"en", "ru", "zh"}
    for lang in ("en", "ru", "zh"):
        assert figures["gold (hand labels)"][lang]["kappa"] >= 0.8, figures
        assert figures["all answers"][lang]["accuracy"] >= 0.9, figures


def test_judge_calibration_replays_recorded_outputs_through_the_fake_api(tmp_path, monkeypatch, capsys):
    """`eval calibrate --judge`: the judge's verdicts (here replayed from a recording) give kappa per language."""
    import escalation_kit.evals.judge_gate as cal
    from escalation_kit.evals.calibration import labelled_set

    # A "recording" of judge outputs: for each answer, the verdict a perfect judge would give (its label).
    labels = {lab.id: lab.label for lab, _, _ in labelled_set()[:12]}
    answers = {tr.answer: labels[lab.id] for lab, tr, _ in labelled_set()[:12]}

    def recorded(body):
        prompt = body["messages"][0]["content"]
        answer = prompt.split("<answer>\n", 1)[1].rsplit("\n</answer>", 1)[0]
        ok = answers[answer]
        quote = next(ln for ln in answer.splitlines() if ln.strip())[:40]
        return {"content": [{"type": "tool_use", "id": "toolu_1", "name": "record_verdict",
                             "input": {"verdict": "pass" if ok else "fail", "evidence": quote}}],
                "stop_reason": "tool_use"}

    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    monkeypatch.setattr(cal, "evals_dir", lambda: tmp_path)
    (tmp_path / "grading").mkdir()
    with FakeAnthropic(recorded, api_key=KEY) as fake:
        code = main(["eval", "calibrate", "--judge", "--judge-model", "judge-x", "--base-url", fake.url,
                     "--cache-dir", str(tmp_path / "cache"), "--limit", "12", "--write", "--json"])
        assert code == 0
        calls = len(message_posts(fake))
        main(["eval", "calibrate", "--judge", "--judge-model", "judge-x", "--base-url", fake.url,
              "--cache-dir", str(tmp_path / "cache"), "--limit", "12", "--json"])
        assert len(message_posts(fake)) == calls  # replayed from the cache
    out = capsys.readouterr().out
    assert '"judge judge-x"' in out
    data = cal.judge_calibration()
    assert data["models"]["judge-x"]["all"]["accuracy"] == 1.0 and data["models"]["judge-x"]["all"]["n"] == 12
