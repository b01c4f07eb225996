"""The five tools as published: each capability's entry point, plus the one cross-capability addition.

``classify_severity`` as a tool also names every vendor's case severity for the level it found, which
needs both the severity engine and the vendor catalog; doing it here keeps those two packages
independent of each other. The MCP adapter and the triage pipeline both call these functions.
"""

from __future__ import annotations

from escalation_kit.briefs import format_escalation_brief
from escalation_kit.language import detect_language
from escalation_kit.severity import ImpactFacts, SeverityResult
from escalation_kit.severity import classify_severity as _classify
from escalation_kit.sla import compute_sla_deadlines
from escalation_kit.vendors import case_severity_names, pick_vendor_support_path

__all__ = [
    "classify_severity",
    "compute_sla_deadlines",
    "detect_language",
    "format_escalation_brief",
    "pick_vendor_support_path",
]


def classify_severity(
    text: str | None = None, facts: ImpactFacts | dict | None = None, language: str | None = None
) -> SeverityResult:
    """The severity engine's answer with each catalog vendor's case severity for that level filled in."""
    result = _classify(text, facts, language)
    result.vendor_case_severity = case_severity_names(result.severity, result.features.get("production"))
    return result
