"""Which first-response target applies: an explicit one, a named policy step, a vendor plan, or the default.

The vendor plan arrives as a typed ``VendorPath`` resolved once by the caller (or here from the
vendor and plan names when the MCP tool is called on its own).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from escalation_kit.errors import InputError
from escalation_kit.sla.models import SlaTarget
from escalation_kit.sla.policy import NamedPolicy, SlaPolicy, load_sla_policy, policy_ref
from escalation_kit.vendors import VendorPath
from escalation_kit.vocab import ClockKind, Severity

VENDOR_POLICY_FILE = "vendor-escalation.yaml"  # the vendor catalog's playbook policy file

@dataclass
class Target:
    minutes: int
    clock: ClockKind
    source: str
    label: str
    unverified: bool = False
    chain: list[tuple[int, str]] = field(default_factory=list)
    vendor_steps: list[tuple[int, str, str]] = field(default_factory=list)
    window: str | None = None  # the vendor plan's published business hours, when it has them


def _policy_target(name: str, severity: Severity, tier: int | str | None, pol: SlaPolicy) -> Target:
    """Run a named policy: pick its step for the severity (select) or start its chain."""
    named: NamedPolicy | None = pol.policies.get(name)
    if named is None:
        raise InputError("policy", f"unknown policy {name!r}", allowed=sorted(pol.policies))
    ref, origin = policy_ref(f"policies.{name}"), pol.source_title(named.source)
    if named.mode == "chain":
        if tier is not None:
            selectable = [f"policy={n} with tier" for n, p in pol.policies.items() if p.mode == "select"]
            raise InputError(
                "tier", f"policy {name} runs all its steps in turn; it takes no tier", ["no tier", *selectable]
            )
        first, offset, chain = named.steps[0], 0, []
        for step in named.steps:
            offset += step.minutes
            chain.append((offset, step.label))
        return Target(first.minutes, "24x7", ref, f"{named.title}: {first.label} ({origin})", chain=chain)
    given = str(tier).strip().lower() if tier is not None else ""
    step_id = f"tier-{given}" if given.isdigit() else given or named.severity_step.get(severity)
    step = named.step(step_id) if step_id else None
    if step is None:
        raise InputError("tier", f"{tier!r} is not a step of policy {name}", allowed=[s.id for s in named.steps])
    return Target(step.minutes, "24x7", ref, f"{named.title}: {step.label} ({origin})")


def _vendor_target(path: VendorPath, severity: Severity, notes: list[str]) -> Target:
    """The vendor plan's first-response target, or the internal default (with a note) when it gives no minutes.

    Minutes whose clock the vendor leaves unstated run 24x7 (the stricter reading), flagged unverified.
    """
    steps = _vendor_steps(path, notes)
    case = path.case_severity
    where = f"{path.vendor_name} {path.plan_name}"
    reason = _no_target_reason(path)
    if reason or case is None or case.response_minutes is None:
        notes.append(f"{where}: {reason}; the internal default target is used instead.")
        fallback = default_target(severity, load_sla_policy())
        fallback.vendor_steps = steps
        return fallback
    if not path.exact_match:
        notes.append(f"{where} has no exact match for {severity}: {path.mapping_reason}".rstrip(": "))
    unverified = case.unverified or any(u.startswith("case_severity") or "response" in u for u in path.unverified)
    if unverified:
        notes.append(f"{where} '{case.name}' response target is unverified in the vendor catalog.")
    clock: ClockKind = "business" if case.clock == "business" else "24x7"
    if case.clock not in ("24x7", "business"):
        # When unsure, take the stricter reading: the same minutes on a 24x7 clock are never later.
        unverified = True
        notes.append(
            f"{where} does not state whether '{case.name}' ({case.response_minutes} min) runs 24x7 or in "
            "business hours; the clock counts it 24x7 (the stricter reading) and marks it unverified."
        )
    minutes = case.response_minutes
    shown = clock if clock == case.clock else f"{clock}, vendor clock not stated"
    label = f"{where}, case severity '{case.name}': first response within {minutes} min ({shown})"
    window = path.business_window if clock == "business" else None
    return Target(minutes, clock, "vendor", label, unverified, vendor_steps=steps, window=window)


def _no_target_reason(path: VendorPath) -> str:
    """Why a vendor path gives the clock no target, or '' when it gives one."""
    case = path.case_severity
    if not path.available or case is None:
        return path.note or "the plan offers no case at this severity"
    if case.response_minutes is None:
        return f"'{case.name}' has no committed first-response time in the catalog"
    return ""


def _vendor_steps(path: VendorPath, notes: list[str]) -> list[tuple[int, str, str]]:
    """The vendor path's timed playbook steps as (minutes after opened_at, action, source label)."""
    steps = []
    for step in path.policy:
        if step.after_minutes is None:
            continue
        ref = step.id or step.source
        source = step.source if step.source.startswith("policy:") else f"policy:{VENDOR_POLICY_FILE}#{ref}"
        origin = "" if step.source.startswith("policy:") else f" [{step.source}]"
        steps.append((step.after_minutes, f"{step.action}{origin}", source))
    if path.plan_assumed:
        notes.append(f"No plan given: {path.vendor_name}'s default plan {path.plan_name} was assumed.")
    if any(s.relative_to == "case_opened" for s in path.policy):
        notes.append("Vendor steps timed from case filing are counted from opened_at (case assumed filed then).")
    return steps


def default_target(severity: Severity, pol: SlaPolicy) -> Target:
    d = pol.default_targets[severity]
    return Target(d.minutes, d.clock, policy_ref("default_targets"), f"{d.label} ({pol.source_title(d.source)})")


def resolve_target(
    severity: Severity,
    explicit: SlaTarget | None,
    policy: str | None,
    tier: int | str | None,
    vendor_path: VendorPath | None,
    notes: list[str],
    named_vendor: bool = False,
) -> Target:
    """Explicit target, else named policy, else vendor plan, else the internal default."""
    pol = load_sla_policy()
    if tier is not None and not policy:
        selectable = [f"policy={n}" for n, p in pol.policies.items() if p.mode == "select"]
        raise InputError("tier", f"tier {tier!r} picks a step of a named policy; no policy was given", selectable)
    named_vendor = named_vendor or vendor_path is not None
    ignored = [n for n, v in (("policy", policy), ("vendor", named_vendor)) if v]
    if explicit is not None:
        if ignored:
            notes.append(f"Explicit target given; {', '.join(ignored)} not used for the response target.")
        label = f"explicit target: {explicit.minutes} min ({explicit.clock})"
        return Target(explicit.minutes, explicit.clock, "explicit", label)
    if policy:
        if named_vendor:
            notes.append("Named policy given; the vendor's target is not used for the response target.")
        return _policy_target(policy, severity, tier, pol)
    if vendor_path:
        return _vendor_target(vendor_path, severity, notes)
    return default_target(severity, pol)
