"""``eval view REPORT``: one static HTML page with every case's transcript and verdicts.

For each case and trial: pass/fail, each contract item's verdict with its evidence or reason,
every check, then the conversation turn by turn (user message, model text, each tool call with
its arguments and result) and the final answer. No scripts, no network: ``<details>`` folds.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any

from escalation_kit.errors import InputError
from escalation_kit.evals.transcript import Transcript

_CSS = """body{font:14px/1.45 system-ui,sans-serif;margin:2em;max-width:1100px;color:#222}
.pass{color:#116611}.fail{color:#aa1111}details{margin:.4em 0 .4em 1em}summary{cursor:pointer}
pre{white-space:pre-wrap;background:#f6f6f6;padding:.6em;border-radius:4px;max-height:30em;overflow:auto}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2em .5em;vertical-align:top;text-align:left}
.turn{border-left:3px solid #ccd;padding-left:.8em;margin:.6em 0}"""


def _load_report(path: Path) -> tuple[dict[str, Any], Path]:
    p = path / "report.json" if path.is_dir() else path
    try:
        return json.loads(p.read_text(encoding="utf-8")), p
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError("report", f"cannot read report {p}: {exc}") from exc


def _verdicts(grade: dict[str, Any] | None) -> str:
    if not grade:
        return "<p>not graded</p>"
    rows = []
    for it in grade.get("items", []):
        mark = "pass" if it["passed"] else "fail"
        text = it.get("evidence") if it["passed"] else (it.get("reason") or it.get("evidence"))
        rows.append(f"<tr><td class={mark}>{mark}</td><td>item:{escape(it['id'])}</td>"
                    f"<td>{escape(text or '')}</td></tr>")
    for c in grade.get("checks", []):
        mark = "pass" if c["status"] in ("pass", "skipped") else "fail"
        rows.append(f"<tr><td class={mark}>{escape(c['status'])}</td><td>check:{escape(c['id'])}</td>"
                    f"<td>{escape(c.get('detail') or '')}</td></tr>")
    return "<table><tr><th></th><th>item / check</th><th>evidence or reason</th></tr>" + "".join(rows) + "</table>"


def _conversation(tr: Transcript) -> str:
    parts = []
    reqs = {r.get("turn"): r for r in tr.requests}
    for resp in tr.responses:
        html = [f"<div class=turn><b>turn {resp.turn}</b>"]
        for m in (reqs.get(resp.turn) or {}).get("messages", []):
            content = m.get("content")
            text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False, indent=1)
            html.append(f"<details><summary>{escape(m.get('role', '?'))} message</summary><pre>{escape(text[:6000])}"
                        f"</pre></details>")
        if resp.text:
            html.append(f"<details open><summary>model text</summary><pre>{escape(resp.text)}</pre></details>")
        for call in (c for c in tr.tool_calls if c.turn == resp.turn):
            res = json.dumps(call.result, ensure_ascii=False, indent=1)
            html.append(f"<details><summary>tool {escape(call.name)}{' (error)' if call.is_error else ''}</summary>"
                        f"<pre>{escape(json.dumps(call.input, ensure_ascii=False, indent=1))}</pre>"
                        f"<pre>{escape(res[:8000])}</pre></details>")
        parts.append("".join(html) + "</div>")
    if tr.error:
        parts.append(f"<p class=fail>error: {escape(tr.error)}</p>")
    return "".join(parts)


def render(report: dict[str, Any], base: Path) -> str:
    """The viewer page for a parsed report.json; transcripts are read from the paths the trials name."""
    body = [f"<h1>{escape(report.get('suite', '?'))} — {escape(report.get('mode', ''))}</h1>"]
    cases = report.get("cases", [])
    passed = sum(1 for c in cases if all(t.get("passed") for t in c.get("trials", [])))
    body.append(f"<p>{passed}/{len(cases)} cases passed{' — interrupted, partial' if report.get('interrupted') else ''}"
                "</p>")
    for c in cases:
        ok = all(t.get("passed") for t in c.get("trials", []))
        body.append(f"<details{'' if ok else ' open'}><summary class={'pass' if ok else 'fail'}>"
                    f"{escape(c['id'])} ({escape(c.get('skill', ''))}, {escape(c.get('language', ''))})</summary>")
        for t in c.get("trials", []):
            body.append(f"<h3>trial {t.get('trial', 0)}: {'pass' if t.get('passed') else 'fail'}"
                        f"{' — expected ' + escape(str(t.get('expect'))) if t.get('expect') == 'fail' else ''}</h3>")
            if t.get("error"):
                body.append(f"<p class=fail>harness error: {escape(t['error'])}</p>")
            body.append(_verdicts(t.get("grade")))
            path = t.get("transcript")
            if path:
                p = Path(path) if Path(path).is_absolute() else base / path
                try:
                    tr = Transcript.load(p)
                    body.append(_conversation(tr))
                    body.append(f"<details><summary>final answer</summary><pre>{escape(tr.answer)}</pre></details>")
                except InputError as exc:
                    body.append(f"<p class=fail>{escape(str(exc))}</p>")
        body.append("</details>")
    return (f"<!doctype html><html><head><meta charset=utf-8><title>eval view</title><style>{_CSS}</style></head>"
            f"<body>{''.join(body)}</body></html>")


def write_view(report_path: Path, out: Path | None = None) -> Path:
    """Write the viewer next to the report (or to ``out``) and return its path."""
    data, p = _load_report(report_path)
    target = out or p.with_name("view.html")
    target.write_text(render(data, p.parent), encoding="utf-8")
    return target
