"""A progress line on stderr: redrawn in place on a terminal, a line every 5% in a log."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from xlbudget.batch.result import UnitResult

WIDTH = 24


class Progress:
    def __init__(self, stream: TextIO | None = None, enabled: bool = True) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.total = self.count = self.failed = 0
        self.started = self.last_draw = 0.0
        self.last_step = -1
        self.name = ""

    def start(self, total: int) -> None:
        self.total, self.started = total, time.monotonic()
        self._draw(force=True)

    def current(self, task: object) -> None:
        self.name = str(getattr(task, "file", ""))

    def done(self, result: UnitResult) -> None:
        self.count += 1
        self.failed += result.failed
        self._draw()

    def finish(self) -> None:
        if self.tty or self.last_step != 20:
            self._draw(force=True)
        if self.enabled and self.tty:
            self.stream.write("\n")
            self.stream.flush()

    def line(self) -> str:
        total = max(self.total, 1)
        filled = WIDTH * self.count // total
        bar = "█" * filled + "░" * (WIDTH - filled)
        elapsed = time.monotonic() - self.started
        eta = ""
        if 0 < self.count < self.total:
            eta = f" 预计剩余 {elapsed / self.count * (self.total - self.count):.0f}s"
        name = self.name if len(self.name) <= 30 else "…" + self.name[-29:]
        return (
            f"批量校验 {bar} {self.count}/{self.total} ({100 * self.count // total}%) "
            f"有问题 {self.failed} · 用时 {elapsed:.0f}s{eta} · {name}"
        )

    def _draw(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if self.tty:
            if not force and now - self.last_draw < 0.1 and self.count < self.total:
                return
            self.stream.write("\r\x1b[K" + self.line())
        else:
            step = 20 * self.count // max(self.total, 1)
            if not force and step == self.last_step:
                return
            self.last_step = step
            self.stream.write(self.line() + "\n")
        self.last_draw = now
        self.stream.flush()
