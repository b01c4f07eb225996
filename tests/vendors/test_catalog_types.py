"""The vendor catalog's runtime form (plain objects) carries exactly what its schema validated, and loads without it."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

from escalation_kit import datafiles
from escalation_kit.datafiles import Plain, plain
from escalation_kit.vendors import catalog as vc
from escalation_kit.vendors import catalog_schema, catalog_types
from snapshot_support import modules_after_snapshot

SCHEMA_MODELS = [c for c in vars(catalog_schema).values()
                 if isinstance(c, type) and issubclass(c, BaseModel) and issubclass(c, Plain)]


def test_every_runtime_class_has_a_schema_model_by_the_same_name():
    runtime = {c for c in vars(catalog_types).values() if isinstance(c, type) and issubclass(c, Plain)} - {Plain}
    assert len(runtime) == len(vc.SCHEMA_NAMES) == 15
    assert {m.__name__ for m in SCHEMA_MODELS} == {c.__name__ for c in runtime} == set(vc.SCHEMA_NAMES)
    assert all(getattr(vc, name) is getattr(catalog_schema, name) for name in vc.SCHEMA_NAMES)


@pytest.mark.parametrize("model", SCHEMA_MODELS, ids=lambda m: m.__name__)
def test_each_runtime_class_declares_its_schema_models_fields_in_order(model: type[BaseModel]):
    runtime = getattr(catalog_types, model.__name__)
    assert runtime in model.__mro__
    assert list(runtime.__annotations__) == list(model.model_fields)


def test_the_loaded_catalog_and_policies_are_the_validated_files_in_plain_form(tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(datafiles.CACHE_ENV, str(tmp_path))
    files = sorted(vc.vendors_dir().glob("*.yaml"))
    validated = {path.stem: vc.load_vendor_file(path) for path in files}
    assert validated and all(isinstance(spec, catalog_schema.VendorSpec) for spec in validated.values())
    loaders = (vc.load_catalog, vc.load_policy, vc.load_fact_defaults)
    for attempt in ("cold", "warm"):  # built and written, then read back from the snapshots
        for loader in loaders:
            loader.cache_clear()
        catalog = vc.load_catalog()
        assert catalog == plain(validated), attempt
        assert all(type(spec) is catalog_types.VendorSpec for spec in catalog.values()), attempt
        assert type(vc.load_policy()) is catalog_types.PolicyFile, attempt
        assert type(vc.load_fact_defaults()) is catalog_types.CaseFactsPolicy, attempt
        # the parts a caller gets back stay the answer models, shared as they were validated
        assert isinstance(catalog["aws"].sources[0], BaseModel), attempt
    assert len(list(tmp_path.glob("checked/*.pickle"))) == 3
    for loader in loaders:
        loader.cache_clear()


PROBE = r"""
import json, sys
from escalation_kit.vendors import pick_vendor_support_path
pick_vendor_support_path("aws", "P1", production=False, region="cn-north-1")
print(json.dumps(sorted(m for m in sys.modules if m.startswith("escalation_kit.vendors"))))
"""


@pytest.mark.integration
def test_a_support_path_call_never_imports_the_schema(tmp_path: Path):
    loaded = modules_after_snapshot(PROBE, tmp_path)
    assert "escalation_kit.vendors.catalog_types" in loaded and "escalation_kit.vendors.catalog_schema" not in loaded
