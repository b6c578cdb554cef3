"""Benchmark 3: ``xlbudget batch`` over 200 generated unit workbooks, 1 worker against 2.

The 200 workbooks are 40 distinct generated units (60 基本支出 lines, 12 projects each, built
as ``xlbudget new --from`` builds them), each present 5 times under different names — building a
workbook takes longer than checking it, and a copy costs the checker exactly as much as an original.
They are generated once into a cache folder (``--cache``, default in /tmp).

Two measurements:
- the whole command in a fresh process (``xlbudget batch DIR -o OUT --jobs N``): what a user waits for;
- ``run_batch`` in this process, which also returns each unit's wall and CPU time inside its worker:
  on an idle 2-core machine a unit costs the same with 1 or 2 workers; when CPU time stays the same but
  wall time grows with 2 workers, the workers were waiting for a CPU (other load on the machine).
Target: time(1 worker) / time(2 workers) ≥ 1.7.

Also: ``--resume`` over a finished batch (every unit's result read back from ``OUTDIR/results``,
nothing checked again), and the import cost of what the parent process loads, against pandas'
(declared once and dropped: the summary is written cell by cell with XlsxWriter).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from common import ROOT, best_of, cpu_pressure, machine, run_seconds, verdict

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


def in_process(units: Path, out: Path, jobs: int) -> tuple[float, float, float]:
    """(wall seconds, mean wall per unit in a worker, mean CPU per unit in a worker)."""
    from xlbudget.batch import BatchOptions, run_batch

    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    results = run_batch(units, out, BatchOptions(jobs=jobs))
    wall = time.perf_counter() - started
    n = len(results)
    return wall, sum(r.seconds for r in results) / n, sum(r.cpu_seconds for r in results) / n


def main(argv: list[str] | None = None) -> dict[str, float]:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--runs", type=int, default=2)
    p.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "xlbudget-bench-batch200")
    a = p.parse_args(argv)
    units = ensure_units(a.cache)
    n = len(list(units.glob("*.xlsm")))
    py = sys.executable
    print("== 3. batch of generated unit workbooks, 1 worker vs 2 ==")
    print(f"machine: {machine()}")
    print(f"{n} workbooks ({DISTINCT} distinct units × {COPIES}), 60 lines + 12 projects each")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"

        def command(jobs: int) -> float:
            shutil.rmtree(out, ignore_errors=True)
            return run_seconds(
                [py, "-m", "xlbudget", "batch", str(units), "-o", str(out), "--jobs", str(jobs), "-q"]
            )

        # interleaved, so that load from elsewhere on the machine falls on both alike
        ones, twos = [], []
        for _ in range(a.runs):
            ones.append(command(1))
            twos.append(command(2))
        one = (min(ones), statistics.median(ones))
        two = (min(twos), statistics.median(twos))
        speedup = one[0] / two[0]
        print(
            f"command --jobs 1: best {one[0]:.2f} s  median {one[1]:.2f} s  ({one[0] / n * 1000:.0f} ms per unit)"
        )
        print(
            f"command --jobs 2: best {two[0]:.2f} s  median {two[1]:.2f} s  ({two[0] / n * 1000:.0f} ms per unit)"
        )
        print(f"speed-up = {speedup:.2f}×  (target ≥ 1.7×: {verdict(speedup >= 1.7)})")
        resumed = run_seconds(
            [py, "-m", "xlbudget", "batch", str(units), "-o", str(out), "--jobs", "2", "-q", "--resume"]
        )
        print(f"--resume over the finished batch (nothing to check again): {resumed:.2f} s")
        print(f"load average now: {'/'.join(f'{x:.1f}' for x in os.getloadavg())} · {cpu_pressure()}")
        single = Path(tmp) / "single"
        single.mkdir()
        shutil.copy(next(units.glob("*.xlsm")), single / "one.xlsm")
        fixed, _ = best_of(
            a.runs, lambda: run_seconds([py, "-m", "xlbudget", "batch", str(single), "-o", str(out), "-q"])
        )
        in_process(single, out, 1)  # start the forkserver once
        w1, wall1, cpu1 = in_process(units, out, 1)
        w2, wall2, cpu2 = in_process(units, out, 2)
    print(f"run_batch in process: --jobs 1 {w1:.2f} s, --jobs 2 {w2:.2f} s → {w1 / w2:.2f}×")
    print(f"  per unit inside a worker, 1 worker:  wall {wall1 * 1000:.0f} ms, CPU {cpu1 * 1000:.0f} ms")
    print(f"  per unit inside a worker, 2 workers: wall {wall2 * 1000:.0f} ms, CPU {cpu2 * 1000:.0f} ms")
    print(f"fixed cost of a command run (start-up, forkserver, one unit, summary): {fixed:.2f} s")
    ideal = one[0] / (fixed + (one[0] - fixed) / 2)
    print(f"speed-up the fixed cost allows on 2 idle cores: {ideal:.2f}×")
    parent = "import xlbudget.batch.pool, xlbudget.batch.summary, xlbudget.batch.resume, xlsxwriter"
    imports, _ = best_of(3, lambda: run_seconds([py, "-c", parent]))
    bare, _ = best_of(3, lambda: run_seconds([py, "-c", "pass"]))
    print(
        f"the parent's imports (batch, summary, resume, XlsxWriter): {imports - bare:.2f} s over a bare python"
    )
    try:
        pandas, _ = best_of(3, lambda: run_seconds([py, "-c", "import pandas"]))
        print(f"import pandas, for comparison (not a dependency): {pandas - bare:.2f} s")
    except Exception:  # noqa: BLE001 - not installed: nothing to compare
        print("import pandas: not installed (not a dependency)")
    return {
        "jobs1": one[0],
        "jobs2": two[0],
        "speedup": speedup,
        "units": n,
        "fixed": fixed,
        "resume": resumed,
    }


if __name__ == "__main__":
    main()
