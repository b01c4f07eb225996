"""Cloud vendor support paths: which case severity to file, the committed response, how to open and escalate.

Entry points: ``pick_vendor_support_path``, ``case_severity_names``, and the catalog queries
(``list_vendors``, ``vendor_ids``, ``plan_ids``, ``catalog_markdown``). Facts live in
``references/vendors/``; ``catalog`` validates and loads them.
"""

from escalation_kit.vendors.catalog import list_vendors, normalise, plan_ids, vendor_ids
from escalation_kit.vendors.markdown import catalog_markdown
from escalation_kit.vendors.models import CaseSeverity, PolicyStep, VendorCatalog, VendorPath
from escalation_kit.vendors.path import case_severity_names, pick_vendor_support_path

__all__ = [
    "CaseSeverity",
    "PolicyStep",
    "VendorCatalog",
    "VendorPath",
    "case_severity_names",
    "catalog_markdown",
    "list_vendors",
    "normalise",
    "pick_vendor_support_path",
    "plan_ids",
    "vendor_ids",
]
