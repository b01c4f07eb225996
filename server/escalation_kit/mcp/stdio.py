"""The stdio transport with the edges the SDK's leaves open: every line answered, bounded lines, clean exits.

The SDK's ``stdio_server`` drops a line it cannot parse without a word, reads lines of any length,
cancels requests still running when stdin closes, and on SIGINT waits for the next stdin byte. Here
a reader thread hands bounded lines to the SDK through ``stdio_server``'s explicit-stream parameters;
a line the SDK would drop is answered with a JSON-RPC error when its id can be read and logged
(truncated) to stderr otherwise; on EOF, SIGINT or SIGTERM no new request is taken and the ones in
flight get up to ``DRAIN_SECONDS`` to finish before the server exits.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import re
import signal
import sys
import threading
from typing import Any

log = logging.getLogger("escalation_kit.mcp.stdio")

MAX_LINE_BYTES = 1024 * 1024  # the same cap as an HTTP request body
DRAIN_SECONDS = 10.0
QUEUE_LINES = 64
MAX_DEPTH = 200  # arrays and objects inside one another: the SDK's JSON parser (pydantic-core) refuses more
_EOF = object()
_ID_PREFIX = re.compile(rb'"id"\s*:\s*(-?\d{1,18}|"(?:[^"\\]|\\.){0,200}")')
_RESPONSE_ID = re.compile(r'^\{"jsonrpc":"2\.0","id":(-?\d+|"(?:[^"\\]|\\.)*")[,}]')


class Oversized(bytes):
    """The first bytes of a line that went past ``MAX_LINE_BYTES`` (the rest was discarded)."""


def claim_std_streams() -> tuple[int, int]:
    """Private duplicates of fd 0 and 1 for the wire; fd 0 then reads /dev/null and fd 1 goes to stderr.

    A stray print() or child process can then never corrupt the protocol stream.
    """
    wire_in, wire_out = os.dup(0), os.dup(1)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return wire_in, wire_out


def read_lines(fd: int, put: Any) -> None:
    """Thread body: hand each line (or an Oversized prefix) to ``put``, then _EOF; never holds more than a cap."""
    stream = os.fdopen(fd, "rb", closefd=False)
    try:
        _read_into(stream, put)
        put(_EOF)
    except RuntimeError:  # the event loop is gone: the server is exiting
        return


def _read_into(stream: Any, put: Any) -> None:
    try:
        while True:
            line = stream.readline(MAX_LINE_BYTES + 1)
            if not line:
                break
            if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
                while (rest := stream.readline(1 << 16)) and not rest.endswith(b"\n"):
                    pass
                put(Oversized(line[:4096]))
            else:
                put(line)
    except (OSError, ValueError) as exc:
        log.warning("stdin read failed: %s", exc)


class WireWriter:
    """What the SDK writes responses to: one line per message on the wire; tracks answered request ids."""

    def __init__(self, fd: int, inflight: InFlight) -> None:
        self.fd = fd
        self.inflight = inflight
        self.buffer: list[str] = []

    async def write(self, text: str) -> None:
        self.buffer.append(text)

    async def flush(self) -> None:
        data, self.buffer = "".join(self.buffer), []
        self.send_raw(data)
        for line in data.splitlines():
            self.inflight.answered(line)

    def send_raw(self, data: str) -> None:
        view = memoryview(data.encode("utf-8", errors="replace"))
        while view:
            written = os.write(self.fd, view)
            view = view[written:]

    def error(self, request_id: Any, code: int, message: str) -> None:
        """Write a JSON-RPC error response for a request the SDK would not answer."""
        payload = {"jsonrpc": "2.0", "id": request_id, "error": {"code": code, "message": message}}
        self.send_raw(json.dumps(payload, separators=(",", ":")) + "\n")


class InFlight:
    """Ids of requests handed to the SDK and not yet answered, so a shutdown can wait for them."""

    def __init__(self) -> None:
        self.ids: set[Any] = set()
        self.idle = asyncio.Event()
        self.idle.set()

    def started(self, request_id: Any) -> None:
        self.ids.add(_key(request_id))
        self.idle.clear()

    def answered(self, line: str) -> None:
        if not self.ids:
            return
        match = _RESPONSE_ID.match(line)
        request_id = json.loads(match.group(1)) if match else _id_of_json(line)
        self.ids.discard(_key(request_id))
        if not self.ids:
            self.idle.set()

    async def drain(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self.idle.wait(), seconds)
        except TimeoutError:
            log.warning("exiting with %d request(s) unanswered after %.0f s", len(self.ids), seconds)


def _key(request_id: Any) -> tuple[str, Any]:
    return (type(request_id).__name__, request_id)


def _id_of_json(line: str) -> Any:
    try:
        message = json.loads(line)
    except ValueError:
        return None
    return message.get("id") if isinstance(message, dict) else None


def readable_id(message: Any) -> Any:
    """The request id if the message has a usable one (string or integer), else None."""
    if not isinstance(message, dict):
        return None
    request_id = message.get("id")
    if isinstance(request_id, bool) or not isinstance(request_id, str | int):
        return None
    return request_id


def _readable_prefix_id(raw: bytes) -> Any:
    """The id a line that cannot be parsed still shows near its start, or None (an id that is itself not UTF-8)."""
    match = _ID_PREFIX.search(raw[:4096])
    try:
        return json.loads(match.group(1)) if match else None
    except ValueError:
        return None


def has_unusable_id(text: str) -> bool:
    """True for a request whose id is present but null, an object, an array or a boolean."""
    try:
        message = json.loads(text)
    except (ValueError, RecursionError):
        return False
    return isinstance(message, dict) and "method" in message and "id" in message and readable_id(message) is None


def parse_reason(exc: Exception) -> str:
    """A -32700 message that says what is wrong and where, quoting none of the line (Python's json module
    reads what the SDK's parser refuses: lone surrogate escapes and nesting past its depth limit)."""
    errors = getattr(exc, "errors", None)
    found = next((e.get("ctx", {}).get("error", "") for e in errors() if e.get("type") == "json_invalid"),
                 "") if callable(errors) else ""
    where = found[found.find(" at line "):] if " at line " in found else ""
    if "recursion" in found:
        return f"Parse error: nested deeper than {MAX_DEPTH} levels{where}"
    if "escape" in found or "surrogate" in found:
        return f"Parse error: a \\uD800-\\uDFFF escape without its pair is not valid Unicode{where}"
    return f"Parse error: {found[:120]}" if found else "Parse error"


class LineSource:
    """The async iterator of lines the SDK's stdio transport reads; answers or logs the lines it would drop."""

    def __init__(self, writer: WireWriter, inflight: InFlight) -> None:
        from mcp_types import jsonrpc_message_adapter

        self.adapter = jsonrpc_message_adapter
        self.writer = writer
        self.inflight = inflight
        self.queue: asyncio.Queue[Any] = asyncio.Queue()
        self.slots = threading.Semaphore(QUEUE_LINES)
        self.stopping = False

    def put_threadsafe(self, loop: asyncio.AbstractEventLoop) -> Any:
        """The ``put`` for the reader thread: waits for a free slot, so a fast writer cannot fill memory."""

        def put(item: Any) -> None:
            self.slots.acquire()
            loop.call_soon_threadsafe(self.queue.put_nowait, item)

        return put

    def stop(self) -> None:
        """Signal handler: take no new request, finish the ones in flight, then end the stream."""
        if self.stopping:
            os._exit(130)  # a second signal: the user means it
        self.stopping = True
        self.queue.put_nowait(_EOF)

    def __aiter__(self) -> LineSource:
        return self

    async def __anext__(self) -> str:
        while True:
            item = await self.queue.get()
            if item is not _EOF:
                self.slots.release()
            if item is _EOF or self.stopping:
                await self.inflight.drain(DRAIN_SECONDS)
                raise StopAsyncIteration
            line = self.accept(item)
            if line is not None:
                return line

    def accept(self, raw: bytes) -> str | None:
        """The line to pass on, or None after answering or logging why it is refused."""
        if isinstance(raw, Oversized):
            match = _ID_PREFIX.search(raw)
            self.refuse(json.loads(match.group(1)) if match else None, -32600,
                        f"Invalid Request: message over {MAX_LINE_BYTES} bytes", raw)
            return None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:  # MCP's stdio messages are UTF-8: a guessed U+FFFD would change the input
            self.refuse(_readable_prefix_id(raw), -32700, f"Parse error: not valid UTF-8 (byte {exc.start})", raw)
            return None
        if not text.strip():
            return None
        try:
            message = self.adapter.validate_json(text, by_name=False)
        except ValueError as exc:
            self.refuse_invalid(text, exc)
            return None
        request_id = getattr(message, "id", None)
        if getattr(message, "method", None) is not None and request_id is not None:
            self.inflight.started(request_id)
        elif request_id is None and '"id"' in text and has_unusable_id(text):
            # the SDK reads {"id": null, "method": ...} as a notification and never answers it
            self.writer.error(None, -32600, "Invalid Request: id must be a string or a number")
            return None
        return text

    def refuse_invalid(self, text: str, exc: Exception) -> None:
        """Answer a line that fails the JSON-RPC envelope: -32700 if it is not JSON, -32600 otherwise."""
        try:
            message = json.loads(text)
        except (ValueError, RecursionError):
            request_id = _readable_prefix_id(text[:4096].encode("utf-8", errors="replace"))
            self.refuse(request_id, -32700, "Parse error: not valid JSON", text)
            return
        if isinstance(message, list):
            ids = [readable_id(m) for m in message]
            for request_id in [i for i in ids if i is not None] or [None]:
                self.refuse(request_id, -32600, "Invalid Request: batches are not supported", text)
            return
        code = -32700 if "surrogate" in str(exc) or "escape" in str(exc) or "recursion" in str(exc) else -32600
        reason = parse_reason(exc) if code == -32700 else "Invalid Request: not a JSON-RPC 2.0 message"
        self.refuse(readable_id(message), code, reason, text)

    def refuse(self, request_id: Any, code: int, message: str, raw: str | bytes) -> None:
        if request_id is not None:
            self.writer.error(request_id, code, message)
        else:
            log.warning("dropped a stdio line with no readable id (%s): %.80r", message, raw)


async def serve_stdio(server: Any) -> None:
    """Serve ``server`` (an MCPServer) over stdio until EOF or a signal, draining requests in flight."""
    from mcp.server.stdio import stdio_server

    loop = asyncio.get_running_loop()
    wire_in, wire_out = claim_std_streams()
    inflight = InFlight()
    writer = WireWriter(wire_out, inflight)
    source = LineSource(writer, inflight)
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # Windows loops keep the default handlers
            loop.add_signal_handler(sig, source.stop)
    threading.Thread(target=read_lines, args=(wire_in, source.put_threadsafe(loop)), name="stdin", daemon=True).start()
    lowlevel = server._lowlevel_server  # MCPServer has no public way to run on caller-supplied streams
    async with stdio_server(stdin=source, stdout=writer) as (read_stream, write_stream):  # type: ignore[arg-type]
        await lowlevel.run(read_stream, write_stream, lowlevel.create_initialization_options())
