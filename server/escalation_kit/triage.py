"""The triage pipeline a person runs from the CLI: language -> severity -> vendor path -> SLA -> brief.

Each step runs once, in order, and hands its typed result to the next: the language decided first is
the one every later step words its output in, and the vendor path resolved once is the one the SLA
clock and the brief use. It only chains the published tools, so the CLI and the MCP tools can never
disagree on a figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from escalation_kit import tools
from escalation_kit.briefs import BriefResult
from escalation_kit.briefs.names import level_name, plan_name, vendor_name
from escalation_kit.briefs.render import show_time
from escalation_kit.briefs.reported import ReportedStart, reported_start
from escalation_kit.errors import InputError
from escalation_kit.language import LanguageResult
from escalation_kit.paths import prompts_dir, references_dir
from escalation_kit.severity import SeverityResult
from escalation_kit.severity.data import rule_says, wording
from escalation_kit.sla import SlaResult
from escalation_kit.timezones import parse_instant, parse_zone
from escalation_kit.vendors import VendorPath, vendor_ids
from escalation_kit.vocab import LanguageChoice


class TriageRequest(BaseModel):
    text: str = Field(min_length=1)
    opened_at: datetime
    vendor: str | None = None
    plan: str | None = None
    region: str | None = None
    timezone: str | None = Field(default=None, description="IANA zone; default: opened_at's own offset")
    calendar: str | None = Field(default=None, description="Holiday calendar for business hours, e.g. CN")
    now: datetime | None = None
    language: LanguageChoice = "auto"

    @field_validator("opened_at", "now", mode="before")
    @classmethod
    def _aware(cls, value: str | datetime | None, info: ValidationInfo) -> datetime | None:
        return None if value is None else parse_instant(value, info.field_name or "time")


class TriageReport(BaseModel):
    language: LanguageResult
    severity: SeverityResult
    vendor_path: VendorPath | None
    sla: SlaResult = Field(description="The vendor case's clock when a vendor is given (internal_due beside it)")
    brief: BriefResult


@cache
def _phrases() -> dict[str, Any]:
    from escalation_kit.datafiles import load_yaml  # JSON snapshot of the YAML: start-up reads no data

    return load_yaml(prompts_dir() / "triage" / "phrases.yaml")


@cache
def _policy(name: str) -> dict[str, Any]:
    """A policy data file from references/policy/, read on first use."""
    from escalation_kit.datafiles import load_yaml

    return load_yaml(references_dir() / "policy" / name)


def _offset_zone(moment: datetime) -> str:
    """An IANA zone with opened_at's own fixed offset (Etc/GMT signs are inverted), or UTC if none fits."""
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    if minutes == 0 or minutes % 60:
        return "UTC"
    return f"Etc/GMT{-minutes // 60:+d}"


@dataclass(frozen=True)
class _Doc:
    """What every line of the brief shares: its language's phrases, zone and moments."""

    lang: str
    words: dict[str, Any]
    tz: Any
    opened_at: datetime
    now: datetime

    def time(self, moment: datetime) -> str:
        return show_time(moment, self.tz)

    def fill(self, key: str, **values: Any) -> str:
        """A phrase with its values; in Chinese, Latin names get a space from the Han text around them."""
        text = self.words[key].format(**values)
        return _zh_spacing(text) if self.lang == "zh" else text

    def duration(self, minutes: int) -> str:
        h, m = divmod(max(0, minutes), 60)
        if not h:
            return self.words["minutes"].format(m=m)
        return self.words["hours"].format(h=h) if not m else self.words["hours_minutes"].format(h=h, m=m)


_HAN = r"[\u4e00-\u9fff]"


def _zh_spacing(text: str) -> str:
    """One space between Han and Latin letters (中文 AWS 工单), none beside full-width punctuation."""
    text = re.sub(rf"({_HAN})([A-Za-z])", r"\1 \2", text)
    text = re.sub(rf"([A-Za-z][A-Za-z0-9+-]*)(?={_HAN})", r"\1 ", text)
    return re.sub(r" +([，。：；）、”])|([（“：]) +", lambda m: m[1] or m[2], text)


def run_triage(req: TriageRequest) -> TriageReport:
    """Run every step once on built-in defaults and return each step's output plus the rendered brief."""
    if not req.vendor and (req.plan or req.region):
        raise InputError("vendor", "--plan and --region need --vendor", vendor_ids())
    zone = req.timezone or _offset_zone(req.opened_at)
    reported = reported_start(req.text, req.opened_at, parse_zone(zone))
    if reported and reported.zone and not req.timezone:
        zone = reported.zone  # the reporter's own zone word ("МСК", "北京时间") sets the documents' zone
    tz = parse_zone(zone)
    lang = tools.detect_language(req.text)
    out_lang = lang.answer_language if req.language == "auto" else req.language
    sev = tools.classify_severity(req.text, language=out_lang)
    # the vendor path from the arguments the skills pass (vendor, level, plan, region, and production when the
    # report is read as non-production): the report's own reading of state and scope already decided the level,
    # and re-reading it here filed a different case severity than an assistant following a skill gets
    # (Cloudflare "P1 Urgent" for a P1 the tool files as "P2 High"); without production a staging outage was
    # filed at AWS as "Production system impaired"
    path = (tools.pick_vendor_support_path(req.vendor, sev.severity, req.plan, req.region,
                                           production=False if sev.features.get("production") is False else None)
            if req.vendor else None)
    clock = tools.compute_sla_deadlines(
        sev.severity, req.opened_at, timezone=zone, calendar=req.calendar, now=req.now,
        vendor_path=path if path and path.available else None,
    )
    doc = _Doc(out_lang, _phrases()[out_lang], tz, req.opened_at, req.now or req.opened_at)
    facts = _brief_facts(req.text, sev, path, clock, doc, reported)
    brief = tools.format_escalation_brief(facts, language=out_lang, timezone=zone)
    return TriageReport(language=lang, severity=sev, vendor_path=path, sla=clock, brief=brief)


def _summary(text: str, limit: int = 120) -> str:
    line = text.strip().splitlines()[0].strip()
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _case(path: VendorPath, lang: str, first: bool) -> str:
    """The case severity to file, as the vendor's console names it (explained on first mention)."""
    case = path.case_severity
    if case is None:
        return ""
    return level_name(path.vendor, case.level, lang, case.name, first=first)


def _names(path: VendorPath, lang: str) -> dict[str, str]:
    return {
        "vendor_name": vendor_name(path.vendor, lang, path.vendor_name),
        "plan_name": plan_name(path.vendor, path.plan or "", lang, path.plan_name or ""),
    }


def _vendor_lines(sev: SeverityResult, path: VendorPath, doc: _Doc) -> tuple[list[str], list[str]]:
    """What to ask the vendor for, and the context lines about the vendor path."""
    names = _names(path, doc.lang)
    needed: list[str] = []
    if path.available and path.case_severity:
        needed.append(doc.fill("needed_vendor", case=_case(path, doc.lang, first=True), **names))
        if not path.exact_match:
            needed.append(doc.fill("mapping_note", severity=sev.severity, case=_case(path, doc.lang, False), **names))
    else:
        needed.append(doc.fill("needed_no_case", **names))
    context = [
        doc.fill("context_status_page", name=_page_name(p.name, doc.lang), url=p.url) if p.url
        else doc.fill("no_status_page", **names)
        for p in path.status_pages
    ]
    if path.plan_assumed:
        context.append(doc.fill("plan_assumed", **names))
    if path.available and path.case_severity and path.case_severity.response_minutes is None:
        context.append(doc.fill("no_vendor_target", case=_case(path, doc.lang, False), **names))
    if path.unverified:
        context.append(doc.fill("context_unverified_count", count=len(path.unverified)))
    return needed, context


def _page_name(name: str, lang: str) -> str:
    """A status page's name without the English gloss the catalog adds, in ru/zh documents."""
    return name if lang == "en" else re.sub(r"\s*\([^()]*[A-Za-z][^()]*\)", "", name).strip() or name


# Where a clause of the report ends: full-width marks always, ASCII ones only before a space or the end
# (so "14:05", "v1.2" and "eu-west-1" stay whole).
CLAUSE_END = re.compile(r"[，。；：！？、\n]|[,;.!?:](?=\s|$)")
MAX_CLAUSE = 80


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The span widened to the clause around it, unless that clause is too long to quote."""
    left = max((m.end() for m in CLAUSE_END.finditer(text, 0, start)), default=0)
    right = next((m.start() for m in CLAUSE_END.finditer(text, end)), len(text))
    while left < start and text[left].isspace():
        left += 1
    return (left, right) if right - left <= MAX_CLAUSE else (start, end)


def _quoted_phrases(text: str, sev: SeverityResult) -> list[str]:
    """The report's own words behind the level: each matched span widened to its clause, in text order."""
    spans = sorted(_clause(text, s.start, s.end) for s in sev.signals if not (s.negated or s.hedged))
    phrases = [text[a:b].strip() for a, b in spans]
    return list(dict.fromkeys(p for p in phrases if p))


def _rationale(text: str, sev: SeverityResult, doc: _Doc) -> str:
    """Why this level, in plain words of the output language: the report's words and the rule's reason."""
    says = rule_says().get(sev.decided_by, {}).get(doc.lang) or ""
    says = says[:1].upper() + says[1:] if doc.lang == "ru" else says
    quotes = [doc.words["quote"].format(q) for q in _quoted_phrases(text, sev)]
    if quotes:
        line = doc.words["rationale"].format(level=sev.severity, quotes=doc.words["quote_sep"].join(quotes), says=says)
    else:
        line = doc.words["rationale_facts"].format(level=sev.severity, says=says)
    line = line.replace("..", ".").replace("。。", "。")
    names = wording().get(doc.lang, {}).get("unknown_names", {})
    unknown = [names.get(a, a) for a in sev.assumed if a in names]
    if unknown:
        line += " " if doc.lang != "zh" else ""
        line += doc.words["rationale_unknown"].format(items=doc.words["unknown_sep"].join(unknown))
    return line


def _started(reported: ReportedStart | None, doc: _Doc) -> dict[str, Any]:
    """The incident's start and how long it has lasted, when the reporter said when it began."""
    if reported is None:
        return {}
    lasted = int((doc.now - reported.at).total_seconds() // 60)
    detail = doc.fill("started", phrase=reported.phrase, duration=doc.duration(lasted))
    return {"started_at": reported.at.isoformat(), "started_detail": detail}


def _steps(path: VendorPath | None, clock: SlaResult, doc: _Doc) -> list[str]:
    """The playbook's timed steps, translated from the step id; the case named as the console does."""
    labels = doc.words["playbook"]
    case = _case(path, doc.lang, first=False) if path else ""
    out = []
    for trigger in clock.escalation_triggers:
        step = trigger.source.rsplit("#", 1)[-1]
        if trigger.kind != "policy_step" or step not in labels:
            continue
        label = _zh_spacing(labels[step].format(case=case)) if doc.lang == "zh" else labels[step].format(case=case)
        key = "step_now" if trigger.at <= clock.opened_at else "step_at"
        out.append(doc.fill(key, at=doc.time(trigger.at), label=label))
    return out


def _cadences(sev: SeverityResult, clock: SlaResult, doc: _Doc) -> list[str]:
    """P0/P1: the war room's 15-30 min status beside the follow-up cadence the SLA tool computes."""
    out = []
    war = _policy("comms-cadence.yaml")["war_room"].get(sev.severity)
    if war:
        first = clock.opened_at + timedelta(minutes=war["max_minutes"])
        out.append(doc.fill("cadence_war_room", low=war["min_minutes"], high=war["max_minutes"], at=doc.time(first)))
    for kind, key, table in (("internal_update", "cadence_follow_up", "every"),
                             ("customer_update", "cadence_customer", "customer_every")):
        nxt = next((u for u in clock.updates if u.kind == kind), None)
        if nxt is None:
            continue
        row = nxt.source.rsplit(".", 1)[-1]
        every = doc.words[table].get(row)
        if every:
            out.append(doc.fill(key, every=every, at=doc.time(nxt.at)))
    return out


def _security(sev: SeverityResult, doc: _Doc) -> tuple[list[str], list[str]]:
    """Suspected or confirmed exposure: route to security and list the breach clocks that may apply."""
    if sev.features.get("security") not in ("suspected", "confirmed"):
        return [], []
    policy = _policy("breach-notification.yaml")
    heading = doc.words["breach_heading"].format(label=policy["label"][doc.lang])
    nested = "".join(f"\n  - {c['text'][doc.lang]}" for c in policy["clocks"])
    return [doc.words["needed_security"]], [heading + nested]


def _plain_note(note: str) -> bool:
    """An SLA note fit for people: no field or catalog identifiers, not one the brief already words itself."""
    restated = ("No plan given", "no committed first-response time", "counted from opened_at")
    return not re.search(r"\b[a-z]+_[a-z_]+\b|\[?seed-\d+", note) and not any(r in note for r in restated)


def _brief_facts(
    text: str,
    sev: SeverityResult,
    path: VendorPath | None,
    clock: SlaResult,
    doc: _Doc,
    reported: ReportedStart | None,
) -> dict[str, Any]:
    """Map the tools' outputs onto the escalation brief's facts, in the output language's wording."""
    words = doc.words
    security_needed, breach = _security(sev, doc)
    needed = [words["needed_investigate"]]
    context = [words["context_rationale"].format(rationale=_rationale(text, sev, doc))]
    target = words["target"][sev.severity]
    if path:
        target = doc.fill("target_vendor", **_names(path, doc.lang))
        vendor_needed, vendor_context = _vendor_lines(sev, path, doc)
        needed = vendor_needed + needed
        context += vendor_context
    if security_needed:
        target = words["target_security"]
        needed = security_needed + needed
    if sev.questions:
        needed.append(words["needed_questions"].format(questions=words["list_sep"].join(sev.questions)))
    needed += _steps(path, clock, doc) + _cadences(sev, clock, doc)
    if doc.lang == "en":  # the clock's own notes are English; those restated above or naming fields stay in JSON
        context += [words["context_sla_note"].format(note=n) for n in clock.notes if _plain_note(n)]
    context.append(doc.fill("clock_note", opened=doc.time(clock.opened_at)))
    deadline = min(clock.first_response_due, clock.internal_due)
    return {
        "summary": _summary(text),
        "severity": sev.severity,
        "description": text.strip(),
        **_started(reported, doc),
        "target": target,
        "customers_affected": sev.scope or None,
        "sla_status": _sla_status(clock, doc),
        "needed": needed,
        "deadline": deadline.isoformat(),
        "supporting_context": context + breach,
    }


def _sla_status(clock: SlaResult, doc: _Doc) -> str:
    words = doc.words
    source = words["sources"].get(clock.target_source.split(":")[0], words["sources"]["policy"])
    sep = "；" if doc.lang == "zh" else "; "
    text = doc.fill(
        "sla_status", due=doc.time(clock.first_response_due), minutes=clock.target_minutes,
        clock=words["clocks"][clock.clock], source=source,
    )
    if clock.internal_due != clock.first_response_due:
        text += sep + doc.fill(
            "sla_both", due=doc.time(clock.internal_due), minutes=clock.internal_target_minutes,
            clock=words["clocks"][clock.internal_clock],
        )
    if clock.status is not None:
        text += sep + doc.fill(
            "sla_now", status=words["status_names"][clock.status],
            percent=round(clock.percent_consumed or 0), remaining=round(clock.remaining_minutes or 0),
        )
    return text
