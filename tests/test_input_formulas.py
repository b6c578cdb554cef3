"""Formula cells in the input sheets, as a script writes them: the right number, or a refusal at the cell.

Excel and LibreOffice save a formula's result with it; a script does not (openpyxl saves none,
XlsxWriter saves 0 and asks for a recalculation on load).  Every workbook here is a real file:
the committed workbook changed with openpyxl, or written whole by XlsxWriter, or recalculated and
saved by LibreOffice; every figure is read through the real command line.

The seed's figures, from ../shared/fixtures/datong-xinfang-2023.json: 政府采购 goods 100,000 +
services 120,000 = 220,000元 = 22.00万元; 上年收入总计 8,120,270元; 基本支出 first line 1,530,810元;
the first 绩效目标 form (Z维稳工作经费-1): 项目资金总额 5,760,000元, all of it 市县资金.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.conftest import ROOT
from tests.helpers.lo import missing_reason, recalculate
from xlbudget.io.tables_json import compare
from xlbudget.report.text import docx_text
from xlbudget.workbook import layout as L

COMMITTED = ROOT / "workbook" / "Budget2023.xlsm"
NOT_COMPUTED = "公式没有计算结果：请在 Excel 中打开并保存后再试"
PROCUREMENT_SENTENCE = "政府采购预算总额22.00万元"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xlbudget", *args], capture_output=True, text=True, cwd=ROOT, timeout=300
    )


def _form_row(ws: Any, label: str) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == label)


def _label(field: str) -> str:
    return next(f.label for f in L.UNIT_FORM if f.field == field)


# Where the formulas go, and what each must come to (the seed's own figure).
PROCUREMENT_FORMULAS = {"B2": "=60000+40000", "B4": "=B2+基本支出!F2-1530810+20000"}  # 100,000 and 120,000
BASIC_FORMULA = ("F2", "=1530000+810")
PRIOR_INCOME = "=8000000+120270"
FUNDING_LOCAL = "=F2"  # 市县资金 = the form's 项目资金总额 5,760,000 beside it


def _with_formulas(path: Path, procurement: dict[str, str] = PROCUREMENT_FORMULAS) -> Path:
    """The committed workbook with formulas typed into input cells, saved by openpyxl (no results)."""
    wb = openpyxl.load_workbook(COMMITTED, keep_vba=True)
    for cell, formula in procurement.items():
        wb[L.PROCUREMENT_SHEET][cell] = formula
    wb[L.BASIC_SHEET][BASIC_FORMULA[0]] = BASIC_FORMULA[1]
    unit = wb[L.UNIT_SHEET]
    unit.cell(_form_row(unit, _label("prior_year.income_total")), 2).value = PRIOR_INCOME
    perf = wb[L.PERFORMANCE_SHEET]
    perf.cell(2, L.PERFORMANCE.column("funding.local")).value = FUNDING_LOCAL
    wb.save(path)
    return path


def _xlsxwriter_copy(path: Path, formulas: dict[tuple[str, str], str]) -> Path:
    """Every sheet of the committed workbook written anew by XlsxWriter, ``formulas`` in some cells.

    XlsxWriter stores 0 as each formula's result, as any script using it does.
    """
    import xlsxwriter
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    src = openpyxl.load_workbook(COMMITTED, read_only=True, data_only=True)
    out = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    for name in src.sheetnames:
        ws = out.add_worksheet(name)
        for r, row in enumerate(src[name].iter_rows(values_only=True)):
            for c, value in enumerate(row):
                if value is not None:
                    ws.write(r, c, value)
    for (sheet, cell), formula in formulas.items():
        col, row = coordinate_from_string(cell)
        out.get_worksheet_by_name(sheet).write_formula(row - 1, column_index_from_string(col) - 1, formula)
    out.close()
    src.close()
    return path


def _assert_seed_figures(book: Path, tmp_path: Path, golden_tables: dict[str, Any]) -> None:
    """Through the commands: the tables equal the golden, the checker finds no error, and the report
    states the procurement total and last year's income as the seed has them."""
    exported = tmp_path / "tables.json"
    result = run_cli("export", str(book), "-o", str(exported))
    assert result.returncode == 0, result.stderr
    assert compare(json.loads(exported.read_text("utf-8")), golden_tables) == []
    checked = run_cli("check", str(book), "--format", "json")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    errors = [f for f in json.loads(checked.stdout) if f["severity"] == "error"]
    assert errors == []
    docx = tmp_path / "report.docx"
    result = run_cli("report", str(book), "-o", str(docx))
    assert result.returncode == 0, result.stderr
    text = docx_text(docx)
    assert PROCUREMENT_SENTENCE in text
    assert "政府采购货物预算10.00万元" in text and "政府采购服务预算12.00万元" in text


def test_formulas_saved_by_openpyxl_are_evaluated(tmp_path: Path, golden_tables: dict[str, Any]) -> None:
    book = _with_formulas(tmp_path / "openpyxl.xlsm")
    saved = openpyxl.load_workbook(book, data_only=True)
    assert saved[L.PROCUREMENT_SHEET]["B4"].value is None  # really no saved result: what used to read as 0
    _assert_seed_figures(book, tmp_path, golden_tables)


def test_formulas_written_by_xlsxwriter_are_evaluated(tmp_path: Path, golden_tables: dict[str, Any]) -> None:
    funding = f"{L.PERFORMANCE.letter('funding.local')}2"
    unit = openpyxl.load_workbook(COMMITTED, read_only=True)[L.UNIT_SHEET]
    income_row = next(
        r
        for r, row in enumerate(unit.iter_rows(values_only=True), 1)
        if row[0] == _label("prior_year.income_total")
    )
    formulas = {
        (L.PROCUREMENT_SHEET, "B2"): "=60000+40000",
        (L.PROCUREMENT_SHEET, "B4"): "=SUM(B2:B3)+20000",  # 120,000
        (L.BASIC_SHEET, "F2"): "=ROUND(1530810.4,0)",
        (L.UNIT_SHEET, f"B{income_row}"): PRIOR_INCOME,
        (L.PERFORMANCE_SHEET, funding): "=F2",
    }
    book = _xlsxwriter_copy(tmp_path / "xlsxwriter.xlsx", formulas)
    saved = openpyxl.load_workbook(book, data_only=True)
    assert saved[L.PROCUREMENT_SHEET]["B4"].value == 0  # the script's placeholder result
    _assert_seed_figures(book, tmp_path, golden_tables)


def test_formula_the_engine_cannot_evaluate_is_refused_until_saved_by_a_spreadsheet(
    tmp_path: Path, golden_tables: dict[str, Any]
) -> None:
    """AGGREGATE (a SUM that skips error cells) is beyond the formula engine: the file is refused at the
    cell, never read as 0; once LibreOffice has recalculated and saved it, its saved result is used.
    (In the file a function newer than Excel 2007 is spelled with its ``_xlfn.`` prefix, as Excel writes it.)"""
    reason = missing_reason()
    if reason:
        pytest.fail(f"LibreOffice is needed for this test: {reason}")
    book = _with_formulas(tmp_path / "aggregate.xlsm", {"B4": "=_xlfn.AGGREGATE(9,6,B2:B3)+20000"})
    for command, out in (("export", "out.json"), ("report", "out.docx")):
        result = run_cli(command, str(book), "-o", str(tmp_path / out))
        assert result.returncode == 2, result.stdout + result.stderr
        assert f"{L.PROCUREMENT_SHEET}!B4: {NOT_COMPUTED}" in result.stderr
        assert "Traceback" not in result.stderr
    saved = tmp_path / "saved-by-libreoffice.xlsm"
    recalculate(book, saved)
    _assert_seed_figures(saved, tmp_path, golden_tables)


def test_an_amount_formula_without_result_is_not_a_missing_amount(tmp_path: Path) -> None:
    """基本支出!F2 holds a formula that refers to another workbook: refused at that cell as a formula,
    not as 缺少金额 (the cell is not empty), exit 2."""
    wb = openpyxl.load_workbook(COMMITTED, keep_vba=True)
    wb[L.BASIC_SHEET]["F2"] = "='[预算底稿.xlsx]基本支出'!F2"
    book = tmp_path / "external.xlsm"
    wb.save(book)
    result = run_cli("check", str(book))
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"{L.BASIC_SHEET}!F2: {NOT_COMPUTED}" in result.stderr
    assert "缺少金额" not in result.stderr


def test_fill_reads_formulas_the_same_way(tmp_path: Path, golden_tables: dict[str, Any]) -> None:
    """``fill`` (the 计算 button on a file) reads through the same reader: the tables it writes are the seed's."""
    book = _with_formulas(tmp_path / "fill.xlsm")
    result = run_cli("fill", str(book))
    assert result.returncode == 0, result.stderr
    from xlbudget.io.tables_json import tables_to_dict
    from xlbudget.workbook.reader import read_workbook_tables

    assert compare(tables_to_dict(read_workbook_tables(book)), golden_tables) == []


def test_batch_reads_formulas_the_same_way(tmp_path: Path) -> None:
    """A finance bureau's batch: the script-written workbook is read right (its totals are the seed's),
    the one whose formula cannot be evaluated is that file's finding at the cell; the summary is written."""
    inbox = tmp_path / "in"
    inbox.mkdir()
    _with_formulas(inbox / "script.xlsm")
    _with_formulas(inbox / "aggregate.xlsm", {"B4": "=_xlfn.AGGREGATE(9,6,B2:B3)+20000"})
    out = tmp_path / "out"
    result = run_cli("batch", str(inbox), "-o", str(out))
    assert "Traceback" not in result.stderr, result.stderr
    rows = list(openpyxl.load_workbook(out / "summary.xlsx")["汇总"].iter_rows(values_only=True))
    by_file = {r[1]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert by_file["script.xlsm"]["状态"] == "无错误"
    assert by_file["script.xlsm"]["收入总计（万元）"] == pytest.approx(916.53)
    assert by_file["aggregate.xlsm"]["状态"] == "无法读取"
    findings = (out / "findings.csv").read_text("utf-8-sig")
    assert f"{L.PROCUREMENT_SHEET}!B4" in findings and NOT_COMPUTED in findings
