"""The vendor catalog's runtime form: plain objects with the validated fields of references/vendors/*.yaml.

``catalog`` loads them from a validated snapshot; the pydantic models that validate the files
(``catalog_schema``) subclass these, so a support-path or SLA call never creates a schema class. The
parts a caller gets back (sources, channels, contacts, status pages) stay the answer models of ``models``.
Each class declares the fields of its schema model, in order (a test keeps them equal).
"""

from __future__ import annotations

from typing import Literal

from escalation_kit.datafiles import Plain
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
from escalation_kit.vocab import Severity

Lifecycle = Literal["current", "legacy", "retired", "add-on"]


class Condition(Plain):
    """One of the vendor's own definitions of a level, as facts: every field given must match.

    ``production: true`` also matches unknown production (None): when unsure, the higher level.
    """

    production: bool | None
    state: list[ServiceState] | None
    scope: list[ScopeFact] | None
    quote: str
    sources: list[str]
    unverified: bool

    def matches(self, facts: CaseFacts) -> bool:
        """Whether the facts satisfy every part of this definition."""
        if self.production is not None and facts.production is not None and facts.production != self.production:
            return False
        if self.state is not None and facts.state not in self.state:
            return False
        return self.scope is None or facts.scope in self.scope


class Level(Plain):
    """One case severity in the vendor's own words, with its API code where the API has one."""

    id: str
    name: str
    api_code: str | None
    meaning: str
    when: list[Condition]
    sources: list[str]
    unverified: bool
    note: str


class PlanSeverity(Plain):
    """A plan's first-response target for one level (a vendor figure)."""

    level: str
    response_minutes: int | None
    clock: Clock
    sources: list[str]
    unverified: bool
    note: str


class MappingRule(Plain):
    """Which vendor levels a P-level should be filed as, best first; later entries are fallbacks."""

    prefer: list[str]
    why: str


class NonProduction(Plain):
    """The highest level a non-production incident may be filed at (levels are listed most severe first)."""

    ceiling: str
    why: str
    sources: list[str]
    unverified: bool


class PlanChange(Plain):
    """A dated change to the vendor's plan lineup (a vendor fact, with sources)."""

    date: str
    change: str
    sources: list[str]
    unverified: bool


class BusinessWindow(Plain):
    """The hours a plan's business-hours targets count in, as the vendor publishes them."""

    start: str
    end: str
    where: str
    sources: list[str]
    unverified: bool


class Plan(Plain):
    """One support plan: its severities with targets, escalation roles and mapping overrides."""

    id: str
    name: str
    aliases: list[str]
    lifecycle: Lifecycle
    lifecycle_note: str
    technical_cases: bool
    no_case_reason: str
    severities: list[PlanSeverity]
    mapping: dict[Severity, MappingRule]
    escalation: list[EscalationContact]
    business_window: BusinessWindow | None
    sources: list[str]
    unverified: bool
    note: str


class RegionRule(Plain):
    """A note that applies when the region matches, e.g. AWS China regions use a separate partition."""

    pattern: str
    note: str
    sources: list[str]
    unverified: bool


class RegionHint(Plain):
    """When a shared alias is ambiguous, a region matching ``pattern`` hints at this vendor."""

    pattern: str
    hint: str


class VendorSpec(Plain):
    """One vendor file: levels, mapping table, plans, channels, status pages and sources."""

    id: str
    name: str
    site: str
    aliases: list[str]
    shared_aliases: list[str]
    region_hint: RegionHint | None
    coverage: str
    default_plan: str
    default_plan_reason: str
    levels: list[Level]
    mapping: dict[Severity, MappingRule]
    non_production: NonProduction | None
    plans: list[Plan]
    open_case: list[CaseChannel]
    escalation: list[EscalationContact]
    status_pages: list[StatusPage]
    plan_changes: list[PlanChange]
    region_rules: list[RegionRule]
    sources: list[Source]

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


class PolicyRule(Plain):
    """One playbook step: for which P-levels, when, and which escalation role it needs."""

    id: str
    severities: list[Severity]
    after_minutes: int | None
    relative_to: Literal["incident_start", "case_opened"]
    action: str
    source: str
    requires_kind: list[str]
    vendors: list[str] | None
    needs_case: bool

    def step(self, case_name: str) -> PolicyStep:
        """The labelled step for tool output, with the chosen case severity filled in."""
        return PolicyStep.model_construct(  # every value comes from this validated rule
            id=self.id,
            after_minutes=self.after_minutes,
            relative_to=self.relative_to,
            action=self.action.replace("{case}", case_name),
            source=self.source,
        )


class PolicyFile(Plain):
    """references/policy/vendor-escalation.yaml: playbook steps, each citing a policy source."""

    label: Literal["policy"]
    description: str
    sources: list[Source]
    steps: list[PolicyRule]


class FactDefault(Plain):
    """What a P-level means as facts when the caller gives none (project policy)."""

    state: ServiceState
    scope: ScopeFact
    why: str


class CaseFactsPolicy(Plain):
    """references/policy/case-facts.yaml: default facts per P-level."""

    label: Literal["policy"]
    source: str
    checked: str
    defaults: dict[Severity, FactDefault]
