"""Schema and loader for the vendor catalog (references/vendors/*.yaml) and the vendor-escalation policy.

Loading validates every file: each figure must name its sources (ids that resolve to a URL and a
check date) or say ``unverified: true``; mapping tables must cover P0-P3 with levels the vendor has.
Data is read lazily on first use and cached.
"""

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from escalation_kit.errors import DataError, InputError
from escalation_kit.paths import references_dir
from escalation_kit.vendors.ids import normalise, vendor_ids, vendors_dir  # noqa: F401 - re-exported (callers use vc.vendor_ids)
from escalation_kit.vendors.models import (
    CaseChannel,
    CaseFacts,
    Clock,
    EscalationContact,
    PolicyStep,
    ScopeFact,
    ServiceState,
    Source,
    StatusPage,
)
from escalation_kit.vocab import SEVERITIES, Severity

if TYPE_CHECKING:
    from escalation_kit.vendors.summary import VendorCatalog

T = TypeVar("T")
Lifecycle = Literal["current", "legacy", "retired", "add-on"]
_DATE = r"^\d{4}-\d{2}-\d{2}$"


class _Strict(BaseModel):
    # Built on first validation: a process that reads the validated snapshot (``_load_checked``) never needs them.
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Condition(_Strict):
    """One of the vendor's own definitions of a level, as facts: every field given must match.

    ``production: true`` also matches unknown production (None): when unsure, the higher level.
    """

    production: bool | None = None
    state: list[ServiceState] | None = None
    scope: list[ScopeFact] | None = None
    quote: str = Field(description="The vendor's words this condition encodes")
    sources: list[str] = Field(default_factory=list)
    unverified: bool = False

    def matches(self, facts: CaseFacts) -> bool:
        """Whether the facts satisfy every part of this definition."""
        if self.production is not None and facts.production is not None and facts.production != self.production:
            return False
        if self.state is not None and facts.state not in self.state:
            return False
        return self.scope is None or facts.scope in self.scope


class Level(_Strict):
    """One case severity in the vendor's own words, with its API code where the API has one."""

    id: str
    name: str
    api_code: str | None = None
    meaning: str = ""
    when: list[Condition] = Field(
        default_factory=list, description="The vendor's definitions as facts; any one matching selects the level"
    )
    sources: list[str] = Field(default_factory=list)
    unverified: bool = False
    note: str = ""


class PlanSeverity(_Strict):
    """A plan's first-response target for one level (a vendor figure)."""

    level: str
    response_minutes: int | None = Field(default=None, ge=1)
    clock: Clock
    sources: list[str] = Field(default_factory=list)
    unverified: bool = False
    note: str = ""


class MappingRule(_Strict):
    """Which vendor levels a P-level should be filed as, best first; later entries are fallbacks."""

    prefer: list[str] = Field(min_length=1)
    why: str


class NonProduction(_Strict):
    """The highest level a non-production incident may be filed at (levels are listed most severe first)."""

    ceiling: str = Field(description="Level id; more severe levels are skipped when production is False")
    why: str
    sources: list[str] = Field(default_factory=list)
    unverified: bool = False


class PlanChange(_Strict):
    """A dated change to the vendor's plan lineup (a vendor fact, with sources)."""

    date: str = Field(pattern=_DATE)
    change: str
    sources: list[str] = Field(default_factory=list)
    unverified: bool = False


class BusinessWindow(_Strict):
    """The hours a plan's business-hours targets count in, as the vendor publishes them."""

    start: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    end: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    where: str = Field(description="Whose local time and calendar, in the vendor's words")
    sources: list[str] = Field(default_factory=list)
    unverified: bool = False


class Plan(_Strict):
    """One support plan: its severities with targets, escalation roles and mapping overrides."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    aliases: list[str] = Field(default_factory=list)
    lifecycle: Lifecycle
    lifecycle_note: str = ""
    technical_cases: bool
    no_case_reason: str = ""
    severities: list[PlanSeverity] = Field(default_factory=list)
    mapping: dict[Severity, MappingRule] = Field(default_factory=dict, description="Overrides the vendor table")
    escalation: list[EscalationContact] = Field(default_factory=list)
    business_window: BusinessWindow | None = Field(default=None, description="Published business hours, if any")
    sources: list[str] = Field(default_factory=list)
    unverified: bool = False
    note: str = ""

    @model_validator(mode="after")
    def _check(self) -> "Plan":
        if not self.technical_cases and (self.severities or not self.no_case_reason):
            raise DataError(f"plan {self.id}: no technical cases means no severities and a no_case_reason")
        if self.technical_cases and not self.severities:
            raise DataError(f"plan {self.id}: technical cases need at least one severity")
        for sev in self.severities:  # figures inherit the plan's sources unless they name their own
            if not sev.sources:
                sev.sources = list(self.sources)
        return self


class RegionRule(_Strict):
    """A note that applies when the region matches, e.g. AWS China regions use a separate partition."""

    pattern: str
    note: str
    sources: list[str] = Field(default_factory=list)
    unverified: bool = False


class RegionHint(_Strict):
    """When a shared alias is ambiguous, a region matching ``pattern`` hints at this vendor."""

    pattern: str
    hint: str


class VendorSpec(_Strict):
    """One vendor file: levels, mapping table, plans, channels, status pages and sources."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    site: str = ""
    aliases: list[str] = Field(default_factory=list)
    shared_aliases: list[str] = Field(
        default_factory=list, description="Names this vendor shares with others; using one is an error"
    )
    region_hint: RegionHint | None = None
    coverage: str
    default_plan: str
    default_plan_reason: str
    levels: list[Level] = Field(min_length=1)
    mapping: dict[Severity, MappingRule]
    non_production: NonProduction | None = Field(
        default=None, description="Cap for non-production incidents; None when the vendor's levels ignore it"
    )
    plans: list[Plan] = Field(min_length=1)
    open_case: list[CaseChannel] = Field(default_factory=list)
    escalation: list[EscalationContact] = Field(default_factory=list, description="Applies to every paid plan")
    status_pages: list[StatusPage] = Field(min_length=1)
    plan_changes: list[PlanChange] = Field(default_factory=list)
    region_rules: list[RegionRule] = Field(default_factory=list)
    sources: list[Source] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> "VendorSpec":
        level_ids = {lv.id for lv in self.levels}
        plan_ids = [p.id for p in self.plans]
        if len(set(plan_ids)) != len(plan_ids):
            raise DataError("duplicate plan ids")
        if self.default_plan not in plan_ids:
            raise DataError(f"default_plan {self.default_plan!r} is not one of {plan_ids}")
        if set(self.mapping) != set(SEVERITIES):
            raise DataError(f"mapping must cover exactly {list(SEVERITIES)}")
        for where, rules in [("vendor", self.mapping)] + [(p.id, p.mapping) for p in self.plans]:
            for sev, rule in rules.items():
                bad = [lv for lv in rule.prefer if lv not in level_ids]
                if bad:
                    raise DataError(f"mapping {where}/{sev} names unknown levels {bad}")
        if self.non_production and self.non_production.ceiling not in level_ids:
            raise DataError(f"non_production ceiling {self.non_production.ceiling!r} is not a level")
        for plan in self.plans:
            seen = [s.level for s in plan.severities]
            if len(set(seen)) != len(seen) or set(seen) - level_ids:
                raise DataError(f"plan {plan.id}: severities must be distinct known levels")
        self._check_sources()
        return self

    def _check_sources(self) -> None:
        known = {s.id for s in self.sources}
        for where, ids, unverified in self.figures():
            missing = [i for i in ids if i not in known]
            if missing:
                raise DataError(f"{where}: unknown source ids {missing}")
            if not ids and not unverified:
                raise DataError(f"{where}: a figure needs sources or unverified: true")

    def figures(self) -> list[tuple[str, list[str], bool]]:
        """Every sourced item as (where, source ids, unverified) - the provenance check walks these."""
        out: list[tuple[str, list[str], bool]] = []
        out += [(f"level {lv.id}", lv.sources, lv.unverified) for lv in self.levels]
        out += [(f"level {lv.id}/when", c.sources, c.unverified) for lv in self.levels for c in lv.when]
        for plan in self.plans:
            out.append((f"plan {plan.id}", plan.sources, plan.unverified))
            out += [(f"plan {plan.id}/{s.level}", s.sources, s.unverified) for s in plan.severities]
            out += [(f"plan {plan.id}/escalation {e.role}", e.sources, e.unverified) for e in plan.escalation]
            if plan.business_window:
                out.append((f"plan {plan.id}/business_window", plan.business_window.sources,
                            plan.business_window.unverified))
        out += [(f"open_case {c.kind}", c.sources, c.unverified) for c in self.open_case]
        out += [(f"escalation {e.role}", e.sources, e.unverified) for e in self.escalation]
        out += [(f"status page {s.name}", s.sources, s.unverified) for s in self.status_pages]
        out += [(f"plan change {c.date}", c.sources, c.unverified) for c in self.plan_changes]
        out += [(f"region rule {r.pattern}", r.sources, r.unverified) for r in self.region_rules]
        if self.non_production:
            out.append(("non_production", self.non_production.sources, self.non_production.unverified))
        return out

    def plan(self, plan_id: str) -> Plan:
        """The plan with this id (ids are checked at load time)."""
        return next(p for p in self.plans if p.id == plan_id)

    def allowed(self, prefer: list[str], production: bool | None) -> list[str]:
        """The preference list, without levels above the non-production ceiling when production is False."""
        if production is not False or self.non_production is None:
            return prefer
        order = [lv.id for lv in self.levels]
        floor = order.index(self.non_production.ceiling)
        kept = [lv for lv in prefer if order.index(lv) >= floor]
        return kept or [self.non_production.ceiling]

    def defined_level(self, facts: CaseFacts) -> tuple[Level, Condition] | None:
        """The most severe level whose own definition matches the facts, with the definition that matched."""
        for lv in self.levels:
            hit = next((c for c in lv.when if c.matches(facts)), None)
            if hit is not None:
                return lv, hit
        return None

    def below(self, level_id: str) -> list[str]:
        """This level and every less severe one, most severe first (levels are listed in that order)."""
        order = [lv.id for lv in self.levels]
        return order[order.index(level_id):]

    def level(self, level_id: str) -> Level:
        """The level with this id (mapping and plan references are checked at load time)."""
        return next(lv for lv in self.levels if lv.id == level_id)

    def source(self, source_id: str) -> Source:
        """The source record behind an id (ids are checked at load time)."""
        return next(s for s in self.sources if s.id == source_id)


class PolicyRule(_Strict):
    """One playbook step: for which P-levels, when, and which escalation role it needs."""

    id: str
    severities: list[Severity] = Field(min_length=1)
    after_minutes: int | None = Field(default=None, ge=0)
    relative_to: Literal["incident_start", "case_opened"] = "case_opened"
    action: str
    source: str
    requires_kind: list[str] = Field(default_factory=list, description="Only when the plan has such a contact")
    vendors: list[str] | None = None
    needs_case: bool = Field(default=True, description="False for steps that apply even when no case can be filed")

    def step(self, case_name: str) -> PolicyStep:
        """The labelled step for tool output, with the chosen case severity filled in."""
        return PolicyStep.model_construct(  # every value comes from this validated rule
            id=self.id,
            after_minutes=self.after_minutes,
            relative_to=self.relative_to,
            action=self.action.replace("{case}", case_name),
            source=self.source,
        )


class PolicyFile(_Strict):
    """references/policy/vendor-escalation.yaml: playbook steps, each citing a policy source."""

    label: Literal["policy"]
    description: str
    sources: list[Source]
    steps: list[PolicyRule]

    @model_validator(mode="after")
    def _check(self) -> "PolicyFile":
        known = {s.id for s in self.sources}
        bad = [r.id for r in self.steps if r.source not in known]
        if bad:
            raise DataError(f"policy steps with unknown source: {bad}")
        return self


def _read_yaml(path: Path) -> dict:
    """Parse one YAML document with the safe loader."""
    from escalation_kit.datafiles import load_yaml  # JSON snapshot of the YAML: start-up reads no data
    with path.open(encoding="utf-8") as fh:
        return load_yaml(fh)


def load_vendor_file(path: Path) -> VendorSpec:
    """Validate one vendor file; the file name must be the vendor id."""
    from escalation_kit.datafiles import is_yaml_error

    try:
        spec = VendorSpec.model_validate(_read_yaml(path))
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

    code = [Path(__file__), Path(__file__).with_name("models.py"), Path(__file__).with_name("ids.py")]
    return load_checked(name, [*files, *code], build)


@cache
def load_catalog() -> dict[str, VendorSpec]:
    """All vendors by id, validated; aliases must not collide."""
    files = sorted(vendors_dir().glob("*.yaml"))
    return _load_checked("vendor-catalog", files, lambda: _check_catalog(files))


def _check_catalog(files: list[Path]) -> dict[str, VendorSpec]:
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
    return specs


class FactDefault(_Strict):
    """What a P-level means as facts when the caller gives none (project policy)."""

    state: ServiceState
    scope: ScopeFact
    why: str


class CaseFactsPolicy(_Strict):
    """references/policy/case-facts.yaml: default facts per P-level."""

    label: Literal["policy"]
    source: str
    checked: str = Field(pattern=_DATE)
    defaults: dict[Severity, FactDefault]

    @model_validator(mode="after")
    def _check(self) -> "CaseFactsPolicy":
        if set(self.defaults) != set(SEVERITIES):
            raise DataError(f"case-facts defaults must cover exactly {list(SEVERITIES)}")
        return self


@cache
def load_fact_defaults() -> CaseFactsPolicy:
    """Default facts per P-level, validated (policy, kept apart from vendor facts)."""
    path = references_dir() / "policy" / "case-facts.yaml"

    def check() -> CaseFactsPolicy:
        try:
            return CaseFactsPolicy.model_validate(_read_yaml(path))
        except ValidationError as exc:
            raise DataError(f"case-facts.yaml: {exc}") from exc

    return _load_checked("case-facts", [path], check)


@cache
def load_policy() -> PolicyFile:
    """The vendor-escalation playbook policy, validated; kept apart from vendor facts."""
    path = references_dir() / "policy" / "vendor-escalation.yaml"
    return _load_checked("vendor-escalation", [path], lambda: PolicyFile.model_validate(_read_yaml(path)))


@cache
def shared_aliases() -> dict[str, list[str]]:
    """Names more than one vendor answers to (e.g. 'alibaba'), mapped to the vendors to choose from."""
    out: dict[str, list[str]] = {}
    for spec in load_catalog().values():
        for alias in spec.shared_aliases:
            out.setdefault(normalise(alias), []).append(spec.id)
    return out


def resolve_vendor(vendor: str, region: str | None = None) -> VendorSpec:
    """Find a vendor by id or alias; ambiguous names raise with the choices and a region hint."""
    if not isinstance(vendor, str) or not vendor.strip():
        raise InputError("vendor", "a vendor id is required", allowed=sorted(load_catalog()))
    key = normalise(vendor)
    catalog = load_catalog()
    for spec in catalog.values():
        if key == spec.id or key in (normalise(a) for a in spec.aliases):
            return spec
    if key in shared_aliases():
        choices = shared_aliases()[key]
        if len(choices) == 1:
            return catalog[choices[0]]
        raise InputError("vendor", _ambiguity_message(vendor, choices, region), allowed=choices)
    raise InputError("vendor", f"unknown vendor {vendor!r}", allowed=sorted(catalog))


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


def resolve_plan(spec: VendorSpec, plan: str) -> Plan:
    """Find a plan by id, alias or exact name (case-insensitive)."""
    key = normalise(plan)
    for candidate in spec.plans:
        names = [candidate.id, candidate.name, *candidate.aliases]
        if key in (normalise(n) for n in names):
            return candidate
    raise InputError("plan", f"unknown plan {plan!r} for {spec.id}", allowed=[p.id for p in spec.plans])


def summarise() -> "VendorCatalog":
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


def list_vendors() -> "VendorCatalog":
    """Summarise the whole catalog for a resource: vendors, plans, status sites."""
    return summarise()
