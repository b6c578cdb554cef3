"""What a batch leaves behind, for the finance bureau to open in Excel.

- ``summary.xlsx`` — 汇总: one row per unit (file, unit, year, status, the key totals in
  万元, errors / warnings / infos, a link to its findings); 问题清单: every finding;
  说明: what the columns mean.
- ``findings.csv`` — every finding of every unit, UTF-8 with BOM (Excel opens it in the
  right encoding), each cell neutralised against formula injection.
- ``findings/NNNN_名称.csv`` — one unit's findings, the target of the summary's link.

Every text cell of the workbook is written with ``write_string``: a unit name such as
``=HYPERLINK(…)`` from a hostile file stays text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from xlbudget.batch.duplicates import describe, groups, unit_count
from xlbudget.batch.files import readable
from xlbudget.batch.result import RULE_DUPLICATE, STATUS_NAMES, TOTALS, UnitResult
from xlbudget.io.atomic import write_bytes_atomic
from xlbudget.safety import csv_cell

SUMMARY_FILE = "summary.xlsx"
FINDINGS_FILE = "findings.csv"
FINDINGS_DIR = "findings"
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}
MAX_TEXT = 2000  # characters of one cell; hostile files can carry megabytes of text
MAX_SHEET_ROWS = 1_000_000  # Excel's limit is 1,048,576

# 文件序号 is the unit's 序号 in 汇总 (the same for every row of a unit); 问题序号 counts its findings
FINDING_HEADINGS = (
    "文件序号",
    "问题序号",
    "文件",
    "单位",
    "年度",
    "级别",
    "规则",
    "表",
    "位置",
    "说明",
    "应为",
    "实为",
    "原文",
)
SUMMARY_HEADINGS = (
    ("序号", 6),
    ("文件", 36),
    ("单位名称", 28),
    ("年度", 7),
    ("状态", 10),
    *((f"{t}（万元）", 14) for t in TOTALS),
    ("错误", 7),
    ("警告", 7),
    ("提示", 7),
    ("校验结果", 14),
    ("报告", 12),
    ("用时（秒）", 10),
)


def _clip(text: object) -> str:
    s = "" if text is None else readable(str(text)).replace("\x00", "")
    return s if len(s) <= MAX_TEXT else s[:MAX_TEXT] + "…"


def _safe_stem(file: str, limit: int = 50) -> str:
    stem = Path(file).stem
    keep = "".join(c if c.isalnum() or c in "-_" else "_" for c in stem).strip("_")
    return keep[:limit] or "unit"


def findings_file_name(r: UnitResult) -> str:
    return f"{FINDINGS_DIR}/{r.index:04d}_{_safe_stem(r.file)}.csv"


def _finding_rows(r: UnitResult) -> list[list[str]]:
    rows = []
    for n, (rule, severity, table, location, message, expected, actual, quote) in enumerate(r.findings, 1):
        rows.append(
            [
                str(r.index),
                str(n),
                r.file,
                r.unit,
                "" if r.year is None else str(r.year),
                SEVERITY_NAMES.get(severity, severity),
                rule,
                "" if table is None else f"表{table}",
                location,
                message,
                "" if expected is None else expected,
                "" if actual is None else actual,
                quote,
            ]
        )
    return rows


def csv_bytes(headings: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """UTF-8 with BOM, CRLF line ends (as Excel writes them), every cell neutralised."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([csv_cell(h) for h in headings])
    for row in rows:
        w.writerow([csv_cell(_clip(v)) for v in row])
    return buf.getvalue().encode("utf-8-sig")


def summary_bytes(
    results: Sequence[UnitResult], root: Path | None = None, skipped: Sequence[str] = ()
) -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    head = wb.add_format(
        {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "vcenter"}
    )
    money = wb.add_format({"num_format": "#,##0.00"})
    bad = wb.add_format({"font_color": "#C00000", "bold": True})
    ok = wb.add_format({"font_color": "#007A33"})
    link = wb.add_format({"font_color": "#0563C1", "underline": 1})
    secs = wb.add_format({"num_format": "0.00"})

    ws = wb.add_worksheet("汇总")
    for c, (h, width) in enumerate(SUMMARY_HEADINGS):
        ws.write_string(0, c, h, head)
        ws.set_column(c, c, width)
    ws.freeze_panes(1, 3)
    first_total = 5
    for i, r in enumerate(results, 1):
        ws.write_number(i, 0, r.index)
        ws.write_string(i, 1, _clip(r.file))
        ws.write_string(i, 2, _clip(r.unit))
        if r.year:
            ws.write_number(i, 3, r.year)
        ws.write_string(i, 4, STATUS_NAMES.get(r.status, r.status), ok if r.status == "clean" else bad)
        for k, t in enumerate(TOTALS):
            if t in r.totals:
                ws.write_number(i, first_total + k, float(r.totals[t]), money)
        c = first_total + len(TOTALS)
        ws.write_number(i, c, r.errors, bad if r.errors else None)
        ws.write_number(i, c + 1, r.warnings)
        ws.write_number(i, c + 2, r.infos)
        if r.findings_file:
            ws.write_url(i, c + 3, f"external:{r.findings_file}", link, string=f"{len(r.findings)} 条")
        if r.report:
            ws.write_url(i, c + 4, f"external:{r.report}", link, string="报告")
        elif r.report_refused:
            ws.write_string(i, c + 4, r.report_refused, bad)
        ws.write_number(i, c + 5, round(r.seconds, 2), secs)
    if results:
        ws.autofilter(0, 0, len(results), len(SUMMARY_HEADINGS) - 1)

    fs = wb.add_worksheet("问题清单")
    widths = (8, 8, 30, 24, 7, 7, 26, 6, 24, 70, 12, 12, 40)
    for c, h in enumerate(FINDING_HEADINGS):
        fs.write_string(0, c, h, head)
        fs.set_column(c, c, widths[c])
    fs.freeze_panes(1, 0)
    n = 0
    for r in results:
        for row in _finding_rows(r):
            n += 1
            if n >= MAX_SHEET_ROWS:
                break
            for c, v in enumerate(row):
                fs.write_string(n, c, _clip(v))
    if n >= MAX_SHEET_ROWS:
        fs.write_string(
            MAX_SHEET_ROWS, 0, f"问题过多，此处只列出前 {MAX_SHEET_ROWS - 1} 条；全部问题见 {FINDINGS_FILE}"
        )
    if n:
        fs.autofilter(0, 0, min(n, MAX_SHEET_ROWS - 1), len(FINDING_HEADINGS) - 1)

    notes = wb.add_worksheet("说明")
    notes.set_column(0, 0, 16)
    notes.set_column(1, 1, 90)
    lines = [
        ("检查的文件夹", str(root) if root is not None else ""),
        ("文件数", str(len(results))),
        (
            "单位数",
            f"{unit_count(results)}（同一单位同一年度的预算报送了多份时只算一次，"
            f"各份都有一条“{RULE_DUPLICATE}”警告，写明另几份；下面的“无错误”“有错误”等按文件计）",
        ),
        *(("重复报送", line) for line in describe(groups(results))),
        ("无错误", str(sum(1 for r in results if r.status == "clean"))),
        ("有错误", str(sum(1 for r in results if r.status == "errors"))),
        ("无法读取/超时/异常/未检查", str(sum(1 for r in results if r.status not in ("clean", "errors")))),
        *(("跳过的文件夹", note) for note in skipped),
        ("金额", "万元，两位小数，四舍五入；由各单位的基本支出、项目支出明细计算"),
        (
            "状态",
            "无错误（可有警告、提示）；有错误；"
            "无法读取（文件损坏、不是工作簿、被判定为不安全，或不是可读的普通文件："
            "链接失效或循环、管道、设备、空文件、没有权限）；超时；内存超限；处理异常；"
            "未检查（打不开的文件夹、指向文件夹的链接）",
        ),
        ("文件序号", "问题清单中该单位在汇总表中的序号；问题序号为该单位各条问题的编号（1、2、3……）"),
        (
            "校验结果",
            f"点击打开该单位的问题清单（{FINDINGS_DIR}/ 文件夹中的 CSV）；全部问题另见 {FINDINGS_FILE}",
        ),
    ]
    for n, (label, text) in enumerate(lines):
        notes.write_string(n, 0, label, head)
        notes.write_string(n, 1, _clip(text))
    wb.close()
    return buf.getvalue()


def write_outputs(
    results: Sequence[UnitResult], outdir: Path, root: Path | None = None, notes: Sequence[str] = ()
) -> None:
    """The per-unit findings files, the combined CSV and the summary workbook, each written atomically."""
    outdir = Path(outdir)
    (outdir / FINDINGS_DIR).mkdir(parents=True, exist_ok=True)
    all_rows: list[list[str]] = []
    written = set()
    for r in results:
        rows = _finding_rows(r)
        r.findings_file = findings_file_name(r)
        write_bytes_atomic(outdir / r.findings_file, csv_bytes(FINDING_HEADINGS, rows))
        written.add(Path(r.findings_file).name)
        all_rows.extend(rows)
    for old in (outdir / FINDINGS_DIR).glob("[0-9][0-9][0-9][0-9]_*.csv"):  # an earlier run's, now stale
        if old.name not in written:
            old.unlink(missing_ok=True)
    write_bytes_atomic(outdir / FINDINGS_FILE, csv_bytes(FINDING_HEADINGS, all_rows))
    write_bytes_atomic(outdir / SUMMARY_FILE, summary_bytes(results, root, notes))
