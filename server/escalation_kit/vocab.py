"""The shared words of the kit, declared once: severities, languages, clocks and document kinds.

Every capability, adapter and the eval harness import these from here, so a new level, language or
document kind is one edit and a type checker sees every place that must handle it.
"""

from __future__ import annotations

import typing
from typing import Literal

Severity = Literal["P0", "P1", "P2", "P3"]
SEVERITIES: tuple[Severity, ...] = typing.get_args(Severity)

Lang = Literal["en", "ru", "zh"]
LANGS: tuple[Lang, ...] = typing.get_args(Lang)

LanguageChoice = Literal["auto", "en", "ru", "zh"]
LANGUAGE_CHOICES: tuple[LanguageChoice, ...] = typing.get_args(LanguageChoice)

ClockKind = Literal["24x7", "business"]
VendorClock = Literal["24x7", "business", "unknown"]

DocKind = Literal[
    "escalation_brief",
    "tier_handoff",
    "executive_notification",
    "vendor_case",
    "customer_acknowledgement",
    "customer_progress_update",
    "customer_resolution",
    "war_room_kickoff",
    "incident_report",
    "escalation_tracking",
    "post_mortem",
    "deescalation_notice",
    "recovery_plan",
]
DOC_KINDS: tuple[DocKind, ...] = typing.get_args(DocKind)
# The kinds the tracker can pre-fill from a stored record (track export --kind, export_tracking's kind).
RECORD_DOC_KINDS: tuple[DocKind, ...] = ("escalation_tracking", "post_mortem", "deescalation_notice")


def severity_rank(level: str) -> int:
    """0 for P0 (worst) to 3 for P3; raises ValueError on anything else."""
    return SEVERITIES.index(level)  # type: ignore[arg-type]
