"""The shipped suites: every good recording passes, every flawed one fails for exactly its listed reason."""

from __future__ import annotations

from collections import defaultdict

import pytest

from escalation_kit.evals.runner import grade_transcript
from escalation_kit.evals.suite import load_suite
from escalation_kit.evals.transcript import Transcript
from escalation_kit.skillpack.contracts import list_contract_skills

SUITE = load_suite("core")
HANDWRITTEN = load_suite("handwritten")
RECORDINGS = [(s, c, r) for s in (SUITE, HANDWRITTEN) for c in s.cases for r in c.recordings]


@pytest.mark.parametrize("suite,case,rec", RECORDINGS, ids=[r.file.split("/")[-1] for _, _, r in RECORDINGS])
def test_recording_grades_as_expected(suite, case, rec):
    grade = grade_transcript(Transcript.load(suite.transcript_path(rec)), case)
    if rec.expect == "pass":
        assert grade.passed, grade.failures()
    else:
        assert sorted(grade.failures()) == sorted(rec.failures)


def test_suite_covers_every_skill_language_and_flaw():
    skills = set(list_contract_skills())
    assert {c.skill for c in SUITE.cases} == skills
    langs = defaultdict(set)
    flaws = defaultdict(set)
    for c in SUITE.cases:
        langs[c.skill].add(c.language)
        for r in c.recordings:
            if r.expect == "fail":
                flaws[c.skill].add(r.file.rsplit(".", 2)[-2])
    for skill in skills:
        assert langs[skill] == {"en", "ru", "zh"}, skill
        assert {"missing_section", "empty_heading", "wrong_language", "severity_contradiction",
                "wrong_deadline", "stated_before_tool"} <= flaws[skill], skill


def test_flaw_kinds_fail_on_the_matching_check():
    """Each flaw kind's expected failures name the check that defines the flaw."""
    want = {"missing_section": "item:", "empty_heading": "item:", "wrong_language": "check:language",
            "severity_contradiction": "check:severity", "wrong_deadline": "check:deadline",
            "stated_before_tool": "check:called:classify_severity"}
    assert SUITE.cases, "nothing to check"
    for c in SUITE.cases:
        for r in c.recordings:
            kind = r.file.rsplit(".", 2)[-2]
            if kind in want:
                assert any(f.startswith(want[kind]) for f in r.failures), (r.file, r.failures)


def test_empty_heading_and_missing_section_differ_in_reason():
    assert SUITE.cases, "nothing to check"
    for c in SUITE.cases:
        for r in c.recordings:
            kind = r.file.rsplit(".", 2)[-2]
            if kind not in ("missing_section", "empty_heading"):
                continue
            grade = grade_transcript(Transcript.load(SUITE.transcript_path(r)), c)
            items = [i for i in grade.items if f"item:{i.id}" in r.failures]
            want = ("heading", 0) if kind == "empty_heading" else ("none", 0)
            assert want in [(i.matched_by, i.chars) for i in items], (r.file, items)


@pytest.mark.parametrize(("name", "answers"), [("blind1", 85), ("blind2", 83), ("blind3", 81), ("blind4", 79),
                                                   ("blind5", 83), ("blind6", 90), ("blind7", 104), ("blind8", 91),
                                                   ("blind9", 90)])
def test_blind_answer_set_is_frozen_by_its_hash(name: str, answers: int) -> None:
    """blind1, blind2 (stop 16), blind3, blind4 (stop 17), blind5 (stop 18), blind6 (stop 19), blind7 (stop 20),
    blind8 (stop 21) and blind9 (stop 23):
    answers written and labelled by sessions that never saw the grader, pinned before they were first graded, so a
    later grader change is measured on them, not fitted to them."""
    import hashlib

    from escalation_kit.evals.suite import suites_root

    root = suites_root() / name
    files = [root / "source.yaml", *sorted((root / "answers").glob("*.md"))]
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    assert len(files) == answers + 1
    assert digest.hexdigest() == (root / "source.sha256").read_text(encoding="utf-8").split()[0]


def test_eval_build_makes_a_suite_that_has_only_its_source(tmp_path) -> None:
    """A new suite is a folder with source.yaml and answers/: the first ``eval build`` must accept it (it used to
    look for the cases.yaml that only the build writes)."""
    import shutil

    import yaml

    from escalation_kit.cli import main
    from escalation_kit.evals.suite import load_suite, suites_root

    gold = suites_root() / "gold"
    source = yaml.safe_load((gold / "source.yaml").read_text(encoding="utf-8"))
    case = source["cases"][0]
    case["answers"] = case["answers"][:1]
    folder = tmp_path / "fresh"
    (folder / "answers").mkdir(parents=True)
    shutil.copy(gold / "answers" / case["answers"][0]["file"], folder / "answers")
    (folder / "source.yaml").write_text(yaml.safe_dump({"version": 1, "suite": "fresh", "cases": [case]}),
                                        encoding="utf-8")
    assert main(["eval", "build", str(folder)]) == 0
    assert [c.id for c in load_suite(str(folder)).cases] == [case["id"]]
    assert main(["eval", "build", str(tmp_path / "nothing-here")]) == 2


def test_a_case_that_names_its_holiday_calendar_is_timed_with_it(tmp_path) -> None:
    """A source case may name the holiday calendar its team works to (``calendar: CN``): the built transcript's SLA
    call passes it, as the skills tell the model to; a case without one is timed as before."""
    import shutil

    import yaml

    from escalation_kit.cli import main
    from escalation_kit.evals.suite import load_suite, suites_root
    from escalation_kit.evals.transcript import Transcript

    gold = suites_root() / "gold"
    case = yaml.safe_load((gold / "source.yaml").read_text(encoding="utf-8"))["cases"][0]
    case["answers"] = case["answers"][:1]
    plain = dict(case, id=case["id"] + "-plain")
    case |= {"opened_at": "2026-09-30T17:00:00+08:00", "timezone": "Asia/Shanghai", "calendar": "CN"}
    plain |= {"opened_at": case["opened_at"], "timezone": case["timezone"]}
    plain["answers"] = [dict(case["answers"][0], file="plain.md")]
    folder = tmp_path / "cal"
    (folder / "answers").mkdir(parents=True)
    shutil.copy(gold / "answers" / case["answers"][0]["file"], folder / "answers")
    shutil.copy(gold / "answers" / case["answers"][0]["file"], folder / "answers" / "plain.md")
    (folder / "source.yaml").write_text(yaml.safe_dump({"version": 1, "suite": "cal", "cases": [case, plain]}),
                                        encoding="utf-8")
    assert main(["eval", "build", str(folder)]) == 0
    suite = load_suite(str(folder))
    assert [c.calendar for c in suite.cases] == ["CN", None]
    sla = [[c for c in Transcript.load(suite.transcript_path(s.recordings[0])).tool_calls
            if c.name == "compute_sla_deadlines"] for s in suite.cases]
    assert sla[0] and all(c.input.get("calendar") == "CN" for c in sla[0])
    assert sla[1] and all("calendar" not in c.input for c in sla[1])
    assert "calendar: CN" in suite.cases[0].prompt()
