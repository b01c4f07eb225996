"""Render one vendor's catalog entry as short Markdown, for the MCP resource template."""

from __future__ import annotations

from escalation_kit.vendors import catalog as vc
from escalation_kit.vendors.catalog_types import VendorSpec


def catalog_markdown(vendor: str) -> str:
    """Render one vendor's catalog entry as short Markdown for an MCP resource template."""
    spec = vc.resolve_vendor(vendor)
    lines = [f"# {spec.name} (`{spec.id}`)", ""]
    lines += [f"Site: {spec.site}"] if spec.site else []
    lines += [f"Coverage: {spec.coverage}", f"Default plan: `{spec.default_plan}`", ""]
    lines += _md_severities(spec) + _md_escalation(spec)
    lines += _md_definitions(spec)
    lines += ["## P-level mapping (where no definition above matches)", ""]
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


def _md_definitions(spec: VendorSpec) -> list[str]:
    """The vendor's own level definitions as facts, which decide before the P-level table."""
    rows = [(lv, c) for lv in spec.levels for c in lv.when]
    if not rows:
        return []
    lines = ["## Level definitions applied to the facts (vendor words)", ""]
    for level, cond in rows:
        facts = [f"production={str(cond.production).lower()}"] if cond.production is not None else []
        facts += [f"state in {'/'.join(cond.state)}"] if cond.state else []
        facts += [f"scope in {'/'.join(cond.scope)}"] if cond.scope else []
        quote = " ".join(cond.quote.split())
        lines.append(f"- {level.name} when {', '.join(facts)}: \"{quote}\"{_flag(cond.unverified)}")
    return [*lines, ""]


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
