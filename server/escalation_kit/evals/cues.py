"""Section cues per skill and contract item (``evals/grading/cues.yaml``), compiled once.

Heading synonyms widen what a heading may say; ``require`` groups say what a body must hold;
``signals`` (with the require words) tell which item a body reads as, to report misplaced bodies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from escalation_kit.evals.markdown import normalize
from escalation_kit.paths import evals_dir

_CJK = re.compile(r"[\u3400-\u9fff]")
TOKENS: dict[str, str] = {
    "@time": r"(?<!\d)(?:[01]?\d|2[0-3])[:：][0-5]\d(?!\d)",
    "@number": r"\d",
    "@level": r"(?<![a-z0-9])p[0-3](?![0-9a-z])",
    "@url": r"https?://|(?<![\w@])[a-z0-9-]+(?:\.[a-z0-9-]+)+\.(?:com|cn|ru|io|net|org|cloud)\b|status\.[a-z]",
    "@question": r"[?？]",
    "@duration": r"\d+\s*(?:min|minutes?|h\b|hours?|hrs?|мин|час|ч\b|分钟|小时|天|days?|дн)",
}


@dataclass(frozen=True)
class Requirement:
    say: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class ItemCues:
    headings: tuple[str, ...]
    require: tuple[Requirement, ...]
    signals: tuple[re.Pattern[str], ...]


def word_pattern(word: str) -> str:
    """A regex for one cue word: special tokens, CJK as a substring, others at a word start."""
    if word in TOKENS:
        return TOKENS[word]
    w = normalize(word)
    if _CJK.search(w) or not w[:1].isalnum():
        return re.escape(w)
    return rf"(?<!\w){re.escape(w)}"


def _any_of(words: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(word_pattern(w) for w in words))


@cache
def cues_data() -> dict[str, Any]:
    """The raw cue file."""
    return yaml.safe_load((evals_dir() / "grading" / "cues.yaml").read_text(encoding="utf-8"))


@cache
def item_cues(skill: str, item_id: str) -> ItemCues:
    """Compiled cues for one item; an item the file does not list gets empty cues."""
    raw = (cues_data().get("skills", {}).get(skill) or {}).get(item_id) or {}
    heads = tuple(w for ws in (raw.get("headings") or {}).values() for w in ws)
    req = tuple(Requirement(g["say"], _any_of(list(g["any"]))) for g in raw.get("require") or [])
    words = [w for g in raw.get("require") or [] for w in g["any"] if not w.startswith("@")]
    words += list(raw.get("signals") or [])
    sig = tuple(re.compile(word_pattern(w)) for w in dict.fromkeys(words) if w not in TOKENS)
    return ItemCues(heads, req, sig)


class Lexicon:
    """A word list matched without a big regex: CJK and multi-word entries as substrings, others as word prefixes."""

    def __init__(self, words: list[str], prefix: bool = True) -> None:
        norm = [normalize(w) for w in words]
        self.subs = tuple(w for w in norm if _CJK.search(w) or " " in w or not w.replace("-", "").isalnum())
        self.words = tuple(w for w in norm if w not in self.subs)
        self.prefix = prefix
        self._set = frozenset(self.words)

    def find(self, norm: str, tokens: list[str]) -> str | None:
        """The first entry found in normalised text ``norm`` whose word tokens are ``tokens``."""
        for w in self.subs:
            if w in norm:
                return w
        if self.prefix:
            for tok in tokens:
                if tok.startswith(self.words):
                    return tok
            return None
        return next((t for t in tokens if t in self._set), None)


@cache
def systems() -> Lexicon:
    """Words naming a system, tool or channel: a sentence holding one states a fact."""
    return Lexicon(list(cues_data().get("systems") or []))
