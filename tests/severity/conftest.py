"""Shared fixtures: the severity benchmark scripts as modules (data loaders, scoring, training)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # importable by name, as a worker process pickling its functions needs
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def bench() -> ModuleType:
    """benchmarks/severity.py: the corpus loaders and the scoring."""
    return _script("severity")


@pytest.fixture(scope="session")
def trainer() -> ModuleType:
    """benchmarks/train_severity_dims.py: the learned readings' training."""
    return _script("train_severity_dims")


@pytest.fixture(scope="session")
def second_opinion() -> ModuleType:
    """benchmarks/severity_agreement.py: agreement between the labels and a second labeller's."""
    return _script("severity_agreement")


@pytest.fixture(scope="session")
def level_trainer() -> ModuleType:
    """benchmarks/train_severity_levels.py: the level reading's training and its out-of-sample measurement."""
    return _script("train_severity_levels")


@pytest.fixture(scope="session")
def reading_selector() -> ModuleType:
    """benchmarks/select_severity_readings.py: the leave-one-set-out choice of the readings' settings."""
    return _script("select_severity_readings")
