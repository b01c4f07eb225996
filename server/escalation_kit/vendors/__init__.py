"""Cloud vendor support paths: which case severity to file, the committed response, how to open and escalate.

Entry points: ``pick_vendor_support_path``, ``case_severity_names``, and the catalog queries
(``list_vendors``, ``vendor_ids``, ``plan_ids``, ``catalog_markdown``). Facts live in
``references/vendors/``; ``catalog`` validates and loads them.

Names are imported on first use (PEP 562), so listing the server's tools, which needs only the result
models in ``models`` and the ids in ``ids``, does not build the catalog's schema models.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from escalation_kit import lazy

if TYPE_CHECKING:
    from escalation_kit.vendors.case_names import case_severity_names
    from escalation_kit.vendors.catalog import list_vendors, plan_ids
    from escalation_kit.vendors.ids import normalise, vendor_ids
    from escalation_kit.vendors.markdown import catalog_markdown
    from escalation_kit.vendors.models import CaseSeverity, PolicyStep, VendorPath
    from escalation_kit.vendors.path import pick_vendor_support_path
    from escalation_kit.vendors.summary import VendorCatalog

_HOME = {
    "CaseSeverity": "models", "PolicyStep": "models", "VendorCatalog": "summary", "VendorPath": "models",
    "case_severity_names": "case_names", "catalog_markdown": "markdown", "list_vendors": "catalog", "normalise": "ids",
    "pick_vendor_support_path": "path", "plan_ids": "catalog", "vendor_ids": "ids",
}
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


__getattr__ = lazy.attributes(__name__, _HOME, globals())
