"""Escalation routing: workflow tier 1-4, executive level, target team, urgency 0-100, response target.

Entry points: ``determine_escalation``, ``compute_account_health`` and ``recommend_deescalation``. Pure: the
same input always gives the same answer; weights, thresholds, bands and the de-escalation rules live in
``references/policy/``.
"""

from escalation_kit.routing.deescalation import DeescalationResult, recommend_deescalation
from escalation_kit.routing.engine import RoutingResult, determine_escalation
from escalation_kit.routing.health import HealthResult, compute_account_health

__all__ = ["DeescalationResult", "HealthResult", "RoutingResult", "compute_account_health", "determine_escalation",
           "recommend_deescalation"]
