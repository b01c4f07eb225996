"""Classify an incident P0-P3 from free text and/or structured impact facts.

The lexicon, cues, rules, questions and vendor names are data in ``references/severity/``;
this module only glues them together. Facts override what the text suggests; the text fills
the gaps. The same input always gives the same output.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from escalation_kit.errors import InputError, from_validation_error
from escalation_kit.language import script_language
from escalation_kit.lean import new_list
from escalation_kit.severity import learned
from escalation_kit.severity.confidence import Evidence, confidence
from escalation_kit.severity.data import questions, rule_says, rules, wording
from escalation_kit.severity.match import find_signals
from escalation_kit.severity.rules import (
    FEATURES,
    Decision,
    base_decision,
    evaluate,
    facts_features,
    merge_text,
    probe,
    settle,
)
from escalation_kit.vocab import LANGS, Severity

MAX_TEXT_CHARS = 20_000


class ImpactFacts(BaseModel):
    """Structured impact facts; every field is optional and overrides what the text suggests.

    Unknown keys are rejected: a misspelt or invented fact ("impact", "security") silently ignored
    would leave the level decided by the text alone.
    """

    model_config = ConfigDict(extra="forbid")

    # Flags and counts are strict: "no", 0 or "off" read as false would lower a level on a guess, and a count of
    # 10**30 regions or minutes is no fact. A caller gets an error naming the field instead.
    production: bool | None = Field(default=None, strict=True, description="Production system?")
    users_affected_pct: float | None = Field(
        default=None, ge=0, le=100, strict=True, description="% of users or requests affected"
    )
    regions_affected: int | None = Field(default=None, ge=0, le=1000, strict=True,
                                         description="Regions or zones affected")
    core_function_affected: bool | None = Field(
        default=None, strict=True, description="Login, checkout, API... down?"
    )
    data_loss: Literal["none", "suspected", "confirmed"] | None = None
    security_exposure: Literal["none", "suspected", "confirmed"] | None = None
    workaround: bool | None = Field(default=None, strict=True, description="Practical workaround exists?")
    revenue_at_risk: bool | None = Field(default=None, strict=True)
    duration_minutes: int | None = Field(default=None, ge=0, le=5_256_000, strict=True)  # at most ten years
    customer_tier: str | None = Field(default=None, max_length=64, description="e.g. enterprise, free")


class Signal(BaseModel):
    id: str
    text: str = Field(description="The matched words as they appear in the input")
    start: int
    end: int
    level: Severity
    language: str
    kind: str = Field(default="", description="What the signal tells the rules: outage, scope, workaround...")
    negated: bool = Field(default=False, description="A negation cue precedes it ('not down'); it did not count")
    hedged: bool = Field(default=False, description="A conditional cue precedes it ('if it goes down')")
    suspected: bool = Field(default=False, description="A suspicion cue precedes it ('possible breach')")


class SeverityResult(BaseModel):
    severity: Severity
    confidence: float = Field(ge=0.0, le=1.0)
    decided_by: str = Field(description="Id of the rule that decided the level")
    rationale: str = Field(description="Why this level, in the language of the text (rule ids stay English)")
    signals: list[Signal] = Field(default_factory=new_list)
    scope: str = Field(default="", description="Environment and breadth, in the language of the text")
    questions: list[str] = Field(default_factory=new_list, description="Questions whose answers could change the level")
    vendor_case_severity: dict[str, str] = Field(
        default_factory=dict,
        description="Case severity per vendor on its default plan, as pick_vendor_support_path gives it",
    )
    alternative: Severity | None = None
    language: str = Field(default="en", description="Language the rationale, scope and questions are written in")
    features: dict[str, Any] = Field(default_factory=dict, description="Impact features the rules saw")
    assumed: list[str] = Field(default_factory=new_list, description="Unknown features read pessimistically")
    question_ids: list[str] = Field(default_factory=new_list, description="Feature ids behind `questions`")


def _coerce_facts(facts: ImpactFacts | dict | None) -> ImpactFacts | None:
    """Accept a model, a dict or None; a bad dict raises InputError naming the field."""
    if facts is None or isinstance(facts, ImpactFacts):
        return facts
    if not isinstance(facts, dict):
        raise InputError("facts", f"expected an object, got {type(facts).__name__}")
    try:
        return ImpactFacts.model_validate(facts)
    except ValidationError as exc:
        err = from_validation_error(exc, "facts")
        if any(e["type"] == "extra_forbidden" for e in exc.errors()):
            err = InputError("facts", str(err).removeprefix("facts: "), allowed=list(ImpactFacts.model_fields))
        raise err from exc


_ENV_KEY = {True: "production", False: "non_production", None: "unknown"}


def _scope_text(feats: dict[str, Any], lang: str) -> str:
    """Environment and breadth in the language of the text, marking what was not stated."""
    words = wording()[lang]
    env = words["environment"][_ENV_KEY[feats["production"]]]
    breadth = words["breadth"].get(feats["scope"] or "unknown", words["breadth"]["unknown"])
    return f"{env}{words['scope_join']}{breadth}"


def _level_reading(text: str, hits: list, feats: dict[str, Any], decision: Decision,
                   memo: dict[str, Any]) -> Decision | None:
    """The level reading's lower level, settled by caps and floors, when a rule it may second-guess decided.

    It starts from the override/base rule (so a workaround cap or a data/security floor still applies after
    it) and only ever lowers; None when it keeps the rule's level. (Stop 16 tried leaving capped answers
    unread, since non-production outages are P2 in the rubric's table: adding a workaround then raised "typo
    in the docs" from P3 to P2, breaking the monotonicity the property tests keep, so caps stay "at most".)"""
    policy = rules()["learned_level"]
    base = base_decision(feats)
    if base.stage != "base" or base.rule_id not in policy["over"] or feats["revenue"] is True:
        return None  # a named revenue path or stated revenue at risk: the models do not talk it down (stop 25)
    got = learned.read_level(text, hits, base.level, policy["margin"], policy["p0_guard"], memo=memo)
    return _settled_reading(feats, decision, policy, got)


def _raise_reading(text: str, hits: list, feats: dict[str, Any], decision: Decision, from_text: Decision,
                   memo: dict[str, Any]) -> Decision | None:
    """P1 instead of a minor level when the rule that decided rests on little and the P0 model reads the report
    as one (rules.yaml ``learned_raise``); caps and floors settle it as they settle the rule's own level. Not when
    stated facts changed the answer the text alone gives: the facts decide then (measured out of sample, the raise
    over facts that moved the answer lost more than it gained)."""
    policy = rules()["learned_raise"]
    if decision.stage != "base" or decision.rule_id not in policy["over"]:
        return None
    if (decision.rule_id, decision.level) != (from_text.rule_id, from_text.level):
        return None
    got = learned.raise_level(text, hits, decision.level, policy["p0_at_least"], policy["level"], memo=memo)
    return _settled_reading(feats, decision, policy, got)


def _doubt_reading(text: str, hits: list, feats: dict[str, Any], decision: Decision, from_text: Decision,
                   memo: dict[str, Any]) -> Decision | None:
    """Another level when the rule that decided rests on the engine's reading of severity words and the level
    models read the report as unlike that level (rules.yaml ``learned_doubt``, switched off while its out-of-sample
    count says so). Not when stated facts changed the answer the text alone gives: the facts decide then."""
    policy = rules()["learned_doubt"]
    if not policy["enabled"] or decision.rule_id not in policy["over"]:
        return None
    if (decision.rule_id, decision.level) != (from_text.rule_id, from_text.level):
        return None
    got = learned.doubt_level(text, hits, decision.level, policy["below"], policy["at_least"], policy["p0_guard"],
                              memo=memo)
    return _settled_reading(feats, decision, policy, got)


def text_reading_room(feats: dict[str, Any], stage: str, facts_given: bool) -> tuple[bool, bool] | None:
    """Whether the text reading may lower and may raise the level reached (features as the rules saw them, the
    stage of the decision), or None when it may not act.

    It never lowers a report that states its whole user base or several regions are hit (the models never see the
    scope words) or names a revenue path, and never raises one the rules read as saying nothing is broken: no
    impact, a minor (cosmetic, docs) issue or a question (the models never read negation words, and a question
    about an outage reads to them like the outage). With facts, a decision of the override stage (a confirmed
    breach or loss) and stated confirmed security or data facts are final. None of this depends on the
    workaround, so adding one never raises."""
    if facts_given and (stage == "override" or feats["security"] in ("confirmed", "compromised")
                        or feats["data_loss"] == "confirmed"):
        return None
    return (feats["scope"] not in ("all", "multi_region") and feats["revenue"] is not True,
            feats["impact"] not in ("none", "minor", "question"))


def _text_reading(text: str, hits: list, feats: dict[str, Any], decision: Decision, facts_given: bool,
                  memo: dict[str, Any]) -> Decision | None:
    """The level models' own level for the whole report, when it clearly leads on the side of the level reached so
    far (rules.yaml ``learned_text``), within ``text_reading_room``, settled by caps and floors."""
    policy = rules()["learned_text"]
    room = text_reading_room(feats, decision.stage, facts_given) if policy["enabled"] else None
    if room is None:
        return None
    guard = policy["p0_guard_with_facts" if facts_given else "p0_guard"]
    got = learned.text_level(text, hits, decision.level, policy["margin"], guard, may_lower=room[0],
                             may_raise=room[1], memo=memo)
    return _settled_reading(feats, decision, policy, got)


def _settled_reading(feats: dict[str, Any], decision: Decision, policy: dict[str, Any],
                     got: learned.LevelReading | None) -> Decision | None:
    """A reading's level as the decision, settled by caps and floors; None when there is none or it changes
    nothing."""
    if got is None:
        return None
    settled = settle(feats, Decision(got.level, policy["id"], policy["says"]["en"], policy["confidence"], "learned",
                                     reading=got))
    return settled if settled.level != decision.level else None


def _rationale(decision, feats, hits, stated, facts, lang: str, readings=(), replaced=None) -> str:
    """One paragraph in the text's language: the deciding rule, the evidence, and what was assumed."""
    w = wording()[lang]
    sep, quote = w["list_sep"], w["quote"]
    says = rule_says()[decision.rule_id].get(lang, decision.says)
    parts = [w["decided"].format(level=decision.level, rule=decision.rule_id, says=says)]
    if replaced is not None and decision.reading is not None:
        words = sep.join(quote.format(t.replace("_", " ")) for t in decision.reading.words)
        parts.append(w["learned"]["level"].format(rule=replaced.rule_id, rule_level=replaced.level,
                                                  level=decision.reading.level, words=words or "-"))
    counted = [h for h in hits if h.effect() and h.sig.kind != "urgency"]
    if counted:
        parts.append(w["text"].format(items=sep.join(f"{h.sig.id} {quote.format(h.text)}" for h in counted[:8])))
    for reading in readings:
        words = sep.join(quote.format(t.replace("_", " ")) for t in reading.words)
        parts.append(w["learned"][reading.name].format(words=words or "-"))
    ignored = [h for h in hits if h.negated or h.hedged]
    if ignored:
        parts.append(w["ignored"].format(items=sep.join(quote.format(h.text) for h in ignored[:5])))
    if any(h.sig.kind == "urgency" for h in hits):
        parts.append(w["urgency"])
    if stated:
        parts.append(w["facts"].format(items=sep.join(f"{k}={v}" for k, v in sorted(stated.items()))))
    context = []
    if facts is not None and facts.duration_minutes is not None:
        context.append(w["duration"].format(minutes=facts.duration_minutes))
    if facts is not None and facts.customer_tier:
        context.append(w["tier"].format(tier=facts.customer_tier))
    if context:
        parts.append(w["context"].format(items=sep.join(context)))
    unknown = [k for k in ("scope", "production", "workaround") if feats[k] is None]
    if unknown and decision.level in ("P0", "P1"):
        parts.append(w["unknown"].format(items=sep.join(w["unknown_names"][k] for k in unknown)))
    return w["sentence_join"].join(parts)


def classify_severity(
    text: str | None = None, facts: ImpactFacts | dict | None = None, language: str | None = None
) -> SeverityResult:
    """Classify P0-P3 with the rule that decided it, the evidence and the open questions.

    ``language`` is the language to word the rationale, scope and questions in (the reply language the
    caller already decided); without it the text's own language is detected once here. Vendor case
    names are added by ``escalation_kit.tools``, which sits above both severity and vendors.
    """
    return assess(text, facts, language)[0]


def assess(
    text: str | None = None, facts: ImpactFacts | dict | None = None, language: str | None = None
) -> tuple[SeverityResult, Evidence]:
    """classify_severity plus the evidence its confidence was looked up by (for calibration)."""
    if text is not None and not isinstance(text, str):
        raise InputError("text", f"expected a string, got {type(text).__name__}")
    if text is not None and len(text) > MAX_TEXT_CHARS:
        raise InputError("text", f"too long ({len(text)} characters); at most {MAX_TEXT_CHARS}")
    model = _coerce_facts(facts)
    if not (text and text.strip()) and model is None:
        raise InputError("text", "give incident text, facts, or both", allowed=["text", "facts"])
    lang = _wording_language(text, language)
    hits = find_signals(text, lang) if text else []
    feats, _flags = merge_text(hits)
    memo: dict[str, Any] = {}
    readings = learned.read(text, hits, feats, memo=memo)
    stated = facts_features(model, feats["impact"]) if model is not None else {}
    readings = [r for r in readings if learned.FEATURE[r.name] not in stated]  # a stated fact wins: no claim left
    from_text = evaluate(feats)
    feats.update(stated)
    decision = evaluate(feats) if stated else from_text
    asked, alternative = probe(feats, decision.level)
    replaced = decision
    read = _level_reading(text, hits, feats, decision, memo) if text else None
    if read is None and text:
        read = _raise_reading(text, hits, feats, decision, from_text, memo)  # one reading replaces the rule
    if read is None and text:
        read = _doubt_reading(text, hits, feats, decision, from_text, memo)
    if read is not None:
        decision, alternative = read, None  # asked: what would change the rule's own level
    if text:
        reread = _text_reading(text, hits, feats, decision, model is not None, memo)
        if reread is not None:
            read = decision = reread
            alternative = None
    catalogue = questions()
    assumed = [k for k in ("scope", "production", "workaround", "core") if feats[k] is None]
    evidence = _evidence(decision.rule_id, hits, assumed, stated)
    result = SeverityResult(
        severity=decision.level,
        confidence=confidence(evidence),
        decided_by=decision.rule_id,
        rationale=_rationale(decision, feats, hits, stated, model, lang, readings, replaced if read else None),
        # Plain dicts: the result's own validator builds the Signal models in one pass (the same models, and the
        # same fields set, as Signal(...) per hit, for ~0.7 us a signal less than a Python-level call each).
        signals=[
            {"id": h.sig.id, "text": h.text, "start": h.start, "end": h.end, "level": h.sig.level,
             "language": h.language, "kind": h.sig.kind, "negated": h.negated, "hedged": h.hedged,
             "suspected": h.suspected}
            for h in hits
        ],
        scope=_scope_text(feats, lang),
        questions=[catalogue[k][lang] for k in asked],
        question_ids=asked,
        alternative=alternative,
        language=lang,
        features={k: feats[k] for k in FEATURES},
        assumed=assumed,
    )
    return result, evidence


def _evidence(rule: str, hits: list, assumed: list[str], stated: dict[str, Any]) -> Evidence:
    """What the answer rests on: unknowns, a text pointing two ways, a thin text, facts given."""
    counted = [h for h in hits if h.effect() and h.sig.kind != "urgency"]
    readings = {h.effect().get("impact") for h in counted} - {None}
    unknown = sum(k in assumed for k in ("scope", "production", "workaround"))
    return Evidence(rule, unknown, len(readings) > 1, len(counted) <= 1, len(stated))


def _wording_language(text: str | None, language: str | None) -> str:
    """The caller's reply language when given, else the text's script (the one cheap count; English by default).

    The triage pipeline and assistants that called detect_language pass ``language``; a standalone call
    only needs a wording language, which the script count gives in a few microseconds.
    """
    if language is not None:
        if language not in LANGS:
            raise InputError("language", f"expected one of {', '.join(LANGS)}, got {language!r}", allowed=LANGS)
        return language
    if not text or text.isascii():  # no Han or Cyrillic letter: the count could only say en or unknown, both "en"
        return "en"
    guess = script_language(text)
    return guess if guess in LANGS else "en"
