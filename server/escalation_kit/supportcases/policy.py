"""Read references/policy/supportcases.yaml (our wording and status reading) beside the API facts it relies on.

The facts (references/supportcases/*.yaml) say what each vendor's support API takes and reports: fields,
severity codes, case statuses. The policy says how a case is worded, which record language maps to which
API language and which statuses mean the vendor responded or the case is finished. The loader refuses a
policy naming a status or language the API does not know, and a vendor catalog whose case severity codes
(references/vendors/<id>.yaml ``api_code``) the API would not take, naming the file and the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from escalation_kit.datafiles import load_yaml, required
from escalation_kit.errors import DataError
from escalation_kit.paths import references_dir
from escalation_kit.vendors.catalog import resolve_vendor
from escalation_kit.vocab import LANGS

POLICY_FILE = "policy/supportcases.yaml"
FACT_FILES = {"aws": "supportcases/aws-support-api.yaml", "azure": "supportcases/azure-support-tickets.yaml",
              "gcp": "supportcases/gcp-cloud-support-v2.yaml"}
VENDORS = tuple(FACT_FILES)
TEMPLATE_FIELDS = ("id", "severity", "title", "tier", "opened_at", "timezone", "description", "case_severity",
                   "case_severity_name", "mapping_reason")


@dataclass(frozen=True)
class CasePolicy:
    """Our choices for one vendor's support API, with the facts they were checked against."""

    vendor: str
    subject: str
    subject_max: int
    body: str
    language: dict[str, str]
    responded: frozenset[str]
    finished: frozenset[str]
    extra: dict[str, Any]
    facts: dict[str, Any]

    @property
    def severity_codes(self) -> tuple[str, ...]:
        return tuple(self.facts["severity_codes"]["values"])

    @property
    def statuses(self) -> tuple[str, ...]:
        return tuple(self.facts["statuses"]["values"])


def _template(text: Any, path: Path, where: str) -> str:
    """A template that names only known placeholders (checked by formatting it once)."""
    if not isinstance(text, str) or not text.strip():
        raise DataError(f"{path}: {where} must be a non-empty text")
    try:
        text.format(**dict.fromkeys(TEMPLATE_FIELDS, "x"))
    except (KeyError, IndexError, ValueError) as exc:
        raise DataError(f"{path}: {where} is not a valid template ({exc}); placeholders: "
                        f"{', '.join(TEMPLATE_FIELDS)}") from None
    return text


def _statuses(data: Any, path: Path, vendor: str, key: str, known: tuple[str, ...]) -> frozenset[str]:
    values = required(data, path, vendor, key)
    if not isinstance(values, list) or not set(map(str, values)) <= set(known):
        raise DataError(f"{path}: {vendor}.{key} must list statuses the API reports ({', '.join(known)}); "
                        f"it has {values}")
    return frozenset(map(str, values))


def _check_catalog_codes(vendor: str, codes: tuple[str, ...], facts_path: Path) -> None:
    """Every case severity the vendor catalog can choose must be a code the API takes."""
    spec = resolve_vendor(vendor)
    bad = sorted({lv.api_code for lv in spec.levels if lv.api_code and lv.api_code not in codes})
    if bad:
        raise DataError(f"references/vendors/{vendor}.yaml: levels use api_code {bad}, which {facts_path} "
                        f"does not list (severity_codes: {', '.join(codes)})")


@cache
def load_case_policy(vendor: str) -> CasePolicy:
    """The policy for ``vendor`` (aws, azure or gcp), validated against that API's facts and the catalog."""
    if vendor not in FACT_FILES:
        raise DataError(f"no support API facts for {vendor!r} (known: {', '.join(VENDORS)})")
    path = references_dir() / POLICY_FILE
    facts_path = references_dir() / FACT_FILES[vendor]
    data, facts = load_yaml(path), load_yaml(facts_path)
    known = tuple(map(str, required(facts, facts_path, "statuses", "values")))
    codes = tuple(map(str, required(facts, facts_path, "severity_codes", "values")))
    _check_catalog_codes(vendor, codes, facts_path)
    language = required(data, path, vendor, "language")
    if not isinstance(language, dict) or set(language) != set(LANGS):
        raise DataError(f"{path}: {vendor}.language must map each of {', '.join(LANGS)}")
    allowed = facts.get("support_languages", {}).get("values")
    if allowed and not {str(v) for v in language.values()} <= set(allowed):
        raise DataError(f"{path}: {vendor}.language uses a language the API does not list ({', '.join(allowed)})")
    extra = {k: v for k, v in required(data, path, vendor).items() if k not in ("language", "responded", "finished")}
    subject_max = required(data, path, "subject_max")
    if not isinstance(subject_max, int) or subject_max < 20:
        raise DataError(f"{path}: subject_max must be a whole number of at least 20")
    subject = _template(required(data, path, "subject"), path, "subject")
    if "{id}" not in subject:
        raise DataError(f"{path}: subject must contain {{id}}, or a case opened but not recorded cannot be found again")
    return CasePolicy(vendor=vendor, subject=subject,
                      subject_max=subject_max, body=_template(required(data, path, "body"), path, "body"),
                      language={k: str(v) for k, v in language.items()},
                      responded=_statuses(data, path, vendor, "responded", known),
                      finished=_statuses(data, path, vendor, "finished", known), extra=extra, facts=facts)
