"""The SLA clock: first-response deadlines, update cadence and escalation triggers on 24x7 or business time.

Entry point: ``compute_sla_deadlines``. ``targets`` picks the target, ``business_time`` counts business
minutes with zones and holiday calendars, ``policy`` reads ``references/policy/sla.yaml``.

Names are imported on first use (PEP 562), so listing the server's tools, which needs only ``models``,
does not load the clock, its policy models or the vendor catalog.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from escalation_kit import lazy

if TYPE_CHECKING:
    from escalation_kit.sla.clock import compute_sla_deadlines, parse_instant
    from escalation_kit.sla.models import SlaResult, SlaTarget, TimedEvent
    from escalation_kit.sla.policy import list_policies

_HOME = {
    "SlaResult": "models", "SlaTarget": "models", "TimedEvent": "models", "compute_sla_deadlines": "clock",
    "list_policies": "policy", "parse_instant": "clock",
}
__all__ = [
    "SlaResult",
    "SlaTarget",
    "TimedEvent",
    "compute_sla_deadlines",
    "list_policies",
    "parse_instant",
]


__getattr__ = lazy.attributes(__name__, _HOME, globals())
