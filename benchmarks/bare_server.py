"""Baseline for the benchmarks: a bare MCPServer with one echo tool, in the same venv as ours."""

from mcp.server import MCPServer

server = MCPServer("bare")


@server.tool()
async def echo(text: str) -> str:
    """Return the text unchanged."""
    return text


if __name__ == "__main__":
    server.run()
