"""Find severity signals in free text: script-based language guess, lexicon matches and their cues."""

from __future__ import annotations

import re
from itertools import islice
from typing import Any, NamedTuple

from escalation_kit.severity.data import CueSet, Lexicon, SignalDef, lexicon, pair_scans, scan, simplified

_CJK = re.compile(r"[\u3400-\u9fff]")
_CYR = re.compile(r"[\u0400-\u04ff]")
# Real reports carry at most a few dozen signals (26 in the 1,500 labelled texts). A text that repeats one
# cue thousands of times ("慢慢慢…") is answered from its first MAX_HITS signals, so neither the work nor
# the result grows with the repetition.
MAX_HITS = 128


class Match(NamedTuple):
    """One lexicon hit with the cue state found before it in the same clause."""

    sig: SignalDef
    language: str
    start: int
    end: int
    text: str
    negated: bool
    hedged: bool
    suspected: bool
    asked: bool = False  # the object of a how-to question ("how to delete old backups"): sets nothing

    def effect(self) -> dict[str, Any]:
        """Feature values this hit sets, given its cues (negated and hedged impact words set nothing)."""
        if self.asked:
            return {}
        if self.negated:
            return self.sig.if_negated or {}
        if self.hedged:
            return self.sig.if_hedged or {}
        if self.suspected and self.sig.if_suspected is not None:
            return self.sig.if_suspected
        return self.sig.sets


def _clause_prefix(lex: Lexicon, text: str, start: int, width: int, floor: int) -> str:
    """The text just before ``start``, cut at the last clause boundary and at the previous signal.

    A cue governs only the next signal: in "не работает у всех" the "не" belongs to "не работает",
    not to "у всех".
    """
    prefix = text[max(0, floor, start - width):start]
    cut = 0
    for b in lex.boundary.finditer(prefix):
        cut = b.end()
    return prefix[cut:]


def _cues(lex: Lexicon, text: str, start: int, floor: int,
          langs: tuple[str, ...]) -> tuple[bool, bool, bool, bool]:
    """Whether a negation, hedge, suspicion or how-to-question cue of any of ``langs`` precedes ``start``."""
    neg = hedge = sus = asks = False
    prefixes: dict[int, str] = {}  # English and Russian cues read the same window: cut it once
    for lang in langs:
        cue = lex.cues[lang]
        prefix = prefixes.get(cue.window_chars)
        if prefix is None:
            prefix = prefixes[cue.window_chars] = _clause_prefix(lex, text, start, cue.window_chars, floor)
        if not prefix.strip():
            continue
        neg, hedge, sus = _cue_flags(cue, prefix, (neg, hedge, sus))
        asks = asks or bool(cue.asks is not None and cue.asks.search(prefix))
    return neg, hedge, sus, asks


def _inner_cues(lex: Lexicon, span: str, langs: tuple[str, ...],
                found: tuple[bool, bool, bool]) -> tuple[bool, bool, bool]:
    """``found`` (negation, hedge, suspicion) with the cues that stand inside a pair's matched span added."""
    for lang in langs:
        found = _cue_flags(lex.cues[lang], span, found)
    return found


def _cue_flags(cue: CueSet, part: str, found: tuple[bool, bool, bool]) -> tuple[bool, bool, bool]:
    """``found`` (negation, hedge, suspicion) or-ed with what one language's cues find in ``part`` of the text."""
    neg, hedge, sus = found
    return (neg or bool(cue.negation.search(part)), hedge or bool(cue.hedge.search(part)),
            sus or bool(cue.suspect.search(part)))


def find_signals(text: str, lang: str) -> list[Match]:
    """Every lexicon hit in text order; ``lang`` is the text's main language, whose cues also apply to others."""
    lex = lexicon()
    original = text
    scripts = ["en"]
    if not text.isascii():  # an ASCII text has neither script: skip both searches
        if _CYR.search(text):
            scripts.append("ru")
        if _CJK.search(text):
            scripts.append("zh")
            text = simplified(text)  # one for one: spans stay valid in the original
    raw = []
    for sl in scripts:
        raw.extend((m.start(), m.end(), sl, m, False) for m in islice(scan(lex, sl, text), 2 * MAX_HITS))
    paired = False
    for sl in scripts:
        for matches in pair_scans(lex, sl, text):
            found = [(m.start(), m.end(), sl, m, True) for m in islice(matches, 2 * MAX_HITS)]
            raw.extend(found)
            paired = paired or bool(found)
    if len(scripts) > 1 or paired:  # at one position the longer match wins ("API не работает" over "API")
        raw.sort(key=lambda r: (r[0], r[0] - r[1]))
    hits: list[Match] = []
    last: Match | None = None  # the latest hit that took cues: an alternative joins the next one to it
    taken = cue_floor = 0
    for start, end, sl, m, pair in raw:
        if start < taken:  # words already inside a match from the other script's lexicon
            continue
        taken = end
        sig = lex.groups[m.lastgroup or ""]
        neg = hedge = sus = asks = False
        if sig.cues:  # context words (scope, environment...) neither take cues nor block them
            langs = (sl,) if sl == lang else (sl, lang)
            neg, hedge, sus, asks = _cues(lex, text, start, cue_floor, langs)
            if pair:  # "密钥可能泄露", "keys were not exposed": a cue between a pair's two words governs it too
                neg, hedge, sus = _inner_cues(lex, text[start:end], langs, (neg, hedge, sus))
            asks = asks and sig.kind in lex.asks_voids
            hedge = hedge or asks  # reported as hedged: a possibility asked about, not a fact
            if last is not None and lex.alternative and lex.alternative.fullmatch(text, last.end, start):
                # "if the API is down/inaccessible", "not slow or down": the cue governs the whole alternative
                neg, hedge, sus = neg or last.negated, hedge or last.hedged, sus or last.suspected
            cue_floor = end
        hit = Match(sig, sl, start, end, original[start:end], neg, hedge, sus, asks)
        hits.append(hit)
        if sig.cues:
            last = hit
        if len(hits) == MAX_HITS:
            break
    return hits
