"""Build one language's lexicon regex as a character trie, so each position tries only the patterns that fit.

In a case-insensitive alternation of ~250 patterns, CPython's ``re`` tries every alternative that
could start at a word, one by one. Its branch loop skips an alternative at once only when that
alternative starts with a case-sensitive literal or character class. So this module:

- expands a leading group with alternatives, ``(?:a|b)c`` -> ``ac``, ``bc`` (and ``(?:a|b)?c`` ->
  ``ac``, ``bc``, ``c``): the same attempts in the same order;
- takes each pattern's leading literal characters and merges them into a trie whose edges are
  explicit case classes (``[sSſ]``: every character ``re.IGNORECASE`` would accept), so the branch
  loop rejects mismatches in C;
- keeps the rest of each pattern under ``(?i:...)``, followed by its named group, left empty.

The named group closes a leaf instead of wrapping it because CPython's ``re`` saves every mark up to
the highest one set so far each time a repetition or alternation inside a repetition is entered:
with ~1,100 groups, a group opened before a leaf's word repetition made each of its steps copy up to
~2,000 marks (a third of an English text's scan). Closed last, it is still the match's ``lastgroup``,
and no mark is set while the leaf's own repetitions run; the engine reads only ``lastgroup`` and the
whole match's span, never a leaf group's own span.

Alternatives that could both match at one position keep their lexicon order, so the first pattern
in lexicon order still wins, exactly as in the flat alternation; ``tests`` compares both on the corpus.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

_SPECIAL = frozenset(".^$*+?{}[]()|\\")
_QUANTIFIER = frozenset("*+?{")
_BOUNDED = re.compile(r"\{(?P<low>\d+)(?:,(?P<high>\d+))?\}(?![?+])")


@dataclass(frozen=True)
class Item:
    """One pattern on its way down the trie: its lexicon order, literal characters left, and the rest."""

    order: int
    stem: str
    chars: str
    rest: str


def _structure(src: str, start: int = 0) -> Iterator[tuple[int, str, int]]:
    """(index, character, group depth before it) for each character outside escapes and character classes."""
    depth, i, in_class = 0, start, False
    while i < len(src):
        ch = src[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if src[i + 1:i + 2] == "]":  # a literal "]" right after "[" does not close the class
                i += 1
        else:
            yield i, ch, depth
            depth += (ch == "(") - (ch == ")")
        i += 1


def _closing(src: str, start: int) -> int:
    """Index of the ``)`` closing the group that opens at ``start``; -1 if unbalanced."""
    return next((i for i, ch, depth in _structure(src, start) if ch == ")" and depth == 1), -1)


def _split_top(src: str) -> list[str]:
    """``src`` split at its top-level ``|`` (not inside a group or a character class)."""
    cuts = [i for i, ch, depth in _structure(src) if ch == "|" and depth == 0]
    return [src[a + 1:b] for a, b in zip([-1, *cuts], [*cuts, len(src)], strict=True)]


def expand(src: str, budget: int = 256) -> list[str]:
    """Equivalent alternatives, in attempt order, with leading non-capturing groups distributed."""
    tops = _split_top(src)
    if len(tops) > 1:
        out = [alt for top in tops for alt in expand(top, budget)]
        return out if len(out) <= budget else [src]
    lead = _leading_optional(src) or _leading_class(src)
    if lead is not None:
        out = [x for alt in lead for x in expand(alt, budget)]
        return out if len(out) <= budget else [src]
    if not src.startswith("(?:"):
        return [src]
    end = _closing(src, 0)
    if end < 0:
        return [src]
    inner, after = src[3:end], src[end + 1:]
    optional = after.startswith("?") and not after.startswith("??")
    if optional:
        after = after[1:]
    if after[:1] in _QUANTIFIER:
        return [src]
    alts = [a + after for a in _split_top(inner)] + ([after] if optional else [])
    if len(alts) > budget:
        return [src]
    out = [x for alt in alts for x in expand(alt, budget)]
    return out if len(out) <= budget else [src]


def _leading_optional(src: str) -> list[str] | None:
    """``x?rest`` -> ``xrest``, ``rest`` for a plain leading character made optional (greedy: with it first)."""
    if len(src) > 1 and src[0] not in _SPECIAL and src[1] == "?" and src[2:3] != "?":
        return [src[0] + src[2:], src[2:]]
    return None


_CLASS = re.compile(r"\[((?:[0-9A-Za-z]-[0-9A-Za-z]|[0-9A-Za-z])+)\]")


def _peel(atom: str, src: str, at: int) -> str | None:
    """The rest of a repetition of ``atom`` once one copy is taken out, for the quantifier at ``src[at:]``
    (with whatever follows it): ``x+`` -> ``x*``, ``x{m,n}`` -> ``x{m-1,n-1}`` (m >= 1). None when the
    quantifier may match nothing (``*``, ``?``, ``{0,n}``) or is lazy or possessive."""
    if src[at:at + 1] == "+" and src[at + 1:at + 2] not in ("?", "+"):
        return f"{atom}*{src[at + 1:]}"
    bounded = _BOUNDED.match(src, at)
    if bounded and int(bounded["low"]) >= 1:
        low, high = int(bounded["low"]), bounded["high"]
        return atom + (f"{{{low - 1},{int(high) - 1}}}" if high else f"{{{low - 1}}}") + src[bounded.end():]
    return None


def _leading_class(src: str) -> list[str] | None:
    """``[0-9]{1,3}rest`` -> ``0[0-9]{0,2}rest`` ... ``9[0-9]{0,2}rest``: one alternative per character.

    Only small classes of plain ASCII letters and digits, alone or with a quantifier that needs at
    least one copy (``+``, ``{m,n}`` with m >= 1), are split; that first copy is the enumerated character.
    """
    m = _CLASS.match(src)
    if not m:
        return None
    chars: list[str] = []
    for a, dash, b in re.findall(r"(.)(-)?(.)?", m[1]):
        chars.extend(chr(c) for c in range(ord(a), ord(b) + 1)) if dash else chars.extend(a + b)
    quantified = src[m.end():m.end() + 1] in _QUANTIFIER
    after = _peel(m[0], src, m.end()) if quantified else src[m.end():]
    if after is None or not chars or len(chars) > 16:
        return None
    return [c + after for c in dict.fromkeys(chars)]


def _hoist_lookbehinds(src: str) -> tuple[list[str], str]:
    """Leading lookbehind assertions of ``src`` (without their parentheses) and the pattern after them."""
    found = []
    while src.startswith(("(?<!", "(?<=")):
        end = _closing(src, 0)
        if end < 0:
            break
        found.append(src[:end + 1])
        src = src[end + 1:]
    return found, src


def literal_prefix(src: str) -> tuple[str, str]:
    """Leading literal characters (case aside) and the pattern after them; leading lookbehinds move after them.

    ``(?<!slow )down`` becomes "down" and ``(?<!slow down)``: once "down" matched at p, looking behind
    from p + 4 for "slow down" asks exactly whether "slow " ends at p.
    """
    behinds, body = _hoist_lookbehinds(src)
    chars, rest = _plain_prefix(body)
    if not behinds:
        return chars, rest
    if not chars:
        return "", src
    moved = "".join(f"{b[:-1]}{re.escape(chars)})" for b in behinds)
    try:
        re.compile(moved)
    except re.error:
        return "", src
    return chars, moved + rest


def _plain_prefix(src: str) -> tuple[str, str]:
    """Leading characters that match only themselves (case aside), and the pattern after them."""
    chars, i = [], 0
    while i < len(src):
        ch = src[i]
        if ch == "\\":
            if i + 1 >= len(src) or src[i + 1].isalnum():
                break
            lit, step = src[i + 1], 2
        elif ch in _SPECIAL:
            break
        else:
            lit, step = ch, 1
        if src[i + step:i + step + 1] in _QUANTIFIER:
            rest = _peel(src[i:i + step], src, i + step)
            if rest is not None:  # x+ is x then x*; x{m,n} is x then x{m-1,n-1}
                chars.append(lit)
                return "".join(chars), rest
            break
        chars.append(lit)
        i += step
    return "".join(chars), src[i:]


@cache
def _folds(wide: bool) -> dict[int, frozenset[int]]:
    """For each lower-case code point, every code point ``re`` lower-cases to it (its simple case map).

    The Basic Multilingual Plane is enough for a BMP target: no supplementary character has a
    lower-case form there (``tests`` check this on the running interpreter). ``wide`` scans them all.
    """
    import _sre

    table: dict[int, set[int]] = {}
    for cp in range(0x110000 if wide else 0x10000):
        table.setdefault(_sre.unicode_tolower(cp), set()).add(cp)
    return {lo: frozenset(cps) for lo, cps in table.items()}


def key(ch: str) -> int:
    """One code point per set of characters that ``re.IGNORECASE`` treats as equal to ``ch``."""
    import _sre
    from re._casefix import _EXTRA_CASES

    lo = _sre.unicode_tolower(ord(ch))
    return min((lo, *_EXTRA_CASES.get(lo, ())))


@cache
def members(k: int) -> tuple[int, ...]:
    """Every code point that matches ``chr(k)`` under ``re.IGNORECASE``, sorted."""
    from re._casefix import _EXTRA_CASES

    lows = {k, *_EXTRA_CASES.get(k, ())}
    folds = _folds(max(lows) >= 0x10000)
    return tuple(sorted({cp for lo in lows for cp in folds.get(lo, {lo})}))


def char_class(k: int) -> str:
    """A case-sensitive regex for every character that matches ``chr(k)`` under ``re.IGNORECASE``."""
    cps = members(k)
    if len(cps) == 1:
        return re.escape(chr(cps[0]))
    return "[" + "".join(re.escape(chr(cp)) for cp in cps) + "]"


def _runs(items: list[Item]) -> Iterator[tuple[int | None, list[Item]]]:
    """Items grouped by next character; items with no literal left split the groups, keeping order."""
    pending: dict[int, list[Item]] = {}
    for item in items:
        if not item.chars:
            yield from pending.items()
            pending = {}
            yield None, [item]
        else:
            pending.setdefault(key(item.chars[0]), []).append(item)
    yield from pending.items()


def emit(items: list[Item], names: dict[str, str]) -> str:
    """The alternation for ``items``: trie edges first-character-dispatched, each leaf closed by its empty
    named group (see the module docstring: no mark is set while the leaf's repetitions run)."""
    return "|".join(alt for _, alt in _alternatives(items, names))


def _alternatives(items: list[Item], names: dict[str, str]) -> list[tuple[int | None, str]]:
    """``emit``'s alternatives in order, each with the character key its edge starts with (None: a leaf)."""
    alts: list[tuple[int | None, str]] = []
    for k, run in _runs(items):
        if k is None:
            (item,) = run
            name = f"{item.stem}_t{len(names)}"
            names[name] = item.stem
            body = f"(?i:{item.rest})" if item.rest else ""
            alts.append((None, f"{body}(?P<{name}>)"))
            continue
        below = emit([Item(i.order, i.stem, i.chars[1:], i.rest) for i in run], names)
        alts.append((k, char_class(k) + (f"(?:{below})" if "|" in below else below)))
    return alts


def _items(entries: list[tuple[str, str]]) -> list[Item]:
    """Each pattern's alternatives (``expand``) split into leading literal and rest, in lexicon order."""
    items = []
    for order, (stem, pat) in enumerate(entries):
        for alt in expand(pat):
            chars, rest = literal_prefix(alt)
            items.append(Item(order, stem, chars, rest))
    return items


Chunk = tuple[str, str, list[tuple[str | None, str]] | None]


def chunks(entries: list[tuple[str, str]]) -> list[Chunk] | None:
    """``build``'s alternation cut at its first trie edges: (the characters an edge starts with, the edge, and
    its second-level alternatives, each with the characters it starts with, None for a leaf).

    Every alternative of ``build``'s regex is one edge, which starts with its character class; the classes do
    not overlap, so at any position only the edge of the character there can match, and wrapped as ``build``
    wraps the whole it matches exactly as inside it, with the same group names. Below the first character the
    same holds for the edge's own alternatives, except that a leaf (no literal left) may match whatever follows:
    after the second character only that character's alternatives and the leaves, in their order, can match.
    The second level is None for an edge that is one alternative. None when some pattern has no leading
    literal (no first edge).
    """
    items = _items(entries)
    if not all(item.chars for item in items):
        return None
    names: dict[str, str] = {}
    out: list[Chunk] = []
    for k, run in _runs(items):
        alts = _alternatives([Item(i.order, i.stem, i.chars[1:], i.rest) for i in run], names)
        below = "|".join(alt for _, alt in alts)
        edge = char_class(k or 0) + (f"(?:{below})" if "|" in below else below)
        subs = [(None if k2 is None else "".join(chr(cp) for cp in members(k2)), alt) for k2, alt in alts]
        out.append(("".join(chr(cp) for cp in members(k or 0)), edge, subs if len(alts) > 1 else None))
    return out


def build(entries: list[tuple[str, str]], wrap: str) -> tuple[str, dict[str, str]]:
    """One case-sensitive regex for ``entries`` (group stem, pattern) in lexicon order, and group -> stem."""
    items = _items(entries)
    names: dict[str, str] = {}
    body = emit(items, names)
    if all(item.chars for item in items):  # a position no pattern can start at fails on one class test
        starts = sorted({m for item in items for m in members(key(item.chars[0]))})
        body = "(?=[" + "".join(re.escape(chr(cp)) for cp in starts) + f"])(?:{body})"
    return wrap.format(body), names
