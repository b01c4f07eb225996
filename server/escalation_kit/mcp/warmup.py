"""Load each tool's data in the background once a client has connected, so its real first call is fast.

A tool's first call pays for what start-up deliberately skips: the severity lexicon's regexes, the
holiday calendars, the brief templates and models (0.05-0.3 s each). Hosts connect, list the tools,
then let a model think for a second or more before the first call; that idle time is enough to load
everything. The warm-up starts ``DELAY_S`` after the client's first message past the handshake
(``notifications/initialized``, or ``tools/list`` in the stateless era), so a client that lists the
tools and leaves at once never pays for it,
and it runs in a daemon thread through the same core functions a call uses. Set
``ESCALATION_KIT_NO_WARMUP=1`` to turn it off.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

log = logging.getLogger(__name__)

DELAY_S = 0.25
DISABLE_ENV = "ESCALATION_KIT_NO_WARMUP"
# Cheapest first: the tools that load in milliseconds are ready within ~50 ms of the start, before the
# severity lexicon's regexes (hundreds of ms) hold the interpreter.
SAMPLES: tuple[tuple[str, tuple[Any, ...], dict[str, Any]], ...] = (
    ("detect_language", ("База данных недоступна",), {}),
    ("pick_vendor_support_path", ("aws", "P1"), {}),
    ("compute_sla_deadlines", ("P1", "2026-03-06T10:00:00+08:00"),
     {"timezone": "Asia/Shanghai", "calendar": "CN", "vendor": "alibaba-cn"}),
    ("format_escalation_brief", ({"summary": "Checkout down", "severity": "P1", "description": "500 on checkout"},),
     {}),
    # long enough for the learned readings, so their weights are loaded too
    ("classify_severity", ("Production database down for all users since the deploy at 14:05; checkout, login and "
                           "the public API return 503 and customers cannot pay for their orders",), {}),
)


def warm(functions: dict[str, Any]) -> None:
    """Call every core function once with a small valid input; a failure is logged, never raised."""
    for name, args, kwargs in SAMPLES:
        try:
            functions[name](*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - a warm-up must never take the server down
            log.debug("warm-up of %s failed: %s", name, exc)


class WarmUp:
    """Server middleware that starts the warm-up once, shortly after the first client has connected."""

    def __init__(self, functions: dict[str, Any]) -> None:
        self.functions = functions
        self.started = os.environ.get(DISABLE_ENV, "") not in ("", "0")

    async def __call__(self, ctx: Any, call_next: Any) -> Any:
        if not self.started and ctx.method not in ("initialize", "server/discover"):
            self.start()
        return await call_next(ctx)

    def start(self) -> None:
        self.started = True
        timer = threading.Timer(DELAY_S, warm, args=(self.functions,))
        timer.daemon = True
        timer.name = "warm-up"
        timer.start()
