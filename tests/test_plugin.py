"""The Claude Code plugin: manifests, .mcp.json launch from any directory, and `claude plugin validate`."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import anyio
import pytest

from escalation_kit.skillpack import pack as skillpack

ROOT = Path(__file__).resolve().parent.parent
PLUGIN = json.loads((ROOT / ".claude-plugin" / "plugin.json").read_text(encoding="utf-8"))
MARKET = json.loads((ROOT / ".claude-plugin" / "marketplace.json").read_text(encoding="utf-8"))
MCP_JSON = json.loads((ROOT / ".mcp.json").read_text(encoding="utf-8"))
KEBAB = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")
STDIO_KEYS = {"type", "command", "args", "env", "timeout", "alwaysLoad"}
SYSTEM_PATH = os.pathsep.join(p for p in ("/usr/local/bin", "/usr/bin", "/bin") if Path(p).is_dir())


def project_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def server_entry() -> dict:
    servers = MCP_JSON.get("mcpServers", MCP_JSON)
    assert list(servers) == ["escalation-kit"]
    return servers["escalation-kit"]


def substituted(entry: dict, plugin_root: Path) -> tuple[str, list[str]]:
    """Expand ${CLAUDE_PLUGIN_ROOT} the way Claude Code does: plain text substitution in command and args."""
    def expand(text: str) -> str:
        return text.replace("${CLAUDE_PLUGIN_ROOT}", str(plugin_root))

    return expand(entry["command"]), [expand(a) for a in entry.get("args", [])]


def test_plugin_manifest_fields():
    assert KEBAB.match(PLUGIN["name"])
    assert PLUGIN["version"] == project_version()
    assert isinstance(PLUGIN["author"], dict) and PLUGIN["author"]["name"]
    assert PLUGIN["license"] == "Apache-2.0" and isinstance(PLUGIN["keywords"], list)
    assert not {"category", "tags", "source", "strict"} & set(PLUGIN), "marketplace-only keys in plugin.json"
    assert sorted(p.name for p in (ROOT / ".claude-plugin").iterdir()) == ["marketplace.json", "plugin.json"]


def test_marketplace_lists_this_plugin_from_its_own_root():
    assert KEBAB.match(MARKET["name"]) and isinstance(MARKET["owner"], dict)
    (entry,) = MARKET["plugins"]
    assert entry["name"] == PLUGIN["name"]
    assert entry["source"] == "./"
    assert entry.get("version", PLUGIN["version"]) == PLUGIN["version"]
    assert 10 <= len(entry["description"]) <= 2000


def test_plugin_ships_every_skill_from_the_default_folder():
    assert "skills" not in PLUGIN  # default skills/ folder is loaded; listing it again would duplicate
    assert sorted(p.parent.name for p in (ROOT / "skills").glob("*/SKILL.md")) == skillpack.list_skills()


def test_mcp_json_does_not_depend_on_the_working_directory():
    entry = server_entry()
    assert set(entry) <= STDIO_KEYS and "cwd" not in entry
    assert entry["command"] and " " not in entry["command"]
    assert all(isinstance(a, str) for a in entry["args"])
    joined = " ".join([entry["command"], *entry["args"]])
    assert "${CLAUDE_PLUGIN_ROOT}" in joined
    assert "./" not in joined.replace("${CLAUDE_PLUGIN_ROOT}", "")
    assert "$CLAUDE_PLUGIN_ROOT" not in joined  # only the braced form is substituted
    assert "serve" in joined


def _run_launcher(path_env: str, cwd: Path) -> subprocess.CompletedProcess:
    command, args = substituted(server_entry(), ROOT)
    env = {"PATH": path_env, "HOME": str(cwd)}
    return subprocess.run([command, *args], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.integration
def test_launcher_without_an_installed_server_says_how_to_install(tmp_path):
    if shutil.which("escalation-kit", path=SYSTEM_PATH) or shutil.which("uvx", path=SYSTEM_PATH):
        pytest.skip("escalation-kit or uvx is installed system-wide; the not-installed branch cannot run")
    result = _run_launcher(SYSTEM_PATH, tmp_path)
    assert result.returncode == 127
    assert "not installed" in result.stderr and str(ROOT) in result.stderr


@pytest.mark.integration
def test_mcp_json_launches_a_server_that_lists_tools_from_another_directory(tmp_path):
    if importlib.util.find_spec("escalation_kit.mcp.server") is None:
        pytest.skip("escalation_kit.mcp.server is not in this build yet (the MCP adapter lands separately)")
    from mcp import Client, StdioServerParameters

    bin_dir = str(Path(sys.executable).parent)
    if not (Path(bin_dir) / "escalation-kit").exists():
        pytest.skip("the escalation-kit console script is not installed in this environment")
    command, args = substituted(server_entry(), ROOT)
    params = StdioServerParameters(command=command, args=args, cwd=tmp_path,
                                   env={"PATH": os.pathsep.join([bin_dir, SYSTEM_PATH]), "HOME": str(tmp_path)})

    async def list_names() -> tuple[list[str], list[str]]:
        with anyio.fail_after(60):
            async with Client(params, mode="legacy") as client:
                tools = [t.name for t in (await client.list_tools()).tools]
                prompts = [p.name for p in (await client.list_prompts()).prompts]
                return tools, prompts

    tools, prompts = anyio.run(list_names)
    assert {"detect_language", "classify_severity", "pick_vendor_support_path",
            "compute_sla_deadlines", "format_escalation_brief"} <= set(tools)
    assert "skill_incident_triage" in prompts


def _claude(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    npx = shutil.which("npx")
    if not npx:
        pytest.skip("npx is not available; cannot run `claude plugin validate`")
    try:
        result = subprocess.run([npx, "-y", "@anthropic-ai/claude-code", *args], cwd=cwd,
                                capture_output=True, text=True, timeout=150)
    except subprocess.TimeoutExpired:
        pytest.skip("installing @anthropic-ai/claude-code through npx took over 150 s (offline?)")
    if result.returncode != 0 and "Validat" not in result.stdout:
        pytest.skip(f"@anthropic-ai/claude-code could not be run: {result.stderr.strip()[-300:]}")
    return result


@pytest.mark.integration
def test_claude_plugin_validate_passes_on_the_repo_root_and_the_plugin_manifest(tmp_path):
    for target in (ROOT, ROOT / ".claude-plugin" / "plugin.json"):
        result = _claude("plugin", "validate", "--strict", str(target), cwd=tmp_path)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "Validation passed" in result.stdout


@pytest.mark.integration
def test_claude_plugin_validate_rejects_a_broken_manifest(tmp_path):
    broken = tmp_path / "broken"
    (broken / ".claude-plugin").mkdir(parents=True)
    (broken / ".claude-plugin" / "plugin.json").write_text(json.dumps({**PLUGIN, "author": "someone"}))
    result = _claude("plugin", "validate", str(broken), cwd=tmp_path)
    assert result.returncode == 1 and "author" in result.stdout
