"""Tools built from their cached published form: start-up builds each argument model, not its JSON Schemas.

``Tool.from_function`` derives a tool's input and output JSON Schemas, which we then compact: about
28 ms for the 17 tools, a third of what our start-up adds to a bare ``MCPServer``. The published form
(description, input schema, output schema) depends only on code, so it is cached, keyed by every
loaded ``escalation_kit`` module, the SDK modules that derive it, and the Python and pydantic versions
(``datafiles.derived_path``): a change to any of them is a new key, so a stale form is never used.

On a hit the tool is assembled from the SDK's public classes: ``func_metadata(structured_output=False)``
builds the argument model the SDK validates every call with (exactly as ``from_function`` does), and
``FuncMetadata`` receives the cached output schema with the declared return model. A tool is cached
only when that assembly reproduces ``from_function``'s tool (checked when the entry is written): a
synthesized output model, a context or resolver parameter, or anything else means the full path.

``publish_all`` goes one step further for a server: when every tool has a cached form, each is a
``LazyTool`` that lists from the form alone and builds its argument model, and imports the capability
core its signature names, on its first call (or in the warm-up). Which modules the forms depend on
is recorded beside them (``_pointer_path``), so a start-up that has loaded none of those modules can
still check every one of them is unchanged before trusting the forms.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import inspect
import json
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Annotated, Any, get_args, get_origin

import anyio
from mcp.server.mcpserver.exceptions import UnexpectedToolError
from mcp.server.mcpserver.tools import Tool
from mcp.server.mcpserver.utilities import func_metadata as sdk_func_metadata
from mcp.server.mcpserver.utilities.func_metadata import ArgModelBase, FuncMetadata, func_metadata
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel, Field, PrivateAttr
from pydantic_core import to_json

from escalation_kit import regexcache
from escalation_kit.datafiles import cache_dir, derived_path, write_atomic

FORMAT = b"published-tools-1"
Build = Callable[[], Tool]
Spec = tuple[Callable[..., Any], str, ToolAnnotations]  # a tool's function, title and annotations


class CompactText(FuncMetadata):
    """The SDK's FuncMetadata, but a model result's text block is compact JSON of its structured content.

    ``convert_result`` indents the text block (``to_json(result, indent=2)``), which hosts that show the text
    to a model pay for in tokens (13-25 % more than compact JSON for our answers) and every client parses.
    For a result that is an instance of the declared output model (what the SDK's own validation passes
    through unchanged), this dumps it as the SDK does and writes that dump compactly: the same JSON value,
    and faster than the indented form (vendor answer 15 -> 6 µs). Anything else goes the SDK's way.
    """

    def convert_result(self, result: Any) -> Any:
        """A CallToolResult whose text is the compact JSON of its ``structured_content``."""
        model = self.output_model
        if (self.output_schema is None or self.wrap_output or not isinstance(model, type)
                or not issubclass(model, BaseModel) or not isinstance(result, model)):
            return super().convert_result(result)
        structured = result.model_dump(mode="json", by_alias=True)
        return CallToolResult(content=[TextContent(type="text", text=to_json(structured).decode())],
                              structured_content=structured)


def compact_text(metadata: FuncMetadata) -> CompactText:
    """``metadata`` as a ``CompactText`` (the same argument model, output schema and model)."""
    return CompactText(arg_model=metadata.arg_model, output_schema=metadata.output_schema,
                       output_model=metadata.output_model, wrap_output=metadata.wrap_output)


class LazyTool(Tool):
    """A tool listed from its cached published form; its argument model is built on its first call.

    ``tools/list`` reads only the name, title, description, schemas and annotations, which the cached
    form holds. ``run`` (the SDK's one entry point for a call) first assembles the real tool exactly as
    ``cached_tool`` would, importing the models its signature names (``prepare``), then delegates to it.
    """

    _prepare: Callable[[str], None] = PrivateAttr()
    _entry: dict[str, Any] = PrivateAttr()
    _real: Tool | None = PrivateAttr(default=None)
    _lock: Any = PrivateAttr(default_factory=threading.Lock)
    _loading: Any = PrivateAttr(default_factory=threading.Lock)  # held while the warm-up loads this tool

    @classmethod
    def create(cls, spec: Spec, entry: dict[str, Any], prepare: Callable[[str], None]) -> LazyTool:
        """The listed form of ``spec``'s tool from its cached ``entry``; nothing of its core is imported."""
        fn, title, annotations = spec
        placeholder = FuncMetadata(arg_model=ArgModelBase, output_schema=_fresh(entry["output_schema"]))
        tool = cls(fn=fn, name=fn.__name__, title=title, description=entry["description"],
                   parameters=_fresh(entry["parameters"]), fn_metadata=placeholder,
                   is_async=inspect.iscoroutinefunction(fn), context_kwarg=None, annotations=annotations)
        tool._prepare, tool._entry = prepare, entry
        return tool

    @property
    def realized(self) -> bool:
        """Whether the real tool (argument model, output model, core types) has been built."""
        return self._real is not None

    def realize(self) -> Tool:
        """The real tool, built once (thread-safe: the warm-up thread and a call may race for it)."""
        if self._real is None:
            with self._lock:
                if self._real is None:
                    self._prepare(self.name)
                    fn, title, annotations = self.fn, self.title or "", self.annotations
                    real = _assemble(fn, title, annotations or ToolAnnotations(), self._entry)
                    if real is None:
                        raise RuntimeError(f"the cached form of {self.name} names no return model")
                    real.parameters = self.parameters  # as listed (vendor ids filled in)
                    self._real = real
        return self._real

    @property
    def loading(self) -> Any:
        """A lock the warm-up holds while it loads this tool (builds it, loads its needs, calls its core once)."""
        return self._loading

    async def run(self, arguments: dict[str, Any], context: Any, convert_result: bool = False) -> Any:
        """Run the real tool, building it first if this is the tool's first call.

        A build that fails (a core that cannot be imported) is reported as the SDK reports a crash in a
        tool: ``Error executing tool <name>``, the cause logged, nothing of it sent to the client.
        A first call runs with the cyclic collector paused (``collector_paused``), and the patterns ``re``
        compiles in it come from cached code (``regexcache.served``). A call that arrives while the warm-up
        is loading this very tool waits for it (``settled``) rather than load the same core beside it.
        """
        if self._loading.locked():
            await settled(self._loading)
        if self._real is not None:
            return await self._real.run(arguments, context, convert_result=convert_result)
        with collector_paused(), regexcache.served(self.name):
            try:
                real = self.realize()
            except Exception as exc:
                raise UnexpectedToolError(f"Error executing tool {self.name}") from exc
            return await real.run(arguments, context, convert_result=convert_result)


POLL_S = 0.0005  # how often a call waiting for the warm-up's step looks again (the event loop stays free)
WAIT_LIMIT_S = 1.0  # a step that takes longer than this is shared rather than waited out


async def settled(lock: Any) -> None:
    """Wait (asynchronously, at most ``WAIT_LIMIT_S``) until ``lock`` is free.

    Beside a warm-up step that is loading the same core, a call shares the interpreter with it and
    ends when both have done the same work; waiting for the step, it ends just after the step with
    everything loaded.
    """
    deadline = time.monotonic() + WAIT_LIMIT_S
    while lock.locked() and time.monotonic() < deadline:
        await anyio.sleep(POLL_S)


# Set by ``server.run`` (a server process, which froze its start-up the same way); an embedding process
# (tests, in-process clients) never freezes, so no garbage of its own is kept.
FREEZE_FIRST_CALLS = False


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for a block (a tool's first call), then resume it.

    A tool's first call imports its core and creates its models: tens of thousands of new objects,
    which set off 5-15 young collections (0.3-1.6 ms of a 12-30 ms first call); resuming alone would
    only trade them for one collection of them all. They are the core's modules, classes and data,
    which live as long as the server, so in a server process (``FREEZE_FIRST_CALLS``) they join what
    ``gc.freeze`` set aside at start-up (``server.run``), and the few cycles such a call leaves are
    kept, once per tool. Elsewhere the collector just resumes. One that was off stays off.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            if FREEZE_FIRST_CALLS:
                gc.freeze()
            gc.enable()


def publish_all(specs: Sequence[Spec], prepare: Callable[..., None],
                derive: Callable[[Callable[..., Any], str, ToolAnnotations], Tool]) -> list[Tool]:
    """Every tool: lazy from the cached forms when all are cached and unchanged, else built in full.

    ``prepare(name)`` imports what one tool's signature names, ``prepare()`` what every tool's does.
    The full path (``prepare()``, then ``cached_tool`` for each) writes the forms and records the
    modules they were derived with, so the next start-up takes the lazy path.
    """
    entries = _current_entries()
    if all(spec[0].__name__ in entries for spec in specs):
        return [LazyTool.create(spec, entries[spec[0].__name__], prepare) for spec in specs]
    prepare()
    loaded = _loaded_modules()
    tools = [cached_tool(fn, title, hint, lambda f=fn, t=title, h=hint: derive(f, t, h)) for fn, title, hint in specs]
    if _loaded_modules() == loaded and all(t.name in _entries(_entries_path(loaded, cache_dir())) for t in tools):
        write_atomic(_pointer_path(), json.dumps({"sources": list(loaded)}).encode("utf-8"))
    return tools


def _current_entries() -> dict[str, Any]:
    """The cached forms recorded by the last full build, if every module they depend on is unchanged."""
    try:
        sources = tuple(json.loads(_pointer_path().read_text(encoding="utf-8"))["sources"])
        return _entries(_entries_path(sources, cache_dir()))
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _pointer_path() -> Path:
    """Where the modules behind the forms are recorded: one file per package folder, SDK and versions."""
    from pydantic.version import VERSION as PYDANTIC

    package = str(Path(__file__).resolve().parents[1])
    key = hashlib.sha256(f"{package}|{sys.version}|{PYDANTIC}|{_sdk_files()}".encode() + FORMAT).hexdigest()[:32]
    return cache_dir() / "derived" / f"published-sources-{key}.json"


def _sdk_files() -> list[Path]:
    """The SDK modules that derive a tool's published form."""
    return [Path(sdk_func_metadata.__file__), Path(sys.modules[Tool.__module__].__file__ or "")]


def cached_tool(fn: Callable[..., Any], title: str, annotations: ToolAnnotations, build: Build) -> Tool:
    """The tool for ``fn``: assembled from its cached published form, else ``build()`` (and cached if exact)."""
    loaded = _loaded_modules()
    path = _entries_path(loaded, cache_dir())
    entry = _entries(path).get(fn.__name__)
    if entry is not None:
        tool = _assemble(fn, title, annotations, entry)
        if tool is not None:
            return tool
    tool = build()
    if _loaded_modules() == loaded:  # building imported none of our modules, so the key covers the form
        _remember(path, fn, title, annotations, tool)
    return tool


def _assemble(fn: Callable[..., Any], title: str, annotations: ToolAnnotations, entry: dict[str, Any]) -> Tool | None:
    """A Tool from the SDK's public classes and a cached form; None when the return model cannot be named."""
    output_model = _output_model(fn)
    if output_model is None:
        return None
    arguments = func_metadata(fn, structured_output=False).arg_model
    # fresh copies: the caller edits a tool's schema (the vendor ids), which must never reach the cache
    metadata = CompactText(arg_model=arguments, output_schema=_fresh(entry["output_schema"]),
                           output_model=output_model)
    return Tool(fn=fn, name=fn.__name__, title=title, description=entry["description"],
                parameters=_fresh(entry["parameters"]), fn_metadata=metadata,
                is_async=inspect.iscoroutinefunction(fn), context_kwarg=None, annotations=annotations)


def _fresh(node: Any) -> Any:
    """A copy of a JSON value (dicts and lists copied, leaves shared): cheaper than ``copy.deepcopy``."""
    if isinstance(node, dict):
        return {key: _fresh(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_fresh(item) for item in node]
    return node


def _output_model(fn: Callable[..., Any]) -> Any:
    """What the SDK validates results with: the declared model class, or for a ``dict[str, T]`` return
    the titled model its docstring describes (``same_tool`` confirms each before it is cached); else None."""
    returns = fn.__annotations__.get("return")
    if isinstance(returns, str):  # postponed annotation: evaluated as inspect.signature(eval_str=True) would
        returns = eval(returns, fn.__globals__)  # our own module's annotation, never input
    if isinstance(returns, type):
        return returns
    if get_origin(returns) is dict and get_args(returns)[0] is str:
        return Annotated[returns, Field(title=f"{fn.__name__}DictOutput")]
    return None


def _model_key(model: Any) -> Any:
    """An output model as something comparable: the class itself, or an Annotated type's base and metadata."""
    if get_origin(model) is Annotated:
        base, *extra = get_args(model)
        return base, tuple(repr(item) for item in extra)
    return model


def _remember(path: Path, fn: Callable[..., Any], title: str, annotations: ToolAnnotations, tool: Tool) -> None:
    """Cache ``tool``'s published form if assembling from it gives the same tool; a read-only cache is fine."""
    entry = json.loads(json.dumps({"description": tool.description, "parameters": tool.parameters,
                                   "output_schema": tool.fn_metadata.output_schema}))
    again = _assemble(fn, title, annotations, entry)
    if again is None or not same_tool(again, tool):
        return
    entries = _entries(path)
    entries[fn.__name__] = entry
    write_atomic(path, json.dumps(entries, ensure_ascii=False, sort_keys=True).encode("utf-8"))


def same_tool(a: Tool, b: Tool) -> bool:
    """Whether two tools publish the same form and validate and convert calls the same way."""
    ma, mb = a.fn_metadata, b.fn_metadata
    return (a.name, a.title, a.description, a.parameters, a.annotations, a.is_async, a.context_kwarg,
            a.resolved_params, a.resolver_plans, a.icons, a.meta) == (
        b.name, b.title, b.description, b.parameters, b.annotations, b.is_async, b.context_kwarg,
        b.resolved_params, b.resolver_plans, b.icons, b.meta) and (
        ma.output_schema == mb.output_schema and _model_key(ma.output_model) == _model_key(mb.output_model)
        and ma.wrap_output == mb.wrap_output
        and ma.arg_model.model_json_schema() == mb.arg_model.model_json_schema())


def _loaded_modules() -> tuple[str, ...]:
    """Source files of every loaded escalation_kit module: a published form can depend on no other of ours."""
    return tuple(sorted(module.__file__ for name, module in list(sys.modules.items())
                        if name.startswith("escalation_kit") and getattr(module, "__file__", None)))


@cache
def _entries_path(loaded: tuple[str, ...], folder: Path) -> Path:
    """The cache file for this set of modules (hashing ~40 files costs about a millisecond, once)."""
    path = derived_path("published-tools", [Path(p) for p in loaded] + _sdk_files(), ".json", FORMAT)
    return folder / path.relative_to(cache_dir())


@cache
def _entries(path: Path) -> dict[str, Any]:
    """Cached forms by tool name ({} when there are none or the file is damaged)."""
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return entries if isinstance(entries, dict) else {}
