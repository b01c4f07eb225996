"""Loading an on-call schedule: the shipped example is valid, and each kind of bad file names its field."""

from __future__ import annotations

import copy

import pytest
import yaml

from escalation_kit.errors import DataError, InputError
from escalation_kit.oncall import load_schedule
from escalation_kit.paths import references_dir

GOOD = {
    "people": {"a": {"name": "Ann", "email": "a@example.com"}, "b": {"email": "b@example.com"}},
    "roles": {"agent": {"label": "Support Agent", "rotation": {
        "people": ["a", "b"], "timezone": "Europe/Berlin", "start": "2026-01-05",
        "handoff": {"weekday": "monday", "time": "09:00"}, "length_days": 7},
        "overrides": [{"start": "2026-12-24T09:00", "end": "2026-12-27T09:00", "person": "b"}]}},
}


def write(tmp_path, data) -> str:
    path = tmp_path / "oncall.yaml"
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data), encoding="utf-8")
    return str(path)


def bad(edit):
    data = copy.deepcopy(GOOD)
    edit(data)
    return data


def rot(data):
    return data["roles"]["agent"]["rotation"]


def test_the_shipped_example_loads_with_the_brief_roles():
    s = load_schedule(references_dir() / "policy/oncall.yaml")
    assert {"support_agent", "senior_engineer", "engineering_lead", "csm", "support_manager", "director", "vp",
            "executive"} <= set(s.roles)
    assert s.tiers[3] == ("engineering_lead", "csm") and s.roles["support_agent"].overrides


def test_a_good_file_loads_and_a_label_defaults(tmp_path):
    s = load_schedule(write(tmp_path, GOOD))
    assert s.people["b"].name == "b" and s.roles["agent"].rotation.length_days == 7
    assert s.roles["agent"].overrides[0].start.utcoffset().total_seconds() == 3600  # local Berlin time, CET


def _overlap(d):
    d["roles"]["agent"]["overrides"].append({"start": "2026-12-26T00:00+01:00", "end": "2026-12-30T00:00+01:00",
                                             "person": "a"})


@pytest.mark.parametrize(("edit", "field", "says"), [
    (lambda d: rot(d).update(timezone="Mars/Olympus_Mons"), "roles.agent.rotation.timezone", "not a known IANA"),
    (lambda d: rot(d).update(timezone="Europe"), "roles.agent.rotation.timezone", "not a known IANA"),
    (lambda d: rot(d).update(people=[]), "roles.agent.rotation.people", "is empty"),
    (lambda d: rot(d).update(people=["a", "zed"]), "roles.agent.rotation.people[1]", "'zed' is not in people"),
    (_overlap, "roles.agent.overrides[1]", "overlaps overrides[0]"),
    (lambda d: d["roles"]["agent"]["overrides"][0].update(end="2026-12-23T09:00"), "roles.agent.overrides[0].end",
     "is not after start"),
    (lambda d: d["roles"]["agent"]["overrides"][0].update(person="nobody"), "roles.agent.overrides[0].person",
     "not in people"),
    (lambda d: d["roles"]["agent"]["overrides"][0].update(start="Christmas"), "roles.agent.overrides[0].start",
     "not an ISO 8601 time"),
    (lambda d: rot(d).update(start="2026-01-06"), "roles.agent.rotation.start", "is a tuesday, not the handoff"),
    (lambda d: rot(d).update(length_days=10), "roles.agent.rotation.length_days", "multiple of 7"),
    (lambda d: rot(d).update(length_days=0), "roles.agent.rotation.length_days", "out of range"),
    (lambda d: rot(d).update(length_days="7"), "roles.agent.rotation.length_days", "expected a whole number"),
    (lambda d: rot(d)["handoff"].update(time="25:00"), "roles.agent.rotation.handoff.time", "not a 24-hour time"),
    (lambda d: rot(d)["handoff"].update(weekday="mon"), "roles.agent.rotation.handoff.weekday", "not a weekday"),
    (lambda d: rot(d).pop("handoff"), "roles.agent.rotation.handoff", "is missing"),
    (lambda d: d["people"]["a"].update(email="ann at example"), "people.a.email", "not an e-mail address"),
    (lambda d: d.update(people={}), "people", "is empty"),
    (lambda d: d.update(roles={"Agent!": d["roles"]["agent"]}), "roles.Agent!", "lower-case"),
    (lambda d: d.update(tiers={"5": {"roles": ["agent"]}}), "tiers.5", "allowed: 1, 2, 3, 4"),
])
def test_a_bad_schedule_names_the_field(tmp_path, edit, field, says):
    path = write(tmp_path, bad(edit))
    with pytest.raises(InputError) as err:
        load_schedule(path)
    assert err.value.field == f"{path}: {field}" and says in str(err.value), str(err.value)


def test_an_unquoted_time_that_yaml_reads_as_a_number_is_explained(tmp_path):
    text = yaml.safe_dump(GOOD).replace("time: 09:00", "time: 9:00").replace("time: '09:00'", "time: 9:00")
    with pytest.raises(InputError, match=r"handoff\.time: YAML read the time as a number; quote it"):
        load_schedule(write(tmp_path, text))


@pytest.mark.parametrize(("text", "says"), [
    ("people: [a\n  roles: {", "is not valid YAML at line"),
    ("- just\n- a list\n", "must hold a mapping"),
    ("people: {a: {email: a@example.com}}\nroles:\n  vp: {}\n  vp: {}\n", "at line 4: the key 'vp' is given twice"),
    ("\xff", None),
])
def test_a_file_that_is_not_a_schedule_is_refused(tmp_path, text, says):
    path = tmp_path / "oncall.yaml"
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(InputError) as err:
        load_schedule(path)
    assert err.value.field == "--schedule" and (says or "not UTF-8") in str(err.value)


def test_a_missing_file_is_an_input_error_naming_the_flag(tmp_path):
    with pytest.raises(InputError, match=r"--schedule: cannot read .*nope\.yaml: No such file"):
        load_schedule(tmp_path / "nope.yaml")


def test_the_environment_variable_picks_the_schedule(tmp_path, monkeypatch):
    monkeypatch.setenv("ESCALATION_KIT_ONCALL_SCHEDULE", write(tmp_path, GOOD))
    assert sorted(load_schedule().roles) == ["agent"]
    monkeypatch.delenv("ESCALATION_KIT_ONCALL_SCHEDULE")
    assert "support_agent" in load_schedule().roles


def test_a_broken_shipped_example_would_be_our_bug(tmp_path, monkeypatch):
    import escalation_kit.oncall.schedule as sch

    (tmp_path / "policy").mkdir()
    (tmp_path / "policy" / "oncall.yaml").write_text(yaml.safe_dump(bad(lambda d: rot(d).update(people=[]))))
    (tmp_path / "policy" / "oncall-tiers.yaml").write_text((references_dir() / "policy/oncall-tiers.yaml").read_text())
    monkeypatch.setattr(sch, "references_dir", lambda: tmp_path)
    monkeypatch.delenv("ESCALATION_KIT_ONCALL_SCHEDULE", raising=False)
    with pytest.raises(DataError, match="rotation.people: is empty"):
        load_schedule()


def test_a_file_may_bring_its_own_tier_table_and_keeps_the_shipped_rest(tmp_path):
    data = copy.deepcopy(GOOD)
    data["tiers"] = {str(n): {"roles": ["agent"]} for n in (1, 2, 3, 4)}
    s = load_schedule(write(tmp_path, data))
    assert s.tiers[4] == ("agent",) and s.exec_levels[2] == ("support_manager",) and "tier_raised" in s.notices
    data["exec_levels"] = {"1": {"roles": ["agent"]}}
    with pytest.raises(InputError, match=r"oncall\.yaml: exec_levels: has no entry for 2, 3, 4"):
        load_schedule(write(tmp_path, data))
