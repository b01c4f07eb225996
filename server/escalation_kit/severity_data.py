"""Load the severity lexicon, cues, rules, questions and vendor map once, compiled for fast matching.

Everything here is data read from ``references/severity/``; nothing is read at import time
and every loader is cached, so a call to ``classify_severity`` does no I/O after the first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import yaml

from escalation_kit.paths import references_dir

LANGUAGES = ("en", "ru", "zh")
_WRAP = {"en": r"\b(?:{})\b", "ru": r"(?<!\w)(?:{})", "zh": "(?:{})"}


@dataclass(frozen=True)
class SignalDef:
    """One lexicon entry: what it sets plainly and under a negation, hedge or suspicion cue."""

    id: str
    kind: str
    level: str
    sets: dict[str, Any]
    if_negated: dict[str, Any] | None
    if_hedged: dict[str, Any] | None
    if_suspected: dict[str, Any] | None


@dataclass(frozen=True)
class CueSet:
    """Negation, hedge and suspicion cues of one language, each anchored to the end of a prefix."""

    negation: re.Pattern[str]
    hedge: re.Pattern[str]
    suspect: re.Pattern[str]
    window_chars: int


@dataclass(frozen=True)
class Lexicon:
    """Per language: one combined regex whose group names index ``groups``."""

    regex: dict[str, re.Pattern[str]]
    groups: dict[str, SignalDef]
    cues: dict[str, CueSet]
    boundary: re.Pattern[str]
    signals: dict[str, SignalDef] = field(default_factory=dict)


def _read(name: str) -> dict[str, Any]:
    """Read one YAML file from references/severity/."""
    with (references_dir() / "severity" / name).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _anchored(cue: str, lang: str, window: int) -> re.Pattern[str]:
    """Cue followed by at most ``window`` words (en/ru) or characters (zh) up to the end of the text."""
    tail = rf"[^\s]{{0,{window}}}\s*$" if lang == "zh" else rf"(?:\s+[\w'-]+){{0,{window}}}\s*$"
    return re.compile(f"(?:{cue}){tail}", re.IGNORECASE)


@cache
def lexicon() -> Lexicon:
    """Compile every signal pattern of each language into one alternation with named groups."""
    raw = _read("lexicon.yaml")
    cue_raw = _read("cues.yaml")
    groups: dict[str, SignalDef] = {}
    signals: dict[str, SignalDef] = {}
    parts: dict[str, list[str]] = {lang: [] for lang in LANGUAGES}
    for i, entry in enumerate(raw["signals"]):
        sig = SignalDef(
            id=entry["id"], kind=entry["kind"], level=entry["level"], sets=entry.get("sets") or {},
            if_negated=entry.get("if_negated"), if_hedged=entry.get("if_hedged"),
            if_suspected=entry.get("if_suspected"),
        )
        signals[sig.id] = sig
        for lang in LANGUAGES:
            pats = entry.get("patterns", {}).get(lang) or []
            if not pats:
                continue
            name = f"{lang}{i}"
            groups[name] = sig
            parts[lang].append(f"(?P<{name}>" + _WRAP[lang].format("|".join(pats)) + ")")
    regex = {lang: re.compile("|".join(p), re.IGNORECASE) for lang, p in parts.items() if p}
    cues = {}
    for lang, c in cue_raw["languages"].items():
        window = c.get("window_words", c.get("window_chars", 3))
        cues[lang] = CueSet(
            negation=_anchored(c["negation"], lang, window),
            hedge=_anchored(c["hedge"], lang, window + 2),
            suspect=_anchored(c["suspect"], lang, window + 2),
            window_chars=60 if lang != "zh" else 12,
        )
    boundary = re.compile(cue_raw["clause_boundary"], re.IGNORECASE)
    return Lexicon(regex=regex, groups=groups, cues=cues, boundary=boundary, signals=signals)


@cache
def rules() -> dict[str, Any]:
    """The decision rules (stages override/base/cap/floor, merge order, probes)."""
    return _read("rules.yaml")


@cache
def questions() -> dict[str, dict[str, str]]:
    """Question catalogue: feature -> language -> question."""
    return _read("questions.yaml")["questions"]


@cache
def vendor_map() -> dict[str, Any]:
    """Vendor case-severity names per P-level."""
    return _read("vendor-case-severity.yaml")["vendors"]
