"""A server whose tools' published forms are cached lists them without loading any capability core.

Each tool is then a ``LazyTool`` built on its first call (or in the warm-up) into the very tool a full
build gives; a change to any module the forms were derived with means a full build again.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from escalation_kit import datafiles
from escalation_kit.mcp import published
from escalation_kit.mcp.server import build_server, lazy_builders, server_tools
from escalation_kit.mcp.tools import derive, publish_vendor_ids
from mcp import Client

CORES = ("escalation_kit.severity", "escalation_kit.language", "escalation_kit.sla", "escalation_kit.vendors.models",
         "escalation_kit.briefs", "escalation_kit.tools", "escalation_kit.tracker", "escalation_kit.routing", "jinja2")


def test_cached_forms_give_lazy_tools_that_build_into_the_derived_tools(cache: Path):
    full = server_tools(enable_writes=True)  # an empty cache: every tool derived, the forms recorded
    assert not any(isinstance(tool, published.LazyTool) for tool in full)
    published._entries.cache_clear()
    lazy = server_tools(enable_writes=True)
    assert all(isinstance(tool, published.LazyTool) for tool in lazy) and len(lazy) == 21
    for listed, built in zip(lazy, full, strict=True):
        assert (listed.name, listed.title, listed.description, listed.parameters, listed.output_schema,
                listed.annotations) == (built.name, built.title, built.description, built.parameters,
                                        built.output_schema, built.annotations)
        assert not listed.realized
        real = listed.realize()
        assert listed.realized and listed.realize() is real  # built once
        derived = derive(real.fn, real.title, real.annotations)
        publish_vendor_ids(derived)
        assert published.same_tool(real, derived), listed.name


def test_a_changed_module_behind_the_forms_means_a_full_build(cache: Path, tmp_path: Path):
    server_tools(enable_writes=False)
    pointer = published._pointer_path()
    sources = json.loads(pointer.read_text(encoding="utf-8"))["sources"]
    assert any(s.endswith("severity/classify.py") for s in sources)  # the cores' models are among them
    entries = published._current_entries()
    assert {"detect_language", "determine_escalation"} <= set(entries)
    # record the same forms as derived with one more module, as a full build with it loaded would
    stand_in = tmp_path / "module.py"
    stand_in.write_text("A = 1\n", encoding="utf-8")
    recorded = (*sources, str(stand_in))
    published._entries_path.cache_clear()
    published.write_atomic(published._entries_path(recorded, cache), json.dumps(entries).encode("utf-8"))
    pointer.write_text(json.dumps({"sources": list(recorded)}), encoding="utf-8")

    def current() -> dict:
        published._entries_path.cache_clear()  # as a new process would: hash the files afresh
        published._entries.cache_clear()
        return published._current_entries()

    assert current() == entries
    stand_in.write_text("A = 2\n", encoding="utf-8")
    assert current() == {}  # an edited module: its forms are not trusted
    stand_in.write_text("A = 1\n", encoding="utf-8")
    assert current() == entries
    stand_in.unlink()
    assert current() == {}  # a recorded module that is gone
    assert not any(isinstance(t, published.LazyTool) for t in server_tools(enable_writes=False))  # full build


@pytest.mark.anyio
async def test_a_lazy_server_answers_every_tool_like_a_full_one(cache: Path):
    calls = {"detect_language": {"text": "База данных недоступна"},
             "classify_severity": {"text": "Production database down for all customers"},
             "pick_vendor_support_path": {"vendor": "aws", "severity": "P1"},
             "compute_sla_deadlines": {"severity": "P1", "opened_at": "2026-03-06T10:00:00+08:00",
                                       "timezone": "Asia/Shanghai", "calendar": "CN"},
             "format_escalation_brief": {"facts": {"summary": "Checkout down", "severity": "P1",
                                                   "description": "500 since 09:40 UTC"}},
             "classify_severity ": {"text": 5}}  # a bad argument: the SDK's validation, through the built model

    async def answers(server) -> tuple[list, list]:
        async with Client(server) as client:
            listed = [t.model_dump(mode="json") for t in (await client.list_tools()).tools]
            results = [(await client.call_tool(name.strip(), args)).model_dump(mode="json")
                       for name, args in calls.items()]
        return listed, results

    full = build_server()
    published._entries.cache_clear()
    tools = server_tools(enable_writes=True)
    assert set(lazy_builders(tools)) == {t.name for t in tools}
    lazy = build_server(tools=tools)
    assert await answers(lazy) == await answers(full)


PROBE = r"""
import json, sys
import anyio
from mcp import Client
from escalation_kit.mcp.server import build_server

CORES = %r

async def main():
    async with Client(build_server()) as client:
        await client.list_tools()
        listed = sorted(m for m in sys.modules if m.startswith(CORES))
        result = await client.call_tool("compute_sla_deadlines",
                                        {"severity": "P1", "opened_at": "2026-03-06T10:00:00Z"})
        called = sorted(m for m in sys.modules if m.startswith(CORES))
        vendor_modules = sorted(m for m in sys.modules if m.startswith("escalation_kit.vendors."))
    from escalation_kit.vendors import models
    built = [m.__name__ for m in (models.VendorPathBrief, models.SourceBrief) if m.__pydantic_complete__]
    print(json.dumps({"listed": listed, "called": called, "error": result.is_error, "vendor_models_built": built,
                      "vendor_modules": vendor_modules}))

anyio.run(main)
"""


@pytest.mark.integration
def test_listing_the_tools_loads_no_core_and_a_call_loads_its_own(tmp_path: Path):
    env = {**os.environ, datafiles.CACHE_ENV: str(tmp_path)}
    probe = [sys.executable, "-c", PROBE % (CORES,)]
    first = subprocess.run(probe, capture_output=True, text=True, timeout=120, env=env)  # derives and records
    assert first.returncode == 0, first.stderr
    out = subprocess.run(probe, capture_output=True, text=True, timeout=120, env=env)
    assert out.returncode == 0, out.stderr
    facts = json.loads(out.stdout.strip().splitlines()[-1])
    assert facts["listed"] == []
    assert facts["error"] is False
    assert "escalation_kit.sla.clock" in facts["called"]
    others = ("escalation_kit.severity", "escalation_kit.briefs", "jinja2")
    assert not any(m.startswith(others) for m in facts["called"])  # the SLA tool's first call loads its own core
    assert "escalation_kit.vendors.catalog" in facts["vendor_modules"]  # the clock reads plans through the catalog,
    assert "escalation_kit.vendors.summary" not in facts["vendor_modules"]  # never the catalog resource's summary
    assert facts["vendor_models_built"] == []  # the vendor answer's models build with its first answer


@pytest.mark.anyio
async def test_a_tool_whose_core_cannot_load_answers_like_a_crashed_tool(cache: Path):
    server_tools(enable_writes=False)
    published._entries.cache_clear()
    tools = server_tools(enable_writes=False)
    broken = next(t for t in tools if t.name == "detect_language")

    def fail(_name: str) -> None:
        raise ImportError("a core that cannot load: /secret/path")

    broken._prepare = fail
    async with Client(build_server(enable_writes=False, tools=tools)) as client:
        result = await client.call_tool("detect_language", {"text": "hello"})
        other = await client.call_tool("pick_vendor_support_path", {"vendor": "aws", "severity": "P1"})
    assert result.is_error and not other.is_error
    text = " ".join(getattr(block, "text", "") for block in result.content)
    assert "detect_language" in text and "secret" not in text
    assert not broken.realized


NAMES_PROBE = r"""
import json
from escalation_kit.mcp import tools
print(json.dumps(sorted(vars(tools))))
"""


@pytest.mark.integration
def test_each_tool_lists_every_core_type_its_signature_names():
    """load_types(tool) must import every name the tool's annotations use that the module does not import
    itself; otherwise that tool's first call could fail whenever no other tool had loaded the name first."""
    import ast
    import builtins

    from escalation_kit.mcp import tools

    out = subprocess.run([sys.executable, "-c", NAMES_PROBE], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    light = set(json.loads(out.stdout))  # the module's names before any load_types
    assert not light & {name for modules in tools.TYPES.values() for names in modules.values() for name in names}
    for fn in tools.TITLES:
        used = {node.id for annotation in fn.__annotations__.values()
                for node in ast.walk(ast.parse(annotation, mode="eval")) if isinstance(node, ast.Name)}
        listed = {name for names in tools.TYPES[fn.__name__].values() for name in names}
        missing = used - light - listed - set(vars(builtins))
        assert not missing, (fn.__name__, missing)
        assert listed <= used, (fn.__name__, listed - used)  # nothing loaded that the tool does not name


def test_the_catalog_summary_models_stay_importable_from_the_answer_models():
    """``vendors.models`` hands out the summary classes it no longer defines (they live in ``vendors.summary``)."""
    from escalation_kit import vendors
    from escalation_kit.vendors import models, summary

    assert models.VendorCatalog is summary.VendorCatalog is vendors.VendorCatalog
    assert models.PlanSummary is summary.PlanSummary and models.VendorSummary is summary.VendorSummary
    with pytest.raises(AttributeError):
        models.NoSuchModel  # noqa: B018 - the lazy lookup must still refuse unknown names


def test_the_collector_is_paused_for_a_first_call_and_resumed_after(monkeypatch: pytest.MonkeyPatch):
    """collector_paused: off inside, on after (in a server process what it created is frozen), left off if off."""
    import gc

    from escalation_kit.mcp import published
    from escalation_kit.mcp.published import collector_paused

    assert gc.isenabled() and not published.FREEZE_FIRST_CALLS  # an embedding process never freezes
    frozen = gc.get_freeze_count()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled() and gc.get_freeze_count() == frozen
        monkeypatch.setattr(published, "FREEZE_FIRST_CALLS", True)  # as server.run sets it
        with collector_paused():
            assert not gc.isenabled()
            created = [[] for _ in range(1000)]  # tracked containers made during the first call
        assert gc.isenabled() and gc.get_freeze_count() >= frozen + len(created)
        gc.disable()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # someone else turned it off: it stays off
    finally:
        gc.enable()
        gc.unfreeze()  # the test process keeps collecting what the tests create
