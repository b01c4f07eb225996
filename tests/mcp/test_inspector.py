"""The official MCP Inspector CLI lists and calls our tools (skipped where node/npx is missing)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from conftest import cli_path

pytestmark = pytest.mark.integration
INSPECTOR = "@modelcontextprotocol/inspector@2.12.0"


def inspector(*args: str) -> subprocess.CompletedProcess:
    npx = shutil.which("npx")
    if npx is None:
        pytest.skip("npx (node) is not installed; the Inspector CLI check needs it")
    out = subprocess.run([npx, "-y", INSPECTOR, "--cli", cli_path(), "serve", *args, "--format", "json", "-q"],
                         capture_output=True, text=True, timeout=300, cwd=os.path.expanduser("~"))
    if out.returncode != 0 and ("ENOTFOUND" in out.stderr or "EAI_AGAIN" in out.stderr):
        pytest.skip(f"npm registry unreachable: {out.stderr[-200:]}")
    return out


def result(out: subprocess.CompletedProcess) -> dict:
    """The JSON result the Inspector printed (it wraps it as {"result": ...})."""
    data = json.loads(out.stdout)
    return data.get("result", data)


def test_inspector_lists_five_tools_with_output_schemas():
    out = inspector("--method", "tools/list")
    assert out.returncode == 0, out.stderr[-2000:]
    tools = {t["name"]: t for t in result(out)["tools"]}
    assert {"detect_language", "classify_severity", "compute_sla_deadlines",
            "pick_vendor_support_path", "format_escalation_brief"} <= set(tools)
    assert all(t.get("outputSchema") for t in tools.values())


def test_inspector_calls_a_tool_and_sees_tool_errors():
    ok = inspector("--method", "tools/call", "--tool-name", "detect_language", "--tool-arg", "text=服务挂了")
    assert ok.returncode == 0, ok.stderr[-2000:]
    assert result(ok)["structuredContent"]["language"] == "zh"
    bad = inspector("--method", "tools/call", "--tool-name", "pick_vendor_support_path",
                    "--tool-arg", "vendor=nosuchcloud", "--tool-arg", "severity=P1")
    assert bad.returncode == 5, (bad.returncode, bad.stdout[-500:], bad.stderr[-500:])
