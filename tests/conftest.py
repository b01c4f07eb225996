"""Shared fixtures: the anyio backend, the installed CLI's path, and a live HTTP server on 127.0.0.1."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def cli_path() -> str:
    """The ``escalation-kit`` script installed beside the running interpreter."""
    path = BIN / "escalation-kit"
    if not path.exists():
        pytest.fail(f"escalation-kit is not installed in {BIN}: run pip install '.[test]'")
    return str(path)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early with {proc.returncode}: {proc.stderr.read().decode()}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listened on 127.0.0.1:{port} within {timeout}s")


@pytest.fixture(scope="module")
def http_url() -> Iterator[str]:
    """Start ``escalation-kit serve --transport http`` on a free loopback port; stop it afterwards."""
    port = free_port()
    proc = subprocess.Popen(
        [cli_path(), "serve", "--transport", "http", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=os.path.expanduser("~"),
    )
    try:
        wait_for_port(port, proc)
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(autouse=True)
def _integration_marker_is_true(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A test that starts a process must carry the ``integration`` marker, so ``-m "not integration"`` is fast.

    Every way this suite starts a process (subprocess, asyncio, anyio, the SDK's stdio client) goes through
    ``subprocess.Popen``; outside marked tests it fails loudly instead of silently slowing the inner loop.
    """
    if request.node.get_closest_marker("integration") is not None:
        return
    real_init = subprocess.Popen.__init__

    def refuse(self: subprocess.Popen, *args: object, **kwargs: object) -> None:
        raise AssertionError(f"{request.node.nodeid} starts a process; mark it @pytest.mark.integration")

    monkeypatch.setattr(subprocess.Popen, "__init__", refuse)
    assert real_init is not refuse


@pytest.fixture
def tracker(home: Path) -> Iterator[object]:
    """A tracker on the test's own database: ``home`` is the fixture of the folder that uses it (tracker,
    ticketing, supportcases), which points the tracker at a temporary folder."""
    from escalation_kit.tracker import Tracker, open_store

    t = Tracker(open_store())
    yield t
    t.close()
