"""Loader for the vendor catalog (references/vendors/*.yaml) and the vendor policy files, and its queries.

Loading validates every file with its schema (``catalog_schema``): each figure must name its sources
(ids that resolve to a URL and a check date) or say ``unverified: true``; mapping tables must cover P0-P3
with levels the vendor has. What is kept, in a validated snapshot, is the plain runtime form
(``catalog_types``), so a process that reads the snapshot never creates a schema class. Data is read
lazily on first use and cached.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import ValidationError

from escalation_kit.datafiles import plain
from escalation_kit.errors import DataError, InputError
from escalation_kit.paths import references_dir
from escalation_kit.vendors import catalog_types as types
from escalation_kit.vendors.ids import normalise, vendor_ids, vendors_dir  # noqa: F401 - re-exported (callers use vc.vendor_ids)

if TYPE_CHECKING:
    from escalation_kit.vendors import catalog_schema
    from escalation_kit.vendors.summary import VendorCatalog

T = TypeVar("T")
# The schema models (``catalog_schema``) by their names here, for code and tests that validate with them
# (``catalog.VendorSpec.model_validate``); imported on first use, so reading the snapshot never creates them.
# The catalog's objects are their plain counterparts (``catalog_types``).
SCHEMA_NAMES = ("Condition", "Level", "PlanSeverity", "MappingRule", "NonProduction", "PlanChange", "BusinessWindow",
                "Plan", "RegionRule", "RegionHint", "VendorSpec", "PolicyRule", "PolicyFile", "FactDefault",
                "CaseFactsPolicy")


def __getattr__(name: str) -> Any:
    """A schema model by name (``SCHEMA_NAMES``), imported from ``catalog_schema`` on first use."""
    if name in SCHEMA_NAMES:
        from escalation_kit.vendors import catalog_schema

        return getattr(catalog_schema, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _read_yaml(path: Path) -> dict:
    """Parse one YAML document with the safe loader."""
    from escalation_kit.datafiles import load_yaml  # JSON snapshot of the YAML: start-up reads no data
    with path.open(encoding="utf-8") as fh:
        return load_yaml(fh)


def load_vendor_file(path: Path) -> catalog_schema.VendorSpec:
    """Validate one vendor file; the file name must be the vendor id."""
    from escalation_kit.datafiles import is_yaml_error
    from escalation_kit.vendors import catalog_schema

    try:
        spec = catalog_schema.VendorSpec.model_validate(_read_yaml(path))
    except ValidationError as exc:
        raise DataError(f"{path.name}: {exc}") from exc
    except Exception as exc:  # a YAML syntax error, told apart without importing yaml (snapshots need none)
        if is_yaml_error(exc):
            raise DataError(f"{path.name}: {exc}") from exc
        raise
    if spec.id != path.stem:
        raise DataError(f"{path.name}: id {spec.id!r} does not match the file name")
    return spec


def _load_checked(name: str, files: list[Path], build: Callable[[], T]) -> T:
    """``build()`` through the validated snapshot, keyed by the data files and this package's model code."""
    from escalation_kit.datafiles import load_checked

    code = [Path(__file__).with_name(name) for name in ("catalog.py", "catalog_types.py", "catalog_schema.py",
                                                         "models.py", "ids.py")]
    return load_checked(name, [*files, *code], build)


@cache
def load_catalog() -> dict[str, types.VendorSpec]:
    """All vendors by id, validated; aliases must not collide."""
    files = sorted(vendors_dir().glob("*.yaml"))
    return _load_checked("vendor-catalog", files, lambda: _check_catalog(files))


def _check_catalog(files: list[Path]) -> dict[str, types.VendorSpec]:
    """Every vendor file validated, aliases checked across files, in the plain runtime form."""
    specs = {p.stem: load_vendor_file(p) for p in files}
    owner: dict[str, str] = {}
    for spec in specs.values():
        for alias in [spec.id, *spec.aliases]:
            key = normalise(alias)
            if key in owner and owner[key] != spec.id:
                raise DataError(f"alias {alias!r} used by {owner[key]} and {spec.id}")
            owner[key] = spec.id
    for spec in specs.values():
        clash = [a for a in spec.shared_aliases if normalise(a) in owner]
        if clash:
            raise DataError(f"{spec.id}: shared aliases {clash} are also plain aliases or ids")
    return plain(specs)


@cache
def load_fact_defaults() -> types.CaseFactsPolicy:
    """Default facts per P-level, validated (policy, kept apart from vendor facts)."""
    path = references_dir() / "policy" / "case-facts.yaml"

    def check() -> types.CaseFactsPolicy:
        from escalation_kit.vendors import catalog_schema

        try:
            return plain(catalog_schema.CaseFactsPolicy.model_validate(_read_yaml(path)))
        except ValidationError as exc:
            raise DataError(f"case-facts.yaml: {exc}") from exc

    return _load_checked("case-facts", [path], check)


@cache
def load_policy() -> types.PolicyFile:
    """The vendor-escalation playbook policy, validated; kept apart from vendor facts."""
    path = references_dir() / "policy" / "vendor-escalation.yaml"
    return _load_checked("vendor-escalation", [path], lambda: _validated_policy(path))


def _validated_policy(path: Path) -> types.PolicyFile:
    """The playbook policy file validated by its schema, in its plain runtime form."""
    from escalation_kit.vendors import catalog_schema

    return plain(catalog_schema.PolicyFile.model_validate(_read_yaml(path)))


@cache
def shared_aliases() -> dict[str, list[str]]:
    """Names more than one vendor answers to (e.g. 'alibaba'), mapped to the vendors to choose from."""
    out: dict[str, list[str]] = {}
    for spec in load_catalog().values():
        for alias in spec.shared_aliases:
            out.setdefault(normalise(alias), []).append(spec.id)
    return out


def resolve_vendor(vendor: str, region: str | None = None) -> types.VendorSpec:
    """Find a vendor by id or alias; ambiguous names raise with the choices and a region hint."""
    if not isinstance(vendor, str) or not vendor.strip():
        raise InputError("vendor", "a vendor id is required", allowed=sorted(load_catalog()))
    key = normalise(vendor)
    catalog = load_catalog()
    spec = _names(catalog).get(key)
    if spec is not None:
        return spec
    if key in shared_aliases():
        choices = shared_aliases()[key]
        if len(choices) == 1:
            return catalog[choices[0]]
        raise InputError("vendor", _ambiguity_message(vendor, choices, region), allowed=choices)
    raise InputError("vendor", f"unknown vendor {vendor!r}", allowed=sorted(catalog))


def _names(catalog: dict[str, types.VendorSpec]) -> dict[str, types.VendorSpec]:
    """Each vendor's id and normalised aliases to the vendor, the first in catalog order winning, as a scan of
    the catalog finds it; built once per loaded catalog (was: every alias normalised on every call)."""
    global _NAMES
    if _NAMES[0] is not catalog:
        names: dict[str, types.VendorSpec] = {}
        for spec in catalog.values():
            for name in [spec.id, *(normalise(a) for a in spec.aliases)]:
                names.setdefault(name, spec)
        _NAMES = (catalog, names)
    return _NAMES[1]


_NAMES: tuple[dict[str, types.VendorSpec] | None, dict[str, types.VendorSpec]] = (None, {})  # the catalog indexed


def _ambiguity_message(vendor: str, choices: list[str], region: str | None) -> str:
    """Say why the name is ambiguous, adding any region hint the candidates define."""
    catalog = load_catalog()
    text = f"{vendor!r} names more than one support organisation: " + "; ".join(
        f"{c} = {catalog[c].name}" + (f" ({catalog[c].site})" if catalog[c].site else "") for c in choices
    )
    text += ". Choose the one whose console your account was opened on."
    for c in choices:
        hint = catalog[c].region_hint
        if region and hint and re.match(hint.pattern, region.strip().lower()):
            text += " " + hint.hint.replace("{region}", region.strip())
    return text


def resolve_plan(spec: types.VendorSpec, plan: str) -> types.Plan:
    """Find a plan by id, alias or exact name (case-insensitive)."""
    key = normalise(plan)
    for candidate in spec.plans:
        names = [candidate.id, candidate.name, *candidate.aliases]
        if key in (normalise(n) for n in names):
            return candidate
    raise InputError("plan", f"unknown plan {plan!r} for {spec.id}", allowed=[p.id for p in spec.plans])


def summarise() -> VendorCatalog:
    """The catalog summary behind ``list_vendors`` (its models are imported here: only this builds them)."""
    from escalation_kit.vendors.summary import PlanSummary, VendorCatalog, VendorSummary

    vendors = []
    for spec in load_catalog().values():
        plans = [
            PlanSummary(
                id=p.id,
                name=p.name,
                lifecycle=p.lifecycle,
                technical_cases=p.technical_cases,
                default=p.id == spec.default_plan,
            )
            for p in spec.plans
        ]
        vendors.append(
            VendorSummary(
                id=spec.id,
                name=spec.name,
                site=spec.site,
                aliases=spec.aliases,
                default_plan=spec.default_plan,
                coverage=spec.coverage,
                plans=plans,
                status_pages=spec.status_pages,
                targets_verified=sum(not f.unverified for p in spec.plans for f in p.severities),
                targets_unverified=sum(f.unverified for p in spec.plans for f in p.severities),
            )
        )
    ambiguous = {k: v for k, v in shared_aliases().items() if len(v) > 1}
    return VendorCatalog(vendors=vendors, ambiguous_aliases=ambiguous)


def plan_ids(vendor: str) -> list[str]:
    """Plan ids of one vendor (aliases accepted), for completions."""
    return [p.id for p in resolve_vendor(vendor).plans]


def list_vendors() -> VendorCatalog:
    """Summarise the whole catalog for a resource: vendors, plans, status sites."""
    return summarise()
