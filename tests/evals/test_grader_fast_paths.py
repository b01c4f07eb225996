"""The grader's fast paths give exactly what the plain forms they replace give.

Offline grading must stay above 1,000 answers per CPU-second (benchmarks/eval_throughput.py), so
several checks use a cheaper but equal formulation: a regex whose look-behind moved after a leading
literal, a pre-test before a regex, letters counted on UTF-8 bytes, sentence splits read from
groups. Each test below holds one of them equal to the reference form on generated text (and on
every answer the suites ship), so a later edit that breaks the equality fails here, not in a grade.
"""

from __future__ import annotations

import re
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from escalation_kit.evals import cues, grader, grounding, langcheck, markdown, substance
from escalation_kit.evals.suite import load_suite
from escalation_kit.evals.transcript import Transcript
from escalation_kit.language import script as language_script
from escalation_kit.language import script_language


def _text(pieces: list[str], max_size: int = 30) -> st.SearchStrategy[str]:
    """Strings built from pieces that exercise a pattern's edges."""
    return st.lists(st.sampled_from(pieces), max_size=max_size).map("".join)


@cache
def _answers() -> tuple[str, ...]:
    out = []
    for name in ("core", "gold", "handwritten"):
        suite = load_suite(name)
        out += [Transcript.load(suite.transcript_path(r)).answer for c in suite.cases for r in c.recordings]
    return tuple(out)


SCRIPT_PIECES = ["The quick brown fox jumps over a lazy dog", "QWERTZ", "Съешь же ещё этих мягких французских булок",
                 "ѐѿҀӿ", "a", "Z", "я", "Ё", "ӿ", "中", "㐀", "㏿", "。", "、", "鿿", "ꀀ", "é", "ß", "ａ", "5", " ",
                 "\n", "\u3000", "\xa0", "-", ".", "/", "_", "`", "```", "http", "https://a.b/c", ".com", ".cn", ".ru",
                 ".io", ".net", ".org", "status.aws", "язык.рф", "中文.cn", "\ud800"]


def _reference_letters(text: str) -> tuple[int, int, int]:
    text = language_script._CODE.sub(" ", text)
    return (len(language_script._HAN.findall(text)), len(language_script._CYR.findall(text)),
            len(language_script._LAT.findall(text)))


@settings(max_examples=400, deadline=None)
@given(_text(SCRIPT_PIECES))
def test_script_of_counts_letters_as_script_language(text: str) -> None:
    assert langcheck._prose_letters(text) == _reference_letters(text)
    assert langcheck.script_of(text) == script_language(text)


def test_script_of_agrees_on_every_suite_answer_and_its_parts() -> None:
    checked = 0
    for answer in _answers():
        for part in [answer, answer[: langcheck.SAMPLE_CHARS], *answer.split("\n\n")]:
            assert langcheck._prose_letters(part) == _reference_letters(part), part[:80]
            assert langcheck.script_of(part) == script_language(part), part[:80]
            checked += 1
    assert checked > 500


MD_REFERENCE = re.compile(r"[#*_>`|~\[\]()]|^\s*[-+]\s+|^\s*\d+[.)]\s+|-{3,}|:?-{2,}:?", re.MULTILINE)
MD_PIECES = list("#*_>`|~[]()+-:.)a1я中\t ") + ["\n", "---", "1. ", "- ", "\u3000", "\r\n", "**"]


@settings(max_examples=400, deadline=None)
@given(_text(MD_PIECES))
def test_markdown_syntax_regex_removes_what_the_plain_one_removes(text: str) -> None:
    assert markdown._MD_SYNTAX.sub("", text) == MD_REFERENCE.sub("", text)


LINE_PIECES = list("#*_( 1２一、.)|=-:ab\t") + ["**", "__", "  ", "１.", "＃ ", "\u3000", "- ", "---"]
NEXT_LINES = st.one_of(st.none(), st.sampled_from(["", "---", "==", "  -", "x", " =", "-x", "- a", "=-", "    ---"]),
                       _text(LINE_PIECES, 5))


@settings(max_examples=400, deadline=None)
@given(_text(LINE_PIECES, 12), NEXT_LINES)
def test_plain_line_pretest_never_hides_a_heading(line: str, next_line: str | None) -> None:
    fast = markdown._heading_of(line, next_line)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(markdown, "_plain_line", lambda *_: False)
        assert markdown._heading_of(line, next_line) == fast


SENTENCE_PIECES = list("ab .!?;。！？；\n\t") + ["  ", "\u3000", "\r", "\n\n"]
SPLITS = [
    (grader._SENTENCE, 3, re.compile(r"(?<=[.!?])\s+|(?<=[。！？])\s*|\n+")),
    (grounding._SENTENCES, 3, re.compile(r"(?<=[.!?])\s+|(?<=[。！？；;])|\n+")),
    (substance._SENT, None, re.compile(r"(?<=[.!?;])\s+|(?<=[。！？；])|\n+")),
]


@settings(max_examples=400, deadline=None)
@given(_text(SENTENCE_PIECES, 15))
def test_sentence_splits_equal_the_look_behind_splits(text: str) -> None:
    for pattern, whole, reference in SPLITS:
        sample = text if whole else text.replace("\n", "").replace("\r", "")  # _SENT splits single lines
        assert list(substance.split_at_groups(pattern, sample, whole=whole)) == reference.split(sample)


GROUNDING_PIECES = ["p", "p1", "p0", "p3", "p4", "a", "1", " ", "-", "to", "..", "/", "x", "9", "я", "_", "utc",
                    "мск", "msk", "cst", "beijing time", "europe/berlin", "asia/shanghai", "2026-11-20 ", "09:40",
                    "utc-", "+03:00", " pm", "a.m.", "z", ":", "ed", "need", "speed", "ли", "лось", "ено", "при"]


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    return [(m.span(), m.groups()) for m in pattern.finditer(text)]


@settings(max_examples=400, deadline=None)
@given(_text(GROUNDING_PIECES, 12))
def test_grounding_patterns_equal_their_look_behind_forms(text: str) -> None:
    level = re.compile(r"(?<![a-z0-9])p([0-3])(?![0-9a-z])")
    assert [(m.span(), m.groups()) for m in grounding._level_iter(text)] == _spans(level, text)
    assert list(grounding._iana_names(text)) == grounding._IANA.findall(text)
    rng = re.compile(r"(?<![a-z0-9])p[0-3]\s*(?:-|–|—|~|to|до|到|至|\.\.|/|…)\s*p[0-3](?![0-9a-z])")
    assert _spans(grounding._RANGE, text) == _spans(rng, text)
    time_reference = re.compile(grounding._TIME.pattern.removeprefix("(?=\\d)"))
    assert _spans(grounding._TIME, text) == _spans(time_reference, text)
    past = re.compile(grounding._PAST_FORM.pattern.removeprefix("(?=[a-zа-я])"))
    assert grounding._past_form(text) == bool(past.search(text))
    pattern, aliases = grounding._alias_re()
    alt = "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True))
    alias = re.compile(rf"(?<![a-zа-я])(?:{alt})(?![a-zа-я])").search(text)
    found = grounding._search_after_non_letter(pattern, text)
    assert (alias and alias.span()) == (found and found.span())


def _word_starts(words: list[str], before: str) -> re.Pattern[str]:
    return re.compile("|".join(rf"(?<!{before}){re.escape(w)}" for w in words))


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_word_lists_match_as_with_a_leading_look_behind(data: st.DataObject) -> None:
    deadline = sorted(set(grounding._words("deadline_words")), key=len, reverse=True)
    vendor = list(grounding._reading()["vendor_before"])
    text = data.draw(_text(deadline + vendor + ["a", "я", "1", " ", "_", "x"], 6))
    end = data.draw(st.integers(0, len(text)))
    cjk = [re.escape(w) for w in deadline if re.search(r"[\u3400-\u9fff]", w)]
    other = [re.escape(w) for w in deadline if not re.search(r"[\u3400-\u9fff]", w)]
    reference = re.compile(rf"(?<!\w)(?:{'|'.join(other)})" + (f"|{'|'.join(cjk)}" if cjk else ""))
    for pos_end in (len(text), end):
        ref, got = reference.search(text, 0, pos_end), grounding._deadline_re().search(text, 0, pos_end)
        assert (ref and ref.span()) == (got and got.span())
    ref, got = _word_starts(vendor, "[a-z0-9а-я]").search(text), grounding._vendor_word_re().search(text)
    assert (ref and ref.span()) == (got and got.span())


@settings(max_examples=300, deadline=None)
@given(_text(["p2", "high", "a", "-", " ", "я", "1", "высокий", "高", "hi"], 10),
       st.sampled_from(["p2", "high", "a-", "высокий", "高", "hi"]))
def test_vendor_level_occurrences_equal_the_regex(text: str, variant: str) -> None:
    cjk = bool(grounding._CJK_RE.search(variant))
    pattern = re.escape(variant) if cjk else rf"(?<![a-z0-9а-я-]){re.escape(variant)}(?![a-z0-9а-я-])"
    assert list(grounding._occurrences(variant, text, not cjk)) == [m.start() for m in re.finditer(pattern, text)]


@settings(max_examples=300, deadline=None)
@given(_text(list("ab .:/-_Kſı") + ["http", "://", ".com", ".CN", "x.y/", ".io", "HTTPS://", "1"], 12))
def test_url_pretest_equals_the_url_regex(text: str) -> None:
    assert substance._has_url(text) == bool("." in text and substance._URL.search(text))


def _old_met(req: cues.Requirement, norm: str) -> bool:
    starts = tuple(req.words)
    if req.least > 1:  # a count: each word start, substring and token occurrence
        words = sum(1 for t in re.findall(r"\w+", norm) if starts and t.startswith(starts))
        subs = sum(norm.count(w) for w in req.subs)
        return words + subs + (len(req.tokens.findall(norm)) if req.tokens else 0) >= req.least
    if starts and any(t.startswith(starts) for t in re.findall(r"\w+", norm)):
        return True
    return any(w in norm for w in req.subs) or bool(req.tokens and req.tokens.search(norm))


def _requirements() -> list[cues.Requirement]:
    return [r for skill, items in cues.cues_data()["skills"].items() for item in items
            for r in cues.item_cues(skill, item).require]


def test_requirement_regex_equals_the_token_test_on_suite_paragraphs() -> None:
    reqs = _requirements()
    assert reqs
    paragraphs = {markdown.normalize(p) for a in _answers() for p in a.split("\n\n")}
    for norm in paragraphs:
        body = cues.Body(norm)
        for req in reqs:
            assert req.met(body) == _old_met(req, norm), (req.say, norm[:80])


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_requirement_regex_equals_the_token_test(data: st.DataObject) -> None:
    reqs = _requirements()
    vocab = sorted({w for r in reqs for w in (*r.words, *r.subs)}) + ["a", "x", "_", "1", " ", ".", "10:30", "p1"]
    norm = data.draw(_text(vocab, 6))
    for req in reqs:
        assert req.met(cues.Body(norm)) == _old_met(req, norm)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_lexicon_holds_when_find_finds(data: st.DataObject) -> None:
    for lex in (grounding._observation_words()[2], cues.systems()):
        norm = data.draw(_text([*lex.subs, *lex.words, "a", "x", " ", "я", "1", "中"], 6))
        tokens = re.findall(r"\w+", norm)
        assert lex.holds(norm, tokens) == bool(lex.find(norm, tokens))


@settings(max_examples=300, deadline=None)
@given(_text(list("ab -$`#@_1 ") + ["--x", "$ ls", "`cmd`", "eu-west", "#chan", "@bob", "a1", "ab-cd2"], 8))
def test_command_and_identifier_pretests_equal_the_regexes(text: str) -> None:
    assert substance._has_command(text) == bool(("`" in text or "-" in text or "$" in text)
                                                and substance._COMMAND.search(text))
    if not substance._DIGIT.search(text):  # fact_in tests identifiers only after finding no digit
        assert bool(substance._IDENT.search(text)) == bool(("#" in text or "@" in text)
                                                           and substance._IDENT.search(text))


def test_signal_scores_equal_scores_over_all_prefixes() -> None:
    """Prefixes are built only up to the longest signal word; the scores are those of every prefix."""
    items = [cues.item_cues(skill, item) for skill, its in cues.cues_data()["skills"].items() for item in its]
    assert any(i.signal_words for i in items)
    for norm in {markdown.normalize(p) for a in _answers() for p in a.split("\n\n")}:
        body = cues.Body(norm)
        every = {t[:i] for t in re.findall(r"\w+", norm) for i in range(1, min(len(t), 24) + 1)}
        for ic in items:
            want = len(ic.signal_words & every) + sum(1 for w in ic.signal_subs if w in norm)
            assert ic.signal_score(body) == want


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_cjk_filler_regex_equals_the_phrase_loop(data: st.DataObject) -> None:
    phrases = substance._filler_index()[1]
    norm = data.draw(_text([*phrases, "中", "文", " ", "a", "1", "。"], 6))
    assert substance._filler_hit(norm) == _filler_hit_reference(norm)


def _filler_hit_reference(norm: str) -> bool:
    by_first, cjk = substance._filler_index()
    for tok in set(re.findall(r"\w+", norm)).intersection(by_first):
        for phrase in by_first[tok]:
            i = norm.find(phrase)
            while i >= 0:
                end = i + len(phrase)
                if (i == 0 or not norm[i - 1].isalnum()) and (end == len(norm) or not norm[end].isalnum()):
                    return True
                i = norm.find(phrase, i + 1)
    # a one-character phrase (无, 略) counts only as the whole sentence, give or take punctuation and digits
    return bool(cjk) and substance._CJK.search(norm) is not None and any(
        w in norm if len(w) > 1 else re.fullmatch(rf"[\W\d_]*{w}[\W\d_]*", norm) is not None for w in cjk)


def _leading_look_behind(words: list[str]) -> re.Pattern[str]:
    """``grounding.word_pattern`` as first written: the look-behind before each word (no fast scan)."""
    alts = []
    for word in sorted({w for w in words if w}, key=len, reverse=True):
        stem = markdown.normalize(word.removesuffix("*"))
        if re.search(r"[\u3400-\u9fff]", stem):
            alts.append(re.escape(stem))
        else:
            alts.append(rf"(?<![\w-]){re.escape(stem)}" + ("" if word.endswith("*") else r"(?![\w-])"))
    return re.compile("|".join(alts))


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_word_pattern_equals_its_leading_look_behind_form(data: st.DataObject) -> None:
    """word_pattern puts each word's literal first and its look-behind after it: the same matches, found by a scan."""
    reading = grounding._reading()
    status = grounding.grading_config()["status_page_reading"]
    lists = [grounding._words("commitment_words"), grounding._words("business_window_words"),
             grounding._words("deadline_joiners"), grounding._words("clock_change_words"),
             list(reading["hypothetical"]),
             [w for key in ("page", "green", "negation") for ws in status[key].values() for w in ws]]
    words = data.draw(st.sampled_from(lists))
    stems = [markdown.normalize(w.removesuffix("*")) for w in words]
    text = data.draw(_text(stems + ["a", "я", "1", " ", "-", "_", "中", "x"], 8))
    ref, got = _leading_look_behind(words), grounding.word_pattern(words)
    assert _spans(ref, text) == _spans(got, text)
    start = data.draw(st.integers(0, len(text)))
    first, fast = ref.search(text, start), got.search(text, start)  # a search from a position looks behind it alike
    assert (first and first.span()) == (fast and fast.span())
