"""Read cloud vendors' public status feeds, so a triage can say what the status page showed.

Entry point: ``check_status(vendor, region=None, product=None)`` → ``StatusCheck``. Facts about the
feeds are in ``references/statuspages/feeds.yaml``, our policy in ``references/policy/statuspages.yaml``.
This package does network I/O, so it sits with the adapters (beside ``notify``), not in the pure core;
its parsers (``parsers``) are pure functions over bytes.
"""

from __future__ import annotations

from escalation_kit.statuspages.check import BASE_URL_ENV, check_status
from escalation_kit.statuspages.models import Attempt, FeedReading, Incident, StatusCheck

__all__ = ["BASE_URL_ENV", "Attempt", "FeedReading", "Incident", "StatusCheck", "check_status"]
