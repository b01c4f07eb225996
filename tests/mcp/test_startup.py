"""Start-up stays light: building the CLI parser and the MCP server imports no anthropic and reads no data."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.integration

PROBE = r"""
import builtins, io, json, pathlib, sys
from escalation_kit import paths
roots = []
for name in paths.DATA_FOLDERS:
    try:
        roots.append(str(paths.data_dir(name)))
    except FileNotFoundError:
        pass
opened = []
real_open, real_read_text = builtins.open, pathlib.Path.read_text
def note(file):
    if any(str(file).startswith(r) for r in roots):
        opened.append(str(file))
def spy_open(file, *a, **k):
    note(file)
    return real_open(file, *a, **k)
def spy_read_text(self, *a, **k):
    note(self)
    return real_read_text(self, *a, **k)
builtins.open = io.open = spy_open
pathlib.Path.read_text = spy_read_text
CORES = ("escalation_kit.vendors.catalog", "escalation_kit.vendors.path", "escalation_kit.sla.clock",
         "escalation_kit.sla.policy", "escalation_kit.sla.business_time", "escalation_kit.briefs.facts")
from escalation_kit.cli.main import build_parser
from escalation_kit.mcp.server import build_server
build_parser(); build_server()
print(json.dumps({"anthropic": "anthropic" in sys.modules, "opened": opened,
                  "heavy": sorted(m for m in ("jinja2", "holidays", "yaml") if m in sys.modules),
                  "cores": sorted(m for m in sys.modules if m in CORES)}))
"""


def test_server_start_imports_no_anthropic_and_reads_no_data():
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    facts = json.loads(out.stdout.strip().splitlines()[-1])
    assert facts["anthropic"] is False
    assert facts["opened"] == []
    assert facts["heavy"] == []  # jinja2, holidays and yaml load with the first call that needs them
    # even a full build (no cached forms) needs the result models only: the catalog's schema models, the SLA
    # clock and its policy models, and the brief fact models load with the first call that uses them; with
    # cached forms not even the result models load (test_lazy_tools)
    assert facts["cores"] == []
