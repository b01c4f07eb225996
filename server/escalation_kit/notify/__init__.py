"""Where ``escalation-kit watch`` sends things: chat webhooks, PagerDuty Events API v2 and e-mail over SMTP.

``policy`` reads our paging and notice policy (references/policy/notify.yaml) beside the PagerDuty facts it
relies on; ``notices`` finds the stakeholder notices a record's events call for (a raise to a higher tier or
executive level, de-escalation, resolution) and the PagerDuty resolve it owes; ``targets`` sends one item to
one target and raises ``DeliveryError`` with a message that names the target and never a secret;
``deliver`` runs one pass: each item to each target that takes it, recorded in the tracker only after the
target accepted it, so nothing is sent twice and a failure is retried on the next pass.
"""

from escalation_kit.notify.deliver import PassResult, Watch, one_pass
from escalation_kit.notify.notices import Notice, notices_for
from escalation_kit.notify.policy import NotifyPolicy, load_notify_policy
from escalation_kit.notify.targets import DeliveryError, EmailTarget, PagerDutyTarget, Target, WebhookTarget

__all__ = ["DeliveryError", "EmailTarget", "Notice", "NotifyPolicy", "PagerDutyTarget", "PassResult", "Target",
           "Watch", "WebhookTarget", "load_notify_policy", "notices_for", "one_pass"]
