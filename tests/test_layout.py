"""The package layout as rules: the pure core never imports an adapter, imports only go down, no circles.

The imports are read from the source with ``ast`` (function-level imports included), so a new circle
or an upward import fails here before it confuses a reader.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "server" / "escalation_kit"

# Floors, bottom up. A module may import its own package and anything on a lower floor, never a
# sibling capability on the same floor or anything above it.
FLOORS: dict[str, int] = {
    "vocab": 0, "errors": 0, "paths": 0, "timezones": 0, "datafiles": 0, "regexcache": 0, "lazy": 0, "lean": 0,
    "netmsg": 0, "jsonhttp": 0,
    "__init__": 0,
    "language": 1, "vendors": 1, "skillpack": 1,
    "severity": 2, "sla": 2, "briefs": 2, "routing": 2, "oncall": 2,
    "tools": 3, "evals": 3,
    "triage": 4, "tracker": 4,
    "statuspages": 4,
    "mcp": 5, "notify": 5, "ticketing": 5, "supportcases": 5,
    "cli": 6, "__main__": 7,
}
CORE = ("language", "severity", "vendors", "sla", "briefs", "skillpack", "routing", "oncall",
        "vocab", "errors", "paths", "timezones", "datafiles", "regexcache", "lazy", "lean")
FORBIDDEN_IN_CORE = ("mcp", "anthropic", "escalation_kit.evals", "escalation_kit.cli", "escalation_kit.tracker",
                     "escalation_kit.mcp", "escalation_kit.triage", "escalation_kit.tools")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


@cache
def imports_of(name: str) -> tuple[str, ...]:
    """Every module this one imports, anywhere in its body (absolute imports only: the project uses no others)."""
    tree = ast.parse(modules()[name].read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{name} uses a relative import"
            base = node.module or ""
            for alias in node.names:
                child = f"{base}.{alias.name}"
                found.append(child if child in modules() else base)
    return tuple(found)


def internal_imports(name: str) -> set[str]:
    return {m for m in imports_of(name) if m == "escalation_kit" or m.startswith("escalation_kit.")} - {name}


def unit(name: str) -> str:
    """The layout unit of a module: its top-level package or module under escalation_kit."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_every_module_has_a_floor() -> None:
    units = {unit(m) for m in modules()}
    assert units and units <= set(FLOORS), units - set(FLOORS)


@pytest.mark.parametrize("name", sorted(m for m in modules() if unit(m) in CORE))
def test_core_never_imports_an_adapter(name: str) -> None:
    bad = [m for m in imports_of(name) if any(m == f or m.startswith(f + ".") for f in FORBIDDEN_IN_CORE)]
    assert not bad, f"{name} imports {bad}"


def test_imports_only_go_down() -> None:
    upward = []
    for name in modules():
        here = unit(name)
        for target in internal_imports(name):
            there = unit(target)
            if there == here or target == "escalation_kit" or FLOORS[there] == FLOORS[here] == 0:
                continue
            if FLOORS[there] >= FLOORS[here]:
                upward.append(f"{name} -> {target}")
    assert not upward, upward
    assert len(modules()) > 40  # the scan really read the package


def test_no_import_circles() -> None:
    graph = {m: {t for t in internal_imports(m) if t in modules()} for m in modules()}
    cycles = []
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1 and nxt not in ("escalation_kit",):
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    assert not cycles, cycles


def _string_sets(name: str) -> list[frozenset[str]]:
    """Every literal tuple/list/Literal[...] of two or more strings in a module."""
    tree = ast.parse(modules()[name].read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        elts = None
        if isinstance(node, (ast.Tuple, ast.List)):
            elts = node.elts
        if elts and len(elts) >= 3 and all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in elts):
            out.append(frozenset(e.value for e in elts))
    return out


@pytest.mark.parametrize("words", [
    frozenset({"P0", "P1", "P2", "P3"}), frozenset({"en", "ru", "zh"}), frozenset({"auto", "en", "ru", "zh"}),
])
def test_shared_words_are_declared_once(words: frozenset[str]) -> None:
    owners = sorted(m for m in modules() if words in _string_sets(m))
    assert owners == ["escalation_kit.vocab"], owners
