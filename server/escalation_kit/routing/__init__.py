"""Escalation routing: workflow tier 1-4, executive level, target team, urgency 0-100, response target.

Entry points: ``determine_escalation`` and ``compute_account_health``. Pure: the same input always
gives the same answer; weights, thresholds and bands live in ``references/policy/routing.yaml``.
"""

from escalation_kit.routing.engine import RoutingResult, determine_escalation
from escalation_kit.routing.health import HealthResult, compute_account_health

__all__ = ["HealthResult", "RoutingResult", "compute_account_health", "determine_escalation"]
