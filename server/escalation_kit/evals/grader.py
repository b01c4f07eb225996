"""Deterministic contract grader: does an answer hold every required item of its skill's contract?

An item passes when a heading carrying one of its words (in en, ru or zh) has at least
``min_chars`` of content under it, or, when no heading names it, a paragraph outside the
other items' sections carries one of its content cues with that much substance. A heading
with nothing under it fails even when the words appear elsewhere: the section is what the
reader looks for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, Field

from escalation_kit.evals.cues import Body as CueBody
from escalation_kit.evals.cues import item_cues
from escalation_kit.evals.data import grading_config
from escalation_kit.evals.langcheck import answer_language, off_language_paragraphs
from escalation_kit.evals.markdown import (
    Section,
    clean_title,
    normalize,
    split_sections,
    substance_chars,
)
from escalation_kit.evals.substance import is_filler, key, nonsense, sentences, split_at_groups
from escalation_kit.skillpack.contracts import Contract, ContractItem, load_contract

Status = Literal["pass", "fail", "unscored", "skipped"]
_CJK = re.compile(r"[\u3400-\u9fff]")
_TOKEN = re.compile(r"\w+")
# Sentence breaks: the spaces after . ! ? (group 1), any spaces after 。！？ (group 2), a run of newlines
# (group 3, all of it separator). One leading character class lets the regex engine jump to each candidate.
_SENTENCE = re.compile(r"[.!?。！？\n](?:(?<=[.!?])(\s+)|(?<=[。！？])(\s*)|(?<=\n)(\n*))")


class ItemResult(BaseModel):
    """One contract item: passed or not, how it was found, and the text that satisfied it."""

    id: str
    title: str
    passed: bool
    evidence: str = Field(default="", description="The heading or sentence that satisfied the item")
    required: bool = True
    matched_by: Literal["heading", "cue", "none"] = "none"
    chars: int = Field(default=0, description="Substance characters found under the heading")
    reason: str = ""


class CheckResult(BaseModel):
    """A check beyond the contract items: language, grounding, trajectory, expectation or judge."""

    id: str
    kind: Literal["language", "grounding", "trajectory", "expectation", "judge"]
    status: Status
    detail: str = ""
    evidence: str = ""

    @property
    def passed(self) -> bool:
        return self.status in ("pass", "skipped")


class GradeResult(BaseModel):
    skill: str
    passed: bool
    items: list[ItemResult]
    checks: list[CheckResult] = Field(default_factory=list)

    def item(self, item_id: str) -> ItemResult:
        """The result of one contract item by id (KeyError naming it when the skill's contract has no such item)."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def failures(self) -> list[str]:
        """Stable ids of what failed: ``item:<id>`` and ``check:<id>`` (unscored counts as failed)."""
        out = [f"item:{i.id}" for i in self.items if i.required and not i.passed]
        return out + [f"check:{c.id}" for c in self.checks if not c.passed]

    def add_checks(self, checks: list[CheckResult]) -> GradeResult:
        """Append checks and recompute ``passed``."""
        self.checks.extend(checks)
        self.passed = not self.failures()
        return self


@dataclass(frozen=True)
class _Phrase:
    text: str
    tokens: tuple[str, ...]
    cjk: bool


@dataclass(frozen=True)
class _Matcher:
    contract: Contract
    phrases: tuple[tuple[ContractItem, tuple[_Phrase, ...]], ...]
    cues: tuple[tuple[ContractItem, tuple[str, ...]], ...]
    memo: dict[str, ContractItem | None] = field(default_factory=dict, compare=False, hash=False)


def _phrase(text: str) -> _Phrase:
    norm = clean_title(text)
    return _Phrase(norm, tuple(_TOKEN.findall(norm)), bool(_CJK.search(norm)))


_MATCHERS: dict[int, tuple[Contract, _Matcher]] = {}


def _matcher(contract: Contract) -> _Matcher:
    """Pre-normalise a contract's heading words and cues once per contract object."""
    hit = _MATCHERS.get(id(contract))
    if hit is not None and hit[0] is contract:
        return hit[1]
    built = _build_matcher(contract)
    _MATCHERS[id(contract)] = (contract, built)
    return built


def _build_matcher(contract: Contract) -> _Matcher:
    phrases, cues = [], []
    for item in contract.items:
        words = {w for lang_words in item.headings.values() for w in lang_words}
        words |= set(item_cues(contract.skill, item.id).headings)
        phrases.append((item, tuple(sorted((_phrase(w) for w in words), key=lambda p: -len(p.text)))))
        cue_words = {normalize(c) for lang_cues in item.cues.values() for c in lang_cues}
        cues.append((item, tuple(sorted(cue_words))))
    return _Matcher(contract, tuple(phrases), tuple(cues))


def _token_match(word: str, tokens: list[str]) -> bool:
    """A phrase word matches a title token sharing its stem (Russian and English inflect)."""
    need = min(len(word), max(4, len(word) - 2))
    return any(tok.startswith(word[:need]) for tok in tokens)


def _phrase_in(phrase: _Phrase, title: str, title_tokens: list[str]) -> bool:
    if phrase.cjk:
        return phrase.text.replace(" ", "") in title.replace(" ", "")
    return all(_token_match(w, title_tokens) for w in phrase.tokens)


def match_item(matcher: _Matcher, title: str) -> ContractItem | None:
    """The item whose longest heading phrase occurs in ``title`` (contract order breaks ties).

    Memoised per contract: answers reuse the same few headings, so most lookups are hits.
    """
    if not title:
        return None
    memo = matcher.memo
    if title in memo:
        return memo[title]
    tokens = _TOKEN.findall(title)
    best, best_len = None, 0
    for item, phrases in matcher.phrases:
        for ph in phrases:
            if len(ph.text) > best_len and _phrase_in(ph, title, tokens):
                best, best_len = item, len(ph.text)
                break
    if len(memo) < 4096:
        memo[title] = best
    return best


_PLACEHOLDER_MAX = 24
# A terse section that states a figure ("首次响应截止：11:00（北京时间）") needs only this much substance.
TERSE_WITH_FACT = 15
_HARD_FACT = re.compile(r"\d|https?://")
# A template field left unfilled: "- Title: <short summary>", "Impact: [business impact]", "影响：<影响>".
_TEMPLATE_LINE = re.compile(r"^[ \t>*+\-\d.)]*[^\W\d][^:：\n]{0,40}[:：]\s*"
                            r"(?:<[^<>\n]{1,80}>|\[[^\[\]\n]{1,80}\])[ \t.;。]*$", re.MULTILINE)


def _is_placeholder(body: str) -> bool:
    """Is the body only placeholder lines (TBD, N/A, 待定...)? Long lines never are."""
    words = grading_config()["placeholders"]
    for ln in body.splitlines():
        if len(ln) > _PLACEHOLDER_MAX:
            return False
        ln = normalize(re.sub(r"^[\s>*+\-\d.)]+", "", ln)).strip(" .:")
        if ln and ln not in words:
            return False
    return True


def _unfilled_template(body: str) -> bool:
    """Two or more fields still reading '<...>' and nothing else in the body that states a number or URL."""
    fields = _TEMPLATE_LINE.findall(body)
    return len(fields) >= 2 and not _HARD_FACT.search(_TEMPLATE_LINE.sub("", body))


def _first_sentence(text: str, limit: int = 160) -> str:
    text = text.replace("**", "").replace("__", "")
    for part in split_at_groups(_SENTENCE, text, whole=3):
        part = part.strip(" -*>#\t")
        if len(part) > 3:
            return part[:limit]
    return text.strip()[:limit]


def _cue_hit(cues: tuple[str, ...], text: str) -> str | None:
    norm = normalize(text)
    for cue in cues:
        if _CJK.search(cue):
            if cue in norm:
                return cue
        elif re.search(rf"(?<!\w){re.escape(cue)}(?!\w)", norm):
            return cue
    return None


@dataclass
class _Body:
    """One headed section claimed by an item, with what the substance checks need."""

    idx: int
    sec: Section
    text: str
    sents: list[str]
    keys: list[str]


def _terse_list_says_enough(sents: list[str]) -> bool:
    """Several short items that together are a statement (40 characters, or 15 Chinese ones) with no filler
    phrase: a terse answer's "restart -> no effect; direct connection -> timeout" carries content."""
    from escalation_kit.evals.substance import is_statement

    return is_statement(" ".join(sents))


def _fail(item: ContractItem, reason: str, evidence: str, chars: int = 0) -> ItemResult:
    return ItemResult(id=item.id, title=item.title, passed=False, required=item.required, matched_by="heading",
                      chars=chars, evidence=evidence[:200], reason=reason[:400])


def _quote(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _judge_body(item: ContractItem, skill: str, body: _Body, repeats: dict[str, str],
                others: list[ContractItem], union: CueBody | None = None) -> ItemResult:
    """Every substance and content check of one claimed section, in order of what a reader notices.

    ``union`` is every section the item's headings name, headings included: a requirement marked ``across`` may
    be met in another ("待解决问题" asks the questions, "**复盘**：恢复后 3 个工作日内" says when the review is)."""
    heading = body.sec.raw_title.rstrip(":： ")
    text = body.text
    if not text:
        return _fail(item, f"heading {heading!r} has 0 characters of content under it; "
                           f"at least {item.min_chars} are required", heading)
    if _is_placeholder(text):
        return _fail(item, f"placeholder: the section under {heading!r} is only {_quote(text, 40)!r}", heading)
    if _unfilled_template(text):
        return _fail(item, f"placeholder: the section under {heading!r} is a template with its fields left "
                           f"unfilled: {_quote(text, 80)!r}", heading)
    odd = nonsense(text)
    if odd:
        return _fail(item, f"filler: the section under {heading!r} is not language ({odd}): {_quote(text)!r}",
                     f"{heading}: {_quote(text)}")
    if len(text) <= 2 * len(heading) + 8 and key(text) and key(text) in key(body.sec.title) + key(heading):
        return _fail(item, f"heading echo: the body only repeats the heading: {_quote(text)!r}", f"{heading}: {text}")
    fresh, repeated = None, None
    for sent, sent_key in zip(body.sents, body.keys, strict=True):
        if is_filler(sent):
            continue
        owner = repeats.get(sent_key)
        if owner in (None, item.id):
            fresh = sent
            break
        repeated = repeated or (sent, owner)
    if fresh is None and repeated is None and len(set(body.keys)) >= 2 and _terse_list_says_enough(body.sents):
        fresh = " ".join(body.sents)  # short items that together are a statement
    if fresh is None and repeated is None:
        return _fail(item, f"filler: no sentence under {heading!r} states a fact (a number, time, name, command, "
                           f"URL or system), e.g. {_quote(body.sents[0] if body.sents else text)!r}",
                     f"{heading}: {_quote(text)}")
    if fresh is None:
        sent, first = repeated
        return _fail(item, f"repeated text: everything under {heading!r} repeats the {first} section: "
                           f"{_quote(sent)!r}", f"{heading}: {_quote(sent)}")
    chars = substance_chars(text)
    need = min(item.min_chars, TERSE_WITH_FACT) if _HARD_FACT.search(text) else item.min_chars
    if chars < need:
        return _fail(item, f"heading {heading!r} has {chars} characters of content under it; "
                           f"at least {need} are required", heading, chars)
    cues = item_cues(skill, item.id)
    # "Деэскалируем **сразу**": bold inside a refused phrase does not hide it
    plain = CueBody(normalize(text.replace("**", "").replace("__", "")))
    refused = next((r for r in cues.refuse if r.met(plain)), None)
    if refused is not None:
        return _fail(item, f"content: the section under {heading!r} {refused.say}: {_quote(text)!r}",
                     f"{heading}: {_quote(text)}", chars)
    if not cues.require:
        return ItemResult(id=item.id, title=item.title, passed=True, required=item.required, matched_by="heading",
                          chars=chars, evidence=f"{heading}: {_first_sentence(fresh)}")
    parsed = CueBody(normalize(text))
    missing = next((r for r in cues.require if not r.met(union if r.across and union is not None else parsed)), None)
    if missing is not None:
        better = _reads_as(skill, parsed, others, cues.signal_score(parsed))
        if better is not None:
            return _fail(item, f"misplaced: the body under {heading!r} reads as {better.title!r}, not as "
                               f"{item.title!r}: {_quote(text)!r}", f"{heading}: {_quote(text)}", chars)
    if missing is not None:
        return _fail(item, f"content: the section under {heading!r} {missing.say}; it says {_quote(text)!r}",
                     f"{heading}: {_quote(text)}", chars)
    return ItemResult(id=item.id, title=item.title, passed=True, required=item.required, matched_by="heading",
                      chars=chars, evidence=f"{heading}: {_first_sentence(fresh)}")


def _reads_as(skill: str, body: CueBody, others: list[ContractItem], own: int) -> ContractItem | None:
    """Another item whose content cues the body matches clearly better (all its requirements met)."""
    best, best_score = None, max(2, own + 2)
    for other in others:
        oc = item_cues(skill, other.id)
        if not oc.signals or not all(r.met(body) for r in oc.require):
            continue
        score = oc.signal_score(body)
        if score >= best_score:
            best, best_score = other, score
    return best


def span_end(secs: list[Section], owner: list[str | None], index: int) -> int:
    """One past the last section nested under section ``index``, stopping at another item's heading at any level.

    A numbered line ("3. Evidence") is a deeper level than a ``##`` heading before it, but a reader
    sees a new section, not a sub-section, when it names another item.
    """
    head = secs[index]
    for j in range(index + 1, len(secs)):
        if secs[j].level <= head.level or (owner[j] is not None and owner[j] != owner[index]):
            return j
    return len(secs)


def item_text(secs: list[Section], owner: list[str | None], index: int) -> str:
    """The body the grader judges for section ``index``: its own and its nested sub-sections' (``span_end``)."""
    parts = [secs[index].body]
    for sec in secs[index + 1:span_end(secs, owner, index)]:
        parts += [sec.raw_title, sec.body]
    return "\n".join(p for p in parts if p).strip()


def _bodies(secs: list[Section], claimed: dict[str, list[tuple[int, Section]]],
            owner: list[str | None]) -> dict[str, list[_Body]]:
    out: dict[str, list[_Body]] = {}
    for item_id, pairs in claimed.items():
        for idx, sec in pairs:
            text = item_text(secs, owner, idx)
            sents = sentences(text)
            out.setdefault(item_id, []).append(_Body(idx, sec, text, sents, [key(s) for s in sents]))
    return out


def _repeats(bodies: dict[str, list[_Body]]) -> dict[str, str]:
    """Sentence key -> the item whose section first holds it (answer order); short keys are ignored."""
    first: dict[str, tuple[int, str]] = {}
    for item_id, bs in bodies.items():
        for b in bs:
            for k in b.keys:
                long_enough = len(k) >= 12 or (len(k) >= 5 and _CJK.search(k))
                if long_enough and (k not in first or b.idx < first[k][0]):
                    first[k] = (b.idx, item_id)
    return {k: v[1] for k, v in first.items()}


def _paragraphs_after_label(sec: Section) -> list[str]:
    """The paragraphs after the first of a section a run-in label opens ("Параллельно собираем: логи …" then, after a
    blank line, "Обращение в Yandex Cloud — Critical issue … до 21:55"): a chat message's label speaks for its own
    paragraph, so an item with no heading of its own may still be found by its cues in the ones that follow. A
    paragraph opening with a bold label of its own is not offered: a label too long to be a heading stays refused."""
    if sec.strong or not sec.inline:
        return []
    return [p for p in re.split(r"\n\s*\n", sec.body)[1:] if not _BOLD_OPENING.match(p)]


_BOLD_OPENING = re.compile(r"\s*(?:[-*+>]\s+)?(?:\*\*|__)")  # "**Label.** …", "- **Label:** …"


def _by_cue(item: ContractItem, cues: tuple[str, ...], free: list[str]) -> ItemResult:
    """Fallback for an item with no heading: a substantial paragraph in unclaimed text holding a cue."""
    for block in free:
        for para in re.split(r"\n\s*\n", block):
            cue = _cue_hit(cues, para) if cues else None
            if cue and substance_chars(para) >= item.min_chars:
                return ItemResult(id=item.id, title=item.title, passed=True, required=item.required,
                                  matched_by="cue", chars=substance_chars(para),
                                  evidence=_first_sentence(para))
    return ItemResult(id=item.id, title=item.title, passed=False, required=item.required,
                      reason="no heading names this item and no unclaimed paragraph carries its content cues")


def read_items(answer: str, contract: Contract) -> tuple[list[Section], list[str | None]]:
    """The answer's sections as the grader reads them, and the contract item each one names (None: no item)."""
    m = _matcher(contract)
    secs = split_sections(answer, accept_weak=lambda t: match_item(m, t) is not None,
                          item_of=lambda t: item.id if (item := match_item(m, t)) else None)
    owner = []
    for sec in secs:
        item = match_item(m, sec.title)
        owner.append(item.id if item else None)
    return secs, owner


def grade_contract(answer: str, contract: Contract) -> list[ItemResult]:
    """Grade ``answer`` against every item of ``contract``, in contract order."""
    m = _matcher(contract)
    secs, owner = read_items(answer, contract)
    claimed: dict[str, list[tuple[int, Section]]] = {}
    for idx, sec in enumerate(secs):
        if owner[idx] is not None:
            claimed.setdefault(owner[idx], []).append((idx, sec))
    free = [secs[i].body for i, o in enumerate(owner) if o is None and not _inside_claimed(secs, owner, i)]
    free += [p for i, o in enumerate(owner) if o is not None for p in _paragraphs_after_label(secs[i])]
    bodies = _bodies(secs, claimed, owner)
    repeats = _repeats(bodies)
    swapped = _swapped_pairs(contract, bodies)
    out = []
    for item, cues in m.cues:
        if item.id in swapped:
            out.append(swapped[item.id])
        elif item.id in claimed:
            others = [o for o in contract.items if o.id != item.id]
            union = CueBody(normalize("\n".join(f"{b.sec.title}\n{b.text}" for b in bodies[item.id])))
            tried = [_judge_body(item, contract.skill, b, repeats, others, union) for b in bodies[item.id]]
            out.append(next((r for r in tried if r.passed), max(tried, key=lambda r: r.chars)))
        elif shared := _shared_bodies(m, item, claimed, bodies):
            # a heading naming two items ("Escalation, SLA and communication", "工单、SLA 与钉钉作战室") holds both:
            # this item's checks run on that section, whose sentences are its own as much as the other item's
            others = [o for o in contract.items if o.id != item.id]
            own = dict(repeats) | {k: item.id for b in shared for k in b.keys}
            tried = [_judge_body(item, contract.skill, b, own, others) for b in shared]
            best = next((r for r in tried if r.passed), max(tried, key=lambda r: r.chars))
            # the shared section may carry only the other item ("Суть/описание: <the description>"): this item may
            # still be found by its cues in unclaimed text, as an item with no heading is (a chat's opening line)
            found = best if best.passed else _by_cue(item, cues, free)
            out.append(found if found.passed else best)
        else:
            out.append(_by_cue(item, cues, free))
    return out


# What joins two items in one heading: a comma, slash, ampersand, plus, 、, and/и/与/和/及.
_HEADING_JOIN = re.compile(r"\s*(?:[,/&+、]|(?<!\w)(?:and|и)(?!\w)|[与和及])\s*")


def _shared_bodies(m: _Matcher, item: ContractItem, claimed: dict[str, list[tuple[int, Section]]],
                   bodies: dict[str, list[_Body]]) -> list[_Body]:
    """The sections another item claims whose heading, split where it joins parts, names ``item`` in one part and
    the claiming item in another."""
    out = []
    for other, pairs in claimed.items():
        for (_, sec), body in zip(pairs, bodies[other], strict=True):
            parts = [p for p in _HEADING_JOIN.split(sec.title) if p]
            if len(parts) < 2:
                continue
            named = {hit.id for p in parts if (hit := match_item(m, p)) is not None}
            if item.id in named and other in named:
                out.append(body)
    return out


def _reads_better(skill: str, body: CueBody, own: ContractItem, other: ContractItem) -> bool:
    """The body reads clearly as ``other`` (``_reads_as``'s rule, for one pair of items)."""
    return _reads_as(skill, body, [other], item_cues(skill, own.id).signal_score(body)) is not None


def _swapped_pairs(contract: Contract, bodies: dict[str, list[_Body]]) -> dict[str, ItemResult]:
    """Items whose sections hold each other's content: each body reads clearly as the other item.

    A section that only mixes in another item's words still passes on its own requirements; two sections that
    each read as the other are the same content under the wrong headings (an answer's "impact" table under the
    timeline heading and the timeline under "impact"), which a reader does not take as either item answered.
    """
    only = {i: bs[0] for i, bs in bodies.items() if len(bs) == 1}
    items = [it for it in contract.items if it.id in only]
    parsed = {i: CueBody(normalize(b.text)) for i, b in only.items()}
    out: dict[str, ItemResult] = {}
    for n, a in enumerate(items):
        for b in items[n + 1:]:
            if a.id in out or b.id in out:
                continue
            if _reads_better(contract.skill, parsed[a.id], a, b) and _reads_better(contract.skill, parsed[b.id], b, a):
                for own, other in ((a, b), (b, a)):
                    body = only[own.id]
                    heading = body.sec.raw_title.rstrip(":： ")
                    out[own.id] = _fail(own, f"swapped: the body under {heading!r} reads as {other.title!r} and the "
                                             f"body under {other.title!r}'s heading reads as {own.title!r}: "
                                             f"{_quote(body.text)!r}", f"{heading}: {_quote(body.text)}",
                                        substance_chars(body.text))
    return out


def _inside_claimed(secs: list[Section], owner: list[str | None], i: int) -> bool:
    """Is section ``i`` a sub-section of a section that an item claimed?"""
    level = secs[i].level
    for j in range(i - 1, 0, -1):
        if secs[j].level < level:
            if owner[j] is not None:
                return True
            level = secs[j].level
    return False


def check_language(answer: str, expected: str) -> CheckResult:
    """The answer must be written in the language the case expects (the reporter's)."""
    got, how = answer_language(answer)
    if got != expected:
        return CheckResult(id="language", kind="language", status="fail",
                           detail=f"expected {expected}, answer is {got} ({how})")
    off = off_language_paragraphs(answer, expected)
    if off:
        lang, quote = off[0]
        return CheckResult(id="language", kind="language", status="fail", evidence=quote,
                           detail=f"the answer is {expected} but {len(off)} paragraph(s) switch to {lang}: {quote!r}")
    return CheckResult(id="language", kind="language", status="pass", detail=f"{expected} throughout ({how})")


def grade_answer(
    answer: str,
    skill: str | None = None,
    *,
    contract: Contract | None = None,
    language: str | None = None,
) -> GradeResult:
    """Grade one Markdown answer against a skill's contract, optionally requiring a language."""
    if contract is None:
        if skill is None:
            raise TypeError("grade_answer needs skill or contract")
        contract = load_contract(skill)
    items = grade_contract(answer, contract)
    result = GradeResult(skill=contract.skill, passed=True, items=items)
    return result.add_checks([check_language(answer, language)] if language else [])
