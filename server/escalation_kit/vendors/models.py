"""What the vendor tools return: the support path for one vendor and level, and the catalog summary.

The catalog schema (``catalog``) reuses the parts (sources, channels, contacts, status pages), so
these models sit below both the catalog and the path logic.
"""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from escalation_kit import lazy
from escalation_kit.lean import construct, new_list, unless_blank, unless_empty, unless_none, unless_true
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
    given: list[str] = Field(default_factory=new_list)  # facts the caller passed; the rest are P-level defaults

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
    note: str = unless_blank()
    via_copy: bool = unless_true(description="Official text read through a mirror, scrape or fork")
    official: bool = Field(default=True, description="False for third-party material kept only as a pointer")


class CaseSeverityBrief(BaseModel):
    """Stable: name, api_code, response_minutes, clock, unverified."""
    model_config = ConfigDict(defer_build=True)

    name: str = Field(description="The vendor's own name for the case severity")
    api_code: str | None = unless_none()
    response_minutes: int | None = Field(description="Committed first-response target; None when not offered")
    clock: Clock
    unverified: bool = unless_true()


class CaseSeverity(CaseSeverityBrief):
    model_config = ConfigDict(defer_build=True)

    sources: list[str] = unless_empty()
    level: str = unless_blank(description="Catalog id of the vendor's level, e.g. 'critical' or 'A'")
    meaning: str = unless_blank(description="When the vendor says to use this level")
    note: str = unless_blank()


class CaseChannelBrief(BaseModel):
    model_config = ConfigDict(defer_build=True)
    kind: Literal["console", "cli", "api", "phone", "chat", "email"]
    how: str
    command: str | None = unless_none()
    unverified: bool = unless_true()


class CaseChannel(CaseChannelBrief):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    note: str = unless_blank()
    sources: list[str] = unless_empty()
    plans: list[str] | None = unless_none(description="Plans that may use this channel; None = all")


class EscalationContactBrief(BaseModel):
    model_config = ConfigDict(defer_build=True)
    role: str = Field(description="The vendor's own expansion of the role, e.g. 'Technical Account Manager (TAM)'")
    when: str = unless_blank()
    unverified: bool = unless_true()


class EscalationContact(EscalationContactBrief):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    kind: str = unless_blank(description="Role family policy steps refer to: tam, account_manager, ...")
    note: str = unless_blank()
    sources: list[str] = unless_empty()


class StatusPageBrief(BaseModel):
    model_config = ConfigDict(defer_build=True)
    name: str
    url: str
    unverified: bool = unless_true()


class StatusPage(StatusPageBrief):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    note: str = unless_blank()
    sources: list[str] = unless_empty()


class PolicyStepBrief(BaseModel):
    """Playbook policy (not a vendor commitment); the answer's ``policy_label`` says so."""
    model_config = ConfigDict(defer_build=True)

    after_minutes: int | None = unless_none(description="None: no fixed time, act when the situation calls for it")
    relative_to: Literal["incident_start", "case_opened"] = Field(
        default="case_opened", description="The moment after_minutes counts from"
    )
    action: str


class PolicyStep(PolicyStepBrief):
    """Playbook policy (not a vendor commitment), labelled as such in tool output."""

    model_config = ConfigDict(defer_build=True)

    label: Literal["policy"] = "policy"
    source: str
    id: str = unless_blank()


class VendorPathBrief(BaseModel):
    """The support path as a caller acts on it: what to file, how, whom to escalate to, where to look."""
    model_config = ConfigDict(defer_build=True)

    vendor: str
    vendor_name: str
    plan: str
    plan_name: str
    plan_assumed: bool = unless_true(description="True when no plan was given and the default was used")
    severity: Severity
    case_severity: CaseSeverityBrief | None = Field(description="None when the plan offers no case at this level")
    available: bool
    note: str = unless_blank()
    mapping_reason: str = unless_blank(description="Why this P-level maps to this vendor severity")
    open_case: list[CaseChannelBrief] = unless_empty()
    escalation: list[EscalationContactBrief] = unless_empty()
    status_pages: list[StatusPageBrief] = unless_empty()
    policy: list[PolicyStepBrief] = unless_empty()
    sources: list[SourceBrief] = unless_empty()
    unverified: list[str] = unless_empty(description="Fields whose figures are not officially confirmed")
    facts_label: Literal["vendor"] = "vendor"
    policy_label: Literal["policy"] = "policy"


class VendorPath(VendorPathBrief):
    """The full answer: the brief one plus source ids per item, notes, the facts applied and catalog ids."""

    model_config = ConfigDict(defer_build=True)  # built on first use: listing the tools needs only the brief model

    case_severity: CaseSeverity | None = Field(description="None when the plan offers no case at this level")
    open_case: list[CaseChannel] = unless_empty()
    escalation: list[EscalationContact] = unless_empty()
    status_pages: list[StatusPage] = unless_empty()
    policy: list[PolicyStep] = unless_empty()
    sources: list[Source] = unless_empty()
    region: str | None = unless_none()
    production: bool | None = unless_none(description="False caps the case at the non-production ceiling")
    facts: str = unless_blank()  # what the vendor's level definitions were applied to
    business_window: str | None = unless_none()  # the plan's published business hours, e.g. '08:00-18:00'
    plan_lifecycle: str = unless_blank()
    exact_match: bool = Field(default=True, description="False when the plan lacks the preferred severity")

    def brief(self) -> VendorPathBrief:
        """The same answer without the provenance detail (no copy: the parts are shared, and serialise brief)."""
        return construct(VendorPathBrief, **{name: getattr(self, name) for name in VendorPathBrief.model_fields})

    def compact(self) -> "VendorPathCompact":
        """What a caller states and acts on (the tool's default): the brief answer without the playbook steps
        and the sources behind no stated figure. ``unverified`` stays whole: besides the items that carry
        their own flag it names the plan, region notes, level definitions and the non-production cap.

        ``sources`` keeps those the case severity cites (its response target is the figure the answer
        quotes); with no case at this level, every source, since the note then is the sourced statement.
        """
        # every field passed: a default_factory left to model_construct asks inspect.signature(list), ~0.1 ms
        values = {name: getattr(self, name) for name in _COMPACT_FIELDS} | {"policy": []}
        if self.case_severity is not None and self.case_severity.sources:
            cited = set(self.case_severity.sources)
            values["sources"] = [s for s in self.sources if s.id in cited]
        return construct(VendorPathCompact, **values)


class VendorPathCompact(VendorPathBrief):
    """The default answer: ``VendorPath.compact``. With no playbook steps in it, nothing needs the two labels
    that tell vendor fact from policy, so they are left out too (``detail: "summary"`` has both)."""

    model_config = ConfigDict(defer_build=True)

    facts_label: Literal["vendor"] = Field(default="vendor", exclude=True)
    policy_label: Literal["policy"] = Field(default="policy", exclude=True)


# The brief fields the compact answer keeps (``policy`` stays empty there, so left out).
_COMPACT_FIELDS = tuple(name for name in VendorPathBrief.model_fields
                        if name not in ("policy", "facts_label", "policy_label"))


# The catalog summary (``PlanSummary``, ``VendorSummary``, ``VendorCatalog``) lives in ``summary``: only the
# catalog resource and ``list_vendors`` build it, so the path and SLA tools' first calls create none of its
# classes. The names stay importable from here.
_SUMMARY = "escalation_kit.vendors.summary"
__getattr__ = lazy.attributes(__name__, dict.fromkeys(("PlanSummary", "VendorSummary", "VendorCatalog"), _SUMMARY),
                              globals())
