"""Synthetic defects of a good answer, cut along the sections the grader reads as contract items.

Each defect is made on the grader's own reading of the answer (``grader.read_items``: the same heading parser
and item matcher that grade it), so it is the defect its name says:

- ``dropped-section``: one required item's only section is removed, heading and whole body;
- ``filler-body``: one required item's whole body is replaced by a filler sentence in the answer's language;
- ``swapped-bodies``: the whole bodies of two required items' sections are exchanged under their headings;
- ``deadline-moved``: the first-response deadline moved by an hour (not section-based).

A section is usable when its item is required and has no other section, it is not a table row, and its heading
line splits cleanly into label and content. Every perturbed answer is read again: the changed items must hold
exactly the intended bodies and every other item exactly its own. When no section is usable for a kind, or the
re-reading differs, the kind is skipped for that answer, with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from escalation_kit.evals.grader import item_text, read_items, span_end
from escalation_kit.evals.markdown import TABLE_LEVEL, normalize
from escalation_kit.skillpack.contracts import Contract

FILLER = {"en": "To be confirmed once the investigation completes.",
          "ru": "Будет уточнено после завершения расследования.",
          "zh": "待定，调查完成后补充。"}
KINDS = ("dropped-section", "filler-body", "swapped-bodies", "deadline-moved")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Perturbed:
    """The defective copies made (kind -> answer) and the kinds skipped (kind -> why)."""

    made: dict[str, str]
    skipped: dict[str, str]


@dataclass(frozen=True)
class _Item:
    """One required item's only section: where its heading and body lie in the answer's lines."""

    item: str
    head: int  # the heading line
    body: int  # the first line after the heading (and its underline)
    end: int  # one past the span's last non-blank line (nested sub-sections included)
    stop: int  # where the next section starts
    prefix: str  # the label when the body starts on the heading's line ("**Severity:** "), else ""
    text: str  # the body the grader judges


def _words(text: str) -> str:
    """A body's words in order: what must survive a move (Markdown and spacing may change)."""
    return " ".join(_WORD.findall(normalize(text)))


def _reading(text: str, contract: Contract) -> dict[str, list[str]]:
    """Item id -> the words of each body the grader reads for it."""
    secs, owner = read_items(text, contract)
    out: dict[str, list[str]] = {}
    for i, item in enumerate(owner):
        if item is not None:
            out.setdefault(item, []).append(_words(item_text(secs, owner, i)))
    return out


def _usable(text: str, contract: Contract) -> list[_Item]:
    """The required items' sections that can be cut cleanly, in answer order."""
    lines = text.splitlines()
    secs, owner = read_items(text, contract)
    required = {it.id for it in contract.items if it.required}
    out = []
    for i, item in enumerate(owner):
        sec = secs[i]
        if item not in required or owner.count(item) != 1 or sec.level == TABLE_LEVEL:
            continue
        head_line = lines[sec.line - 1].rstrip()
        if sec.inline and not head_line.endswith(sec.inline):
            continue  # the label and its content do not split at a known place
        j = span_end(secs, owner, i)
        stop = secs[j].line - 1 if j < len(secs) else len(lines)
        body = sec.line + sec.underline
        end = stop
        while end > body and not lines[end - 1].strip():
            end -= 1
        prefix = head_line[: len(head_line) - len(sec.inline)] if sec.inline else ""
        body_text = item_text(secs, owner, i)
        if body_text:
            out.append(_Item(item, sec.line - 1, body, end, stop, prefix, body_text))
    return out


def _body_lines(lines: list[str], it: _Item) -> list[str]:
    """The section's whole body as lines: the content on the heading's line first, leading blank lines dropped."""
    body = ([lines[it.head][len(it.prefix):].strip()] if it.prefix else []) + lines[it.body:it.end]
    while body and not body[0].strip():
        body = body[1:]
    return body


def _layouts(lines: list[str], it: _Item, body: list[str]) -> list[list[str]]:
    """Ways to put ``body`` under the item's heading: after the label on its line, or on the lines below."""
    if not it.prefix or not body:
        lead = it.body
        while lead < it.end and not lines[lead].strip():
            lead += 1  # the blank lines between heading and body stay
        return [lines[it.head:lead] + body]
    return [[it.prefix + body[0].strip()] + body[1:], [it.prefix.rstrip()] + body]


def _splice(lines: list[str], parts: list[tuple[_Item, list[str]]], trailer: str) -> str:
    """The answer with each part's item lines (heading to body end) replaced by the part's new lines."""
    out = list(lines)
    for it, new in sorted(parts, key=lambda p: -p[0].head):
        out[it.head:it.end] = new
    return "\n".join(out) + trailer


def _first_reading(lines: list[str], options: list[list[tuple[_Item, list[str]]]], trailer: str,
                   contract: Contract, want: dict[str, list[str]]) -> str | None:
    """The first spliced answer the grader reads exactly as ``want``, or None."""
    for parts in options:
        text = _splice(lines, parts, trailer)
        if _reading(text, contract) == want:
            return text
    return None


def _dropped(text: str, lines: list[str], usable: list[_Item], contract: Contract) -> str | None:
    """Remove one item's section (the third usable one, or the last), heading and body."""
    it = usable[min(2, len(usable) - 1)]
    want = {k: v for k, v in _reading(text, contract).items() if k != it.item}
    out = "\n".join(lines[:it.head] + lines[it.stop:]) + _trailer(text)
    return out if _reading(out, contract) == want else None


def _filler(text: str, lines: list[str], usable: list[_Item], contract: Contract, language: str) -> str | None:
    """Replace one item's whole body (the fourth usable one, or the last) with a filler sentence."""
    it = usable[min(3, len(usable) - 1)]
    want = _reading(text, contract) | {it.item: [_words(FILLER[language])]}
    options = [[(it, lay)] for lay in _layouts(lines, it, [FILLER[language]])]
    return _first_reading(lines, options, _trailer(text), contract, want)


def _swapped(text: str, lines: list[str], usable: list[_Item], contract: Contract) -> str | None:
    """Exchange the whole bodies of two items' sections (the second and third usable ones, or the first two)."""
    n = min(1, len(usable) - 2)
    a, b = usable[n], usable[n + 1]
    if _words(a.text) == _words(b.text):
        return None
    want = _reading(text, contract) | {a.item: [_words(b.text)], b.item: [_words(a.text)]}
    body_a, body_b = _body_lines(lines, a), _body_lines(lines, b)
    options = [[(a, la), (b, lb)] for la in _layouts(lines, a, body_b) for lb in _layouts(lines, b, body_a)]
    return _first_reading(lines, options, _trailer(text), contract, want)


def _trailer(text: str) -> str:
    """The answer's final line break, kept on the perturbed copy."""
    return "\n" if text.endswith(("\n", "\r")) else ""


def _moved_deadline(text: str, deadline: str | None) -> str | None:
    """Every occurrence of the first-response deadline an hour later."""
    if not deadline or deadline not in text:
        return None
    hh, mm = deadline.split(":")
    return text.replace(deadline, f"{(int(hh) + 1) % 24:02d}:{mm}")


def perturbations(text: str, language: str, deadline: str | None, contract: Contract) -> Perturbed:
    """Defective copies of a good answer, each a fail by construction, and the kinds that could not be made."""
    lines = text.splitlines()
    usable = _usable(text, contract)
    made: dict[str, str] = {}
    skipped: dict[str, str] = {}
    need = {"dropped-section": 1, "filler-body": 1, "swapped-bodies": 2}
    makers = {"dropped-section": lambda: _dropped(text, lines, usable, contract),
              "filler-body": lambda: _filler(text, lines, usable, contract, language),
              "swapped-bodies": lambda: _swapped(text, lines, usable, contract)}
    for kind, make in makers.items():
        if len(usable) < need[kind]:
            skipped[kind] = f"{len(usable)} usable item section(s), {need[kind]} needed"
        elif (out := make()) is None:
            skipped[kind] = "the grader does not read the result as the intended defect"
        else:
            made[kind] = out
    moved = _moved_deadline(text, deadline)
    if moved is None:
        skipped["deadline-moved"] = "no first-response deadline stated as written"
    else:
        made["deadline-moved"] = moved
    return Perturbed(made, skipped)
