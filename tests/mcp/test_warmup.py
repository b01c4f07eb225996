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


async def test_starts_once_after_the_handshake(monkeypatch):
    monkeypatch.delenv(warmup.DISABLE_ENV, raising=False)
    started: list[int] = []
    middleware = warmup.WarmUp(CORE_FUNCTIONS)
    monkeypatch.setattr(middleware, "start", lambda: (started.append(1), setattr(middleware, "started", True)))

    async def call_next(ctx):
        return ctx.method

    assert await middleware(SimpleNamespace(method="initialize"), call_next) == "initialize"
    assert started == []
    await middleware(SimpleNamespace(method="notifications/initialized"), call_next)
    await middleware(SimpleNamespace(method="tools/list"), call_next)
    assert started == [1]


def test_can_be_turned_off(monkeypatch):
    monkeypatch.setenv(warmup.DISABLE_ENV, "1")
    assert warmup.WarmUp(CORE_FUNCTIONS).started
