"""Load each tool's code and data in the background once a client has connected, so its first call is fast.

Start-up deliberately loads no capability core: the tools list from their cached published forms
(``published``). A tool's first call would pay for its core's models and code, its argument model,
its data (the severity lexicon's regexes, the holiday calendars, the brief templates' compiled code):
5-60 ms each. Hosts connect, list the tools, then let a model think for a second or
more before the first call; that idle time is enough to load everything (~130 ms of work).

The warm-up starts ``DELAY_S`` after the client's first request past the handshake (usually
``tools/list``) has been answered, so that answer is not slowed; a client that sends
``notifications/initialized`` and then nothing starts it ``FALLBACK_S`` later. It runs in a daemon
thread, tool by tool in the order the server's instructions give a host (language, severity, vendor
path, SLA, brief): build the tool, then call its core once with a small valid input; then every other
tool is built. Each step first waits (up to ``YIELD_S``) until no request is in flight and the last one
ended ``SETTLE_S`` ago, so a call that arrives before the warm-up has reached its tool loads what it
needs without sharing the interpreter, and its answer reaches the wire before the next step starts.
A tool's steps hold its lazy tool's ``loading`` lock, so a call of the tool that arrives mid-step waits
for the step (``published.settled``) instead of loading the same core beside it; and they run inside
``regexcache.served`` as the tool's first call does.
Set ``ESCALATION_KIT_NO_WARMUP=1`` to turn it off.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from functools import partial
from typing import Any

from escalation_kit import regexcache

log = logging.getLogger(__name__)

DELAY_S = 0.01
FALLBACK_S = 0.1
YIELD_S = 1.0
SWITCH_S = 0.0005
# A request has ended for the middleware before the SDK has serialised and written its answer (~0.1-1 ms of
# the event loop). A step started at once took the GIL in long C stretches (imports, regex and pickle
# loads), and a first call's answer reached the client 4-15 ms late; waiting this long after the last
# request ended lets the answer out first.
SETTLE_S = 0.003
DISABLE_ENV = "ESCALATION_KIT_NO_WARMUP"
Step = tuple[str, Callable[[], object]]
# One valid call per pure tool, in the order the server's instructions give a host.
SAMPLES: tuple[tuple[str, tuple[Any, ...], dict[str, Any]], ...] = (
    ("detect_language", ("База данных недоступна",), {}),
    # long enough for the learned readings, so their weights are loaded too
    ("classify_severity", ("Production database down for all users since the deploy at 14:05; checkout, login and "
                           "the public API return 503 and customers cannot pay for their orders",), {}),
    ("pick_vendor_support_path", ("aws", "P1"), {}),
    ("compute_sla_deadlines", ("P1", "2026-03-06T10:00:00+08:00"),
     {"timezone": "Asia/Shanghai", "calendar": "CN", "vendor": "alibaba-cn"}),
    ("format_escalation_brief", ({"summary": "Checkout down", "severity": "P1", "description": "500 on checkout"},),
     {}),
)
# What a tool's first call needs beyond its own code, loaded just before its sample call.
NEEDS: dict[str, Callable[[], object]] = {}


def load_templates() -> None:
    """Every brief template's compiled code (~3 ms; Jinja2 is imported only to compile one the cache lacks)."""
    from escalation_kit.briefs import preload_templates

    preload_templates()


def load_lexicon() -> None:
    """The severity lexicon's English regexes whole (~8 ms): a first call scans by chunks, later calls need them."""
    from escalation_kit.severity import preload_lexicon

    preload_lexicon()


NEEDS["classify_severity"] = load_lexicon
NEEDS["format_escalation_brief"] = load_templates


def plan(functions: dict[str, Any], builders: dict[str, Callable[[], object]],
         gates: dict[str, AbstractContextManager[Any]] | None = None) -> list[Step]:
    """The warm-up's steps: per sampled tool, build it (``builders``), load its needs, call its core once;
    then build every other tool. Each sampled tool's steps hold its gate (``gates``, the lazy tool's
    ``loading`` lock), so a call of that tool arriving mid-step waits for the step instead of repeating it."""
    gates = gates or {}
    steps: list[Step] = []
    for name, args, kwargs in SAMPLES:
        gate = gates.get(name)
        if name in builders:
            steps.append((f"build {name}", partial(loading, name, builders[name], gate)))
        if name in NEEDS:
            steps.append((f"needs of {name}", partial(loading, name, NEEDS[name], gate)))
        steps.append((name, partial(loading, name, partial(sample, functions[name], *args, **kwargs), gate)))
    sampled = {name for name, _, _ in SAMPLES}
    return steps + [(f"build {name}", build) for name, build in builders.items() if name not in sampled]


def loading(tool: str, step: Callable[[], object], gate: AbstractContextManager[Any] | None = None) -> object:
    """Run a step of ``tool``'s holding its gate, with the patterns ``re`` compiles served as on its first call."""
    with gate or nullcontext(), regexcache.served(tool):
        return step()


def sample(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call a core once and serialise its answer as the tool would send it (the compact form when it has one).

    The vendor and SLA answer models build their serialisers on first use (``defer_build``); serialising
    here keeps that ~3 ms out of the tool's first call as well.
    """
    result = function(*args, **kwargs)
    answer = result.compact() if hasattr(result, "compact") else result
    if hasattr(answer, "model_dump"):
        answer.model_dump(mode="json", by_alias=True)
    return result


def warm(steps: Sequence[Step], idle: threading.Event | None = None) -> None:
    """Run each step in turn, each once no request is in flight (at most ``YIELD_S`` later); never raises."""
    for name, step in steps:
        if idle is not None:
            idle.wait(YIELD_S)
        try:
            step()
        except Exception as exc:  # noqa: BLE001 - a warm-up must never take the server down
            log.debug("warm-up step %s failed: %s", name, exc)


class Quiet(threading.Event):
    """Set while no request is in flight; ``wait`` also waits until the last one ended ``SETTLE_S`` ago."""

    def __init__(self) -> None:
        super().__init__()
        self.ended = 0.0  # time.monotonic() when the last request ended

    def finished(self) -> None:
        """The last request in flight has ended: its answer is on its way to the wire."""
        self.ended = time.monotonic()
        self.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Like ``Event.wait``, then (when set) sleep out what is left of the settling time, and check again."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not super().wait(left):
                return False
            pause = self.ended + SETTLE_S - time.monotonic()
            if pause <= 0:
                return True
            time.sleep(pause)


class WarmUp:
    """Server middleware that starts the warm-up once, shortly after the first client has connected."""

    def __init__(self, functions: dict[str, Any], builders: dict[str, Callable[[], object]] | None = None,
                 gates: dict[str, AbstractContextManager[Any]] | None = None) -> None:
        self.steps = plan(functions, builders or {}, gates)
        self.started = os.environ.get(DISABLE_ENV, "") not in ("", "0")  # a request has scheduled it
        self.fallback = self.started  # a notification has scheduled it
        self.once = threading.Lock()  # held by the one warm-up that runs
        self.in_flight = 0
        self.idle = Quiet()
        self.idle.set()

    async def __call__(self, ctx: Any, call_next: Any) -> Any:
        self.in_flight += 1
        self.idle.clear()
        try:
            return await call_next(ctx)
        finally:
            self.in_flight -= 1
            if not self.in_flight:
                self.idle.finished()
            if not self.started and ctx.method not in ("initialize", "server/discover"):
                if not ctx.method.startswith("notifications/"):
                    self.started = True
                    self.schedule(DELAY_S)
                elif not self.fallback:
                    self.fallback = True
                    self.schedule(FALLBACK_S)

    def schedule(self, delay: float) -> None:
        """Start the warm-up ``delay`` seconds from now, unless another start has run it by then."""
        timer = threading.Timer(delay, self.run)
        timer.daemon = True
        timer.name = "warm-up"
        timer.start()

    def run(self) -> None:
        """The warm-up itself, once per server however many timers fire, with a short GIL switch interval.

        A request that arrives while a step runs shares the interpreter with it; at the default 5 ms
        interval each of the request's hand-offs (stdin reader, event loop, writer) could wait 5 ms for it.
        """
        if self.once.acquire(blocking=False):
            previous = sys.getswitchinterval()
            sys.setswitchinterval(min(previous, SWITCH_S))
            try:
                warm(self.steps, self.idle)
            finally:
                if sys.getswitchinterval() == min(previous, SWITCH_S):  # unless someone else changed it since
                    sys.setswitchinterval(previous)
