"""Escalation documents (brief, handoff, executive and customer updates...) in en, ru and zh, redacted.

Entry point: ``format_escalation_brief``. ``facts`` holds one input model per document kind,
``redact`` masks secrets and personal data, templates live in ``prompts/``.
"""

from escalation_kit.briefs.redact import Redaction, Redactor
from escalation_kit.briefs.render import BriefResult, format_escalation_brief

__all__ = ["BriefResult", "Redaction", "Redactor", "format_escalation_brief"]
