"""Compare a run with a baseline report, case by case, and say which changes are significant.

Two exact tests, both without approximations (small samples are the norm here):
- per case, Fisher's exact test (two-sided) on the 2x2 table of passing and failing trials
  in the baseline and the current run; it can only reach significance with several trials;
- over all paired cases, McNemar's exact test: a two-sided binomial test on the discordant
  pairs (cases that passed in one run and failed in the other), with p = 0.5 under H0.
A regression is flagged when either test is below ``alpha`` in the worse direction.
"""

from __future__ import annotations

import json
from math import comb
from pathlib import Path
from typing import Any

from escalation_kit.errors import InputError
from escalation_kit.evals.results import RunReport

TEST_NAME = "per case: Fisher exact (two-sided) on trial pass counts; overall: McNemar exact (binomial) on cases"


def fisher_exact(a: int, b: int, c: int, d: int) -> float:
    """Two-sided Fisher exact p-value for the table [[a, b], [c, d]] (sum of tables no likelier than observed)."""
    row1, row2, col1 = a + b, c + d, a + c
    n = row1 + row2

    def prob(x: int) -> float:
        return comb(row1, x) * comb(row2, col1 - x) / comb(n, col1)

    observed = prob(a)
    lo, hi = max(0, col1 - row2), min(row1, col1)
    return min(1.0, sum(p for x in range(lo, hi + 1) if (p := prob(x)) <= observed * (1 + 1e-9)))


def mcnemar_exact(regressed: int, improved: int) -> float:
    """Two-sided exact McNemar p-value: binomial test of the discordant pairs against p = 0.5."""
    n = regressed + improved
    if n == 0:
        return 1.0
    k = min(regressed, improved)
    return min(1.0, 2 * sum(comb(n, i) for i in range(k + 1)) / 2**n)


def _cases(data: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """Case id -> (passing trials, total trials) from a report.json."""
    out = {}
    for c in data.get("cases", []):
        trials = c.get("trials", [])
        passes = sum(1 for t in trials if t.get("passed") and not t.get("error"))
        out[c["id"]] = (passes, len(trials))
    return out


def load_baseline(path: str | Path) -> dict[str, Any]:
    p = Path(path)
    if p.is_dir():
        p = p / "report.json"
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError("baseline", f"cannot read baseline report {p}: {exc}") from exc


def compare(current: RunReport, baseline: dict[str, Any], alpha: float = 0.05) -> dict[str, Any]:
    """Per-case and overall comparison; ``regression`` is True when a drop is significant."""
    base = _cases(baseline)
    now = _cases(current.to_json())
    rows, regressed, improved = [], 0, 0
    for cid in sorted(set(base) & set(now)):
        (bp, bn), (cp, cn) = base[cid], now[cid]
        b_ok, c_ok = bn > 0 and bp == bn, cn > 0 and cp == cn
        change = "same" if b_ok == c_ok else ("regressed" if b_ok else "improved")
        regressed += change == "regressed"
        improved += change == "improved"
        p = fisher_exact(bp, bn - bp, cp, cn - cp)
        worse = cp / max(cn, 1) < bp / max(bn, 1)
        rows.append({"id": cid, "baseline": f"{bp}/{bn}", "current": f"{cp}/{cn}", "change": change,
                     "fisher_p": p, "significant": p < alpha, "worse": worse})
    p_all = mcnemar_exact(regressed, improved)
    case_regression = any(r["significant"] and r["worse"] for r in rows)
    return {
        "test": TEST_NAME, "alpha": alpha, "paired_cases": len(rows), "regressed": regressed, "improved": improved,
        "mcnemar_p": p_all, "regression": case_regression or (p_all < alpha and regressed > improved),
        "only_in_baseline": sorted(set(base) - set(now)), "only_in_current": sorted(set(now) - set(base)),
        "cases": rows,
    }
