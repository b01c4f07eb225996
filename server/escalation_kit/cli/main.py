"""``escalation-kit`` command line: one sub-command per module of ``escalation_kit.cli``.

Each command module defines ``register(subparsers)``, which adds its parser and sets ``func`` to a
callable taking the parsed args and returning an exit code. Discovering them keeps this file free of
per-command code, so a new command is a new file.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence
from pathlib import Path

from escalation_kit import __version__
from escalation_kit.errors import DataError, InputError

_PACKAGE = "escalation_kit.cli"
_NOT_COMMANDS = frozenset({"main"})


def command_modules() -> list[str]:
    """Names of the sub-command modules beside this file, sorted."""
    here = [str(Path(__file__).parent)]
    names = (m.name for m in pkgutil.iter_modules(here))
    return sorted(n for n in names if not n.startswith("_") and n not in _NOT_COMMANDS)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="escalation-kit",
        description="Incident triage and escalation: deterministic tools, MCP server, skills and evals.",
    )
    parser.add_argument("--version", action="version", version=f"escalation-kit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in command_modules():
        importlib.import_module(f"{_PACKAGE}.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.func(args) or 0)
    except InputError as exc:
        print(f"escalation-kit: error: {exc}", file=sys.stderr)
        return 2
    except DataError as exc:
        print(f"escalation-kit: internal error in shipped data (please report it): {exc}", file=sys.stderr)
        return 3
    except OSError as exc:  # an unreadable input or unwritable output path the user named
        print(f"escalation-kit: error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
