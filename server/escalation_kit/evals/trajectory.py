"""Trajectory assertions over a transcript's tool calls: called, with which arguments, in what order, when.

Semantics (close to promptfoo's ``trajectory:tool-args-match`` partial mode): ``args`` lists only
the keys that matter; a string value ``re:<pattern>`` is a regular expression searched in the
stringified argument; any other value must be equal. ``before_stating`` requires the matching
call to come from a model turn earlier than the first turn whose text states that phrase.
"""

from __future__ import annotations

import re
from typing import Any

from escalation_kit.evals.grader import CheckResult
from escalation_kit.evals.suite import Assertion
from escalation_kit.evals.transcript import ToolCall, Transcript


def _arg_ok(want: Any, got: Any) -> bool:
    if isinstance(want, str) and want.startswith("re:"):
        return got is not None and re.search(want[3:], str(got)) is not None
    if isinstance(want, dict) and isinstance(got, dict):
        return all(_arg_ok(v, got.get(k)) for k, v in want.items())
    return want == got


def _matches(call: ToolCall, a: Assertion) -> bool:
    return call.name == a.tool and all(_arg_ok(v, call.input.get(k)) for k, v in a.args.items())


def _label(a: Assertion) -> str:
    if a.order:
        return "order:" + ">".join(a.order)
    if a.max_tool_calls is not None:
        return f"max_tool_calls:{a.max_tool_calls}"
    return ("called:" if a.called else "not_called:") + str(a.tool)


def check_assertion(t: Transcript, a: Assertion) -> CheckResult:
    label = _label(a)

    def res(ok: bool, detail: str) -> CheckResult:
        return CheckResult(id=label, kind="trajectory", status="pass" if ok else "fail", detail=detail)

    names = [c.name for c in t.tool_calls]
    if a.order:
        firsts = [names.index(n) if n in names else None for n in a.order]
        ok = None not in firsts and firsts == sorted(firsts)  # type: ignore[type-var]
        return res(ok, f"first calls in order {names}")
    if a.max_tool_calls is not None:
        return res(len(names) <= a.max_tool_calls, f"{len(names)} tool call(s), limit {a.max_tool_calls}")
    hits = [c for c in t.tool_calls if _matches(c, a)]
    if not a.called:
        return res(not hits, f"{a.tool} called {len(hits)} time(s) with matching arguments")
    if not hits:
        seen = [c.input for c in t.tool_calls if c.name == a.tool]
        return res(False, f"no call to {a.tool} with {a.args or 'any arguments'}; calls seen: {seen}")
    if a.before_stating:
        turn = t.text_turn(a.before_stating)
        if turn is None:
            return res(False, f"the answer never states {a.before_stating!r}")
        if not any(c.turn < turn for c in hits):
            return res(False, f"{a.before_stating!r} stated in turn {turn}, before {a.tool}'s result came back")
        return res(True, f"{a.tool} called in turn {hits[0].turn}, {a.before_stating!r} stated in turn {turn}")
    return res(True, f"{a.tool} called {len(hits)} time(s)")


def trajectory_checks(t: Transcript, assertions: list[Assertion]) -> list[CheckResult]:
    return [check_assertion(t, a) for a in assertions]
