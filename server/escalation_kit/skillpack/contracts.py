"""Response-minimum contracts: the machine-readable list of sections a skill's answer must hold.

One YAML file per skill at ``skills/<name>/contract.yaml``. SKILL.md's "Response minimum"
section, the brief templates' headings and the eval grader all read the same items.
"""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, Field

from escalation_kit.errors import InputError
from escalation_kit.paths import skills_dir
from escalation_kit.vocab import Lang


class ContractItem(BaseModel):
    """One required part of an answer, recognisable by its heading words or its content cues."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str = Field(description="Short English name of the item, as SKILL.md lists it")
    satisfies: str = Field(description="What content satisfies the item, in one sentence")
    headings: dict[Lang, list[str]] = Field(description="Heading words per language, lower case")
    cues: dict[Lang, list[str]] = Field(default_factory=dict, description="Content words that also count")
    required: bool = True
    min_chars: int = Field(default=30, ge=0, description="Least substance under the heading")


class Contract(BaseModel):
    skill: str
    version: int = 1
    items: list[ContractItem]

    def item(self, item_id: str) -> ContractItem:
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(item_id)


def contract_path(skill: str):
    return skills_dir() / skill / "contract.yaml"


def list_contract_skills() -> list[str]:
    """Names of the skills that ship a contract, sorted."""
    return sorted(p.parent.name for p in skills_dir().glob("*/contract.yaml"))


@cache
def load_contract(skill: str) -> Contract:
    """Load and validate one skill's contract; unknown skills raise InputError listing the valid ones."""
    import yaml  # imported on first use: start-up reads no data
    path = contract_path(skill)
    if not path.is_file():
        raise InputError("skill", f"no contract for skill {skill!r}", list_contract_skills())
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Contract.model_validate(data)
