"""Input models for every escalation document kind: one pydantic model per kind, built on first use.

Required fields carry no default; everything optional renders as an explicit
"unknown — ask" marker when left empty ("to be filled" in a post-mortem or recovery plan, drafts completed
at a meeting), so a reader sees what still has to be found out.
Each kind's model lives in ``briefs/kinds/``; creating a pydantic model class costs 0.2-1 ms, so a
first call creates its own kind's models (two or three classes), not all twenty-three. ``KIND_MODELS``
imports a kind's module on its first lookup, and every model name can still be imported from here.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from escalation_kit import lazy
from escalation_kit.briefs.kinds.base import TIMESTAMP, FactModel, timestamp_of

if TYPE_CHECKING:
    from escalation_kit.briefs.kinds.brief import EscalationBriefFacts, TriedStep
    from escalation_kit.briefs.kinds.customer import (
        CustomerAcknowledgementFacts,
        CustomerProgressUpdateFacts,
        CustomerResolutionFacts,
    )
    from escalation_kit.briefs.kinds.deescalation import DeescalationNoticeFacts, ResolutionCriteria
    from escalation_kit.briefs.kinds.executive import ExecutiveNotificationFacts
    from escalation_kit.briefs.kinds.handoff import TierHandoffFacts
    from escalation_kit.briefs.kinds.incident_report import EvidenceItem, IncidentReportFacts
    from escalation_kit.briefs.kinds.post_mortem import PostMortemFacts
    from escalation_kit.briefs.kinds.recovery import RecoveryItem, RecoveryPlanFacts
    from escalation_kit.briefs.kinds.tracking import CommEntry, EscalationTrackingFacts
    from escalation_kit.briefs.kinds.vendor_case import TimelineEntry, VendorCaseFacts
    from escalation_kit.briefs.kinds.war_room import ActionItem, RoleAssignment, WarRoomKickoffFacts

__all__ = [
    "KIND_MODELS", "TIMESTAMP", "ActionItem", "CommEntry", "CustomerAcknowledgementFacts",
    "CustomerProgressUpdateFacts", "CustomerResolutionFacts", "DeescalationNoticeFacts", "EscalationBriefFacts",
    "EscalationTrackingFacts", "EvidenceItem", "ExecutiveNotificationFacts", "FactModel", "IncidentReportFacts",
    "PostMortemFacts", "RecoveryItem", "RecoveryPlanFacts", "ResolutionCriteria", "RoleAssignment",
    "TierHandoffFacts", "TimelineEntry", "TriedStep", "VendorCaseFacts", "WarRoomKickoffFacts", "required_fields",
    "timestamp_of",
]

# kind -> (module under briefs.kinds, model name); the module is imported on the kind's first use
_KINDS: dict[str, tuple[str, str]] = {
    "escalation_brief": ("brief", "EscalationBriefFacts"),
    "tier_handoff": ("handoff", "TierHandoffFacts"),
    "executive_notification": ("executive", "ExecutiveNotificationFacts"),
    "vendor_case": ("vendor_case", "VendorCaseFacts"),
    "customer_acknowledgement": ("customer", "CustomerAcknowledgementFacts"),
    "customer_progress_update": ("customer", "CustomerProgressUpdateFacts"),
    "customer_resolution": ("customer", "CustomerResolutionFacts"),
    "war_room_kickoff": ("war_room", "WarRoomKickoffFacts"),
    "incident_report": ("incident_report", "IncidentReportFacts"),
    "escalation_tracking": ("tracking", "EscalationTrackingFacts"),
    "post_mortem": ("post_mortem", "PostMortemFacts"),
    "deescalation_notice": ("deescalation", "DeescalationNoticeFacts"),
    "recovery_plan": ("recovery", "RecoveryPlanFacts"),
}
_ITEMS = {"TriedStep": "brief", "TimelineEntry": "vendor_case", "ActionItem": "war_room",
          "RoleAssignment": "war_room", "EvidenceItem": "incident_report", "CommEntry": "tracking",
          "ResolutionCriteria": "deescalation", "RecoveryItem": "recovery"}
_HOME = {name: f"{__package__}.kinds.{module}" for module, name in _KINDS.values()} | {
    name: f"{__package__}.kinds.{module}" for name, module in _ITEMS.items()}


class _KindModels(Mapping[str, "type[FactModel]"]):
    """Kind -> its fact model, importing the model's module on first lookup (membership imports nothing)."""

    def __getitem__(self, kind: str) -> type[FactModel]:
        module, name = _KINDS[kind]
        return getattr(importlib.import_module(f"{__package__}.kinds.{module}"), name)

    def __contains__(self, kind: object) -> bool:
        return kind in _KINDS

    def __iter__(self) -> Iterator[str]:
        return iter(_KINDS)

    def __len__(self) -> int:
        return len(_KINDS)


KIND_MODELS: Mapping[str, type[FactModel]] = _KindModels()
__getattr__ = lazy.attributes(__name__, _HOME, globals())


def required_fields(kind: str) -> list[str]:
    """Names of the facts a kind cannot render without, in model order."""
    return [name for name, info in KIND_MODELS[kind].model_fields.items() if info.is_required()]
