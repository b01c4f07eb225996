"""Classify an incident P0-P3 from text and/or impact facts: rule, signals, scope, questions.

Entry point: ``classify_severity``; ``preload_lexicon`` builds the lexicon's regexes whole (a server's warm-up).
``data``, ``match`` and ``rules`` are internals that read the lexicon, find signals and decide the level from
``references/severity/``.
"""

from escalation_kit.severity.classify import MAX_TEXT_CHARS, ImpactFacts, SeverityResult, Signal, classify_severity
from escalation_kit.severity.data import preload as preload_lexicon

__all__ = ["MAX_TEXT_CHARS", "ImpactFacts", "SeverityResult", "Signal", "classify_severity", "preload_lexicon"]
