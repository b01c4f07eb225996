"""A one-line progress bar on stderr for long runs (no dependency; redrawn in place)."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressBar:
    """Call with (done, total, passed); draws only on a terminal unless forced."""

    def __init__(self, label: str, stream: TextIO | None = None, force: bool = False, width: int = 30) -> None:
        self.label, self.width = label, width
        self.stream = stream or sys.stderr
        self.enabled = force or self.stream.isatty()
        self.t0 = time.perf_counter()
        self.drawn = False

    def __call__(self, done: int, total: int, passed: int) -> None:
        if not self.enabled or total <= 0:
            return
        fill = int(self.width * done / total)
        rate = done / max(time.perf_counter() - self.t0, 1e-9)
        eta = (total - done) / rate if rate else 0.0
        line = (f"\r{self.label} [{'#' * fill}{'.' * (self.width - fill)}] {done}/{total} "
                f"passed {passed} failed {done - passed} {rate:.1f}/s eta {eta:.0f}s")
        self.stream.write(line)
        self.drawn = True
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()
