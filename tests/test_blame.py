"""`check` names the figure that is off, never the one that is right (a new-user trial's four cases).

On real files: the committed workbook (the seed, 大同市信访局 2023) edited as a user would — a cell typed
over, a row deleted, a wrong code typed in an input sheet, then 计算 (`xlbudget fill`) — and the Word report
`xlbudget report` writes from it, edited with python-docx.  The seed's figures, by hand:
收入总计 = 本年收入合计 = 一般公共预算 916.53; 表2/表3 2101101 行政单位医疗 18.39; 表3 2010308 信访事务
合计 780.05 = 基本支出 387.04 + 项目支出 393.01, and 20103 prints the same (its only 项); 一般公共预算当年拨款
916.53 against 上年 812.03: +104.50, 104.50 / 812.03 = 12.869% → 12.87%.
"""

from __future__ import annotations

import json
import shutil
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import docx
import openpyxl
import pytest

from xlbudget.check import check_budget, format_text
from xlbudget.check.blame import UNDECIDED
from xlbudget.check.findings import Finding
from xlbudget.cli import main
from xlbudget.document import read_document
from xlbudget.document.checking import check_against_budget, check_document
from xlbudget.io.load import read_budget
from xlbudget.io.unit_json import read_unit_json
from xlbudget.workbook.reader import read_workbook, read_workbook_tables

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "workbook" / "Budget2023.xlsm"
SEED_JSON = ROOT.parent / "shared" / "fixtures" / "datong-xinfang-2023.json"

pytestmark = pytest.mark.slow


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


def places(findings: list[Finding]) -> set[str]:
    return {str(f.location) for f in errors(findings)}


def edited(tmp_path: Path, name: str, edit, fill: bool = False) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path / name
    shutil.copy(COMMITTED, path)
    wb = openpyxl.load_workbook(path, keep_vba=True)
    edit(wb)
    wb.save(path)
    if fill:
        assert main(["fill", str(path), "--no-backup"]) == 0
    return path


def check_workbook(path: Path) -> list[Finding]:
    return check_budget(read_workbook(path), read_workbook_tables(path))


# -- 1. a total of 表1 typed over ---------------------------------------------------------------


def test_a_typed_over_income_total_is_the_one_blamed(tmp_path: Path) -> None:
    """表1!B36 本年收入合计 typed as 924.00: 收入总计 (B38) 916.53 ≠ 924.00 + 上年结转 is B36's fault, not B38's."""

    def edit(wb: openpyxl.Workbook) -> None:
        ws = wb["表1"]
        assert (ws["A36"].value, ws["B36"].value, ws["A38"].value) == ("本年收入合计", 916.53, "收入总计")
        ws["B36"] = 924.00

    findings = check_workbook(edited(tmp_path, "b36.xlsm", edit))
    assert places(findings) == {"表1!B36"}  # nothing tells the user to change B38
    assert all((f.expected, f.actual) == ("916.53", "924.00") for f in errors(findings))
    [total] = [f for f in errors(findings) if "收入总计" in f.message]
    assert total.message.endswith("按基础数据，表1!B38 的 916.53 无误，要改的是 表1!B36：924.00 应为 916.53")


def test_a_typed_over_expenditure_total_is_the_one_blamed(tmp_path: Path) -> None:
    """表1!D36 本年支出合计 (合计 column) typed as 924.00: 支出总计 D38 is right."""

    def edit(wb: openpyxl.Workbook) -> None:
        ws = wb["表1"]
        assert (ws["C36"].value, ws["D36"].value) == ("本年支出合计", 916.53)
        ws["D36"] = 924.00

    findings = check_workbook(edited(tmp_path, "d36.xlsm", edit))
    assert places(findings) == {"表1!D36"}
    assert all(f.expected == "916.53" for f in errors(findings))


def test_a_typed_over_grand_total_is_blamed_not_the_balance(tmp_path: Path) -> None:
    """表1!B38 收入总计 typed as 924.00: 收支不平衡 goes to B38, not to the right 支出总计 D38."""

    def edit(wb: openpyxl.Workbook) -> None:
        wb["表1"]["B38"] = 924.00

    findings = check_workbook(edited(tmp_path, "b38.xlsm", edit))
    assert places(findings) == {"表1!B38"}
    [balance] = [f for f in errors(findings) if f.rule == "table.balance_totals"]
    assert "表1!D38 的 916.53 无误，要改的是 表1!B38：924.00 应为 916.53" in balance.message


# -- 2. a row deleted from a 表 sheet -----------------------------------------------------------


def test_a_deleted_row_is_the_error_not_the_other_table(tmp_path: Path) -> None:
    def edit(wb: openpyxl.Workbook) -> None:
        ws = wb["表2"]
        assert (ws["A16"].value, ws["C16"].value) == ("2101101", 18.39)
        ws.delete_rows(16)

    findings = check_workbook(edited(tmp_path, "deleted.xlsm", edit))
    assert not any(f.location.sheet == "表3" or f.location.table.endswith("表3") for f in errors(findings))
    assert places(findings) == {"预算公开表2 「2101101 行政单位医疗」"}
    assert not [
        f for f in errors(findings) if f.rule == "catalogue.code_depth"
    ]  # 21011 lost its 项: the same row
    [cross] = [f for f in errors(findings) if f.rule == "cross.t1_t2_t3"]
    assert cross.message.startswith("表3 2101101 合计 18.39 与表2 2101101 合计 0.00 不一致")
    assert cross.message.endswith(
        "按基础数据，表3!C16 的 18.39 无误，要改的是 预算公开表2：缺少 2101101 行政单位医疗 行，按基础数据应为 18.39"
    )
    assert cross.expected == "18.39" and cross.table == 2
    text = format_text(findings)
    assert "应为：0.00" not in text


# -- 3. a wrong code typed in an input sheet --------------------------------------------------------


@pytest.mark.parametrize(("sheet", "cell"), [("基本支出", "A5"), ("项目支出", "B2")])
def test_an_unknown_code_is_found_where_it_was_typed(tmp_path: Path, sheet: str, cell: str) -> None:
    """2010380 (not a 2023 code) typed over a 2010308 line, then 计算: the tables print it under 20103 (row 10 of
    表2, 表3 and 表5, after 2010308 in row 9); the error is at the input cell, and says where it prints."""

    def edit(wb: openpyxl.Workbook) -> None:
        assert wb[sheet][cell].value == "2010308"
        wb[sheet][cell] = "2010380"

    findings = check_workbook(edited(tmp_path, "code.xlsm", edit, fill=True))
    codes = [f for f in errors(findings) if f.rule == "catalogue.unknown_code"]
    assert [str(f.location) for f in codes] == [f"{sheet}!{cell}"]
    assert codes[0].message.startswith("支出功能分类编码 2010380 不在2023年科目表中")
    assert codes[0].message.endswith("；各表按它计算，印在 表2!C10、表3!C10、表5!C10")
    assert errors(findings)[0] is codes[0]


def test_an_unknown_economic_code_is_found_where_it_was_typed_and_nothing_else(tmp_path: Path) -> None:
    """30188 (no such 款) typed for 基本支出!C5's 30103 奖金: 表6 prints its rows by name and 30188 has none, so its
    62.54 sits in 301 without a row — the code is the one error, not 301's sum nor a row 表6 “lacks”."""

    def edit(wb: openpyxl.Workbook) -> None:
        assert wb["基本支出"]["C5"].value == "30103"
        wb["基本支出"]["C5"] = "30188"

    findings = check_workbook(edited(tmp_path, "economic.xlsm", edit, fill=True))
    [only] = errors(findings)
    assert (only.rule, str(only.location)) == ("catalogue.unknown_code", "基本支出!C5")
    assert only.message.startswith("部门预算支出经济分类编码 30188 不在2023年科目表中")


def test_a_code_short_of_a_xiang_is_found_where_it_was_typed_and_nothing_else(tmp_path: Path) -> None:
    """20103 (a 款) typed for a 基本支出 line's 2010308: the tables print its money on the 20103 row, which then
    exceeds its 2010308 — the code is the error, at 基本支出!A5; no sum of 20103 is called wrong."""

    def edit(wb: openpyxl.Workbook) -> None:
        wb["基本支出"]["A5"] = "20103"

    findings = check_workbook(edited(tmp_path, "short.xlsm", edit, fill=True))
    [only] = errors(findings)
    assert (only.rule, str(only.location), only.message) == (
        "catalogue.code_depth",
        "基本支出!A5",
        "支出功能分类应列到项（7位），20103 只到款",
    )


def test_in_a_unit_json_the_code_is_at_its_json_path(tmp_path: Path) -> None:
    unit = json.loads(SEED_JSON.read_text("utf-8"))
    assert unit["basic"][3]["function"] == "2010308" and unit["projects"][0]["function"] == "2010308"
    unit["basic"][3]["function"] = "2010380"
    unit["projects"][0]["function"] = "20103"
    path = tmp_path / "unit.json"
    path.write_text(json.dumps(unit, ensure_ascii=False), "utf-8")
    found = errors(check_budget(read_unit_json(path)))
    assert [(f.rule, str(f.location)) for f in found] == [
        ("catalogue.unknown_code", "basic[3].function"),
        ("catalogue.code_depth", "projects[0].function"),
    ]


# -- 4. a published Word report ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "r.docx"
    assert main(["report", str(COMMITTED), "-o", str(path)]) == 0
    return path


def _edit_text(src: Path, dst: Path, lead: str, old: str, new: str) -> None:
    d = docx.Document(str(src))
    [para] = [p for p in d.paragraphs if p.text.startswith(lead)]
    run = next(r for r in para.runs if old in r.text)
    run.text = run.text.replace(old, new, 1)
    d.save(str(dst))


def _edit_cell(src: Path, dst: Path, table: int, row: int, col: int, was: str, new: str) -> None:
    d = docx.Document(str(src))
    cell = d.tables[table].rows[row].cells[col]
    assert cell.text == was
    runs = cell.paragraphs[0].runs
    runs[0].text = new
    for r in runs[1:]:
        r.text = ""
    d.save(str(dst))


def test_a_misprinted_change_is_the_amount_when_the_text_says_last_years_figure(
    report: Path, tmp_path: Path
) -> None:
    """情况说明: 收入总计 916.53 “比上年增加104.50万元，增加12.87%”, and so 支出总计 beside it.  The first 104.50
    typed as 105.40: its 12.87% is right — 支出总计 (the same figure of a balanced budget, last year too) says
    上年 916.53 − 104.50 = 812.03 — and the amount is off."""
    path = tmp_path / "a.docx"
    _edit_text(report, path, "2023年度预算收入总计916.53万元，其中：本年收入", "104.50", "105.40")
    found = [f for f in check_document(read_document(path)) if f.rule == "text.change"]
    [f] = found
    assert (f.expected, f.actual) == ("104.50万元", "105.40万元")
    assert f.message.startswith(
        "916.53万元比上年 812.03万元（按同段支出总计“比上年增加104.50万元，增加12.87%”推算）增加 104.50 万元，"
        "文字写 105.40 万元"
    )
    assert "变动率应为" not in format_text(found)


def test_a_misprinted_change_nothing_decides_names_no_right_figure(report: Path, tmp_path: Path) -> None:
    """一般公共预算当年拨款 916.53 “比上年增加104.50万元，增加12.87%” typed 105.40: the report prints no 上年 for
    it.  By the amount 上年 = 916.53 − 105.40 = 811.13 and 105.40 / 811.13 = 12.994% → 12.99%; by the rate 上年 =
    916.53 / 1.1287 = 812.0227, so the amount is 104.5073 → 104.51.  Either may be the misprint: no 应为."""
    path = tmp_path / "a2.docx"
    _edit_text(report, path, "2023年度一般公共预算当年拨款916.53万元，比上年", "104.50", "105.40")
    [f] = [f for f in check_document(read_document(path)) if f.rule == "text.change"]
    assert f.expected is None
    assert f.message.startswith(
        "增减额 105.40万元 与变动率 12.87% 不相符：按增减额，上年为 811.13万元、变动率应为 12.99%；"
        "按变动率，增减额约为 104.51 万元。文中没有上年数"
    )
    assert (Decimal("916.53") - Decimal("916.53") / Decimal("1.1287")).quantize(
        Decimal("0.01"), ROUND_HALF_UP
    ) == Decimal("104.51")
    # beside the workbook (校验Word报告) its 上年数 812.03 decides it: the amount is off
    [f] = [
        f
        for f in check_against_budget(read_document(path), read_budget(COMMITTED))
        if f.rule == "text.change"
    ]
    assert (f.expected, f.actual) == ("104.50万元", "105.40万元")
    assert f.message.startswith(
        "916.53万元比上年 812.03万元（工作簿上年数）增加 104.50 万元，文字写 105.40 万元"
    )


def test_a_misprinted_row_of_a_table_is_blamed_not_its_parent(report: Path, tmp_path: Path) -> None:
    """表3 (the report's third table) 2010308 信访事务 基本支出 387.04 typed 388.04: 20103's 387.04 ≠ 388.04 and
    2010308's 合计 780.05 ≠ 388.04 + 393.01 — 388.04 → 387.04 makes both hold, and no other one figure does."""
    path = tmp_path / "b.docx"
    _edit_cell(report, path, 2, 5, 3, "387.04", "388.04")
    doc = read_document(path)
    for found in (check_document(doc), check_against_budget(doc, read_budget(COMMITTED))):
        wrong = errors(found)
        assert places(wrong) == {"表3 「2010308 信访事务」 基本支出"}
        assert all((f.expected, f.actual) == ("387.04", "388.04") for f in wrong)
        assert all(f.quote == "2010308 信访事务 780.05 388.04 393.01" for f in wrong)
        [parent] = [f for f in wrong if f.rule == "table.class_equals_items"]
        assert "表3 「20103 政府办公厅（室）及相关机构事务」 基本支出 的 387.04 无误" in parent.message


def test_where_nothing_decides_no_figure_is_named_right(report: Path, tmp_path: Path) -> None:
    """表3 2010308 typed 388.04 (基本支出) and 781.05 (合计), so the row adds up: 20103's 基本支出 387.04 against
    its one 项's 388.04 is one relation alone — either may be misprinted, no 应为.  Its 合计 780.05 against 781.05
    is decided by 表2 2010308 780.05 (the same money): 781.05 is off."""
    first, path = tmp_path / "c1.docx", tmp_path / "c.docx"
    _edit_cell(report, first, 2, 5, 3, "387.04", "388.04")
    _edit_cell(first, path, 2, 5, 2, "780.05", "781.05")
    wrong = errors(check_document(read_document(path)))
    [basic] = [f for f in wrong if f.rule == "table.class_equals_items" and "基本支出列" in f.message]
    assert str(basic.location) == "表3 「20103 政府办公厅（室）及相关机构事务」 基本支出"
    assert basic.expected is None and basic.message.endswith(UNDECIDED)
    assert "应为：" not in format_text([basic])
    rest = [f for f in wrong if f is not basic]
    assert rest and places(rest) == {"表3 「2010308 信访事务」 合计"}
    assert all((f.expected, f.actual) == ("780.05", "781.05") for f in rest)
