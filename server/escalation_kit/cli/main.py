"""``escalation-kit`` command line: one sub-command per module of ``escalation_kit.cli``.

Each command module defines ``register(subparsers)``, which adds its parser and sets ``func`` to a
callable taking the parsed args and returning an exit code. Discovering them keeps this file free of
per-command code, so a new command is a new file.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from escalation_kit import __version__
from escalation_kit.errors import DataError, InputError

_PACKAGE = "escalation_kit.cli"
_NOT_COMMANDS = frozenset({"main"})
MAX_ECHO_CHARS = 100  # an argument longer than this is never repeated whole in an error message
_ARGV: list[str] = []  # this run's arguments, for ``unechoed`` (argparse's errors see only one value)


def unechoed(message: str, argv: Sequence[str]) -> str:
    """``message`` with every long argument it repeats (as typed or as repr shows it) cut to a short prefix."""
    for value in sorted({a for a in argv if len(a) > MAX_ECHO_CHARS}, key=len, reverse=True):
        short = f"{value[:40]}… ({len(value):,} characters)"
        for form in (value, repr(value)[1:-1]):
            message = message.replace(form, short)
    return message


def _ascii(kind: type) -> object:
    """``kind`` (int or float) of ASCII text only: int('٣') is 3 and float('１') is 1.0, a silent reading."""

    def convert(text: str) -> object:
        if not text.isascii():
            raise ValueError(text)
        return kind(text)

    return convert


class Parser(argparse.ArgumentParser):
    """argparse with usage errors that never repeat a long argument (argparse quotes a bad value whole), and
    numbers (``type=int``, ``type=float``) written in ASCII digits only."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.register("type", int, _ascii(int))
        self.register("type", float, _ascii(float))

    def error(self, message: str) -> NoReturn:
        super().error(unechoed(message, _ARGV))


def command_modules() -> list[str]:
    """Names of the sub-command modules beside this file, sorted."""
    here = [str(Path(__file__).parent)]
    names = (m.name for m in pkgutil.iter_modules(here))
    return sorted(n for n in names if not n.startswith("_") and n not in _NOT_COMMANDS)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="escalation-kit",
        description="Incident triage and escalation: deterministic tools, MCP server, skills and evals.",
    )
    parser.add_argument("--version", action="version", version=f"escalation-kit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in command_modules():
        importlib.import_module(f"{_PACKAGE}.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    _ARGV[:] = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # a closed pipe shows here, inside the handler, not at interpreter exit
        return code
    except BrokenPipeError:
        return _reader_gone()
    except InputError as exc:
        _fail(f"escalation-kit: error: {exc}")
        return 2
    except DataError as exc:
        _fail(f"escalation-kit: internal error in shipped data (please report it): {exc}")
        return 3
    except OSError as exc:  # an unreadable input or unwritable output path the user named
        _fail(f"escalation-kit: error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
        return 2
    except KeyboardInterrupt:
        return 130


def _fail(message: str) -> None:
    print(unechoed(message, _ARGV), file=sys.stderr)


def _reader_gone() -> int:
    """The reader closed our output (``escalation-kit triage ... | head``): stop quietly, as Unix tools do.

    Standard output is pointed at /dev/null so the interpreter's final flush cannot fail again; the exit
    code is the shell's for a command stopped by SIGPIPE (128 + 13).
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    finally:
        os.close(devnull)
    return 141


if __name__ == "__main__":
    raise SystemExit(main())
