"""Templates run from the Python code Jinja2 compiled them to, without importing Jinja2 to render.

Importing Jinja2 costs ~11 ms (its nodes, compiler, lexer, parser, filters and environment load with the
package), which was half of a server's first ``format_escalation_brief`` call. Rendering a compiled template
needs none of that: the code Jinja2 generates calls a few runtime objects (a context, loop and macro
wrappers, four filters, three tests, attribute lookup). This module supplies those, for our environment's
settings only (no autoescape, strict undefined, no async), and keeps each template's code, compiled by
Jinja2 itself, in the cache folder under a key of the template's bytes, this module's, the module that
configures the environment and Jinja2's version file: an edited template, runtime, environment or Jinja2
is compiled again, never served stale.

It is a fast path, never a second engine: ``render`` returns None whenever the code reaches anything this
runtime does not supply exactly as Jinja2 would (an undefined value, a keyword argument to a macro, a filter
or global it lacks, any exception), and the caller then renders with Jinja2 itself from a clean start, so
both the text and every error are Jinja2's. ``tests/briefs/test_compiled.py`` compares the two on every
shipped template.
"""

from __future__ import annotations

import importlib.util
import marshal
import os
from collections.abc import Callable, Iterable
from functools import cache
from numbers import Number
from pathlib import Path
from typing import Any

from escalation_kit.datafiles import derived_path, write_atomic

__all__ = ["Library", "Unsupported", "render"]

FORMAT = b"compiled-templates-1"
PREFIX = "from jinja2.runtime import "
# The names Jinja2's generated code imports; those this runtime does not supply stop the fast path when used.
SUPPLIED = ("LoopContext", "Macro", "Undefined", "missing", "internalcode", "TemplateRuntimeError")
Compile = Callable[[str, str, str], str]  # (source, name, filename) -> the Python source Jinja2 generates


class Unsupported(Exception):  # noqa: N818 - a signal to the caller, not an error the user sees
    """The code needs something only Jinja2 supplies: render with Jinja2 instead."""


class _Missing:
    """Jinja2's ``missing`` marker (an absent variable or argument)."""

    def __repr__(self) -> str:
        return "missing"


missing: Any = _Missing()


def _unsupported(*args: Any, **kwargs: Any) -> Any:
    raise Unsupported


def strict_undefined(*args: Any, **kwargs: Any) -> Any:
    """Where Jinja2 makes a StrictUndefined (an unknown name, attribute or argument): stop the fast path."""
    raise Unsupported


class Undefined:
    """Jinja2's lenient ``Undefined`` as its code uses it (an inline ``if`` without ``else``): prints as "".

    Only printing and ``repr`` behave as Jinja2's; anything else stops the fast path.
    """

    def __init__(self, hint: str | None = None, *args: Any, **kwargs: Any) -> None:
        self._hint = hint

    def __str__(self) -> str:
        return ""

    def __repr__(self) -> str:
        return "Undefined"

    def __getattr__(self, name: str) -> Any:
        if name[:2] == "__" and name[-2:] == "__":
            raise AttributeError(name)
        raise Unsupported

    __bool__ = __len__ = __iter__ = __eq__ = __ne__ = __hash__ = __contains__ = _unsupported
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __rtruediv__ = _unsupported
    __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = __pos__ = __neg__ = __pow__ = __rpow__ = _unsupported
    __call__ = __getitem__ = __lt__ = __le__ = __gt__ = __ge__ = __int__ = __float__ = _unsupported


def internalcode(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Jinja2 marks its own frames for tracebacks; nothing to do here."""
    return fn


class TemplateRuntimeError(Exception):
    """Raised by code for a filter or test the environment lacks (this runtime stops there)."""


class EvalContext:
    """The evaluation context the code passes to filters: never autoescaping."""

    autoescape = False
    volatile = False


EVAL = EvalContext()


class LoopContext:
    """Jinja2's ``loop`` for ``for`` loops, as ``jinja2.runtime.LoopContext`` (not recursive)."""

    index0 = -1
    _length: int | None = None
    _after: Any = missing
    _current: Any = missing
    _before: Any = missing

    def __init__(self, iterable: Iterable[Any], undefined: Any, recurse: Any = None, depth0: int = 0) -> None:
        if recurse is not None:
            raise Unsupported
        self._iterable = iterable
        self._iterator = iter(iterable)
        self.depth0 = depth0

    @property
    def length(self) -> int:
        """Length of the iterable (a generator is read to its end, as Jinja2 does)."""
        if self._length is not None:
            return self._length
        try:
            self._length = len(self._iterable)  # type: ignore[arg-type]
        except TypeError:
            items = list(self._iterator)
            self._iterator = iter(items)
            self._length = len(items) + self.index + (self._after is not missing)
        return self._length

    def __len__(self) -> int:
        return self.length

    @property
    def depth(self) -> int:
        return self.depth0 + 1

    @property
    def index(self) -> int:
        return self.index0 + 1

    @property
    def revindex0(self) -> int:
        return self.length - self.index

    @property
    def revindex(self) -> int:
        return self.length - self.index0

    @property
    def first(self) -> bool:
        return self.index0 == 0

    def _peek_next(self) -> Any:
        if self._after is not missing:
            return self._after
        self._after = next(self._iterator, missing)
        return self._after

    @property
    def last(self) -> bool:
        return self._peek_next() is missing

    def __iter__(self) -> LoopContext:
        return self

    def __next__(self) -> tuple[Any, LoopContext]:
        if self._after is not missing:
            rv = self._after
            self._after = missing
        else:
            rv = next(self._iterator)
        self.index0 += 1
        self._before = self._current
        self._current = rv
        return rv, self


class Macro:
    """A template macro called with exactly its positional arguments (anything else: Jinja2's job)."""

    def __init__(self, environment: Any, func: Callable[..., str], name: str, arguments: tuple[str, ...],
                 catch_kwargs: bool, catch_varargs: bool, caller: bool, default_autoescape: Any = None) -> None:
        if catch_kwargs or catch_varargs or caller or default_autoescape:
            raise Unsupported
        self._func, self.name, self.arguments = func, name, arguments

    def __call__(self, *args: Any, **kwargs: Any) -> str:
        if kwargs or len(args) != len(self.arguments):
            raise Unsupported
        return self._func(*args)


def _soft_str(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


def _join(eval_ctx: Any, value: Iterable[Any], d: str = "", attribute: Any = None) -> str:
    if attribute is not None:
        raise Unsupported
    return str(d).join(map(str, value))


def _replace(eval_ctx: Any, s: Any, old: Any, new: Any, count: int | None = None) -> str:
    return str(s).replace(str(old), str(new), -1 if count is None else count)


FILTERS: dict[str, Callable[..., Any]] = {
    "join": _join,
    "lower": lambda s: _soft_str(s).lower(),
    "replace": _replace,
    "string": _soft_str,
}
TESTS: dict[str, Callable[..., bool]] = {
    "none": lambda value: value is None,
    "number": lambda value: isinstance(value, Number),
    "sameas": lambda value, other: value is other,
}


class Context:
    """A render's variables: the template's own (``vars``), then the render's and the globals (``parent``)."""

    eval_ctx = EVAL

    def __init__(self, parent: dict[str, Any]) -> None:
        self.parent = parent
        self.vars: dict[str, Any] = {}
        self.exported_vars: set[str] = set()

    def resolve_or_missing(self, key: str) -> Any:
        if key in self.vars:
            return self.vars[key]
        if key in self.parent:
            return self.parent[key]
        return missing

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja2's own signature
        """Call ``__obj`` as Jinja2's ``Context.call`` does for a callable that asks for no context."""
        if not isinstance(__obj, Macro):  # a callable that asks for the context (Jinja2's pass_*) is Jinja2's
            method = getattr(__obj, "__call__", None)  # noqa: B004 - what Jinja2 inspects
            if hasattr(__obj, "jinja_pass_arg") or hasattr(method, "jinja_pass_arg"):
                raise Unsupported
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            raise Unsupported from None


class Module:
    """An imported template (``{% import ... as c %}``): its exported variables and macros as attributes."""

    def __init__(self, exported: dict[str, Any]) -> None:
        self.__dict__.update(exported)


class Template:
    """One template's compiled code, run against this runtime."""

    def __init__(self, library: Library, code: Any) -> None:
        namespace: dict[str, Any] = {"environment": library, "__file__": code.co_filename}
        exec(code, namespace)  # our own template's code, as Jinja2's Template.from_code runs it
        self.library, self.root = library, namespace["root"]
        self._module: Module | None = None

    def render(self, variables: dict[str, Any]) -> str:
        return "".join(self.root(Context({**self.library.globals, **variables})))

    def _get_default_module(self, context: Any = None) -> Module:
        """The template as a module, built once with the globals only (as Jinja2 caches it)."""
        if self._module is None:
            context = Context(dict(self.library.globals))
            for _ in self.root(context):
                pass
            self._module = Module({key: context.vars[key] for key in context.exported_vars})
        return self._module

    @property
    def module(self) -> Module:
        return self._get_default_module()


class Library:
    """The templates of one folder, each compiled once by Jinja2 (``compile``) and cached; the environment
    the generated code sees (``getattr``, ``getitem``, ``filters``, ``tests``, ``get_template``)."""

    concat = "".join
    undefined = staticmethod(strict_undefined)
    filters = FILTERS
    tests = TESTS

    def __init__(self, folder: Path, compile: Compile, globals: dict[str, Any], sources: tuple[Path, ...] = ()) -> None:
        """``compile`` gives Jinja2's code for a template; ``sources`` are the files that decide that code (the
        module configuring the environment), part of each cached entry's key like the template itself."""
        self.folder, self.compile, self.globals, self.sources = folder, compile, globals, sources
        self._templates: dict[str, tuple[int, Template | None]] = {}

    def get_template(self, name: str, parent: str | None = None) -> Template:
        """The template ``name`` (a path under the folder), reloaded when its file changes."""
        found = self.load(name)
        if found is None:
            raise Unsupported
        return found

    def load(self, name: str) -> Template | None:
        """``name``'s template, or None when its code needs what this runtime lacks."""
        path = self.folder / name
        stamp = os.stat(path).st_mtime_ns
        known = self._templates.get(name)
        if known is not None and known[0] == stamp:
            return known[1]
        code = self._code(name, path)
        template = Template(self, code) if code is not None else None
        self._templates[name] = (stamp, template)
        return template

    def _code(self, name: str, path: Path) -> Any:
        """The template's code object: from the cache, else compiled by Jinja2 and cached (None: not ours)."""
        cached = derived_path("template-code", [path, Path(__file__), *self.sources, *_jinja2_files()], ".bin",
                              FORMAT + name.encode())
        try:
            payload = cached.read_bytes()
        except OSError:
            payload = None
        if payload is not None:
            try:
                return marshal.loads(payload) if payload else None
            except (EOFError, ValueError, TypeError):
                pass
        source = self.compile(path.read_text(encoding="utf-8"), name, str(path))
        code = adapt(source, str(path))
        write_atomic(cached, marshal.dumps(code) if code is not None else b"")
        return code

    def getattr(self, obj: Any, attribute: str) -> Any:
        """Jinja2's ``Environment.getattr``: the attribute, else the item, else undefined."""
        try:
            return getattr(obj, attribute)
        except AttributeError:
            pass
        try:
            return obj[attribute]
        except (TypeError, LookupError, AttributeError):
            return self.undefined(obj=obj, name=attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        """Jinja2's ``Environment.getitem``: the item, else the attribute of that name, else undefined."""
        try:
            return obj[argument]
        except (AttributeError, TypeError, LookupError):
            if isinstance(argument, str):
                try:
                    return getattr(obj, argument)
                except AttributeError:
                    pass
            return self.undefined(obj=obj, name=argument)


def adapt(source: str, filename: str) -> Any:
    """Jinja2's generated module source as a code object for this runtime; None if it imports other names."""
    first, _, rest = source.partition("\n")
    if not first.startswith(PREFIX):
        return None
    names = [name.strip() for name in first[len(PREFIX):].split(",")]
    # the imported names this runtime lacks are bound to a stop, so using one renders with Jinja2
    header = "".join(f"{name} = _unsupported\n" for name in names if name not in SUPPLIED)
    runtime = f"from {__name__} import {', '.join(sorted(set(SUPPLIED) | {'_unsupported'}))}\n"
    return compile(runtime + header + rest, filename, "exec", dont_inherit=True)


@cache
def _jinja2_files() -> list[Path]:
    """Jinja2's version file (its ``__init__``), found without importing Jinja2: another version, other code."""
    spec = importlib.util.find_spec("jinja2")
    return [Path(spec.origin)] if spec is not None and spec.origin else []


def _render(template: Template, variables: dict[str, Any]) -> str | None:
    try:
        return template.render(variables)
    except Exception:  # noqa: BLE001 - any failure means Jinja2 renders it, and raises its own error
        return None


def render(library: Library, name: str, variables: Callable[[], dict[str, Any]]) -> str | None:
    """``name`` rendered with ``variables()`` by its compiled code, or None when Jinja2 must render it."""
    try:
        template = library.load(name)
    except Exception:  # noqa: BLE001 - a missing or broken template: Jinja2 reports it in its own words
        return None
    return None if template is None else _render(template, variables())


