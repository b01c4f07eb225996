"""Package attributes imported on first use (PEP 562), so listing the server's tools loads no capability code."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def attributes(package: str, home: dict[str, str], namespace: dict[str, Any]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package``: ``home`` maps each name to the module defining it.

    A module given without a dot is a submodule of ``package``; the value found is stored in
    ``namespace`` (the package's globals), so each name is imported once.
    """

    def __getattr__(name: str) -> Any:
        if name not in home:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module = home[name] if "." in home[name] else f"{package}.{home[name]}"
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    return __getattr__
