"""``escalation-kit serve``: run the MCP server over stdio (default) or Streamable HTTP.

Over HTTP every request's Host and Origin are checked against exact allow-lists on every bind, and
a bearer token is required whenever one is configured. Binding to anything but loopback without a
token is refused unless ``--insecure-no-auth`` says the caller means it.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from escalation_kit.errors import InputError, quote

TOKEN_ENV = "ESCALATION_KIT_AUTH_TOKEN"
MIN_TOKEN_CHARS = 16


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="run the MCP server (stdio by default)",
                       description="Run the Escalation Kit MCP server. On stdio nothing but protocol "
                       "messages is written to stdout.")
    p.add_argument("--transport", choices=["stdio", "http"], default="stdio",
                   help="stdio (default) or stateless Streamable HTTP")
    p.add_argument("--host", default="127.0.0.1", help="HTTP bind address (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="HTTP port (default 8000)")
    p.add_argument("--path", default="/mcp", help="HTTP endpoint path (default /mcp)")
    p.add_argument("--allowed-host", action="append", default=[], metavar="HOST[:PORT]",
                   help="also accept this Host header (repeatable); loopback names on the bound port are "
                   "always accepted")
    p.add_argument("--allowed-origin", action="append", default=[], metavar="ORIGIN",
                   help="also accept this browser Origin, e.g. https://app.example.com (repeatable); by "
                   "default only the server's own loopback origins on its port are accepted")
    p.add_argument("--auth-token-file", type=Path, metavar="FILE",
                   help=f"require 'Authorization: Bearer <token>' with the token in FILE (or set {TOKEN_ENV})")
    p.add_argument("--insecure-no-auth", action="store_true",
                   help="allow a non-loopback bind without a token (anyone who can reach the port can call)")
    writes = p.add_mutually_exclusive_group()
    writes.add_argument("--enable-write-tools", dest="enable_writes", action="store_true", default=None,
                        help="register the tracker's write tools (default: on over stdio, off over HTTP)")
    writes.add_argument("--no-write-tools", dest="enable_writes", action="store_false",
                        help="never register write tools")
    p.set_defaults(func=run)


def read_token(args: argparse.Namespace) -> str | None:
    """The bearer token from --auth-token-file or the environment, or None; a short token is refused."""
    if args.auth_token_file is not None:
        from escalation_kit.cli._values import read_secret

        token = read_secret(str(args.auth_token_file), "--auth-token-file")
        source = "--auth-token-file"
    else:
        token = os.environ.get(TOKEN_ENV, "").strip()
        source = TOKEN_ENV
    if args.auth_token_file is None and not token:
        return None
    if len(token) < MIN_TOKEN_CHARS or any(c.isspace() for c in token):
        raise InputError(source, f"the token must be at least {MIN_TOKEN_CHARS} characters with no spaces",
                         ["e.g. the output of: python -c 'import secrets; print(secrets.token_urlsafe(32))'"])
    return token


def http_options(args: argparse.Namespace) -> object:
    """Check the HTTP arguments and build the transport options; a bad combination is an InputError."""
    from escalation_kit.mcp.http import HttpOptions, is_loopback

    for origin in args.allowed_origin:
        if not origin.startswith(("http://", "https://")) or "*" in origin:
            raise InputError("--allowed-origin", f"{quote(origin)} is not an exact origin",
                             ["scheme://host[:port], e.g. https://app.example.com"])
    token = read_token(args)
    if token is None and not is_loopback(args.host):
        if not args.insecure_no_auth:
            raise InputError("--host", f"{quote(args.host)} is not a loopback address, so a bearer token is required",
                             ["--auth-token-file FILE", f"{TOKEN_ENV}=<token>",
                              "--insecure-no-auth (anyone who reaches the port can call)"])
        print(f"escalation-kit: warning: serving on {args.host} without authentication", file=sys.stderr)
    return HttpOptions(host=args.host, port=args.port, path=args.path, allowed_hosts=tuple(args.allowed_host),
                       allowed_origins=tuple(args.allowed_origin), token=token)


def check_endpoint(args: argparse.Namespace) -> None:
    """Port and path are checked for every transport, so a typo fails before the server starts."""
    if not 0 < args.port < 65536:
        raise InputError("--port", f"{args.port} is not a TCP port", ["1-65535"])
    if not args.path.startswith("/"):
        raise InputError("--path", f"{quote(args.path)} must start with '/'")


def run(args: argparse.Namespace) -> int:
    check_endpoint(args)
    options = http_options(args) if args.transport == "http" else None
    enable_writes = args.enable_writes if args.enable_writes is not None else args.transport == "stdio"
    from escalation_kit.mcp.server import run as serve

    serve(args.transport, http=options, enable_writes=enable_writes)  # type: ignore[arg-type]
    return 0
