"""Benchmark 1: ``xlbudget report workbook/Budget2023.xlsm`` end to end, against a floor measured in the same run.

Floor: start Python, load the same workbook with openpyxl (a full load, as ``load_workbook(path)``
does by default), save an empty python-docx document.  A second, lower floor is printed too: the
read-only load the workbook reader actually uses, iterating every row.
Target: report ≤ 2 × floor.  Every figure is the best of N runs (each a fresh process).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from common import ROOT, SEED_WORKBOOK, best_of, machine, run_seconds, verdict

FLOOR = """
import sys, openpyxl, docx
openpyxl.load_workbook(sys.argv[1])
docx.Document().save(sys.argv[2])
"""
FLOOR_READ_ONLY = """
import sys, openpyxl, docx
wb = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True)
for ws in wb.worksheets:
    for _ in ws.iter_rows(values_only=True):
        pass
docx.Document().save(sys.argv[2])
"""


STAGES = """
import json, sys, time
t = time.perf_counter
marks = {}
s = t(); import pptx.chart.xmlwriter; marks["import python-pptx (chart XML)"] = t() - s
s = t(); import xlbudget.report, xlbudget.workbook.reader; marks["import xlbudget.report + reader"] = t() - s
from xlbudget.io.load import read_budget
from xlbudget.tables import build_tables
from xlbudget.report import render_docx
s = t(); budget = read_budget(sys.argv[1]); marks["read the workbook (read_budget)"] = t() - s
s = t(); tables = build_tables(budget); marks["build_tables"] = t() - s
s = t(); render_docx(budget, tables); marks["render_docx, first (charts, tables, forms)"] = t() - s
s = t(); render_docx(budget, tables); marks["render_docx, again in the same process"] = t() - s
print(json.dumps(marks))
"""


def stages() -> dict[str, float]:
    import json
    import subprocess

    out = subprocess.run(
        [sys.executable, "-c", STAGES, str(SEED_WORKBOOK)], capture_output=True, text=True, cwd=ROOT
    )
    return json.loads(out.stdout) if out.returncode == 0 else {"(stages failed)": 0.0}


def main(argv: list[str] | None = None) -> dict[str, float]:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--runs", type=int, default=5)
    a = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.docx"
        empty = Path(tmp) / "empty.docx"
        py = sys.executable
        report = best_of(
            a.runs, lambda: run_seconds([py, "-m", "xlbudget", "report", str(SEED_WORKBOOK), "-o", str(out)])
        )
        floor = best_of(a.runs, lambda: run_seconds([py, "-c", FLOOR, str(SEED_WORKBOOK), str(empty)]))
        floor_ro = best_of(
            a.runs, lambda: run_seconds([py, "-c", FLOOR_READ_ONLY, str(SEED_WORKBOOK), str(empty)])
        )
        imports = best_of(
            a.runs, lambda: run_seconds([py, "-c", "import xlbudget.report, xlbudget.workbook.reader"])
        )
    ratio = report[0] / floor[0]
    print("== 1. report end to end vs floor ==")
    print(f"machine: {machine()}")
    print(
        f"xlbudget report {SEED_WORKBOOK.relative_to(ROOT)}   best {report[0]:.2f} s  median {report[1]:.2f} s"
    )
    print(f"floor (python + openpyxl full load + empty docx) best {floor[0]:.2f} s  median {floor[1]:.2f} s")
    print(f"floor, read-only load as the reader does   best {floor_ro[0]:.2f} s  median {floor_ro[1]:.2f} s")
    print(f"python + import xlbudget.report/reader      best {imports[0]:.2f} s")
    print(f"ratio report/floor = {ratio:.2f}×  (target ≤ 2×: {verdict(ratio <= 2)})")
    print("where the report's time goes (one process, stage by stage):")
    for stage, seconds in stages().items():
        print(f"  {stage:<45} {seconds:.2f} s")
    return {
        "report": report[0],
        "floor": floor[0],
        "floor_ro": floor_ro[0],
        "imports": imports[0],
        "ratio": ratio,
    }


if __name__ == "__main__":
    main()
