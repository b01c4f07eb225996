"""Escalation documents (brief, handoff, executive and customer updates...) in en, ru and zh, redacted.

Entry point: ``format_escalation_brief``; ``preload_templates`` loads every template's compiled code (a
server's warm-up). ``facts`` holds one input model per document kind,
``redact`` masks secrets and personal data, templates live in ``prompts/``.

Names are imported on first use (PEP 562), so listing the server's tools does not load the renderer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from escalation_kit import lazy

if TYPE_CHECKING:
    from escalation_kit.briefs.redact import Redaction, Redactor
    from escalation_kit.briefs.render import BriefResult, format_escalation_brief, preload_templates

_HOME = {"BriefResult": "render", "Redaction": "redact", "Redactor": "redact", "format_escalation_brief": "render",
         "preload_templates": "render"}
__all__ = [
    "BriefResult",
    "Redaction",
    "Redactor",
    "format_escalation_brief",
    "preload_templates",
]


__getattr__ = lazy.attributes(__name__, _HOME, globals())
