"""Run the five benchmarks and print their numbers (nothing is asserted).

    python benchmarks/run_all.py            # full: several runs each, ~5 minutes on 2 cores
    python benchmarks/run_all.py --quick    # one run each

Results are recorded by hand in benchmarks/RESULTS.md with the machine and the date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--quick", action="store_true", help="one run of each instead of the best of several")
    a = p.parse_args(argv)
    runs = ["--runs", "1"] if a.quick else []
    benches = [
        ("bench_report.py", runs),
        ("bench_check.py", runs),
        ("bench_batch.py", runs),
        ("bench_calc_button.py", []),
        ("bench_document.py", runs),
    ]
    print(f"xlbudget benchmarks · {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")
    failed = 0
    for script, extra in benches:
        print(flush=True)
        proc = subprocess.run([sys.executable, str(HERE / script), *extra], cwd=HERE.parent)
        failed += proc.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
