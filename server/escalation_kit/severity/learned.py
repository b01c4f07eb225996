"""Learned readings that the lexicon's phrases miss: a request or question, a security matter, one user's problem.

Each reading is a logistic model over the report's words (Cyrillic words cut to six letters), word pairs and
Chinese character pairs, trained by ``benchmarks/train_severity_dims.py`` on the tuning corpus and shipped
as data (``references/severity/learned.json``, with its training data, date and cross-validated effect).
A reading only fills a gap the lexicon left, before facts apply: *request* turns an impact the text
states weakly (none, severe, degraded) into ``question`` when no data or security words were found (past a
higher threshold when the text names a core function);
*security* makes an unknown security state ``suspected``; *single* reads a failure whose breadth the
text never states as one reporter's own (scope ``few``). Words inside scope signals ("for all users")
are left out, so saying how many are affected never changes a reading. The words that weighed most
are reported, so the decision can be explained.

A fourth, the *level* reading, weighs the whole report against four models (one per level: "would a
labeller accept this level?") and may lower a level that rests on what the text leaves unstated (the rules
listed under ``learned_level`` in rules.yaml: no signal read, or an outage whose breadth is not said).
It never raises a level, and never lowers P0/P1 to P2/P3 while the P0 model still gives P0 a real chance.
Its models ship in ``references/severity/levels.json``, loaded only when such a rule decides.
"""

from __future__ import annotations

import json
import math
import operator
import re
from array import array
from functools import cache
from itertools import repeat
from pathlib import Path
from typing import Any, NamedTuple

from escalation_kit.datafiles import load_checked
from escalation_kit.errors import DataError
from escalation_kit.paths import references_dir
from escalation_kit.severity.data import rules, simplified
from escalation_kit.severity.match import Match
from escalation_kit.vocab import SEVERITIES

_WORD = re.compile(r"[a-zа-яё0-9]{2,}")
_CJK = re.compile(r"[\u3400-\u9fff]+")
MAX_CHARS = 2000  # the opening of a report carries its kind; the rest adds cost, not signal
LEVEL_MAX_CHARS = 600  # the level reading's opening: same answers out of sample as 2,000, a third of the tokens
SKIPPED_KINDS = frozenset({"scope"})
FEATURE = {"request": "impact", "security": "security", "single": "scope"}  # the feature each reading fills
MIN_TERMS = 10  # words (a CJK character pair counts half) below which a report is left to the lexicon


LEVELS: tuple[str, ...] = tuple(SEVERITIES)


class LevelReading(NamedTuple):
    """A lower level read from the whole report: the level, its model's probability, the words that weighed most."""

    level: str
    probability: float
    words: tuple[str, ...]


class Reading(NamedTuple):
    """A reading that fired: its name, its probability and the words that weighed most."""

    name: str
    probability: float
    words: tuple[str, ...]


@cache
def _negations() -> tuple[frozenset[str], re.Pattern[str]]:
    """The words the level reading never reads (rules.yaml ``learned_level``): the rules already weigh a negated
    cue, and a reading that moved with "not" could rate "X is not down" above "X is down"."""
    policy = rules()["learned_level"]
    if not all(isinstance(w, str) and w for w in policy["unread_words"] + policy["unread_cjk"]):
        raise DataError("rules.yaml learned_level: unread_words and unread_cjk must be non-empty strings "
                        "(quote no, yes, on, off: YAML reads them as true/false)")
    cjk = sorted(policy["unread_cjk"], key=len, reverse=True)  # longest first: 并没有 before 没有
    return frozenset(policy["unread_words"]), re.compile("|".join(map(re.escape, cjk)))


def tokens(text: str, hits: list[Match], skip_negations: bool = False, limit: int = MAX_CHARS) -> set[str]:
    """Words, word pairs and CJK character pairs (traditional characters read as simplified) of ``text``, with
    scope signals cut out (pairs never span a cut).

    ``skip_negations`` drops negation words (pairs join their neighbours) and splits CJK runs at them."""
    cuts = sorted((h.start, h.end) for h in hits if h.sig.kind in SKIPPED_KINDS and h.start < limit)
    pieces, last = [], 0
    for start, end in cuts:
        if start >= last:
            pieces.append(text[last:start])
            last = end
    pieces.append(text[last:limit] if last < limit else "")
    out: set[str] = set()
    for piece in pieces:
        lowered = piece.lower()
        found = _WORD.findall(lowered)
        if skip_negations:
            found = [w for w in found if w not in _negations()[0]]
        plain = lowered.isascii()  # no Cyrillic word to cut, no CJK run to pair
        words = found if plain else [w[:6] if "а" <= w[0] <= "ё" else w for w in found]
        out.update(words)
        out.update(map("_".join, zip(words, words[1:], strict=False)))
        if plain:
            continue
        for run in _CJK.findall(lowered):
            run = simplified(run)  # 網站 and 网站 are one word to the models
            for part in _negations()[1].split(run) if skip_negations else (run,):
                out.update(map(operator.add, part, part[1:]))  # each pair of neighbouring characters
    return out


def has_terms(toks: set[str], need: float) -> bool:
    """Whether the tokens stand for ``need`` words: a word counts one, a CJK character pair a half (pairs
    overlap); stops counting as soon as there are enough."""
    count = 0.0
    for t in toks:
        if "_" not in t:
            count += 0.5 if "\u3400" <= t[0] <= "\u9fff" else 1.0
            if count >= need:
                return True
    return False


@cache
def model() -> dict[str, Any]:
    """The shipped models (references/severity/learned.json): per reading, bias, threshold and a weight column.

    Kept as a pickle snapshot keyed by the file's bytes: parsing its 70,000 JSON weights takes ~20 ms,
    unpickling them as dicts ~11 ms, as one token list and a float array per reading ~2 ms (the token index
    is built on first use); this load was most of a fresh server's first classify_severity call."""
    path = references_dir() / "severity" / "learned.json"
    return load_checked("severity-learned", [path, Path(__file__)],
                        lambda: columns(json.loads(path.read_text(encoding="utf-8"))))


def _weight_columns(weights: dict[str, dict[str, float]]) -> tuple[list[str], dict[str, array]]:
    """Models' weight dicts as one sorted token list and a float column per model (row 0 all zeros, so every
    known token's row is truthy): unpickled in milliseconds where dicts of tens of thousands take ~10 ms."""
    names = sorted(set().union(*weights.values()))
    return names, {key: array("d", [0.0, *map(w.get, names, repeat(0.0))]) for key, w in weights.items()}


def columns(table: dict[str, Any]) -> dict[str, Any]:
    """learned.json's readings (or freshly fitted ones) with their weights as columns over one token list."""
    specs = table["readings"]
    names, cols = _weight_columns({name: spec["weights"] for name, spec in specs.items()})
    readings = {name: {**{k: v for k, v in spec.items() if k != "weights"}, "column": cols[name]}
                for name, spec in specs.items()}
    return {"tokens": names, "readings": readings}


@cache
def level_models() -> dict[str, Any]:
    """The shipped per-level models (references/severity/levels.json) merged into one table, snapshotted."""
    path = references_dir() / "severity" / "levels.json"
    return load_checked("severity-levels", [path, Path(__file__)],
                        lambda: merge_levels(json.loads(path.read_text(encoding="utf-8"))))


def level_tokens(text: str, hits: list[Match], memo: dict[str, Any] | None = None) -> set[str]:
    """The tokens the level models read: those of ``tokens`` without negation words.

    A short report without negation words has the same tokens as the other readings', reused from ``memo``;
    the level tokens are kept there too (the lowering and the raise may both read one report)."""
    if memo and (mine := memo.get("level")) is not None:
        return mine
    known = memo.get("tokens") if memo else None
    if (known is not None and len(text) <= LEVEL_MAX_CHARS and known.isdisjoint(_negations()[0])
            and not _negations()[1].search(text)):
        got = known
    else:
        got = tokens(text, hits, skip_negations=True, limit=LEVEL_MAX_CHARS)
    if memo is not None:
        memo["level"] = got
    return got


def merge_levels(models: dict[str, Any]) -> dict[str, Any]:
    """Per-level models as one token list and four weight columns (P0..P3): one look-up per token."""
    specs = models["levels"]
    names, cols = _weight_columns({lv: specs[lv]["weights"] for lv in LEVELS})
    return {"bias": tuple(specs[lv]["bias"] for lv in LEVELS), "tokens": names, "columns": [cols[lv] for lv in LEVELS]}


def _rows(merged: dict[str, Any]) -> dict[str, int]:
    """A column table's token -> row index (rows start at 1), built on first use and kept with the table."""
    index = merged.get("index")
    if index is None:
        index = merged["index"] = dict(zip(merged["tokens"], range(1, len(merged["tokens"]) + 1), strict=True))
    return index


def _found(table: dict[str, Any], toks: set[str]) -> list[int]:
    """The rows of the tokens a column table knows."""
    return list(filter(None, map(_rows(table).get, toks)))


def _probabilities(merged: dict[str, Any], toks: set[str]) -> dict[str, float]:
    """Each level model's probability for these tokens."""
    rows, norm = _found(merged, toks), math.sqrt(len(toks) or 1)
    return {lv: 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, b + sum(map(col.__getitem__, rows)) / norm))))
            for lv, b, col in zip(LEVELS, merged["bias"], merged["columns"], strict=True)}


def _level_probabilities(merged: dict[str, Any], toks: set[str], memo: dict[str, Any] | None) -> dict[str, float]:
    """``_probabilities``, kept in ``memo`` for this report: the lowering and the raise may both read it, from the
    same table and the same tokens (identity checked), and the look-ups are most of their cost."""
    if memo is None:
        return _probabilities(merged, toks)
    kept = memo.get("probabilities")
    if kept is not None and kept[0] is merged and kept[1] is toks:
        return kept[2]
    probs = _probabilities(merged, toks)
    memo["probabilities"] = (merged, toks, probs)
    return probs


def _heaviest(column: array, index: dict[str, int], toks: set[str]) -> tuple[str, ...]:
    """The (up to three) tokens with the largest positive weight in ``column``: what a rationale names."""
    present = sorted(((column[index[t]], t) for t in toks if t in index and column[index[t]] > 0),
                     key=lambda w: (-w[0], w[1]))
    return tuple(t for _, t in present[:3])


def _reading(merged: dict[str, Any], toks: set[str], level: str, probability: float,
             weighed_by: str | None = None) -> LevelReading:
    """A level reading: the level, the probability it rests on, and the heaviest words of the model of
    ``weighed_by`` (the level's own by default)."""
    column = merged["columns"][LEVELS.index(weighed_by or level)]
    return LevelReading(level, round(probability, 3), _heaviest(column, _rows(merged), toks))


def read_level(text: str, hits: list[Match], level: str, margin: float, p0_guard: float,
               models: dict[str, Any] | None = None, memo: dict[str, Any] | None = None) -> LevelReading | None:
    """The level the models read, when it is lower than ``level``; None to keep the rule's level.

    The read level is the one whose model gives the highest probability, beating every more severe level's
    by ``margin``; P2/P3 also need the P0 model below ``p0_guard`` (a report that might be a P0 is not
    talked down to a minor level by word counts). The read level does not depend on ``level``, so the
    result is monotone in it: a rule giving a more severe level never ends lower.
    ``models`` (``merge_levels`` of fitted models) replaces the shipped ones (evaluation scripts); ``memo``
    carries the tokens ``read`` already cut from this report.
    """
    merged = models or level_models()
    toks = level_tokens(text, hits, memo)
    probs = _level_probabilities(merged, toks, memo)
    best = max(LEVELS, key=lambda lv: (probs[lv], -LEVELS.index(lv)))  # ties go to the more severe level
    if LEVELS.index(best) <= LEVELS.index(level):
        return None
    if any(probs[best] <= probs[lv] + margin for lv in LEVELS[:LEVELS.index(best)]):
        return None
    if best in ("P2", "P3") and probs["P0"] >= p0_guard:
        return None
    return _reading(merged, toks, best, probs[best])


def raise_level(text: str, hits: list[Match], level: str, p0_at_least: float, to: str,
                models: dict[str, Any] | None = None, memo: dict[str, Any] | None = None) -> LevelReading | None:
    """``to`` (P1) when a rule set a minor level (P2/P3) but the P0 model reads at least ``p0_at_least``.

    The other side of ``read_level``: a report whose words are those of labelled P0s is not left at a minor
    level because the lexicon found nothing it knows. It never raises to P0; the words are the P0 model's.
    """
    if LEVELS.index(level) <= LEVELS.index(to):
        return None
    merged = models or level_models()
    toks = level_tokens(text, hits, memo)
    if not has_terms(tokens(text, hits) if memo is None or "tokens" not in memo else memo["tokens"], MIN_TERMS):
        return None  # a one-line report: the P0 model was fitted on fuller texts, and its bias alone would decide
    p0 = _level_probabilities(merged, toks, memo)["P0"]
    if p0 < p0_at_least:
        return None
    return _reading(merged, toks, to, p0, weighed_by="P0")


def text_level(text: str, hits: list[Match], level: str, margin: float, p0_guard: float, may_lower: bool = True,
               may_raise: bool = True, models: dict[str, Any] | None = None,
               memo: dict[str, Any] | None = None) -> LevelReading | None:
    """The level the models read, when it differs from ``level`` and leads by ``margin`` every level on the side of
    ``level``; None to keep ``level``.

    Lowering needs the read level ahead of every more severe level, raising ahead of every less severe one, and
    P2/P3 need the P0 model below ``p0_guard`` when they lower; ``may_lower`` / ``may_raise`` False keep it from
    lowering / raising at all.
    Neither condition depends on ``level``, so the answer is monotone in it: a more severe rule level never ends
    lower. Reports under ``MIN_TERMS`` words are left to the lexicon, as in ``raise_level``.
    """
    if not (may_lower or may_raise) or not has_terms(
            tokens(text, hits) if memo is None or "tokens" not in memo else memo["tokens"], MIN_TERMS):
        return None  # checked first: a short report never loads the models (most of a fresh process's first call)
    merged = models or level_models()
    toks = level_tokens(text, hits, memo)
    probs = _level_probabilities(merged, toks, memo)
    best = max(LEVELS, key=lambda lv: (probs[lv], -LEVELS.index(lv)))  # ties go to the more severe level
    at, read = LEVELS.index(level), LEVELS.index(best)
    if at == read:
        return None
    side = LEVELS[:read] if at < read else LEVELS[read + 1:]
    if any(probs[best] <= probs[lv] + margin for lv in side):
        return None
    if at < read and (not may_lower or (best in ("P2", "P3") and probs["P0"] >= p0_guard)):
        return None
    if at > read and not may_raise:
        return None
    return _reading(merged, toks, best, probs[best])


def doubt_level(text: str, hits: list[Match], level: str, below: float, at_least: float, p0_guard: float,
                models: dict[str, Any] | None = None, memo: dict[str, Any] | None = None) -> LevelReading | None:
    """The most severe level whose model reads at least ``at_least``, when the model of the rule's ``level``
    reads below ``below``; None to keep the rule's level.

    Unlike ``read_level`` it may raise as well as lower: it answers "the words are not those of reports at
    this level" for rules that rest on the engine's own reading of severity words. A P0/P1 goes to P2/P3 only
    while the P0 model stays under ``p0_guard``, as in ``read_level``.
    """
    merged = models or level_models()
    toks = level_tokens(text, hits, memo)
    probs = _level_probabilities(merged, toks, memo)
    if probs[level] >= below:
        return None
    got = next((lv for lv in LEVELS if probs[lv] >= at_least), level)
    if got == level or (got in ("P2", "P3") and level in ("P0", "P1") and probs["P0"] >= p0_guard):
        return None
    return _reading(merged, toks, got, probs[got])


def score(spec: dict[str, Any], toks: set[str], index: dict[str, int],
          rows: list[int]) -> tuple[float, tuple[str, ...]]:
    """Probability of one reading for these tokens (``rows``: their rows in ``index``), and the (up to three)
    tokens that pushed it up most when it fires."""
    total = sum(map(spec["column"].__getitem__, rows))
    p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, spec["bias"] + total / math.sqrt(len(toks) or 1)))))
    if p <= spec["threshold"]:
        return p, ()
    return p, _heaviest(spec["column"], index, toks)


def read(text: str, hits: list[Match], feats: dict[str, Any], models: dict[str, Any] | None = None,
         memo: dict[str, Any] | None = None) -> list[Reading]:
    """Apply the readings that can fill a gap in ``feats`` (text features, before facts); return those that fired.

    Security is read first; a report read as a security matter is not then read as a mere request.
    ``models`` (``columns`` of fitted models) replaces the shipped ones (cross-validation in the training script).
    """
    if not text or (feats["security"] is not None and feats["impact"] not in (None, "severe", "degraded")):
        return []
    toks = tokens(text, hits)
    if memo is not None:
        memo["tokens"] = toks  # the level reading may reuse them (see level_tokens)
    if not has_terms(toks, MIN_TERMS):  # a one-line report: the models were fitted on fuller texts
        return []
    table = models or model()  # loaded only when a report is long enough to be read
    readings, index = table["readings"], _rows(table)
    fired: list[Reading] = []
    rows: list[int] | None = None  # looked up for the first reading that applies: one report in eight has none
    if feats["security"] is None and feats["data_loss"] is None and feats["impact"] not in ("none", "planned"):
        rows = _found(table, toks)
        p, words = score(readings["security"], toks, index, rows)
        if p > readings["security"]["threshold"]:
            feats["security"] = "suspected"
            fired.append(Reading("security", round(p, 3), words))
    # A core function the text names as failing is read away as a request only on stronger evidence
    # (``core_threshold``): under-triaging a failing login costs more than over-triaging a feature request.
    if feats["impact"] in (None, "severe", "degraded") and feats["security"] is None and feats["data_loss"] is None:
        spec = readings["request"]
        rows = _found(table, toks) if rows is None else rows
        p, words = score(spec, toks, index, rows)
        if p > (spec["core_threshold"] if feats["core"] is True else spec["threshold"]):
            feats["impact"] = "question"
            fired.append(Reading("request", round(p, 3), words))
    if feats["scope"] is None and feats["impact"] in ("outage", "severe", "degraded"):
        rows = _found(table, toks) if rows is None else rows
        p, words = score(readings["single"], toks, index, rows)
        if p > readings["single"]["threshold"]:
            feats["scope"] = "few"  # one person's own setup: the breadth the text never states
            fired.append(Reading("single", round(p, 3), words))
    return fired
