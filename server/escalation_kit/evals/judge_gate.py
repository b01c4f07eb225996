"""May the LLM judge's verdicts decide a grade? Only after it was calibrated on the labelled set.

``escalation-kit eval calibrate --judge --write`` records a judge model's agreement per language in
``evals/grading/judge_calibration.yaml``; the judge gates only with Cohen's kappa >= ``JUDGE_MIN_KAPPA``
in every language. Kept apart from ``calibration`` so the live judge can ask without an import circle.
"""

from __future__ import annotations

from typing import Any

import yaml

from escalation_kit.paths import evals_dir

JUDGE_MIN_KAPPA = 0.6


def calibration_path() -> Any:
    """Where a judge model's recorded agreement lives."""
    return evals_dir() / "grading" / "judge_calibration.yaml"


def judge_calibration() -> dict[str, Any]:
    """Recorded judge agreement per judge model (empty when the judge was never calibrated)."""
    path = calibration_path()
    if not path.is_file():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def gate(judge_model: str, data: dict[str, Any] | None = None) -> tuple[bool, str]:
    """May the judge's verdicts count? Only with a recorded kappa >= JUDGE_MIN_KAPPA in every language."""
    data = judge_calibration() if data is None else data
    row = (data.get("models") or {}).get(judge_model)
    if not row:
        return False, (f"judge model {judge_model} has no calibration on the labelled set "
                       f"(evals/grading/judge_calibration.yaml); its verdicts are reported but do not gate")
    low = {lang: v.get("kappa") for lang, v in row.items() if lang != "all" and (v.get("kappa") or 0) < JUDGE_MIN_KAPPA}
    if low:
        return False, f"judge model {judge_model} agrees too little with the labels (kappa {low}); verdicts do not gate"
    return True, f"judge model {judge_model} calibrated (kappa >= {JUDGE_MIN_KAPPA} in every language)"
