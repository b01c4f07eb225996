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

import re
from datetime import UTC, datetime, timedelta, timezone
from functools import cache, lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from escalation_kit.evals.data import grading_config
from escalation_kit.evals.grader import CheckResult
from escalation_kit.evals.markdown import normalize, normalize_cached
from escalation_kit.evals.transcript import Transcript
from escalation_kit.skillpack.contracts import Contract

_LEVEL = re.compile(r"(?<![a-z0-9])p([0-3])(?![0-9a-z])")
_TIME = re.compile(
    r"(?:(\d{4}-\d{2}-\d{2})[ t]?)?(?<![+\d])(?<!utc-)(?<!gmt-)"
    r"([01]?\d|2[0-3]):([0-5]\d)(?::\d{2})?(?:\s?(am|pm|a\.m\.|p\.m\.))?(z|[+-]\d{2}:?\d{2})?(?!\d)"
)
_OFFSET = re.compile(r"(?:utc|gmt)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?")
_IANA = re.compile(r"\b([a-z][a-z_]+/[a-z][a-z_]+(?:/[a-z_]+)?)\b")


@lru_cache(maxsize=16)
def _levels(text: str) -> tuple[str, ...]:
    return tuple(f"P{m.group(1)}" for m in _LEVEL.finditer(normalize_cached(text)))


def stated_levels(text: str) -> list[str]:
    """P0-P3 levels in order of appearance (memoised briefly: one grading asks several times)."""
    return list(_levels(text))


def _words(key: str) -> list[str]:
    return [w for ws in grading_config()[key].values() for w in ws]


def check_severity(answer: str, transcript: Transcript) -> list[CheckResult]:
    results = transcript.results_of("classify_severity")
    if not results or not isinstance(results[-1], dict) or "severity" not in results[-1]:
        return []
    tool = results[-1]["severity"]
    levels = stated_levels(answer)
    if not levels:
        return [CheckResult(id="severity", kind="grounding", status="fail",
                            detail=f"the answer states no P0-P3 level; classify_severity returned {tool}")]
    stated = levels[0]
    if stated == tool:
        return [CheckResult(id="severity", kind="grounding", status="pass", detail=f"{stated} as the tool")]
    why = _explained_override(answer, tool)
    status = "pass" if why else "fail"
    detail = (f"answer states {stated}, classify_severity returned {tool}"
              + (f"; the answer explains the difference: {why!r}" if why else " and the answer does not say why"))
    return [CheckResult(id="severity", kind="grounding", status=status, detail=detail, evidence=why or stated)]


def _explained_override(answer: str, tool_level: str) -> str | None:
    """A paragraph naming the tool's level together with an override word, if any."""
    words = _words("severity_override_words")
    for para in re.split(r"\n\s*\n|\n(?=\s*[-*#])", answer):
        norm = normalize(para)
        if tool_level in stated_levels(para):
            hit = next((w for w in words if w in norm), None)
            if hit:
                return para.strip()[:200]
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


def _zone_in(text: str) -> tuple[Any, str] | None:
    """The time zone a piece of text states: UTC±h, an IANA name or a known alias."""
    norm = normalize(text)
    m = _OFFSET.search(norm)
    if m:
        sign = 1 if m.group(1) == "+" else -1
        delta = timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0))
        return timezone(sign * delta), m.group(0)
    for name in _IANA.findall(norm) if "/" in norm else ():
        z = _zone(name) if name in _zone_names() else None
        if z is not None:
            return z, name
    pattern, aliases = _alias_re()
    m = pattern.search(norm)
    if m:
        return _zone(aliases[m.group(0)]), m.group(0)
    return None


def _tool_times(results: list[dict[str, Any]]) -> list[datetime]:
    out = []
    for r in results:
        vals = [r.get("first_response_due"), r.get("opened_at")]
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
    return re.compile(rf"(?<!\w)(?:{'|'.join(other)})" + (f"|{'|'.join(cjk)}" if cjk else ""))


@cache
def _alias_re() -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern for every time-zone alias (longest first), and the alias -> zone map."""
    aliases = grading_config()["timezone_aliases"]
    alt = "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True))
    return re.compile(rf"(?<![a-zа-я])(?:{alt})(?![a-zа-я])"), aliases


def _deadline_lines(answer: str) -> list[str]:
    """The tail of each line from its first deadline word on."""
    out = []
    for line in answer.splitlines():
        if ":" not in line and "：" not in line:  # no clock time on this line
            continue
        norm = normalize(line)
        m = _deadline_re().search(norm)
        if m and _TIME.search(norm, m.start()):
            out.append(norm[m.start():])
    return out


def _hour24(hour: int, meridiem: str | None) -> int:
    """12-hour clock to 24-hour: 2:40 pm -> 14, 12:10 am -> 0."""
    if not meridiem:
        return hour
    pm = meridiem.startswith("p")
    return (hour % 12) + (12 if pm else 0)


def check_deadlines(answer: str, transcript: Transcript) -> list[CheckResult]:
    results = [r for r in transcript.results_of("compute_sla_deadlines") if isinstance(r, dict)]
    times = _tool_times(results)
    if not results or not times:
        return []
    default = _zone_in(answer) or (_zone(results[-1].get("timezone") or "UTC"), results[-1].get("timezone") or "UTC")
    due = datetime.fromisoformat(str(results[-1]["first_response_due"]).replace("Z", "+00:00"))
    lines = _deadline_lines(answer)
    if not lines:
        return [CheckResult(id="deadline", kind="grounding", status="fail",
                            detail=f"the answer states no deadline time; the first response is due "
                                   f"{due.astimezone(default[0]):%Y-%m-%d %H:%M} ({default[1]})")]
    wrong, seen = [], []
    for line in lines:
        zone, zname = _zone_in(line) or default
        for m in _TIME.finditer(line):
            z = zone
            if m.group(5):
                off = m.group(5)
                z = UTC if off == "z" else timezone(
                    (1 if off[0] == "+" else -1) * timedelta(hours=int(off[1:3]), minutes=int(off[-2:])))
            allowed = {(t.astimezone(z).strftime("%Y-%m-%d"), t.astimezone(z).strftime("%H:%M")) for t in times}
            stamp = f"{_hour24(int(m.group(2)), m.group(4)):02d}:{m.group(3)}"
            ok = any(a[1] == stamp and (not m.group(1) or a[0] == m.group(1)) for a in allowed)
            (seen if ok else wrong).append(f"{m.group(0).strip()} ({zname})")
    if wrong:
        want = ", ".join(sorted({t.astimezone(default[0]).strftime('%H:%M') for t in times}))
        return [CheckResult(id="deadline", kind="grounding", status="fail", evidence="; ".join(wrong),
                            detail=f"stated time(s) {', '.join(wrong)} match no time compute_sla_deadlines "
                                   f"returned (in {default[1]}: {want})")]
    return [CheckResult(id="deadline", kind="grounding", status="pass", evidence="; ".join(seen),
                        detail=f"{len(seen)} stated deadline time(s) match the SLA tool")]


def check_vendor(answer: str, transcript: Transcript, want_status_page: bool = True) -> list[CheckResult]:
    results = [r for r in transcript.results_of("pick_vendor_support_path") if isinstance(r, dict)]
    if not results:
        return []
    r, norm, out = results[-1], normalize_cached(answer), []
    case = r.get("case_severity")
    if isinstance(case, dict) and case.get("name"):
        names = [n for n in (case.get("name"), case.get("api_code")) if n]
        hit = next((n for n in names if _has_term(norm, normalize(n))), None)
        out.append(CheckResult(id="vendor_severity", kind="grounding", status="pass" if hit else "fail",
                               evidence=hit or "",
                               detail=f"vendor case severity {' / '.join(names)}"
                                      + (" stated" if hit else " not stated in the answer")))
    pages = [p for p in r.get("status_pages") or [] if isinstance(p, dict)]
    if pages and want_status_page:
        keys = [re.sub(r"^https?://", "", p.get("url", "")).rstrip("/").split("/")[0] for p in pages]
        keys += [p.get("name", "") for p in pages]
        hit = next((k for k in keys if k and normalize(k) in norm), None)
        expected = ", ".join(k for k in keys if k)
        detail = f"status page {hit} named" if hit else f"status page not named; expected one of {expected}"
        out.append(CheckResult(id="status_page", kind="grounding", status="pass" if hit else "fail",
                               evidence=hit or "", detail=detail))
    return out


def _has_term(norm: str, term: str) -> bool:
    """``term`` occurs in ``norm`` as a whole word (CJK terms as a substring)."""
    if re.search(r"[\u3400-\u9fff]", term):
        return term in norm
    return bool(re.search(rf"(?<![a-z0-9а-я]){re.escape(term)}(?![a-z0-9а-я])", norm))


def grounding_checks(answer: str, transcript: Transcript, contract: Contract | None = None) -> list[CheckResult]:
    """All grounding checks that the transcript's tool results make possible.

    The status page is checked only when the skill's contract asks for a status-page item:
    other skills may mention their own status page for customer updates, which is not the
    provider's page the tool returned.
    """
    status = contract is None or any("status" in item.id for item in contract.items)
    return (check_severity(answer, transcript) + check_deadlines(answer, transcript)
            + check_vendor(answer, transcript, want_status_page=status))
