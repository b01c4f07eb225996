"""A scripted "model" for the fake Messages API: fixed tool calls, then an answer built from the tool results.

Turn 0 calls detect_language and classify_severity on the incident; turn 1 (when the prompt
names a vendor) calls pick_vendor_support_path and compute_sla_deadlines with the severity the
tool returned; the last turn answers with the skill's contract headings and the facts the
tools returned, so a grader that checks grounding sees a consistent answer. Judge requests
(forced ``record_verdict`` tool) get a verdict quoting the answer.
"""

from __future__ import annotations

import importlib.util
import json
import re
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[2]


@cache
def suite_builder() -> Any:
    spec = importlib.util.spec_from_file_location("make_core_suite", ROOT / "evals" / "tools" / "make_core_suite.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    return "\n".join(b.get("text", "") for b in content if isinstance(b, dict) and b.get("type") == "text")


def _tool_results(messages: list[dict[str, Any]]) -> dict[str, Any]:
    """Tool name -> parsed result of its last successful call, from the history."""
    names, out = {}, {}
    for m in messages:
        if not isinstance(m.get("content"), list):
            continue
        for b in m["content"]:
            if b.get("type") == "tool_use":
                names[b["id"]] = b["name"]
            elif b.get("type") == "tool_result" and not b.get("is_error"):
                try:
                    out[names.get(b["tool_use_id"], "?")] = json.loads(b.get("content") or "null")
                except (TypeError, json.JSONDecodeError):
                    continue
    return out


def _prompt_fact(prompt: str, key: str) -> str | None:
    m = re.search(rf"^{key}: (.+)$", prompt, re.MULTILINE)
    return m.group(1).strip() if m else None


class ScriptedModel:
    def __init__(self, answer_lang: str | None = None, judge_mode: str = "quote") -> None:
        self.answer_lang, self.judge_mode = answer_lang, judge_mode

    def __call__(self, body: dict[str, Any]) -> dict[str, Any]:
        if (body.get("tool_choice") or {}).get("name") == "record_verdict":
            return self.judge(body)
        messages = body["messages"]
        prompt = _text(messages[0]["content"])
        turn = sum(1 for m in messages if m["role"] == "assistant")
        results = _tool_results(messages)
        vendor = _prompt_fact(prompt, "vendor")
        if turn == 0:
            return self.tool_turn([("detect_language", {"text": prompt}), ("classify_severity", {"text": prompt})])
        if turn == 1 and vendor:
            level = (results.get("classify_severity") or {}).get("severity", "P1")
            args = {"severity": level, "opened_at": _prompt_fact(prompt, "opened_at") or "2026-11-20T09:40:00+00:00",
                    "vendor": vendor, "timezone": _prompt_fact(prompt, "timezone") or "UTC"}
            return self.tool_turn([("pick_vendor_support_path", {"vendor": vendor, "severity": level}),
                                   ("compute_sla_deadlines", args)])
        skill = re.search(r"^(?:name|Skill):\s*(\S+)", body.get("system") or "", re.MULTILINE)
        text = self.answer(skill.group(1) if skill else "incident-triage", prompt, results)
        return {"content": [{"type": "text", "text": text}], "stop_reason": "end_turn"}

    def tool_turn(self, calls: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
        blocks: list[dict[str, Any]] = [{"type": "text", "text": "Calling the tools."}]
        for i, (name, args) in enumerate(calls):
            blocks.append({"type": "tool_use", "id": f"toolu_{name}_{i}", "name": name, "input": args})
        return {"content": blocks, "stop_reason": "tool_use"}

    def answer(self, skill: str, prompt: str, results: dict[str, Any]) -> str:
        mod = suite_builder()
        lang = self.answer_lang or (results.get("detect_language") or {}).get("answer_language")
        if lang not in ("en", "ru", "zh"):
            from escalation_kit.language import script_language

            lang = script_language(prompt.split("\n\n")[0])
        lang = lang if lang in ("en", "ru", "zh") else "en"
        return mod.render(skill, lang, self.facts(prompt, results), style=0)

    def facts(self, prompt: str, results: dict[str, Any]) -> dict[str, str]:
        mod = suite_builder()
        level = (results.get("classify_severity") or {}).get("severity", "P1")
        vendor = _prompt_fact(prompt, "vendor") or "aws"
        base = mod.VENDORS.get(vendor, mod.VENDORS["aws"])
        tz = _prompt_fact(prompt, "timezone") or "UTC"
        opened = datetime.fromisoformat(_prompt_fact(prompt, "opened_at") or "2026-11-20T09:40:00+00:00")
        sla = results.get("compute_sla_deadlines") or {}
        tz = sla.get("timezone") or tz
        z = ZoneInfo(tz)
        due = datetime.fromisoformat(sla["first_response_due"]) if sla.get("first_response_due") else \
            opened + timedelta(minutes=mod.TARGET_MIN[level])
        upd = [datetime.fromisoformat(u["at"]) for u in sla.get("updates") or [] if u.get("at")] or [due]
        vp = results.get("pick_vendor_support_path") or {}
        case = vp.get("case_severity") or {}
        page = (vp.get("status_pages") or [{}])[0]
        esc = (vp.get("escalation") or [{}])[0]
        url = page.get("url") or base["status"][1]
        return {"service": "service", "region": "region", "level": level, "symptom": prompt.split("\n")[0][:120],
                "scope": "users of the affected service", "vendor_name": vp.get("vendor_name") or base["vendor_name"],
                "case_sev": case.get("name") or base["sev"][level][0], "status_host": url.split("/")[2],
                "status_name": page.get("name") or base["status"][0],
                "checked": (opened + timedelta(minutes=5)).astimezone(z).strftime("%H:%M"),
                "channel": base["channel"], "contact": esc.get("role") or base["contact"],
                "opened_date": opened.astimezone(z).strftime("%Y-%m-%d"),
                "opened": opened.astimezone(z).strftime("%H:%M"),
                "due_date": due.astimezone(z).strftime("%Y-%m-%d"), "due": due.astimezone(z).strftime("%H:%M"),
                "upd": upd[0].astimezone(z).strftime("%H:%M"), "tz": tz}

    def judge(self, body: dict[str, Any]) -> dict[str, Any]:
        text = _text(body["messages"][0]["content"])
        answer = text.split("<answer>")[-1].split("</answer>")[0].strip()
        if self.judge_mode == "garbage":
            return {"content": [{"type": "text", "text": "I think it passes."}], "stop_reason": "end_turn"}
        quote = answer.splitlines()[2][:60] if self.judge_mode == "quote" else "words that are not in the answer"
        verdict = {"verdict": "pass", "evidence": quote, "reason": "the section is present"}
        return {"content": [{"type": "tool_use", "id": "toolu_judge", "name": "record_verdict", "input": verdict}],
                "stop_reason": "tool_use"}
