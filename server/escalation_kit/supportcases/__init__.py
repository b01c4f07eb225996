"""Vendor support cases opened from tracker records and followed to their end (AWS, Azure, Google Cloud).

``policy`` reads our wording and status reading (references/policy/supportcases.yaml) and checks it
against the API facts (references/supportcases/*.yaml) and the vendor catalog's case severity codes;
``draft`` builds the case from a record and the case severity the catalog gives for its P level and
plan, refusing what the tracker or the vendor would refuse; ``apis`` holds the three APIs behind
prepare (the exact request, printed by --dry-run), open and status; ``flow`` records the vendor's case
id as ``vendor_case_filed`` only once the vendor accepted it, and each status change once as
``vendor_case_status``.
"""

from escalation_kit.supportcases.apis import (
    Aws,
    Azure,
    CaseAuthError,
    CaseError,
    Gcp,
    Opened,
    Prepared,
    SupportApi,
    aws_params_check,
    dumps,
)
from escalation_kit.supportcases.draft import CaseDraft, draft_case
from escalation_kit.supportcases.flow import PollResult, poll, record_filed
from escalation_kit.supportcases.policy import VENDORS, CasePolicy, load_case_policy

__all__ = ["VENDORS", "Aws", "Azure", "CaseAuthError", "CaseDraft", "CaseError", "CasePolicy", "Gcp", "Opened",
           "PollResult", "Prepared", "SupportApi", "aws_params_check", "draft_case", "dumps", "load_case_policy",
           "poll", "record_filed"]
