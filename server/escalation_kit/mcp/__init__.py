"""The MCP adapter: publishes the kit's tools, resources, prompts and skills through the official SDK.

Entry points: ``escalation_kit.mcp.server.build_server`` and ``run``. Importing this package does not
import the SDK; the modules below it do.
"""
