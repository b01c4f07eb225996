"""Eval harness: grade answers against the skills' response-minimum contracts, offline and live.

The grader (``grade_answer``) is deterministic and imports neither ``anthropic`` nor ``mcp``;
the live and batch runners import them lazily so ``escalation-kit grade`` stays fast.
"""

from escalation_kit.evals.grader import CheckResult, GradeResult, ItemResult, grade_answer

__all__ = ["CheckResult", "GradeResult", "ItemResult", "grade_answer"]
