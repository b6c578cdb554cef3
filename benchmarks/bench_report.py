"""Benchmark 1: the report — end to end against a floor, linear in lines, and as PDF against bare LibreOffice.

1a. ``xlbudget report workbook/Budget2023.xlsm`` (checks first, then the Word report) against a floor
    measured in the same run: start Python, load the same workbook with openpyxl (a full load, as
    ``load_workbook(path)`` does by default), save an empty python-docx document.  Target ≤ 1.3 × floor.
    Both with their bytecode compiled (xlbudget's first, see :func:`compile_bytecode`), run in turns
    (report, floor, report, …), each timed in wall clock and in CPU time (on a shared machine a
    process waiting for a CPU gains wall time only).
    Where the time goes, stage by stage in one process, with the charts and without them
    (native Word charts: XlsxWriter writes each chart's part and its embedded workbook).
1b. The report of generated units of 1,000 … 10,000 lines (projects = lines / 10), in process after
    loading (tables built once, checked and rendered, as the command does), the sizes in turns, best CPU
    time of each: linear in lines (R², cost per line over the first size and of each step).
1c. ``xlbudget report --pdf`` against a bare ``soffice --convert-to pdf`` of the same .docx (a fresh
    profile, as ours uses).  Target ≤ 1.5 ×.

Every figure is the best of N runs (each end-to-end run a fresh process).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from common import ROOT, SEED_WORKBOOK, linear_fit, machine, run_times, verdict

FLOOR = """
import sys, openpyxl, docx
openpyxl.load_workbook(sys.argv[1])
docx.Document().save(sys.argv[2])
"""

STAGES = """
import json, sys, time
t = time.perf_counter
marks = {}
s = t(); import xlbudget.cli, xlbudget.report.render, xlbudget.report.gate, xlbudget.commands.report
import xlbudget.check, xlbudget.workbook.reader
marks["import the report, checks, reader (not openpyxl, not XlsxWriter)"] = t() - s
s = t(); xlbudget.workbook.reader.import_openpyxl(); import xlbudget.workbook.xlsx_values
marks["import openpyxl (without numpy)"] = t() - s
s = t(); import xlsxwriter; marks["import XlsxWriter (charts), after the rest"] = t() - s
from pathlib import Path
from xlbudget.commands.report import read_input
from xlbudget.report import render_docx
from xlbudget.report.gate import report_errors
from xlbudget.tables import build_tables
import xlbudget.report.render as render
s = t(); budget, shown = read_input(Path(sys.argv[1])); marks["read the workbook: inputs + 表1…表13, one pass"] = t() - s
s = t(); errors = report_errors(budget, shown); marks[f"checks ({len(errors)} errors)"] = t() - s
s = t(); tables = build_tables(budget); marks["build_tables"] = t() - s
s = t(); render_docx(budget, tables); marks["render_docx, first (charts, tables, forms)"] = t() - s
s = t(); render_docx(budget, tables); marks["render_docx, again in the same process"] = t() - s
charts = render.charts
render.charts = lambda budget, tables: ()
s = t(); render_docx(budget, tables); marks["render_docx without charts"] = t() - s
render.charts = charts
from xlbudget.report.word_tables import write_forms, write_tables
doc = render.open_template(render.default_template()).docx
s = t(); write_tables(doc, budget, tables); write_forms(doc, budget); marks["  of which the 13 tables + forms"] = t() - s
print(json.dumps(marks))
"""

LINES = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from tests.generate import generated_unit
from xlbudget.io.unit_json import budget_from_dict
from xlbudget.report import render_docx
from xlbudget.report.gate import report_errors
from xlbudget.tables import build_tables
sizes, runs = json.loads(sys.argv[2]), int(sys.argv[3])
render_docx(budget_from_dict(generated_unit(50, 5)))  # warm imports, catalogue, template
budgets = [budget_from_dict(generated_unit(n, n // 10, seed=n)) for n in sizes]
best = [float("inf")] * len(sizes)
for _ in range(runs):  # the sizes in turns, so that load from elsewhere falls on all of them alike
    for i, budget in enumerate(budgets):
        s = time.process_time()
        tables = build_tables(budget)  # as the command does: built once, checked and printed
        report_errors(budget, None, tables)
        render_docx(budget, tables)
        best[i] = min(best[i], time.process_time() - s)
print(json.dumps(best))
"""


def stages() -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", STAGES, str(SEED_WORKBOOK)], capture_output=True, text=True, cwd=ROOT
    )
    return json.loads(out.stdout) if out.returncode == 0 else {f"(stages failed: {out.stderr[-300:]})": 0.0}


def bare_soffice(docx: Path, outdir: Path) -> tuple[float, float]:
    """``soffice --convert-to pdf`` of a .docx with a fresh profile: what any conversion costs."""
    from xlbudget.report.pdf import find_soffice

    soffice = find_soffice()
    if soffice is None:
        raise SystemExit("LibreOffice is not installed: apt-get install libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory() as profile:
        return run_times(
            [
                soffice,
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                str(docx),
            ]
        )


def compile_bytecode() -> None:
    """xlbudget's bytecode in its ``__pycache__`` folders, as a user's installed package has it (pip
    compiles at install; Python writes it on first import).  This machine sets
    ``PYTHONDONTWRITEBYTECODE=1``, so without this every run would compile xlbudget's modules from
    source again (≈ 0.06 s of the report), which the floor's libraries, compiled at install, never do."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "xlbudget")], check=True)


def best_of_runs(runs: list[tuple[float, float]], which: int) -> tuple[float, float]:
    """(minimum, median) of the wall (0) or CPU (1) times of some runs."""
    times = [r[which] for r in runs]
    return min(times), statistics.median(times)


def main(argv: list[str] | None = None) -> dict[str, float]:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--runs", type=int, default=5)
    a = p.parse_args(argv)
    py = sys.executable
    compile_bytecode()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.docx"
        empty = Path(tmp) / "empty.docx"
        runs: dict[str, list[tuple[float, float]]] = {"report": [], "floor": []}
        for _ in range(a.runs):  # in turns, so that load from elsewhere falls on both alike
            runs["report"].append(
                run_times([py, "-m", "xlbudget", "report", str(SEED_WORKBOOK), "-o", str(out)])
            )
            runs["floor"].append(run_times([py, "-c", FLOOR, str(SEED_WORKBOOK), str(empty)]))
        report = best_of_runs(runs["report"], 0)
        floor = best_of_runs(runs["floor"], 0)
        report_cpu = best_of_runs(runs["report"], 1)
        floor_cpu = best_of_runs(runs["floor"], 1)
        pdf_runs = max(1, min(a.runs, 3))
        pdf_out = Path(tmp) / "pdf" / "report.docx"
        pdf_out.parent.mkdir()
        bare_dir = Path(tmp) / "bare"
        bare_dir.mkdir()
        pdf_command = [py, "-m", "xlbudget", "report", str(SEED_WORKBOOK), "-o", str(pdf_out), "--pdf"]
        pdf_times: dict[str, list[tuple[float, float]]] = {"pdf": [], "bare": []}
        for _ in range(pdf_runs):
            pdf_times["pdf"].append(run_times(pdf_command))
            pdf_times["bare"].append(bare_soffice(out, bare_dir))
        with_pdf, bare = best_of_runs(pdf_times["pdf"], 0), best_of_runs(pdf_times["bare"], 0)
        with_pdf_cpu, bare_cpu = best_of_runs(pdf_times["pdf"], 1), best_of_runs(pdf_times["bare"], 1)
    ratio = report[0] / floor[0]
    print("== 1a. report end to end vs floor ==")
    print(f"machine: {machine()}")
    print(
        f"xlbudget report {SEED_WORKBOOK.relative_to(ROOT)}   best {report[0]:.2f} s  median {report[1]:.2f} s"
    )
    print(f"floor (python + openpyxl full load + empty docx) best {floor[0]:.2f} s  median {floor[1]:.2f} s")
    print(f"ratio report/floor = {ratio:.2f}×  (target ≤ 1.3×: {verdict(ratio <= 1.3)})")
    cpu_ratio = report_cpu[0] / floor_cpu[0]
    print(
        f"CPU time: report best {report_cpu[0]:.2f} s median {report_cpu[1]:.2f} s;"
        f" floor best {floor_cpu[0]:.2f} s median {floor_cpu[1]:.2f} s;"
        f" ratio {cpu_ratio:.2f}× (medians {report_cpu[1] / floor_cpu[1]:.2f}×)"
    )
    print("where the report's time goes (one process, stage by stage):")
    marks = stages()
    for stage, seconds in marks.items():
        print(f"  {stage:<50} {seconds:.3f} s")
    charts = marks.get("render_docx, first (charts, tables, forms)", 0.0) - marks.get(
        "render_docx without charts", 0.0
    )
    without = report[0] - marks.get("import XlsxWriter (charts), after the rest", 0.0) - max(charts, 0.0)
    print(
        f"  without the charts (their import and building taken off): ≈ {without:.2f} s"
        f" = {without / floor[0]:.2f}× the floor"
    )

    print("== 1b. report of a generated unit: linear in lines ==")
    sizes = [1000, 2500, 5000, 7500, 10000]
    proc = subprocess.run(
        [py, "-c", LINES, str(ROOT), json.dumps(sizes), str(max(1, a.runs))],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    cpu = json.loads(proc.stdout) if proc.returncode == 0 else []
    if not cpu:
        print(f"(failed: {proc.stderr[-500:]})")
        r2 = slope = 0.0
    else:
        print(
            f"{'lines':>7} {'projects':>8} {'CPU s':>7} {'µs/line over 1,000':>19} {'µs/line this step':>18}"
        )
        for i, (n, c) in enumerate(zip(sizes, cpu, strict=True)):
            marginal = (c - cpu[0]) / (n - sizes[0]) * 1e6 if i else float("nan")
            step = (c - cpu[i - 1]) / (n - sizes[i - 1]) * 1e6 if i else float("nan")
            print(f"{n:>7} {n // 10:>8} {c:>7.3f} {marginal:>19.1f} {step:>18.1f}")
        intercept, slope, r2 = linear_fit([n / 1000 for n in sizes], cpu)
        print(
            f"fitted: {intercept:.3f} s + {slope * 1000:.1f} ms per 1,000 lines (+100 projects), R² = {r2:.4f}"
            f"  (linear: {verdict(r2 >= 0.95)})"
        )

    pdf_ratio = (with_pdf[0] - report[0]) / bare[0]
    print("== 1c. report --pdf vs a bare soffice --convert-to pdf of the same .docx ==")
    print(f"xlbudget report … --pdf                    best {with_pdf[0]:.2f} s  median {with_pdf[1]:.2f} s")
    print(f"bare soffice --convert-to pdf (fresh profile) best {bare[0]:.2f} s  median {bare[1]:.2f} s")
    print(
        f"the PDF step (report --pdf − report) ÷ bare = {with_pdf[0] - report[0]:.2f} ÷ {bare[0]:.2f}"
        f" = {pdf_ratio:.2f}×  (target ≤ 1.5×: {verdict(pdf_ratio <= 1.5)});"
        f" whole command ÷ bare = {with_pdf[0] / bare[0]:.2f}×"
    )
    pdf_cpu_ratio = (with_pdf_cpu[0] - report_cpu[0]) / bare_cpu[0]
    print(
        f"CPU time: report --pdf best {with_pdf_cpu[0]:.2f} s, bare soffice best {bare_cpu[0]:.2f} s;"
        f" the PDF step ÷ bare = {with_pdf_cpu[0] - report_cpu[0]:.2f} ÷ {bare_cpu[0]:.2f} = {pdf_cpu_ratio:.2f}×"
    )
    return {
        "report": report[0],
        "floor": floor[0],
        "ratio": ratio,
        "cpu_ratio": cpu_ratio,
        "lines_r2": r2,
        "lines_slope_ms": slope * 1000,
        "pdf": with_pdf[0],
        "bare_soffice": bare[0],
        "pdf_ratio": pdf_ratio,
        "pdf_cpu_ratio": pdf_cpu_ratio,
    }


if __name__ == "__main__":
    main()
