"""The SLA policy's runtime form (plain objects) carries exactly what its schema validated, and loads without it."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

from escalation_kit import datafiles
from escalation_kit.datafiles import Plain, load_yaml, plain, unplain
from escalation_kit.paths import references_dir
from escalation_kit.sla import policy, policy_schema, policy_types
from snapshot_support import modules_after_snapshot

SCHEMA_MODELS = [c for c in vars(policy_schema).values()
                 if isinstance(c, type) and issubclass(c, BaseModel) and issubclass(c, Plain)]


def test_every_runtime_class_has_a_schema_model():
    runtime = {c for c in vars(policy_types).values() if isinstance(c, type) and issubclass(c, Plain)} - {Plain}
    assert len(runtime) == 13  # SourceRef ... SlaPolicy
    assert {next(b for b in m.__mro__ if b in runtime) for m in SCHEMA_MODELS} == runtime


@pytest.mark.parametrize("model", SCHEMA_MODELS, ids=lambda m: m.__name__)
def test_each_runtime_class_declares_its_schema_models_fields_in_order(model: type[BaseModel]):
    runtime = next(b for b in model.__mro__[1:] if issubclass(b, Plain) and not issubclass(b, BaseModel))
    assert list(runtime.__annotations__) == list(model.model_fields)


def test_the_loaded_policy_is_the_validated_file_in_plain_form(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(datafiles.CACHE_ENV, str(tmp_path))
    validated = policy_schema.SlaPolicy.model_validate(load_yaml(references_dir() / "policy" / policy.POLICY_FILE))
    for attempt in ("cold", "warm"):  # built and written, then read back from the snapshot
        policy.load_sla_policy.cache_clear()
        loaded = policy.load_sla_policy()
        assert type(loaded) is policy_types.SlaPolicy and not isinstance(loaded, BaseModel), attempt
        assert loaded == plain(validated), attempt
        assert unplain(loaded) == validated.model_dump(mode="json"), attempt
    assert list(tmp_path.glob("checked/sla-policy-*.pickle"))
    policy.load_sla_policy.cache_clear()


def test_plain_keeps_other_values_and_converts_inside_containers():
    validated = policy_schema.Window(start="09:00", end="18:00", source="s")
    converted = plain({"w": [validated], "n": 3, "text": "x"})
    assert type(converted["w"][0]) is policy_types.Window
    assert vars(converted["w"][0]) == {"start": "09:00", "end": "18:00", "source": "s", "unverified": False}
    assert converted["n"] == 3 and converted["text"] == "x"
    assert converted["w"][0] != policy_types.Window()  # equality compares the fields


PROBE = r"""
import json, sys
from escalation_kit.sla import compute_sla_deadlines
compute_sla_deadlines("P1", "2026-03-06T10:00:00+08:00", timezone="Asia/Shanghai", calendar="CN")
print(json.dumps(sorted(m for m in sys.modules if m.startswith("escalation_kit.sla"))))
"""


@pytest.mark.integration
def test_a_call_of_the_clock_never_imports_the_schema(tmp_path: Path):
    loaded = modules_after_snapshot(PROBE, tmp_path)
    assert "escalation_kit.sla.policy_types" in loaded and "escalation_kit.sla.policy_schema" not in loaded

