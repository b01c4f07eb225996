"""A built wheel, installed in a fresh venv, carries its data and templates and works from any directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import REPO
from mcp import Client, StdioServerParameters

pytestmark = [pytest.mark.slow, pytest.mark.integration]


@pytest.fixture(scope="module")
def wheel_env(tmp_path_factory) -> Path:
    """Build the wheel from the checkout and install it (with its dependencies) in a new venv."""
    root = tmp_path_factory.mktemp("wheel")
    dist = root / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(REPO)],
                   check=True, capture_output=True, timeout=300)
    (wheel,) = dist.glob("escalation_kit-*.whl")
    env_dir = root / "venv"
    venv.create(env_dir, with_pip=True)
    subprocess.run([str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)],
                   check=True, capture_output=True, timeout=600)
    return env_dir


def test_wheel_carries_data_folders(wheel_env, tmp_path):
    code = ("import escalation_kit.paths as p, json; "
            "print(json.dumps({n: str(p.data_dir(n)) for n in p.DATA_FOLDERS}))")
    out = subprocess.run([str(wheel_env / "bin" / "python"), "-c", code], capture_output=True, text=True,
                         cwd=tmp_path, check=True)
    folders = json.loads(out.stdout)
    for name, path in folders.items():
        assert "site-packages" in path and "_data" in path, (name, path)
        assert any(Path(path).iterdir()), name
    assert str(REPO) not in out.stdout


def test_wheel_cli_triage_from_another_directory(wheel_env, tmp_path):
    out = subprocess.run([str(wheel_env / "bin" / "escalation-kit"), "triage", "Прод лежит, оплата не проходит",
                          "--opened-at", "2026-11-20T10:00:00+03:00", "--tz", "Europe/Moscow"],
                         capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "+03:00" in out.stdout


def test_wheel_tracker_creates_its_database_and_exports(wheel_env, tmp_path):
    """The installed tracker needs no setup: the SQLite file appears on first use; the export uses shipped templates."""
    env = {**os.environ, "ESCALATION_KIT_HOME": str(tmp_path / "home")}
    cli = str(wheel_env / "bin" / "escalation-kit")

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([cli, "track", *args], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)

    opened = run("open", "Checkout fails for everyone", "--severity", "P0", "--at", "2026-11-20T10:00:00+03:00")
    assert opened.returncode == 0, opened.stderr
    assert "ESC-2026-0001" in opened.stdout
    assert run("event", "ESC-2026-0001", "first_response_sent", "--at", "2026-11-20T10:10:00+03:00").returncode == 0
    exported = run("export", "ESC-2026-0001", "--language", "ru")
    assert exported.returncode == 0, exported.stderr
    assert "ESC-2026-0001" in exported.stdout and "Эскалац" in exported.stdout
    assert (tmp_path / "home" / "escalations.db").is_file()
    assert run("verify").returncode == 0


@pytest.mark.anyio
async def test_wheel_server_answers_over_stdio(wheel_env, tmp_path):
    params = StdioServerParameters(command=str(wheel_env / "bin" / "escalation-kit"), args=["serve"], cwd=str(tmp_path))
    async with Client(params, mode="legacy") as client:
        result = await client.call_tool("format_escalation_brief", {
            "facts": {"summary": "支付失败", "severity": "P1", "description": "华东1 部分用户支付失败"},
            "language": "auto"})
        assert not result.is_error, result.content
        assert result.structured_content["language"] == "zh"
        rubric = await client.read_resource("escalation-kit://rubric/severity")
        assert "P0" in rubric.contents[0].text
