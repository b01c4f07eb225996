"""Split incident text into prose, quoted and machine parts, and define non-language noise tokens.

The detector scores only words a person wrote: code lines are removed and log lines, stack
traces and quotations set aside here with precompiled regexes; NOISE (URLs, paths, identifiers,
hashes, JSON keys) is skipped by the scorer in the same pass that finds the words.
"""

from __future__ import annotations

import re
import unicodedata

from escalation_kit import regexcache

PROSE, QUOTE, MACHINE, CODE = "prose", "quote", "machine", "code"

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2018": "'"})
_FULL_WIDTH_PUNCTUATION = tuple((chr(0xFEE0 + ord(c)), c) for c in ",:?!();")  # \uff0c -> ","...

# Line classifiers. Anchored patterns use .match (one position); the few that must look
# anywhere in a line run only when the line holds the character they need. Possessive runs
# (++) and the lookahead before the exception pattern let an ordinary first word fail in one
# scan instead of backtracking through every shorter prefix.
# A line of log output or a stack frame: its words are a message, not prose.
_LOG_START = (
    r"""(?:\ {4,}|\t)\S                                     # indented stack frame or output
    |\s*(?:
        \[?(?:info|warn|warning|error|err|debug|trace|fatal|crit|critical|notice|severe|panic)
          \]?(?:\s*[:|\]-]|\s+\[|\s+\d{2,4}[-/.]\d)          # level prefix, or level then a date
       |at\s+[\w$.<>/]++[(:]                               # java / js frame
       |file\s+"[^"]+",\s+line\s+\d+                       # python frame
       |traceback\s\(
       |caused\s+by:
       |exception\s+in\s+thread\s
       |\.\.\.\s*\d+\s+more
       |\#\d+\s+0x
       |goroutine\s+\d+
       |exit\s+status\s+\d+\s*$                          # go run / make: process exit line
       |[\w$]++(?:\.[\w$*()]+)+\([^()\n]*\)\s*$            # bare frame: main.run(), pkg.(*T).Serve(...)
       |(?=[\w$.]++(?::|$))[\w$]+(?:\.[\w$]+)*(?:exception|error)(?::|$)  # Foo.BarException: message
       |[*<]\s                                             # curl -v and similar prefixes
       |[{\[]\s*"                                          # JSON object or array
       |"[^"\n]*"\s*:                                      # JSON key
       |!\w+\s                                             # Eclipse-style !ENTRY / !MESSAGE
    )"""
)
_TABLE_ROW = regexcache.compile(r"\S(?:\ {3,}|\t)\S.*\S(?:\ {3,}|\t)\S")  # column-aligned output
# key=value key=value: what (?:\b[\w.-]+=\S+\s+){2} finds, token by token (``_key_values``). That pattern
# restarted at every letter of a long "a=a=a..." or "a.a.a..." token and scanned to its end: 20,000 characters
# cost detect_language 1-2 s. The two agree on every string (200,000 generated ones, 3,713 corpus lines).
_TOKEN = regexcache.compile(r"\S+")
_WORD_CHAR = regexcache.compile(r"\w")
_KEY_CHAR = regexcache.compile(r"[\w.-]")
_KEY_START = regexcache.compile(r"\w[\w.-]*=\S")  # a whole key=value token: a word character first
# ip:port anywhere, or an access-log line starting with an IP; both forms need a dot.
_IP_PORT = regexcache.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}:\d+|^\s*\d{1,3}(?:\.\d{1,3}){3}\s")

# A line of code or a shell command: no natural-language message at all, so it is dropped.
_CODE_START = (
    r"""\s*(?:
        (?:\$|>>>|>|%|\#)\s                                # shell or REPL prompt
       |[\w.-]++@[\w.-]++:\S*[$\#]                         # user@host:~$
       |[{}\[\]()]\s*[,;]?\s*$                               # lone bracket
       |</?[a-z][\w:-]*[\s>/]                              # markup tag
       |(?:import|def|class|return|const|let|var|func|package|public|private|static)\s++  # a keyword...
        (?:[\w.$*]++(?:\s+as\s+\w+)?\s*$                   # ...and one name: "import os", "return x"
          |[^\n]*?(?:\w\(|=|[{;:]\s*$|\w\.\w))              # ...or code after it; "Private DNS servers" is prose
       |select\s+[\w*,\s]+\s+from\s
       |```
    )"""
)
# A statement ending "f(x);" is code; prose may end "(over TCP);" (a space or a CJK letter before the bracket).
_CODE_PUNCT = regexcache.compile(
    r"[a-z0-9_\]]\((?:[^()\s]|\([^()\n]*\)|\"[^\"\n]*\"|'[^'\n]*'|,\s|\s[-+*/]\s)*\)\s*;\s*$"
    r"|\{\s*$|=>|==|!=|&&|\|\|")

# Tokens that carry no language. A token is a run of ASCII, Latin, Cyrillic and dash/quote
# characters (CJK and other scripts end it); it is dropped whole when it holds a digit or a code
# character (URL, path, e-mail, identifier, hash, key=value, JSON key), is dotted (a.b), is a
# command-line flag, or is a lone quoted word. Positive classes keep compile time low. A pattern
# string (verbose syntax): the scorer puts it first in its word regex, so one pass over a line
# both skips these tokens and finds the words.
_TOK = "!-~\u00a1-\u024f\u0400-\u052f\u2010-\u2027"
# The token characters that cannot start a noise test below. A plain word is rejected by one
# possessive scan over these (then no trigger, digit or "x." follows) before the slower tests run.
_PLAIN = "!%-,;?A-Z\\[\\]^a-z~\u00a1-\u024f\u0400-\u052f\u2010-\u2027"
NOISE = rf"""(?<![{_TOK}])
    (?=[{_PLAIN}]*+(?:[/@_\\`{{}}<>=\#|$\d.:"-]|\w\.))
    (?=[{_TOK}]*?(?:[/@_\\`{{}}<>=\#|$\d]|\w\.\w|:[{_TOK}]|":)
       |--?[a-z]|www\.|"[!\#-~\u00a1-\u024f\u0400-\u052f]*"[,:;\]}}]*(?![{_TOK}]))
    [{_TOK}]+"""

# Quoted passages inside a prose line: they count less than the sentence around them.
_QUOTED = regexcache.compile(
    r""""[^"\n]{2,}"|\u201c[^\u201d\n]+\u201d|\u00ab[^\u00bb\n]+\u00bb|\u201e[^\u201c\u201d\n]+[\u201c\u201d]
    |\u300c[^\u300d\n]+\u300d|\u300e[^\u300f\n]+\u300f""",
    re.X,
)
# "error: <message>" - the message after an error label is a quotation too.
_ERROR_TAIL = regexcache.compile(
    r"(?:error|exception|err|message|msg|ошибка|ошибку|ошибки|錯誤|错误|报错|報錯|异常|異常|错误信息)\s*:\s*(.+)$"
)
# A leading timestamp; the line is a log line when a log marker follows it.
_TIMESTAMP = (
    r"""\s*\[?(?:\d{2,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[\ t_]\d{1,2}:\d{2}(?::\d{2})?)?
    |(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\s+\d{1,2}\s+\d{1,2}:\d{2}(?::\d{2})?
    |\d{1,2}:\d{2}(?::\d{2})?)(?:[.,]\d+)?(?:z|\s?[+-]\d{2}:?\d{2})?\]?"""
)
# One anchored match tells a leading timestamp, a code line and a log line apart.
_LINE_START = regexcache.compile(f"(?P<stamp>{_TIMESTAMP})|(?P<code>{_CODE_START})|(?P<log>{_LOG_START})", re.X)
_LOG_MARK = regexcache.compile(
    r"[\[\]|=]|\b(?:info|warn|warning|error|err|erro|debug|dbg|trace|fatal|crit|critical|notice|severe|panic)\b"
)
# The first line of a Python, Java or Go stack trace, glued to the end of a sentence.
_INLINE_LOG = regexcache.compile(r'traceback \(most recent call last\)|exception in thread "|\bpanic: ')
# "<sentence>: <message>" - when the message is in another script it is a quotation.
_COLON_TAIL = regexcache.compile(r":(?![/\\\d])\s*(\S.*)$")  # not URL, path, time or port colons
_LATIN_LETTER = regexcache.compile(r"[a-z]")
_FENCE = regexcache.compile(r"```.*?(?:```|\Z)", re.S)


Segment = tuple[str, str]  # (kind, text): plain tuples, cheaper than a NamedTuple per line


def normalize(text: str) -> str:
    """Fold width, compatibility forms, curly apostrophes and letter case so they never matter."""
    if not text.isascii():
        if "\u2019" in text or "\u2018" in text or "\u02bc" in text:
            text = text.translate(_APOSTROPHES)
        if not unicodedata.is_normalized("NFKC", text):  # a C quick-check; most text passes
            text = _fold_full_width_punctuation(text)
            if not unicodedata.is_normalized("NFKC", text):
                text = unicodedata.normalize("NFKC", text)
    return text.casefold()


def _fold_full_width_punctuation(text: str) -> str:
    """Replace the full-width punctuation Chinese text is full of by its NFKC (ASCII) form.

    Each replacement is exactly what NFKC does to that character, so the final result is the
    same; but most Chinese text is then already normalized and skips the slower full NFKC pass.
    """
    for wide, ascii_form in _FULL_WIDTH_PUNCTUATION:
        text = text.replace(wide, ascii_form)
    return text


def _line_kind(line: str) -> str | None:
    """MACHINE for a log line or stack frame, CODE for code or a command, None for prose."""
    start = None if _opens_like_prose(line) else _LINE_START.match(line)
    kind = start.lastgroup if start else None
    if kind == "stamp":
        if _LOG_MARK.search(line, start.end()):  # type: ignore[union-attr]
            return MACHINE
        kind = None
    if kind == "code" or (_has_code_char(line) and _CODE_PUNCT.search(line)):
        return CODE
    if (kind == "log"
            or (("   " in line or "\t" in line) and _TABLE_ROW.search(line))
            or ("=" in line and _key_values(line))
            or ("." in line and (":" in line or line[:1].isdigit()) and _IP_PORT.search(line))):
        return MACHINE
    return None


def _key_values(line: str) -> bool:
    """Two tokens in a row, each followed by whitespace: one holding key=value, the next starting with one."""
    previous = False
    for match in _TOKEN.finditer(line):
        if match.end() == len(line):  # each of the two needs whitespace after it
            return False
        token = match[0]
        if previous and _KEY_START.match(token):
            return True
        previous = _holds_key_value(token)
    return False


def _holds_key_value(token: str) -> bool:
    """Some '=' in the token has a value after it and, before it, a run of [\\w.-] holding a word character."""
    at = token.find("=")
    while 0 <= at < len(token) - 1:
        start = at
        while start > 0 and _KEY_CHAR.match(token, start - 1):
            start -= 1
        if any(_WORD_CHAR.match(token, i) for i in range(start, at)):
            return True
        at = token.find("=", at + 1)
    return False


def _opens_like_prose(line: str) -> bool:
    """True when no line-start pattern can match, tested without running the big regex.

    A line opening with a non-ASCII letter (Cyrillic, CJK...) can only match the patterns that
    begin with a word run: user@host (needs "@"), a bare frame (needs "(" and "."), and an
    exception line (needs "error" or "exception").
    """
    first = line[0]
    return (first.isalpha() and not first.isascii() and "@" not in line
            and not ("(" in line and "." in line) and "error" not in line and "exception" not in line)


def _has_code_char(line: str) -> bool:
    """Cheap test for a character code punctuation needs (frozenset.isdisjoint hashes every character)."""
    return ";" in line or "{" in line or "=" in line or "&" in line or "|" in line


def _prose_parts(line: str) -> list[Segment]:
    """Cut quoted passages, error-message tails and glued-on log output out of one prose line."""
    parts: list[Segment] = []
    glued = (_INLINE_LOG.search(line)
             if "traceback (" in line or " in thread " in line or "panic: " in line else None)
    if glued:  # "сервер упал Traceback (most recent call last):" - the rest of the line is a log
        parts.append((MACHINE, line[glued.start():]))
        line = line[: glued.start()]
    if _has_quote(line):
        parts.extend((QUOTE, m.group()) for m in _QUOTED.finditer(line))
        line = _QUOTED.sub(" ", line)
    tail = _COLON_TAIL.search(line) if ":" in line else None
    if tail:
        label = _ERROR_TAIL.search(line)
        kind = QUOTE
        if label:
            tail = label
        elif _switches_script(line[: tail.start()], tail.group(1)):
            pass
        elif _line_kind(tail.group(1)) == MACHINE:  # "see: Traceback (most recent call last):"
            kind = MACHINE
        else:
            tail = None
        if tail:
            parts.append((kind, tail.group(1)))
            line = line[: tail.start(1)]
    parts.append((PROSE, line))
    return parts


def _has_quote(line: str) -> bool:
    """Cheap test for any opening quote character (a set intersection is slower)."""
    return ('"' in line or "\u201c" in line or "\u00ab" in line or "\u300c" in line
            or "\u201e" in line or "\u300e" in line)


def _switches_script(head: str, tail: str) -> bool:
    """True when a sentence of three or more words in one script introduces text in another."""
    if len(head.split()) < 3:
        return False
    return _mostly_latin(head) != _mostly_latin(tail)


def _mostly_latin(text: str) -> bool:
    """Whether ASCII letters outnumber non-ASCII characters (Cyrillic, CJK...)."""
    latin = len(_LATIN_LETTER.findall(text))
    return latin > len(text) - len(text.encode("ascii", "ignore"))


def segments(text: str) -> list[Segment]:
    """Split normalized text into prose, quoted and machine segments (NOISE tokens still in them)."""
    out: list[Segment] = []
    if "```" in text:
        for block in _FENCE.findall(text):
            out.extend((MACHINE, line) for line in block.strip("`").splitlines()
                       if line.strip() and _line_kind(line) != CODE)
        text = _FENCE.sub("\n", text)
    for line in text.splitlines():
        if not line or line.isspace():
            continue
        kind = _line_kind(line)
        if kind is None:
            out.extend(_prose_parts(line))
        elif kind == MACHINE:
            out.append((MACHINE, line))
    return out
