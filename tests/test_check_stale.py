"""A workbook whose 表 sheets were not recomputed after its lines changed: ``check`` says once, first, to
press 计算, and still lists each mismatch; after ``xlbudget fill`` nothing is left.

The case: in the committed seed workbook the officer raises 基本支出!F2 (2010308 信访事务 × 30101 基本工资)
from 1,530,810 to 1,630,810 元 — 10.00 万元 more — and checks without pressing 计算. 表1…表6 still print
the old figures (表1 收入总计 916.53, the lines now 926.53).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from xlbudget.workbook.book_openpyxl import FileBook

COMMITTED = ROOT / "workbook" / "Budget2023.xlsm"
HINT = "cross.tables_stale"


def xlbudget(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xlbudget", *args], capture_output=True, text=True, cwd=ROOT, timeout=300
    )


def findings(path: Path) -> list[dict[str, object]]:
    r = xlbudget("check", str(path), "--format", "json")
    assert r.returncode in (0, 1), r.stderr
    return json.loads(r.stdout)


@pytest.fixture
def stale(tmp_path: Path) -> Path:
    path = tmp_path / "Budget2023.xlsm"
    shutil.copyfile(COMMITTED, path)
    book = FileBook(path)
    assert book.read("基本支出")[1][:6] == [
        "2010308",
        "信访事务",
        "30101",
        "基本工资",
        "一般公共预算",
        1530810,
    ]
    book.write("基本支出", (2, 6), [[1630810]])
    book.save()
    return path


def test_check_says_once_and_first_to_press_compute(stale: Path) -> None:
    found = findings(stale)
    errors = [f for f in found if f["severity"] == "error"]
    assert errors[0]["rule"] == HINT and [f["rule"] for f in found].count(HINT) == 1
    assert "请先点击「计算」" in str(errors[0]["message"]) and "xlbudget fill" in str(errors[0]["message"])
    assert str(errors[0]["message"]).startswith("表1、表2、表3、表4、表5、表6 共")
    assert errors[0]["location"] == "表1!D6"  # the first mismatch, a cell the 校验结果 sheet links to
    # the mismatches are still listed: 表1's 收入总计 916.53, the lines 926.53
    mismatches = [f for f in errors if f["rule"] == "cross.tables_match_lines"]
    assert f"共 {len(mismatches)} 处" in str(errors[0]["message"])
    assert any(
        f["location"] == "表1!B38" and (f["expected"], f["actual"]) == ("926.53", "916.53")
        for f in mismatches
    )
    text = xlbudget("check", str(stale)).stdout
    assert text.count("请先点击「计算」") == 1


def test_after_fill_the_hint_and_the_mismatches_are_gone(stale: Path) -> None:
    r = xlbudget("fill", str(stale), "--no-backup")
    assert r.returncode == 0, r.stderr
    assert not [f for f in findings(stale) if f["severity"] == "error"]


def test_a_figure_typed_over_in_one_table_gets_no_hint(tmp_path: Path) -> None:
    path = tmp_path / "Budget2023.xlsm"
    shutil.copyfile(COMMITTED, path)
    book = FileBook(path)
    book.write("表3", (7, 3), [[999.99]])
    book.save()
    found = findings(path)
    assert HINT not in [f["rule"] for f in found]
    assert {f["location"] for f in found if f["severity"] == "error"} == {"表3!C7"}


def test_emptied_table_sheets_get_the_hint_too(tmp_path: Path) -> None:
    path = tmp_path / "Budget2023.xlsm"
    shutil.copyfile(COMMITTED, path)
    book = FileBook(path)
    for sheet in ("表1", "表2", "表3"):  # every row below the headings emptied
        rows = book.read(sheet)
        book.clear(sheet, (6, 1), (len(rows), max(len(r) for r in rows)))
    book.save()
    errors = [f for f in findings(path) if f["severity"] == "error"]
    assert errors[0]["rule"] == HINT and "表1、表2、表3" in str(errors[0]["message"])


def test_a_report_set_against_changed_lines_gets_no_hint_to_press_compute(tmp_path: Path) -> None:
    """校验Word报告 on a report written before the lines changed: its tables are off the lines in several
    tables, but pressing 计算 changes no report — the mismatches are listed, without the hint."""
    from xlbudget.document import read_document
    from xlbudget.document.checking import check_against_budget
    from xlbudget.report import write_report
    from xlbudget.workbook.reader import read_workbook

    report = tmp_path / "report.docx"
    write_report(read_workbook(COMMITTED), report)
    book = FileBook(shutil.copyfile(COMMITTED, tmp_path / "Budget2023.xlsm"))
    book.write("基本支出", (2, 6), [[1630810]])
    book.save()
    found = check_against_budget(read_document(report), read_workbook(book.path))
    off = {f.table for f in found if f.rule == "cross.tables_match_lines" and f.severity == "error"}
    assert len(off) >= 2
    assert HINT not in [f.rule for f in found]
