"""Split incident text into prose, quoted and machine parts, and strip non-language noise.

The detector scores only words a person wrote: URLs, paths, identifiers, hashes, JSON,
log lines, stack traces and code are removed or set aside here with precompiled regexes.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

PROSE, QUOTE, MACHINE = "prose", "quote", "machine"

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2018": "'"})

# A whole line is machine output (log, stack frame, code, JSON) when this matches.
_MACHINE_LINE = re.compile(
    r"""^(?:\ {4,}|\t)\S                                   # indented code or stack frame
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
       |(?:\$|>>>|>|%)\s                                   # shell or REPL prompt
       |[\w.-]+@[\w.-]+:\S*[$\#]                           # user@host:~$
       |[{}\[\]]\s*,?\s*$                                  # lone bracket
       |[{\[]\s*"                                          # JSON object or array
       |"[^"\n]*"\s*:                                      # JSON key
       |</?[a-z][\w:-]*[\s>/]                              # markup tag
       |(?:import|def|class|return|const|let|var|func|package|public|private|static)\s
       |select\s+[\w*,\s]+\s+from\s
       |```
    )
    |\)\s*;\s*$|\{\s*$|=>|==|!=|&&|\|\|                    # code punctuation anywhere
    |(?:\b[\w.-]+=\S+\s+){2}                               # key=value key=value
    """,
    re.X,
)

# Tokens that carry no language: URLs, e-mails, paths, identifiers, numbers, hashes, JSON keys.
_NOISE = re.compile(
    r"""(?:https?|ftp|wss?|s3|gs|file|jdbc|redis|mysql|postgres(?:ql)?|mongodb(?:\+srv)?|amqp)://\S*
    |www\.\S+
    |[\w.+-]+@[\w-]+(?:\.[\w-]+)+
    |`[^`\n]*`
    |<[^<>\s][^<>\n]*>
    |\{[^{}\n]*\}
    |"[^"\n]*"\s*:
    |"[^"\s]*"
    |(?<![\w/])(?:~|\.{1,2})?/[\w.@+:-]+(?:/[\w.@+:-]*)*
    |\b[a-z]:\\\S*
    |[a-z0-9]+(?:(?:\.|::|->)[a-z0-9]+)+
    |[a-z0-9]*_[a-z0-9_]*
    |[a-z]*\d[a-z0-9]*
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


def _is_machine(line: str) -> bool:
    """True for a log line, stack frame, code or JSON line."""
    stamp = _TIMESTAMP.match(line)
    if stamp and stamp.end() > 0:
        return bool(_LOG_MARK.search(line, stamp.end()))
    return _MACHINE_LINE.search(line) is not None


def _prose_parts(line: str) -> list[Segment]:
    """Cut quoted passages and error-message tails out of one prose line (noise already removed)."""
    parts: list[Segment] = []
    if _QUOTE_CHARS.intersection(line):
        parts.extend(Segment(QUOTE, m.group()) for m in _QUOTED.finditer(line))
        line = _QUOTED.sub(" ", line)
    if ":" in line:
        tail = _ERROR_TAIL.search(line)
        if tail:
            parts.append(Segment(QUOTE, tail.group(1)))
            line = line[: tail.start(1)]
    parts.append(Segment(PROSE, line))
    return parts


def segments(text: str) -> list[Segment]:
    """Split normalized text into prose, quoted and machine segments, noise already removed."""
    out: list[Segment] = []
    if "```" in text:
        out.extend(Segment(MACHINE, _NOISE.sub(" ", m.group())) for m in _FENCE.finditer(text))
        text = _FENCE.sub("\n", text)
    for line in text.splitlines():
        if not line or line.isspace():
            continue
        if _is_machine(line):
            out.append(Segment(MACHINE, _NOISE.sub(" ", line)))
        else:
            out.extend(_prose_parts(_NOISE.sub(" ", line)))
    return out
