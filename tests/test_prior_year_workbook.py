"""The new-user trial's workbooks: what last year's figures and this year's typing get wrong, found at the cell.

上海 (putuo-welfare-2024.json made a workbook): 单位信息!B16 上年一般公共预算当年拨款 9,496,564 元; 支出说明 row 2
2081005; 上年数 only 2081005 7,113,400 and 2080502 546,000 = 7,659,400 元, 1,837,164 short (19%).
山西 (the committed 2023 workbook rolled to 2024): 上年数 rows 2–7 are 2023's 项 — 2010308 7,800,460, 2080501 116,495,
2080505 500,010 (基本支出!F6, its one line), 2101101 183,905 (基本支出 row 7, its one line), 2210201 516,205,
2210202 48,195 — 9,165,270 together, as 上年一般公共预算当年拨款.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT, SHARED
from xlbudget.check import check_budget
from xlbudget.check.findings import Finding
from xlbudget.cli import main
from xlbudget.document import read_document
from xlbudget.document.checking import check_document
from xlbudget.report.text import docx_text
from xlbudget.workbook.book_openpyxl import FileBook
from xlbudget.workbook.reader import read_workbook

pytestmark = pytest.mark.slow

PUTUO_JSON = SHARED / "fixtures" / "putuo-welfare-2024.json"
COMMITTED = ROOT / "workbook" / "Budget2023.xlsm"


def _write(path: Path, cells: dict[tuple[str, int, int], object]) -> None:
    book = FileBook(path)
    for (sheet, row, col), value in cells.items():
        book.write(sheet, (row, col), [[value]])
    book.save()


def _found(path: Path, rule: str) -> list[Finding]:
    return [f for f in check_budget(read_workbook(path)) if f.rule == rule]


@pytest.fixture(scope="module")
def shanghai(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sh") / "SH.xlsm"
    assert main(["new", "--from", str(PUTUO_JSON), "-o", str(path)]) == 0
    _write(
        path,
        {
            ("支出说明", 2, 1): "2081005",
            ("支出说明", 2, 3): "人员经费及公用经费",
            ("支出说明", 2, 4): "根据实际支出",
            ("上年数", 2, 1): "2081005",
            ("上年数", 2, 3): 7_113_400,
            ("上年数", 3, 1): "2080502",
            ("上年数", 3, 3): 546_000,
        },
    )
    return path


@pytest.fixture(scope="module")
def shanxi(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sx") / "B.xlsm"
    assert main(["new", "--from", str(COMMITTED), "--year", "2024", "-o", str(path)]) == 0
    return path


def _copy(path: Path, tmp_path: Path) -> Path:
    out = tmp_path / path.name
    shutil.copy(path, out)
    return out


def test_shanghai_items_short_of_the_total_stop_the_report(shanghai: Path, tmp_path: Path) -> None:
    [f] = _found(shanghai, "year.prior_functions_total")
    assert (f.severity, str(f.location), [str(a) for a in f.against]) == (
        "error",
        "上年数!A4",
        ["单位信息!B16"],
    )
    assert f.message.startswith(
        "上年数各项合计 7,659,400 元，与上年一般公共预算当年拨款 9,496,564 元（单位信息!B16）少 1,837,164 元"
    )
    assert main(["report", str(shanghai), "-o", str(tmp_path / "r.docx")]) == 1
    assert not (tmp_path / "r.docx").exists()


def test_shanghai_a_missing_reason_is_located_at_the_row_to_type_it(shanghai: Path) -> None:
    """The 项 owing a reason without a 支出说明 row, in table order, each at the next empty row from row 3."""
    found = _found(shanghai, "narrative.function_item_reason")
    assert [(f.message.split("（")[0], str(f.location)) for f in found] == [
        ("财政拨款支出主要内容 2080505", "支出说明!A3"),
        ("财政拨款支出主要内容 2080506", "支出说明!A4"),
        ("财政拨款支出主要内容 2080599", "支出说明!A5"),
        ("财政拨款支出主要内容 2101102", "支出说明!A6"),
        ("财政拨款支出主要内容 2210201", "支出说明!A7"),
    ]
    assert "请在支出说明第3行填写编码 2080505 和变动原因" in found[0].message


def test_shanghai_every_item_given_the_report_compares_each(shanghai: Path, tmp_path: Path) -> None:
    """The other five 项 added: 7,659,400 + 760,000 + 380,000 + 7,000 + 500,000 + 190,164 = 9,496,564, the total.
    2080505: 767,579 against 760,000 is +7,579, +0.997% → 增加1.00%."""
    path = _copy(shanghai, tmp_path)
    rows = [("2080505", 760_000), ("2080506", 380_000), ("2080599", 7_000), ("2101102", 500_000)]
    rows += [("2210201", 190_164)]
    cells: dict[tuple[str, int, int], object] = {}
    for i, (code, amount) in enumerate(rows, start=4):
        cells[("上年数", i, 1)] = code
        cells[("上年数", i, 3)] = amount
    _write(path, cells)
    assert _found(path, "year.prior_functions_total") == []
    out = tmp_path / "r.docx"
    assert main(["report", str(path), "-o", str(out)]) == 0
    text = docx_text(out)
    assert "2023年当年预算执行数为76.00万元，2024年预算安排76.76万元，比2023年预算执行数增加1.00%" in text
    assert "执行数为0.00万元" not in text


def test_shanxi_a_deleted_row_of_the_items_is_found_too(shanxi: Path, tmp_path: Path) -> None:
    """上年数 row 5 (2101101 183,905) cleared: 8,981,365 of 9,165,270, 2.0% short — an error at row 8."""
    path = _copy(shanxi, tmp_path)
    _write(path, {("上年数", 5, 1): "", ("上年数", 5, 3): ""})
    [f] = _found(path, "year.prior_functions_total")
    assert (f.severity, str(f.location)) == ("error", "上年数!A8")
    assert "上年数各项合计 8,981,365 元，与上年一般公共预算当年拨款 9,165,270 元" in f.message
    assert _found(shanxi, "year.prior_functions_total") == []  # as rolled over: they agree


def test_shanxi_an_amount_typed_in_wan(shanxi: Path, tmp_path: Path) -> None:
    path = _copy(shanxi, tmp_path)
    _write(path, {("基本支出", 6, 6): 50})
    assert main(["fill", str(path)]) == 0
    [f] = _found(path, "lines.looks_like_wan")
    assert (f.severity, str(f.location)) == ("warning", "基本支出!F6")
    assert f.message == (
        "金额 50 元像是按万元填写的（50 万元 = 500,000 元）；2080505 上年为 500,010 元，本年只有 50 元："
        "金额以元为单位，是否应为 500,000"
    )
    assert _found(shanxi, "lines.looks_like_wan") == []


def test_shanxi_a_deleted_line_whose_item_disappears(shanxi: Path, tmp_path: Path) -> None:
    path = _copy(shanxi, tmp_path)
    _write(path, {("基本支出", 7, c): "" for c in range(1, 9)})
    [f] = _found(path, "year.function_dropped")
    assert (f.severity, str(f.location)) == ("warning", "上年数!A5")
    assert f.message.startswith("2101101 上年有此项（183,905 元），本年没有：是否漏填")
    assert _found(shanxi, "year.function_dropped") == []


def test_last_years_year_in_the_workbooks_texts_as_in_its_report(shanxi: Path, tmp_path: Path) -> None:
    path = _copy(shanxi, tmp_path)
    catalog = "2023年大同市信访局暂无政府购买服务项目，故没有制定本部门的政府购买服务指导性目录。"
    _write(
        path,
        {
            ("单位信息", 34, 2): catalog,
            ("单位信息", 36, 2): "2022年12月31日",
            ("单位信息", 26, 2): "2023年人员变动，社会保险基数增加，导致人员经费增加。",
            ("单位信息", 28, 2): "比2023年工会经费、福利费增加。",  # a comparison: fine
        },
    )
    found = {str(f.location): f.message for f in _found(path, "narrative.year_mentions")}
    said = "文字中出现2023年（预算年度2024年；上年只应在与上年比较时出现），是否沿用了旧年度的说明"
    assert found == {
        "单位信息!B26": f"{said}：2023年人员变动，社会保险基数增…",  # 12 characters past the year
        "单位信息!B34": f"{said}：2023年大同市信访局暂无政府购买…",
        "单位信息!B36": "文字中出现2022年（预算年度2024年；其他年度只应在与上年比较时出现），是否沿用了旧年度的说明："
        "2022年12月31日",
    }
    out = tmp_path / "r.docx"
    assert main(["report", str(path), "-o", str(out), "--force"]) == 0
    printed = [f for f in check_document(read_document(out)) if f.rule == "text.year" and f.quote == catalog]
    assert [f.message for f in printed] == [said]  # the same words, of the sentence the report prints
