"""Shared pieces of the `escalation-kit watch` tests: the loopback SMTP mailbox and one run of the command."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller

from conftest import cli_path, free_port


@dataclass
class Mailbox:
    """What the loopback SMTP server accepted; RCPT for an address in ``refuse`` is answered 550."""

    port: int = 0
    refuse: set[str] = field(default_factory=set)
    messages: list[tuple[str, list[str], str]] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd's hook
        if address in self.refuse:
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content.decode("utf-8")))
        return "250 Message accepted"


def serve_smtp(box: Mailbox, **kwargs: object) -> Iterator[Mailbox]:
    """Run a real aiosmtpd server on a free loopback port for ``box`` while the caller's fixture lives."""
    box.port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=box.port, **kwargs)
    controller.start()
    yield box
    controller.stop()


def watch(tmp_path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """One ``escalation-kit watch --once`` against the test's SQLite file."""
    full = {k: v for k, v in os.environ.items() if not k.startswith("ESCALATION_KIT_")}
    full.update({"ESCALATION_KIT_HOME": str(tmp_path), **(env or {})})
    return subprocess.run([cli_path(), "watch", "--once", *args], capture_output=True, text=True, env=full,
                          cwd=tmp_path, timeout=120)
