"""The triage pipeline a person runs from the CLI: language -> severity -> vendor path -> SLA -> brief.

Each step runs once, in order, and hands its typed result to the next: the language decided first is
the one every later step words its output in, and the vendor path resolved once is the one the SLA
clock and the brief use. It only chains the published tools, so the CLI and the MCP tools can never
disagree on a figure.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from escalation_kit import tools
from escalation_kit.briefs import BriefResult
from escalation_kit.errors import InputError
from escalation_kit.language import LanguageResult
from escalation_kit.paths import prompts_dir
from escalation_kit.severity import SeverityResult
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


def _offset_zone(moment: datetime) -> str:
    """An IANA zone with opened_at's own fixed offset (Etc/GMT signs are inverted), or UTC if none fits."""
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    if minutes == 0 or minutes % 60:
        return "UTC"
    return f"Etc/GMT{-minutes // 60:+d}"


def run_triage(req: TriageRequest) -> TriageReport:
    """Run every step once on built-in defaults and return each step's output plus the rendered brief."""
    if not req.vendor and (req.plan or req.region):
        raise InputError("vendor", "--plan and --region need --vendor", vendor_ids())
    zone = req.timezone or _offset_zone(req.opened_at)
    parse_zone(zone)
    lang = tools.detect_language(req.text)
    out_lang = lang.answer_language if req.language == "auto" else req.language
    sev = tools.classify_severity(req.text, language=out_lang)
    production = sev.features.get("production")
    path = (
        tools.pick_vendor_support_path(req.vendor, sev.severity, req.plan, req.region, production)
        if req.vendor else None
    )
    clock = tools.compute_sla_deadlines(
        sev.severity, req.opened_at, timezone=zone, calendar=req.calendar, now=req.now,
        vendor_path=path if path and path.available else None,
    )
    facts = _brief_facts(req.text, sev, path, clock, out_lang, _phrases()[out_lang])
    doc = tools.format_escalation_brief(facts, language=out_lang, timezone=zone)
    return TriageReport(language=lang, severity=sev, vendor_path=path, sla=clock, brief=doc)


def _summary(text: str, limit: int = 120) -> str:
    line = text.strip().splitlines()[0].strip()
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _vendor_lines(sev: SeverityResult, path: VendorPath, words: dict[str, Any]) -> tuple[list[str], list[str]]:
    """What to ask the vendor for, and the context lines about the vendor path."""
    names = {"vendor_name": path.vendor_name, "plan_name": path.plan_name}
    needed: list[str] = []
    if path.available and path.case_severity:
        needed.append(words["needed_vendor"].format(case=path.case_severity.name, **names))
        if not path.exact_match:
            needed.append(words["mapping_note"].format(severity=sev.severity, case=path.case_severity.name, **names))
    else:
        needed.append(words["needed_no_case"].format(**names))
    context = [words["context_status_page"].format(name=p.name, url=p.url) for p in path.status_pages]
    if path.unverified:
        context.append(words["context_unverified_count"].format(count=len(path.unverified)))
    return needed, context


def _brief_facts(
    text: str,
    sev: SeverityResult,
    path: VendorPath | None,
    clock: SlaResult,
    out_lang: str,
    words: dict[str, Any],
) -> dict[str, Any]:
    """Map the tools' outputs onto the escalation brief's facts, in the output language's wording."""
    needed = [words["needed_investigate"]]
    context = [words["context_rationale"].format(rationale=sev.rationale)]
    target = words["target"][sev.severity]
    if path:
        target = words["target_vendor"].format(vendor_name=path.vendor_name, plan_name=path.plan_name)
        vendor_needed, vendor_context = _vendor_lines(sev, path, words)
        needed = vendor_needed + needed
        context += vendor_context
    questions = sev.questions
    if questions:
        needed.append(words["needed_questions"].format(questions=words["list_sep"].join(questions)))
    if out_lang == "en":  # the clock's notes and the playbook's step labels are written in English
        context += [words["context_sla_note"].format(note=n) for n in clock.notes]
        needed += [words["policy_step"].format(at=t.at.isoformat(timespec="minutes"), label=t.label)
                   for t in clock.escalation_triggers if t.kind == "policy_step" and t.at > clock.opened_at]
    deadline = min(clock.first_response_due, clock.internal_due)
    return {
        "summary": _summary(text),
        "severity": sev.severity,
        "description": text.strip(),
        "target": target,
        "customers_affected": sev.scope or None,
        "sla_status": _sla_status(clock, words),
        "needed": needed,
        "deadline": deadline.isoformat(),
        "supporting_context": context,
    }


def _sla_status(clock: SlaResult, words: dict[str, Any]) -> str:
    source = words["sources"].get(clock.target_source.split(":")[0], clock.target_source)
    text = words["sla_status"].format(
        due=clock.first_response_due.isoformat(timespec="minutes"), minutes=clock.target_minutes,
        clock=words["clocks"][clock.clock], source=source,
    )
    if clock.internal_due != clock.first_response_due:
        text += "; " + words["sla_both"].format(
            due=clock.internal_due.isoformat(timespec="minutes"), minutes=clock.internal_target_minutes,
            clock=words["clocks"][clock.internal_clock],
        )
    if clock.status is not None:
        text += "; " + words["sla_now"].format(
            status=words["status_names"][clock.status],
            percent=round(clock.percent_consumed or 0),
            remaining=round(clock.remaining_minutes or 0),
        )
    return text
