"""Response cache for live runs: successful Messages API responses on disk, keyed by request and trial.

The key covers the endpoint (base URL), every request parameter (model, system prompt, messages,
tools, tool_choice, max_tokens, temperature, ...) and the trial index, so a re-run replays identical
requests against the same endpoint while ``--trials k`` still draws k samples. Judge calls use the
same cache with trial -1.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any


class ResponseCache:
    """Successful responses on disk, one JSON file per key; errors and refusals are never stored."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        if folder:
            folder.mkdir(parents=True, exist_ok=True)

    @staticmethod
    def key(params: dict[str, Any], trial: int, endpoint: str | None = None) -> str:
        blob = json.dumps({"endpoint": endpoint or "default", "params": params, "trial": trial},
                          sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()

    def get(self, key: str) -> dict[str, Any] | None:
        if not self.folder:
            return None
        path = self.folder / f"{key}.json"
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            return None

    def put(self, key: str, message: dict[str, Any]) -> None:
        if not self.folder or message.get("type") == "error" or message.get("stop_reason") == "refusal":
            return
        tmp = self.folder / f"{key}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(message, ensure_ascii=False), encoding="utf-8")
        tmp.replace(self.folder / f"{key}.json")
