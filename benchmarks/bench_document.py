"""Benchmark 5: ``xlbudget check REPORT`` on reports as published (issue 10's speed).

1. Per document — each real Shanghai PDF (../shared/real/, 16–33 pages), our own seed report as .pdf
   (LibreOffice, 31 pages; built into out/ with ``xlbudget report --pdf`` when missing) and .docx, the
   seed's text report, and a 35-page PDF (the 33 pages of 万里's report and two of 福利院's): the best of N runs of reading (``read_document``) and of checking what was read
   (``check_document``: table rules and text rules) in this process, and of the whole command
   ``xlbudget check PATH --format json`` in a fresh process (wall and CPU). Target: a 35-page PDF
   checked in at most 3 s: the 35-page PDF's command, and each PDF's time scaled to 35 pages.
2. What the command imports (``python -X importtime``), best of N: the sum over top-level imports.
3. Text against tables at 1×, 10× and 100× the sentences: a document's paragraphs repeated N times,
   ``check_text`` in CPU time, per paragraph. Target: linear in the number of sentences.

Nothing is asserted; the numbers go into RESULTS.md with the machine's load.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

from common import ROOT, SEED_WORKBOOK, best_of, linear_fit, machine, verdict  # type: ignore[import-not-found]

SHARED = ROOT.parent / "shared"
OWN = ROOT / "out" / "大同市信访局2023年单位预算公开报告.docx"
PYTHON = ROOT / ".venv" / "bin" / "python"


def own_report() -> Path:
    """Our seed report (.docx and .pdf), as ``make report`` writes it."""
    if not OWN.with_suffix(".pdf").exists():
        OWN.parent.mkdir(exist_ok=True)
        subprocess.run(
            [str(ROOT / ".venv" / "bin" / "xlbudget"), "report", str(SEED_WORKBOOK), "-o", str(OWN), "--pdf"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
    return OWN


def thirty_five_pages() -> Path:
    """A 35-page report: the 33 pages of the 万里 department report and two pages of the 福利院's
    (out/, written once with pypdf)."""
    out = ROOT / "out" / "bench-35-pages.pdf"
    if not out.exists():
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter()
        for page in PdfReader(SHARED / "real" / "shanghai-putuo-wanli-2024-department-budget.pdf").pages:
            writer.add_page(page)
        extra = PdfReader(SHARED / "real" / "shanghai-putuo-fuliyuan-2024-unit-budget.pdf").pages
        for page in extra[-2:]:
            writer.add_page(page)
        out.parent.mkdir(exist_ok=True)
        with out.open("wb") as fh:
            writer.write(fh)
    return out


def documents() -> list[Path]:
    own = own_report()
    return [
        *sorted((SHARED / "real").glob("*.pdf")),
        thirty_five_pages(),
        own.with_suffix(".pdf"),
        own,
        SHARED / "seed" / "datong-xinfang-2023-budget-disclosure.txt",
    ]


def command(path: Path) -> tuple[float, float]:
    """Wall and CPU seconds of ``xlbudget check PATH --format json`` in a fresh process."""
    before = os.times()
    started = time.perf_counter()
    proc = subprocess.run(
        [str(PYTHON), "-m", "xlbudget", "check", str(path), "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    after = os.times()
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"check {path.name} → exit {proc.returncode}\n{proc.stderr[-2000:]}")
    return wall, (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )


def import_seconds(path: Path) -> float:
    """What ``xlbudget check PATH`` imports, summed over the top-level imports, in seconds."""
    proc = subprocess.run(
        [str(PYTHON), "-X", "importtime", "-m", "xlbudget", "check", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    total = 0
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \| (\S.*)", line)
        if m and not m.group(2).startswith(" "):
            total += int(m.group(1))
    return total / 1e6


def cpu(fn: object) -> float:
    start = time.process_time()
    fn()  # type: ignore[operator]
    return time.process_time() - start


def wall(fn: object) -> float:
    start = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - start


def per_document(runs: int) -> None:
    from xlbudget.document import read_document
    from xlbudget.document.checking import check_document

    print("1. 每份报告：读、校验（进程内，最好的一次）与整条命令 xlbudget check（新进程）")
    for path in documents():
        doc = read_document(path)
        pages = max((p.page or 0 for p in doc.paragraphs), default=0)
        read_wall, _ = best_of(runs, lambda path=path: wall(lambda: read_document(path)))
        read_cpu, _ = best_of(runs, lambda path=path: cpu(lambda: read_document(path)))
        checked, _ = best_of(runs, lambda doc=doc: cpu(lambda: check_document(doc)))
        commands = [command(path) for _ in range(runs)]
        cmd_wall = min(w for w, _ in commands)
        cmd_cpu = min(c for _, c in commands)
        line = (
            f"   {path.name}: {pages or '—'} 页  读 {read_wall:.3f} s（CPU {read_cpu:.3f} s）"
            f"  校验 {checked:.3f} s CPU  命令 {cmd_wall:.2f} s（CPU {cmd_cpu:.2f} s）"
        )
        if pages:
            at35, cpu35 = 35 * cmd_wall / pages, 35 * cmd_cpu / pages
            line += f"  按 35 页 {at35:.2f} s（CPU {cpu35:.2f} s；目标 ≤ 3 s：{verdict(at35 <= 3)}）"
        print(line, flush=True)


def imports(runs: int) -> None:
    pdf = sorted((SHARED / "real").glob("*.pdf"))[-1]
    bare = min(wall(lambda: subprocess.run([str(PYTHON), "-c", "pass"], check=True)) for _ in range(runs))
    spent = min(import_seconds(pdf) for _ in range(runs))
    print(
        f"2. xlbudget check X.pdf 的导入：{spent:.3f} s（各顶层导入之和，最好的一次）；空 Python 启动 {bare:.3f} s"
    )


def text_scaling(runs: int) -> None:
    from xlbudget.check import check_text
    from xlbudget.document import read_document
    from xlbudget.document.checking import level_of

    print("3. 文字对表：段落重复 1×、10×、100×，check_text 的 CPU 时间")
    for path in (
        SHARED / "seed" / "datong-xinfang-2023-budget-disclosure.txt",
        SHARED / "real" / "shanghai-putuo-wanli-2024-department-budget.pdf",
    ):
        doc = read_document(path)
        base = doc.paragraphs
        xs, ys = [], []
        for n in (1, 10, 100):
            paras = tuple(replace(p, index=k * len(base) + p.index) for k in range(n) for p in base)
            spent, _ = best_of(
                runs if n < 100 else 1,
                lambda paras=paras, doc=doc: cpu(
                    lambda: check_text(paras, doc.tables, year=doc.year, unit_level=level_of(doc.unit))
                ),
            )
            xs.append(len(paras))
            ys.append(spent)
            print(
                f"   {path.name} ×{n}: {len(paras)} 段 {spent:.3f} s，每段 {spent / len(paras) * 1e3:.3f} ms"
            )
        a, b, r2 = linear_fit(xs, ys)
        flat = ys[-1] / xs[-1] <= 1.5 * ys[1] / xs[1]
        print(
            f"   拟合 {a * 1e3:.1f} ms + {b * 1e3:.3f} ms/段，R² = {r2:.4f}；每段代价 10×→100× 不增：{verdict(flat)}"
        )


def compile_bytecode() -> None:
    """The imported xlbudget's bytecode, as an installed package has it (see bench_report)."""
    import xlbudget

    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(Path(xlbudget.__file__).parent)], check=True
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--runs", type=int, default=5)
    a = p.parse_args(argv)
    compile_bytecode()
    import xlbudget

    print(machine())
    print(f"xlbudget from {Path(xlbudget.__file__).parent}")
    per_document(a.runs)
    imports(a.runs)
    text_scaling(a.runs)
    print(machine())
    return 0


if __name__ == "__main__":
    sys.exit(main())
