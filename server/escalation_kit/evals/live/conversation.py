"""Live runs: the model (``AsyncAnthropic``) with the skill as system prompt and the MCP tools attached.

The tool-use loop is ours rather than the SDK's beta tool runner: every request, response
and tool call lands in the transcript, and no server-side thread state is needed (the
runner's default would send ``thread``). One MCP server subprocess serves the whole run;
its tools are offered to the model as Anthropic tool definitions and each ``tool_use``
goes back as a ``tool_result``. The tool session is injectable for tests.

Concurrency is bounded with a semaphore; each request is retried on 408/409/429/5xx and
connection errors with exponential back-off that honours ``retry-after(-ms)``. Successful
responses are cached (``cache.py``); errors never are. ``--batch`` (``batch.py``) advances
all conversations in lockstep, one Message Batch per round.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import random
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from escalation_kit.evals.pricing import accepts_temperature
from escalation_kit.evals.results import TrialResult
from escalation_kit.evals.runner import trial_from_transcript
from escalation_kit.evals.suite import Case
from escalation_kit.evals.transcript import Response, ToolCall, Transcript
from escalation_kit.paths import skills_dir
from escalation_kit.skillpack.contracts import load_contract

RETRY_STATUSES = {408, 409, 429, 500, 502, 503, 504, 529}


# A server's retry-after is honoured as given up to this many seconds (rate-limit windows are a
# minute; 5 minutes covers an overloaded API without hanging a CI job). Above it the call fails as a
# harness error that names the requested wait. Our own exponential back-off stays capped at 30 s.
RETRY_AFTER_CAP_S = 300.0
# The judge is a different model from the one under test by default (self-grading inflates scores).
DEFAULT_JUDGE_MODEL = "claude-opus-4-1"


@dataclass
class LiveOptions:
    model: str
    trials: int = 1
    concurrency: int = 4
    base_url: str | None = None
    api_key: str | None = None
    max_turns: int = 8
    max_tokens: int = 4096
    temperature: float = 0.0
    batch: bool = False
    cache_dir: Path | None = None
    transcripts_dir: Path | None = None
    judge: bool = False
    max_retries: int = 5
    backoff_base: float = 0.5
    backoff_cap: float = 30.0
    retry_after_cap: float = RETRY_AFTER_CAP_S
    judge_model: str = DEFAULT_JUDGE_MODEL
    batch_poll_s: float = 1.0
    request_timeout: float = 600.0
    server_log: Path | None = None
    server_command: list[str] = field(default_factory=lambda: [sys.executable, "-m", "escalation_kit", "serve"])


class HarnessError(RuntimeError):
    """The run could not produce a gradable answer (API, MCP or loop failure)."""


class ToolSession(Protocol):
    async def list_tools(self) -> list[dict[str, Any]]: ...

    async def call_tool(self, name: str, args: dict[str, Any]) -> tuple[Any, bool]: ...


class McpToolSession:
    """Tools from an MCP server through the SDK's ``Client`` (stdio subprocess by default)."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self._tools: list[dict[str, Any]] | None = None

    @classmethod
    @asynccontextmanager
    async def open(cls, command: list[str], log: Path | None = None) -> AsyncIterator[McpToolSession]:
        """Start the server over stdio; its stderr goes to ``log`` when given (else ours)."""
        from mcp.client.stdio import stdio_client

        from mcp import Client, StdioServerParameters

        params = StdioServerParameters(command=command[0], args=command[1:], env=dict(os.environ))
        if log is None:
            async with Client(params, read_timeout_seconds=60) as client:
                yield cls(client)
            return
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("w", encoding="utf-8") as errlog:
            async with Client(stdio_client(params, errlog=errlog), read_timeout_seconds=60) as client:
                yield cls(client)

    async def list_tools(self) -> list[dict[str, Any]]:
        if self._tools is None:
            listing = await self.client.list_tools()
            self._tools = [{"name": t.name, "description": t.description or t.title or t.name,
                            "input_schema": t.input_schema} for t in listing.tools]
        return self._tools

    async def call_tool(self, name: str, args: dict[str, Any]) -> tuple[Any, bool]:
        res = await self.client.call_tool(name, args)
        if res.structured_content is not None and not res.is_error:
            return res.structured_content, False
        text = "\n".join(getattr(c, "text", "") for c in res.content or [])
        return text, bool(res.is_error)


def system_prompt(skill: str) -> tuple[str, str]:
    """The skill's SKILL.md as system prompt, or a prompt built from its contract while SKILL.md is missing."""
    path = skills_dir() / skill / "SKILL.md"
    if path.is_file():
        return path.read_text(encoding="utf-8"), "SKILL.md"
    contract = load_contract(skill)
    items = "\n".join(f"- {i.title}: {i.satisfies}" for i in contract.items)
    text = (f"Skill: {skill}\nYou coordinate incident triage and escalation. Use the tools for every figure "
            f"(severity, deadlines, vendor paths) and answer in the reporter's language.\n\n"
            f"Response minimum, one headed section each:\n{items}\n")
    return text, "contract fallback (SKILL.md missing)"


def _retry_delay(exc: Exception, attempt: int, opts: LiveOptions) -> float | None:
    """Seconds to wait before retrying ``exc`` (None: do not retry), honouring retry-after headers."""
    import anthropic

    if isinstance(exc, anthropic.APIStatusError):
        if exc.status_code not in RETRY_STATUSES:
            return None
        headers = exc.response.headers
        for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
            value = headers.get(name)
            if value:
                try:
                    wait = float(value) * scale
                except ValueError:
                    continue
                if wait > opts.retry_after_cap:
                    raise HarnessError(f"the API asked to retry after {wait:.0f} s, more than the "
                                       f"{opts.retry_after_cap:.0f} s limit (LiveOptions.retry_after_cap)") from exc
                return max(wait, 0.0)
    elif not isinstance(exc, anthropic.APIConnectionError):
        return None
    return min(opts.backoff_cap, opts.backoff_base * 2**attempt) * (0.5 + random.random() / 2)


async def create_with_retry(client: Any, params: dict[str, Any], opts: LiveOptions) -> tuple[dict[str, Any], int]:
    """``messages.create`` with our own retry loop (the client is built with max_retries=0)."""
    from escalation_kit.evals.pricing import sampling_args

    call = {k: v for k, v in params.items() if k != "temperature"}
    call.update(sampling_args(params["model"], params.get("temperature")))
    attempt = 0
    while True:
        try:
            msg = await client.messages.create(**call)
            return msg.model_dump(mode="json", exclude_none=True), attempt
        except Exception as exc:
            delay = _retry_delay(exc, attempt, opts)
            if delay is None or attempt >= opts.max_retries:
                raise HarnessError(f"messages.create failed after {attempt} retries: {exc}") from exc
            attempt += 1
            await asyncio.sleep(delay)


class Conversation:
    """One trial of one case: the message history and the transcript being written."""

    def __init__(self, case: Case, trial: int, system: tuple[str, str], tools: list[dict[str, Any]],
                 opts: LiveOptions) -> None:
        self.case, self.trial, self.opts, self.tools = case, trial, opts, tools
        self.system = system[0]
        self.messages: list[dict[str, Any]] = [{"role": "user", "content": case.prompt()}]
        self.transcript = Transcript(meta={
            "case_id": case.id, "skill": case.skill, "model": opts.model, "trial": trial, "language": case.language,
            "system_source": system[1], "system_sha256": hashlib.sha256(self.system.encode()).hexdigest()[:16],
            "tools": [t["name"] for t in tools], "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "temperature": opts.temperature if accepts_temperature(opts.model) else None})
        self.turn, self.sent, self.done, self.t0 = 0, 0, False, time.perf_counter()
        self.result: TrialResult | None = None

    @property
    def key_id(self) -> str:
        return f"{self.case.id}__t{self.trial}"

    def params(self) -> dict[str, Any]:
        return {"model": self.opts.model, "max_tokens": self.opts.max_tokens, "temperature": self.opts.temperature,
                "system": self.system, "messages": self.messages, "tools": self.tools}

    def record_request(self) -> None:
        self.transcript.requests.append({"turn": self.turn, "messages": self.messages[self.sent:]})
        self.sent = len(self.messages)

    async def apply(self, msg: dict[str, Any], session: ToolSession, ms: float, retries: int, cached: bool) -> None:
        """Record a response; run its tool calls and queue their results, or finish with its text."""
        content = msg.get("content", [])
        self.transcript.responses.append(Response(turn=self.turn, id=msg.get("id", ""), content=content,
                                                  stop_reason=msg.get("stop_reason"), usage=msg.get("usage") or {},
                                                  ms=round(ms, 2), cached=cached, retries=retries))
        self.messages.append({"role": "assistant", "content": content})
        uses = [b for b in content if b.get("type") == "tool_use"]
        if msg.get("stop_reason") == "tool_use" and uses:
            results = []
            for b in uses:
                t0 = time.perf_counter()
                try:
                    result, is_error = await session.call_tool(b["name"], b.get("input") or {})
                except Exception as exc:  # a broken tool is reported to the model, as a host would
                    result, is_error = f"tool call failed: {exc}", True
                self.transcript.tool_calls.append(ToolCall(
                    turn=self.turn, id=b["id"], name=b["name"], input=b.get("input") or {}, result=result,
                    is_error=is_error, ms=round((time.perf_counter() - t0) * 1000, 2)))
                text = result if isinstance(result, str) else json.dumps(result, ensure_ascii=False)
                results.append({"type": "tool_result", "tool_use_id": b["id"], "content": text,
                                **({"is_error": True} if is_error else {})})
            self.messages.append({"role": "user", "content": results})
        elif msg.get("stop_reason") != "pause_turn":  # pause_turn: send the history back to let it continue
            self.transcript.answer = "\n".join(b.get("text", "") for b in content if b.get("type") == "text")
            self.finish()
            return
        self.turn += 1
        if self.turn >= self.opts.max_turns:
            self.fail(f"no final answer after {self.opts.max_turns} model turns")

    def fail(self, message: str) -> None:
        self.transcript.error = message
        self.finish()

    def finish(self) -> None:
        self.done = True
        self.transcript.end = {"ms": round((time.perf_counter() - self.t0) * 1000, 2)}


def make_client(opts: LiveOptions) -> Any:
    from anthropic import AsyncAnthropic

    key = opts.api_key or os.environ.get("ANTHROPIC_API_KEY")
    if not key:
        raise HarnessError("ANTHROPIC_API_KEY is not set (needed for --live / --batch)")
    base = opts.base_url or os.environ.get("ANTHROPIC_BASE_URL")
    return AsyncAnthropic(api_key=key, base_url=base, max_retries=0, timeout=opts.request_timeout)


def opts_of(convs: list[Conversation]) -> LiveOptions:
    return convs[0].opts


def graded_pass(conv: Conversation, opts: LiveOptions) -> bool:
    """Grade a finished conversation once (cached on it), so the progress bar shows real passes."""
    if conv.result is None:
        conv.result = trial_from_transcript(conv.transcript, conv.case, trial=conv.trial, model=opts.model,
                                            batch=opts.batch)
    return conv.result.passed
