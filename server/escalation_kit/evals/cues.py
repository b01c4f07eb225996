"""Section cues per skill and contract item (``evals/grading/cues.yaml``), compiled once.

Heading synonyms widen what a heading may say; ``require`` groups say what a body must hold;
``signals`` (with the require words) tell which item a body reads as, to report misplaced bodies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

import yaml

from escalation_kit.evals.markdown import normalize
from escalation_kit.paths import evals_dir

_CJK = re.compile(r"[\u3400-\u9fff]")
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|янв|фев|мар|апр|ма[яй]|июн|июл|авг|сен|окт|ноя|дек"
# A calendar date: 2026-11-28, 12-01 (month-day), 21.11 / 21.11.2026, 30 nov, Dec 4, 12 月 2 日; not a range of
# units ("20-30 s"), a percentage or a version.
_DATE = (r"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)|(?<![\d.:])(?:1[0-2]|0?[1-9])-(?:[0-2]\d|3[01])(?![\d%:-])"
         r"(?!\s*(?:s\b|sec|min|h\b|%|мин|ч\b|сек|秒|分|小时))|\d{1,2}\s*月\s*\d{1,2}\s*日"
         rf"|(?<!\d)\d{{1,2}}\s(?:{_MONTHS})|\b(?:{_MONTHS})[a-zа-я]*\.?\s\d{{1,2}}\b"
         r"|(?<![\d.])\d{1,2}\.\d{2}(?:\.\d{2,4})?(?![\d%])(?!\s*(?:s\b|%|мин|ч\b))")
TOKENS: dict[str, str] = {
    "@time": r"(?<!\d)(?:[01]?\d|2[0-3])[:：][0-5]\d(?!\d)",
    "@number": r"\d",
    "@level": r"(?<![a-z0-9])p[0-3](?![0-9a-z])",
    "@url": r"https?://|(?<![\w@])[a-z0-9-]+(?:\.[a-z0-9-]+)+\.(?:com|cn|ru|io|net|org|cloud)\b|status\.[a-z]",
    "@question": r"[?？]",
    "@duration": r"\d+\s*(?:min|minutes?|h\b|hours?|hrs?|мин|час|ч\b|分钟|小时|天|days?|дн)",
    "@date": _DATE,
}
DATE_PATTERN = _DATE  # a calendar date as answers write one (grounding reads promised dates with it)


_WORD = re.compile(r"\w+")


class Body:
    """A normalised body with its word tokens, computed once and shared by every cue test."""

    __slots__ = ("norm", "_tokens", "_prefixes")

    def __init__(self, norm: str) -> None:
        self.norm = norm
        self._tokens: list[str] | None = None
        self._prefixes: set[str] | None = None

    @property
    def tokens(self) -> list[str]:
        """The word tokens (on first use: requirements test the text itself)."""
        if self._tokens is None:
            self._tokens = _WORD.findall(self.norm)
        return self._tokens

    @property
    def prefixes(self) -> set[str]:
        """Every word-start prefix of every token (built on first use: only scoring needs it)."""
        if self._prefixes is None:
            # only as long as the longest signal word: longer prefixes could never be in an intersection
            cap = _longest_signal()
            self._prefixes = {t[:i] for t in set(self.tokens) for i in range(1, min(len(t), cap) + 1)}
        return self._prefixes


@dataclass(frozen=True)
class Requirement:
    """One group of a ``require`` list: met when the body holds any of its words or tokens."""

    say: str
    words: frozenset[str]
    subs: tuple[str, ...]
    tokens: re.Pattern[str] | None
    across: bool = False  # met by any section the item's headings name, not only the one judged
    least: int = 1  # how many occurrences it takes (a chronology: two times or dates)

    def met(self, body: Body) -> bool:
        if self.least > 1:
            return self._count(body.norm) >= self.least
        if self.literals is not None and self.literals.search(body.norm):
            return True
        return bool(self.tokens and self.tokens.search(body.norm))

    def _count(self, norm: str) -> int:
        """Occurrences of the group's words and tokens in the body."""
        return sum(len(p.findall(norm)) for p in (self.literals, self.tokens) if p is not None)

    @cached_property
    def literals(self) -> re.Pattern[str] | None:
        """One regex for the words and substrings: a word starting a token, or a substring anywhere.

        A token (a run of \\w) starts with an alphanumeric word exactly where the word occurs with no
        word character before it. Every branch opens with a literal, so the engine scans for first letters.
        """
        parts = [rf"{re.escape(w)}(?<!\w{re.escape(w)})" for w in sorted(self.words)]
        parts += [re.escape(w) for w in self.subs]
        return re.compile("|".join(parts)) if parts else None


@dataclass(frozen=True)
class ItemCues:
    headings: tuple[str, ...]
    require: tuple[Requirement, ...]
    signal_words: frozenset[str]
    signal_subs: tuple[str, ...]
    refuse: tuple[Requirement, ...] = ()  # the body must hold none of these ("the escalation is already lifted")

    def signal_score(self, body: Body) -> int:
        """How many distinct signal words the body holds."""
        return len(self.signal_words & body.prefixes) + sum(1 for w in self.signal_subs if w in body.norm)

    @property
    def signals(self) -> bool:
        return bool(self.signal_words or self.signal_subs)


def _split_words(words: list[str]) -> tuple[frozenset[str], tuple[str, ...], re.Pattern[str] | None]:
    """Word-start words (matched as token prefixes), substrings (CJK, phrases, punctuation) and @tokens."""
    plain, subs, toks = set(), [], []
    for w in words:
        if w in TOKENS:
            toks.append(TOKENS[w])
            continue
        n = normalize(w)
        if _CJK.search(n) or not n.isalnum():
            subs.append(n)
        else:
            plain.add(n)
    return frozenset(plain), tuple(subs), re.compile("|".join(toks)) if toks else None


@cache
def cues_data() -> dict[str, Any]:
    """The raw cue file."""
    return yaml.safe_load((evals_dir() / "grading" / "cues.yaml").read_text(encoding="utf-8"))


@cache
def _longest_signal() -> int:
    """Length of the longest signal word of any item (at most 24, the old prefix cap)."""
    lengths = [len(w) for skill, items in (cues_data().get("skills") or {}).items() for item in items or {}
               for w in item_cues(skill, item).signal_words]
    return min(24, max(lengths, default=0))


@cache
def item_cues(skill: str, item_id: str) -> ItemCues:
    """Compiled cues for one item; an item the file does not list gets empty cues."""
    raw = (cues_data().get("skills", {}).get(skill) or {}).get(item_id) or {}
    heads = tuple(w for ws in (raw.get("headings") or {}).values() for w in ws)
    req = tuple(Requirement(g["say"], *_split_words(list(g["any"])), across=bool(g.get("across")),
                            least=int(g.get("least", 1)))
                for g in raw.get("require") or [])
    words = [w for g in raw.get("require") or [] for w in g["any"] if not w.startswith("@")]
    words += list(raw.get("signals") or [])
    sig_words, sig_subs, _ = _split_words(list(dict.fromkeys(words)))
    refuse = tuple(Requirement(g["say"], *_split_words(list(g["any"]))) for g in raw.get("refuse") or [])
    return ItemCues(heads, req, sig_words, sig_subs, refuse)


class Lexicon:
    """A word list matched without a big regex: CJK and multi-word entries as substrings, others as word prefixes."""

    def __init__(self, words: list[str], prefix: bool = True) -> None:
        norm = [normalize(w) for w in words]
        self.subs = tuple(w for w in norm if _CJK.search(w) or " " in w or not w.replace("-", "").isalnum())
        self.words = tuple(w for w in norm if w not in self.subs)
        self.prefix = prefix
        self._set = frozenset(self.words)
        self._subs_re = re.compile("|".join(map(re.escape, self.subs))) if self.subs else None

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

    def holds(self, norm: str, tokens: list[str]) -> bool:
        """Whether ``find`` finds any entry: one regex for the substrings, C-level tests for the words."""
        if self._subs_re is not None and self._subs_re.search(norm):
            return True
        if self.prefix:
            return bool(self.words) and any(tok.startswith(self.words) for tok in tokens)
        return not self._set.isdisjoint(tokens)


@cache
def systems() -> Lexicon:
    """Words naming a system, tool or channel: a sentence holding one states a fact."""
    return Lexicon(list(cues_data().get("systems") or []))
