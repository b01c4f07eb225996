"""Write a run's reports: JSON (full), JUnit XML (CI), Markdown summary and a static HTML page.

The HTML needs no scripts or external files: per-case detail in <details> blocks and an
inline SVG bar chart of pass rates per skill and language.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from xml.etree import ElementTree as ET

from escalation_kit.evals.results import CaseResult, RunReport
from escalation_kit.vocab import LANGS

LANG_COLOURS = {"en": "#4472c4", "ru": "#c0504d", "zh": "#9bbb59"}


def _why(case: CaseResult) -> str:
    parts = []
    for t in case.trials:
        if t.error:
            parts.append(f"trial {t.trial}: harness error: {t.error}")
        elif not t.passed:
            if t.expect == "fail":
                parts.append(f"trial {t.trial}: expected failures {t.expected_failures}, got {t.failures}")
            else:
                details = []
                if t.grade:
                    details += [f"item:{i.id} ({i.reason})" for i in t.grade.items if i.required and not i.passed]
                    details += [f"check:{c.id} ({c.detail})" for c in t.grade.checks if not c.passed]
                parts.append(f"trial {t.trial}: " + "; ".join(details or t.failures))
    return "\n".join(parts)


def write_json(report: RunReport, path: Path) -> None:
    path.write_text(json.dumps(report.to_json(), ensure_ascii=False, indent=2), encoding="utf-8")


def junit_xml(report: RunReport) -> str:
    """One <testsuite> per skill, one <testcase> per case; errors and failures say why."""
    root = ET.Element("testsuites", name=f"escalation-kit eval {report.suite}", time=f"{report.wall_s:.3f}")
    for skill in sorted({c.skill for c in report.cases}):
        cases = [c for c in report.cases if c.skill == skill]
        ts = ET.SubElement(root, "testsuite", name=skill, tests=str(len(cases)),
                           failures=str(sum(not c.passed and not c.errored for c in cases)),
                           errors=str(sum(c.errored for c in cases)))
        for c in cases:
            ms = sum(t.ms for t in c.trials)
            tc = ET.SubElement(ts, "testcase", classname=f"{skill}.{c.language}", name=c.id, time=f"{ms / 1000:.3f}")
            if c.errored:
                ET.SubElement(tc, "error", message="harness error").text = _why(c)
            elif not c.passed:
                ET.SubElement(tc, "failure", message=f"pass rate {c.pass_rate:.2f}").text = _why(c)
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


def _comparison_md(cmp: dict) -> list[str]:
    lines = ["", f"## Against baseline ({cmp['test']})", "",
             f"McNemar exact p = {cmp['mcnemar_p']:.4g} over {cmp['paired_cases']} paired cases "
             f"({cmp['regressed']} regressed, {cmp['improved']} improved); "
             f"{'**significant regression**' if cmp['regression'] else 'no significant regression'}."]
    if cmp["only_in_baseline"] or cmp["only_in_current"]:
        lines.append(f"Not paired: {len(cmp['only_in_baseline'])} case(s) only in the baseline, "
                     f"{len(cmp['only_in_current'])} only in this run.")
    lines.append("")
    changes = [c for c in cmp["cases"] if c["change"] != "same"]
    if changes:
        lines += ["| case | baseline | now | Fisher p | significant |", "|---|---|---|---|---|"]
        lines += [f"| {c['id']} | {c['baseline']} | {c['current']} | {c['fisher_p']:.3g} | "
                  f"{'yes' if c['significant'] else 'no'} |" for c in changes]
    return lines


def markdown_summary(report: RunReport) -> str:
    tot = report.totals()
    lines = [f"# Eval {report.suite} ({report.mode})", "",
             f"{tot['passed']}/{tot['cases']} cases passed, {tot['failed']} failed, {tot['errored']} harness errors; "
             f"model {report.model or 'n/a'}, {report.trials} trial(s) per case, {report.wall_s:.1f} s.", ""]
    if report.trials > 1:
        lines += [f"Mean per-case trial pass rate {tot['mean_trial_pass_rate']:.2f}; mean pass^{report.trials} "
                  f"{tot['mean_pass_hat_k']:.2f} (a case passes only when all its trials pass).", ""]
    u = tot["usage"]
    if u["input_tokens"] or u["output_tokens"]:
        cost = f"${tot['cost_usd']:.4f}" if tot["cost_usd"] is not None else "unknown (no price for model)"
        lines += [f"Tokens: {u['input_tokens']} in, {u['output_tokens']} out, {u['cache_read_input_tokens']} "
                  f"cache read; cost {cost} (prices: {report.prices_source}).", ""]
    lines += ["| skill | " + " | ".join(LANGS) + " |", "|---|---|---|---|"]
    for skill, langs in sorted(report.by_skill_language().items()):
        cells = [f"{v['passed']}/{v['total']}" if (v := langs.get(lang)) else "-" for lang in LANGS]
        lines.append(f"| {skill} | " + " | ".join(cells) + " |")
    bad = [c for c in report.cases if not c.passed]
    if bad:
        lines += ["", "## Failing cases", "", "| case | pass rate | pass^k | why |", "|---|---|---|---|"]
        lines += [f"| {c.id} | {c.pass_rate:.2f} | {c.pass_hat_k():.2f} | "
                  f"{_why(c).replace(chr(10), '<br>').replace('|', '/')[:400]} |" for c in bad]
    if report.comparison:
        lines += _comparison_md(report.comparison)
    return "\n".join(lines) + "\n"


def chart_svg(report: RunReport) -> str:
    """Grouped bar chart: pass rate per skill, one bar per language, as inline SVG."""
    data = sorted(report.by_skill_language().items())
    langs = LANGS
    bar, gap, top, height, left = 18, 26, 20, 160, 40
    width = left + len(data) * (bar * len(langs) + gap) + 20
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + top + 90}" '
           f'role="img" aria-label="pass rate per skill and language">']
    for pct in (0, 50, 100):
        y = top + height - height * pct / 100
        out.append(f'<line x1="{left}" x2="{width}" y1="{y}" y2="{y}" stroke="#ddd"/>'
                   f'<text x="{left - 4}" y="{y + 4}" font-size="10" text-anchor="end">{pct}%</text>')
    for i, (skill, cells) in enumerate(data):
        x0 = left + 10 + i * (bar * len(langs) + gap)
        for j, lang in enumerate(langs):
            cell = cells.get(lang)
            if not cell:
                continue
            rate = cell["passed"] / cell["total"]
            h = max(1.0, height * rate)
            x, y = x0 + j * bar, top + height - h
            out.append(f'<rect x="{x}" y="{y:.1f}" width="{bar - 2}" height="{h:.1f}" fill="{LANG_COLOURS[lang]}">'
                       f'<title>{html.escape(skill)} {lang}: {cell["passed"]}/{cell["total"]}</title></rect>')
        label_x = x0 + bar * len(langs) / 2
        out.append(f'<text x="{label_x}" y="{top + height + 14}" font-size="10" text-anchor="end" '
                   f'transform="rotate(-30 {label_x} {top + height + 14})">{html.escape(skill)}</text>')
    for j, lang in enumerate(langs):
        out.append(f'<rect x="{left + j * 50}" y="2" width="10" height="10" fill="{LANG_COLOURS[lang]}"/>'
                   f'<text x="{left + j * 50 + 14}" y="11" font-size="10">{lang}</text>')
    out.append("</svg>")
    return "".join(out)


def html_report(report: RunReport) -> str:
    tot = report.totals()
    esc = html.escape
    rows = []
    for c in report.cases:
        status = "error" if c.errored else ("pass" if c.passed else "fail")
        detail = []
        for t in c.trials:
            if t.grade:
                detail += [f"<li class='{'ok' if i.passed else 'bad'}'>item {esc(i.id)}: "
                           f"{esc(i.evidence or i.reason)}</li>" for i in t.grade.items]
                detail += [f"<li class='{'ok' if k.passed else 'bad'}'>check {esc(k.id)}: {esc(k.detail)}</li>"
                           for k in t.grade.checks]
            if t.error:
                detail.append(f"<li class='bad'>error: {esc(t.error)}</li>")
        rows.append(
            f"<tr class='{status}'><td><details><summary>{esc(c.id)}</summary><ul>{''.join(detail)}</ul>"
            f"<pre>{esc(_why(c))}</pre></details></td><td>{esc(c.skill)}</td><td>{c.language}</td>"
            f"<td>{status}</td><td>{c.pass_rate:.2f}</td><td>{c.pass_hat_k():.2f}</td></tr>")
    md_cmp = ""
    if report.comparison:
        md_cmp = "<h2>Against baseline</h2><pre>" + esc("\n".join(_comparison_md(report.comparison))) + "</pre>"
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>Eval {esc(report.suite)}</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;
padding:4px 8px;vertical-align:top}}tr.fail td{{background:#fde}}tr.error td{{background:#ffd}}
li.ok{{color:#264}}li.bad{{color:#a00}}</style></head><body>
<h1>Eval {esc(report.suite)} ({report.mode})</h1>
<p>{tot['passed']}/{tot['cases']} cases passed, {tot['failed']} failed, {tot['errored']} harness errors.
Model {esc(report.model or 'n/a')}, {report.trials} trial(s), {report.wall_s:.1f} s.</p>
<h2>Pass rate per skill and language</h2>{chart_svg(report)}{md_cmp}
<h2>Cases</h2><table><tr><th>case</th><th>skill</th><th>lang</th><th>status</th><th>pass rate</th>
<th>pass^k</th></tr>{''.join(rows)}</table></body></html>
"""


def write_reports(report: RunReport, out: Path) -> dict[str, Path]:
    """Write report.json, junit.xml, summary.md and report.html into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    paths = {k: out / v for k, v in
             {"json": "report.json", "junit": "junit.xml", "markdown": "summary.md", "html": "report.html"}.items()}
    write_json(report, paths["json"])
    paths["junit"].write_text(junit_xml(report), encoding="utf-8")
    paths["markdown"].write_text(markdown_summary(report), encoding="utf-8")
    paths["html"].write_text(html_report(report), encoding="utf-8")
    return paths
