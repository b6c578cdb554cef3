"""Benchmark 2: the checker on a generated unit with 10,000 基本支出 lines and 1,000 projects.

Timed after loading (the unit JSON is parsed into a UnitBudget first, outside the timing):
``check_budget(budget)``, which derives the 13 tables and runs every rule.
Target (issue 9): ≤ 0.3 s at 10,000 + 1,000, and cost linear from 1,000 to 10,000 lines (projects = lines / 10):
the fitted slope (ms per 1,000 lines), R², and the cost per line at each end are printed.
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import replace

from common import linear_fit, machine, verdict

from tests.generate import generated_unit
from xlbudget.check import check_budget
from xlbudget.io.unit_json import budget_from_dict
from xlbudget.tables import build_tables


def time_check(basic: int, projects: int, runs: int) -> tuple[float, float, int]:
    """(best wall seconds, best CPU seconds, findings) of ``check_budget`` on a generated unit."""
    budget = budget_from_dict(generated_unit(basic, projects, seed=basic))
    walls, cpus = [], []
    findings = 0
    for _ in range(runs):
        # a budget with its own line tuples each run: nothing remembered from the run before (the tables
        # remember the grouping of the lines of the budget they last built)
        budget = replace(budget, basic=tuple(list(budget.basic)), projects=tuple(list(budget.projects)))
        started, cpu = time.perf_counter(), time.process_time()
        findings = len(check_budget(budget))
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus), findings


def main(argv: list[str] | None = None) -> dict[str, float]:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--runs", type=int, default=5)
    a = p.parse_args(argv)
    check_budget(budget_from_dict(generated_unit(50, 5)))  # warm the catalogue and imports
    sizes = list(range(1000, 10001, 1000))
    rows = []
    print("== 2. check of a generated unit, after loading ==")
    print(f"machine: {machine()}")
    print(
        "(best of the runs; CPU time is what the fit uses: on a shared machine wall time also counts waiting)"
    )
    print(f"{'lines':>7} {'projects':>8} {'wall s':>8} {'CPU s':>8} {'CPU µs/line':>11} {'findings':>8}")
    big = 0.0
    for n in sizes:
        wall, cpu, findings = time_check(n, n // 10, a.runs)
        rows.append(cpu)
        big = wall
        print(f"{n:>7} {n // 10:>8} {wall:>8.3f} {cpu:>8.3f} {cpu / (n * 1.1) * 1e6:>11.1f} {findings:>8}")
    intercept, slope, r2 = linear_fit([n / 1000 for n in sizes], rows)
    per_line_small = rows[0] / 1100
    per_line_big = rows[-1] / 11000
    print(
        f"fitted on CPU time: {intercept * 1000:.1f} ms + {slope * 1000:.1f} ms per 1,000 lines (+100 projects), R² = {r2:.4f}"
    )
    print(f"cost per line at 1,000 vs 10,000: {per_line_small * 1e6:.1f} µs vs {per_line_big * 1e6:.1f} µs")
    print(
        f"10,000 lines + 1,000 projects: wall {big:.3f} s, CPU {rows[-1]:.3f} s"
        f" (target ≤ 0.3 s: {verdict(big <= 0.3)} on wall time)"
    )
    budget = budget_from_dict(generated_unit(10_000, 1_000, seed=10_000))
    builds = []
    for _ in range(a.runs):
        budget = replace(budget, basic=tuple(list(budget.basic)))
        cpu = time.process_time()
        build_tables(budget)
        builds.append(time.process_time() - cpu)
    print(f"of which build_tables (the 13 tables) at 10,000 + 1,000: {min(builds):.3f} s CPU")
    linear = r2 >= 0.95 and per_line_big <= 1.5 * per_line_small
    print(f"linear (R² ≥ 0.95 and per-line cost at 10k ≤ 1.5 × at 1k): {verdict(linear)}")
    med = statistics.median(rows)
    return {"check_10k": big, "slope_ms_per_1000": slope * 1000, "r2": r2, "median": med}


if __name__ == "__main__":
    main()
