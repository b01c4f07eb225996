"""Fact models load per kind: a first call builds its own kind's models only, and every name still resolves."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from escalation_kit.briefs import facts
from escalation_kit.briefs.kinds.base import FactModel
from escalation_kit.vocab import DOC_KINDS

PROBE = r"""
import json, sys
from escalation_kit.briefs.render import format_escalation_brief
format_escalation_brief({"summary": "Checkout down", "severity": "P1", "description": "500 on checkout"})
print(json.dumps(sorted(m for m in sys.modules if m.startswith("escalation_kit.briefs.kinds."))))
"""


@pytest.mark.integration
def test_a_brief_builds_only_its_own_fact_models():
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    loaded = json.loads(out.stdout.strip().splitlines()[-1])
    assert loaded == ["escalation_kit.briefs.kinds.base", "escalation_kit.briefs.kinds.brief"]


def test_kind_models_cover_every_kind_and_resolve():
    assert list(facts.KIND_MODELS) == list(DOC_KINDS)
    assert len(facts.KIND_MODELS) == len(DOC_KINDS)
    for kind in DOC_KINDS:
        model = facts.KIND_MODELS[kind]
        assert issubclass(model, FactModel)
        assert getattr(facts, model.__name__) is model  # the old import path still works
    assert "no_such_kind" not in facts.KIND_MODELS
    with pytest.raises(KeyError):
        facts.KIND_MODELS["no_such_kind"]


@pytest.mark.parametrize("name", ["TriedStep", "TimelineEntry", "ActionItem", "RoleAssignment", "EvidenceItem",
                                  "CommEntry"])
def test_item_models_import_from_facts(name):
    model = getattr(facts, name)
    assert issubclass(model, FactModel) and model.__name__ == name
    assert model.model_config["extra"] == "forbid"


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError):
        facts.NoSuchFacts  # noqa: B018 - the lookup is the test
