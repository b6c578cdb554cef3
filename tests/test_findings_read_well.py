"""What a reviewer reads: where a finding is (as data, and as text), and text that says what to fix.

Each test names the reading it guards against, as the issue quotes it."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import GOLDEN_TABLES, SEED_JSON

from xlbudget.batch.pool import BatchOptions, run_batch
from xlbudget.check import check_budget, check_tables, findings_to_json, format_text
from xlbudget.check.findings import Finding
from xlbudget.document import read_document
from xlbudget.document.checking import check_document
from xlbudget.io.tables_json import tables_from_dict
from xlbudget.io.unit_json import read_unit_json
from xlbudget.location import Location
from xlbudget.workbook.book import Link
from xlbudget.workbook.findings_sheet import finding_row
from xlbudget.workbook.reader import read_workbook, read_workbook_tables

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
COMMITTED = ROOT / "workbook" / "Budget2023.xlsm"
SEED_TXT = SHARED / "seed" / "datong-xinfang-2023-budget-disclosure.txt"
FINANCE_BUREAU = SHARED / "real" / "shanghai-finance-bureau-2025-unit-budget.pdf"


def golden() -> dict[str, Any]:
    return json.loads(GOLDEN_TABLES.read_text("utf-8"))


# -- the location as data ----------------------------------------------------------------------


def test_a_location_renders_in_one_place() -> None:
    assert str(Location.cell("表6", 12, 4)) == "表6!D12"
    assert str(Location.path("basic[3]").field("amount")) == "basic[3].amount"
    assert str(Location.path("overview.duties").item(2)) == "overview.duties[2]"
    row = Location(table="表3", row="71102 事业单位医疗", column="支出预算/合计", page=9)
    assert str(row) == "表3 「71102 事业单位医疗」 支出预算/合计"  # the page is not part of the text …
    assert row.text() == "第9页 · 表3 「71102 事业单位医疗」 支出预算/合计"  # … but leads it for a reader
    para = Location(page=3, paragraph=12, section="二、收支预算总体情况")
    assert str(para) == "二、收支预算总体情况 · 第12段"
    assert para.to_json() == {"page": 3, "paragraph": 12, "section": "二、收支预算总体情况"}
    assert str(Location.path("basic[1].function").in_file("服务站.json")) == "服务站.json basic[1].function"


def test_json_findings_keep_location_as_text_and_add_where() -> None:
    doc = golden()
    doc["tables"]["3"]["rows"]["合计"] = ["917.53", "523.52", "393.01"]
    [total] = [
        f
        for f in findings_to_json(check_tables(tables_from_dict(doc)))
        if f["rule"] == "table.total_basic_project"
    ]
    assert total["location"] == "tables.3.rows.合计[0]"
    assert total["where"] == {"json_path": "tables.3.rows.合计[0]"}


# -- "应为：—　实为：项目名" ------------------------------------------------------------------------


def test_no_dash_against_a_name() -> None:
    """performance.form_missing has no expected figure and names the project as found: the text says
    nothing more than its message, not "应为：—　实为：J网络使用维护费"."""
    findings = check_budget(read_unit_json(SEED_JSON))
    missing = [f for f in findings if f.rule == "performance.form_missing"]
    assert missing and missing[0].expected is None and missing[0].actual
    text = format_text(findings)
    assert "应为：—" not in text and "实为：—" not in text
    assert f"实为：{missing[0].actual}" not in text
    # a figure the message does not say is still shown, alone
    lone = Finding("x.y", "warning", None, Location.path("year"), "没有可用的科目目录", None, "2099")
    assert "     实为：2099\n" in format_text([lone])


# -- "30217 30217 公务接待费" ------------------------------------------------------------------------


def test_a_row_is_named_with_its_code_once() -> None:
    """表6 carries 30217 公务接待费 that 表10 does not: the message names the row "30217 公务接待费"."""
    doc = golden()
    t6 = doc["tables"]["6"]
    t6["rows"]["30217"] = ["1.00", "", "1.00"]
    t6.setdefault("row_names", {})["30217"] = "公务接待费"
    [found] = [f for f in check_tables(tables_from_dict(doc)) if f.rule == "cross.t10_vs_t6"]
    assert "30217 公务接待费 的 1.00 万元" in found.message
    assert "30217 30217" not in found.message


# -- 《0年…》 -------------------------------------------------------------------------------------


def test_tables_without_a_year_say_so() -> None:
    doc = golden()
    del doc["year"]
    del doc["tables"]["9"]
    findings = check_tables(tables_from_dict(doc))
    text = format_text(findings)
    assert "0年" not in text
    assert "缺少预算公开表9《国有资本经营预算收支预算表（不含上年结转）》" in text
    assert "报表数据没有写预算年度（year）" in text


# -- 校验结果 for a document's finding -----------------------------------------------------------


def test_findings_sheet_shows_a_documents_page_paragraph_and_quote() -> None:
    sheets = ["表3", "校验结果"]
    para = Finding(
        "text.amount",
        "error",
        6,
        Location(page=16, paragraph=59, section="六、一般公共预算基本支出情况说明"),
        "文字中公用经费为 58.46 万元，预算公开表6 合计 公用经费为 58.64 万元",
        "58.64万元",
        "58.46万元",
        quote="公用经费58.46万元。",
    )
    row = finding_row(para, sheets)
    assert row[3] == "第16页 · 六、一般公共预算基本支出情况说明 · 第59段"  # text, not a link
    assert row[4] == para.message and row[7] == "公用经费58.46万元。"  # the 原文 column quotes it
    cell = finding_row(Finding("table.x", "error", 3, Location.cell("表3", 7, 3), "m"), sheets)
    assert isinstance(cell[3], Link) and cell[3].target == "#'表3'!C7"


# -- one hand edit of 表3 --------------------------------------------------------------------------


@pytest.mark.slow
def test_one_hand_edit_is_found_at_the_edited_cell(tmp_path: Path) -> None:
    """表3!C7 (201 合计, 780.05) typed over as 999.99: 表1 and 表2 still agree with the lines. No error tells
    the officer to change a cell that is right; the first says to make 表3!C7 780.05 again."""
    path = tmp_path / "edited.xlsm"
    shutil.copy(COMMITTED, path)
    wb = openpyxl.load_workbook(path, keep_vba=True)
    assert wb["表3"]["C7"].value == pytest.approx(780.05)
    wb["表3"]["C7"] = 999.99
    wb.save(path)
    findings = check_budget(read_workbook(path), read_workbook_tables(path))
    errors = [f for f in findings if f.severity == "error"]
    assert errors and {str(f.location) for f in errors} == {"表3!C7"}
    assert all((f.expected, f.actual) == ("780.05", "999.99") for f in errors)
    assert str(errors[0].location) == "表3!C7" and errors[0].expected == "780.05"
    [t1] = [f for f in errors if f.rule == "cross.t1_t2_t3" and "表1" in f.message.split("与")[0]]
    assert "表1!D6 的 780.05 无误，要改的是 表3!C7：999.99 应为 780.05" in t1.message


@pytest.mark.slow
def test_an_income_line_is_not_named_by_an_expenditure_column(tmp_path: Path) -> None:
    """表1's 一般公共预算 收入 (B6) typed over: the message names the income line, not the expenditure side's
    “合计” column (a column is named by the heading printed over it); every error points at B6."""
    path = tmp_path / "edited.xlsm"
    shutil.copy(COMMITTED, path)
    wb = openpyxl.load_workbook(path, keep_vba=True)
    assert wb["表1"]["B6"].value == pytest.approx(916.53)
    wb["表1"]["B6"] = 917.53
    wb.save(path)
    findings = check_budget(read_workbook(path), read_workbook_tables(path))
    errors = [f for f in findings if f.severity == "error"]
    assert {str(f.location) for f in errors} == {"表1!B6"}
    [lines] = [f for f in errors if f.rule == "cross.tables_match_lines"]
    assert lines.message.startswith("预算公开表1 一般公共预算 917.53 与按基础数据计算的数 916.53 不一致")


# -- documents: one finding per defect, and batch keeps the quote ----------------------------------


@pytest.mark.slow
def test_an_empty_table_without_its_note_is_one_finding() -> None:
    """The 上海市财政局's 表6 and 表7 are empty and print no note: one finding each, not two."""
    findings = check_document(read_document(FINANCE_BUREAU))
    about_notes = [f for f in findings if f.rule in ("completeness.empty_marked", "text.empty_note")]
    assert sorted(f.table for f in about_notes) == [6, 7]  # one each, whichever rule says it
    assert all(f.page is not None for f in about_notes)


@pytest.mark.slow
def test_batch_over_documents_keeps_each_findings_quote(tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copy(SEED_TXT, inbox / SEED_TXT.name)
    run_batch(inbox, tmp_path / "out", BatchOptions(jobs=1))
    with (tmp_path / "out" / "findings.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    [percent] = [r for r in rows if r["规则"] == "text.percent_precision"]
    assert percent["原文"].startswith("2023年，大同市信访局机关运行经费财政拨款预算58.64万元")
    assert percent["位置"] == "八、机关运行经费增减变动原因说明 · 第39段"
    checked = check_document(read_document(SEED_TXT))
    assert sum(1 for r in rows if r["原文"]) == sum(1 for f in checked if f.quote)
