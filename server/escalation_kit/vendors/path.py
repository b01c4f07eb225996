"""Pick the cloud vendor support path for a severity: case severity, target, how to open and escalate.

Vendor facts live in ``references/vendors/<id>.yaml`` (checked by ``catalog``); playbook policy lives
apart in ``references/policy/vendor-escalation.yaml`` and is labelled ``policy``.
"""

from __future__ import annotations

import re
import typing
from functools import cache

from escalation_kit.errors import InputError
from escalation_kit.lean import construct
from escalation_kit.vendors import catalog as vc
from escalation_kit.vendors.catalog_types import Level, Plan, PlanSeverity, RegionRule, VendorSpec
from escalation_kit.vendors.models import (
    CaseFacts,
    CaseSeverity,
    EscalationContact,
    PolicyStep,
    ScopeFact,
    ServiceState,
    VendorPath,
)
from escalation_kit.vocab import SEVERITIES, Severity

_STATES: tuple[str, ...] = typing.get_args(ServiceState)
_SCOPES: tuple[str, ...] = typing.get_args(ScopeFact)


def pick_vendor_support_path(
    vendor: str,
    severity: Severity,
    plan: str | None = None,
    region: str | None = None,
    production: bool | None = None,
    state: ServiceState | None = None,
    scope: ScopeFact | None = None,
    *,
    copy: bool = True,
) -> VendorPath:
    """Map P0-P3 to the vendor's case severity on a plan, with ways to open, escalate and sources.

    The vendor's own level definitions are applied to the facts (``production``, ``state``,
    ``scope``; missing ones default from the P-level per references/policy/case-facts.yaml); the
    mapping table decides where no definition matches. ``production=False`` also caps the case at
    the vendor's non-production ceiling; None (unknown) is read as production.
    """
    facts = case_facts(severity, production, state, scope)
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
    if chosen.business_window:
        w = chosen.business_window
        notes.append(f"Business-hours targets count {w.start}-{w.end} in {w.where}.")
    case, reason, exact = _case_for(spec, chosen, severity, notes, facts)
    notes += _target_caveats(case)
    contacts = [*chosen.escalation, *(spec.escalation if chosen.technical_cases else [])]
    channels = [c for c in spec.open_case if c.plans is None or chosen.id in c.plans] if case else []
    rules = [r for r in spec.region_rules if region and re.match(r.pattern, region.lower())]
    notes += [r.note for r in rules]
    # constructed: every part comes from the validated catalog or was checked above, and skipping the
    # re-validation means the full answer's schema is built only when a caller asks for detail: full
    path = construct(
        VendorPath,
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
        status_pages=list(spec.status_pages),
        policy=_policy_steps(spec.id, severity, case, contacts),
        region=region,
        production=production,
        facts=facts.text(),
        business_window=(
            f"{chosen.business_window.start}-{chosen.business_window.end}" if chosen.business_window else None
        ),
        plan_assumed=assumed,
        plan_lifecycle=chosen.lifecycle,
        mapping_reason=reason,
        exact_match=exact,
        sources=[],  # filled below; given here so no default factory is called (and construct takes its fast path)
        unverified=[],
    )
    capped = production is False and spec.non_production is not None
    cap_ids = spec.non_production.sources if capped and spec.non_production else []
    defined = spec.defined_level(facts) if chosen.technical_cases else None
    def_ids = defined[1].sources if defined else []
    path.sources = [
        spec.source(i) for i in dict.fromkeys([*_source_ids(chosen, case, path, rules), *cap_ids, *def_ids])
    ]
    path.unverified = _unverified(chosen, case, path, rules)
    if capped and spec.non_production and spec.non_production.unverified:
        path.unverified.append("non_production cap")
    if defined and defined[1].unverified:
        path.unverified.append(f"level definition: {defined[0].name}")
    # callers may edit the answer and the cached catalog must not change; copy=False: the caller only serialises it
    return path.model_copy(deep=True) if copy else path


def case_facts(
    severity: Severity, production: bool | None, state: str | None = None, scope: str | None = None
) -> CaseFacts:
    """The facts to apply vendor definitions to: the caller's, else the P-level's defaults (policy)."""
    if severity not in SEVERITIES:
        raise InputError("severity", f"expected one of P0-P3, got {severity!r}", allowed=SEVERITIES)
    if production is not None and not isinstance(production, bool):
        raise InputError("production", f"expected true, false or null, got {production!r}", allowed=["true", "false"])
    if state is not None and state not in _STATES:
        raise InputError("state", f"{state!r} is not a service state", allowed=list(_STATES))
    if scope is not None and scope not in _SCOPES:
        raise InputError("scope", f"{scope!r} is not a scope", allowed=list(_SCOPES))
    base = vc.load_fact_defaults().defaults[severity]
    given = [n for n, v in (("production", production), ("state", state), ("scope", scope)) if v is not None]
    # every value was checked above or comes from the validated policy file
    return construct(CaseFacts, production=production, state=state or base.state, scope=scope or base.scope,
                                     given=given)


def _preferences(spec: VendorSpec, plan: Plan, severity: Severity, facts: CaseFacts) -> tuple[list[str], str]:
    """Levels to try, best first, and why: the vendor's own definition applied to the facts, else the table."""
    rule = plan.mapping.get(severity) or spec.mapping[severity]
    defined = spec.defined_level(facts)
    if defined is None:
        return rule.prefer, rule.why
    level, cond = defined
    return spec.below(level.id), f"{spec.name}'s definition of '{level.name}': \"{cond.quote}\" ({facts.text()})."


def _case_for(
    spec: VendorSpec, plan: Plan, severity: Severity, notes: list[str], facts: CaseFacts
) -> tuple[CaseSeverity | None, str, bool]:
    """Pick the level by the vendor's definitions (or the table), cap non-production, take what the plan offers."""
    if not plan.technical_cases:
        notes.append(plan.no_case_reason)
        return None, "", False
    wanted, why = _preferences(spec, plan, severity, facts)
    prefer = spec.allowed(wanted, facts.production)
    if prefer != wanted and spec.non_production:
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
    return construct(  # both parts come from the validated catalog
        CaseSeverity,
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
    kinds = frozenset(c.kind for c in contacts if c.kind)
    return list(_steps_for(vendor, severity, case.name if case else None, kinds))


@cache
def _steps_for(vendor: str, severity: Severity, case_name: str | None, kinds: frozenset[str]) -> tuple[PolicyStep, ...]:
    """The steps for one vendor, level, case name and set of contact roles (the policy file never changes
    in a process; a caller that edits its answer gets a deep copy, so the shared steps stay as they are)."""
    steps: list[PolicyStep] = []
    for rule in vc.load_policy().steps:
        if severity not in rule.severities or (rule.vendors is not None and vendor not in rule.vendors):
            continue
        if (rule.needs_case and case_name is None) or not set(rule.requires_kind) <= kinds:
            continue
        steps.append(rule.step(case_name or ""))
    return tuple(steps)


def _source_ids(plan: Plan, case: CaseSeverity | None, path: VendorPath, rules: list[RegionRule]) -> list[str]:
    """Every source id behind the figures in this answer, first-seen order."""
    ids = [*plan.sources, *(case.sources if case else [])]
    ids += plan.business_window.sources if plan.business_window else []
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


@cache
def _case_table(severity: Severity, production: bool | None) -> tuple[tuple[str, str], ...]:
    """Case severity per catalog vendor on its default plan (cached: the catalog never changes in a process)."""
    out = []
    for vendor in vc.vendor_ids():
        path = pick_vendor_support_path(vendor, severity, production=production)
        case = path.case_severity
        out.append((vendor, case.name if case is not None else f"no technical case on {path.plan_name}"))
    return tuple(out)


def case_severity_names(severity: Severity, production: bool | None = None) -> dict[str, str]:
    """The vendor's own case-severity name per catalog vendor on its default plan (a fresh dict per call)."""
    return dict(_case_table(severity, production))
