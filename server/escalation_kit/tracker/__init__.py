"""The escalation tracker: an append-only, hash-chained event log with SLA clocks computed from it.

Entry point: ``Tracker`` (``service``). ``store`` holds SQLite or PostgreSQL, ``events`` the replay
rules, ``clocks`` the event-driven SLA clocks, ``due`` the due list, ``metrics`` and ``export``.
"""

from escalation_kit.tracker.models import DueItem, EscalationState, EscalationView, Event, Metrics, NewEscalation
from escalation_kit.tracker.service import Tracker
from escalation_kit.tracker.store import Store, default_db_path, open_store

__all__ = ["DueItem", "EscalationState", "EscalationView", "Event", "Metrics", "NewEscalation", "Store", "Tracker",
           "default_db_path", "open_store"]
