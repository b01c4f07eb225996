"""Normalise answer text and split a Markdown answer into headed sections.

Models write headings in many styles: ``## Severity``, an underlined line, ``**Severity**``,
``1. **Severity**``, ``**Severity:** P1 ...`` or ``一、严重程度``. All become a ``Section`` with a
level, a normalised title and the body under it, so the grader matches words, not syntax.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

# The title runs to its last non-space character in one pass (closing #s are cut in code): the lazy title of the
# first version backtracked cubically on a heading padded with thousands of spaces (143 s for 5,000).
_ATX = re.compile(r"^\s{0,3}(#{1,6})\s*+(\S(?:.*\S)?)?\s*+$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_BOLD_LINE = re.compile(r"^\s*(?:\d+[.)）]\s*)?(\*\*|__)(.+?)\1(.*)$")
# Possessive spaces and a bounded title: a line of thousands of spaces cannot make either pattern backtrack.
_NUMBERED = re.compile(r"^\s*+(?:\d+[.)、）]|[一二三四五六七八九十]+[、.．]|\(\d+\))\s*+(\S.{0,59}?)\s*+[:：]?\s*+$")
# A short note in brackets between a label and its colon: "**Evidence** (in parallel with the rollback): ..."
_PAREN_NOTE = re.compile(r"^\s*[(（][^()（）]{1,80}[)）]\s*(?=[:：—–-]|$)")
_NOTE_COMMA = re.compile(r"^\s*[(（][^()（）]{1,80}[)）]\s*[,，]\s*(?=\S)")
_BULLET_BOLD = re.compile(r"^\s*[-*+•]\s+(\*\*|__)(.+?)\1(.*)$")
_NUMBER_START = re.compile(r"\d{1,2}[.)]\s")
_SLACK_BOLD = re.compile(r"^\s*\*([^*\s][^*]{0,58}?)\*(?!\*)(.*)$")  # Slack's bold: "*Open questions:* ..."
# Chat-style decoration before a bold label: emoji ("🔴", keycaps "1️⃣"), Slack shortcodes (":arrow_up:").
_DECOR = re.compile(r"^\s*(?:(?::[a-z0-9_+\-]{2,40}:|\d\ufe0f?\u20e3|[\u2190-\u21ff\u2300-\u23ff\u2460-\u24ff"
                    r"\u25a0-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff\ufe0f\u200d])\s*)+(?=\*\*|__)")
_FENCE = re.compile(r"^\s*(```|~~~)")
# "Уведомления: лид IAM - пейджинг..." opening a paragraph: a plain label with its content inline (weak: it
# splits the answer only when the label names a contract item).
_PLAIN_LABEL = re.compile(r"^\s{0,3}([^\W\d_][^:：\n|*#]{1,80}?)\s*[:：](?:\s+(\S.*))?$")
# "2. Status page: nothing posted" and "2. Влияние — 1 клиент" (a spaced dash also ends the label)
# A colon between digits is a clock time inside the label ("2. Status page (checked 14:05): ..."), not its end.
_NUMBERED_LABEL = re.compile(r"^\s*+(?:\d+[.)、）]|[一二三四五六七八九十]+[、.．])\s*+"
                             r"((?:[^:：—–]|(?<=\d)[:：](?=\d)){2,40}?)\s*+"
                             r"(?:(?<!\d)[:：]|[:：](?!\d)|(?<=\s)[—–](?=\s))\s*+(\S.*)$")
_TRAILING_NOTE = re.compile(r"\s*[(（][^()（）]{1,80}[)）]\s*$")  # a row label's note: "Evidence (collect in parallel)"
_TABLE_ROW = re.compile(r"^\s*\|?\s*([^|]+?)\s*\|\s*(.*?)\s*\|?\s*$")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}")
_TITLE_NOISE = re.compile(r"^[\W\d_]+|[\s:：.。\-—–]+$")
# Markdown syntax to drop when counting content. The look-ahead says where a match can start (a marker,
# "-" or ":", or a line start for the list markers): it rejects other characters in one test instead of
# five. A run of marker characters is one match.
_MD_SYNTAX = re.compile(r"(?=[#*_>`|~\[\]()\-:]|^)"
                        r"(?:[#*_>`|~\[\]()]+|^\s*[-+]\s+|^\s*\d+[.)]\s+|-{3,}|:?-{2,}:?)", re.MULTILINE)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")  # runs, not single characters: a shorter list to count

STRONG_LEVEL_BOLD = 7
WEAK_LEVEL = 8
TABLE_LEVEL = 9


@lru_cache(maxsize=64)
def normalize_cached(text: str) -> str:
    """``normalize`` for texts several checks fold in turn (the whole answer); a few entries only."""
    return normalize(text)


def normalize(text: str) -> str:
    """Fold text for matching: NFKC (full-width to half-width), casefold, ё to е, − to -, traditional Chinese
    characters to simplified ones, collapse spaces."""
    if not text.isascii():
        if not unicodedata.is_normalized("NFKC", text):  # the quick check is ten times cheaper than NFKC
            text = unicodedata.normalize("NFKC", text)
        # ё to е; the minus sign (U+2212, "UTC−03:30") to the hyphen every offset and range pattern reads
        text = text.replace("ё", "е").replace("Ё", "е").replace("\u2212", "-")
        if _CJK.search(text):  # 進度與SLA追蹤 is 进度与SLA追踪: the cue lists are written in simplified characters
            table, found = _traditional()
            if found.search(text):  # one C-level scan; most Chinese answers hold no traditional character
                text = text.translate(table)
    return " ".join(text.casefold().split())


@lru_cache(maxsize=1)
def _traditional() -> tuple[dict[int, str], re.Pattern[str]]:
    """The engine's one-for-one traditional -> simplified table (references/severity/traditional.txt), and a
    character class of its traditional characters."""
    from escalation_kit.severity.data import traditional_to_simplified

    table = traditional_to_simplified()
    return table, re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(table)) + "]")


def clean_title(text: str) -> str:
    """Normalise a heading's text and drop numbering, emoji, bold markers and trailing colons."""
    text = normalize(text.replace("**", "").replace("__", ""))
    return _TITLE_NOISE.sub("", text).strip()


def substance_chars(text: str) -> int:
    """Characters of real content: Markdown syntax and spaces removed, each CJK character counted twice.

    CJK text carries about twice the information per character of en/ru prose, so a
    ``min_chars`` threshold means roughly the same amount of content in all three languages.
    """
    plain = "".join(_MD_SYNTAX.sub("", text).split())
    return len(plain) + (0 if plain.isascii() else sum(map(len, _CJK_RUN.findall(plain))))


@dataclass
class Section:
    """A heading and the lines under it until the next heading of the same or a higher level."""

    title: str
    raw_title: str
    level: int
    line: int
    strong: bool
    body_lines: list[str] = field(default_factory=list)
    inline: str = ""  # the content on the heading's own line after its label ("**Severity:** P1" -> "P1")
    underline: bool = False  # an underlined heading: its next line is the underline, not body

    @property
    def body(self) -> str:
        return "\n".join(self.body_lines).strip()


@dataclass
class Heading:
    raw: str
    level: int
    strong: bool
    inline: str = ""
    bullet: bool = False  # "- **Label:** text": a heading only where the section it sits in names no item


def _split_label(text: str) -> tuple[str, str]:
    """``Severity: P1, checkout down`` -> (``Severity``, ``P1, checkout down``): a label and its inline content."""
    for sep in (":", "："):
        head, found, rest = text.partition(sep)
        if found and rest.strip() and 0 < len(head.strip()) <= 60 and not head.rstrip().endswith(("http", "https")):
            return head.strip(), rest.strip()
    return text, ""


_HEADING_START = frozenset("#*_(一二三四五六七八九十")


def _plain_line(line: str, next_line: str | None, first: str | None = None) -> bool:
    """True for a line no heading pattern can match (most body lines): it saves six regex tries.

    A blank line is never a heading; every heading form starts, after spaces, with ``#``, ``*``, ``_``,
    ``(``, a digit or a Chinese numeral, holds a ``|`` (a table row), or is underlined by a next line
    of only ``=`` or ``-``.
    """
    if first is None:
        first = line.lstrip()[:1]
    if not first:
        return True
    if first in _HEADING_START or first.isdecimal() or "|" in line:
        return False
    if first in "-+•" and ("**" in line or "__" in line):
        return False  # "- **Status page:** not checked yet": a bullet with a bold label
    if first == "-" or next_line is None:  # a "-" line is never underlined text
        return True
    under = next_line.strip()
    return not under or (under.strip("=") != "" and under.strip("-") != "")


def _heading_of(line: str, next_line: str | None) -> tuple[Heading | None, bool]:
    """Classify one line as a heading (and whether it consumes an underline) or not."""
    first = line.lstrip()[:1]
    if first and "\uff01" <= first <= "\uff5e":  # full-width ＃ ＊ １ ... at the start: fold to ASCII
        line = unicodedata.normalize("NFKC", line)
        first = line.lstrip()[:1]
    elif first and (first == ":" or first.isdecimal() or not first.isascii()) and (m := _DECOR.match(line)):
        line = line[m.end():]  # "1️⃣ **Label** — ...", ":arrow_up: **Label**": the label is the heading
        first = "*"
    if _plain_line(line, next_line, first):
        return None, False
    m = _ATX.match(line)
    if m and (text := (m.group(2) or "").rstrip("#").rstrip()):
        title, inline = _split_label(text)
        return Heading(title, len(m.group(1)), True, inline), False
    if line.strip() and next_line is not None and _SETEXT.match(next_line) and not line.lstrip().startswith(("-", "*")):
        return Heading(line.strip(), 1 if next_line.strip().startswith("=") else 2, True), True
    m = _BOLD_LINE.match(line)
    if m and len(m.group(2)) <= 80:
        title, rest = m.group(2).strip(), _PAREN_NOTE.sub("", m.group(3).strip(), count=1)
        labelled = title.endswith((":", "：")) or rest.startswith((":", "：", "—", "–", "- "))
        # "1. **Суть и адресат.** …" and "**4. Ticket and SLA tracking.** …": a numbered label ending in a full stop
        numbered_label = title.endswith((".", "。")) and len(title) <= 40 and (
            line.lstrip()[:1].isdecimal() or _NUMBER_START.match(title) is not None)
        if not rest or labelled or numbered_label:  # numbered_label: "1. **Суть и адресат.** Периодические 500..."
            return Heading(title.rstrip(":：.。"), STRONG_LEVEL_BOLD, True, rest.lstrip(":：—–- ")), False
        # "**Влияние.** ~15 человек…": weak, a run-in label, only one that names an item; its length without a
        # bracketed note ("**Сбор доказательств (параллельно с исправлением).**")
        if title.endswith((".", "。")) and len(_TRAILING_NOTE.sub("", title.rstrip(".。"))) <= 40:
            return Heading(title.rstrip(".。"), WEAK_LEVEL, False, rest), False
        # "**Evidence checklist** (parallel - don't block the fix), window 22:50 -> now: …": a bracketed note and a
        # comma after the label; weak, a run-in label, only one that names an item
        note = _NOTE_COMMA.match(m.group(3))
        if note and len(title) <= 40:
            return Heading(title, WEAK_LEVEL, False, m.group(3)[note.end():].strip()), False
    m = _SLACK_BOLD.match(line)
    if m:  # only a label ("*Status page:* ..."): a line in single stars alone is italic text
        title, rest = m.group(1).strip(), m.group(2).strip()
        if title.endswith((":", "：")) or rest.startswith((":", "：")):
            return Heading(title.rstrip(":："), STRONG_LEVEL_BOLD, True, rest.lstrip(":： ")), False
    m = _BULLET_BOLD.match(line)
    if m and len(m.group(2)) <= 60:  # weak: only a label that names a contract item splits the answer
        title, rest = m.group(2).strip(), _PAREN_NOTE.sub("", m.group(3).strip(), count=1)
        if title.endswith((":", "：")) or rest.startswith((":", "：", "—", "–", "- ")):
            return Heading(title.rstrip(":："), WEAK_LEVEL, False, rest.lstrip(":：—–- "), bullet=True), False
    m = _NUMBERED_LABEL.match(line)
    if m and not m.group(1).rstrip().lower().endswith(("http", "https")):
        # "2. Status page: nothing posted ..." - a numbered label with its content inline (before the plain
        # numbered form, which would take the whole line as the title and leave the section empty)
        return Heading(m.group(1).replace("**", "").strip(), WEAK_LEVEL, False, m.group(2).strip()), False
    m = _NUMBERED.match(line)
    if m and len(m.group(1)) <= 60 and "?" not in m.group(1) and "？" not in m.group(1):
        # a numbered question ("1. 切换失败的原因？——DBA + 阿里云工单") is a list entry, not a section label
        return Heading(m.group(1), WEAK_LEVEL, False), False
    if "|" in line and line.count("|") <= 4 and not _TABLE_SEP.match(line):
        m = _TABLE_ROW.match(line)
        # "**Evidence** (collect in parallel)": the label without its note
        label = _TRAILING_NOTE.sub("", m.group(1).replace("**", "")).strip() if m else ""
        if m and len(label) <= 40 and len(label.split()) <= 5 and "|" not in m.group(2):
            return Heading(m.group(1).replace("**", "").strip(), TABLE_LEVEL, False, m.group(2)), False
    return None, False


def split_sections(text: str, accept_weak: Callable[[str], bool] | None = None,
                   item_of: Callable[[str], str | None] | None = None) -> list[Section]:
    """Split Markdown into sections; text before the first heading is a section titled ''.

    Numbered lines (``1. Evidence``) are only headings when ``accept_weak`` accepts their
    normalised title, so an ordinary numbered list stays in the body. ``item_of`` (a title's contract item)
    tells a post's title line from an item's heading: labelled bullets under it that name three or more other items
    are the answer's sections, not that item's detail.
    """
    lines = text.splitlines()
    sections = [Section("", "", 0, 0, True)]
    in_fence = False
    strong_title = ""  # the last strong heading's title: the section a labelled bullet sits in
    listed: bool | None = False  # that heading is a post's title over a list of item labels, not an item itself
    strong_at = 0
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if ("`" in line or "~" in line) and _FENCE.match(line):  # a fence needs one of them
            in_fence = not in_fence
        if in_fence:
            sections[-1].body_lines.append(line)
            i += 1
            continue
        nxt = lines[i + 1] if i + 1 < n else None
        head, underline = _heading_of(line, nxt)
        if head is not None and not head.strong and not (accept_weak and accept_weak(clean_title(head.raw))):
            head = None
        if head is not None and head.strong:
            strong_at, listed = i, None  # read the bullets below only if one of them needs it
        if head is not None and head.bullet and accept_weak and strong_title and accept_weak(strong_title):
            if listed is None:
                listed = bool(item_of) and len(_items_listed_below(lines, strong_at + 1, item_of)
                                                - {item_of(strong_title)}) >= _ITEM_LIST
            if not listed:
                head = None  # a labelled bullet under a heading that is already an item is that item's detail
        if head is None and accept_weak and (i == 0 or not lines[i - 1].strip()
                                             or _in_label_run(lines, i, accept_weak)):
            under_item = strong_title and accept_weak(strong_title)
            if under_item and listed is None:
                listed = bool(item_of) and len(_items_listed_below(lines, strong_at + 1, item_of)
                                                - {item_of(strong_title)}) >= _ITEM_LIST
            if not under_item or listed:  # under an item's heading it is that item's detail, unless the heading
                head = _paragraph_label(line, accept_weak)  # is a post's title over labels naming other items
        if head is None:
            sections[-1].body_lines.append(line)
        else:
            sec = Section(clean_title(head.raw), head.raw.strip(), head.level, i + 1, head.strong,
                          inline=head.inline, underline=underline)
            if head.strong:
                strong_title = sec.title
            if head.inline:
                sec.body_lines.append(head.inline)
            sections.append(sec)
        i += 2 if underline else 1
    return sections


# Other items named by labelled bullets under one strong heading that make it a title over the answer's sections
# (":large_yellow_circle: **CSV export timeouts — triage**" over "• **Severity:** …", "• **Status page:** …").
_ITEM_LIST = 3


def _in_label_run(lines: list[str], i: int, accept_weak: Callable[[str], bool]) -> bool:
    """Is line ``i`` one of a run of lines that each open with a 'Label: content' naming a contract item ("Impact: …"
    / "Description: …" / "Repro: …" in a ticket comment with no blank lines)? Its neighbour must be one too."""
    if not _has_colon(lines[i]) or _paragraph_label(lines[i], accept_weak) is None:
        return False
    return any(0 <= j < len(lines) and _has_colon(lines[j]) and _paragraph_label(lines[j], accept_weak) is not None
               for j in (i - 1, i + 1))


def _has_colon(line: str) -> bool:
    """A cheap test first: a label line holds a colon."""
    return ":" in line or "：" in line


def _items_listed_below(lines: list[str], start: int, item_of: Callable[[str], str | None]) -> set[str]:
    """The contract items the labelled bullets and paragraph labels that follow name, up to the next strong
    heading."""
    found: set[str] = set()
    for j in range(start, len(lines)):
        head, _ = _heading_of(lines[j], lines[j + 1] if j + 1 < len(lines) else None)
        if head is None:
            m = _PLAIN_LABEL.match(lines[j])  # "Impact: …" opening a paragraph of a ticket comment
            label = _TRAILING_NOTE.sub("", m.group(1)) if m else ""
            if label.strip() and len(label.split()) <= 5 and (item := item_of(clean_title(label))):
                found.add(item)
            continue
        if head.strong:
            break
        if head.bullet and (item := item_of(clean_title(head.raw))):
            found.add(item)
    return found


def _paragraph_label(line: str, accept_weak: Callable[[str], bool]) -> Heading | None:
    """A paragraph's opening 'Label: content' whose label (at most five words) names a contract item."""
    m = _PLAIN_LABEL.match(line)
    label = _TRAILING_NOTE.sub("", m.group(1)) if m else ""  # "Repro (from customer, not yet reproduced by us):"
    if not m or not label.strip() or len(label.split()) > 5 or not accept_weak(clean_title(label)):
        return None
    return Heading(label.strip(), WEAK_LEVEL, False, (m.group(2) or "").strip())


def section_span(sections: list[Section], index: int) -> str:
    """The section's own body plus the bodies of the sub-sections nested under it."""
    head = sections[index]
    parts = [head.body]
    for sec in sections[index + 1 :]:
        if sec.level <= head.level:
            break
        parts.append(sec.raw_title)
        parts.append(sec.body)
    return "\n".join(p for p in parts if p).strip()
