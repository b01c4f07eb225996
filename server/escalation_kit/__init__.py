"""Escalation Kit: deterministic incident-triage and escalation tools for AI assistants.

Importing the package is cheap: the core modules load their data lazily, and nothing
here imports ``mcp`` or ``anthropic``.
"""

__version__ = "0.1.0"
