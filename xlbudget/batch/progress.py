"""Progress on stderr: a bar redrawn in place on a terminal; in a log (no terminal), a line at the start,
one a minute at most while it runs, and one at the end — not a bar per step."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from xlbudget.batch.result import UnitResult

WIDTH = 24
LOG_EVERY = 60.0  # seconds between two lines in a log


class Progress:
    def __init__(self, stream: TextIO | None = None, enabled: bool = True) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.total = self.count = self.failed = 0
        self.started = self.last_draw = 0.0
        self.name = ""

    def start(self, total: int) -> None:
        self.total, self.started = total, time.monotonic()
        if self.tty:
            self._draw(force=True)
        else:
            self._write(f"批量校验：本次检查 {total} 个文件……")

    def current(self, task: object) -> None:
        self.name = str(getattr(task, "file", ""))

    def done(self, result: UnitResult) -> None:
        self.count += 1
        self.failed += result.failed
        self._draw()

    def finish(self) -> None:
        if self.tty:
            self._draw(force=True)
            if self.enabled:
                self.stream.write("\n")
                self.stream.flush()
        else:
            self._write(self.log_line())

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

    def log_line(self) -> str:
        """The line for a log: no bar, no file name."""
        elapsed = time.monotonic() - self.started
        what = "批量校验完成" if self.count >= self.total else "批量校验"
        return f"{what}：{self.count}/{self.total} 个文件，有问题 {self.failed} 个，用时 {elapsed:.0f}s"

    def _write(self, text: str) -> None:
        if self.enabled:
            self.stream.write(text + "\n")
            self.stream.flush()
            self.last_draw = time.monotonic()

    def _draw(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not self.tty:
            if now - self.last_draw >= LOG_EVERY and self.count < self.total:
                self._write(self.log_line())
            return
        if not force and now - self.last_draw < 0.1 and self.count < self.total:
            return
        self.stream.write("\r\x1b[K" + self.line())
        self.last_draw = now
        self.stream.flush()
