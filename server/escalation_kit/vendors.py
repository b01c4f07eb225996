"""Pick the cloud vendor support path for a severity: case severity, target, how to open and escalate.

Vendor facts live in ``references/vendors/<id>.yaml`` (checked by ``vendor_catalog``); playbook
policy lives apart in ``references/policy/vendor-escalation.yaml`` and is labelled ``policy``.
Fields marked stable below are read by other modules (sla, pipeline, eval) and must keep their names.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from escalation_kit.errors import InputError
from escalation_kit.severity import SEVERITIES, Severity

if TYPE_CHECKING:
    from escalation_kit.vendor_catalog import Level, Plan, PlanSeverity, RegionRule, VendorSpec

Clock = Literal["24x7", "business", "unknown"]


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    url: str
    checked: str = Field(description="Date the source was checked, YYYY-MM-DD", pattern=r"^\d{4}-\d{2}-\d{2}$")
    note: str = ""
    via_copy: bool = Field(default=False, description="Official text read through a mirror, scrape or fork")
    official: bool = Field(default=True, description="False for third-party material kept only as a pointer")


class CaseSeverity(BaseModel):
    """Stable: name, api_code, response_minutes, clock, unverified."""

    name: str = Field(description="The vendor's own name for the case severity")
    api_code: str | None = None
    response_minutes: int | None = Field(description="Committed first-response target; None when not offered")
    clock: Clock
    unverified: bool = False
    sources: list[str] = Field(default_factory=list)
    level: str = Field(default="", description="Catalog id of the vendor's level, e.g. 'critical' or 'A'")
    meaning: str = Field(default="", description="When the vendor says to use this level")
    note: str = ""


class CaseChannel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["console", "cli", "api", "phone", "chat", "email"]
    how: str
    command: str | None = None
    unverified: bool = False
    note: str = ""
    sources: list[str] = Field(default_factory=list)
    plans: list[str] | None = Field(default=None, description="Plans that may use this channel; None = all")


class EscalationContact(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: str = Field(description="The vendor's own expansion of the role, e.g. 'Technical Account Manager (TAM)'")
    when: str = ""
    unverified: bool = False
    kind: str = Field(default="", description="Role family policy steps refer to: tam, account_manager, ...")
    note: str = ""
    sources: list[str] = Field(default_factory=list)


class StatusPage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    url: str
    unverified: bool = False
    note: str = ""
    sources: list[str] = Field(default_factory=list)


class PolicyStep(BaseModel):
    """Playbook policy (not a vendor commitment), labelled as such in tool output."""

    label: Literal["policy"] = "policy"
    after_minutes: int | None = None
    action: str
    source: str
    id: str = ""
    relative_to: Literal["incident_start", "case_opened"] = Field(
        default="case_opened", description="The moment after_minutes counts from"
    )


class VendorPath(BaseModel):
    vendor: str
    vendor_name: str
    plan: str
    plan_name: str
    severity: Severity
    case_severity: CaseSeverity | None = Field(description="None when the plan offers no case at this level")
    available: bool
    note: str = ""
    open_case: list[CaseChannel] = Field(default_factory=list)
    escalation: list[EscalationContact] = Field(default_factory=list)
    status_pages: list[StatusPage] = Field(default_factory=list)
    policy: list[PolicyStep] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    unverified: list[str] = Field(default_factory=list, description="Fields whose figures are not officially confirmed")
    region: str | None = None
    production: bool | None = Field(default=None, description="False caps the case at the non-production ceiling")
    plan_assumed: bool = Field(default=False, description="True when no plan was given and the default was used")
    plan_lifecycle: str = ""
    mapping_reason: str = Field(default="", description="Why this P-level maps to this vendor severity")
    exact_match: bool = Field(default=True, description="False when the plan lacks the preferred severity")
    facts_label: Literal["vendor"] = "vendor"
    policy_label: Literal["policy"] = "policy"


class PlanSummary(BaseModel):
    id: str
    name: str
    lifecycle: str
    technical_cases: bool
    default: bool = False


class VendorSummary(BaseModel):
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

    vendors: list[VendorSummary]
    ambiguous_aliases: dict[str, list[str]] = Field(default_factory=dict)
    policy_file: str = "references/policy/vendor-escalation.yaml"


def vendor_ids() -> list[str]:
    """Catalog vendor ids, sorted, for completions."""
    from escalation_kit import vendor_catalog

    return sorted(vendor_catalog.load_catalog())


def plan_ids(vendor: str) -> list[str]:
    """Plan ids of one vendor (aliases accepted), for completions."""
    from escalation_kit import vendor_catalog

    return [p.id for p in vendor_catalog.resolve_vendor(vendor).plans]


def list_vendors() -> VendorCatalog:
    """Summarise the whole catalog for a resource: vendors, plans, status sites."""
    from escalation_kit import vendor_catalog

    return vendor_catalog.summarise()


def pick_vendor_support_path(
    vendor: str,
    severity: Severity,
    plan: str | None = None,
    region: str | None = None,
    production: bool | None = None,
) -> VendorPath:
    """Map P0-P3 to the vendor's case severity on a plan, with ways to open, escalate and sources.

    ``production=False`` caps the case at the vendor's non-production ceiling (vendors reserve their
    top levels for production); None or True leave the mapping as it is.
    """
    from escalation_kit import vendor_catalog as vc

    if severity not in SEVERITIES:
        raise InputError("severity", f"expected one of P0-P3, got {severity!r}", allowed=SEVERITIES)
    if production is not None and not isinstance(production, bool):
        raise InputError("production", f"expected true, false or null, got {production!r}", allowed=["true", "false"])
    region = region.strip() if isinstance(region, str) and region.strip() else None
    spec = vc.resolve_vendor(vendor, region)
    assumed = plan is None or not str(plan).strip()
    chosen = spec.plan(spec.default_plan) if assumed else vc.resolve_plan(spec, plan)
    notes: list[str] = []
    if assumed:
        notes.append(
            f"No plan given: assumed {chosen.name}, {spec.default_plan_reason}; pass plan= if the account has another."
        )
    if chosen.lifecycle_note:
        notes.append(chosen.lifecycle_note)
    case, reason, exact = _case_for(spec, chosen, severity, notes, production)
    notes += _target_caveats(case)
    contacts = [*chosen.escalation, *(spec.escalation if chosen.technical_cases else [])]
    channels = [c for c in spec.open_case if c.plans is None or chosen.id in c.plans] if case else []
    rules = [r for r in spec.region_rules if region and re.match(r.pattern, region.lower())]
    notes += [r.note for r in rules]
    path = VendorPath(
        vendor=spec.id,
        vendor_name=spec.name,
        plan=chosen.id,
        plan_name=chosen.name,
        severity=severity,
        case_severity=case,
        available=case is not None,
        note=" ".join(n for n in notes if n),
        open_case=channels,
        escalation=contacts,
        status_pages=spec.status_pages,
        policy=_policy_steps(spec.id, severity, case, contacts),
        region=region,
        production=production,
        plan_assumed=assumed,
        plan_lifecycle=chosen.lifecycle,
        mapping_reason=reason,
        exact_match=exact,
    )
    capped = production is False and spec.non_production is not None
    cap_ids = spec.non_production.sources if capped and spec.non_production else []
    path.sources = [spec.source(i) for i in dict.fromkeys([*_source_ids(chosen, case, path, rules), *cap_ids])]
    path.unverified = _unverified(chosen, case, path, rules)
    if capped and spec.non_production and spec.non_production.unverified:
        path.unverified.append("non_production cap")
    return path.model_copy(deep=True)  # callers may edit the answer; the cached catalog must not change


def _case_for(
    spec: VendorSpec, plan: Plan, severity: Severity, notes: list[str], production: bool | None = None
) -> tuple[CaseSeverity | None, str, bool]:
    """Walk the mapping table's preferences (capped for non-production) and take the first level the plan offers."""
    if not plan.technical_cases:
        notes.append(plan.no_case_reason)
        return None, "", False
    rule = plan.mapping.get(severity) or spec.mapping[severity]
    prefer = spec.allowed(rule.prefer, production)
    why = rule.why
    if prefer != rule.prefer and spec.non_production:
        why = f"Non-production: {spec.non_production.why}"
        notes.append(f"Not production: capped at '{spec.level(spec.non_production.ceiling).name}'.")
    offered = {s.level: s for s in plan.severities}
    level_id = next((lv for lv in prefer if lv in offered), None)
    if level_id is None:
        names = ", ".join(spec.level(lv).name for lv in prefer)
        notes.append(f"{plan.name} offers none of the severities {severity} maps to ({names}).")
        return None, why, False
    exact = level_id == prefer[0]
    if not exact:
        wanted = spec.level(prefer[0]).name
        notes.append(
            f"{plan.name} has no '{wanted}' severity; file the best available, "
            f"'{spec.level(level_id).name}', and say in the case that the impact is {severity}."
        )
    return _case_severity(spec.level(level_id), offered[level_id]), why, exact


def _target_caveats(case: CaseSeverity | None) -> list[str]:
    """Say plainly when the target is missing or its clock is not stated, so no one assumes one."""
    if case is None:
        return []
    out = []
    if case.response_minutes is None:
        why = "none was confirmed from an official source" if case.unverified else "the plan commits to none"
        out.append(f"No first-response target for '{case.name}': {why}.")
    elif case.clock == "unknown":
        out.append("The vendor does not say whether this target runs 24x7 or in business hours.")
    return out


def _case_severity(level: Level, figure: PlanSeverity) -> CaseSeverity:
    """Join the vendor's level (name, code, meaning) with the plan's figure (target, clock)."""
    return CaseSeverity(
        name=level.name,
        api_code=level.api_code,
        response_minutes=figure.response_minutes,
        clock=figure.clock,
        unverified=figure.unverified or level.unverified,
        sources=list(dict.fromkeys([*figure.sources, *level.sources])),
        level=level.id,
        meaning=level.meaning,
        note=" ".join(n for n in (level.note, figure.note) if n),
    )


def _policy_steps(
    vendor: str, severity: Severity, case: CaseSeverity | None, contacts: list[EscalationContact]
) -> list[PolicyStep]:
    """Playbook steps for this P-level, kept only where the plan has the role a step needs."""
    from escalation_kit import vendor_catalog as vc

    kinds = {c.kind for c in contacts if c.kind}
    steps: list[PolicyStep] = []
    for rule in vc.load_policy().steps:
        if severity not in rule.severities or (rule.vendors is not None and vendor not in rule.vendors):
            continue
        if (rule.needs_case and case is None) or not set(rule.requires_kind) <= kinds:
            continue
        steps.append(rule.step(case.name if case else ""))
    return steps


def _source_ids(plan: Plan, case: CaseSeverity | None, path: VendorPath, rules: list[RegionRule]) -> list[str]:
    """Every source id behind the figures in this answer, first-seen order."""
    ids = [*plan.sources, *(case.sources if case else [])]
    for item in [*path.open_case, *path.escalation, *path.status_pages, *rules]:
        ids += item.sources
    return list(dict.fromkeys(ids))


def _unverified(plan: Plan, case: CaseSeverity | None, path: VendorPath, rules: list[RegionRule]) -> list[str]:
    """Name every figure in the answer that no official source confirmed."""
    out = ["plan"] if plan.unverified else []
    if case and case.unverified:
        out.append(f"case_severity: {case.name}")
    out += [f"open_case.{c.kind}" for c in path.open_case if c.unverified]
    out += [f"escalation: {e.role}" for e in path.escalation if e.unverified]
    out += [f"status_pages: {s.name}" for s in path.status_pages if s.unverified]
    out += [f"region note: {r.pattern}" for r in rules if r.unverified]
    return out


def catalog_markdown(vendor: str) -> str:
    """Render one vendor's catalog entry as short Markdown for an MCP resource template."""
    from escalation_kit import vendor_catalog as vc

    spec = vc.resolve_vendor(vendor)
    lines = [f"# {spec.name} (`{spec.id}`)", ""]
    lines += [f"Site: {spec.site}"] if spec.site else []
    lines += [f"Coverage: {spec.coverage}", f"Default plan: `{spec.default_plan}`", ""]
    lines += _md_severities(spec) + _md_escalation(spec)
    lines += ["## P-level mapping", ""]
    lines += [f"- {sev}: {' > '.join(spec.level(lv).name for lv in r.prefer)}" for sev, r in spec.mapping.items()]
    if spec.non_production:
        cap = spec.non_production
        lines += [f"- Not production: at most {spec.level(cap.ceiling).name} ({cap.why}){_flag(cap.unverified)}"]
    lines += ["", "## Open a case", ""]
    lines += [f"- {c.kind}: {c.command or c.how}{_flag(c.unverified)}" for c in spec.open_case]
    lines += ["", "## Status pages", ""]
    lines += [f"- {p.name}: {p.url or 'no URL confirmed'}{_flag(p.unverified)}" for p in spec.status_pages]
    if spec.plan_changes:
        lines += ["", "## Plan changes", ""]
        lines += [f"- {c.date}: {c.change}{_flag(c.unverified)}" for c in spec.plan_changes]
    lines += ["", "## Sources", ""]
    lines += [f"- `{s.id}`: {s.url} (checked {s.checked})" for s in spec.sources]
    lines += ["", "Playbook policy (when to escalate) is separate: references/policy/vendor-escalation.yaml."]
    return "\n".join(lines) + "\n"


def _md_severities(spec: VendorSpec) -> list[str]:
    """Plan x severity table with first-response targets, vendor facts only."""
    lines = [
        "## Case severities (vendor facts)",
        "",
        "| Plan | Severity | API code | First response | Clock |",
    ]
    lines.append("|---|---|---|---|---|")
    for plan in spec.plans:
        label = plan.name + ("" if plan.lifecycle == "current" else f" ({plan.lifecycle})") + _flag(plan.unverified)
        if not plan.technical_cases:
            lines.append(f"| {label} | none | | {plan.no_case_reason} | |")
        for fig in plan.severities:
            level = spec.level(fig.level)
            target = _minutes_text(fig.response_minutes) + _flag(fig.unverified)
            lines.append(f"| {label} | {level.name} | {level.api_code or ''} | {target} | {fig.clock} |")
    return [*lines, ""]


def _md_escalation(spec: VendorSpec) -> list[str]:
    """Escalation roles per plan, in the vendor's own expansion of each role."""
    rows = [(p.name, e) for p in spec.plans for e in p.escalation] + [("all paid plans", e) for e in spec.escalation]
    if not rows:
        return []
    lines = ["## Escalation contacts (vendor facts)", ""]
    lines += [f"- {plan}: {e.role}" + (f" - {e.when}" if e.when else "") + _flag(e.unverified) for plan, e in rows]
    return [*lines, ""]


def _flag(unverified: bool) -> str:
    return " (unverified)" if unverified else ""


def _minutes_text(minutes: int | None) -> str:
    """60 -> '1 h', 90 -> '90 min', None -> 'not stated'."""
    if minutes is None:
        return "not stated"
    return f"{minutes // 60} h" if minutes % 60 == 0 else f"{minutes} min"
