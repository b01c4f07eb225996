"""The schema of the vendor catalog (references/vendors/*.yaml) and of the vendor policy files.

Used only to build the validated snapshots (and by tests that check a file's errors): each model
subclasses its plain counterpart in ``catalog_types``, which is what the snapshots hold and the path
logic reads, so serving a call never creates these classes. Loading validates every file: each figure
must name its sources (ids that resolve to a URL and a check date) or say ``unverified: true``; mapping
tables must cover P0-P3 with levels the vendor has.
"""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from escalation_kit.errors import DataError
from escalation_kit.lean import new_list
from escalation_kit.vendors import catalog_types as types
from escalation_kit.vendors.catalog_types import Lifecycle
from escalation_kit.vendors.models import (
    CaseChannel,
    Clock,
    EscalationContact,
    ScopeFact,
    ServiceState,
    Source,
    StatusPage,
)
from escalation_kit.vocab import SEVERITIES, Severity

_DATE = r"^\d{4}-\d{2}-\d{2}$"


class _Strict(BaseModel):
    # Built on first validation: only a snapshot build (or a test) validates.
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Condition(_Strict, types.Condition):
    production: bool | None = None
    state: list[ServiceState] | None = None
    scope: list[ScopeFact] | None = None
    quote: str = Field(description="The vendor's words this condition encodes")
    sources: list[str] = Field(default_factory=new_list)
    unverified: bool = False


class Level(_Strict, types.Level):
    id: str
    name: str
    api_code: str | None = None
    meaning: str = ""
    when: list[Condition] = Field(
        default_factory=new_list, description="The vendor's definitions as facts; any one matching selects the level"
    )
    sources: list[str] = Field(default_factory=new_list)
    unverified: bool = False
    note: str = ""


class PlanSeverity(_Strict, types.PlanSeverity):
    level: str
    response_minutes: int | None = Field(default=None, ge=1)
    clock: Clock
    sources: list[str] = Field(default_factory=new_list)
    unverified: bool = False
    note: str = ""


class MappingRule(_Strict, types.MappingRule):
    prefer: list[str] = Field(min_length=1)
    why: str


class NonProduction(_Strict, types.NonProduction):
    ceiling: str = Field(description="Level id; more severe levels are skipped when production is False")
    why: str
    sources: list[str] = Field(default_factory=new_list)
    unverified: bool = False


class PlanChange(_Strict, types.PlanChange):
    date: str = Field(pattern=_DATE)
    change: str
    sources: list[str] = Field(default_factory=new_list)
    unverified: bool = False


class BusinessWindow(_Strict, types.BusinessWindow):
    start: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    end: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    where: str = Field(description="Whose local time and calendar, in the vendor's words")
    sources: list[str] = Field(default_factory=new_list)
    unverified: bool = False


class Plan(_Strict, types.Plan):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    aliases: list[str] = Field(default_factory=new_list)
    lifecycle: Lifecycle
    lifecycle_note: str = ""
    technical_cases: bool
    no_case_reason: str = ""
    severities: list[PlanSeverity] = Field(default_factory=new_list)
    mapping: dict[Severity, MappingRule] = Field(default_factory=dict, description="Overrides the vendor table")
    escalation: list[EscalationContact] = Field(default_factory=new_list)
    business_window: BusinessWindow | None = Field(default=None, description="Published business hours, if any")
    sources: list[str] = Field(default_factory=new_list)
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


class RegionRule(_Strict, types.RegionRule):
    pattern: str
    note: str
    sources: list[str] = Field(default_factory=new_list)
    unverified: bool = False


class RegionHint(_Strict, types.RegionHint):
    pattern: str
    hint: str


class VendorSpec(_Strict, types.VendorSpec):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    site: str = ""
    aliases: list[str] = Field(default_factory=new_list)
    shared_aliases: list[str] = Field(
        default_factory=new_list, description="Names this vendor shares with others; using one is an error"
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
    open_case: list[CaseChannel] = Field(default_factory=new_list)
    escalation: list[EscalationContact] = Field(default_factory=new_list, description="Applies to every paid plan")
    status_pages: list[StatusPage] = Field(min_length=1)
    plan_changes: list[PlanChange] = Field(default_factory=new_list)
    region_rules: list[RegionRule] = Field(default_factory=new_list)
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


class PolicyRule(_Strict, types.PolicyRule):
    id: str
    severities: list[Severity] = Field(min_length=1)
    after_minutes: int | None = Field(default=None, ge=0)
    relative_to: Literal["incident_start", "case_opened"] = "case_opened"
    action: str
    source: str
    requires_kind: list[str] = Field(default_factory=new_list, description="Only when the plan has such a contact")
    vendors: list[str] | None = None
    needs_case: bool = Field(default=True, description="False for steps that apply even when no case can be filed")


class PolicyFile(_Strict, types.PolicyFile):
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


class FactDefault(_Strict, types.FactDefault):
    state: ServiceState
    scope: ScopeFact
    why: str


class CaseFactsPolicy(_Strict, types.CaseFactsPolicy):
    label: Literal["policy"]
    source: str
    checked: str = Field(pattern=_DATE)
    defaults: dict[Severity, FactDefault]

    @model_validator(mode="after")
    def _check(self) -> "CaseFactsPolicy":
        if set(self.defaults) != set(SEVERITIES):
            raise DataError(f"case-facts defaults must cover exactly {list(SEVERITIES)}")
        return self
