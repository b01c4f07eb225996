"""The gold suite: hand-written answers, tool results from the engines, and the grader agrees with every label."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from escalation_kit.errors import InputError
from escalation_kit.evals.build import drift, load_source
from escalation_kit.evals.runner import grade_transcript
from escalation_kit.evals.suite import load_suite
from escalation_kit.evals.transcript import Transcript
from escalation_kit.skillpack.contracts import list_contract_skills

GOLD = load_suite("gold")
RECS = [(c, r) for c in GOLD.cases for r in c.recordings]


@pytest.mark.parametrize("case,rec", RECS, ids=[r.file.split("/")[-1] for _, r in RECS])
def test_gold_recording_grades_as_labelled(case, rec):
    grade = grade_transcript(Transcript.load(GOLD.transcript_path(rec)), case)
    details = [(i.id, i.reason) for i in grade.items if not i.passed] + [(c.id, c.detail) for c in grade.checks
                                                                          if not c.passed]
    if rec.expect == "pass":
        assert grade.passed, details
    else:
        assert sorted(grade.failures()) == sorted(rec.failures), details


def test_gold_covers_every_skill_in_three_languages_with_60_labelled_answers():
    pairs = Counter((c.skill, c.language) for c in GOLD.cases)
    assert {s for s, _ in pairs} == set(list_contract_skills())
    assert {(s, lang) for s in list_contract_skills() for lang in ("en", "ru", "zh")} <= set(pairs)
    assert len(RECS) >= 60
    assert all(r.note for _, r in RECS), "every answer carries its label"
    assert sum(r.expect == "pass" for _, r in RECS) >= 18 and sum(r.expect == "fail" for _, r in RECS) >= 30


def test_gold_tool_results_match_the_engines_now():
    """Re-run the engines: any drift means `escalation-kit eval build gold` and a review of the answers."""
    problems = drift(GOLD.path)
    assert problems == [], "\n".join(problems[:20])


def test_drift_is_reported(tmp_path):
    import shutil

    copy = tmp_path / "gold"
    shutil.copytree(GOLD.path, copy)
    first = sorted((copy / "transcripts").glob("*.jsonl"))[0]
    text = first.read_text(encoding="utf-8").replace('"first_response_due": "', '"first_response_due": "1999', 1)
    first.write_text(text, encoding="utf-8")
    problems = drift(copy)
    assert any(first.name in p and "first_response_due" in p for p in problems), problems


def test_source_and_cases_reject_unknown_keys(tmp_path):
    import shutil

    copy = tmp_path / "gold"
    shutil.copytree(GOLD.path, copy)
    data = yaml.safe_load((copy / "source.yaml").read_text(encoding="utf-8"))
    data["cases"][0]["answers"][0]["expcet"] = "pass"
    (copy / "source.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError, match="expcet"):
        load_source(copy)
    cases = yaml.safe_load((copy / "cases.yaml").read_text(encoding="utf-8"))
    cases["cases"][0]["recordings"][0]["expcet"] = "pass"
    (copy / "cases.yaml").write_text(yaml.safe_dump(cases, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError, match="expcet"):
        load_suite(str(copy))
    cases["cases"][0]["recordings"][0].pop("expcet")
    cases["version"] = 99
    (copy / "cases.yaml").write_text(yaml.safe_dump(cases, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError, match="version"):
        load_suite(str(copy))


def test_transcript_rejects_unknown_event_and_key():
    with pytest.raises(InputError, match="unknown event"):
        Transcript.from_jsonl('{"event": "meta"}\n{"event": "respons", "turn": 0}\n')
    with pytest.raises(InputError, match="stop_reasn"):
        Transcript.from_jsonl('{"event": "response", "turn": 0, "stop_reasn": "end_turn"}\n')


def test_build_command_regenerates_the_suite(tmp_path, capsys):
    import shutil

    from escalation_kit.cli.main import main

    copy = tmp_path / "gold"
    shutil.copytree(GOLD.path, copy)
    for f in (copy / "transcripts").glob("*.jsonl"):
        f.unlink()
    assert main(["eval", "build", str(copy)]) == 0
    assert len(list((copy / "transcripts").glob("*.jsonl"))) == len(RECS)
    assert (copy / "cases.yaml").read_text(encoding="utf-8") == (GOLD.path / "cases.yaml").read_text(encoding="utf-8")
    assert main(["eval", "build", str(copy), "--check"]) == 0
    assert "60 recordings" in capsys.readouterr().out
    assert main(["eval", "build", str(Path(GOLD.path).parent / "core")]) == 2  # no source.yaml: usage error
