"""CLI sub-commands, one module each (see escalation_kit.cli)."""
