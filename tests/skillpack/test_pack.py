"""The skill pack: spec validity, contract consistency, size budgets, tool order and built zips."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from escalation_kit.cli.main import main
from escalation_kit.errors import InputError
from escalation_kit.skillpack import pack as skillpack
from escalation_kit.skillpack.contracts import list_contract_skills

SKILLS = skillpack.list_skills()
EXPECTED = {
    "incident-triage", "alibaba-cloud-triage", "escalation-coordinator",
    "escalation-workflow", "escalation-brief", "vendor-escalation",
}
TOOL_ORDER = ["detect_language", "classify_severity", "pick_vendor_support_path",
              "compute_sla_deadlines", "format_escalation_brief"]
CYRILLIC = re.compile(r"[\u0400-\u04FF]")
HAN = re.compile(r"[\u4e00-\u9fff]")


def agentskills_cli() -> str:
    """The skills-ref validator's console script in this interpreter's environment."""
    exe = Path(sys.executable).parent / "agentskills"
    found = str(exe) if exe.exists() else shutil.which("agentskills")
    if not found:
        pytest.skip("skills-ref (agentskills) is not installed; pip install '.[test]'")
    return found


def test_the_pack_has_the_six_skills_each_with_a_contract():
    assert set(SKILLS) == EXPECTED
    assert set(list_contract_skills()) == EXPECTED


@pytest.mark.integration
@pytest.mark.parametrize("name", SKILLS)
def test_agentskills_validate_accepts_every_skill(name):
    result = subprocess.run([agentskills_cli(), "validate", str(skillpack.skills_dir() / name)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("name", SKILLS)
def test_response_minimum_matches_the_contract(name):
    skill = skillpack.load_skill(name)
    assert skillpack.contract_problems(skill) == []
    bullets = skillpack.response_minimum_bullets(skill.body)
    assert [b.title for b in bullets] == [item.title for item in skill.contract.items]


@pytest.mark.parametrize("name", SKILLS)
def test_pack_rules_and_budgets(name):
    skill = skillpack.load_skill(name)
    assert skillpack.structure_problems(skill) == []
    assert set(skill.frontmatter()) <= set(skillpack.SPEC_FIELDS)
    assert 0 < len(skill.description) <= 1024
    assert len(skill.description.encode("utf-8")) <= 1024  # some clients count bytes, not characters
    assert skill.body.count("\n") < 300
    assert skillpack.estimate_tokens(skill.body) <= skillpack.BODY_TOKEN_BUDGET


@pytest.mark.parametrize("name", SKILLS)
def test_description_says_when_and_has_triggers_in_three_languages(name):
    desc = skillpack.load_skill(name).description
    assert re.search(r"\buse (when|for)\b", desc, flags=re.IGNORECASE)
    assert CYRILLIC.search(desc), "no Russian trigger words"
    assert HAN.search(desc), "no Chinese trigger words"


@pytest.mark.parametrize("name", SKILLS)
def test_body_calls_the_tools_in_pipeline_order_and_has_an_offline_fallback(name):
    body = skillpack.load_skill(name).body
    workflow = skillpack.section(body, "Workflow with the escalation-kit tools")
    assert workflow, "no workflow section naming the MCP tool calls"
    first_calls = [workflow.find(f"`{tool}(") for tool in TOOL_ORDER]
    used = [pos for pos in first_calls if pos >= 0]
    assert len(used) >= 3 and used == sorted(used)
    assert first_calls[0] >= 0 and first_calls[1] >= 0
    fallback = skillpack.section(body, "When the escalation-kit server is not connected")
    assert fallback and "not computed" in fallback
    assert any(ref in fallback for ref in skillpack.mentioned_references(body))


def test_contract_check_reports_a_renamed_a_reordered_and_a_dropped_bullet():
    skill = skillpack.load_skill("incident-triage")
    first, second = (item.title for item in skill.contract.items[:2])
    renamed = skill.model_copy(update={"body": skill.body.replace(f"**{first}**", "**Severity**", 1)})
    assert any("bullet 1 is titled 'Severity'" in p for p in skillpack.contract_problems(renamed))

    a, b = f"**{first}**", f"**{second}**"
    swapped_body = skill.body.replace(a, "\0").replace(b, a).replace("\0", b)
    swapped = skill.model_copy(update={"body": swapped_body})
    assert len([p for p in skillpack.contract_problems(swapped) if "is titled" in p]) == 2

    head, tail = skill.body.split("- **Open questions that block closing**")
    dropped = skill.model_copy(update={"body": head})
    assert any("5 Response minimum bullets but 6" in p for p in skillpack.contract_problems(dropped))
    assert tail  # the bullet really was there


def test_contract_check_wants_each_language_heading_named():
    skill = skillpack.load_skill("escalation-brief")
    zh = skill.contract.items[0].headings["zh"][0]
    body = skill.body.replace(zh, "摘要", 1)
    problems = skillpack.contract_problems(skill.model_copy(update={"body": body}))
    assert problems == [f"bullet 1 (summary_target) does not name its zh heading {zh!r}"]


def test_structure_check_flags_links_to_missing_references_and_foreign_fields(tmp_path):
    skill = skillpack.load_skill("vendor-escalation")
    broken = skill.model_copy(update={"body": skill.body + "\nSee references/missing.md.\n",
                                      "extra_fields": ["argument-hint"]})
    problems = skillpack.structure_problems(broken)
    assert "body mentions references/missing.md, which does not exist" in problems
    assert any("argument-hint" in p for p in problems)


def test_read_reference_serves_listed_files_only():
    text = skillpack.read_reference("incident-triage", "severity-rubric.md")
    assert "P0" in text
    with pytest.raises(InputError) as err:
        skillpack.read_reference("incident-triage", "../SKILL.md")
    assert "severity-rubric.md" in err.value.allowed
    with pytest.raises(InputError):
        skillpack.load_skill("no-such-skill")


def test_token_estimate_weighs_scripts_differently_and_adds_up():
    est = skillpack.estimate_tokens
    assert est("a" * 400) == 100
    assert est("中" * 100) == 100
    assert est("д" * 250) == 100
    assert est("incident " * 50 + "инцидент " * 50) <= est("incident " * 50) + est("инцидент " * 50) + 1
    assert est("") == 0


def _unzip(path: Path, dest: Path) -> Path:
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert all(not n.startswith("/") and ".." not in n for n in names)
        archive.extractall(dest)
    return dest


@pytest.mark.integration
def test_built_zips_unpack_to_valid_self_contained_skills(tmp_path):
    cli = agentskills_cli()
    assert SKILLS, "nothing to check"
    for name in SKILLS:
        path = skillpack.build_zip(name, tmp_path / "out")
        root = _unzip(path, tmp_path / "unpacked") / name
        assert subprocess.run([cli, "validate", str(root)], capture_output=True, timeout=60).returncode == 0
        text = (root / "SKILL.md").read_text(encoding="utf-8")
        meta, body = skillpack.split_frontmatter(text)
        assert set(meta) <= set(skillpack.SPEC_FIELDS)
        for ref in skillpack.mentioned_references(body):
            assert (root / ref).is_file(), f"{name}: {ref} missing from the zip"
        assert not (root / "contract.yaml").exists()
        assert sorted(p.name for p in (root / "references").iterdir()) == skillpack.load_skill(name).references


def test_build_is_reproducible(tmp_path):
    first = skillpack.build_zip("escalation-brief", tmp_path / "a").read_bytes()
    second = skillpack.build_zip("escalation-brief", tmp_path / "b").read_bytes()
    assert first == second


def test_build_drops_fields_outside_the_spec(tmp_path):
    source = skillpack.load_skill("escalation-workflow")
    folder = tmp_path / "escalation-workflow"
    shutil.copytree(source.path, folder)
    original = (folder / "SKILL.md").read_text(encoding="utf-8")
    (folder / "SKILL.md").write_text(original.replace("license:", "argument-hint: \"[ticket]\"\nlicense:", 1),
                                     encoding="utf-8")
    skill = source.model_copy(update={"path": folder, "extra_fields": ["argument-hint"]})
    meta, body = skillpack.split_frontmatter(skillpack.render_skill_md(skill))
    assert "argument-hint" not in meta
    assert meta["description"] == source.description and meta["metadata"] == source.metadata
    assert body == source.body


def test_cli_validate_build_and_stats(tmp_path, capsys):
    assert main(["skills", "validate"]) == 0
    assert capsys.readouterr().out.count(": ok") == len(SKILLS)

    assert main(["skills", "validate", "nope"]) == 2

    assert main(["skills", "build", "--out", str(tmp_path), "incident-triage"]) == 0
    assert [p.name for p in tmp_path.iterdir()] == ["incident-triage.zip"]
    capsys.readouterr()

    assert main(["skills", "stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert {row["skill"] for row in stats["skills"]} == EXPECTED
    for row in stats["skills"]:
        assert 0 < row["body_tokens"] <= skillpack.BODY_TOKEN_BUDGET
        assert row["description_chars"] == len(skillpack.load_skill(row["skill"]).description)
    tools = stats["tools_list"]
    assert "skipped" in tools or (tools["tools"] == len(tools["per_tool"]) and tools["tokens"] > 0)


def test_contract_files_keep_the_schema_the_harness_reads():
    assert SKILLS, "nothing to check"
    for name in SKILLS:
        data = yaml.safe_load((skillpack.skills_dir() / name / "contract.yaml").read_text(encoding="utf-8"))
        assert data["skill"] == name
        for item in data["items"]:
            assert set(item["headings"]) == {"en", "ru", "zh"}
            assert all(h == h.lower() for words in item["headings"].values() for h in words)


def test_incident_triage_keeps_the_ids_and_first_headings_the_templates_emit():
    contract = skillpack.load_skill("incident-triage").contract
    assert [i.id for i in contract.items] == [
        "classification", "status_page", "evidence", "escalation_sla", "communication", "open_questions"]
    assert [i.headings["en"][0] for i in contract.items] == [
        "classification and impact", "status page check", "evidence checklist",
        "escalation path and sla", "war room and communication", "open questions"]
    assert contract.items[0].headings["zh"][0] == "事件分级与影响范围"
    assert contract.items[0].headings["ru"][0] == "классификация и масштаб"


def _duration_pattern(minutes: int) -> str:
    """How the reference tables write a response target: '30 min', '4 h' or '8 business h'."""
    if minutes < 60 or minutes % 60:
        return rf"(?<!\d){minutes} min\b"
    return rf"(?<!\d){minutes // 60} (business )?h\b"


def test_vendor_fallback_table_agrees_with_the_vendor_catalog():
    """Every target and API code the catalog returns for a default plan appears in the offline table."""
    from escalation_kit import vendors

    ids = vendors.vendor_ids()
    paths = [vendors.pick_vendor_support_path(v, sev) for v in ids for sev in ("P0", "P1", "P2", "P3")]
    assert ids and paths
    table = skillpack.read_reference("vendor-escalation", "vendor-matrix.md")
    for vid in ids:
        assert f"(`{vid}`" in table or f"`{vid}`)" in table or f"`{vid}`," in table, f"{vid} has no section"
    for path in paths:
        case = path.case_severity
        if case is None:
            continue
        if case.response_minutes is not None:
            assert re.search(_duration_pattern(case.response_minutes), table), (
                f"{path.vendor}/{path.plan} {path.severity}: {case.response_minutes} min missing from vendor-matrix.md")
        if case.api_code and not case.api_code.isdigit():
            assert re.search(rf"\b{re.escape(case.api_code)}\b", table), f"{path.vendor}: API code {case.api_code}"


def test_validate_without_skills_ref_warns_and_still_runs_the_kit_rules(monkeypatch, capsys):
    import builtins

    real_import = builtins.__import__

    def no_skills_ref(name, *args, **kwargs):
        if name.startswith("skills_ref"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_skills_ref)
    assert main(["skills", "validate", "--json", "incident-triage"]) == 0
    out = capsys.readouterr()
    assert "skills-ref is not installed" in out.err
    (result,) = json.loads(out.out)
    assert result["spec_validator"] is False and result["contract"] == [] and result["valid"]


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(SKILLS), st.data())
def test_any_reordering_of_the_response_minimum_is_caught(name, data):
    """Shuffling the bullets passes the check only when the order is unchanged."""
    skill = skillpack.load_skill(name)
    section = skillpack.section(skill.body, skillpack.RESPONSE_MINIMUM)
    intro, *rest = re.split(r"\n(?=- \*\*)", section)
    order = data.draw(st.permutations(range(len(rest))))
    shuffled = "\n".join([intro, *(rest[i].rstrip("\n") for i in order)]) + "\n"
    body = skill.body.replace(section, shuffled)
    problems = skillpack.contract_problems(skill.model_copy(update={"body": body}))
    assert (problems == []) == (list(order) == sorted(order))
