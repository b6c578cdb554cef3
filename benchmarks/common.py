"""Shared by the benchmarks: timing, the machine, and where things are."""

from __future__ import annotations

import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED_WORKBOOK = ROOT / "workbook" / "Budget2023.xlsm"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def machine() -> str:
    """One line: CPUs, model, memory, Python."""
    model = ""
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, timeout=10).stdout
        model = next(
            (ln.split(":", 1)[1].strip() for ln in out.splitlines() if ln.startswith("Model name")), ""
        )
    except (OSError, subprocess.SubprocessError):
        pass
    mem = ""
    try:
        kb = int(
            next(
                ln for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal")
            ).split()[1]
        )
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    load = "/".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"nproc={os.cpu_count()} · {model or platform.processor()} · {mem} · Python {platform.python_version()}"
        f" · load average {load} · {cpu_pressure()}"
    )


def run_seconds(cmd: Sequence[str], *, cwd: Path = ROOT, env: dict[str, str] | None = None) -> float:
    """Wall time of a command, which must succeed (exit 0 or 1)."""
    started = time.perf_counter()
    proc = subprocess.run(list(cmd), cwd=cwd, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} → exit {proc.returncode}\n{proc.stderr[-2000:]}")
    return seconds


def run_times(
    cmd: Sequence[str], *, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> tuple[float, float]:
    """(wall, CPU) seconds of a command, which must succeed (exit 0 or 1).  CPU is user + system time of
    the process and everything it waited for (``getrusage`` of the children): on a machine busy with
    other work a process waiting for a CPU gains wall time but no CPU time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = run_seconds(cmd, cwd=cwd, env=env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def best_of(n: int, fn: Callable[[], float]) -> tuple[float, float]:
    """(minimum, median) of n runs of a timing function."""
    times = [fn() for _ in range(n)]
    return min(times), statistics.median(times)


def verdict(ok: bool) -> str:
    return "MET" if ok else "MISSED"


def linear_fit(xs: Sequence[float], ys: Sequence[float]) -> tuple[float, float, float]:
    """Least-squares line y = a + b·x: (intercept a, slope b, R²)."""
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    b = sxy / sxx
    a = my - b * mx
    ss_tot = sum((y - my) ** 2 for y in ys)
    ss_res = sum((y - (a + b * x)) ** 2 for x, y in zip(xs, ys, strict=True))
    return a, b, 1 - ss_res / ss_tot if ss_tot else 1.0


def cpu_pressure() -> str:
    """Linux PSI: the share of time some runnable task waited for a CPU (10 s / 60 s averages)."""
    try:
        line = Path("/proc/pressure/cpu").read_text().splitlines()[0]
    except (OSError, IndexError):
        return "CPU pressure unknown"
    fields = dict(kv.split("=") for kv in line.split()[1:])
    return f"CPU pressure (tasks waiting for a CPU) {fields.get('avg10')}% / {fields.get('avg60')}% (10 s / 60 s)"
