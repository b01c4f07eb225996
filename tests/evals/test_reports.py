"""Reports, statistics and the ``eval run`` command's exit codes (offline)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from escalation_kit.cli.main import main
from escalation_kit.evals.compare import compare, fisher_exact, mcnemar_exact
from escalation_kit.evals.results import CaseResult, RunReport, TrialResult
from escalation_kit.evals.suite import load_suite


def report(outcomes: dict[str, list[bool]], errors: set[str] = frozenset()) -> RunReport:
    cases = [CaseResult(id=cid, skill="incident-triage" if i % 2 else "vendor-escalation",
                        language=("en", "ru", "zh")[i % 3],
                        trials=[TrialResult(trial=t, passed=ok, error="boom" if cid in errors else None)
                                for t, ok in enumerate(oks)])
             for i, (cid, oks) in enumerate(outcomes.items())]
    return RunReport(suite="t", mode="live", started_at="2026-11-22T00:00:00+00:00", cases=cases, trials=2)


def test_pass_rate_and_pass_hat_k():
    c = CaseResult(id="a", skill="s", language="en",
                   trials=[TrialResult(passed=p) for p in (True, True, False, True)])
    assert c.pass_rate == 0.75
    assert c.pass_hat_k() == 0.0  # k = n: all four must pass
    assert c.pass_hat_k(2) == pytest.approx(3 / 6)  # C(3,2)/C(4,2)
    assert not c.passed


def test_fisher_exact_matches_known_values():
    # Classic tea-tasting table: [[3,1],[1,3]] two-sided p = 0.4857
    assert fisher_exact(3, 1, 1, 3) == pytest.approx(0.4857, abs=1e-4)
    assert fisher_exact(5, 0, 0, 5) == pytest.approx(2 / 252, abs=1e-9)
    assert fisher_exact(1, 0, 1, 0) == 1.0


def test_mcnemar_exact():
    assert mcnemar_exact(0, 0) == 1.0
    assert mcnemar_exact(6, 0) == pytest.approx(2 / 64)
    assert mcnemar_exact(5, 5) == 1.0
    assert mcnemar_exact(1, 0) == 1.0


def test_compare_flags_only_significant_regressions():
    base = report({f"c{i}": [True] * 5 for i in range(8)}).to_json()
    one_flip = report({**{f"c{i}": [True] * 5 for i in range(7)}, "c7": [True, True, True, True, False]})
    cmp = compare(one_flip, base)
    assert cmp["regressed"] == 1 and not cmp["regression"]
    collapse = report({**{f"c{i}": [True] * 5 for i in range(7)}, "c7": [False] * 5})
    cmp = compare(collapse, base)
    row = next(r for r in cmp["cases"] if r["id"] == "c7")
    assert row["significant"] and row["fisher_p"] < 0.05 and cmp["regression"]
    many = report({f"c{i}": [False] for i in range(8)})
    base1 = report({f"c{i}": [True] for i in range(8)}).to_json()
    cmp = compare(many, base1)
    assert cmp["mcnemar_p"] < 0.05 and cmp["regression"]
    assert not any(r["significant"] for r in cmp["cases"])  # one trial each: only McNemar can see it


def test_junit_markdown_html(tmp_path):
    from escalation_kit.evals.report import write_reports

    r = report({"a": [True, True], "b": [False, True], "c": [True, True]}, errors={"c"})
    paths = write_reports(r, tmp_path)
    root = ET.parse(paths["junit"]).getroot()
    cases = {tc.get("name"): tc for tc in root.iter("testcase")}
    assert cases["a"].find("failure") is None and cases["b"].find("failure") is not None
    assert cases["c"].find("error") is not None
    md = paths["markdown"].read_text(encoding="utf-8")
    assert "1/3 cases passed" in md and "| b |" in md
    page = paths["html"].read_text(encoding="utf-8")
    assert "<svg" in page and "<script" not in page
    assert page.count("<rect") >= 3 + 3  # one bar per skill/language cell plus the legend
    data = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert data["totals"]["errored"] == 1 and data["cases"][1]["pass_rate"] == 0.5
    assert data["totals"]["mean_pass_hat_k"] == pytest.approx(1 / 3, abs=1e-3)  # only "a" passes both trials
    assert "mean pass^2" in md


def test_eval_run_offline_exit_codes(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["eval", "run", "core", "--out", str(out), "--no-progress"]) == 0
    baseline = out / "report.json"
    assert json.loads(baseline.read_text(encoding="utf-8"))["totals"]["failed"] == 0
    # break a good recording: the flawed copy must now fail that case (exit 1)
    suite = load_suite("core")
    copy = tmp_path / "suite"
    shutil.copytree(suite.path, copy)
    case = suite.cases[0]
    good = copy / case.recordings[0].file
    flawed = copy / next(r.file for r in case.recordings if r.expect == "fail")
    good.write_text(flawed.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["eval", "run", str(copy), "--out", str(tmp_path / "o2"), "--no-progress"]) == 1
    # unreadable recording: harness error (exit 3)
    good.write_text("{not json\n", encoding="utf-8")
    assert main(["eval", "run", str(copy), "--out", str(tmp_path / "o3"), "--no-progress"]) == 3
    assert main(["eval", "run", "no-such-suite"]) == 2
    capsys.readouterr()


def test_eval_run_regression_exit_code(tmp_path):
    """Against a baseline where every case passed, a suite where many now fail is a regression (exit 4)."""
    suite = load_suite("core")
    copy = tmp_path / "suite"
    shutil.copytree(suite.path, copy)
    base_out = tmp_path / "base"
    assert main(["eval", "run", str(copy), "--out", str(base_out), "--no-progress"]) == 0
    swapped = 0
    for case in suite.cases:
        good = next((r for r in case.recordings if r.expect == "pass"), None)
        bad = next((r for r in case.recordings if r.expect == "fail" and r.failures), None)
        if good is None or bad is None:
            continue
        (copy / good.file).write_text((copy / bad.file).read_text(encoding="utf-8"), encoding="utf-8")
        swapped += 1
    assert swapped >= 20
    code = main(["eval", "run", str(copy), "--out", str(tmp_path / "new"), "--baseline", str(base_out),
                 "--no-progress"])
    assert code == 4
    data = json.loads((Path(tmp_path / "new") / "report.json").read_text(encoding="utf-8"))
    assert data["comparison"]["regressed"] == swapped
