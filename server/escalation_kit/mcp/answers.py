"""What ``classify_severity`` returns over MCP: the core's result, its matched signals with ``detail: "full"``.

The core's ``SeverityResult`` lists every matched phrase as a signal of ten fields; a caller acts on the
level, ``decided_by``, ``rationale`` (which quotes the phrases that counted) and ``questions``, so the
default answer leaves the signals out (in the P0 sample, 67 of its 97 values and half its bytes). The
signals stay in the output schema with their full type, and ``detail: "full"`` returns them. Empty lists
and an absent alternative are left out too (``lean``). The engine and its result model are unchanged.
"""

from __future__ import annotations

from pydantic import ConfigDict

from escalation_kit.lean import unless_empty, unless_none
from escalation_kit.severity import SeverityResult, Signal
from escalation_kit.vocab import Severity

_FIELDS = SeverityResult.model_fields


def _describe(name: str, extra: str = "") -> str:
    """The core field's description, with what the MCP answer adds to it."""
    return " ".join(filter(None, [_FIELDS[name].description, extra]))


class SeverityAnswer(SeverityResult):
    """The core's result as the tool returns it; ``signals`` only with ``detail: "full"``."""

    # Built when imported (on the tool's first build, which the warm-up does), not on the first answer.
    model_config = ConfigDict(defer_build=False)

    signals: list[Signal] = unless_empty(
        description="The matched phrases (with detail: full; rationale quotes those that counted)")
    questions: list[str] = unless_empty(description=_describe("questions"))
    alternative: Severity | None = unless_none()
    assumed: list[str] = unless_empty(description=_describe("assumed"))
    question_ids: list[str] = unless_empty(description=_describe("question_ids"))

    @classmethod
    def of(cls, result: SeverityResult, full: bool) -> SeverityAnswer:
        """The answer for ``result`` (no copy: its parts are shared), with its signals only when ``full``."""
        values = {name: getattr(result, name) for name in _FIELDS}
        if not full:  # given, not defaulted: model_construct would inspect list's signature (~0.3 ms) for the default
            values["signals"] = []
        return cls.model_construct(**values)
