"""Vendor, plan and case-severity names as people read them, per document language.

The data (``references/i18n/vendor-names.yaml``) keeps the vendor's official wording where the
console shows it and this project's wording elsewhere; a key it lacks falls back to the catalog's
own name with any bracketed English gloss removed from ru/zh text.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any, Literal

from escalation_kit.paths import references_dir

Part = Literal["plans", "levels"]
BRACKETS = {"en": (" (", ")"), "ru": (" (", ")"), "zh": ("（", "）")}
# " (English words)" after non-Latin text: the gloss the catalog adds for readers of English.
_GLOSS = re.compile(r"\s*[(（][A-Za-z][^()（）]*[)）]")


@cache
def names_data() -> dict[str, Any]:
    """The parsed vendor-names.yaml, read on first use."""
    from escalation_kit.datafiles import load_yaml  # the JSON snapshot: no YAML parsing after the first run

    return load_yaml(references_dir() / "i18n" / "vendor-names.yaml")


def _fallback(name: str, lang: str) -> str:
    """The catalog's name without an English gloss in brackets when the document is not English."""
    return name if lang == "en" else (_GLOSS.sub("", name).strip() or name)


def _entry(vendor: str, part: Part | None, key: str | None) -> dict[str, Any] | None:
    entry = names_data()["vendors"].get(vendor)
    if entry is None or part is None:
        return None if entry is None else entry.get("name")
    return entry.get(part, {}).get(key or "")


def vendor_name(vendor: str, lang: str, fallback: str) -> str:
    """The vendor's display name in ``lang`` (fallback: the catalog's name)."""
    entry = _entry(vendor, None, None)
    return entry[lang] if entry and lang in entry else _fallback(fallback, lang)


def plan_name(vendor: str, plan: str, lang: str, fallback: str) -> str:
    """The support plan's display name in ``lang`` (fallback: the catalog's name)."""
    entry = _entry(vendor, "plans", plan)
    return entry[lang] if entry and lang in entry else _fallback(fallback, lang)


def level_name(vendor: str, level: str, lang: str, fallback: str, first: bool = False) -> str:
    """A case severity as the console names it; the first mention adds a short native explanation."""
    entry = _entry(vendor, "levels", level)
    if not entry or lang not in entry:
        return _fallback(fallback, lang)
    name = entry[lang]
    explain = (entry.get("explain") or {}).get(lang)
    if not first or not explain:
        return name
    left, right = BRACKETS.get(lang, BRACKETS["en"])
    return f"{name}{left}{explain}{right}"


def product_words() -> set[str]:
    """Latin-script words of every ru/zh display name: product names a ru/zh document may contain."""
    words: set[str] = set()
    for vendor in names_data()["vendors"].values():
        entries = [vendor.get("name", {}), *vendor.get("plans", {}).values(), *vendor.get("levels", {}).values()]
        for entry in entries:
            for lang in ("ru", "zh"):
                words.update(re.findall(r"[A-Za-z][A-Za-z+-]*", str(entry.get(lang, ""))))
    return words
