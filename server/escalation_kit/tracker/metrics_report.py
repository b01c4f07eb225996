"""The escalation metrics as a short Markdown report in en, ru or zh (seed 002: report SLA performance by tier).

The numbers come from ``Tracker.metrics``; the wording is data (``prompts/escalation_metrics/labels.yaml``),
so a language is a data edit. One column per group beside the total, one row per measure.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from escalation_kit.datafiles import load_yaml
from escalation_kit.errors import InputError
from escalation_kit.paths import prompts_dir
from escalation_kit.tracker.models import Metrics, MetricsGroup
from escalation_kit.vocab import LANGS

ROWS = ("count", "open", "mtta_minutes", "mttr", "response_compliance", "handoff_compliance", "executive_compliance",
        "breaches", "re_escalation_rate", "de_escalation_p50_minutes")
# Shares shown as "pct of n": the share and the count it is measured on.
SHARES = {"response_compliance": "responses_measured", "handoff_compliance": "handoffs_measured",
          "executive_compliance": "executive_measured"}


@cache
def labels() -> dict[str, dict[str, str]]:
    """The report's wording per language."""
    return load_yaml(prompts_dir() / "escalation_metrics" / "labels.yaml")


def _minutes(value: float | None, none: str) -> str:
    return none if value is None else f"{value:.0f}"


def _cell(row: str, g: MetricsGroup, words: dict[str, str]) -> str:
    """One measure of one group as the report shows it."""
    none = words["none"]
    if row == "mttr":
        return f"{_minutes(g.mttr_p50_minutes, none)} / {_minutes(g.mttr_p90_minutes, none)}"
    if row in SHARES:
        share = getattr(g, row)
        if share is None:
            return none
        return words["of_measured"].format(pct=f"{share:.0%}", n=getattr(g, SHARES[row]))
    if row == "re_escalation_rate":
        return none if g.re_escalation_rate is None else f"{g.re_escalation_rate:.0%}"
    value: Any = getattr(g, row)
    return _minutes(value, none) if isinstance(value, float) or value is None else str(value)


def render_metrics(metrics: Metrics, language: str = "en") -> str:
    """The report: title, summary, one table of measures by group, and the top causes."""
    if language not in LANGS:
        raise InputError("language", f"expected one of {', '.join(LANGS)}, got {language!r}", allowed=LANGS)
    words = labels()[language]
    groups = [metrics.total, *metrics.groups]
    heads = [words["all"]] + [", ".join(f"{k}={v}" for k, v in g.group.items()) for g in metrics.groups]
    lines = [f"# {words['title'].format(date_from=metrics.date_from.date(), date_to=metrics.date_to.date())}", "",
             words["summary"].format(count=metrics.total.count, open=metrics.total.open), "",
             "| " + " | ".join([words["measure"], *heads]) + " |", "|" + "---|" * (len(heads) + 1)]
    lines += ["| " + " | ".join([words[row], *(_cell(row, g, words) for g in groups)]) + " |" for row in ROWS]
    causes = metrics.total.top_causes
    lines += ["", f"## {words['top_causes']}", ""]
    lines += [f"- {cause}: {n}" for cause, n in causes] if causes else [words["no_causes"]]
    return "\n".join(lines) + "\n"
