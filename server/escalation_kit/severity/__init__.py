"""Classify an incident P0-P3 from text and/or impact facts: rule, signals, scope, questions.

Entry point: ``classify_severity``. ``data``, ``match`` and ``rules`` are internals that read the
lexicon, find signals and decide the level from ``references/severity/``.
"""

from escalation_kit.severity.classify import MAX_TEXT_CHARS, ImpactFacts, SeverityResult, Signal, classify_severity

__all__ = ["MAX_TEXT_CHARS", "ImpactFacts", "SeverityResult", "Signal", "classify_severity"]
