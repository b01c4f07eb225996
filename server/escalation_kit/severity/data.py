"""Load the severity lexicon, cues, rules, wording and questions once, compiled for fast matching.

Everything here is data read from ``references/severity/``; nothing is read at import time
and every loader is cached, so a call to ``classify_severity`` does no I/O after the first.
"""

from __future__ import annotations

import re
import re._constants as _rc
import re._parser as _rp
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from escalation_kit import regexcache
from escalation_kit.errors import DataError
from escalation_kit.paths import references_dir
from escalation_kit.vocab import LANGS

LANGUAGES = LANGS
# Word-boundary guards sit outside the alternation, so a position inside a word fails at once
# instead of trying every signal's patterns (the main cost of a call).
# English words are bounded by Latin letters and digits only, so "Demo" or "API" glued to Chinese
# characters ("预览Demo中") still match; \b would see no boundary there (CJK letters are \w).
_WRAP = {"en": r"(?<![A-Za-z0-9_])(?:{})(?![A-Za-z0-9_])", "ru": r"(?<!\w)(?:{})", "zh": "(?:{})"}


# The engine's records are NamedTuples, not frozen dataclasses: a class costs ~0.1 ms to create instead of
# ~0.6 ms (a dataclass compiles its generated methods from source), and a first call creates eight of them.
class SignalDef(NamedTuple):
    """One lexicon entry: what it sets plainly and under a negation, hedge or suspicion cue."""

    id: str
    kind: str
    level: str
    sets: dict[str, Any]
    if_negated: dict[str, Any] | None
    if_hedged: dict[str, Any] | None
    if_suspected: dict[str, Any] | None
    cues: bool = True


class CueSet(NamedTuple):
    """Negation, hedge and suspicion cues of one language, each anchored to the end of a prefix."""

    negation: re.Pattern[str]
    hedge: re.Pattern[str]
    suspect: re.Pattern[str]
    window_chars: int
    asks: re.Pattern[str] | None = None  # a how-to question: security and data signals set nothing


class Compiled(Mapping[str, Any]):
    """Language -> compiled pattern(s), built on first use: an English report never pays for the others."""

    def __init__(self, specs: dict[str, Any], build: Callable[[Any], Any]) -> None:
        self._specs, self._build, self._done = specs, build, {}

    def __getitem__(self, lang: str) -> Any:
        if lang not in self._done:
            self._done[lang] = self._build(self._specs[lang])
        return self._done[lang]

    def loaded(self, lang: str) -> bool:
        """Whether ``lang``'s value has been built."""
        return lang in self._done

    def __iter__(self) -> Iterator[str]:
        return iter(self._specs)

    def __len__(self) -> int:
        return len(self._specs)


# A first call scans by chunks only when its text is at most this long: scanning tries the chunk of each
# word start in Python, which for long texts costs more than building the whole regex (~6 ms for English).
CHUNK_SCAN_CHARS = 2_000


class Chunked:
    """One language's lexicon regex as its first-edge chunks, each built only when a text needs it.

    A fresh server's first call would build the whole English regex (~6 ms: ~250,000 code words) although a
    short text starts words with a few letters. At each word start only the chunk of its first character can
    match, and it matches as the whole regex would there, so ``finditer`` gives the whole regex's matches.
    """

    def __init__(self, lang: str, cut: list[list[Any]], pattern: str) -> None:
        """``cut`` from the plan (``_chunks``): each edge's first characters, where it lies in ``pattern`` and,
        for an edge of several alternatives, its head's length and where each alternative lies."""
        self._index = {ch: n for n, edge in enumerate(cut) for ch in edge[0]}
        behind = _WRAP[lang].partition("(?:{})")[0]  # the word guard: a chunk is looked up only where it can match
        self._starts = regexcache.compile(behind + "[" + "".join(re.escape(ch) for ch in self._index) + "]")
        self._wrap, self._pattern, self._cut = _WRAP[lang], pattern, cut
        self._built: dict[Any, re.Pattern[str] | None] = {}
        self._subs: dict[int, list[tuple[str | None, int, int]]] = {}  # each edge's alternatives, read on first need
        self.used = False

    def _part(self, index: int, second: str) -> re.Pattern[str] | None:
        """The regex of edge ``index`` for a word whose second character is ``second`` ("" at the text's end),
        built on first need from its own regexcache entry (a few hundred code words; None: nothing can match).

        Of an edge of several alternatives it holds only those that can match there: the alternatives starting
        with ``second`` and the leaves, in the edge's order (the others fail on their first character).
        """
        edge = self._cut[index]
        if len(edge) < 5:  # one alternative: the whole edge
            key: Any = index
            if key not in self._built:
                self._built[key] = regexcache.compile(self._wrap.format(self._pattern[edge[1]:edge[2]]))
            return self._built[key]
        subs = self._subs.get(index)
        if subs is None:
            subs = self._subs[index] = _alternatives(edge[4])
        alts = tuple(n for n, (chars, _, _) in enumerate(subs) if chars is None or (second and second in chars))
        key = (index, alts)
        if key not in self._built:
            head = self._pattern[edge[1]:edge[1] + edge[3]]
            body = "|".join(self._pattern[subs[n][1]:subs[n][2]] for n in alts)
            self._built[key] = regexcache.compile(self._wrap.format(f"{head}(?:{body})")) if alts else None
        return self._built[key]

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """What the whole regex's ``finditer`` yields: at each possible start, the first match after the last."""
        after = 0
        for start in self._starts.finditer(text):
            at = start.start()
            if at < after:
                continue
            part = self._part(self._index[text[at]], text[at + 1:at + 2])
            found = part.match(text, at) if part is not None else None
            if found is not None:
                after = found.end()
                yield found


def _first_scan(chunked: Chunked | None, text: str) -> bool:
    """Whether this scan goes by chunks: the language's first, of a short text (then the chunks count as used)."""
    if chunked is None or chunked.used or len(text) > CHUNK_SCAN_CHARS:
        return False
    chunked.used = True
    return True


def scan(lex: Lexicon, lang: str, text: str) -> Iterator[re.Match[str]]:
    """``lex.regex[lang].finditer(text)``; by chunks when the regex is not built yet and ``_first_scan`` allows."""
    if not lex.regex.loaded(lang) and _first_scan(lex.chunks[lang], text):
        return lex.chunks[lang].finditer(text)  # type: ignore[union-attr]
    return lex.regex[lang].finditer(text)


def pair_scans(lex: Lexicon, lang: str, text: str) -> list[Iterator[re.Match[str]]]:
    """``finditer(text)`` of each of ``lex.pairs[lang]``, by chunks as ``scan`` decides."""
    cuts = lex.pair_chunks[lang]
    fresh = cuts and not lex.pairs.loaded(lang) and all(cut is not None and not cut.used for cut in cuts)
    if fresh and all(_first_scan(cut, text) for cut in cuts):
        return [cut.finditer(text) for cut in cuts]  # type: ignore[union-attr]
    return [regex.finditer(text) for regex in lex.pairs[lang]]


def preload(languages: tuple[str, ...] = ("en",)) -> None:
    """Build the lexicon and pair regexes of ``languages`` whole (a server's warm-up): no later call scans by chunks."""
    lex = lexicon()
    for lang in languages:
        lex.regex[lang], lex.pairs[lang]  # noqa: B018 - built on access


class Lexicon(NamedTuple):
    """Per language: one combined regex whose group names index ``groups``."""

    regex: Mapping[str, re.Pattern[str]]
    groups: dict[str, SignalDef]
    cues: dict[str, CueSet]
    boundary: re.Pattern[str]
    signals: dict[str, SignalDef]
    # Each `pairs` entry is its own small regex: inside the one big alternation its gaps slowed every
    # position, on its own the first-character dispatch rejects most positions at once.
    pairs: Mapping[str, list[re.Pattern[str]]]
    # The same regexes cut at their first trie edges (``Chunked``), or None: what a first call scans with.
    chunks: Mapping[str, Chunked | None]
    pair_chunks: Mapping[str, list[Chunked | None]]
    alternative: re.Pattern[str] | None = None  # cues.yaml: text joining two signals into one alternative
    asks_voids: frozenset[str] = frozenset()  # cues.yaml: kinds a how-to question's object voids


def _first(seq: Any) -> tuple[set[str] | None, bool]:
    """Characters a parsed regex can start with (None: too many to list) and whether it can match empty."""
    out: set[str] = set()
    for op, av in seq:
        if op in (_rc.AT, _rc.ASSERT, _rc.ASSERT_NOT):
            continue
        if op is _rc.LITERAL:
            out.add(chr(av).lower())
            return out, False
        if op is _rc.IN:
            chars = set()
            for iop, iav in av:
                if iop is _rc.LITERAL:
                    chars.add(chr(iav).lower())
                elif iop is _rc.RANGE and iav[1] - iav[0] < 64:
                    chars.update(chr(x).lower() for x in range(iav[0], iav[1] + 1))
                else:
                    return None, False
            return out | chars, False
        if op is _rc.SUBPATTERN:
            sub, nullable = _first(av[3])
        elif op is _rc.BRANCH:
            sub, nullable = set(), False
            for branch in av[1]:
                b, n = _first(branch)
                if b is None:
                    return None, False
                sub |= b
                nullable = nullable or n
        elif op in (_rc.MAX_REPEAT, _rc.MIN_REPEAT):
            sub, nullable = _first(av[2])
            nullable = nullable or av[0] == 0
        else:
            return None, False
        if sub is None:
            return None, False
        out |= sub
        if not nullable:
            return out, False
    return out, True


def first_chars(pattern: str) -> set[str] | None:
    """Lower-cased first characters of ``pattern``, or None when they cannot be listed."""
    try:
        chars, nullable = _first(_rp.parse(pattern))
    except Exception:  # an internal-parser change must cost speed, never correctness
        return None
    return None if nullable or not chars else chars


def _dispatch(lang: str, entries: list[tuple[str, str]]) -> tuple[str, dict[str, str]]:
    """One regex for a language, its alternatives bucketed by first character.

    ``entries`` are (group stem, pattern) in lexicon order. Each bucket starts with a one-character
    lookahead, so at a given position only the patterns that can start there are tried; patterns
    whose first character cannot be listed go into every bucket. Lexicon order is kept inside
    each bucket, so the earlier signal still wins at the same position.
    """
    buckets: dict[str, list[tuple[int, str, str]]] = {}
    anywhere: list[tuple[int, str, str]] = []
    for order, (stem, pat) in enumerate(entries):
        chars = first_chars(pat)
        if chars is None:
            anywhere.append((order, stem, pat))
        else:
            for ch in chars:
                buckets.setdefault(ch, []).append((order, stem, pat))
    names: dict[str, str] = {}
    parts = []
    for b, (ch, members) in enumerate(sorted(buckets.items())):
        alts = []
        for _order, stem, pat in sorted(members + anywhere):
            name = f"{stem}_{b}_{len(names)}"
            names[name] = stem
            alts.append(f"(?P<{name}>{pat})")
        parts.append(f"(?={re.escape(ch)})(?:" + "|".join(alts) + ")")
    if anywhere:
        alts = []
        for _order, stem, pat in anywhere:
            name = f"{stem}_x_{len(names)}"
            names[name] = stem
            alts.append(f"(?P<{name}>{pat})")
        parts.append("(?:" + "|".join(alts) + ")")
    body = "|".join(parts)
    if not anywhere:  # a position whose character starts no pattern fails on one class test
        starts = "".join(sorted(re.escape(ch) for ch in buckets))
        body = f"(?=[{starts}])(?:{body})"
    return _WRAP[lang].format(body), names


# What may stand between the two halves of a `pairs` entry: up to `gap` words (en/ru) or characters
# (zh) inside one sentence.
_GAP = {  # word and separator classes never share a character, so the repetition cannot backtrack wildly
    "en": r"[\s,:]+(?:[\w'’-]+[\s,:]+){{0,{gap}}}",
    "ru": r"[\s,:«»\"]+(?:[\w-]+[\s,:«»\"]+){{0,{gap}}}",
    "zh": r"[^。！？!?\n]{{0,{gap}}}",
}


def pair_patterns(lang: str, spec: dict[str, Any]) -> list[str]:
    """Expand a `pairs` entry (two word classes a and b, a gap) into patterns for both orders."""
    a, b = "|".join(spec["a"]), "|".join(spec["b"])
    gap = _GAP[lang].format(gap=int(spec.get("gap", 3)))
    out = [f"(?:{a}){gap}(?:{b})"]
    if spec.get("order", "either") == "either":
        out.append(f"(?:{b}){gap}(?:{a})")
    return out


def _read(name: str) -> dict[str, Any]:
    """Read one YAML file from references/severity/."""
    from escalation_kit.datafiles import load_yaml  # JSON snapshot of the YAML: start-up reads no data
    with (references_dir() / "severity" / name).open(encoding="utf-8") as fh:
        return load_yaml(fh)


def _anchored(cue: str, lang: str, window: int) -> tuple[str, int]:
    """Cue then at most ``window`` words (en/ru) or characters (zh) up to the end of the text: (pattern, flags)."""
    tail = rf"[^\s]{{0,{window}}}\s*$" if lang == "zh" else rf"(?:\s+[\w'-]+){{0,{window}}}\s*$"
    return f"(?:{cue}){tail}", re.IGNORECASE


def _plan(raw: dict[str, Any]) -> dict[str, Any]:
    """The combined pattern of each language and each pair, with group name -> (signal index, stem)."""
    plan: dict[str, Any] = {"regex": {}, "pairs": {lang: [] for lang in LANGUAGES}}
    entries: dict[str, list[tuple[str, str]]] = {lang: [] for lang in LANGUAGES}
    pair_entries: dict[str, list[tuple[str, str]]] = {lang: [] for lang in LANGUAGES}
    owner: dict[str, int] = {}
    for i, entry in enumerate(raw["signals"]):
        for lang in LANGUAGES:
            for k, spec in enumerate((entry.get("pairs") or {}).get(lang) or []):
                stem = f"{lang}{i}p{k}"
                pair_entries[lang].extend((stem, pat) for pat in pair_patterns(lang, spec))
                owner[stem] = i
            for pat in entry.get("patterns", {}).get(lang) or []:
                entries[lang].append((f"{lang}{i}", pat))
                owner[f"{lang}{i}"] = i
    plan["signals"] = [[entry["id"], entry["kind"], entry["level"], entry.get("sets") or {}, entry.get("if_negated"),
                        entry.get("if_hedged"), entry.get("if_suspected"), entry.get("cues", True)]
                       for entry in raw["signals"]]
    plan["chunks"] = {"regex": {}, "pairs": {lang: [] for lang in LANGUAGES}}
    for lang, items in pair_entries.items():
        if items:
            pattern, names, flags = _combined(lang, items)
            plan["pairs"][lang].append([pattern, {name: owner[stem] for name, stem in names.items()}, flags])
            plan["chunks"]["pairs"][lang].append(_chunks(lang, items, pattern, flags))
    for lang, items in entries.items():
        pattern, names, flags = _combined(lang, items)
        plan["regex"][lang] = [pattern, {name: owner[stem] for name, stem in names.items()}, flags]
        plan["chunks"]["regex"][lang] = _chunks(lang, items, pattern, flags)
    return plan


def _chunks(lang: str, items: list[tuple[str, str]], pattern: str, flags: int) -> list[list[Any]] | None:
    """Where ``pattern``'s first trie edges (``_trie.chunks``) lie in it: [first characters, start, end] each,
    checked: found in order, starting with no shared character, holding exactly the pattern's groups.
    None for the dispatch form or a failed check (the plan keeps offsets, not a second copy of the patterns).
    """
    from escalation_kit.severity import _trie

    try:  # parsed, not compiled: a compile here (a first call's cold plan) would join the call's ``served`` set
        cut = _trie.chunks(items) if flags == 0 else None
        groups = [name for _, edge, _ in cut or () for name in _rp.parse(_WRAP[lang].format(edge)).state.groupdict]
    except (AttributeError, re.error):  # as in ``_combined``: a misread construct costs speed, never answers
        return None
    if not cut:
        return None
    out, at = [], 0
    for chars, edge, subs in cut:
        at = pattern.find(edge, at)
        if at < 0:
            return None
        out.append([chars, at, at + len(edge), *_second_level(pattern, at, edge, subs)])
        at += len(edge)
    firsts = [ch for chars, _, _ in cut for ch in chars]
    if len(set(firsts)) != len(firsts) or sorted(groups) != sorted(_rp.parse(pattern).state.groupdict):
        return None
    return out


def _second_level(pattern: str, at: int, edge: str, subs: list[tuple[str | None, str]] | None) -> list[Any]:
    """Where an edge's second-level alternatives lie in ``pattern`` (the edge at ``at``): [head length, one
    string "start,end,first characters" per alternative joined by NUL, no characters for a leaf]; [] when the
    edge is one alternative or the alternatives do not spell it exactly (its class, then ``(?:`` the
    alternatives joined by ``|`` ``)``). One string, not a list per alternative: the plan is read on every
    fresh server's first call, and ~4,000 small objects more cost ~0.5 ms of ``marshal``."""
    if not subs or any(chars is not None and (not chars or "\0" in chars) for chars, _ in subs):
        return []
    body = "(?:" + "|".join(alt for _, alt in subs) + ")"
    if not edge.endswith(body) or pattern[at:at + len(edge)] != edge:
        return []
    head = len(edge) - len(body)
    out, inner = [], at + head + 3
    for chars, alt in subs:
        out.append(f"{inner},{inner + len(alt)},{chars or ''}")
        inner += len(alt) + 1
    return [head, "\0".join(out)]


def _alternatives(encoded: str) -> list[tuple[str | None, int, int]]:
    """``_second_level``'s string as (first characters or None for a leaf, start, end) per alternative."""
    out: list[tuple[str | None, int, int]] = []
    for item in encoded.split("\0"):
        start, end, chars = item.split(",", 2)
        out.append((chars or None, int(start), int(end)))
    return out


def _combined(lang: str, items: list[tuple[str, str]]) -> tuple[str, dict[str, str], int]:
    """The language's one regex: a case-sensitive trie on CPython, else the case-insensitive dispatch."""
    try:
        from escalation_kit.severity import _trie

        pattern, names = _trie.build(items, _WRAP[lang])
        re.compile(pattern)  # a construct the trie builder misread must not ship
        return pattern, names, 0
    except (ImportError, AttributeError, re.error):
        pattern, names = _dispatch(lang, items)
        return pattern, names, int(re.IGNORECASE)


def _cached_plan(source: Path) -> dict[str, Any]:
    """``_plan`` of the lexicon file ``source`` through the user cache: building it parses ~600 patterns (~90 ms),
    reading it ~1 ms; the file itself is only hashed then (its signal definitions are in the plan).

    The key is the bytes of ``source`` plus the source of this module and of ``_trie``, so an edit to any of
    them rebuilds the plan. Hashing the file, not its parsed content dumped as JSON, and not reading that
    content at all, saves ~1.5 ms of a fresh server's first call.
    """
    from escalation_kit.datafiles import load_derived, load_yaml

    here = Path(__file__)
    return load_derived("severity-plan", [source, here, here.with_name("_trie.py")], lambda: _plan(load_yaml(source)))


def _chunked(spec: tuple[str, dict[str, Any], bool]) -> Any:
    """A language's ``Chunked`` lexicon regex (None without chunks), or with ``pairs`` one per pair regex."""
    lang, plan, pairs = spec
    if pairs:
        return [cut and Chunked(lang, cut, item[0])
                for cut, item in zip(plan["chunks"]["pairs"][lang], plan["pairs"][lang], strict=True)]
    cut = plan["chunks"]["regex"][lang]
    return cut and Chunked(lang, cut, plan["regex"][lang][0])


@cache
def lexicon() -> Lexicon:
    """Compile every signal pattern of each language into one alternation with named groups."""
    plan = _cached_plan(references_dir() / "severity" / "lexicon.yaml")
    cue_raw = _read("cues.yaml")
    signals = [SignalDef(*fields) for fields in plan["signals"]]
    groups: dict[str, SignalDef] = {}
    for _pattern, names, _flags in plan["regex"].values():
        groups.update({name: signals[i] for name, i in names.items()})
    for items in plan["pairs"].values():
        groups.update({name: signals[i] for _pattern, names, _flags in items for name, i in names.items()})
    regex = Compiled(plan["regex"], lambda spec: regexcache.compile(spec[0], spec[2]))
    pairs = Compiled(plan["pairs"], lambda items: [regexcache.compile(p, flags) for p, _names, flags in items])
    chunks = Compiled({lang: (lang, plan, False) for lang in LANGUAGES}, _chunked)
    pair_chunks = Compiled({lang: (lang, plan, True) for lang in LANGUAGES}, _chunked)
    cues, boundary, alternative = _cue_regexes(cue_raw)
    return Lexicon(regex=regex, groups=groups, cues=cues, boundary=boundary,
                   signals={sig.id: sig for sig in signals}, pairs=pairs, chunks=chunks, pair_chunks=pair_chunks,
                   alternative=alternative, asks_voids=frozenset(cue_raw["asks_voids"]))


def _cue_regexes(cue_raw: dict[str, Any]) -> tuple[dict[str, CueSet], re.Pattern[str], re.Pattern[str]]:
    """Each language's cues, the clause boundary and the alternative joiner: one regexcache entry (one read)."""
    languages = cue_raw["languages"]
    specs = [(cue_raw["clause_boundary"], re.IGNORECASE), (cue_raw["alternative"], re.IGNORECASE)]
    for lang, c in languages.items():
        window = c.get("window_words", c.get("window_chars", 3))
        specs += [_anchored(c["negation"], lang, window), _anchored(c["hedge"], lang, window + 2),
                  _anchored(c["suspect"], lang, window + 2)]
        if c.get("asks"):
            specs.append(_anchored(c["asks"], lang, 0))
    compiled = iter(regexcache.compile_many(specs))
    boundary, alternative = next(compiled), next(compiled)
    cues = {}
    for lang, c in languages.items():
        cues[lang] = CueSet(
            negation=next(compiled), hedge=next(compiled), suspect=next(compiled),
            window_chars=60 if lang != "zh" else 12,
            # a how-to question voids only the signal right after it ("how to delete old backups"), not a loss
            # it names further on ("how do I restore data that was deleted from the production database?")
            asks=next(compiled) if c.get("asks") else None,
        )
    return cues, boundary, alternative


@cache
def traditional_to_simplified() -> dict[int, str]:
    """str.translate table: traditional Chinese characters to simplified ones, one for one (traditional.txt)."""
    lines = (references_dir() / "severity" / "traditional.txt").read_text(encoding="utf-8").splitlines()
    pairs = [line for line in lines if line and line[0] != "#"]  # 4,000 lines: one pass, no split per line
    bad = next((line for line in pairs if len(line) != 3 or line[1] != " "), None)
    if bad is not None:
        raise DataError(f"traditional.txt: {bad!r} is not one character for one")
    return {ord(line[0]): line[2] for line in pairs}


@cache
def traditional_chars() -> re.Pattern[str]:
    """A class of every character ``traditional_to_simplified`` maps: a text with none translates to itself.

    Nine in ten Chinese reports are written in simplified characters; one search for a traditional one (~1 us)
    spares them the translation (~14 us for a 240-character report: a dict look-up per character)."""
    keys = "".join(re.escape(chr(k)) for k in sorted(traditional_to_simplified()))
    return regexcache.compile(f"[{keys}]")


def simplified(text: str) -> str:
    """``text`` with traditional Chinese characters read as simplified (``traditional_to_simplified``), one for one."""
    return text.translate(traditional_to_simplified()) if traditional_chars().search(text) else text


@cache
def rules() -> dict[str, Any]:
    """The decision rules (stages override/base/cap/floor, merge order, probes)."""
    return _read("rules.yaml")


@cache
def rule_says() -> dict[str, dict[str, str]]:
    """Each rule's reason by rule id, then language (en, ru, zh)."""
    table = rules()
    says = {r["id"]: r["says"] for stage in ("override", "base", "cap", "floor") for r in table[stage]}
    readings = ("learned_level", "learned_raise", "learned_doubt", "learned_text")
    return {**says, **{table[k]["id"]: table[k]["says"] for k in readings}}


@cache
def wording() -> dict[str, dict[str, Any]]:
    """Fixed rationale and scope phrases per language (wording.yaml)."""
    return _read("wording.yaml")["languages"]


@cache
def questions() -> dict[str, dict[str, str]]:
    """Question catalogue: feature -> language -> question."""
    return _read("questions.yaml")["questions"]

