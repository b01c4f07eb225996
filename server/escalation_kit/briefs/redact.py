"""Mask secrets and personal data in free text before it lands in an escalation document.

Patterns live in ``references/redaction/patterns.yaml`` (data, with sources); this module only
compiles them, applies the named checks (Luhn, digit counts, ID check digits) and reports each masking by kind,
field and replacement token, never by the secret itself.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any, NamedTuple

from pydantic import BaseModel

from escalation_kit import regexcache
from escalation_kit.paths import references_dir


class Redaction(BaseModel):
    """One masking: what kind of secret, in which field, and the token that replaced it."""

    kind: str
    field: str
    replacement: str


class Pattern(NamedTuple):
    id: str
    kind: str
    regex: re.Pattern[str]
    check: str | None = None


class Span(NamedTuple):
    """A secret found in a text: [start, end) and the pattern that found it."""

    start: int
    end: int
    kind: str
    pattern_id: str


@cache
def _config() -> dict[str, Any]:
    from escalation_kit.datafiles import load_yaml  # JSON snapshot of the YAML: start-up reads no data
    return load_yaml(references_dir() / "redaction" / "patterns.yaml")


@cache
def patterns() -> tuple[Pattern, ...]:
    """Compile the data file's patterns once, in priority order."""
    items = _config()["patterns"]
    specs = []
    for item in items:
        flags = re.ASCII
        for name in item.get("flags", []):
            flags |= getattr(re, name)
        specs.append((item["regex"], flags))
    compiled = regexcache.compile_many(specs)  # ~40 patterns: ~10 ms to parse, one cache read when cached
    return tuple(Pattern(item["id"], item["kind"], regex, item.get("check"))
                 for item, regex in zip(items, compiled, strict=True))


def luhn_ok(digits: str) -> bool:
    """True when the digit string passes the Luhn (mod 10) check."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def _card_brand_ok(digits: str) -> bool:
    """True when the number's first digits and length match a card brand from the data file."""
    for brand in _config()["card_brands"]:
        if len(digits) not in brand["lengths"]:
            continue
        for lo, hi in brand["ranges"]:
            if int(lo) <= int(digits[: len(lo)]) <= int(hi):
                return True
    return False


def _check_card(text: str) -> bool:
    digits = re.sub(r"\D", "", text)
    return _card_brand_ok(digits) and luhn_ok(digits)


def _check_phone_digits(text: str) -> bool:
    return 8 <= sum(ch.isdigit() for ch in text) <= 15


def _check_not_hex(text: str) -> bool:
    return not re.fullmatch(r"[0-9a-f]+|[0-9A-F]+", text)


def _check_not_placeholder(text: str) -> bool:
    """Reject values that are masked or point elsewhere: ***, <password>, ${DB_PASS}, [REDACTED], /a/path."""
    return not re.fullmatch(r"[*•xX.#-]+|<[^>]*>?|\$\{?[A-Za-z_]\w*\}?|\[[^\]]*\]?|%\w+%|[~.]?/[\w./-]*", text)


def _check_not_repetitive(text: str) -> bool:
    tail = re.sub(r"\D", "", text)[-8:]
    return max(tail.count(d) for d in set(tail)) < 6


def _check_random_token(text: str) -> bool:
    """A key, not a slug or a placeholder: some run of 8+ letters and digits mixes both."""
    if not _check_not_placeholder(text):
        return False
    return any(re.search(r"[A-Za-z]", run) and re.search(r"\d", run) for run in re.findall(r"[A-Za-z0-9]{8,}", text))


def _check_varied(text: str) -> bool:
    """A real token uses many distinct characters; ghp_xxxx... and sk-ant-...0000 are documentation fillers."""
    return len(set(text)) >= 12


CN_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def cn_id_check_char(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of a Chinese resident identity number (GB 11643)."""
    total = sum(int(d) * w for d, w in zip(first17, CN_ID_WEIGHTS, strict=True))
    return "10X98765432"[total % 11]


def _check_cn_resident_id(text: str) -> bool:
    """A real birth date (YYYYMMDD at 7-14) and a matching check character; order numbers rarely pass both."""
    try:
        date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return False
    return cn_id_check_char(text[:17]) == text[17].upper()


CHECKS: dict[str, Callable[[str], bool]] = {
    "luhn_card": _check_card,
    "digits_8_15": _check_phone_digits,
    "not_hex": _check_not_hex,
    "not_placeholder": _check_not_placeholder,
    "not_repetitive": _check_not_repetitive,
    "random_token": _check_random_token,
    "varied": _check_varied,
    "cn_resident_id": _check_cn_resident_id,
}


def _overlaps(taken: list[Span], starts: list[int], start: int, end: int) -> bool:
    """True when [start, end) overlaps a span of ``taken`` (sorted, disjoint; ``starts`` mirrors it)."""
    i = bisect_left(starts, start)
    return (i > 0 and taken[i - 1].end > start) or (i < len(taken) and taken[i].start < end)


def find_secrets(text: str) -> list[Span]:
    """Every secret span in ``text``, earlier patterns winning overlaps, sorted by position."""
    taken: list[Span] = []
    starts: list[int] = []
    for pat in patterns():
        for m in pat.regex.finditer(text):
            start, end = m.span("secret") if "secret" in pat.regex.groupindex else m.span()
            if start == end or (pat.check and not CHECKS[pat.check](text[start:end])):
                continue
            if _overlaps(taken, starts, start, end):
                continue
            i = bisect_left(starts, start)
            taken.insert(i, Span(start, end, pat.kind, pat.id))
            starts.insert(i, start)
    return taken


@dataclass
class Redactor:
    """Masks texts field by field; the same secret gets the same token across every field of one call."""

    tokens: dict[tuple[str, str], str] = field(default_factory=dict)
    redactions: list[Redaction] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def _token(self, kind: str, secret: str) -> str:
        key = (kind, secret)
        if key not in self.tokens:
            self.counts[kind] = self.counts.get(kind, 0) + 1
            self.tokens[key] = _config()["replacement"].format(kind=kind, n=self.counts[kind])
        return self.tokens[key]

    def text(self, value: str, field_name: str) -> str:
        """Return ``value`` with its secrets replaced, recording one Redaction per masking."""
        spans = find_secrets(value)
        if not spans:
            return value
        parts, pos = [], 0
        for span in spans:
            token = self._token(span.kind, value[span.start : span.end])
            parts += [value[pos : span.start], token]
            pos = span.end
            self.redactions.append(Redaction(kind=span.kind, field=field_name, replacement=token))
        parts.append(value[pos:])
        return "".join(parts)


def redact_text(text: str, field_name: str = "text") -> tuple[str, list[Redaction]]:
    """Mask one text on its own; returns the masked text and what was masked."""
    redactor = Redactor()
    return redactor.text(text, field_name), redactor.redactions
