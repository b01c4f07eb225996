"""The SLA clock: first-response deadlines, update cadence and escalation triggers on 24x7 or business time.

Entry point: ``compute_sla_deadlines``. ``targets`` picks the target, ``business_time`` counts business
minutes with zones and holiday calendars, ``policy`` reads ``references/policy/sla.yaml``.
"""

from escalation_kit.sla.clock import compute_sla_deadlines, parse_instant
from escalation_kit.sla.models import SlaResult, SlaTarget, TimedEvent
from escalation_kit.sla.policy import list_policies

__all__ = ["SlaResult", "SlaTarget", "TimedEvent", "compute_sla_deadlines", "list_policies", "parse_instant"]
