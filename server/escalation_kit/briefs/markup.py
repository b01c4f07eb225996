"""Caller text made inert inside a Markdown document: it cannot open a heading, a code block or an HTML tag.

A document interpolates free text into headings, list items and paragraphs, so a fact holding "# H1", an
unclosed fence or "<script>" would otherwise rewrite the document's outline, swallow every section after
it into a code block, or reach a renderer as HTML. Each such construct is written so it shows as typed:
a block marker at a line start gets a backslash (CommonMark's escape), and "<" before a tag or comment is
the entity ``&lt;``. Text inside the line, emphasis and links are left alone: they cannot leave the field.
"""

from __future__ import annotations

import re
from functools import cache

# At a line start (up to three spaces of indent, as CommonMark allows): an ATX heading, a code fence, a
# block quote, or a setext underline / thematic break (a line of =, - or * only).
_BLOCK = r"^( {0,3})(#{1,6}(?=[ \t]|$)|`{3,}|~{3,}|>|=+[ \t]*$|(?:[-*_][ \t]*){3,}$)"
_TAG = r"<(?=[A-Za-z/!?])"  # an HTML tag, closing tag, comment, declaration or processing instruction


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    return re.compile(_BLOCK, re.MULTILINE), re.compile(_TAG)


def inert(text: str) -> str:
    """``text`` with every Markdown block marker at a line start escaped and every HTML tag opener as &lt;."""
    if not any(mark in text for mark in "#`~>=-*_<"):
        return text
    block, tag = _patterns()
    return tag.sub("&lt;", block.sub(_escape, text))


def _escape(match: re.Match[str]) -> str:
    indent, marker = match.group(1), match.group(2)
    return f"{indent}\\{marker}" if marker[0] not in "`~" else indent + "".join(f"\\{c}" for c in marker)
