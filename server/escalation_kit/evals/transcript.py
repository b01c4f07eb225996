"""One JSONL transcript format for recorded (offline) and live runs.

Each line is one event, in order: ``meta``, then per model turn a ``request`` (the messages
added since the last turn), a ``response`` (content blocks, stop reason, usage, timing) and a
``tool_call`` per tool use (arguments, result, is_error, timing); finally ``answer`` or
``error``, and ``end`` with totals. Offline grading reads the same events the live runner
writes, so a live transcript can be committed as a recording unchanged.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from escalation_kit.errors import InputError

EVENT_KINDS = ("meta", "request", "response", "tool_call", "answer", "error", "end")
USAGE_KEYS = ("input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens")


class Usage(BaseModel):
    input_tokens: int = 0
    output_tokens: int = 0
    cache_creation_input_tokens: int = 0
    cache_read_input_tokens: int = 0

    def add(self, other: dict[str, Any] | Usage | None) -> None:
        """Accumulate another usage record (missing or null fields count as zero)."""
        if other is None:
            return
        data = other if isinstance(other, dict) else other.model_dump()
        for key in USAGE_KEYS:
            setattr(self, key, getattr(self, key) + int(data.get(key) or 0))


class ToolCall(BaseModel):
    model_config = ConfigDict(extra="forbid")

    turn: int = Field(description="Index of the model response that asked for the call")
    id: str = ""
    name: str
    input: dict[str, Any] = Field(default_factory=dict)
    result: Any = Field(default=None, description="Structured result (JSON object) or the text content")
    is_error: bool = False
    ms: float = 0.0


class Response(BaseModel):
    model_config = ConfigDict(extra="forbid")

    turn: int
    id: str = ""
    stop_reason: str | None = None
    content: list[dict[str, Any]] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)
    ms: float = 0.0
    cached: bool = False
    retries: int = 0

    @property
    def text(self) -> str:
        return "\n".join(b.get("text", "") for b in self.content if b.get("type") == "text")


def _event(model: type[BaseModel], body: dict[str, Any], kind: str) -> Any:
    """Validate one event; an unknown or mistyped key names the event and the field."""
    from pydantic import ValidationError

    try:
        return model.model_validate(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError("transcript", f"{kind} event: {where}: {first['msg']}") from exc


class Transcript(BaseModel):
    """A parsed transcript: what the model was asked, what it did, and what it answered."""

    meta: dict[str, Any] = Field(default_factory=dict)
    requests: list[dict[str, Any]] = Field(default_factory=list)
    responses: list[Response] = Field(default_factory=list)
    tool_calls: list[ToolCall] = Field(default_factory=list)
    answer: str = ""
    error: str | None = None
    end: dict[str, Any] = Field(default_factory=dict)

    @property
    def usage(self) -> Usage:
        total = Usage()
        for r in self.responses:
            total.add(r.usage)
        return total

    def results_of(self, tool: str) -> list[Any]:
        """Structured results of successful calls to ``tool``, in call order."""
        return [c.result for c in self.tool_calls if c.name == tool and not c.is_error and c.result is not None]

    def events(self) -> list[dict[str, Any]]:
        """The transcript as ordered JSONL events."""
        out: list[dict[str, Any]] = [{"event": "meta", **self.meta}]
        reqs = {r.get("turn"): r for r in self.requests}
        for resp in self.responses:
            if resp.turn in reqs:
                out.append({"event": "request", **reqs[resp.turn]})
            out.append({"event": "response", **resp.model_dump()})
            out.extend({"event": "tool_call", **c.model_dump()} for c in self.tool_calls if c.turn == resp.turn)
        if self.error is not None:
            out.append({"event": "error", "message": self.error})
        else:
            out.append({"event": "answer", "text": self.answer})
        out.append({"event": "end", "usage": self.usage.model_dump(), **self.end})
        return out

    def to_jsonl(self) -> str:
        return "".join(json.dumps(e, ensure_ascii=False, sort_keys=False) + "\n" for e in self.events())

    @classmethod
    def from_events(cls, events: list[dict[str, Any]]) -> Transcript:
        t = cls()
        for ev in events:
            kind = ev.get("event")
            body = {k: v for k, v in ev.items() if k != "event"}
            if kind == "meta":
                t.meta = body
            elif kind == "request":
                t.requests.append(body)
            elif kind == "response":
                t.responses.append(_event(Response, body, kind))
            elif kind == "tool_call":
                t.tool_calls.append(_event(ToolCall, body, kind))
            elif kind == "answer":
                t.answer = body.get("text", "")
            elif kind == "error":
                t.error = body.get("message", "error")
            elif kind == "end":
                t.end = {k: v for k, v in body.items() if k != "usage"}
            else:
                raise InputError("transcript", f"unknown event {kind!r}; known: {', '.join(EVENT_KINDS)}")
        if not t.answer and t.error is None and t.responses:
            t.answer = t.responses[-1].text
        return t

    @classmethod
    def from_jsonl(cls, text: str, source: str = "transcript") -> Transcript:
        events = []
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                events.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise InputError("transcript", f"{source}:{n}: not JSON ({exc.msg})") from exc
        return cls.from_events(events)

    @classmethod
    def load(cls, path: str | Path) -> Transcript:
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError("transcript", f"cannot read {path}: {exc}") from exc
        return cls.from_jsonl(text, source=str(path))

    def text_turn(self, needle: str) -> int | None:
        """Index of the first response whose text states ``needle``, or None.

        Matching is on normalised (casefolded) text; ``re:<pattern>`` searches a regular expression.
        """
        import re

        from escalation_kit.evals.markdown import normalize, normalize_cached

        if needle.startswith("re:"):
            pattern = re.compile(needle[3:])

            def states(text: str) -> bool:
                return pattern.search(normalize_cached(text)) is not None
        else:
            want = normalize(needle)
            one_word = " " not in want

            def states(text: str) -> bool:
                if one_word and text.isascii():  # ASCII text only folds case: the spaces it collapses hold no word
                    return want in text.casefold()
                return want in normalize_cached(text)

        for r in self.responses:
            if states(r.text):
                return r.turn
        if self.answer and states(self.answer):
            return self.responses[-1].turn if self.responses else 0
        return None
