"""Tool calls shared by the in-memory, stdio and HTTP tests: valid calls with what must hold, and bad calls."""

from __future__ import annotations

from typing import Any

TOOLS = {"detect_language", "classify_severity", "compute_sla_deadlines", "pick_vendor_support_path",
         "format_escalation_brief"}
# The tracker's tools (issue 14): reads, determine_escalation and recommend_deescalation always, writes when
# enabled (stdio default).
TRACKER_READ_TOOLS = {"get_escalation", "list_escalations", "list_due", "escalation_metrics", "export_tracking",
                      "account_health", "determine_escalation", "recommend_deescalation"}
TRACKER_WRITE_TOOLS = {"open_escalation", "record_event", "update_escalation", "add_action", "complete_action",
                       "close_escalation"}
# Reads of outside facts (stop 16): the provider's status feed and the on-call schedule; always served.
OPS_TOOLS = {"check_provider_status", "who_is_on_call"}

GOOD_CALLS: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("detect_language", {"text": "у нас упал prod, RDS не отвечает, latency 5s"}, {"language": "ru"}),
    ("detect_language", {"text": "ECS 实例 CPU 100%，SLB 502，服务全部不可用"}, {"language": "zh"}),
    ("classify_severity", {"text": "Production checkout is down for all users, no workaround"}, {"severity": "P0"}),
    ("classify_severity", {"facts": {"production": False, "workaround": True}}, {}),
    ("pick_vendor_support_path", {"vendor": "aws", "severity": "P0", "plan": "enterprise_support"},
     {"vendor": "aws", "available": True}),
    ("compute_sla_deadlines",
     {"severity": "P1", "opened_at": "2026-03-06T10:00:00+08:00", "target": {"minutes": 60}},
     {"severity": "P1", "target_minutes": 60}),
    ("format_escalation_brief",
     {"facts": {"summary": "Checkout down", "severity": "P0", "description": "Checkout returns 502 for everyone."},
      "language": "en"},
     {"language": "en", "kind": "escalation_brief"}),
]

# (tool, arguments, words the error text must contain)
BAD_CALLS: list[tuple[str, dict[str, Any], list[str]]] = [
    ("pick_vendor_support_path", {"vendor": "nosuchcloud", "severity": "P1"}, ["vendor", "aws"]),
    ("pick_vendor_support_path", {"vendor": "aws", "severity": "P9"}, ["P0"]),
    ("compute_sla_deadlines", {"severity": "P1", "opened_at": "2026-03-06T10:00:00"}, ["opened_at"]),
    ("compute_sla_deadlines", {"severity": "P1", "opened_at": "yesterday"}, ["opened_at"]),
    ("compute_sla_deadlines",
     {"severity": "P1", "opened_at": "2026-03-06T10:00:00Z", "timezone": "Mars/Olympus"}, ["timezone"]),
    ("format_escalation_brief", {"facts": {"summary": "x"}}, ["severity", "description"]),
    ("classify_severity", {}, ["text"]),
]
