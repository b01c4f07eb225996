"""``escalation-kit`` command line: ``main`` parses, one module per sub-command does the work."""

from escalation_kit.cli.main import main

__all__ = ["main"]
