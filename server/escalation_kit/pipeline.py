"""The triage pipeline a person runs from the CLI: language -> severity -> vendor path -> SLA -> brief.

It only chains the core tools, feeding each one's output to the next, so the CLI and the
MCP tools can never disagree on a figure.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, Field, field_validator

from escalation_kit.brief import BriefResult, format_escalation_brief
from escalation_kit.errors import InputError
from escalation_kit.language import LanguageResult, detect_language
from escalation_kit.paths import prompts_dir
from escalation_kit.severity import SeverityResult, classify_severity
from escalation_kit.sla import SlaResult, compute_sla_deadlines
from escalation_kit.vendors import VendorPath, pick_vendor_support_path


class TriageRequest(BaseModel):
    text: str = Field(min_length=1)
    opened_at: datetime
    vendor: str | None = None
    plan: str | None = None
    region: str | None = None
    timezone: str = "UTC"
    now: datetime | None = None
    language: Literal["auto", "en", "ru", "zh"] = "auto"

    @field_validator("opened_at", "now")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.utcoffset() is None:
            raise ValueError("needs a UTC offset, e.g. 2026-11-22T10:00:00+08:00")
        return value


class TriageReport(BaseModel):
    language: LanguageResult
    severity: SeverityResult
    vendor_path: VendorPath | None
    sla: SlaResult
    brief: BriefResult


@cache
def _phrases() -> dict[str, Any]:
    return yaml.safe_load((prompts_dir() / "triage" / "phrases.yaml").read_text(encoding="utf-8"))


def _check_timezone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        allowed = ["an IANA name such as UTC, Asia/Shanghai, Europe/Moscow"]
        raise InputError("timezone", f"unknown IANA time zone {name!r}", allowed) from exc


def run_triage(req: TriageRequest) -> TriageReport:
    """Run every step on built-in defaults and return each step's output plus the rendered brief."""
    _check_timezone(req.timezone)
    lang = detect_language(req.text)
    out_lang = lang.answer_language if req.language == "auto" else req.language
    sev = classify_severity(req.text)
    path = pick_vendor_support_path(req.vendor, sev.severity, req.plan, req.region) if req.vendor else None
    clock = compute_sla_deadlines(
        sev.severity,
        req.opened_at,
        vendor=req.vendor if path and path.available else None,
        plan=path.plan if path and path.available else None,
        timezone=req.timezone,
        now=req.now,
    )
    facts = _brief_facts(req.text, sev, path, clock, _phrases()[out_lang])
    doc = format_escalation_brief(facts, language=out_lang, timezone=req.timezone)
    return TriageReport(language=lang, severity=sev, vendor_path=path, sla=clock, brief=doc)


def _summary(text: str, limit: int = 120) -> str:
    line = text.strip().splitlines()[0].strip()
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _brief_facts(
    text: str, sev: SeverityResult, path: VendorPath | None, clock: SlaResult, words: dict[str, Any]
) -> dict[str, Any]:
    """Map the tools' outputs onto the escalation brief's facts, in the output language's wording."""
    needed = [words["needed_investigate"]]
    context = [words["context_rationale"].format(rationale=sev.rationale)]
    target = words["target"][sev.severity]
    if path:
        names = {"vendor_name": path.vendor_name, "plan_name": path.plan_name}
        target = words["target_vendor"].format(**names)
        if path.available and path.case_severity:
            needed.insert(0, words["needed_vendor"].format(case=path.case_severity.name, **names))
        else:
            needed.insert(0, words["needed_no_case"].format(note=path.note, **names))
        context += [words["context_status_page"].format(name=p.name, url=p.url) for p in path.status_pages]
        if path.unverified:
            context.append(words["context_unverified"].format(fields=", ".join(path.unverified)))
    if sev.questions:
        needed.append(words["needed_questions"].format(questions="; ".join(sev.questions)))
    return {
        "summary": _summary(text),
        "severity": sev.severity,
        "description": text.strip(),
        "target": target,
        "customers_affected": sev.scope or None,
        "sla_status": _sla_status(clock, words),
        "needed": needed,
        "deadline": clock.first_response_due.isoformat(),
        "supporting_context": context,
    }


def _sla_status(clock: SlaResult, words: dict[str, Any]) -> str:
    due = clock.first_response_due.isoformat(timespec="minutes")
    text = words["sla_status"].format(
        due=due, minutes=clock.target_minutes, clock=clock.clock, source=clock.target_source
    )
    if clock.status is not None:
        text += "; " + words["sla_now"].format(
            status=words["status_names"][clock.status],
            percent=round(clock.percent_consumed or 0),
            remaining=round(clock.remaining_minutes or 0),
        )
    return text
