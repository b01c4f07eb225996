"""The skill pack: load each Agent Skill (frontmatter, body, references, contract) and check it.

Skills live in ``skills/<name>/`` (found through ``paths.skills_dir()``), each with a
``SKILL.md``, optional ``references/*.md`` loaded on demand, and the response-minimum
``contract.yaml``. This module reads them lazily and never imports ``mcp``: the MCP adapter
(``mcp_skills``) and the ``skills`` command are thin layers over it.

Consistency rule between SKILL.md and its contract: the ``## Response minimum`` section holds
one top-level bullet per contract item, in the contract's order; each bullet opens with the
item's title in bold (``- **Title** - ...``) and names the item's first heading in English,
Russian and Chinese.
"""

from __future__ import annotations

import math
import re
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from escalation_kit.errors import InputError
from escalation_kit.paths import skills_dir
from escalation_kit.skillpack.contracts import Contract, load_contract

SPEC_FIELDS = ("name", "description", "license", "compatibility", "metadata", "allowed-tools")
NAME_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
REFERENCE_RE = re.compile(r"references/[A-Za-z0-9._-]*[A-Za-z0-9]")
RESPONSE_MINIMUM = "response minimum"
MAX_DESCRIPTION_CHARS = 1024
MAX_BODY_LINES = 300
BODY_TOKEN_BUDGET = 3000
# Fixed timestamp for zip entries so that the same sources always build the same bytes.
ZIP_DATE = (2026, 1, 1, 0, 0, 0)


class Bullet(BaseModel):
    """One top-level bullet of the Response minimum section."""

    title: str | None = Field(description="Bold title the bullet opens with; None when it has none")
    text: str


class Skill(BaseModel):
    """One skill as shipped: spec frontmatter, Markdown body, reference files and its contract."""

    name: str
    description: str
    license: str | None = None
    compatibility: str | None = None
    metadata: dict[str, str] = Field(default_factory=dict)
    allowed_tools: str | None = None
    extra_fields: list[str] = Field(default_factory=list, description="Frontmatter keys outside the spec")
    body: str
    path: Path
    references: list[str] = Field(default_factory=list, description="File names under references/, sorted")
    contract: Contract

    @property
    def title(self) -> str:
        """The body's first level-1 heading, or the name when there is none."""
        match = re.search(r"^# (.+)$", self.body, flags=re.MULTILINE)
        return match.group(1).strip() if match else self.name

    def frontmatter(self) -> dict[str, object]:
        """The spec fields only, in spec order, without empty ones."""
        values = {
            "name": self.name,
            "description": self.description,
            "license": self.license,
            "compatibility": self.compatibility,
            "metadata": self.metadata or None,
            "allowed-tools": self.allowed_tools,
        }
        return {k: v for k, v in values.items() if v is not None}


def list_skills() -> list[str]:
    """Names of the skill directories that hold a SKILL.md, sorted."""
    return sorted(p.parent.name for p in skills_dir().glob("*/SKILL.md"))


def reference_files(name: str) -> list[str]:
    """File names under a skill's references/ folder, sorted; lists the folder without reading files."""
    ref_dir = skills_dir() / name / "references"
    return sorted(p.name for p in ref_dir.iterdir() if p.is_file()) if ref_dir.is_dir() else []


def split_frontmatter(text: str) -> tuple[dict, str]:
    """Split SKILL.md text into its YAML frontmatter mapping and the Markdown body."""
    import yaml  # imported on first use: start-up reads no data
    if not text.startswith("---\n"):
        raise InputError("SKILL.md", "must start with a '---' line opening the YAML frontmatter")
    end = text.find("\n---\n", 4)
    if end < 0:
        raise InputError("SKILL.md", "frontmatter has no closing '---' line")
    data = yaml.safe_load(text[4:end]) or {}
    if not isinstance(data, dict):
        raise InputError("SKILL.md", "frontmatter must be a YAML mapping")
    return data, text[end + len("\n---\n"):]


@cache
def load_skill(name: str) -> Skill:
    """Load one skill by name; unknown names raise InputError listing the skills there are."""
    known = list_skills()
    if name not in known:
        raise InputError("skill", f"no skill named {name!r}", known)
    folder = skills_dir() / name
    meta, body = split_frontmatter((folder / "SKILL.md").read_text(encoding="utf-8"))
    return Skill(
        name=str(meta.get("name", "")),
        description=str(meta.get("description", "")),
        license=meta.get("license"),
        compatibility=meta.get("compatibility"),
        metadata={str(k): str(v) for k, v in (meta.get("metadata") or {}).items()},
        allowed_tools=meta.get("allowed-tools"),
        extra_fields=sorted(k for k in meta if k not in SPEC_FIELDS),
        body=body,
        path=folder,
        references=reference_files(name),
        contract=load_contract(name),
    )


def read_reference(name: str, file: str) -> str:
    """Text of one reference file of a skill; only files listed in its references/ folder are served."""
    skill = load_skill(name)
    if file not in skill.references:
        raise InputError("file", f"skill {name!r} has no reference {file!r}", skill.references)
    return (skill.path / "references" / file).read_text(encoding="utf-8")


def section(body: str, heading: str) -> str | None:
    """Text of the level-2 section whose heading matches (case-insensitive), up to the next one."""
    lines = body.splitlines()
    start = None
    for i, line in enumerate(lines):
        if line.startswith("## "):
            if start is not None:
                return "\n".join(lines[start:i])
            if line[3:].strip().lower() == heading.lower():
                start = i + 1
    return "\n".join(lines[start:]) if start is not None else None


def response_minimum_bullets(body: str) -> list[Bullet]:
    """Top-level bullets of the Response minimum section, continuation lines joined."""
    text = section(body, RESPONSE_MINIMUM)
    if text is None:
        return []
    bullets: list[str] = []
    for line in text.splitlines():
        if line.startswith("- "):
            bullets.append(line[2:].strip())
        elif bullets and line.startswith("  ") and line.strip():
            bullets[-1] += " " + line.strip()
    out = []
    for raw in bullets:
        match = re.match(r"\*\*(.+?)\*\*", raw)
        out.append(Bullet(title=match.group(1).strip() if match else None, text=raw))
    return out


def contract_problems(skill: Skill) -> list[str]:
    """Where SKILL.md's Response minimum and contract.yaml disagree; empty when they match."""
    bullets = response_minimum_bullets(skill.body)
    items = skill.contract.items
    problems = []
    if skill.contract.skill != skill.name:
        problems.append(f"contract names skill {skill.contract.skill!r}, SKILL.md names {skill.name!r}")
    if not bullets:
        return problems + ["SKILL.md has no '## Response minimum' section with bullets"]
    if len(bullets) != len(items):
        problems.append(f"{len(bullets)} Response minimum bullets but {len(items)} contract items")
    for pos, (bullet, item) in enumerate(zip(bullets, items, strict=False), start=1):
        if bullet.title != item.title:
            problems.append(f"bullet {pos} is titled {bullet.title!r}; contract item {item.id!r} is {item.title!r}")
        lowered = bullet.text.lower()
        for lang, words in item.headings.items():
            if words and words[0].lower() not in lowered:
                problems.append(f"bullet {pos} ({item.id}) does not name its {lang} heading {words[0]!r}")
    return problems


def mentioned_references(body: str) -> list[str]:
    """The ``references/<file>`` paths the body mentions, sorted and without duplicates."""
    return sorted(set(REFERENCE_RE.findall(body)))


def structure_problems(skill: Skill) -> list[str]:
    """Pack rules beyond the spec validator: ASCII name, limits, reference links, spec-only fields."""
    problems = []
    if not NAME_RE.match(skill.name) or skill.name != skill.path.name:
        problems.append(f"name {skill.name!r} must be ASCII kebab-case and equal the folder name")
    if not skill.description.strip() or len(skill.description) > MAX_DESCRIPTION_CHARS:
        problems.append(f"description has {len(skill.description)} characters; allowed 1-{MAX_DESCRIPTION_CHARS}")
    if re.search(r"[<>]", skill.description):
        problems.append("description must not contain '<' or '>'")
    if skill.extra_fields:
        problems.append(f"frontmatter fields outside the spec: {', '.join(skill.extra_fields)}")
    lines = skill.body.count("\n") + 1
    if lines >= MAX_BODY_LINES:
        problems.append(f"body has {lines} lines; keep it under {MAX_BODY_LINES}")
    for ref in mentioned_references(skill.body):
        if not (skill.path / ref).is_file():
            problems.append(f"body mentions {ref}, which does not exist")
    mentioned = set(mentioned_references(skill.body))
    for file in skill.references:
        if f"references/{file}" not in mentioned:
            problems.append(f"references/{file} is never mentioned in SKILL.md, so no one loads it")
    ref_dir = skill.path / "references"
    if ref_dir.is_dir() and any(p.is_dir() for p in ref_dir.iterdir()):
        problems.append("references/ must be one level deep (no sub-folders)")
    return problems


def estimate_tokens(text: str) -> int:
    """Approximate Claude tokens offline: ~4 ASCII chars, ~2.5 Cyrillic chars or 1 CJK char per token.

    No tokenizer ships offline, so this is a documented heuristic (the Agent Skills guidance
    uses chars/4 for English); expect roughly +-25 % against a real token count.
    """
    ascii_chars = cyrillic = cjk = other = 0
    for ch in text:
        code = ord(ch)
        if code < 128:
            ascii_chars += 1
        elif 0x0400 <= code <= 0x04FF:
            cyrillic += 1
        elif 0x3000 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xFF00 <= code <= 0xFFEF:
            cjk += 1
        else:
            other += 1
    return math.ceil(ascii_chars / 4 + cyrillic / 2.5 + cjk + other / 2)


def render_skill_md(skill: Skill) -> str:
    """SKILL.md text with spec fields only; the original text when it already has nothing else."""
    import yaml  # imported on first use: start-up reads no data
    original = (skill.path / "SKILL.md").read_text(encoding="utf-8")
    if not skill.extra_fields:
        return original
    header = yaml.safe_dump(skill.frontmatter(), sort_keys=False, allow_unicode=True, width=100)
    return f"---\n{header}---\n{skill.body}"


def zip_members(skill: Skill) -> dict[str, str]:
    """Archive path -> text for a self-contained skill: SKILL.md plus every reference it mentions."""
    members = {f"{skill.name}/SKILL.md": render_skill_md(skill)}
    for ref in mentioned_references(skill.body):
        members[f"{skill.name}/{ref}"] = (skill.path / ref).read_text(encoding="utf-8")
    return members


def build_zip(name: str, out_dir: Path) -> Path:
    """Write ``<out_dir>/<name>.zip`` (folder ``<name>/`` inside) with fixed timestamps; returns its path."""
    skill = load_skill(name)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{name}.zip"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for arcname, text in sorted(zip_members(skill).items()):
            info = zipfile.ZipInfo(arcname, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, text.encode("utf-8"))
    return target


def spec_validator_errors(skill_dir: Path) -> list[str] | None:
    """Errors from the reference Agent Skills validator (PyPI skills-ref); None when it is not installed."""
    try:
        from skills_ref.validator import validate
    except ImportError:
        return None
    return list(validate(skill_dir))


def validate_one(name: str) -> dict[str, Any]:
    """All checks for one skill: spec validator, pack structure rules, contract consistency."""
    skill = load_skill(name)
    spec = spec_validator_errors(skill.path)
    checks = {
        "spec": spec or [],
        "structure": structure_problems(skill),
        "contract": contract_problems(skill),
    }
    return {"skill": name, "valid": not any(checks.values()), "spec_validator": spec is not None, **checks}


def skill_stats(name: str) -> dict[str, Any]:
    """Size figures for one skill (tokens are estimates, see estimate_tokens)."""
    skill = load_skill(name)
    refs = [(skill.path / "references" / f).read_text(encoding="utf-8") for f in skill.references]
    return {
        "skill": name,
        "description_chars": len(skill.description),
        "description_tokens": estimate_tokens(skill.description),
        "body_lines": skill.body.count("\n") + 1,
        "body_tokens": estimate_tokens(skill.body),
        "references": len(refs),
        "reference_tokens": sum(estimate_tokens(t) for t in refs),
    }
