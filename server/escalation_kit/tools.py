"""The five tools as published: each capability's entry point, plus two cross-capability additions.

``classify_severity`` as a tool also names every vendor's case severity for the level it found, which
needs both the severity engine and the vendor catalog; doing it here keeps those two packages
independent of each other. The MCP adapter and the triage pipeline both call these functions.
``format_escalation_brief`` renders a de-escalation notice with the decision of the de-escalation policy
(``routing``), which ``briefs`` may not import. The other three are each capability's own function, imported
on first use (PEP 562), and the severity engine loads with the first ``classify_severity`` call, so a
server's first call of one tool loads that tool's code only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from escalation_kit import lazy

if TYPE_CHECKING:
    from pydantic import BaseModel

    from escalation_kit.briefs.render import BriefResult
    from escalation_kit.language import detect_language
    from escalation_kit.severity import ImpactFacts, SeverityResult
    from escalation_kit.sla.clock import compute_sla_deadlines
    from escalation_kit.vendors.path import pick_vendor_support_path

__all__ = [
    "classify_severity",
    "compute_sla_deadlines",
    "detect_language",
    "format_escalation_brief",
    "pick_vendor_support_path",
]
_HOME = {
    "compute_sla_deadlines": "escalation_kit.sla.clock",
    "detect_language": "escalation_kit.language",
    "pick_vendor_support_path": "escalation_kit.vendors.path",
}


__getattr__ = lazy.attributes(__name__, _HOME, globals())


def classify_severity(
    text: str | None = None, facts: ImpactFacts | dict | None = None, language: str | None = None
) -> SeverityResult:
    """The severity engine's answer with each catalog vendor's case severity for that level filled in."""
    from escalation_kit.severity import classify_severity as _classify
    from escalation_kit.vendors.case_names import case_severity_names

    result = _classify(text, facts, language)
    result.vendor_case_severity = case_severity_names(result.severity, result.features.get("production"))
    return result


def format_escalation_brief(
    facts: BaseModel | dict[str, Any],
    kind: str = "escalation_brief",
    language: str = "auto",
    timezone: str | None = None,
    redact: bool = True,
) -> BriefResult:
    """The document renderer; a de-escalation notice gets its decision from the de-escalation policy first."""
    from escalation_kit.briefs.render import format_escalation_brief as render

    derive = _deescalation_decision if kind == "deescalation_notice" else None
    return render(facts, kind, language, timezone, redact, derive=derive)  # type: ignore[arg-type]


def _deescalation_decision(facts: Any, language: str) -> Any:
    """recommend_deescalation on the notice's criteria, so the notice never claims what the policy does not allow."""
    from escalation_kit.routing import recommend_deescalation

    return recommend_deescalation(facts.severity, facts.resolution.policy_criteria(), facts.stable_minutes_now(),
                                  facts.reassessed_severity, language)
