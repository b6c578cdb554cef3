"""Benchmark 3: ``xlbudget batch`` over 200 generated unit workbooks, 1 worker against 2.

The 200 workbooks are 40 distinct generated units (60 基本支出 lines, 12 projects each, built
as ``xlbudget new --from`` builds them), each present 5 times under different names — building a
workbook takes longer than checking it, and a copy costs the checker exactly as much as an original.
They are generated once into a cache folder (``--cache``, default in /tmp).
Each run is the whole command in a fresh process (start-up, forkserver, summary workbook included).
Target: time(1 worker) / time(2 workers) ≥ 1.7.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from common import ROOT, best_of, machine, run_seconds, verdict

DISTINCT = 40
COPIES = 5


def _build(i: int, folder: str) -> None:
    sys.path.insert(0, str(ROOT))
    from tests.generate import generated_unit, workbook_bytes

    data = workbook_bytes(generated_unit(60, 12, seed=i))
    for c in range(COPIES):
        (Path(folder) / f"unit{i:03d}_{c}.xlsm").write_bytes(data)


def ensure_units(folder: Path) -> Path:
    done = folder / ".complete"
    if done.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        list(pool.map(_build, range(DISTINCT), [str(folder)] * DISTINCT))
    done.write_text("ok")
    return folder


def main(argv: list[str] | None = None) -> dict[str, float]:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--runs", type=int, default=2)
    p.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "xlbudget-bench-batch200")
    a = p.parse_args(argv)
    units = ensure_units(a.cache)
    n = len(list(units.glob("*.xlsm")))
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:

        def batch(jobs: int) -> float:
            out = Path(tmp) / f"out{jobs}"
            shutil.rmtree(out, ignore_errors=True)
            return run_seconds(
                [py, "-m", "xlbudget", "batch", str(units), "-o", str(out), "--jobs", str(jobs), "-q"]
            )

        one = best_of(a.runs, lambda: batch(1))
        two = best_of(a.runs, lambda: batch(2))
    speedup = one[0] / two[0]
    print("== 3. batch of generated unit workbooks, 1 worker vs 2 ==")
    print(f"machine: {machine()}")
    print(f"{n} workbooks ({DISTINCT} distinct units × {COPIES}), 60 lines + 12 projects each")
    print(f"--jobs 1: best {one[0]:.2f} s  median {one[1]:.2f} s  ({one[0] / n * 1000:.0f} ms per unit)")
    print(f"--jobs 2: best {two[0]:.2f} s  median {two[1]:.2f} s  ({two[0] / n * 1000:.0f} ms per unit)")
    print(f"speed-up = {speedup:.2f}×  (target ≥ 1.7×: {verdict(speedup >= 1.7)})")
    return {"jobs1": one[0], "jobs2": two[0], "speedup": speedup, "units": n}


if __name__ == "__main__":
    main()
