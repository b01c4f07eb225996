"""The background warm-up calls every tool's core function with a valid input, once, after the handshake."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from escalation_kit.mcp import warmup
from escalation_kit.mcp.tools import CORE_FUNCTIONS

pytestmark = pytest.mark.anyio


def test_every_sample_is_a_valid_call_of_its_tool():
    assert {name for name, _, _ in warmup.SAMPLES} == set(CORE_FUNCTIONS)
    for name, args, kwargs in warmup.SAMPLES:
        CORE_FUNCTIONS[name](*args, **kwargs)  # raises if a sample went stale


async def test_starts_once_after_the_first_request_or_later_after_the_initialized_notification(monkeypatch):
    monkeypatch.delenv(warmup.DISABLE_ENV, raising=False)
    delays: list[float] = []
    middleware = warmup.WarmUp(CORE_FUNCTIONS)
    monkeypatch.setattr(middleware, "schedule", delays.append)

    async def call_next(ctx):
        return ctx.method

    assert await middleware(SimpleNamespace(method="initialize"), call_next) == "initialize"
    assert delays == []
    await middleware(SimpleNamespace(method="notifications/initialized"), call_next)
    assert delays == [warmup.FALLBACK_S]
    await middleware(SimpleNamespace(method="tools/list"), call_next)
    await middleware(SimpleNamespace(method="tools/call"), call_next)
    assert delays == [warmup.FALLBACK_S, warmup.DELAY_S]


def test_runs_once_however_many_timers_fire(monkeypatch):
    monkeypatch.delenv(warmup.DISABLE_ENV, raising=False)
    runs: list[int] = []
    monkeypatch.setattr(warmup, "warm", lambda steps, idle: runs.append(1))
    middleware = warmup.WarmUp(CORE_FUNCTIONS)
    middleware.run()
    middleware.run()
    assert runs == [1]


def test_can_be_turned_off(monkeypatch):
    monkeypatch.setenv(warmup.DISABLE_ENV, "1")
    middleware = warmup.WarmUp(CORE_FUNCTIONS)
    assert middleware.started and middleware.fallback


def test_plan_builds_each_tool_before_its_sample_in_the_hosts_order_then_the_rest():
    built: list[str] = []
    builders = {name: (lambda n=name: built.append(n)) for name in ("compute_sla_deadlines", "list_due")}
    steps = [name for name, _ in warmup.plan(CORE_FUNCTIONS, builders)]
    samples = [name for name, _, _ in warmup.SAMPLES]
    assert [s for s in steps if s in samples] == samples
    assert samples[:2] == ["detect_language", "classify_severity"]  # the instructions' first two calls
    assert steps.index("build compute_sla_deadlines") == steps.index("compute_sla_deadlines") - 1
    assert steps.index("needs of format_escalation_brief") < steps.index("format_escalation_brief")
    assert steps[-1] == "build list_due"


def test_each_step_waits_until_no_request_is_in_flight(monkeypatch):
    import threading
    import time

    monkeypatch.setattr(warmup, "YIELD_S", 10.0)
    ran: list[str] = []
    idle = threading.Event()  # a request is in flight
    worker = threading.Thread(target=warmup.warm, args=([("step", lambda: ran.append("step"))], idle))
    worker.start()
    time.sleep(0.2)
    assert ran == []
    idle.set()
    worker.join(5)
    assert ran == ["step"]


async def test_the_middleware_marks_requests_in_flight(monkeypatch):
    monkeypatch.setenv(warmup.DISABLE_ENV, "1")
    middleware = warmup.WarmUp(CORE_FUNCTIONS)
    seen: list[bool] = []

    async def call_next(ctx):
        seen.append(middleware.idle.is_set())
        return ctx.method

    await middleware(SimpleNamespace(method="tools/call"), call_next)
    assert seen == [False] and middleware.idle.is_set()


def test_steps_run_with_a_short_switch_interval_which_is_restored_after(monkeypatch):
    import sys

    monkeypatch.delenv(warmup.DISABLE_ENV, raising=False)
    seen: list[float] = []
    middleware = warmup.WarmUp(CORE_FUNCTIONS)
    middleware.steps = [("probe", lambda: seen.append(sys.getswitchinterval()))]
    before = sys.getswitchinterval()
    assert before > warmup.SWITCH_S  # the interpreter's default, 5 ms
    middleware.run()
    assert seen == [warmup.SWITCH_S]
    assert sys.getswitchinterval() == before


def test_a_step_waits_until_the_last_answer_has_had_time_to_reach_the_wire(monkeypatch):
    """The middleware sees a request end before its answer is written; a step starts SETTLE_S after that."""
    import time

    monkeypatch.setattr(warmup, "SETTLE_S", 0.05)
    quiet = warmup.Quiet()
    quiet.clear()  # a request in flight
    assert quiet.wait(0.01) is False  # still busy: the step may go ahead only after YIELD_S
    quiet.finished()
    start = time.monotonic()
    assert quiet.wait(1.0) is True
    assert time.monotonic() - start >= 0.04  # waited out the settling time
    start = time.monotonic()
    assert quiet.wait(1.0) is True
    assert time.monotonic() - start < 0.04  # long settled: no wait


async def test_the_middleware_records_when_the_last_request_ended(monkeypatch):
    import time

    monkeypatch.setenv(warmup.DISABLE_ENV, "1")
    middleware = warmup.WarmUp(CORE_FUNCTIONS)

    async def call_next(ctx):
        return ctx.method

    before = time.monotonic()
    await middleware(SimpleNamespace(method="tools/call"), call_next)
    assert middleware.idle.is_set() and middleware.idle.ended >= before


def test_a_sample_also_serialises_the_answer_the_tool_sends():
    """The vendor answer's models build their serialiser on first use: the warm-up's sample builds the one of the
    answer the tool sends by default, the compact one (the test used to check the summary model, which only an
    earlier test in the same run had built)."""
    from escalation_kit.vendors import models

    name, args, kwargs = next(s for s in warmup.SAMPLES if s[0] == "pick_vendor_support_path")
    result = warmup.sample(CORE_FUNCTIONS[name], *args, **kwargs)
    assert isinstance(result, models.VendorPath)
    assert models.VendorPathCompact.__pydantic_complete__
    assert models.VendorPathCompact.__pydantic_serializer__ is not None


def test_each_step_of_a_sampled_tool_holds_its_gate_and_serves_its_patterns():
    """A call of a tool the warm-up is loading waits for that step (``published.settled``) instead of repeating it."""
    import threading
    from re import _compiler

    gate = threading.Lock()
    seen: list[tuple[str, bool, bool]] = []
    def build() -> None:
        seen.append(("build", gate.locked(), _compiler.compile.__name__ == "_serve"))

    builders = {"classify_severity": build}
    steps = dict(warmup.plan(CORE_FUNCTIONS, builders, {"classify_severity": gate}))
    steps["build classify_severity"]()
    assert seen == [("build", True, True)] and not gate.locked()
    assert _compiler.compile.__name__ != "_serve"  # re's own compile step is back after the step


async def test_a_call_waits_for_the_step_loading_its_tool():
    import threading
    import time

    from escalation_kit.mcp import published

    gate = threading.Lock()
    gate.acquire()
    threading.Timer(0.05, gate.release).start()
    start = time.monotonic()
    await published.settled(gate)
    assert not gate.locked() and time.monotonic() - start >= 0.04
    held = threading.Lock()
    held.acquire()
    start = time.monotonic()
    await published.settled(held)  # a step that never ends is shared after WAIT_LIMIT_S, never waited on forever
    assert time.monotonic() - start < published.WAIT_LIMIT_S + 0.5


async def test_a_lazy_tools_call_waits_while_the_warm_up_holds_its_loading_lock(cache):
    """End to end: with the tool's ``loading`` lock held (a warm-up step), its call answers only once it is free."""
    import threading
    import time

    from escalation_kit.mcp import published
    from escalation_kit.mcp.server import build_server, server_tools
    from mcp import Client

    server_tools(enable_writes=False)  # an empty cache: the forms recorded, so the next tools are lazy
    published._entries.cache_clear()
    tools = server_tools(enable_writes=False)
    tool = next(t for t in tools if t.name == "detect_language")
    assert isinstance(tool, published.LazyTool)
    async with Client(build_server(enable_writes=False, tools=tools)) as client:
        tool.loading.acquire()
        threading.Timer(0.2, tool.loading.release).start()
        start = time.monotonic()
        result = await client.call_tool("detect_language", {"text": "База данных недоступна"})
        waited = time.monotonic() - start
    assert not result.is_error and result.structured_content["language"] == "ru"
    assert 0.15 <= waited < published.WAIT_LIMIT_S
