"""Locate the data folders (references, prompts, skills, evals) in a wheel or a source checkout.

A wheel carries them under ``escalation_kit/_data/``; an editable install or a plain
checkout finds them at the repository root, two levels above this package.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
DATA_FOLDERS = ("references", "prompts", "skills", "evals")


@cache
def data_dir(name: str) -> Path:
    """Return the folder ``name`` (one of DATA_FOLDERS), wherever this install keeps it."""
    if name not in DATA_FOLDERS:
        raise ValueError(f"unknown data folder {name!r}; expected one of {', '.join(DATA_FOLDERS)}")
    for candidate in (_PACKAGE_DIR / "_data" / name, _PACKAGE_DIR.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"data folder {name!r} is missing from this installation ({_PACKAGE_DIR})")


def references_dir() -> Path:
    return data_dir("references")


def prompts_dir() -> Path:
    return data_dir("prompts")


def skills_dir() -> Path:
    return data_dir("skills")


def evals_dir() -> Path:
    return data_dir("evals")
