"""Grounding checks: does the answer state what the tools computed?

Run only when the transcript holds a successful result of the tool concerned:
- ``severity``: the first P0-P3 the answer states equals ``classify_severity``'s, or the answer
  names the tool's level and explains the difference (words in ``evals/grading.yaml``);
- ``deadline``: every time on a deadline line (after the deadline word) equals one the SLA tool
  returned, converted to the time zone the answer states (else the tool's zone);
- ``vendor_severity`` / ``status_page``: the answer names the vendor case severity, and (for
  skills whose contract has a status-page item) one of the pages ``pick_vendor_support_path`` returned.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from functools import cache, lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from escalation_kit.evals.cues import DATE_PATTERN, Lexicon, cues_data
from escalation_kit.evals.data import grading_config
from escalation_kit.evals.grader import CheckResult
from escalation_kit.evals.markdown import normalize, normalize_cached
from escalation_kit.evals.substance import split_at_groups
from escalation_kit.evals.transcript import Transcript
from escalation_kit.skillpack.contracts import Contract
from escalation_kit.timezones import zone_country

_LEVEL = re.compile(r"(?<![a-z0-9])p([0-3])(?![0-9a-z])")
# A clock time. Its hour follows no Latin letter ("L3：21:45" is tier L3 then 21:45, not 3:21:45) but the "t" of an
# ISO date ("2026-12-01t08:40").
_TIME = re.compile(  # every match starts with a digit: the look-ahead rejects other characters in one test
    r"(?=\d)(?:(\d{4}-\d{2}-\d{2})[ t]?)?(?<![+\d])(?<![a-su-z])(?<![^\d]t)"
    r"(?<!utc-)(?<!gmt-)(?<!utc -)(?<!gmt -)(?<!utc–)(?<!gmt–)"
    r"([01]?\d|2[0-3]):([0-5]\d)(?::\d{2})?(?:\s?(am|pm|a\.m\.|p\.m\.))?(z|[+-]\d{2}:?\d{2})?(?!\d)"
)
_OFFSET = re.compile(r"(?:utc|gmt)\s*([+\-–])\s*(\d{1,2})(?::?(\d{2}))?")
_IANA = re.compile(r"\b((?:africa|america|antarctica|arctic|asia|atlantic|australia|europe|indian|pacific|etc)"
                   r"/[a-z][a-z_+\-0-9]*(?:/[a-z_]+)?)\b")


_LEVEL_CORE = re.compile(r"p([0-3])(?![0-9a-z])")
_LEVEL_BEFORE = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def _level_iter(norm: str) -> Iterator[re.Match[str]]:
    """``_LEVEL.finditer(norm)``, with the look-behind tested here so the regex engine can skip to each 'p'."""
    pos = 0
    while True:
        m = _LEVEL_CORE.search(norm, pos)
        if m is None:
            return
        if m.start() == 0 or norm[m.start() - 1] not in _LEVEL_BEFORE:
            yield m
            pos = m.end()
        else:
            pos = m.start() + 1


@lru_cache(maxsize=16)
def _levels(text: str) -> tuple[str, ...]:
    return tuple(f"P{m.group(1)}" for m in _level_iter(normalize_cached(text)))


def stated_levels(text: str) -> list[str]:
    """P0-P3 levels in order of appearance (memoised briefly: one grading asks several times)."""
    return list(_levels(text))


def _words(key: str) -> list[str]:
    return [w for ws in grading_config()[key].values() for w in ws]


# "p" first, its look-behind after it: a leading literal lets the regex engine jump from one "p" to the next.
_RANGE = re.compile(r"p(?<![a-z0-9]p)[0-3]\s*(?:-|–|—|~|to|до|到|至|\.\.|/|…)\s*p[0-3](?![0-9a-z])")
_SENTENCE_END = re.compile(r"[.!?;。！？；\n]")
_LABEL = ("severity", "level", "priority", "summary and target", "серьезност", "уровень", "приоритет", "суть и адресат",
          "级别", "等级", "严重程度", "摘要与升级对象")
_PAST = ("earlier", "previously", "initially", "originally", "yesterday", "was ", "had it", "ранее", "изначально",
         "сначала", " был", "вчера", "之前", "最初", "原先", "原来", "曾")


@cache
def _reading() -> dict[str, tuple[str, ...]]:
    raw = grading_config()["severity_reading"]
    return {k: tuple(sorted({normalize(w) for ws in v.values() for w in ws}, key=len, reverse=True))
            for k, v in raw.items()}


_TAIL_JUNK = " \t*_:：.,;!?)(\"'«»“”|-–—>#`[]{}/\\~"


def _ends_with(window: str, words: tuple[str, ...]) -> str | None:
    """The cue word the window ends with (ignoring markup and punctuation), if any."""
    tail = window.rstrip(_TAIL_JUNK)
    if not tail.endswith(words):  # one C-level test rejects the usual window
        return None
    for w in words:
        if tail.endswith(w) and (len(tail) == len(w) or not tail[-len(w) - 1].isalnum() or _CJK_RE.match(w)):
            return w
    return None


_CJK_RE = re.compile(r"[\u3400-\u9fff]")


@lru_cache(maxsize=8)
def level_mentions(answer: str, vendor_codes: bool = False) -> tuple[tuple[str, int, int, str], ...]:
    """Every P0-P3 the answer writes: (level, position, score, context). Score <= 0: mentioned, not assigned.

    A level inside a range ("P0-P3 scale") scores -9; after a rejection word ("not P0", "from P1")
    or in a sentence about the past, 0; after a vendor word when the vendor has P-codes of its own
    ("Google P2"), -5; after a label ("Severity: P1") 4; after an assigning word ("this is P1") 3.
    """
    norm = normalize_cached(answer)
    ranges = [m.span() for m in _RANGE.finditer(norm)] if "p" in norm else []
    cues = _reading()
    vendor_re = _vendor_word_re() if vendor_codes else None
    out = []
    for m in _level_iter(norm):
        pos = m.start()
        start = max(0, pos - 30)
        window = norm[max(0, pos - 50):pos]
        wide = norm[start:pos]
        before = norm[max(0, pos - 200):pos]
        cut = max(before.rfind(c) for c in ".!?;。！？；")
        sentence = before[cut + 1:]
        level = f"P{m.group(1)}"
        if any(a <= pos < b for a, b in ranges):
            score = -9
        elif vendor_re is not None and vendor_re.search(window):
            score = -5
        elif (_ends_with(wide, cues["rejected_before"]) or any(p in sentence for p in _PAST)
              or _hypothetical_re().search(sentence + " "
                                           + _CLAUSE_END.split(norm[m.end():m.end() + 120], maxsplit=1)[0])
              or _conditional_next(norm, m.end())):
            score = 0
        elif _ends_with(wide, _LABEL) or _label_in_clause(wide):
            score = 4
        elif _ends_with(wide, cues["assigned_before"]):
            score = 3
        else:
            score = 1
        out.append((level, pos, score, norm[start:pos + 2].strip()))
    return tuple(out)


def word_pattern(words: list[str] | tuple[str, ...]) -> re.Pattern[str]:
    """One regex for a grading word list: a word ending in ``*`` is a prefix, any other a whole word (no letter,
    digit or hyphen either side), a Chinese one matches anywhere; longest first, normalised like the answer."""
    alts = []
    for word in sorted({w for w in words if w}, key=len, reverse=True):
        stem = normalize(word.removesuffix("*"))
        if _CJK_RE.search(stem):
            alts.append(re.escape(stem))
        else:
            # the literal first and its look-behind after it: a leading literal lets the engine scan to candidates
            alts.append(rf"{re.escape(stem)}(?<![\w-]{re.escape(stem)})" + ("" if word.endswith("*") else r"(?![\w-])"))
    return re.compile("|".join(alts))


@cache
def _window_words_re() -> re.Pattern[str]:
    """Words that make a time a bound of the business window (grading.yaml ``business_window_words``)."""
    return word_pattern(_words("business_window_words"))


@cache
def _hypothetical_re() -> re.Pattern[str]:
    """Conditional words (grading.yaml ``severity_reading.hypothetical``)."""
    return word_pattern(_reading()["hypothetical"])


@cache
def _conditional_next_re() -> re.Pattern[str]:
    """A clause opening with a conditional word (grading.yaml ``severity_reading.conditional_next``)."""
    return re.compile(r"[\s*_`\-–—]*(?:" + word_pattern(_reading()["conditional_next"]).pattern + ")")


def _conditional_next(norm: str, end: int) -> bool:
    """Does the level ending at ``end`` end a clause that the next one, opening with a conditional word, makes a
    condition ("Повысить до P1 стоит, если …", "Поднимем до P1, если …")? Not when another level follows in the
    sentence: "P2, if it spreads P1" conditions P1."""
    rest = _SENTENCE_END.split(norm[end:end + 240], maxsplit=1)[0]
    parts = _CLAUSE_END.split(rest, maxsplit=1)
    if len(parts) < 2 or len(parts[0]) > 40:
        return False
    return bool(_conditional_next_re().match(parts[1])) and _LEVEL.search(parts[1]) is None


@cache
def _vendor_word_re() -> re.Pattern[str]:
    # (?<![a-z0-9а-я])word, written with the word first so the regex engine can skip to candidates
    return re.compile("|".join(rf"{re.escape(w)}(?<![a-z0-9а-я]{re.escape(w)})" for w in _reading()["vendor_before"]))


_CLAUSE_END = re.compile(r"[.;!?。；！？,，]")


def _label_in_clause(window: str) -> bool:
    """A label word ("severity", "уровень", "级别") earlier in the same clause, within a few words."""
    clause = _CLAUSE_END.split(window)[-1]
    return any(w in clause[-20:] for w in _LABEL)


def assigned_level(answer: str, vendor_codes: bool = False) -> tuple[str, str] | None:
    """The level the answer assigns (the first with the best score) and its context, or None. When no mention reads
    as assigned, the first level the answer attributes to the classifier by its rule ("tier 3 from P2
    (classify_severity: B-degraded …)") is the one it goes by."""
    best = None
    mentions = level_mentions(answer, vendor_codes)
    for level, _pos, score, ctx in mentions:
        if score > 0 and (best is None or score > best[0]):
            best = (score, level, ctx)
    if best is None:
        norm = normalize_cached(answer)
        return next(((level, ctx) for level, pos, score, ctx in mentions
                     if score == 0 and _CLASSIFIER_NOTE.match(norm, pos + 2)), None)
    return (best[1], best[2])


# A bracket right after a level that names the classifier or one of its rule ids: "P2 (classify_severity: B-degraded",
# "P1 (правило B-partial-outage", "P1（规则 T1-suspected-security".
_CLASSIFIER_NOTE = re.compile(r"[ *_]{0,3}[(（][ *_`]{0,3}(?:classify_severity|rule|правило|по правилу|规则|工具"
                              r"|[a-z]\d?-[a-z]{3,}(?:-[a-z]+)*)")


def vendor_has_p_codes(transcript: Transcript) -> bool:
    for r in transcript.results_of("pick_vendor_support_path"):
        case = r.get("case_severity") if isinstance(r, dict) else None
        if isinstance(case, dict) and _LEVEL.search(_catalog_norm(str(case.get("api_code") or case.get("name") or ""))):
            return True
    return False


def check_severity(answer: str, transcript: Transcript, required: bool = True) -> list[CheckResult]:
    """The level the answer assigns equals classify_severity's, or the answer overrides it with a real reason."""
    results = transcript.results_of("classify_severity")
    if not results or not isinstance(results[-1], dict) or "severity" not in results[-1]:
        return []
    tool = results[-1]["severity"]
    got = assigned_level(answer, vendor_has_p_codes(transcript))
    if got is None:
        if not required:
            return []
        return [CheckResult(id="severity", kind="grounding", status="fail",
                            detail=f"the answer assigns no P0-P3 level; classify_severity returned {tool}")]
    stated, ctx = got
    if stated == tool:
        return [CheckResult(id="severity", kind="grounding", status="pass", evidence=ctx,
                            detail=f"the answer assigns {stated}, as the tool")]
    why = _explained_override(answer, tool, stated)
    status = "pass" if why else "fail"
    detail = (f"the answer assigns {stated} ({ctx!r}), classify_severity returned {tool}"
              + (f"; the answer gives a reason: {why!r}" if why else
                 "; the answer gives no reason of substance for the difference"))
    return [CheckResult(id="severity", kind="grounding", status=status, detail=detail, evidence=why or ctx)]


_REASON_NOISE = re.compile(r"(?<![a-z0-9])p[0-3](?![0-9a-z])|[^\w\u3400-\u9fff]+")
_STOP = frozenset([
    "the", "a", "an", "is", "are", "was", "we", "it", "this", "that", "to", "of", "and", "but", "so", "our",
    "tool", "said", "returned", "classifier", "classify_severity", "level", "severity", "priority", "it's", "its",
    "as", "at", "in", "on", "for", "by", "with", "than", "rather", "instead", "не", "но", "а", "и", "мы", "это",
    "до", "с", "на", "по", "уровень", "классификатор", "инструмент", "дал", "вернул"
])


def _has_reason(para: str) -> bool:
    """Does the paragraph give a reason of substance: a fact, or at least four content words beyond the override?"""
    from escalation_kit.evals.substance import fact_in

    words = _words("severity_override_words")
    norm = normalize(para)
    for w in sorted(words, key=len, reverse=True):
        norm = norm.replace(w, " ")
    stripped = _LEVEL.sub(" ", norm)
    without_levels = re.sub(r"(?<![a-z0-9])p[0-3](?![0-9a-z])", " ", para, flags=re.I)
    if fact_in(without_levels) in ("number", "url", "command", "name"):
        return True
    cjk = len(_CJK_RE.findall(stripped))
    content = [t for t in re.findall(r"[^\W\d_]+", stripped) if t not in _STOP and not _CJK_RE.match(t)]
    if len(content) >= 4 or cjk >= 8:
        return True
    m = _CAUSE.search(stripped)
    if m:
        after = stripped[m.end():]
        rest = [t for t in re.findall(r"[^\W\d_]+", after) if t not in _STOP and not _CJK_RE.match(t)]
        return len(rest) >= 2 or len(_CJK_RE.findall(after)) >= 4
    return False


_CAUSE = re.compile(r"(?<!\w)(?:because|since|due to|given|as|so|потому что|так как|из-за|поскольку|ведь)(?!\w)"
                    r"|因为|由于|鉴于|因此|所以")


# Sentence breaks: spaces after . ! ? (group 1), the point after 。！？；; (group 2), newlines (group 3, all
# separator). One leading character class lets the engine jump to candidates (see substance.split_at_groups).
_SENTENCES = re.compile(r"[.!?。！？；;\n](?:(?<=[.!?])(\s+)|(?<=[。！？；;])()|(?<=\n)(\n*))")
_CAUSE_START = re.compile(r"^\W*(?:because|since|reason|the reason|why|потому|так как|причина|поскольку"
                          r"|因为|由于|原因)")


_EARLY_CAUSE = re.compile(r"^\W*(?:\w+\W+){1,3}?(?:because|since|as|потому что|так как|поскольку)(?!\w)")
# A sentence that opens on what the tool read ("The tool read 'breadth not stated', but the report states it: …")
# explains the override before it.
_TOOL_READ = re.compile(r"^\W*(?:the tool|the classifier|classify_severity|инструмент|классификатор|工具|分级器)"
                        r"\W*(?:read|took|saw|missed|assumed|counted|прочитал|принял|учел|учёл|не учел|не учёл"
                        r"|把|将|误)")
_CLAUSE_SPLIT = re.compile(r"\s*([,;:—–，；：])\s*")
_LEADS_ON = re.compile(r"^\W*(?:but|because|since|as|so|due to|но|потому|так как|из-за|поскольку"
                       r"|因为|由于|但|但是|因此|所以)")


def _override_reasons(sentence: str, words: list[str]) -> list[str]:
    """Each clause holding an override word, joined with the clauses that carry on its reason.

    "P2, although the classifier said P0 - since 10:00 no one can log in" gives only the clause
    "although the classifier said P0": the incident facts after it are not a reason for the change.
    A following clause joins after a colon or when it opens with "but", "because" (in three languages).
    """
    parts = _CLAUSE_SPLIT.split(sentence)
    clauses, seps = parts[0::2], parts[1::2]
    out = []
    for k, clause in enumerate(clauses):
        if not any(w in normalize(clause) for w in words):
            continue
        reason, j = clause, k
        while j + 1 < len(clauses) and j - k < 2 and (seps[j] in ":：" or _LEADS_ON.match(normalize(clauses[j + 1]))):
            reason += " " + clauses[j + 1]
            j += 1
        out.append(reason)
    return out


# A line break inside a hard-wrapped paragraph: prose on both sides, the next line opening no block (list item,
# heading, table row, quote, numbered item) and the line before it no heading or table row.
_SOFT_BREAK = re.compile(r"^(?![ \t]*(?:[#|>]|[-*+][ \t]|\d{1,2}[.)][ \t]))([^\n]*[^\s|])\n"
                         r"(?=[ \t]*(?![-*+>#|][ \t]|\d{1,2}[.)][ \t]|[|#>])\S)", re.M)


def _unwrapped(answer: str) -> str:
    """The answer with hard-wrapped paragraphs joined into one line each ("I am raising the level: `classify_severity`
    returned\n**P2** …" is one sentence), so a sentence is not cut where the writer's editor wrapped it."""
    return _SOFT_BREAK.sub(r"\1 ", answer) if "\n" in answer else answer


def _explained_override(answer: str, tool_level: str, stated: str) -> str | None:
    """A sentence naming the tool's level with an override word and a reason of substance beside it."""
    words = _words("severity_override_words")
    sents = [x.strip() for x in split_at_groups(_SENTENCES, _unwrapped(answer), whole=3) if x and x.strip()]
    low = tool_level.lower()
    for n, sent in enumerate(sents):
        norm = normalize(sent)
        # the tool's level written in the sentence is a cheap necessary condition for stating it
        if low not in norm or tool_level not in stated_levels(sent) or not any(w in norm for w in words):
            continue
        nxt = normalize(sents[n + 1]) if n + 1 < len(sents) else ""
        # the next sentence gives the reason when it opens with a cause ("Because …") or one follows its first words
        # ("I disagree because …")
        follow = sents[n + 1] if _CAUSE_START.match(nxt) or _EARLY_CAUSE.match(nxt) or _TOOL_READ.match(nxt) else ""
        if any(_has_reason(f"{r} {follow}") for r in _override_reasons(sent, words) or [sent]):
            return sent[:200]
    return None


@cache
def _zone_names() -> dict[str, str]:
    """Lower-case IANA name to its canonical spelling (answers are matched after casefolding)."""
    from zoneinfo import available_timezones

    return {n.lower(): n for n in available_timezones()}


@cache
def _zone(name: str) -> timezone | ZoneInfo | None:
    try:
        return ZoneInfo(_zone_names().get(name.lower(), name))
    except (ZoneInfoNotFoundError, ValueError):
        return None


Own = tuple[str, str] | None  # the tool zone's own abbreviation ("ist") and its IANA name, read as an alias


def _zone_in(text: str, own: Own = None) -> tuple[Any, str] | None:
    """The time zone a piece of text states: UTC±h, an IANA name or a known alias."""
    return _zone_in_norm(normalize(text), own)


def _zone_in_norm(norm: str, own: Own = None) -> tuple[Any, str] | None:
    """``_zone_in`` for text already normalised."""
    m = _OFFSET.search(norm)
    if m:
        sign = 1 if m.group(1) == "+" else -1
        delta = timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0))
        return timezone(sign * delta), m.group(0)
    for name in _iana_names(norm) if "/" in norm else ():
        z = _zone(name) if name in _zone_names() else None
        if z is not None:
            return z, name
    pattern, aliases = _alias_re(own)
    m = _search_after_non_letter(pattern, norm)
    if m:
        return _zone(aliases[m.group(0)]), m.group(0)
    return None


_LETTER_BEFORE = frozenset("abcdefghijklmnopqrstuvwxyz") | frozenset(chr(c) for c in range(ord("а"), ord("я") + 1))


def _search_after_non_letter(pattern: re.Pattern[str], norm: str) -> re.Match[str] | None:
    """The first match of ``pattern`` not preceded by a letter: ``(?<![a-zа-я])`` done outside the regex.

    A leading look-behind stops the regex engine from skipping ahead to the alternatives' first
    characters; testing the preceding character here keeps that fast scan and the same matches.
    """
    pos = 0
    while True:
        m = pattern.search(norm, pos)
        if m is None or m.start() == 0 or norm[m.start() - 1] not in _LETTER_BEFORE:
            return m
        pos = m.start() + 1


_IANA_CORE = re.compile(_IANA.pattern.removeprefix(r"\b"))


def _iana_names(norm: str) -> Iterator[str]:
    """``_IANA.findall(norm)`` lazily, with the leading word boundary tested here (a fast scan to each region word)."""
    pos = 0
    while True:
        m = _IANA_CORE.search(norm, pos)
        if m is None:
            return
        if m.start() == 0 or not (norm[m.start() - 1].isalnum() or norm[m.start() - 1] == "_"):
            yield m.group(1)
            pos = m.end()
        else:
            pos = m.start() + 1


def _tool_times(results: list[dict[str, Any]]) -> list[datetime]:
    out = []
    for r in results:
        vals = [r.get("first_response_due"), r.get("internal_due"), r.get("opened_at")]
        vals += [e.get("at") for key in ("updates", "escalation_triggers") for e in r.get(key) or []]
        for v in vals:
            if isinstance(v, str):
                try:
                    out.append(datetime.fromisoformat(v.replace("Z", "+00:00")))
                except ValueError:
                    continue
    return out


@cache
def _deadline_re() -> re.Pattern[str]:
    """Deadline words; Latin and Cyrillic ones must start a word ("sla" is not in "slack")."""
    words = sorted(set(_words("deadline_words")), key=len, reverse=True)
    cjk = [re.escape(w) for w in words if re.search(r"[\u3400-\u9fff]", w)]
    other = [re.escape(w) for w in words if not re.search(r"[\u3400-\u9fff]", w)]
    # (?<!\w)word written as word(?<!\wword): in one flat alternation every branch opens with a literal,
    # so the regex engine scans for those first letters instead of trying each position
    return re.compile("|".join([rf"{w}(?<!\w{w})" for w in other] + cjk))


@cache
def _commitment_re() -> re.Pattern[str]:
    """Words of what compute_sla_deadlines computes (grading.yaml ``commitment_words``)."""
    return word_pattern(_words("commitment_words"))


_CELL_BREAK = re.compile(r"[.!?](?:\s|$)|[;。；！？|·•]")
_TIME_RANGE = re.compile(r"\d{1,2}:\d{2}\s*(?:-|–|—|~|～|до|to)\s*\d{1,2}:\d{2}")


_LONG_WORD = re.compile(r"[^\W\d_]{5}")


def _commits(line: str, m: re.Match[str]) -> bool:
    """Does the clause around the time (between sentence and table-cell breaks) name a tool commitment?

    A commitment word before the time governs the first time after it and a list that continues it ("at-risk
    marks 01:10 and 01:25"), not a later time that other words introduce ("first response by 12:20, rollback
    decision by 13:00"; "next update 03:40 EST, after the 02:00 DST change"). A time in brackets ends its clause
    where they close before a comma ("(the peak starts 07:00), contract SLA at stake").
    """
    before = _CELL_BREAK.split(line[:m.start()])[-1]
    word = _last(_commitment_re(), before)
    if word is not None and _governs(before[word.end():]):
        return True
    after = _CELL_BREAK.split(line[m.end():], maxsplit=1)[0]
    inside, _, rest = after.partition(")")
    if before.count("(") > before.count(")") and rest.lstrip(" *_").startswith(","):
        after = inside  # "(… starts 07:00), contract SLA …": the bracket and a comma end the time's clause
    nxt = _TIME.search(after)
    if nxt is not None and _LETTER.search(after, 0, nxt.start()):
        # another item's time follows: words after it are its own ("call the CTO by 11:30 ⑤ 13:30 no response"),
        # and so is a commitment word a joiner ties to it ("case filed by 15:25, vendor response by 19:10"); a
        # deadline word that names this time stays ("19:45 为内部跟踪截止，18:15 / 18:30 提醒")
        head = after[:nxt.start()]
        tied = _last(_joiner_re(), head)  # a joiner right before the next time introduces it, with its clause
        if tied is not None and not head[tied.end():].strip(" *_"):
            head = head[:max(head.rfind(",", 0, tied.start()), head.rfind("、", 0, tied.start()), 0)]
        return _commitment_re().search(head) is not None or _deadline_re().search(head) is not None
    return _commitment_re().search(after) is not None


_LETTER = re.compile(r"[^\W\d_]")


def _governs(between: str) -> bool:
    """Does a commitment word still govern a time with ``between`` in front of it: no earlier time, or since the
    last one no new item (a word of five letters or more and a deadline joiner: ", rollback decision by")?"""
    last = _last(_TIME, between)
    if last is None:
        return True
    rest = between[last.end():]
    return _LONG_WORD.search(rest) is None or _joiner_re().search(rest) is None


@cache
def _joiner_re() -> re.Pattern[str]:
    """Words that introduce an item's own time (grading.yaml ``deadline_joiners``)."""
    return word_pattern(_words("deadline_joiners"))


@cache
def _clock_change_re() -> re.Pattern[str]:
    """Words of a clock change (grading.yaml ``clock_change_words``)."""
    return word_pattern(_words("clock_change_words"))


def _clock_change(line: str, m: re.Match[str]) -> bool:
    """Is the time the moment the clocks change ("clocks fall back at 2:00", "the 02:00 DST fallback")?"""
    return _clock_change_re().search(line[max(0, m.start() - 24):m.end() + 16]) is not None


def _last(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """The last match of ``pattern`` in ``text``: the nearest one before what follows the text."""
    found = None
    for found in pattern.finditer(text):  # noqa: B007 - the loop keeps the last match
        pass
    return found


def _in_range(line: str, m: re.Match[str]) -> bool:
    """Is the time one end of a window ("09:00-18:00" business hours, "16:45-16:55" for an action)?"""
    return any(r.start() <= m.start() < r.end() for r in _TIME_RANGE.finditer(line))


def _zone_after(line: str, end: int, own: Own = None) -> tuple[Any, str] | None:
    """The zone written right after one time ("02:35 北京时间 (= 18:35 utc)"): each time of a line in its own zone."""
    tail = line[end:end + 24].lstrip(" *_()（=")
    if not tail:
        return None
    found = _zone_in_norm(tail[:14], own)
    if found is None:
        return None
    return found if tail.startswith(found[1]) else None


_PAIRED = re.compile(r"\s*(?:/|[(（]=?)\s*\d{1,2}:\d{2}")  # "20:20 / 15:20 UTC", "18:05 (15:05 UTC)"


def _paired_zone(line: str, m: re.Match[str], own: Own, default: tuple[Any, str],
                 tool_zone: tuple[Any, str]) -> tuple[Any, str] | None:
    """The zone of the first time of a pair written "20:20 / 15:20 UTC": not the second time's zone, which the
    pair exists to differ from, but the answer's own (or the tool's) zone."""
    pair = _PAIRED.match(line, m.end())
    other = _zone_after(line, pair.end(), own) if pair else None
    if other is None:
        return None
    now = datetime.now(UTC)
    for zone in (default, tool_zone, (UTC, "utc")):  # "15:05 / 18:05 MSK" in a Moscow case: the first is UTC
        if zone[0] is not None and other[0] is not None and zone[0].utcoffset(now) != other[0].utcoffset(now):
            return zone
    return None


@cache
def _alias_re(own: Own = None) -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern for every time-zone alias (longest first), and the alias -> zone map.

    ``own`` adds the tool zone's own abbreviation as the name of that zone: "IST" in an answer about a Kolkata
    case is India time, "CST" about Chicago is Central time (the table reads it as China Standard Time).
    The pattern leaves out the "no letter before" condition; search it with ``_search_after_non_letter``.
    """
    aliases = dict(grading_config()["timezone_aliases"]) | (dict([own]) if own else {})
    alt = "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True))
    return re.compile(rf"(?:{alt})(?![a-zа-я])"), aliases


@cache
def _observation_words() -> tuple[tuple[str, ...], tuple[str, ...], Lexicon]:
    raw = grading_config()
    before = tuple(sorted({normalize(w) for ws in raw["observation_before"].values() for w in ws},
                          key=len, reverse=True))
    after = tuple(sorted({normalize(w) for ws in raw["observation_after"].values() for w in ws},
                         key=len, reverse=True))
    verbs = [w for ws in raw["observation_verbs"].values() for w in ws]
    past = [w for ws in raw["past_markers"].values() for w in ws]
    return before, after, Lexicon(verbs + past, prefix=False)


_DATE_TAIL = re.compile(r"\d{4}-\d{2}-\d{2}\s*$")
_CLAUSE_BREAK = re.compile(r"[.!?](?:\s|$)|[;。；！？，,]")
_TIMELINE = re.compile(r"^[\s>*+\-\d.)|]*?(?:\d{4}-\d{2}-\d{2}[ t])?\d{1,2}:\d{2}\S*\s*(?:\([^)]*\)\s*)?[-–—:：|]")


def _is_observation(line: str, m: re.Match[str], has_deadline_word: bool) -> bool:
    """A time the line presents as something seen or started, not as a deadline or escalation time."""
    before, after, verbs = _observation_words()
    window = line[max(0, m.start() - 25):m.start()]
    if _ends_with(window, before):
        return True
    if window.rstrip()[-1:].isdecimal() and _ends_with(_DATE_TAIL.sub("", window), before):
        return True  # "observed 2026-11-20 09:30": the date between the word and the time
    if has_deadline_word and _deadline_re().search(line, 0, m.start()):
        return False
    clause = _CLAUSE_BREAK.split(line[:m.start()])[-1]
    rest = _CLAUSE_BREAK.split(line[m.end():], maxsplit=1)[0]
    around = clause + " " + rest
    if verbs.holds(around, _WORDS.findall(around)) or _past_form(around):
        return True
    tail = line[m.end():m.end() + 8].lstrip(" )(utcmskгмт+0123456789:")
    if tail.startswith(after):
        return True
    return not has_deadline_word and bool(_TIMELINE.match(line)) and _TIMELINE.match(line).end() > m.start()


_WORDS = re.compile(r"\w+")
# Past-tense forms: English -ed verbs and Russian past verbs and short participles ("отправлено", "перезапустили").
_PAST_FORM = re.compile(r"(?=[a-zа-я])(?<![\w-])"
                        r"(?!(?:need|exceed|proceed|succeed|schedul|plann|expect|requir|speed|feed)ed\b)"
                        r"[a-z]{2,}ed(?![\w-])|(?<!\w)[а-я]{3,}(?:ли|лся|лись|лось|ено|ано|ято)(?!\w)")
_CLOCKISH = re.compile(r"\d[:：]\d")
_PAST_ENDINGS = ("ed", "ли", "лся", "лось", "ено", "ано", "ято")  # every _PAST_FORM match holds one


def _past_form(text: str) -> bool:
    """A past-tense form in ``text`` (the regex runs only when one of its endings is there)."""
    return any(e in text for e in _PAST_ENDINGS) and _PAST_FORM.search(text) is not None


def _presented_times(answer: str) -> list[tuple[str, re.Match[str], bool]]:
    """Every clock time in the answer that is not an observation: (normalised line, match, deadline word on it).

    Lines under a timeline heading ("Escalation timeline", "Хронология", "时间线") report past
    events: their times are checked only on a line that also holds a deadline word.
    """
    out = []
    timeline = False
    words = grading_config()["observation_verbs"]["timelines"]
    for line in _list_items(answer):
        if _HEADING_LINE.match(line):
            low = normalize(line)
            timeline = any(w in low for w in words)
        if not (":" in line or "：" in line) or not _CLOCKISH.search(line):
            continue
        # a circled number opens a list entry ("… 10:30 ④ call the CTO by 11:30"): it ends the entry before it,
        # as a semicolon would (NFKC would make it a plain digit)
        norm = normalize(_CIRCLED.sub("; ", line))
        has_word = bool(_deadline_re().search(norm))
        if timeline and not has_word and not _HEADING_LINE.match(line):
            continue
        for m in _TIME.finditer(norm):
            if not _is_observation(norm, m, has_word) and not _clock_change(norm, m):
                out.append((norm, m, has_word))
    return out


_CIRCLED = re.compile("[\u2460-\u2473\u2776-\u277f]")  # ①-⑳, ❶-❿
_LIST_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,2}[.)])\s")
_CONTINUATION = re.compile(r"^\s{2,}(?![-*+>|#]\s|\d{1,2}[.)]\s|[|>])\S")


def _list_items(answer: str) -> list[str]:
    """The answer's lines, with a list item's indented continuation lines joined to it ("- Response target: … The
    tool tracks our internal\n  target instead: 1 hour, 24x7 -> **00:50 SGT**" is one entry), so a time on a wrapped
    line keeps the words of its entry."""
    if "\n " not in answer:
        return answer.splitlines()
    out: list[str] = []
    in_item = False
    for line in answer.splitlines():
        if in_item and out and _CONTINUATION.match(line):
            out[-1] = f"{out[-1]} {line.strip()}"
            continue
        in_item = _LIST_ITEM.match(line) is not None
        out.append(line)
    return out
_HEADING_LINE = re.compile(r"^\s{0,3}(?:#{1,6}\s|\*\*|__|\d+[.)]\s+\*\*|[一二三四五六七八九十]+、)")


_SENTENCE_STOP = re.compile(r"[.!?](?=\s|$)|[。！？]")


def _through_sentence(line: str, end: int) -> str:
    """The line up to the end of the sentence a time ends in: a zone named in a later sentence ("the customer's
    server is still on UTC") is not that time's zone."""
    stop = _SENTENCE_STOP.search(line, end)
    return line if stop is None else line[:stop.end()]


@cache
def _months() -> dict[str, int]:
    """Each month name form (grading.yaml ``month_names``) and its month number."""
    return {normalize(form): n for n, forms in enumerate(grading_config()["month_names"], 1) for form in forms}


@cache
def _month_name() -> str:
    """An alternation of every month name form, longest first, followed by no letter."""
    return "(?:" + "|".join(re.escape(f) for f in sorted(_months(), key=lambda f: (-len(f), f))) + ")(?![a-zа-я])"


def _day_and_month(g: dict[str, str]) -> tuple[int, int]:
    """(day, month) from a date match's non-empty named groups: a day d1..d5 and a month name n2/n3 or a month
    number m1/m4/m5 (0 where none matched, which ``date`` refuses)."""
    name = g.get("n2") or g.get("n3")
    month = _months().get(name) if name else int(g.get("m1") or g.get("m4") or g.get("m5") or 0)
    day = int(g.get("d1") or g.get("d2") or g.get("d3") or g.get("d4") or g.get("d5") or 0)
    return day, month or 0


@cache
def _date_before() -> re.Pattern[str]:
    """A date written right before a time, in the forms answers use: 14.12(.2026), 30 Nov (2026), Dec 4(, 2026),
    12月14日, 12-14; then an optional bracketed weekday ("(周一)"), a Chinese day-part word and a joiner. Every
    quantifier is bounded: the pattern runs on the 40 characters before a time."""
    name = _month_name()
    return re.compile(
        r"(?<![\d.\-])(?:(?P<d1>\d{1,2})\.(?P<m1>\d{1,2})(?:\.(?P<y1>\d{4}|\d{2}))?"
        rf"|(?P<d2>\d{{1,2}}) (?P<n2>{name})\.?(?: (?P<y2>\d{{4}}))?"
        rf"|(?P<n3>{name})\.? (?P<d3>\d{{1,2}})(?:st|nd|rd|th)?(?:,? (?P<y3>\d{{4}}))?"
        r"|(?P<m4>\d{1,2})月(?P<d4>\d{1,2})[日号]|(?P<m5>\d{1,2})-(?P<d5>\d{1,2}))"
        r"(?: ?[(（][^()（）]{1,6}[)）])?[\u4e00-\u9fff]{0,4}[ ,*_]{0,4}(?:at|в|um)?[ *_]{0,3}$")


_DATE_AFTER = re.compile(r"^[ *_]{0,3}(?:[a-zа-я]{2,5}[ *_]{1,3})?(?P<d1>\d{1,2})\.(?P<m1>\d{1,2})"
                         r"(?:\.(?P<y1>\d{4}|\d{2}))?(?!\d|[.:]\d)")


def _stated_date(line: str, m: re.Match[str], opened: date | None) -> str | None:
    """The date the answer writes with a time (ISO with it, "14.12", "30 Nov", "12月14日" right before it, "04.11.2026"
    right after it), as YYYY-MM-DD; the year, when not written, is the opening's (or the next, for a date that
    would otherwise lie half a year back)."""
    if m.group(1):
        return m.group(1)
    found = (_date_before().search(line[max(0, m.start() - 40):m.start()])
             or _DATE_AFTER.match(line[m.end():m.end() + 24]))
    if found is None or opened is None:
        return None
    g = {k: v for k, v in found.groupdict().items() if v}
    day, month = _day_and_month(g)
    year = g.get("y1") or g.get("y2") or g.get("y3")
    try:
        when = date(int(year) + (2000 if len(year) == 2 else 0) if year else opened.year, month, day)
    except ValueError:
        return None
    if not year and (opened - when).days > 183:
        when = when.replace(year=when.year + 1)
    return when.isoformat()


def _local_stamps(pool: list[datetime], zone: Any) -> set[tuple[str, str]]:
    """(date, HH:MM) of each tool time in ``zone``."""
    out = set()
    for t in pool:
        local = t.astimezone(zone)
        day = local.date().isoformat() if local.year >= 1000 else local.strftime("%Y-%m-%d")
        out.add((day, f"{local.hour:02d}:{local.minute:02d}"))  # strftime's %H:%M, without its cost
    return out


@cache
def _day_parts() -> tuple[tuple[str, str], ...]:
    """(word, "am" or "pm") from grading.yaml ``day_parts``, longest first."""
    raw = grading_config()["day_parts"]
    pairs = {normalize(w): part for part in ("am", "pm") for ws in raw[part].values() for w in ws}
    return tuple(sorted(pairs.items(), key=lambda p: -len(p[0])))


def _meridiem(line: str, m: re.Match[str]) -> str | None:
    """The time's am/pm: written after it ("2:40 pm"), or a day-part word before it ("今晚 11:20") or after it
    ("11:20 вечера")."""
    if m.group(4) or int(m.group(2)) > 12:
        return m.group(4)
    before = line[max(0, m.start() - 8):m.start()].rstrip(" *_")
    after = line[m.end():m.end() + 10].lstrip(" *_")
    for word, part in _day_parts():
        if (before.endswith(word) and _CJK_RE.match(word)) or (
                after.startswith(word) and not after[len(word):len(word) + 1].isalpha()):
            return part
    return None


def _hour24(hour: int, meridiem: str | None) -> int:
    """12-hour clock to 24-hour: 2:40 pm -> 14, 12:10 am -> 0."""
    if not meridiem:
        return hour
    pm = meridiem.startswith("p")
    return (hour % 12) + (12 if pm else 0)


def check_deadlines(answer: str, transcript: Transcript) -> list[CheckResult]:
    """``_deadlines_against`` the tools' results, or, when those fail, against what the tools return for the
    answer's own level or the plan the incident names (``_alternatives``): either set of values grounds it."""
    out = _deadlines_against(answer, transcript)
    if not out or out[0].status == "pass":
        return out
    notes = []
    for alt, why, _level in _alternatives(answer, transcript):
        again = _deadlines_against(answer, alt)
        if again and again[0].status == "pass":
            return [again[0].model_copy(update={"detail": f"{again[0].detail} ({why})"})]
        if again:
            notes.append(f"{why}: {again[0].detail}")
    return [out[0].model_copy(update={"detail": "; ".join([out[0].detail, *notes])})] if notes else out


def _deadlines_against(answer: str, transcript: Transcript) -> list[CheckResult]:
    """Every time the answer presents as a deadline or an escalation time is one the SLA tool returned.

    Times the answer presents as observations ("as of 09:30", "since 09:20", a timeline entry) and
    times at or before the incident opened are not deadlines and are not checked.
    """
    results = [r for r in transcript.results_of("compute_sla_deadlines") if isinstance(r, dict)]
    times = _tool_times(results)
    if not results or not times:
        return []
    tz_name = results[-1].get("timezone") or "UTC"
    tool_zone = (_zone(tz_name), tz_name)
    opened = _parse(results[-1].get("opened_at"))
    own = _own_abbreviation(tool_zone, tz_name, opened)
    default = _zone_in_norm(normalize_cached(answer), own) or tool_zone
    # a first response may be the vendor's due or our tighter internal target's ("internal first response by 02:35")
    dues = [d for r in results for d in (_parse(r.get("first_response_due")), _parse(r.get("internal_due")))
            if d is not None]
    if not dues:
        return []
    due = _parse(results[-1].get("first_response_due")) or dues[-1]  # named when the answer states no deadline
    vendor_due = _vendor_plan_due(transcript, opened)
    sla_times = times  # named in a failure's detail: what compute_sla_deadlines returned
    moved = _holiday_mover(transcript, results)
    if moved is not None:  # a business clock counted across a public holiday of the zone's country: either day
        times = times + [m for t in times if (m := moved(t)) != t]
        dues = dues + [m for d in dues if (m := moved(d)) != d]
    plain = _plain_week_results(transcript)
    if plain:  # the zone's calendar was the tool's default, not asked for: a team that works the holiday counts it
        times = times + _tool_times(plain)
        dues = dues + [d for r in plain for d in (_parse(r.get("first_response_due")), _parse(r.get("internal_due")))
                       if d is not None]
    if vendor_due:
        dues, times = dues + vendor_due[:1], times + vendor_due
    tier_due = _stated_tier_due(answer, opened, min((int(r["target_minutes"]) for r in results
                                                     if isinstance(r.get("target_minutes"), int | float)), default=0))
    if tier_due:
        dues, times = dues + tier_due[:1], times + tier_due
    window = {b.strip() for r in results for b in str(r.get("business_hours") or "").split("-") if b.strip()}
    wrong, seen, unbound = [], [], []
    local: dict[tuple[Any, bool], set[tuple[str, str]]] = {}  # tool times in one zone, formatted once
    zones: dict[str, tuple[Any, str]] = {}  # a line with several times is searched for its zone once
    carried = _carried_first_response(answer)
    opened_at = f"{opened.astimezone(tool_zone[0]):%H:%M}" if opened is not None and tool_zone[0] is not None else ""
    title = _title_line(answer)
    first_update = min((t for r in results for u in r.get("updates") or [] if isinstance(u, dict)
                        and (t := _parse(u.get("at"))) is not None), default=None)
    for line, m, has_word in _presented_times(answer):
        first = _names_first_response(line, m) or ((line in carried or _first_response_after(line, m, opened_at))
                                                   and _bare_deadline_names(line, m))
        if first and _PERCENT_MARK.search(line[max(0, m.start() - 14):m.start()]):
            first = False  # "первый ответ: 240 мин — 50 % в 16:30": a mark of the first response, not its due
        if _in_range(line, m) or not (first or _commits(line, m)):
            if has_word and not _in_range(line, m) and _names_a_deadline(line):
                unbound.append((line, m))
            continue  # a window, or a time the team sets itself: not a tool deadline
        z, zname, stamp, day = _read_time(line, m, own, (default, tool_zone), zones, opened)
        allowed = local.get((z, first))
        if allowed is None:
            allowed = local[(z, first)] = _local_stamps(dues if first else times, z)
        ok = any(a[1] == stamp and (not day or a[0] == day) for a in allowed)
        if not ok and not first and z == tool_zone[0] and stamp in window and _window_words_re().search(line):
            ok = True  # "the business window opens at 09:00": the tool's own business hours, not a deadline
        # history by the ISO date the time carries, or by the clock alone: a written "12-08" or "21.11" only rejects a
        # tool time on another day ("Monday 15 December, 10:50" for the 14th's 10:50), so a team's own next-morning
        # action ("12-08 09:30") stays out of the check
        if not ok and not first and first_update is not None and opened is not None and _sooner_update(line, m):
            at = _instant(stamp, day, z, opened)
            ok = at is not None and opened < at <= first_update  # an update held sooner than the tool's first one
        if not ok and not first and line == title and opened is not None and _title_stamp(line, m):
            at = _instant(stamp, day, z, opened)
            if at is not None and opened <= at <= due:
                continue  # "升级通报（10-01 00:05 北京时间）": when the message was written, not a deadline
        wrong_day = not ok and day is not None and any(a[1] == stamp for a in allowed)  # a tool clock, other day
        if not ok and not first and not wrong_day and opened is not None and _history(m.group(1), stamp, opened, z):
            continue  # up to half a day before the opening: history (a timeline entry), not a deadline
        (seen if ok else wrong).append(f"{m.group(0).strip()} ({zname})")
    if not wrong and not seen:
        seen = _stated_due(unbound, dues, own, (default, tool_zone), zones, opened)
    off_target = _off_target_durations(answer, transcript, results, opened) or _off_tier_figures(answer)
    off_cadence = _off_cadences(answer, results)
    if off_cadence and not off_target:
        want = "; ".join(f"{k}: {', '.join(sorted(v))}" for k, v in sorted(_tool_cadences(results)[1].items()))
        return [CheckResult(id="deadline", kind="grounding", status="fail", evidence="; ".join(off_cadence),
                            detail=f"stated update cadence(s) {', '.join(off_cadence)} match no cadence the SLA tool "
                                   f"returned for that stream ({want})")]
    if off_target:
        want = ", ".join(f"{n} min" for n in sorted(_target_minutes(transcript, results)))
        return [CheckResult(id="deadline", kind="grounding", status="fail", evidence="; ".join(off_target),
                            detail=f"stated response target(s) {', '.join(off_target)} match no target the tools "
                                   f"returned ({want or 'none'})")]
    if not wrong and not seen:
        return [CheckResult(id="deadline", kind="grounding", status="fail",
                            detail=f"the answer states no deadline time; the first response is due "
                                   f"{due.astimezone(default[0]):%Y-%m-%d %H:%M} ({default[1]})")]
    if wrong:
        want = ", ".join(sorted({t.astimezone(default[0]).strftime('%H:%M') for t in sla_times}))
        return [CheckResult(id="deadline", kind="grounding", status="fail", evidence="; ".join(wrong),
                            detail=f"stated time(s) {', '.join(wrong)} match no time compute_sla_deadlines "
                                   f"returned (in {default[1]}: {want})")]
    return [CheckResult(id="deadline", kind="grounding", status="pass", evidence="; ".join(seen),
                        detail=f"{len(seen)} stated deadline time(s) match the SLA tool")]


# A percent mark right before a time: "50 % в 16:30", "75% at 17:30", "用掉 50% 于 15:15".
_PERCENT_MARK = re.compile(r"\d{1,3}[ ]?%[ *_]{0,2}(?:в|at|на|于|[:：—–-])?[ *_]{0,2}$")
# Nothing but a zone and closing brackets or markup after a time, up to the end of the line or of its sentence: the
# stamp of a title line.
_TITLE_STAMP = re.compile(r"[ *_]*(?:[a-zа-я\u3400-\u9fff]{1,6}[ *_]*)?[)）\]】]?[ *_]*(?:[.。:：](?:\s|$)|$)")
# What sets a stamp apart in a title: an opening bracket or a dash before the time.
_TITLE_OPEN = re.compile(r"[(（\[【]|\s[—–-]\s")


def _title_stamp(line: str, m: re.Match[str]) -> bool:
    """Does the time close the title line after an opening bracket or a dash, with no deadline word between them
    ("升级通报（10-01 00:05 北京时间）", "… — 2026-10-01 20:40", "(02.01.2027, 03:15 МСК).")?"""
    if not _TITLE_STAMP.match(line, m.end()):
        return False
    opens = list(_TITLE_OPEN.finditer(line, max(0, m.start() - 30), m.start()))
    return bool(opens) and _deadline_re().search(line, opens[-1].end(), m.start()) is None


def _title_line(answer: str) -> str | None:
    """The answer's first non-empty line, normalised as ``_presented_times`` gives lines."""
    line = next((x for x in answer.splitlines() if x.strip()), None)
    return None if line is None else normalize(_CIRCLED.sub("; ", line))


def _instant(stamp: str, day: str | None, zone: Any, opened: datetime) -> datetime | None:
    """A stated HH:MM (and its date, if written) in ``zone`` as an instant; with no date, the first such time at or
    after the opening."""
    if zone is None:
        return None
    try:
        hour, minute = (int(x) for x in stamp.split(":"))
        base = date.fromisoformat(day) if day and len(day) == 10 else opened.astimezone(zone).date()
    except ValueError:
        return None
    at = datetime(base.year, base.month, base.day, hour, minute, tzinfo=zone)
    if not day and at < opened:
        at += timedelta(days=1)
    return at


@cache
def _sooner_update_words() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Update words (grading.yaml ``cadence_reading.update``), the words that make a clause about the response or its
    breach (response, first-response and breach words), and the audiences of a sooner update (``cadence_reading``'s
    customer words and ``war_room_words``)."""
    raw = grading_config()
    update = word_pattern([w for ws in raw["cadence_reading"]["update"].values() for w in ws])
    other = [w for ws in raw["response_target_reading"]["response"].values() for w in ws]
    other += _words("first_response_words") + _words("breach_words")
    audience = [w for ws in raw["cadence_reading"]["customer"].values() for w in ws] + _words("war_room_words")
    return update, word_pattern(other), word_pattern(audience)


_QUOTED = re.compile(r"^\s*>|«[^»]*$")  # a quoted message: a "> " line, or inside «…» before the time


def _sooner_update(line: str, m: re.Match[str]) -> bool:
    """Is the time the next update the team gives the customer or holds in its war room ("> … **Next update: 09:20
    CEST**", "Обновление клиенту | … | 14:00", "作战室 … 下次更新 22:00"), in a clause about an update and not about
    the response or its breach? Such a time before the tool's first update keeps a tighter cadence than the tool's
    minimum; an internal or business stream's other time ("内部 … 下次更新 15:50") is still the tool's to set."""
    update, other, audience = _sooner_update_words()
    before = _CELL_BREAK.split(line[:m.start()])[-1]
    after = _CELL_BREAK.split(line[m.end():], maxsplit=1)[0]
    clause = before[-60:] + " " + after[:30]
    if update.search(clause) is None or other.search(clause) is not None:
        return False
    return (audience.search(clause) is not None or _QUOTED.search(line[:m.start()]) is not None
            or audience.search(line[:m.start()].strip(" |*_").split("|", 1)[0]) is not None)


def _holiday_mover(transcript: Transcript, results: list[dict[str, Any]]) -> Callable[[datetime], datetime] | None:
    """When the SLA tool counted business hours with no holiday calendar (it says public holidays were not
    skipped), a time it gives on a public holiday of the zone's country also falls on the next working day at the
    same clock: the due an answer that skips the holiday states ("Thanksgiving skipped → Fri 27 Nov 09:45 ET").
    Whether the team works the holiday is the answer's call, so the tool's own day stays right too."""
    last = results[-1]
    if "business" not in (last.get("clock"), last.get("internal_clock")) or last.get("calendar"):
        return None  # a 24x7 clock, or the tool counted with a calendar (named or the zone's): nothing to move
    if any(isinstance(c.input, dict) and c.input.get("calendar")
           for c in transcript.tool_calls if c.name == "compute_sla_deadlines"):
        return None
    zone, country = _zone(str(last.get("timezone") or "")), zone_country(str(last.get("timezone") or ""))
    if zone is None or country is None:
        return None
    try:
        from escalation_kit.sla.business_time import load_calendar

        calendar = load_calendar(country)
    except Exception:  # no calendar for that country: nothing is moved
        return None

    def move(t: datetime) -> datetime:
        local = t.astimezone(zone)
        day = local.date()
        if day not in calendar or day.weekday() >= 5:
            return t
        while day in calendar or day.weekday() >= 5:
            day += timedelta(days=1)
        return local.replace(year=day.year, month=day.month, day=day.day)

    return move


def _plain_week_results(transcript: Transcript) -> list[dict[str, Any]]:
    """The SLA tool's answer on the plain Monday-Friday week, for each call whose holiday calendar the tool took from
    the zone (the call named none, the result names one). The mirror of ``_holiday_mover``: whether the team works
    the zone's public holiday is the answer's call, and both days are what the tool computes for the same facts."""
    out = []
    for call in transcript.tool_calls:
        if (call.name != "compute_sla_deadlines" or call.is_error or not isinstance(call.result, dict)
                or not call.result.get("calendar") or call.input.get("calendar")
                or isinstance(call.input.get("target"), dict) and call.input["target"].get("calendar")):
            continue
        plain = _plain_week(json.dumps(call.input, sort_keys=True, default=str))
        if plain is not None:
            out.append(plain)
    return out


@lru_cache(maxsize=512)
def _plain_week(arguments: str) -> dict[str, Any] | None:
    """compute_sla_deadlines on the call's arguments with calendar='none', as its JSON result (cached: the answers
    to one case share their transcript's calls)."""
    import inspect

    from escalation_kit.sla import compute_sla_deadlines

    takes = inspect.signature(compute_sla_deadlines).parameters  # the tool's own arguments (detail) are not the core's
    given = {k: v for k, v in json.loads(arguments).items() if k in takes}
    try:
        return compute_sla_deadlines(**{**given, "calendar": "none"}).model_dump(mode="json")
    except Exception:  # arguments this engine no longer takes: no alternative
        return None


def _answer_level(answer: str, transcript: Transcript) -> str | None:
    """The answer's own P-level when it moves classify_severity's for a reason check_severity accepts."""
    results = transcript.results_of("classify_severity")
    tool = results[-1].get("severity") if results and isinstance(results[-1], dict) else None
    got = assigned_level(answer, vendor_has_p_codes(transcript))
    if tool is None or got is None or got[0] == tool or not _explained_override(answer, tool, got[0]):
        return None
    return got[0]


@cache
def _plan_words_re() -> re.Pattern[str]:
    """Words that make a plan's name in the incident the account's support plan (grading.yaml ``plan_words``)."""
    return word_pattern(_words("plan_words"))


@lru_cache(maxsize=64)
def _plan_names(vendor: str) -> tuple[tuple[str, str], ...]:
    """(name as text may write it, plan id) for each plan of the vendor: the catalog's name without its bracketed
    gloss, its aliases of four letters or more (hyphens as spaces), and its display names in en/ru/zh."""
    from escalation_kit.briefs.names import names_data
    from escalation_kit.vendors.catalog import load_catalog
    from escalation_kit.vocab import LANGS

    spec = load_catalog().get(vendor)
    shown = (names_data()["vendors"].get(vendor) or {}).get("plans") or {}
    out = []
    for p in spec.plans if spec else []:
        names = [re.sub(r"\s*[(（].*$", "", p.name), *(a.replace("-", " ") for a in p.aliases)]
        names += [str(v) for k, v in (shown.get(p.id) or {}).items() if k in LANGS]
        for n in names:
            n = normalize(n).strip()
            if len(n) >= 4 or _CJK_RE.search(n) and len(n) >= 2:
                out.append((n, p.id))
    return tuple(sorted(set(out), key=lambda t: -len(t[0])))


def _stated_plan(transcript: Transcript, vendor: str) -> str | None:
    """The one support plan of the vendor the incident names as the account's ("We are on Premium Support",
    "我们是企业版支持", "Тариф Developer"): a plan's name with a plan word in it or within a few words of it."""
    text = _incident_text(transcript)
    found = set()
    taken: list[tuple[int, int]] = []
    for name, plan in _plan_names(vendor):
        for start in _occurrences(name, text, whole_word=not _CJK_RE.search(name)):
            end = start + len(name)
            if any(a < end and start < b for a, b in taken):
                continue
            taken.append((start, end))
            if _plan_words_re().search(text[max(0, start - 25):end + 25]):
                found.add(plan)
    return found.pop() if len(found) == 1 else None


def _alternatives(answer: str, transcript: Transcript) -> list[tuple[Transcript, str, str | None]]:
    """The transcript as the tools would have answered a model that re-called them with the answer's own level
    (an override check_severity accepts) and/or with the support plan the incident names where the tool assumed
    one: the SLA and vendor-path calls' recorded arguments with severity (and plan) replaced, their results recomputed
    by the project's engines. Each with a note of what changed and the level it was recomputed for (None: the tool's
    level)."""
    level = _answer_level(answer, transcript)
    paths = [c for c in transcript.tool_calls if c.name == "pick_vendor_support_path" and not c.is_error
             and isinstance(c.result, dict)]
    plan = None
    if paths and paths[-1].result.get("plan_assumed") and not paths[-1].input.get("plan"):
        plan = _stated_plan(transcript, str(paths[-1].result.get("vendor") or paths[-1].input.get("vendor") or ""))
        if plan == paths[-1].result.get("plan"):
            plan = None
    options = [(level, None)] if level else []
    if plan:
        options += [(None, plan)] + ([(level, plan)] if level else [])
    if options and not _engines_reproduce(transcript):
        return []  # the engines have changed since the transcript was recorded: their other answers prove nothing
    out = []
    for lv, pl in options:
        calls = []
        for c in transcript.tool_calls:
            if c.name in ("compute_sla_deadlines", "pick_vendor_support_path") and not c.is_error \
                    and isinstance(c.result, dict) and isinstance(c.input, dict):
                given = dict(c.input)
                if lv:
                    given["severity"] = lv
                if pl and given.get("vendor") and not given.get("plan") and not given.get("policy"):
                    given["plan"] = pl
                if given != c.input:
                    result = _recompute(c.name, json.dumps(given, sort_keys=True, default=str))
                    if result is None:
                        break
                    c = c.model_copy(update={"input": given, "result": result})
            calls.append(c)
        else:
            why = " and ".join(x for x in (lv and f"the answer's level {lv}", pl and f"the incident's plan {pl}") if x)
            out.append((transcript.model_copy(update={"tool_calls": calls}), f"as the tools return it for {why}", lv))
    return out


_REPRODUCED = {"compute_sla_deadlines": ("first_response_due", "internal_due"),
               "pick_vendor_support_path": ("plan", "case_severity")}


def _engines_reproduce(transcript: Transcript) -> bool:
    """Do the engines still return, on each recorded SLA and vendor-path call's own arguments, the deadlines and the
    case severity the transcript recorded?"""
    for c in transcript.tool_calls:
        if c.name in _REPRODUCED and not c.is_error and isinstance(c.result, dict) and isinstance(c.input, dict):
            again = _recompute(c.name, json.dumps(c.input, sort_keys=True, default=str))
            if again is None or any(_same_key(again.get(k)) != _same_key(c.result.get(k)) for k in _REPRODUCED[c.name]):
                return False
    return True


def _same_key(value: Any) -> Any:
    """What must match between a recorded and a recomputed field: a case severity by its name, an instant as one."""
    if isinstance(value, dict):
        return value.get("name")
    parsed = _parse(value) if isinstance(value, str) else None
    return parsed or value


@lru_cache(maxsize=512)
def _recompute(tool: str, arguments: str) -> dict[str, Any] | None:
    """compute_sla_deadlines or pick_vendor_support_path on the given arguments, as its JSON result (None when the
    engine rejects them)."""
    import inspect

    from escalation_kit.sla.clock import compute_sla_deadlines
    from escalation_kit.vendors.path import pick_vendor_support_path

    engine: Any = compute_sla_deadlines if tool == "compute_sla_deadlines" else pick_vendor_support_path
    takes = inspect.signature(engine).parameters
    given = {k: v for k, v in json.loads(arguments).items() if k in takes}
    try:
        return engine(**given).model_dump(mode="json")
    except Exception:  # arguments this engine does not take
        return None


def _vendor_plan_due(transcript: Transcript, opened: datetime | None) -> list[datetime]:
    """The first response by the response figure of the vendor case level the tool picked, on a clock that is not
    business hours, then its 50% and 75% marks: an answer may track the vendor's own target ("Normal: 240 minutes,
    due 14:20") where the SLA tool counted another."""
    if opened is None:
        return []
    paths = [r for r in transcript.results_of("pick_vendor_support_path") if isinstance(r, dict)]
    case = paths[-1].get("case_severity") if paths else None
    minutes = case.get("response_minutes") if isinstance(case, dict) else None
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 < minutes <= 7 * 24 * 60:
        return []
    if str(case.get("clock") or "").lower() == "business":
        return []
    return [opened + timedelta(minutes=minutes * share) for share in (1, 0.5, 0.75)]


# A support tier as answers name one: "Tier 3", "tier 4", "уровень 3", "3-й уровень", "四级", "三线".
_TIER = re.compile(r"(?<![a-z0-9])(?:tier|уровень|уровня|тир)[ ]?([1-4])(?!\d)|(?<!\d)([1-4])(?:-?й|-го)? уров"
                   r"|([1-4一二三四])(?:级|线)")
_CJK_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}


def _tier_minutes_stated(line: str) -> list[int]:
    """Response minutes of the routing tiers a line names together with that tier's own figure ("Tier 3, response
    target 60 min", "四级，30 分钟"), in the order the tiers are named: a tier named without its figure gives
    nothing."""
    from escalation_kit.routing.policy import load_routing_policy

    tiers = load_routing_policy()["tiers"]
    figures = set()
    for d in _DURATION.finditer(line):
        scale = 1 if d.group(3).startswith(("min", "мин", "分")) else 60
        figures.add(round((int(d.group(1)) + int(d.group(2) or 0) / 10) * scale))
    out = []
    for m in _TIER.finditer(line):
        raw = next(g for g in m.groups() if g)
        minutes = (tiers.get(_CJK_DIGITS.get(raw) or int(raw)) or {}).get("minutes")
        if isinstance(minutes, int) and minutes in figures:
            out.append(minutes)
    return out


# A support tier, then in the same sentence a response word, then the first duration after it: "Tier 2 — complex
# technical, response target 4 h", "tier 4) — бизнес-критичный, время реакции 30 минут". Not "уровень N": in Russian
# answers that is as often an executive level ("Уровень 2 — руководитель поддержки (реакция в течение 1 ч)").
_TIER_TARGET = re.compile(r"tier[ ]?([1-4])(?!\d)[^.;!?\n]{0,60}?(?:response|реакци|响应)[^.;!?\n\d]{0,25}"
                          r"(\d{1,3})[ \-]?(minutes?|mins?|min|hours?|h|минут[аы]?|мин|час(?:а|ов)?|ч|分钟|小时)"
                          r"(?![a-zа-я])")


def _off_tier_figures(answer: str) -> list[str]:
    """A response target the answer gives a routing tier that is another tier's ("**Tier 2 — complex technical,
    response target 4 h.**": tier 2 is 120 minutes, 4 h is tier 1's), by routing.yaml's tier figures."""
    norm = normalize_cached(answer)
    if _TIER.search(norm) is None:
        return []
    from escalation_kit.routing.policy import load_routing_policy

    tiers, out = load_routing_policy()["tiers"], []
    for m in _TIER_TARGET.finditer(norm):
        want = (tiers.get(int(m.group(1))) or {}).get("minutes")
        minutes = int(m.group(2)) * (1 if m.group(3).startswith(("min", "мин", "分")) else 60)
        if isinstance(want, int) and minutes != want:
            out.append(m.group(0)[-40:].strip())
    return out


def _stated_tier_due(answer: str, opened: datetime | None, tool_minutes: int) -> list[datetime]:
    """The first response by the routing tier the answer names first with its figure, when that target is tighter
    than the SLA tool's (``tool_minutes``): the skill's tier model moves the tier up for aggravating factors, which
    the SLA tool's call may not have counted ("Tier 3, response target 60 min ... response due 07:45, reminders 07:15
    (50 %), 07:30 (75 %)"); then its 50% and 75% marks. A looser tier than the tool's misses the tool's deadline and
    gives nothing."""
    if opened is None or _TIER.search(normalize_cached(answer)) is None:
        return []
    for line in answer.splitlines():
        low = normalize(line)
        named = _tier_minutes_stated(low) if _TIER.search(low) else []
        if named:
            if named[0] >= tool_minutes:
                return []
            return [opened + timedelta(minutes=named[0] * share) for share in (1, 0.5, 0.75)]
    return []


# A cadence as answers write one: "every 2-4 hours", "каждые 4 часа", "раз в день", "每 2–4 小时", "daily". Each branch
# opens with a literal and every repeat is bounded.
_CADENCE = re.compile(
    r"(?:every|каждые|каждый|каждую|раз в|每)[ *_]{0,3}(?:(\d{1,3})(?:[ ]{0,2}[-–~～][ ]{0,2}(\d{1,3}))?[ *_]{0,3})?"
    r"(?:(?:business|working|рабочих|рабочий|个工作|个)[ ]{0,2})?"
    r"(hours?|hrs?|minutes?|mins?|days?|час(?:а|ов)?|минут[уы]?|мин|дн(?:я|ей)|день|小时|分钟|天|日)(?![a-zа-я])"
    r"|(daily|hourly|ежедневн[а-я]{0,3}|ежечасн[а-я]{0,3}|每天|每日|每小时)")
_CADENCE_UNIT = {"h": 60, "m": 1, "d": 1440, "ч": 60, "д": 1440, "小": 60, "分": 1, "天": 1440, "日": 1440}
_CADENCE_WORD = {"daily": 1440, "hourly": 60, "еж": 0, "每天": 1440, "每日": 1440, "每小时": 60}
_CADENCE_CLAUSE = re.compile(r"[.!?](?:\s|$)|[;。；！？\n]")


def _cadence_minutes(m: re.Match[str]) -> tuple[int, int] | None:
    """(shortest, longest) minutes of one stated cadence."""
    if m.group(4):
        word = m.group(4)
        if word.startswith("ежедневн"):
            return 1440, 1440
        if word.startswith("ежечасн"):
            return 60, 60
        n = _CADENCE_WORD.get(word)
        return (n, n) if n else None
    unit = _CADENCE_UNIT.get(m.group(3)[:1])
    if unit is None:
        return None
    lo = int(m.group(1) or 1)
    hi = int(m.group(2) or lo)
    return lo * unit, hi * unit


_TOOL_CADENCE = re.compile(r"(every (\d{1,3})(?:-(\d{1,3}))? (hours?|business days?|days?|minutes?)|daily)")


def _tool_cadences(results: list[dict[str, Any]]) -> tuple[dict[str, set[tuple[int, int]]], dict[str, set[str]]]:
    """stream (customer, internal) -> the cadences compute_sla_deadlines returned, as minute ranges and as written."""
    spans: dict[str, set[tuple[int, int]]] = {}
    written: dict[str, set[str]] = {}
    for r in results:
        for u in r.get("updates") or []:
            kind = str(u.get("kind") or "").removesuffix("_update") if isinstance(u, dict) else ""
            m = _TOOL_CADENCE.search(str(u.get("label") or "")) if kind in ("customer", "internal") else None
            if m is None:
                continue
            if m.group(1) == "daily":
                span = (1440, 1440)
            else:
                unit = {"h": 60, "b": 1440, "d": 1440, "m": 1}[m.group(4)[0]]
                span = (int(m.group(2)) * unit, int(m.group(3) or m.group(2)) * unit)
            spans.setdefault(kind, set()).add(span)
            written.setdefault(kind, set()).add(m.group(1))
    return spans, written


@cache
def _cadence_words() -> dict[str, re.Pattern[str]]:
    raw = grading_config()["cadence_reading"]
    return {key: word_pattern([w for ws in raw[key].values() for w in ws]) for key in raw}


def _off_cadences(answer: str, results: list[dict[str, Any]]) -> list[str]:
    """Update cadences the answer states for the customer or internal stream that leave longer gaps than the
    longest interval compute_sla_deadlines returned for that stream (another level's cadence)."""
    spans, _ = _tool_cadences(results)
    norm = normalize_cached(answer)
    if not spans or _CADENCE.search(norm) is None:
        return []
    words, out = _cadence_words(), []
    for clause in _CADENCE_CLAUSE.split(norm):
        found = list(_CADENCE.finditer(clause))
        if not found or not words["update"].search(clause) or words["skip"].search(clause):
            continue
        for m in found:
            # the stream is named before the cadence in its own part of the clause ("внутреннее обновление
            # ежедневно, пользователям — раз в 1–2 рабочих дня": the second cadence names no stream)
            head = clause[max(clause.rfind(c, 0, m.start()) for c in ",;(—") + 1:m.start()]
            streams = [k for k in ("customer", "internal") if words[k].search(head)]
            if len(streams) != 1 or streams[0] not in spans:
                continue  # no stream named, or both: not read
            # more often than the tool's cadence keeps it; less often ("every 4-8 hours" for 2-4) does not
            stated = _cadence_minutes(m)
            if stated is not None and stated[1] > max(hi for _, hi in spans[streams[0]]):
                out.append(f"{m.group(0).strip()} ({streams[0]})")
    return out


# A duration as answers write one: "15-minute", "30 min", "2 business hours", "1.5 h", "30 分钟", "4 个工作小时",
# "4 часа".
# Every quantifier is bounded and each part opens with a different class: no backtracking worth the name on long lines;
# the first digit comes before its look-behind, so the engine scans to digits.
_DURATION = re.compile(r"(\d(?<![\d.:]\d)\d{0,3})(?:[.,](\d))?[ \-*_]{0,3}"
                       r"(?:(?:business|working|рабочих|рабочие|рабочего|个工作|个|工作)[ \-]{0,2})?"
                       r"(minutes?|mins?|hours?|hrs?|h|минут[аы]?|мин|час(?:а|ов)?|ч|分钟|小时)(?![a-zа-я])")
# one character class first (the engine scans to candidates), then: a full stop only before a space or the end
_TARGET_CLAUSE = re.compile(r"[.!?;,()|\n。；！？，（）](?:(?<=[.!?])(?=\s|$)|(?<![.!?]))")


@cache
def _response_reading() -> dict[str, re.Pattern[str]]:
    """grading.yaml ``response_target_reading``: response words, no-response words, time-left/used words."""
    raw = grading_config()["response_target_reading"]
    return {key: word_pattern([w for ws in raw[key].values() for w in ws]) for key in raw}


def _target_minutes(transcript: Transcript, results: list[dict[str, Any]]) -> set[int]:
    """The response targets the tools returned or could return, in minutes: the SLA's and internal target, each
    level's figure in the vendor plan the tool assumed, and routing.yaml's tiers and executive levels."""
    out = {r.get(k) for r in results for k in ("target_minutes", "internal_target_minutes")}
    for r in results:  # the due's distance from the opening: the target on a 24x7 clock, however it was returned
        opened = _parse(r.get("opened_at"))
        for key in ("first_response_due", "internal_due"):
            due = _parse(r.get(key))
            out.add(round((due - opened).total_seconds() / 60) if due and opened else None)
    for r in transcript.results_of("pick_vendor_support_path"):
        if isinstance(r, dict):
            case = r.get("case_severity")
            out.add(case.get("response_minutes") if isinstance(case, dict) else None)
            out |= set(_plan_figures(str(r.get("vendor") or ""), str(r.get("plan") or "")))
    return {int(v) for v in out if isinstance(v, int | float) and v > 0} | _policy_figures()


@lru_cache(maxsize=64)
def _plan_figures(vendor: str, plan: str) -> tuple[int, ...]:
    """Every level's response minutes in one vendor plan of the catalog (none when either is unknown)."""
    from escalation_kit.vendors.catalog import load_catalog

    spec = load_catalog().get(vendor)
    found = next((p for p in spec.plans if p.id == plan), None) if spec else None
    return tuple(s.response_minutes for s in found.severities if s.response_minutes) if found else ()


@cache
def _policy_figures() -> frozenset[int]:
    """The response minutes of routing.yaml's support tiers and executive levels (the skills' tier tables)."""
    from escalation_kit.routing.policy import load_routing_policy

    pol = load_routing_policy()
    found = [t.get("minutes") for t in pol["tiers"].values()]
    found += [e.get("response_minutes") for e in pol["executive_levels"].values()]
    return frozenset(int(v) for v in found if isinstance(v, int) and v > 0)


def _off_target_durations(answer: str, transcript: Transcript, results: list[dict[str, Any]],
                          opened: datetime | None) -> list[str]:
    """Durations the answer states as a response target ("a 15-minute first response") that are no target the tools
    returned; one in a clause about no response ("no reply in 2 hours: call the TAM") may be any tool time's distance
    from the opening (an escalation trigger). Clauses about time left or used, or a condition, are not checked."""
    norm = normalize_cached(answer)
    words = _response_reading()
    targets: set[int] | None = None
    offsets: set[int] | None = None
    out: list[str] = []
    durations = list(_DURATION.finditer(norm))
    if not durations:
        return out
    breaks = [(b.start(), b.end()) for b in _TARGET_CLAUSE.finditer(norm)]  # one pass; each duration bisects it
    starts = [b[0] for b in breaks]
    for d in durations:  # only the clauses that hold a duration
        k = bisect_left(starts, d.start())
        clause = norm[breaks[k - 1][1] if k else 0:starts[k] if k < len(starts) else len(norm)]
        if d.end() > len(clause) + (breaks[k - 1][1] if k else 0):
            continue  # a duration cut by a break ("15,\n min") is no duration of one clause
        if not words["response"].search(clause) or words["not_target"].search(clause):
            continue
        no_reply = words["trigger"].search(clause) is not None
        if not no_reply and _hypothetical_re().search(clause):
            continue  # "if it were Critical, 15 minutes": a condition, not what the answer states
        if targets is None:
            targets = _target_minutes(transcript, results)
        if no_reply and offsets is None:
            offsets = targets | ({round((t - opened).total_seconds() / 60) for t in _tool_times(results)}
                                 if opened is not None else set())
        unit = d.group(3)
        scale = 1 if unit.startswith(("min", "мин", "分")) else 60
        minutes = round((int(d.group(1)) + int(d.group(2) or 0) / 10) * scale)
        if minutes not in (offsets if no_reply and offsets is not None else targets):
            out.append(d.group(0).strip())
    return out


def _read_time(line: str, m: re.Match[str], own: Own, zones_known: tuple[tuple[Any, str], tuple[Any, str]],
               zones: dict[str, tuple[Any, str]], opened: datetime | None) -> tuple[Any, str, str, str | None]:
    """One stated time as (zone, zone name, HH:MM on the 24-hour clock, date written with it or None)."""
    default, tool_zone = zones_known
    upto = _through_sentence(line, m.end())
    if upto not in zones:
        zones[upto] = _zone_in(upto, own) or default
    z, zname = _zone_after(line, m.end(), own) or _paired_zone(line, m, own, default, tool_zone) or zones[upto]
    if m.group(5):
        off = m.group(5)
        z = UTC if off == "z" else timezone(
            (1 if off[0] == "+" else -1) * timedelta(hours=int(off[1:3]), minutes=int(off[-2:])))
    stamp = f"{_hour24(int(m.group(2)), _meridiem(line, m)):02d}:{m.group(3)}"
    return z, zname, stamp, _stated_date(line, m, opened.astimezone(z).date() if opened is not None else None)


def _names_a_deadline(line: str) -> bool:
    """Does the line hold a deadline word beyond a bare joiner ("SLA", "срок", "截止"; not just "до 10:30")?"""
    joiners = {normalize(w) for w in _words("deadline_joiners")}
    return any(w.group(0).strip() not in joiners for w in _deadline_re().finditer(line))


def _stated_due(unbound: list[tuple[str, re.Match[str]]], dues: list[datetime], own: Own,
                zones_known: tuple[tuple[Any, str], tuple[Any, str]], zones: dict[str, tuple[Any, str]],
                opened: datetime | None) -> list[str]:
    """With no commitment word to bind it, a time on a deadline line that is exactly the first response due (its
    clock and any date written with it) is the answer stating it ("SLA: … internal — Mon 14.12 10:50")."""
    for line, m in unbound:
        z, zname, stamp, day = _read_time(line, m, own, zones_known, zones, opened)
        if any(a[1] == stamp and (not day or a[0] == day) for a in _local_stamps(dues, z)):
            return [f"{m.group(0).strip()} ({zname})"]
    return []


@cache
def _first_response_re() -> re.Pattern[str]:
    """Words that say the time on the line is the first-response deadline itself."""
    words = sorted({normalize(w) for ws in grading_config()["first_response_words"].values() for w in ws},
                   key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words))


_PAIR_GAP = re.compile(r"[ *_]{0,3}(?:[a-zа-я]{2,6}|\([^()]{1,30}\))?[ *_]{0,3}(?:/|[(（]=?)[ *_]{0,3}$")


# A note in brackets right after the time, its zone between: "by 10:10 UTC (first-response deadline)".
_NOTE_AFTER = re.compile(r"[ *_]*(?:[a-zа-я+\-\d:]{1,9}[ *_]*)?[(（]([^()（）]{1,40})[)）]")


# A sentence end or a semicolon (written with or without a space after: NFKC turns "；" into ";") ends the pairing.
_PAIR_BREAK = re.compile(r"[.!?](?:\s|$)|[;。]")
_ASIDE = re.compile(r"[(（][ *_]*$")


def _opens_aside(between: str, line: str, m: re.Match[str]) -> bool:
    """Is the time the start of a bracketed aside after the first-response words ("(21:50 uses 50%, 21:57 75%)"):
    the bracket opens right before it and holds more than the time, its zone and a joiner?"""
    if not _ASIDE.search(between):
        return False
    close = line.find(")", m.end())
    inside = line[m.end():close if close >= 0 else len(line)]
    return bool(_TIME.search(inside) or "%" in inside)


@cache
def _breach_re() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """grading.yaml ``breach_words``: (a breach word right after a time, a breach word right before one)."""
    words = "|".join(re.escape(normalize(w)) for ws in grading_config()["breach_words"].values()
                     for w in sorted(ws, key=len, reverse=True))
    after = re.compile(rf"[ *_]{{0,3}}(?:[a-zа-я+\-\d:]{{1,9}}[ *_]{{0,3}})?(?:[—–(:：-][ *_]{{0,3}})?(?:{words})"
                       r"(?![a-zа-я])")
    before = re.compile(rf"(?<![a-zа-я])(?:{words})[ *_]{{0,3}}(?:at|в|:|：|于|—)?[ *_]{{0,3}}$")
    return after, before


def _breach_names(line: str, m: re.Match[str]) -> bool:
    """Is ``m`` the time a breach word names ("15:45 违约", "breach at 07:45")? That is the first-response due."""
    after, before = _breach_re()
    return after.match(line, m.end()) is not None or before.search(line, 0, m.start()) is not None


def _names_first_response(line: str, m: re.Match[str]) -> bool:
    """Is ``m`` the first time after a first-response word ("first response due 15:00; checkpoint 14:30"), the
    time a bracketed first-response note follows ("by 10:10 UTC (first-response deadline)"), or the first time of a
    table row whose label cell names the first response ("| 首次响应目标 30 分钟 | 协调人 | 22:20 |")?"""
    return (_names_time_of(_first_response_re(), line, m) or _row_label_names(_first_response_re(), line, m)
            or _first_response_follows(line, m) or _target_row(line, m) or _breach_names(line, m))


def _target_row(line: str, m: re.Match[str]) -> bool:
    """Is ``m`` the one time of a table row whose label cell states a response target, a response word with a
    duration and no trigger ("| Ответ Azure: 240 мин (не подтверждено) | Олег Н. | 19:10 |")?"""
    if "|" not in line[:m.start()]:
        return False
    label = line.strip().strip("|").split("|", 1)[0]
    words = _response_reading()
    if not (_DURATION.search(label) and words["response"].search(label)):
        return False
    if words["trigger"].search(label) or words["not_target"].search(label):
        return False  # "нет ответа 2 часа → TAM": an escalation trigger's row
    return _row_label_names(words["response"], line, m)


# After a time: a joiner, then perhaps "must", then the first-response word ("12:30 前须首次响应", "by 10:40 first
# response"); bounded, opening with a character class.
_JOINED_AFTER = re.compile(r"[ *_)）]{0,4}(?:前|之前|以前|до|by|before)[ *_]{0,3}"
                           r"(?:须|应|需|必须|要|must|should)?[ *_]{0,3}")


def _first_response_follows(line: str, m: re.Match[str]) -> bool:
    """Is ``m`` the time a joiner ties to a first-response word right after it ("→ 11-23（周一）12:30 前须首次响应")?"""
    tail = _JOINED_AFTER.match(line, m.end())
    return tail is not None and tail.end() > m.end() and _first_response_re().match(line, tail.end()) is not None


_PHRASE_OPEN = re.compile(r"(?:^|→|->|=>|[:：(（—–]|\s-)[ *_]{0,4}$")


def _bare_deadline_names(line: str, m: re.Match[str]) -> bool:
    """Is ``m`` the time of a deadline word that opens its own phrase ("→ **due 14:00**", "Deadline: 14:00",
    "— дедлайн 14:25"), not one naming another action's ("rollback deadline 12:00")?"""
    if not _names_time_of(_deadline_re(), line, m):
        return False
    word = _last(_deadline_re(), line[:m.start()])
    return word is not None and _PHRASE_OPEN.search(line[:word.start()]) is not None


def _first_response_after(line: str, m: re.Match[str], opened_at: str) -> bool:
    """Does the line name the first response before ``m`` with no time of its own in between, but the opening's
    ("4 hours first response (480 min). Filed at 10:00 → due 14:00": 10:00 is when the clock started) or a
    window's ("срок реакции: рабочие часы 09:00–18:00 → … дедлайн 10:40"), and no semicolon or cell border?"""
    word = _last(_first_response_re(), line[:m.start()])
    if word is None or any(c in line[word.end():m.start()] for c in ";|"):
        return False  # "(дедлайн первого ответа); решение по откату — до 11:30": another entry's own deadline
    return all(f"{int(t.group(2)):02d}:{t.group(3)}" == opened_at or _in_range(line, t)  # a window: "09:00–18:00"
               for t in _TIME.finditer(line, word.end(), m.start()))


def _carried_first_response(answer: str) -> frozenset[str]:
    """Lines (normalised as ``_presented_times`` reads them) that state a deadline right under a line naming the first
    response with no clock time of its own: "- Первый ответ — 60 минут, 24x7" / "- Подано в 13:25 → дедлайн 14:25"
    is that response's deadline."""
    out, prev = set(), ""
    for raw in answer.splitlines():
        if not raw.strip():
            continue
        if prev and _CLOCKISH.search(raw):  # only a line with a clock time can be one (most lines are not read)
            low = normalize(prev)
            if _first_response_re().search(low) and not _TIME.search(low):
                norm = normalize(_CIRCLED.sub("; ", raw))
                if _names_a_deadline(norm) and not _first_response_re().search(norm):
                    out.add(norm)
        prev = raw
    return frozenset(out)


def _row_label_names(words: re.Pattern[str], line: str, m: re.Match[str]) -> bool:
    """Is ``m`` the only clock time of a table row outside its first cell, and does that cell hold one of ``words``?
    ("| 首次响应目标 30 分钟 | 协调人 | 22:20 |"; a row with several times says which is which in its own words)"""
    if "|" not in line[:m.start()]:
        return False
    cells = line.strip().strip("|").split("|")
    if len(cells) > 2 and _ROW_NUMBER.fullmatch(cells[0]):
        cells = cells[1:]  # "| 4 | 内部首次响应时限 | 值班 L3 | 23:30 |": a numbered row's label follows its number
    if len(cells) < 2 or not words.search(cells[0]):
        return False
    # the label's own times count unless each is a percent mark ("Azure first response due (60 min); 50 % at 07:50,
    # 75 % at 08:05 | … | 08:20"): the marks are on the way, the one time outside the label is the due
    if any(not _PERCENT_MARK.search(cells[0][max(0, t.start() - 14):t.start()]) for t in _TIME.finditer(cells[0])):
        return False
    if _TIME.search(cells[0]) and m.start() < line.find(cells[0]) + len(cells[0]):
        return False
    return sum(1 for cell in cells[1:] for _ in _TIME.finditer(cell)) == 1


_ROW_NUMBER = re.compile(r"[ *_]*\d{1,2}[.)]?[ *_]*")


def _names_time_of(words: re.Pattern[str], line: str, m: re.Match[str]) -> bool:
    """Is ``m`` the first time after one of ``words`` in its clause, or the time a bracketed note of them follows?"""
    note = _NOTE_AFTER.match(line, m.end())
    if note and words.search(note.group(1)):
        return True
    hits = [w.end() for w in words.finditer(line, 0, m.start())]
    if not hits:
        return False
    between = line[hits[-1]:m.start()]
    earlier = list(_TIME.finditer(between))
    if len(earlier) == 1 and _PAIR_GAP.match(between, earlier[0].end()) and _zone_after(line, m.end()):
        between = between[:earlier[0].start()]  # "до 03:10 МСК (00:10 UTC)": the same deadline in another zone
    if _TIME.search(between) or _PAIR_BREAK.search(between):
        return False
    if _opens_aside(between, line, m):
        return False  # "首次响应（21:50 用掉 50%）": a time in a bracketed aside is a mark on the way, not the due
    # a comma ends the pairing ("first response in 60 min, checkpoint 14:30") unless an arrow then leads to
    # the time ("first response deadline: 60 min, 24x7 → 03:55") or nothing but a joiner does ("first response
    # within 15 minutes, by 10:30"; "first response due Monday 7 Dec, 11:05")
    tail = re.split(r"[，,]", between)
    last = tail[-1].strip(" *_")
    return (len(tail) == 1 or "→" in tail[-1] or "=>" in tail[-1] or not last
            or _joiner_re().fullmatch(last) is not None)


def _parse(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")) if value else None
    except ValueError:
        return None


def _own_abbreviation(tool_zone: tuple[Any, str], tz_name: str, when: datetime | None) -> Own:
    """The abbreviation the tool's zone writes itself as at the opening ("IST", "CST", "ACDT"), lower-cased, with
    the zone's name; none for a numeric one ("+05") or when the zone or opening is unknown."""
    if when is None or tool_zone[0] is None:
        return None
    abbr = (when.astimezone(tool_zone[0]).tzname() or "").lower()
    return (abbr, tz_name) if len(abbr) >= 2 and abbr.isalpha() else None


def _history(day: str | None, stamp: str, opened: datetime, zone: Any) -> bool:
    """Is the stated time before the opening: by its date when it has one, else within the 12 hours before it
    (an undated 01:55 in an answer about a 23:55 opening is the next night, not history)?"""
    if day:
        return _not_after(day, stamp, opened, zone)
    local = opened.astimezone(zone)
    hours, minutes = map(int, stamp.split(":"))
    return 0 <= (local.hour * 60 + local.minute) - (hours * 60 + minutes) <= 12 * 60


def _not_after(day: str, stamp: str, opened: datetime, zone: Any) -> bool:
    """Is the stated time, on its stated day, at or before the moment the incident opened?"""
    local = opened.astimezone(zone)
    opened_day = local.date().isoformat() if local.year >= 1000 else local.strftime("%Y-%m-%d")
    return (day, stamp) <= (opened_day, f"{local.hour:02d}:{local.minute:02d}")


_SCHEME = re.compile(r"^https?://")


def _page_key(url: str) -> str:
    """What names a status page in an answer: its host, without "www." when the host is the page itself
    ("cloudflarestatus.com" names www.cloudflarestatus.com; a page deep in www.tencentcloud.com keeps "www.",
    or every console link would name it)."""
    host, _, path = _SCHEME.sub("", url).rstrip("/").partition("/")
    return host if path else host.removeprefix("www.")


def check_vendor(answer: str, transcript: Transcript, want_status_page: bool = True,
                 want_case: bool = True) -> list[CheckResult]:
    """The vendor case severity the answer files, and the status page it names. With ``want_case`` false (a skill
    whose answer need not file a vendor case), a case severity is checked only when the answer states one."""
    results = [r for r in transcript.results_of("pick_vendor_support_path") if isinstance(r, dict)]
    if not results:
        return []
    r, norm, out = results[-1], normalize_cached(answer), []
    case = r.get("case_severity")
    if isinstance(case, dict) and case.get("name"):
        filed = _filed_severity(answer, case, str(r.get("vendor") or ""))
        if filed.status == "pass" and case.get("api_code"):
            flagged = _flagged_code(answer, case, str(r.get("vendor") or ""))
            if flagged is not None:
                flagged = _flagged_code(answer, case, str(r.get("vendor") or ""),
                                        _overruled_case(answer, transcript, r))
            filed = flagged or filed
        if filed.status == "fail" and filed.evidence:
            overruled = _overruled_case_name(answer, transcript, r)
            if overruled:
                filed = _filed_severity(answer, case, str(r.get("vendor") or ""), overruled)
        own = _answer_level(answer, transcript)
        if own is not None and filed.evidence and _alternatives(answer, transcript):
            # the answer moved the level for a reason: its case is the one its own level maps to, not the tool's
            filed = _filed_in_alternative(answer, transcript, own) or CheckResult(
                id="vendor_severity", kind="grounding", status="fail", evidence=filed.evidence,
                detail=f"the answer files {filed.evidence!r}, but assigns {own} for a reason; the case of its own "
                       f"level is what pick_vendor_support_path returns for {own}, not for the tool's level")
        elif filed.status == "fail":
            filed = _filed_in_alternative(answer, transcript) or filed
        if want_case or filed.evidence:  # no level stated: no evidence; a stated one is always checked
            out.append(filed)
    pages = [p for p in r.get("status_pages") or [] if isinstance(p, dict)]
    if pages and want_status_page:
        keys = [_page_key(p.get("url", "")) for p in pages]
        keys += [p.get("name", "") for p in pages]
        hit = next((k for k in keys if k and _catalog_norm(k) in norm), None)
        if hit is None and not any(p.get("url") for p in pages):
            hit = _says_no_public_page(answer)  # the catalog confirms none: saying so is the answer
        expected = ", ".join(k for k in keys if k)
        detail = f"status page {hit} named" if hit else f"status page not named; expected one of {expected}"
        green = _unchecked_green_claim(answer) if hit else None
        early = _early_status_check(answer, transcript) if hit and not green else None
        if green:
            hit, detail = None, (f"the answer says what the status page shows ({green!r}) without saying when it "
                                 "was checked; an unread status page is 'not verified', never 'green' or 'confirmed'")
        elif early:
            green, (hit, detail) = early[0], (None, f"the answer says what the status page showed at {early[1]}, "
                                                    f"before the incident began ({early[2]}): a check of another "
                                                    "moment, not of this incident")
        out.append(CheckResult(id="status_page", kind="grounding", status="pass" if hit else "fail",
                               evidence=hit or green or "", detail=detail))
    elif pages and (green := _unchecked_green_claim(answer)):  # a skill with no status-page item still may not
        out.append(CheckResult(id="status_page", kind="grounding", status="fail", evidence=green,  # claim green
                               detail=f"the answer says the status page shows no problem ({green!r}) without "
                                      "saying when it was checked"))
    return _with_other_status_host(out, norm, pages)


def _filed_in_alternative(answer: str, transcript: Transcript, own: str | None = None) -> CheckResult | None:
    """A passing vendor case severity against what pick_vendor_support_path returns for the answer's own level or the
    incident's plan (``_alternatives``), with its command flags checked the same way; None when none passes. With
    ``own`` (the answer's explained level), only that level's results count."""
    for alt, why, level in _alternatives(answer, transcript):
        if own is not None and level != own:
            continue
        paths = [r for r in alt.results_of("pick_vendor_support_path") if isinstance(r, dict)]
        case = paths[-1].get("case_severity") if paths else None
        if not isinstance(case, dict) or not case.get("name"):
            continue
        vendor = str(paths[-1].get("vendor") or "")
        filed = _filed_severity(answer, case, vendor)
        if filed.status == "pass" and case.get("api_code"):
            filed = _flagged_code(answer, case, vendor) or filed
        if filed.status == "pass":
            return filed.model_copy(update={"detail": f"{filed.detail} ({why})"})
    return None


def _with_other_status_host(out: list[CheckResult], norm: str, pages: list[dict[str, Any]]) -> list[CheckResult]:
    """``out`` with a failed status_page check in place of a passed or missing one when the answer links another
    site's status host than the tool's (``_other_status_host``)."""
    if any(c.id == "status_page" and c.status == "fail" for c in out):
        return out
    other = _other_status_host(norm, pages) if pages else None
    if other is None:
        return out
    want = ", ".join(_page_key(str(p.get("url"))) for p in pages if p.get("url"))
    return [c for c in out if c.id != "status_page"] + [CheckResult(
        id="status_page", kind="grounding", status="fail", evidence=other,
        detail=f"the answer points to the status page {other}, which is not the one the tool returned ({want})")]


_STATUS_HOST = re.compile(r"https?://(status\.[a-z0-9.\-]+[a-z])")


def _other_status_host(norm: str, pages: list[dict[str, Any]]) -> str | None:
    """A status host ("https://status.alibabacloud.com/") the answer links that is none of the pages the tool returned,
    when the tool returned one with a URL: another site's page (the international site's for a China-site incident)
    shows another set of regions and is no check of this incident."""
    if "status." not in norm:
        return None
    hosts = {_page_key(str(p.get("url"))).split("/")[0] for p in pages if p.get("url")}
    if not hosts:
        return None
    return next((m.group(1) for m in _STATUS_HOST.finditer(norm) if m.group(1) not in hosts), None)


@cache
def _status_words() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """grading.yaml ``status_page_reading``: the status-page words, "shows no problem" or "shows the incident" words
    (``green`` and ``posted``) and negations."""
    raw = grading_config()["status_page_reading"]
    page, negation = (word_pattern([w for ws in raw[key].values() for w in ws]) for key in ("page", "negation"))
    # a page claimed to show the incident needs its check time as a green one does: one pattern reads both claims
    green = word_pattern([w for key in ("green", "posted") for ws in raw[key].values() for w in ws])
    return page, green, negation


_STATUS_SENTENCE_END = re.compile(r"(?<=[。！？；;\n])|(?<=[.!?])(?=\s)")  # not the dots of a host name


_HEADING_ONLY = re.compile(r"^\s{0,3}#{1,6}\s|^\s*\*\*[^*\n]{1,60}\*\*[:：]?\s*$")


def _status_sentences(answer: str) -> Iterator[str]:
    """The answer's sentences, normalised, each with the heading of its section in front and none running across
    a line break: normalising the whole answer first joined a timeline's lines to the claim below them, and their
    clock time read as the time the page was checked. A heading says what the first sentence under it is about
    ("### Status page" / "Cloudflare — all green, no incidents"); later ones name their subject themselves."""
    heading = ""
    for line in _unwrapped(answer).splitlines():  # a hard-wrapped paragraph's sentence runs on across its lines
        if not line.strip():
            continue
        if _HEADING_ONLY.match(line):
            heading = normalize(line)
            continue
        for sentence in _STATUS_SENTENCE_END.split(normalize(line)):
            yield f"{heading} {sentence}" if heading else sentence
            heading = ""


_LINE_LABEL = re.compile(r"[^:：.\n]{1,60}(?=[:：.])")  # a line's opening label, up to its colon or full stop


def _says_no_public_page(answer: str) -> str | None:
    """A sentence naming the status page with a negation ("no confirmed public status page", "没有公开状态页")."""
    page, _, negation = _status_words()
    norm = normalize_cached(answer)
    if not (page.search(norm) and negation.search(norm)):
        return None  # neither word anywhere: no sentence holds both
    for sentence in _status_sentences(answer):
        if page.search(sentence) and negation.search(sentence):
            return sentence.strip()[:80]
    for line in answer.splitlines():  # "**Страница статуса.** публичной страницы нет (unverified) … Не проверено."
        low = normalize(line)  # a line the page word labels speaks of the page in every sentence
        label = _LINE_LABEL.match(low)
        if label and page.search(label.group(0)) and negation.search(low):
            return low.strip()[:80]
    return None


def _unchecked_green_claim(answer: str) -> str | None:
    """A sentence saying the status page shows nothing wrong, with no clock time of the check in it."""
    page, green, negation = _status_words()
    norm = normalize_cached(answer)
    if not (page.search(norm) and green.search(norm)):
        return None  # neither word anywhere: no sentence holds both
    for sentence in _status_sentences(answer):
        if page.search(sentence) and green.search(sentence) and not _TIME.search(sentence) \
                and not negation.search(sentence):  # "haven't been able to confirm anything on it": not a claim
            return sentence.strip()[:80]
    return None


def _early_status_check(answer: str, transcript: Transcript) -> tuple[str, str, str] | None:
    """A sentence saying what the status page showed at a time up to two hours before the incident began (the
    incident text's first clock time, else the opening the SLA tool counted from), on the same clock:
    (sentence, its time, the start)."""
    page, green, negation = _status_words()
    norm = normalize_cached(answer)
    if not (page.search(norm) and green.search(norm) and _CLOCKISH.search(norm)):
        return None
    onset = _onset(transcript)
    if onset is not None:
        start, zone = onset[0] * 60 + onset[1], _zone_in_norm(_incident_text(transcript))
    else:
        sla = [r for r in transcript.results_of("compute_sla_deadlines") if isinstance(r, dict)]
        opened = _parse(sla[-1].get("opened_at")) if sla else None
        tz_name = str(sla[-1].get("timezone") or "UTC") if sla else "UTC"
        if opened is None or _zone(tz_name) is None:
            return None
        local = opened.astimezone(_zone(tz_name))
        start, zone = local.hour * 60 + local.minute, (_zone(tz_name), tz_name)
    for sentence in _status_sentences(answer):
        if not (page.search(sentence) and green.search(sentence)) or negation.search(sentence):
            continue
        t = _TIME.search(sentence)
        if t is None or t.group(1) or t.group(4) or _date_before().search(sentence[:t.start()]):
            continue  # a dated check or a 12-hour clock: not compared with an undated start
        if not _same_zone(sentence, zone):
            continue
        if 0 < start - (int(t.group(2)) * 60 + int(t.group(3))) <= 120:
            return sentence.strip()[:80], t.group(0), f"{start // 60:02d}:{start % 60:02d}"
    return None


@lru_cache(maxsize=256)
def _name_variants(name: str, api_code: str | None) -> list[str]:
    """How an answer may write one vendor level: the full name, its parts ("P2", "High impact"), the API code."""
    parts = [name] + [p.strip() for p in re.split(r"\s+-\s+|[(（)）]|:\s", name)]
    if api_code and (len(api_code) > 1 and not api_code.isdigit()):
        parts.append(api_code)
    return [normalize(p) for p in dict.fromkeys(parts) if len(p.strip()) >= 2]


@lru_cache(maxsize=64)
def _vendor_levels_cached(vendor: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((n, tuple(v)) for n, v in _vendor_levels_uncached(vendor))


def _vendor_levels(vendor: str) -> list[tuple[str, list[str]]]:
    """Every case level of the vendor (a fresh list the caller may extend)."""
    return [(n, list(v)) for n, v in _vendor_levels_cached(vendor)]


def _vendor_levels_uncached(vendor: str) -> list[tuple[str, list[str]]]:
    """Every case level of the vendor: (name, variants); empty when the catalog does not know the vendor."""
    from escalation_kit.vendors.catalog import load_catalog

    spec = load_catalog().get(vendor)
    translated = grading_config().get("vendor_level_names") or {}
    return [(lv.name, _name_variants(lv.name, lv.api_code) + [normalize(t) for t in translated.get(lv.name) or []])
            for lv in spec.levels] if spec else []


def _level_hits(norm: str, levels: list[tuple[str, list[str]]]) -> list[tuple[int, str, str]]:
    """Mentions of vendor levels, longest variant first, no overlaps: (position, level name, text)."""
    found, taken = [], []
    variants = sorted(((v, name) for name, vs in levels for v in vs), key=lambda t: -len(t[0]))
    for v, name in variants:
        if v not in norm:
            continue
        for start in _occurrences(v, norm, whole_word=not _CJK_RE.search(v)):
            end = start + len(v)
            if not any(a < end and start < b for a, b in taken):
                taken.append((start, end))
                found.append((start, name, v))
    return sorted(found)


_WORD_EDGE = _LETTER_BEFORE | frozenset("0123456789-")  # [a-z0-9а-я-]


def _occurrences(v: str, norm: str, whole_word: bool) -> Iterator[int]:
    """Start of each non-overlapping occurrence of ``v``; with ``whole_word``, not inside [a-z0-9а-я-]."""
    pos, n = 0, len(v)
    while (i := norm.find(v, pos)) >= 0:
        if whole_word and ((i > 0 and norm[i - 1] in _WORD_EDGE) or (i + n < len(norm) and norm[i + n] in _WORD_EDGE)):
            pos = i + 1
            continue
        yield i
        pos = i + n


@cache
def _filing_words() -> tuple[str, ...]:
    raw = grading_config()["filing_words"]
    return tuple(sorted({normalize(w) for ws in raw.values() for w in ws}, key=len, reverse=True))


_CODE_CONTEXT = re.compile(r"code|`|[\"'«“]|=|severity|priority|уровень|приоритет|级别|优先级")


@lru_cache(maxsize=64)
def _api_codes(vendor: str) -> frozenset[str]:
    """The vendor's API severity codes, normalised (they may also be ordinary words)."""
    from escalation_kit.vendors.catalog import load_catalog

    spec = load_catalog().get(vendor)
    return frozenset(normalize(lv.api_code) for lv in spec.levels if lv.api_code) if spec else frozenset()


_NEGATED = re.compile(r"(?<!\w)(?:not|rather than|instead of|не|вместо|不是|而不是|而非)(?!\w)\W*\S*\W*$")
_CLAUSE_START = re.compile(r"[.!?;\n。；！？]")  # a conditional word before a level counts only in its clause


@lru_cache(maxsize=512)
def _catalog_norm(name: str) -> str:
    """``normalize`` for names the tools return (vendor levels, codes, status pages): few, fixed, folded once."""
    return normalize(name)


@cache
def _not_offered_re() -> re.Pattern[str]:
    """grading.yaml ``severity_reading.not_offered_after``: a plan does not offer the level just named."""
    return word_pattern(list(_reading()["not_offered_after"]))


def _overruled_case_name(answer: str, transcript: Transcript, path: dict[str, Any]) -> str | None:
    """The name of ``_overruled_case``."""
    mapped = _overruled_case(answer, transcript, path)
    return None if mapped is None else str(mapped.name)


def _overruled_case(answer: str, transcript: Transcript, path: dict[str, Any]) -> Any:
    """The vendor case level of the answer's own P-level, when the answer overrules classify_severity's level with a
    reason (check_severity passes it): the answer then files the case the tool maps that level to on the same plan
    ("we set P3, not the tool's P1; a P4 - Low impact case if you want Google to confirm")."""
    from escalation_kit.vendors.path import pick_vendor_support_path

    results = transcript.results_of("classify_severity")
    tool = results[-1].get("severity") if results and isinstance(results[-1], dict) else None
    got = assigned_level(answer, vendor_has_p_codes(transcript))
    if tool is None or got is None or got[0] == tool or not _explained_override(answer, tool, got[0]):
        return None
    calls = [c for c in transcript.tool_calls if c.name == "pick_vendor_support_path" and isinstance(c.input, dict)]
    given = calls[-1].input if calls else {}
    try:
        mapped = pick_vendor_support_path(str(path.get("vendor") or given.get("vendor") or ""), got[0],
                                          plan=path.get("plan") or given.get("plan"), region=given.get("region"),
                                          production=given.get("production"))
    except Exception:  # an unknown vendor or plan: no second reading
        return None
    return mapped.case_severity


# A severity a command or API call files: "--Severity 2", "Severity=2", "--severity-code urgent" (not a quoted tool
# result's '"severity": "P2"', which is the internal level).
_SEVERITY_FLAG = re.compile(r"(?:--(?:severity|priority)(?:-code|-level)?[ =]{1,2}"
                            r"|(?<![\w-])(?:severity|priority)(?:code|level)?=)[\"'`]?([a-z0-9_-]{1,20})")


@lru_cache(maxsize=64)
def _code_names(vendor: str) -> dict[str, str]:
    """The vendor's API severity code -> its level's name, normalised."""
    from escalation_kit.vendors.catalog import load_catalog

    spec = load_catalog().get(vendor)
    return {normalize(lv.api_code): normalize(lv.name) for lv in spec.levels if lv.api_code} if spec else {}


def _flagged_code(answer: str, case: dict[str, Any], vendor: str, overruled: Any = None) -> CheckResult | None:
    """A vendor API severity code a command in the answer files that is not the tool's (or, for an explained
    override, the code of the level the tool maps it to): the prose says "Regular" but "aliyun workorder CreateTicket
    … --Severity 2" files Emergency."""
    norm = normalize_cached(answer)
    if "severity" not in norm and "priority" not in norm:
        return None
    want = {_catalog_norm(str(case["api_code"]))}
    if overruled is not None and getattr(overruled, "api_code", None):
        want.add(_catalog_norm(str(overruled.api_code)))
    codes = _api_codes(vendor)
    if _SEVERITY_FLAG.search(norm) is None:
        return None
    for raw in answer.splitlines():
        line = normalize(raw)
        for m in _SEVERITY_FLAG.finditer(line):
            code, named = m.group(1), _code_names(vendor).get(m.group(1))
            if named and named.split(" (")[0] in line:
                continue  # "file one level higher: Business-critical system down (--severity-code critical)": said
            if code in codes and code not in want:
                return CheckResult(id="vendor_severity", kind="grounding", status="fail", evidence=m.group(0),
                                   detail=f"the answer's command files {m.group(0)!r}; pick_vendor_support_path "
                                          f"returned {case['name']} (API code {case['api_code']})")
            if _not_offered_code(code, codes):
                return CheckResult(id="vendor_severity", kind="grounding", status="fail", evidence=m.group(0),
                                   detail=f"the answer files {m.group(0)!r}, a severity code the vendor does not "
                                          f"offer (its codes: {', '.join(sorted(codes))}); pick_vendor_support_path "
                                          f"returned {case['name']} (API code {case['api_code']})")
    return None


def _not_offered_code(code: str, codes: frozenset[str]) -> bool:
    """Is ``code`` a number where the vendor's API severity codes are all numbers, but none of them ("Severity=3" where
    Alibaba's ticket API takes only 1 and 2)? A word code may be another field's value and is not read so."""
    return bool(codes) and code not in codes and code.isdigit() and all(c.isdigit() for c in codes)


def _filed_severity(answer: str, case: dict[str, Any], vendor: str, overruled: str | None = None) -> CheckResult:
    """The vendor case severity the answer files (not one it mentions to reject) equals the tool's, or the level the
    tool maps the answer's explained override to (``overruled``)."""
    norm = normalize_cached(answer)
    tool_name = str(case["name"])
    levels = _vendor_levels(vendor)
    tool_vars = set(_name_variants(tool_name, case.get("api_code")))
    tool_norm = _catalog_norm(tool_name)
    same = next((name for name, vs in levels if tool_norm in vs or tool_vars & set(vs[:1])), None)
    if same is None:
        levels.append((tool_name, list(tool_vars)))
    else:
        tool_name = same
    rejected = _reading()["rejected_before"]
    codes = _api_codes(vendor) | ({_catalog_norm(str(case["api_code"]))} if case.get("api_code") else set())
    codes -= {_catalog_norm(n) for n, _ in levels}  # a level whose name is the code ("Critical") is named, not coded
    filed, mentioned, conditional = [], [], []
    for pos, name, text in _level_hits(norm, levels):
        window = norm[max(norm.rfind("\n", 0, pos) + 1, pos - 40):pos]
        # "P2" is the vendor's only when the words beside it say so ("Google P2", "case: P2")
        if _LEVEL.fullmatch(text):
            around = norm[max(0, pos - 25):pos + 22]
            if not _vendor_word_re().search(around):
                continue
        if _ends_with(window, rejected) or _NEGATED.search(window):
            continue
        if _not_offered_re().search(_STATUS_SENTENCE_END.split(norm[pos + len(text):pos + len(text) + 50])[0]):
            continue  # "Core system unavailable, but the Business plan does not offer it": named to say so
        is_filing = bool(_ends_with(window, _filing_words()))
        # an API code that is also a word ("normal", "high") counts only where it reads as a code
        near = norm[max(0, pos - 20):pos + len(text) + 1]
        if text in codes and text.isalpha() and not is_filing and not _CODE_CONTEXT.search(near):
            continue
        if _hypothetical_re().search(_CLAUSE_START.split(norm[max(0, pos - 80):pos])[-1]):
            # a level for a condition ("if it spreads, re-file as Urgent"; "if we opened one it would be P4"):
            # the answer's level only when it states no other
            conditional.append((name, text))
            continue
        (filed if is_filing else mentioned).append((name, text))
    chosen = filed or mentioned or conditional
    names = [n for n in (str(case["name"]), case.get("api_code")) if n]
    if not chosen:
        return CheckResult(id="vendor_severity", kind="grounding", status="fail",
                           detail=f"vendor case severity {' / '.join(names)} not stated as the one to file")
    name, text = chosen[0]
    ok = name == tool_name
    if not ok and overruled:
        alt = _catalog_norm(overruled)
        ok = any(n == name and (alt in vs or _catalog_norm(n) == alt) for n, vs in levels)
    same = " as the tool" if name == tool_name else f" as the tool maps the answer's own level ({overruled})"
    detail = (f"the answer files {text!r}" + (same if ok else f"; pick_vendor_support_path returned "
                                                                       f"{' / '.join(names)}"))
    return CheckResult(id="vendor_severity", kind="grounding", status="pass" if ok else "fail", evidence=text,
                       detail=detail)


def _has_term(norm: str, term: str) -> bool:
    """``term`` occurs in ``norm`` as a whole word (CJK terms as a substring)."""
    if re.search(r"[\u3400-\u9fff]", term):
        return term in norm
    return bool(re.search(rf"(?<![a-z0-9а-я]){re.escape(term)}(?![a-z0-9а-я])", norm))


@cache
def _no_vendor_case_re() -> re.Pattern[str]:
    """Words that say why an escalation files no vendor case (grading.yaml ``no_vendor_case_words``)."""
    return word_pattern(_words("no_vendor_case_words"))


@cache
def _promise_reading() -> dict[str, re.Pattern[str]]:
    """grading.yaml ``restore_promise_reading``: restore words, promise words, negations."""
    raw = grading_config()["restore_promise_reading"]
    return {key: word_pattern([w for ws in raw[key].values() for w in ws]) for key in raw}


_PROMISE_CLAUSE = re.compile(r"[.!?](?:\s|$)|[;,|。；！？，]")


def check_promise(answer: str) -> list[CheckResult]:
    """The answer promises no restoration time: a clause with a restore word, a promise word and a clock time ("login
    will be fully restored by 15:30 IST"), with no negation or condition, fails; the tools compute no such time."""
    norm = normalize_cached(answer)
    words = _promise_reading()
    if not words["restore"].search(norm) or not _CLOCKISH.search(norm):
        return _ship_promise(answer)
    clauses = (c for line in answer.splitlines() if _CLOCKISH.search(line) and words["restore"].search(line.casefold())
               for c in _PROMISE_CLAUSE.split(normalize(line)))
    for clause in clauses:
        if (_CLOCKISH.search(clause) and words["restore"].search(clause) and words["promise"].search(clause)
                and _TIME.search(clause) and not words["negation"].search(clause)
                and not _hypothetical_re().search(clause)):
            return [CheckResult(id="promise", kind="grounding", status="fail", evidence=clause.strip()[:120],
                                detail=f"the answer promises a restoration time ({clause.strip()[:80]!r}); no tool "
                                       "computes one, and it cannot be promised before the fix is known")]
    return _ship_promise(answer)


_PROMISE_DATE = re.compile(DATE_PATTERN)


def _ship_promise(answer: str) -> list[CheckResult]:
    """A clause that promises when a feature or change ships, on a calendar date ("已确认将在 11 月版本（11 月 20 日）
    上线"): a ship word, a promise word and a date, no negation or condition. Nobody in the case gave that date."""
    words = _promise_reading()
    norm = normalize_cached(answer)
    if not words["ship"].search(norm) or not _PROMISE_DATE.search(norm):
        return []
    for clause in _PROMISE_CLAUSE.split(norm):
        if (words["ship"].search(clause) and words["promise"].search(clause) and _PROMISE_DATE.search(clause)
                and not words["negation"].search(clause) and not _hypothetical_re().search(clause)):
            return [CheckResult(id="promise", kind="grounding", status="fail", evidence=clause.strip()[:120],
                                detail=f"the answer promises a ship date ({clause.strip()[:80]!r}); no tool or "
                                       "team in the case gave one")]
    return []


@cache
def _region_reading() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """grading.yaml ``region_reading``: a region identifier, failure words, words of a healthy or target region."""
    raw = grading_config()["region_reading"]
    # a prefix, a hyphen, a name, an optional number and zone letter: every part bounded, no nested repetition; each
    # prefix carries its own look-behind after it, so the engine scans to candidates ("-" then the letters before it)
    prefixes = "|".join(rf"{re.escape(p)}(?<![\w-]{re.escape(p)})"
                        for p in sorted(raw["prefixes"], key=len, reverse=True))
    region = re.compile(rf"(?:{prefixes})-[a-z]{{3,20}}(?:-?\d{{1,2}})?(?:-[a-z])?(?![\w-])")
    failure, other_ok = (word_pattern([w for ws in raw[key].values() for w in ws]) for key in ("failure", "other_ok"))
    return region, failure, other_ok


def _incident_text(transcript: Transcript) -> str:
    """What the incident said: the user's messages, normalised."""
    return normalize(" ".join(m["content"] for r in transcript.requests for m in r.get("messages") or []
                              if isinstance(m, dict) and m.get("role") == "user" and isinstance(m.get("content"), str)))


def _tool_text(transcript: Transcript) -> str:
    """What the tools were given and returned, normalised (read only when the answer names another region)."""
    import json

    return normalize(json.dumps([[c.input, c.result] for c in transcript.tool_calls], ensure_ascii=False, default=str))


def check_regions(answer: str, transcript: Transcript) -> list[CheckResult]:
    """No sentence places the failure in a region the incident and the tools never name (and names none of theirs),
    when the incident names one: "в зоне ru-central1-a не работает" for a ru-central1-b incident moves it; "5xx in
    cn-hangzhou" in an ap-southeast-1 case is another incident. A healthy region compared, a move planned, a
    question: not checked."""
    region, failure, other_ok = _region_reading()
    incident = set(region.findall(_incident_text(transcript)))  # the short text first: most name no identifier
    if not incident:
        return []  # "杭州地域" names no identifier; the tools' API endpoints (cn-shanghai) are not its region
    named_all = set(region.findall(normalize_cached(answer)))
    if not named_all:
        return []
    known = incident if named_all <= incident else incident | set(region.findall(_tool_text(transcript)))
    extra = named_all - known
    for line in answer.splitlines() if extra else ():
        low = line.casefold()
        if not any(r in low for r in extra):
            continue
        for sentence in _SENTENCES_OF_LINE.split(normalize(line)):
            named = set(region.findall(sentence))
            if (named and not named & known and "?" not in sentence and failure.search(sentence)
                    and not other_ok.search(sentence)):
                return [CheckResult(id="regions", kind="grounding", status="fail", evidence=sentence.strip()[:120],
                                    detail=f"the answer places the failure in {', '.join(sorted(named))}; the incident "
                                           f"and the tools name {', '.join(sorted(known))}")]
    named = ", ".join(sorted(incident))
    return [CheckResult(id="regions", kind="grounding", status="pass",
                        detail=f"every failing region the answer names is the incident's ({named})")]


_SENTENCES_OF_LINE = re.compile(r"[.!?](?:\s|$)|[;。；！？]")


@cache
def _action_words() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """grading.yaml ``response_action_words`` and ``day_words``."""
    return word_pattern(_words("response_action_words")), word_pattern(_words("day_words"))


def _onset(transcript: Transcript) -> tuple[int, int] | None:
    """The first clock time the incident text states ("since 14:05 IST"), as (hour, minute)."""
    for req in transcript.requests:
        for msg in req.get("messages") or []:
            content = msg.get("content") if isinstance(msg, dict) and msg.get("role") == "user" else None
            m = _TIME.search(normalize(content)) if isinstance(content, str) else None
            if m is not None and not m.group(1):
                return int(m.group(2)), int(m.group(3))
    return None


def _same_zone(line: str, incident_zone: tuple[Any, str] | None) -> bool:
    """Is a timeline line on the incident's clock: it names no zone, or the one the incident text names (an entry in
    UTC is not compared with an onset in CET)?"""
    zone = _zone_in_norm(line)
    if zone is None:
        return True
    if incident_zone is None or zone[0] is None or incident_zone[0] is None:
        return False
    now = datetime.now(UTC)
    return zone[0].utcoffset(now) == incident_zone[0].utcoffset(now)


# A list entry that opens with a clock time ("- 21:50 监控首次告警", "- 07:12 CEST — case filed", "1. **07:05** paged").
_DATED_ENTRY = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.|\d{1,2}[-/]\d{1,2}\s|(?<![a-z])[ap]\.?m\b")
_ENTRY_TIME = re.compile(r"^\s{0,3}(?:[-*+•]|\d{1,2}[.)])\s+[*_`]{0,2}(\d{1,2}):(\d{2})(?![\d:])")


def _out_of_order(answer: str) -> str | None:
    """The first entry of a list of undated, timed entries (three or more in a row) that breaks their order: a list
    that runs forward (or backward, newest first) and then turns back ("21:50 告警 / 21:42 根据告警确认"). A turn of
    more than twelve hours is the clock passing midnight."""
    _, day = _action_words()
    titles = word_pattern(grading_config()["observation_verbs"]["timelines"])
    run: list[tuple[int, str]] = []
    named = False  # the line before the run names a timeline ("## Escalation timeline", "时间线（北京时间）：")
    for line in [*answer.splitlines(), ""]:
        m = _ENTRY_TIME.match(line) if named else None
        norm = normalize(line) if m else ""
        if m and not day.search(norm) and not _TIME_RANGE.match(line, m.start(1)) and not _DATED_ENTRY.search(norm):
            run.append((int(m.group(1)) * 60 + int(m.group(2)), line.strip()))
            continue
        if line.strip():
            named = titles.search(normalize(line)) is not None
        if len(run) >= 3:
            times = [run[0][0]]
            for t, _ in run[1:]:
                while times[-1] - t > 720:  # past midnight
                    t += 1440
                times.append(t)
            steps = [b - a for a, b in zip(times, times[1:], strict=False)]
            if any(x > 0 for x in steps) and any(x < 0 for x in steps):
                forward = next(x for x in steps if x) > 0
                return run[next(i for i, x in enumerate(steps) if x and (x > 0) != forward) + 1][1]
        run = []
    return None


def check_timeline(answer: str, transcript: Transcript) -> list[CheckResult]:
    """No timeline line times a response action (case filed, war room, escalation) before the incident began: the
    incident's first clock time, up to two hours before it on the same undated clock. And no list of timed entries
    turns back on itself (``_out_of_order``)."""
    turned = _out_of_order(answer) if _CLOCKISH.search(answer) else None
    if turned is not None:
        return [CheckResult(id="timeline", kind="grounding", status="fail", evidence=turned[:120],
                            detail=f"the timeline's entries are out of order: {turned[:80]!r} comes after a later "
                                   "time; events listed out of order contradict each other")]
    onset = _onset(transcript)
    if onset is None or not _CLOCKISH.search(answer):
        return []
    action, day = _action_words()
    start = onset[0] * 60 + onset[1]
    incident_zone = _zone_in_norm(_incident_text(transcript))
    for line in answer.splitlines():
        if not _CLOCKISH.search(line) or not _TIMELINE.match(line):
            continue  # the raw line first: normalising only changes case and width, not a timeline's shape
        norm = normalize(line)
        if not _TIMELINE.match(norm):
            continue
        t = _TIME.search(norm)
        if t is None or t.group(1) or t.group(4) or not action.search(norm) or day.search(norm):
            continue  # a dated entry, a 12-hour clock or no response action: not compared with the onset
        if _date_before().search(norm[:t.start()]) or not _same_zone(norm, incident_zone):
            continue
        if 0 < start - (int(t.group(2)) * 60 + int(t.group(3))) <= 120:
            return [CheckResult(id="timeline", kind="grounding", status="fail", evidence=line.strip()[:120],
                                detail=f"the timeline puts a response action at {t.group(0)}, before the incident "
                                       f"began ({onset[0]:02d}:{onset[1]:02d} in the incident text)")]
    return []


# A word that opens a period ("since 3 Dec", "с 3 декабря", "за 4 декабря", "从 12 月 3 日"), right before a date.
_SINCE = re.compile(r"(?:(?<![a-zа-я])(?:since|from|for|on|с|со|за|от)|从|自)[ *_]{0,3}$")


@cache
def _day_month() -> re.Pattern[str]:
    """A day and month as answers and incidents write them: 3 Dec, Dec 3, 3 декабря, 12 月 3 日, 03.12."""
    name = _month_name()
    return re.compile(rf"(?<![\d.])(?:(?P<d2>\d{{1,2}}) (?P<n2>{name})|(?P<n3>{name})\.? (?P<d3>\d{{1,2}})(?!\d)"
                      r"|(?P<m4>\d{1,2}) ?月 ?(?P<d4>\d{1,2}) ?[日号]|(?P<d1>\d{1,2})\.(?P<m1>\d{1,2})(?![\d:]))")


def _dates_in(norm: str, year: int) -> Iterator[tuple[date, int]]:
    """(date, start) of each day-and-month in ``norm``, in the given year."""
    for m in _day_month().finditer(norm):
        day, month = _day_and_month({k: v for k, v in m.groupdict().items() if v})
        try:
            yield date(year, month, day), m.start()
        except ValueError:
            continue


def check_window(answer: str, transcript: Transcript) -> list[CheckResult]:
    """The period the answer investigates starts no later than the day the incident text says it began: for "публично
    доступен с 3 декабря" a plan querying logs "за 4 декабря" (the day it was found) misses the first day of
    exposure. Read only when the incident text dates its start with a since-word and the answer never names that
    day; a later day the answer opens a period with, up to the opening, fails."""
    sla = [r for r in transcript.results_of("compute_sla_deadlines") if isinstance(r, dict)]
    opened = _parse(sla[-1].get("opened_at")) if sla else None
    incident = normalize(_incident_text(transcript))
    if opened is None or not any(ch.isdigit() for ch in incident):
        return []
    begun = [d for d, at in _dates_in(incident, opened.year) if _SINCE.search(incident[max(0, at - 8):at])]
    if not begun or begun[0] > opened.date():
        return []
    norm = normalize_cached(answer)
    stated = list(_dates_in(norm, opened.year))
    if any(d == begun[0] for d, _ in stated):
        return []
    for d, at in stated:
        if begun[0] < d <= opened.date() and _SINCE.search(norm[max(0, at - 8):at]):
            return [CheckResult(id="timeline", kind="grounding", status="fail", evidence=norm[max(0, at - 8):at + 12],
                                detail=f"the answer's period starts {d:%d %b}, after the day the incident began "
                                       f"({begun[0]:%d %b} in the incident text): it misses the start")]
    return []


def grounding_checks(answer: str, transcript: Transcript, contract: Contract | None = None) -> list[CheckResult]:
    """All grounding checks that the transcript's tool results make possible.

    The status page is checked only when the skill's contract asks for a status-page item:
    other skills may mention their own status page for customer updates, which is not the
    provider's page the tool returned.
    """
    status = contract is None or any("status" in item.id for item in contract.items)
    needs_level = contract is None or contract.skill in cues_data().get("internal_level_skills", [])
    needs_case = (contract is None or contract.skill in cues_data().get("vendor_case_skills", [])
                  or not _no_vendor_case_re().search(normalize_cached(answer)))
    return (check_severity(answer, transcript, required=needs_level) + check_deadlines(answer, transcript)
            + check_vendor(answer, transcript, want_status_page=status, want_case=needs_case) + check_promise(answer)
            + check_regions(answer, transcript) + check_timeline(answer, transcript) + check_window(answer, transcript)
            + check_personal_data(answer, transcript))


# A phone number with its country code ("+65 9123 4567", "+7 (913) 555-12-34"): seven or more digits after the code.
_PHONE = re.compile(r"(?<![\w+])\+(\d{1,3})[ \-.]?(\(?\d[\d \-.()]{5,16}\d)(?![\d])")


@cache
def _service_line() -> re.Pattern[str]:
    """A toll-free or shared-cost service line's prefix after the country code (grading.yaml ``service_line_prefixes``):
    a vendor's hotline, not a person's number."""
    prefixes = "|".join(grading_config()["service_line_prefixes"])
    return re.compile(rf"\(?(?:{prefixes})\)?(?:[ \-.]|\d)")


@cache
def _secret_re() -> re.Pattern[str]:
    """A credential written in clear: a secret's name (grading.yaml ``secret_reading.words``), then within a few
    characters ``=`` or ``:`` and a value of 16 or more key characters with letters and digits in it."""
    raw = sorted(grading_config()["secret_reading"]["words"], key=len, reverse=True)
    words = "|".join(re.escape(normalize(w.removesuffix("*"))) + (r"[\w\-]*" if w.endswith("*") else "") for w in raw)
    # an identifier may carry the name ("cf_api_token", "aws-secret-access-key")
    return re.compile(rf"(?<![\w\-])(?:[a-z0-9]+[_\-])*(?:{words})[\w\- ]{{0,12}}?[`'\"]?\s*[=:：]\s*[`'\"]?"
                      r"(?=[A-Za-z0-9/+_\-]{0,80}\d)(?=[A-Za-z0-9/+_\-]{0,80}[A-Za-z])([A-Za-z0-9/+_\-]{16,120})")


@cache
def _local_mobile_re() -> re.Pattern[str]:
    """A mobile number with no country code right after a phone word (grading.yaml ``secret_reading.phone_words``):
    China's 1[3-9]x xxxx xxxx, Russia's 8 9xx xxx-xx-xx."""
    words = word_pattern(grading_config()["secret_reading"]["phone_words"]).pattern
    return re.compile(rf"(?:{words})[^\d\n]{{0,6}}((?<!\d)(?:1[3-9]\d[ \-]?\d{{4}}[ \-]?\d{{4}}"
                      r"|8[ \-]?\(?9\d{2}\)?[ \-]?\d{3}[ \-]?\d{2}[ \-]?\d{2})(?!\d))")


def _clear_secret(answer: str) -> str | None:
    """The first credential the answer writes in clear ("AccessKey Secret: Wq9mT4zR7x…", "CF_API_TOKEN=Xq7v…",
    "secret-access-key=q7Vw…"), or None."""
    norm = answer.casefold()
    m = _secret_re().search(norm)
    return None if m is None else answer[m.start():m.end()]


def check_personal_data(answer: str, transcript: Transcript | None = None) -> list[CheckResult]:
    """The answer pastes no personal phone number and no credential: a chat message, a ticket or a customer note that
    carries an engineer's own number ("On-call: Wei Ling Tan, +65 9123 4567 … put the same line in the ticket") or a
    customer's ("手机 139 1234 5678") spreads personal data to everyone who reads it, and an access key or API token
    pasted into a case or a handoff (blind9) hands over the account. A vendor's toll-free or service line, or a number
    the tools returned (a support line of the catalog), is not personal. Checked only when the answer holds one."""
    secret = _clear_secret(answer)
    if secret is not None:
        return [CheckResult(id="personal_data", kind="grounding", status="fail", evidence=secret[:80],
                            detail=f"the answer writes a credential in clear ({secret[:60]!r}); a case, handoff or "
                                   "message says where the key is kept and who grants access, never the key")]
    local = _local_mobile_re().search(normalize_cached(answer))
    if local is not None:
        return [CheckResult(id="personal_data", kind="grounding", status="fail", evidence=local.group(0),
                            detail=f"the answer carries a personal phone number ({local.group(0)!r}); a case or note "
                                   "describes the failure, not a person's number")]
    if "+" not in answer:
        return []
    tools = None
    for m in _PHONE.finditer(answer):
        digits = re.sub(r"\D", "", m.group(2))
        if len(digits) < 7 or _service_line().match(m.group(2)):
            continue
        if transcript is not None:
            tools = tools if tools is not None else re.sub(r"\D", "", json.dumps(  # results only: the incident
                [c.result for c in transcript.tool_calls], ensure_ascii=False, default=str))  # text is no source
            if m.group(1) + digits in tools:
                continue
        return [CheckResult(id="personal_data", kind="grounding", status="fail", evidence=m.group(0),
                            detail=f"the answer carries a personal phone number ({m.group(0)!r}); a message, ticket "
                                   "or note names the on-call role and its paging channel, not a person's number")]
    return []
