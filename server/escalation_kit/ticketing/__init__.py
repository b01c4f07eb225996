"""Status sync between tracker records and a ticketing system: Jira Cloud (REST API v3) or ServiceNow (Table API).

``policy`` reads our mapping (references/policy/ticketing.yaml: P level to priority or impact and urgency,
record status to ticket state, what a comment says) and checks it against the vendor facts
(references/ticketing/*.yaml); ``client`` does one authenticated JSON exchange and raises ``TicketError``
naming the system and host, never a secret (``AuthError`` for rejected credentials); ``systems`` holds
the two systems behind the same calls; ``sync`` runs one pass: a ticket for each active record that has
none, then each new event pushed once as a comment or work note with the state brought in line,
recorded in the tracker only after the system accepted it, so a failure is retried on the next pass.
"""

from escalation_kit.ticketing.client import AuthError, Http, TicketError
from escalation_kit.ticketing.policy import SYSTEMS, TicketPolicy, load_ticket_policy
from escalation_kit.ticketing.sync import Sync, SyncResult, one_pass
from escalation_kit.ticketing.systems import Jira, ServiceNow, System, Ticket

__all__ = ["SYSTEMS", "AuthError", "Http", "Jira", "ServiceNow", "Sync", "SyncResult", "System", "Ticket",
           "TicketError", "TicketPolicy", "load_ticket_policy", "one_pass"]
