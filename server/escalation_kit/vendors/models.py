"""What the vendor tools return: the support path for one vendor and level, and the catalog summary.

The catalog schema (``catalog``) reuses the parts (sources, channels, contacts, status pages), so
these models sit below both the catalog and the path logic.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from escalation_kit.vocab import Severity, VendorClock

Clock = VendorClock
# How the service behaves for the affected users, and how many of them: the facts vendors define
# their case levels by (see references/policy/case-facts.yaml for the defaults per P-level).
ServiceState = Literal["down", "unusable", "impaired", "intermittent", "minor", "question"]
ScopeFact = Literal["all", "region", "some", "one"]


class CaseFacts(BaseModel):
    """The incident facts a vendor's own level definitions are applied to."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    production: bool | None = None
    state: ServiceState
    scope: ScopeFact
    given: list[str] = Field(default_factory=list)  # facts the caller passed; the rest are P-level defaults

    def text(self) -> str:
        """'production=unknown, state=unusable, scope=region (state, scope: P-level defaults)'."""
        prod = "unknown" if self.production is None else str(self.production).lower()
        defaulted = [k for k in ("production", "state", "scope") if k not in self.given and k != "production"]
        tail = f" ({', '.join(defaulted)}: P-level defaults)" if defaulted else ""
        return f"production={prod}, state={self.state}, scope={self.scope}{tail}"


# Each answer part comes in two sizes: the *Brief* base holds what a caller acts on (what the MCP tool
# returns by default) and the full model adds provenance detail (source ids per item, notes, catalog
# ids), returned with ``detail: "full"``. The full models subclass the brief ones, so a full answer
# still matches the brief output schema.


class SourceBrief(BaseModel):
    model_config = ConfigDict(defer_build=True)
    url: str
    checked: str = Field(description="Date the source was checked, YYYY-MM-DD", pattern=r"^\d{4}-\d{2}-\d{2}$")


class Source(SourceBrief):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    id: str
    note: str = ""
    via_copy: bool = Field(default=False, description="Official text read through a mirror, scrape or fork")
    official: bool = Field(default=True, description="False for third-party material kept only as a pointer")


class CaseSeverityBrief(BaseModel):
    """Stable: name, api_code, response_minutes, clock, unverified."""
    model_config = ConfigDict(defer_build=True)

    name: str = Field(description="The vendor's own name for the case severity")
    api_code: str | None = None
    response_minutes: int | None = Field(description="Committed first-response target; None when not offered")
    clock: Clock
    unverified: bool = False


class CaseSeverity(CaseSeverityBrief):
    model_config = ConfigDict(defer_build=True)

    sources: list[str] = Field(default_factory=list)
    level: str = Field(default="", description="Catalog id of the vendor's level, e.g. 'critical' or 'A'")
    meaning: str = Field(default="", description="When the vendor says to use this level")
    note: str = ""


class CaseChannelBrief(BaseModel):
    model_config = ConfigDict(defer_build=True)
    kind: Literal["console", "cli", "api", "phone", "chat", "email"]
    how: str
    command: str | None = None
    unverified: bool = False


class CaseChannel(CaseChannelBrief):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    note: str = ""
    sources: list[str] = Field(default_factory=list)
    plans: list[str] | None = Field(default=None, description="Plans that may use this channel; None = all")


class EscalationContactBrief(BaseModel):
    model_config = ConfigDict(defer_build=True)
    role: str = Field(description="The vendor's own expansion of the role, e.g. 'Technical Account Manager (TAM)'")
    when: str = ""
    unverified: bool = False


class EscalationContact(EscalationContactBrief):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    kind: str = Field(default="", description="Role family policy steps refer to: tam, account_manager, ...")
    note: str = ""
    sources: list[str] = Field(default_factory=list)


class StatusPageBrief(BaseModel):
    model_config = ConfigDict(defer_build=True)
    name: str
    url: str
    unverified: bool = False


class StatusPage(StatusPageBrief):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    note: str = ""
    sources: list[str] = Field(default_factory=list)


class PolicyStepBrief(BaseModel):
    """Playbook policy (not a vendor commitment); the answer's ``policy_label`` says so."""
    model_config = ConfigDict(defer_build=True)

    after_minutes: int | None = None
    relative_to: Literal["incident_start", "case_opened"] = Field(
        default="case_opened", description="The moment after_minutes counts from"
    )
    action: str


class PolicyStep(PolicyStepBrief):
    """Playbook policy (not a vendor commitment), labelled as such in tool output."""

    model_config = ConfigDict(defer_build=True)

    label: Literal["policy"] = "policy"
    source: str
    id: str = ""


class VendorPathBrief(BaseModel):
    """The support path as a caller acts on it: what to file, how, whom to escalate to, where to look."""
    model_config = ConfigDict(defer_build=True)

    vendor: str
    vendor_name: str
    plan: str
    plan_name: str
    plan_assumed: bool = Field(default=False, description="True when no plan was given and the default was used")
    severity: Severity
    case_severity: CaseSeverityBrief | None = Field(description="None when the plan offers no case at this level")
    available: bool
    note: str = ""
    mapping_reason: str = Field(default="", description="Why this P-level maps to this vendor severity")
    open_case: list[CaseChannelBrief] = Field(default_factory=list)
    escalation: list[EscalationContactBrief] = Field(default_factory=list)
    status_pages: list[StatusPageBrief] = Field(default_factory=list)
    policy: list[PolicyStepBrief] = Field(default_factory=list)
    sources: list[SourceBrief] = Field(default_factory=list)
    unverified: list[str] = Field(default_factory=list, description="Fields whose figures are not officially confirmed")
    facts_label: Literal["vendor"] = "vendor"
    policy_label: Literal["policy"] = "policy"


class VendorPath(VendorPathBrief):
    """The full answer: the brief one plus source ids per item, notes, the facts applied and catalog ids."""

    model_config = ConfigDict(defer_build=True)  # built on first use: listing the tools needs only the brief model

    case_severity: CaseSeverity | None = Field(description="None when the plan offers no case at this level")
    open_case: list[CaseChannel] = Field(default_factory=list)
    escalation: list[EscalationContact] = Field(default_factory=list)
    status_pages: list[StatusPage] = Field(default_factory=list)
    policy: list[PolicyStep] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    region: str | None = None
    production: bool | None = Field(default=None, description="False caps the case at the non-production ceiling")
    facts: str = ""  # what the vendor's level definitions were applied to
    business_window: str | None = None  # the plan's published business hours, e.g. '08:00-18:00'
    plan_lifecycle: str = ""
    exact_match: bool = Field(default=True, description="False when the plan lacks the preferred severity")

    def brief(self) -> VendorPathBrief:
        """The same answer without the provenance detail (no copy: the parts are shared, and serialise brief)."""
        return VendorPathBrief.model_construct(**{name: getattr(self, name) for name in VendorPathBrief.model_fields})


class PlanSummary(BaseModel):
    model_config = ConfigDict(defer_build=True)  # the catalog resource only

    id: str
    name: str
    lifecycle: str
    technical_cases: bool
    default: bool = False


class VendorSummary(BaseModel):
    model_config = ConfigDict(defer_build=True)  # the catalog resource only

    id: str
    name: str
    site: str = ""
    aliases: list[str] = Field(default_factory=list)
    default_plan: str
    coverage: str
    plans: list[PlanSummary]
    status_pages: list[StatusPage]
    targets_verified: int = Field(default=0, description="First-response targets confirmed from official sources")
    targets_unverified: int = Field(default=0, description="Targets marked unverified (including unknown ones)")


class VendorCatalog(BaseModel):
    """What ``list_vendors`` returns: every vendor with its plans and status sites."""

    model_config = ConfigDict(defer_build=True)  # the catalog resource only

    vendors: list[VendorSummary]
    ambiguous_aliases: dict[str, list[str]] = Field(default_factory=dict)
    policy_file: str = "references/policy/vendor-escalation.yaml"
