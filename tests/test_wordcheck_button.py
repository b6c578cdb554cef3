"""The 校验Word报告 button: the Word report beside the workbook, after staff edited it, checked against the
workbook's own lines (its tables) and against its own tables (its text); the findings in 校验结果.

Driven as the other buttons are: through xlwings' remote engine (what Excel would be sent: only actions the
VBA client implements) and on the workbook file (FileBook). The report is the one 生成报告 writes, edited
with python-docx as staff would in Word. By hand, from ../shared/golden/datong-xinfang-2023.tables.json:
表3 201 一般公共服务支出 基本支出 is 387.04 (万元), its row 780.05 = 387.04 + 393.01; the 情况说明 says
"2023年度支出预算916.53万元，其中：基本支出523.52万元" (表3 合计 基本支出 523.52).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest

from tests.conftest import ROOT
from tests.test_xlwings_remote import (  # noqa: F401 - xw is a fixture
    COMMITTED,
    actions_of,
    assert_only_vba_client_actions,
    book_of,
    payload_of,
    shown,
    xw,
)
from xlbudget.document import read_document
from xlbudget.io.unit_json import read_unit_json
from xlbudget.report import write_report
from xlbudget.workbook import layout as L
from xlbudget.workbook.book_openpyxl import FileBook
from xlbudget.workbook.buttons import dispatch, report_beside, run_button
from xlbudget.workbook.reader import read_workbook

pytestmark = pytest.mark.slow  # a Word report written and read back per test

REPORT = "Budget2023_预算公开报告.docx"  # the name 生成报告 gives it beside Budget2023.xlsm
CELL = "表3 「201 一般公共服务支出」 基本支出"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report of the committed workbook, as 生成报告 writes it (write_report on the workbook's budget)."""
    out = tmp_path_factory.mktemp("report") / REPORT
    write_report(read_workbook(COMMITTED), out)
    return out


def edited(report: Path, out: Path, *, cell: bool = True, sentence: bool = True) -> Path:
    """The report after two hand edits in Word: 表3's 201 基本支出 387.04 → 387.40, and in 三、支出预算情况说明
    the 基本支出 523.52 → 532.52."""
    d = docx.Document(str(report))
    if cell:
        row = next(
            r
            for t in d.tables
            for r in t.rows
            if len(r.cells) == 5 and r.cells[0].text == "201" and r.cells[3].text == "387.04"
        )
        row.cells[3].paragraphs[0].runs[0].text = "387.40"
    if sentence:
        target = next(p for p in d.paragraphs if p.text.startswith("2023年度支出预算916.53万元"))
        assert "基本支出523.52万元" in target.text
        for run in target.runs:
            run.text = run.text.replace("523.52", "532.52")
    d.save(str(out))
    return out


def findings_rows(book: Any) -> list[dict[str, Any]]:
    """The one block written under 校验结果's headings, as {heading: shown value} per row."""
    names = [s.name for s in book.book.sheets]
    writes = [
        a
        for a in actions_of(book)
        if a["func"] == "setValues" and names[a["sheet_position"]] == L.FINDINGS_SHEET
    ]
    assert len(writes) == 1 and (writes[0]["start_row"], writes[0]["start_column"]) == (1, 0)
    return [
        dict(zip(L.FINDINGS_HEADINGS, (shown(v) for v in row), strict=True))
        for row in writes[0]["values"]
        if any(v not in ("", None) for v in row)
    ]


def test_the_report_as_generated_draws_no_error(
    xw: Any,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """生成报告, then 校验Word报告 on what it wrote: no error (the seed's own forms keep 2022年 dates: warnings)."""
    monkeypatch.chdir(tmp_path)  # a remote book knows no folder: beside it is the working folder
    payload = payload_of(COMMITTED, xw.__version__)
    assert dispatch("report", book_of(xw, payload)).startswith(f"已生成报告：{tmp_path / REPORT}")
    book = book_of(xw, payload)
    message = dispatch("wordcheck", book)
    assert message.startswith(f"已校验 Word 报告：{tmp_path / REPORT}\n错误 0 条，警告 2 条"), message
    actions = actions_of(book)
    assert_only_vba_client_actions(actions)
    rows = findings_rows(book)
    assert not [r for r in rows if r["级别"] == "错误"]
    years = [r for r in rows if r["规则"] == "text.year"]
    # the seed's own forms (维稳工作经费-1, 信访工作经费), their 时效指标 row quoted once per cell: the merged
    # 绩效指标 / 产出指标 cells above it are not repeated into it
    assert [r["原文"] for r in years] == [
        "时效指标工作完成时间2022年1月-12月时效指标工作完成时间2022年1月-12月",
        "时效指标工作完成时间2022年1月至12月时效指标工作完成时间2022年1月至12月",
    ]
    assert [a["func"] for a in actions][-1] == "alert"


def test_a_cell_and_a_sentence_changed_in_word_are_found_where_they_are(
    xw: Any,  # noqa: F811
    report: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    path = edited(report, tmp_path / REPORT)
    paragraph = next(p for p in read_document(path).paragraphs if "基本支出532.52万元" in p.text)
    book = book_of(xw, payload_of(COMMITTED, xw.__version__))
    message = dispatch("wordcheck", book)
    assert message.startswith(f"已校验 Word 报告：{path}\n错误 "), message
    assert_only_vba_client_actions(actions_of(book))
    rows = findings_rows(book)
    # the cell: not what the workbook's lines sum to, at its table, row and column, the row quoted
    lines = [r for r in rows if r["规则"] == "cross.tables_match_lines"]
    assert [(r["级别"], r["表"], r["位置"], r["应为"], r["实为"], r["原文"]) for r in lines] == [
        ("错误", "表3", CELL, "387.04", "387.40", "201 一般公共服务支出 780.05 387.40 393.01")
    ]
    assert "按基础数据计算的数 387.04" in lines[0]["说明"]
    # the sentence: at its paragraph, quoted, the figure of 表3 it names as the right one
    amounts = [r for r in rows if r["规则"] == "text.amount"]
    assert [(r["级别"], r["表"], r["应为"], r["实为"]) for r in amounts] == [
        ("错误", "表3", "523.52万元", "532.52万元")
    ]
    assert amounts[0]["位置"] == f"{paragraph.section} · 第{paragraph.index}段"
    assert paragraph.section == "三、支出预算情况说明"
    assert "基本支出532.52万元" in amounts[0]["原文"] and amounts[0]["原文"] in paragraph.text
    # nothing is linked or marked in the workbook: these places are in the report
    assert not [a for a in actions_of(book) if a["func"] == "setRangeColor"]


def test_on_the_workbook_file_the_findings_stay_in_its_sheet(report: Path, tmp_path: Path) -> None:
    path = tmp_path / "Budget2023.xlsm"
    shutil.copyfile(COMMITTED, path)
    edited(report, tmp_path / REPORT, sentence=False)
    book = FileBook(path)
    ok, message = run_button("wordcheck", book)
    assert ok and message.startswith(f"已校验 Word 报告：{tmp_path / REPORT}"), message
    book.save()
    ws = openpyxl.load_workbook(path)[L.FINDINGS_SHEET]
    assert [c.value for c in ws[1]] == list(L.FINDINGS_HEADINGS)
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    at_cell = [r for r in rows if r[0] == "cross.tables_match_lines"]
    assert [(r[3], r[7]) for r in at_cell] == [(CELL, "201 一般公共服务支出 780.05 387.40 393.01")]


def test_which_report_is_checked(tmp_path: Path) -> None:
    """The one 生成报告 wrote, else the only .docx beside the workbook; none, or several of other names: a
    message saying what to do. Word's owner file (~$…) is no report."""
    path = tmp_path / "Budget2023.xlsm"
    shutil.copyfile(COMMITTED, path)
    book = FileBook(path)
    ok, message = run_button("wordcheck", book)
    assert not ok and message.startswith("无法校验Word报告：") and "没有 Word 报告（.docx）" in message
    assert "生成报告（Word）" in message and "Traceback" not in message
    (tmp_path / "~$dget2023_预算公开报告.docx").write_bytes(b"owner")
    (tmp_path / "改过的报告.DOCX").write_bytes(b"")
    assert report_beside(book) == tmp_path / "改过的报告.DOCX"
    (tmp_path / "另一份.docx").write_bytes(b"")
    ok, message = run_button("wordcheck", book)
    assert not ok and "工作簿旁边有 2 个 Word 文档（另一份.docx、改过的报告.DOCX）" in message, message
    assert f"请把要校验的报告命名为“{REPORT}”" in message
    (tmp_path / REPORT).write_bytes(b"")
    assert report_beside(book) == tmp_path / REPORT


def test_a_report_that_cannot_be_read_is_a_message_and_nothing_is_written(
    xw: Any,  # noqa: F811
    report: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / REPORT).write_bytes(report.read_bytes()[:3000])  # cut off, as by a copy that broke
    book = book_of(xw, payload_of(COMMITTED, xw.__version__))
    message = dispatch("wordcheck", book)
    assert message.startswith("无法校验Word报告：") and str(tmp_path / REPORT) in message, message
    assert "无法打开这个 Word 文档" in message and "Traceback" not in message
    assert [a["func"] for a in actions_of(book)] == ["alert"]


def test_the_report_of_another_unit_is_said_so_and_its_figures_not_compared(
    xw: Any,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    other = read_unit_json(ROOT / "tests" / "units" / "yanggao-test-2024.json")
    write_report(other, tmp_path / REPORT)
    book = book_of(xw, payload_of(COMMITTED, xw.__version__))
    dispatch("wordcheck", book)
    rows = findings_rows(book)
    first = rows[0]
    assert (first["规则"], first["级别"]) == ("document.other_unit", "错误")
    assert first["应为"] == "大同市信访局2023年" and first["实为"] == f"{other.unit.name}2024年"
    assert not [r for r in rows if r["规则"] == "cross.tables_match_lines"]


def test_a_workbook_made_before_the_quote_column_gets_its_heading(report: Path, tmp_path: Path) -> None:
    """校验结果 of an older workbook has seven headings (no 原文): the first check that writes it adds the eighth."""
    path = tmp_path / "Budget2023.xlsm"
    shutil.copyfile(COMMITTED, path)
    shutil.copyfile(report, tmp_path / REPORT)
    old = FileBook(path)
    old.write(L.FINDINGS_SHEET, (1, 8), [[None]])
    old.save()
    assert openpyxl.load_workbook(path)[L.FINDINGS_SHEET]["H1"].value is None
    book = FileBook(path)
    assert run_button("wordcheck", book)[0]
    book.save()
    ws = openpyxl.load_workbook(path)[L.FINDINGS_SHEET]
    assert [c.value for c in ws[1]] == list(L.FINDINGS_HEADINGS) and ws["H1"].value == "原文"
