"""Live evals: a model answers through the Anthropic API with the MCP server attached.

``conversation`` holds the building blocks, ``batch`` and ``judge`` the Message Batches and judging
strategies, ``run`` the orchestrator; imports only go that way.
"""
