"""``escalation-kit serve``: run the MCP server over stdio (default) or Streamable HTTP."""

from __future__ import annotations

import argparse
import ipaddress
import sys

from escalation_kit.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="run the MCP server (stdio by default)",
                       description="Run the Escalation Kit MCP server. On stdio nothing but protocol "
                       "messages is written to stdout.")
    p.add_argument("--transport", choices=["stdio", "http"], default="stdio",
                   help="stdio (default) or stateless Streamable HTTP")
    p.add_argument("--host", default="127.0.0.1", help="HTTP bind address (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="HTTP port (default 8000)")
    p.add_argument("--path", default="/mcp", help="HTTP endpoint path (default /mcp)")
    p.set_defaults(func=run)


def _check(args: argparse.Namespace) -> None:
    if not 0 < args.port < 65536:
        raise InputError("--port", f"{args.port} is not a TCP port", ["1-65535"])
    if not args.path.startswith("/"):
        raise InputError("--path", f"{args.path!r} must start with '/'")
    if args.transport == "http" and args.host not in ("localhost", "127.0.0.1", "::1"):
        try:
            loopback = ipaddress.ip_address(args.host).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            print(f"escalation-kit: warning: serving on {args.host} without authentication", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    _check(args)
    from escalation_kit.mcp.server import run as serve

    serve(args.transport, host=args.host, port=args.port, path=args.path)
    return 0
