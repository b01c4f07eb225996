"""On-call schedule: who holds a role at an instant, and who a tier or a stakeholder notice tells.

``schedule`` reads and validates the schedule (people, roles with a rotation, follow-the-sun shifts and dated
overrides; the shipped references/policy/oncall.yaml is an example to replace) and the tier table
(references/policy/oncall-tiers.yaml, seed 002's stakeholders per tier); ``resolve`` answers from them,
purely: the same schedule and instant always give the same people, daylight-saving changes included.
"""

from escalation_kit.oncall.resolve import (
                                          Holder,
                                          for_notice,
                                          for_tier,
                                          handoff_at,
                                          holder,
                                          holders_for,
                                          notice_roles,
                                          tier_roles,
)
from escalation_kit.oncall.schedule import ENV_SCHEDULE, Schedule, load_schedule, parse_schedule

__all__ = ["ENV_SCHEDULE", "Holder", "Schedule", "for_notice", "for_tier", "handoff_at", "holder", "holders_for",
           "load_schedule", "notice_roles", "parse_schedule", "tier_roles"]
