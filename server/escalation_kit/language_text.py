"""Split incident text into prose, quoted and machine parts, and strip non-language noise.

The detector scores only words a person wrote: URLs, paths, identifiers, hashes, JSON,
log lines, stack traces and code are removed or set aside here with precompiled regexes.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

PROSE, QUOTE, MACHINE, CODE = "prose", "quote", "machine", "code"

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2018": "'"})

# A line of log output, a stack frame or a table row: its words are a message, not prose.
_LOG_LINE = re.compile(
    r"""^(?:\ {4,}|\t)\S                                   # indented stack frame or output
    |\S(?:\ {3,}|\t)\S.*\S(?:\ {3,}|\t)\S                   # column-aligned table row
    |^\s*(?:
        \[?(?:info|warn|warning|error|err|debug|trace|fatal|crit|critical|notice|severe|panic)
          \]?(?:\s*[:|\]-]|\s+\[)                          # level prefix
       |at\s+[\w$.<>/]+[(:]                                # java / js frame
       |file\s+"[^"]+",\s+line\s+\d+                       # python frame
       |traceback\s\(
       |caused\s+by:
       |\.\.\.\s*\d+\s+more
       |\#\d+\s+0x
       |goroutine\s+\d+
       |[\w$]+(?:\.[\w$]+)*(?:exception|error)(?::|$)      # Foo.BarException: message
       |[*<]\s                                             # curl -v and similar prefixes
       |[{\[]\s*"                                          # JSON object or array
       |"[^"\n]*"\s*:                                      # JSON key
       |!\w+\s                                             # Eclipse-style !ENTRY / !MESSAGE
    )
    |(?:\b[\w.-]+=\S+\s+){2}                               # key=value key=value
    |\b\d{1,3}(?:\.\d{1,3}){3}:\d+                          # ip:port
    """,
    re.X,
)

# A line of code or a shell command: no natural-language message at all, so it is dropped.
_CODE_LINE = re.compile(
    r"""^\s*(?:
        (?:\$|>>>|>|%|\#)\s                                # shell or REPL prompt
       |[\w.-]+@[\w.-]+:\S*[$\#]                           # user@host:~$
       |[{}\[\]()]\s*[,;]?\s*$                               # lone bracket
       |</?[a-z][\w:-]*[\s>/]                              # markup tag
       |(?:import|def|class|return|const|let|var|func|package|public|private|static)\s
       |select\s+[\w*,\s]+\s+from\s
       |```
    )
    |\)\s*;\s*$|\{\s*$|=>|==|!=|&&|\|\|                    # code punctuation anywhere
    """,
    re.X,
)

# Tokens that carry no language: URLs, e-mails, paths, identifiers, numbers, hashes, JSON keys.
_NOISE = re.compile(
    r"""(?:https?|ftp|wss?|s3|gs|file|jdbc|redis|mysql|postgres(?:ql)?|mongodb(?:\+srv)?|amqp)://\S*
    |www\.\S+
    |[\w.+-]+@[\w-]+(?:\.[\w-]+)+
    |`[^`\n]*`
    |!\[[^\]\n]*\]\([^)\n]*\)
    |<[^<>\s][^<>\n]*>
    |\{[^{}\n]*\}
    |"[^"\n]*"\s*:
    |"[^"\s]*"
    |(?<![\w/])(?:~|\.{1,2})?/[\w.@+:-]+(?:/[\w.@+:-]*)*
    |\b[a-z]:\\(?:[^\\\n<>|"]*\\)*\S*
    |[a-z0-9_-]+(?::[a-z0-9_-]*){2,}
    |[a-z0-9]+(?:(?:\.|::|->)[a-z0-9]+)+
    |[a-z0-9]*_[a-z0-9_]*
    |(?<![\w-])[a-z0-9-]*\d[a-z0-9-]*
    |[a-z0-9+/=_-]{25,}
    |(?<![\w-])--?[a-z][\w-]*
    |[@\#][\w-]+
    |\b[\w.-]+=\S*
    """,
    re.X,
)

# Quoted passages inside a prose line: they count less than the sentence around them.
_QUOTED = re.compile(
    r""""[^"\n]{2,}"|\u201c[^\u201d\n]+\u201d|\u00ab[^\u00bb\n]+\u00bb|\u201e[^\u201c\u201d\n]+[\u201c\u201d]
    |\u300c[^\u300d\n]+\u300d|\u300e[^\u300f\n]+\u300f""",
    re.X,
)
# "error: <message>" - the message after an error label is a quotation too.
_ERROR_TAIL = re.compile(
    r"(?:error|exception|err|message|msg|ошибка|ошибку|ошибки|錯誤|错误|报错|報錯|异常|異常|错误信息)\s*:\s*(.+)$"
)
# A leading timestamp; the line is a log line when a log marker follows it.
_TIMESTAMP = re.compile(
    r"""^\s*\[?(?:\d{2,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[\ t_]\d{1,2}:\d{2}(?::\d{2})?)?
    |(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\s+\d{1,2}\s+\d{1,2}:\d{2}(?::\d{2})?
    |\d{1,2}:\d{2}(?::\d{2})?)(?:[.,]\d+)?(?:z|\s?[+-]\d{2}:?\d{2})?\]?""",
    re.X,
)
_LOG_MARK = re.compile(
    r"[\[\]|=]|\b(?:info|warn|warning|error|err|erro|debug|dbg|trace|fatal|crit|critical|notice|severe|panic)\b"
)
# "<sentence>: <message>" - when the message is in another script it is a quotation.
_COLON_TAIL = re.compile(r":\s*(\S.*)$")
_WORD = re.compile(r"[^\W\d_]+")
_LATIN_LETTER = re.compile(r"[a-z]")
_NON_LATIN_LETTER = re.compile(r"[\u0400-\u052f\u3040-\u9fff\uac00-\ud7af]")
_FENCE = re.compile(r"```.*?(?:```|\Z)", re.S)
_QUOTE_CHARS = frozenset('"\u201c\u00ab\u300c\u201e\u300e')


class Segment(NamedTuple):
    kind: str
    text: str


def normalize(text: str) -> str:
    """Fold width, compatibility forms, curly apostrophes and letter case so they never matter."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text.translate(_APOSTROPHES))
    return text.casefold()


def _line_kind(line: str) -> str | None:
    """MACHINE for a log line or stack frame, CODE for code or a command, None for prose."""
    stamp = _TIMESTAMP.match(line)
    if stamp and _LOG_MARK.search(line, stamp.end()):
        return MACHINE
    if _CODE_LINE.search(line):
        return CODE
    return MACHINE if _LOG_LINE.search(line) else None


def _prose_parts(line: str) -> list[Segment]:
    """Cut quoted passages and error-message tails out of one prose line (noise already removed)."""
    parts: list[Segment] = []
    if _QUOTE_CHARS.intersection(line):
        parts.extend(Segment(QUOTE, m.group()) for m in _QUOTED.finditer(line))
        line = _QUOTED.sub(" ", line)
    if ":" in line:
        tail = _ERROR_TAIL.search(line)
        if tail is None:
            tail = _COLON_TAIL.search(line)
            if tail and not _switches_script(line[: tail.start()], tail.group(1)):
                tail = None
        if tail:
            parts.append(Segment(QUOTE, tail.group(1)))
            line = line[: tail.start(1)]
    parts.append(Segment(PROSE, line))
    return parts


def _switches_script(head: str, tail: str) -> bool:
    """True when a sentence of three or more words in one script introduces text in another."""
    if len(_WORD.findall(head)) < 3:
        return False
    return _mostly_latin(head) != _mostly_latin(tail)


def _mostly_latin(text: str) -> bool | None:
    """Whether Latin letters outnumber Cyrillic and CJK ones (None when there are none)."""
    latin, other = len(_LATIN_LETTER.findall(text)), len(_NON_LATIN_LETTER.findall(text))
    return None if latin == other == 0 else latin > other


def segments(text: str) -> list[Segment]:
    """Split normalized text into prose, quoted and machine segments, noise already removed."""
    out: list[Segment] = []
    if "```" in text:
        for block in _FENCE.findall(text):
            out.extend(Segment(MACHINE, _NOISE.sub(" ", line)) for line in block.strip("`").splitlines()
                       if line.strip() and _line_kind(line) != CODE)
        text = _FENCE.sub("\n", text)
    for line in text.splitlines():
        if not line or line.isspace():
            continue
        kind = _line_kind(line)
        if kind is None:
            out.extend(_prose_parts(_NOISE.sub(" ", line)))
        elif kind == MACHINE:
            out.append(Segment(MACHINE, _NOISE.sub(" ", line)))
    return out
