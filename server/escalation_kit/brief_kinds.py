"""The document kinds format_escalation_brief renders; apart from their input models so the tool's
schema can name them without building every model at start-up."""

from typing import Literal

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
]
