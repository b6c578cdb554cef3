"""Reading workbooks back: the budget from the input sheets, the printed tables from 表1…表13, bad input.

Every workbook here is a real file built by ``xlbudget new`` (and, for bad input,
changed with openpyxl the way a person would change it in Excel).
"""

from __future__ import annotations

import json
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.conftest import ROOT, SEED_JSON, unit_dict
from xlbudget.cli import main
from xlbudget.errors import InputError
from xlbudget.io.tables_json import compare, tables_to_dict
from xlbudget.io.unit_json import budget_from_dict, budget_to_dict
from xlbudget.tables import build_tables
from xlbudget.workbook import layout as L
from xlbudget.workbook.reader import read_workbook, read_workbook_tables

COMMITTED = ROOT / "workbook" / "Budget2023.xlsm"


def _export(path: Path, out: Path) -> dict[str, Any]:
    assert main(["export", str(path), "-o", str(out)]) == 0
    return json.loads(out.read_text("utf-8"))


# -- the committed workbook ----------------------------------------------------------


def test_committed_workbook_reads_as_the_fixture(seed_dict: dict[str, Any]) -> None:
    budget = read_workbook(COMMITTED)
    assert budget_to_dict(budget) == budget_to_dict(budget_from_dict(seed_dict))
    first = budget.basic[0]
    assert str(first.source.where) == "基本支出!A2"
    assert str(first.source.at("amount")) == "基本支出!F2"
    assert str(first.source.at("fund")) == "基本支出!E2"
    assert str(budget.projects[4].source.at("amount")) == "项目支出!E6"
    assert str(budget.unit.source.at("name")) == "单位信息!B2"
    assert str(budget.performance_targets[0].indicators[0].source.at("name")).startswith("绩效指标!D")


def test_export_of_committed_workbook_equals_golden(tmp_path: Path, golden_tables: dict[str, Any]) -> None:
    assert compare(_export(COMMITTED, tmp_path / "t.json"), golden_tables) == []


def test_printed_tables_read_back_equal_golden(golden_tables: dict[str, Any]) -> None:
    tables = read_workbook_tables(COMMITTED)
    assert tables.unit == "大同市信访局" and tables.year == 2023
    assert compare(tables_to_dict(tables), golden_tables) == []
    t6 = tables[6]
    row = t6.row("30101")
    assert row is not None and row.label == "基本工资" and row.extra == "工资奖金津补贴"
    # 表6 prints names only (as the seed does): 部门经济 name in A, 政府经济 name in B, figures from C
    assert tuple(map(str, row.cells)) == ("表6!C8", "表6!D8", "表6!E8")
    assert str(t6.locate(row, 1)) == "表6!D8"
    t1 = tables[1]
    assert t1.rows[0].key == "201" and str(t1.rows[0].cells[0]) == "表1!D6"
    assert tables[13].empty


def test_printed_tables_agree_with_the_derived_ones() -> None:
    """What 表N prints is what the engine derives from the input sheets (万元 rounding aside)."""
    printed = tables_to_dict(read_workbook_tables(COMMITTED))
    derived = tables_to_dict(build_tables(read_workbook(COMMITTED)))
    assert compare(printed, derived) == []


# -- a unit of our own, every fund, carried-over lines ----------------------------------------


def _own_unit() -> dict[str, Any]:
    funds = ["general", "gov_fund", "soe_capital", "special_account", "unit_funds"]
    basic = []
    for i, fund in enumerate(funds):
        basic += [
            {
                "function": "2010301",
                "economic": "30101",
                "fund": fund,
                "amount": 1_234_567 + i,
                "carryover": False,
            },
            {
                "function": "2080505",
                "economic": "30108",
                "fund": fund,
                "amount": "5000.05",
                "carryover": False,
            },
            {
                "function": "2010301",
                "economic": "30201",
                "fund": fund,
                "amount": 33_333 * (i + 1),
                "carryover": i % 2 == 0,
            },
        ]
    projects = [
        {
            "name": f"项目{i + 1}-{fund}",
            "function": "2010399" if i % 2 else "2130101",
            "fund": fund,
            "amount": 100_000 * (i + 1) + 49,
            "carryover": False,
            "performance_target": i == 0,
        }
        for i, fund in enumerate(funds)
    ] + [
        {
            "name": f"结转项目-{fund}",
            "function": "2010302",
            "fund": fund,
            "amount": 77_777,
            "carryover": True,
            "performance_target": False,
        }
        for fund in funds
    ]
    three_public = [
        {"item": "公务接待费", "fund": "general", "amount": 12_000},
        {"item": "公务用车运行维护费", "fund": "gov_fund", "amount": 8_500.5},
        {"item": "因公出国（境）费", "fund": "soe_capital", "amount": 3_000},
    ]
    doc = unit_dict(
        basic=basic,
        projects=projects,
        three_public=three_public,
        procurement={"goods": 1000, "works": 2000.25, "services": 0},
        prior_year={"income_total": 9_000_000, "operating_funds": 400_000, "three_public": three_public[:1]},
    )
    doc["unit"]["kind"] = "civil_service_institution"
    doc["overview"] = {"duties_intro": "职责：", "duties": ["一条", "两条"], "organization": "两个科室"}
    doc["assets"] = {"vehicles": [{"purpose": "应急", "count": 2}], "building_area_m2": "100"}
    doc["performance_targets"] = [
        {
            "project": "项目1-general",
            "period_years": 3,
            "period_total": 300_147,
            "annual_total": 100_049,
            "funding": {"local": 300_147},
            "annual_funding": {"local": 100_049},
            "indicators": [
                {"level1": "产出指标", "level2": "数量指标", "name": "次数", "annual_value": "≥1次"}
            ],
        }
    ]
    return doc


def test_own_unit_round_trips_json_workbook_tables(tmp_path: Path) -> None:
    src = tmp_path / "unit.json"
    src.write_text(json.dumps(_own_unit(), ensure_ascii=False), "utf-8")
    xlsm = tmp_path / "unit.xlsm"
    assert main(["new", "--from", str(src), "-o", str(xlsm)]) == 0
    direct = _export(src, tmp_path / "direct.json")
    via_workbook = _export(xlsm, tmp_path / "via.json")
    assert compare(via_workbook, direct) == []
    # and the tables are not trivially empty: every fund and the carry-over show
    total2 = direct["tables"]["2"]["rows"][0]
    assert direct["tables"]["13"].get("rows") and total2["name"] == "合计" and total2["values"][-1]
    assert len(direct["tables"]["12"]["rows"]) == 5
    # the lines themselves come back unchanged, and so does what the workbook prints
    assert budget_to_dict(read_workbook(xlsm)) == budget_to_dict(budget_from_dict(_own_unit()))
    assert compare(tables_to_dict(read_workbook_tables(xlsm)), direct) == []


# -- bad input ---------------------------------------------------------------------------


def _changed_copy(tmp_path: Path, change) -> Path:
    """A copy of the committed workbook changed as a person would, saved as .xlsx."""
    wb = openpyxl.load_workbook(COMMITTED)
    change(wb)
    out = tmp_path / "changed.xlsx"
    wb.save(out)
    return out


def _problems(path: Path) -> list[tuple[str, str]]:
    with pytest.raises(InputError) as info:
        read_workbook(path)
    return [(p.location, p.message) for p in info.value.problems]


def _cli_fails_cleanly(path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["export", str(path), "-o", str(tmp_path / "x.json")]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "无法读取输入" in err
    return err


def test_text_in_an_amount_cell(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        wb[L.BASIC_SHEET]["F12"] = "12,3x"

    path = _changed_copy(tmp_path, change)
    problems = _problems(path)
    assert len(problems) == 1
    assert problems[0][0] == "基本支出!F12" and "不是金额" in problems[0][1]
    assert "基本支出!F12" in _cli_fails_cleanly(path, tmp_path, capsys)


def test_an_amount_formatted_as_wan_or_percent_is_refused_at_its_cell(tmp_path: Path) -> None:
    """916.53 typed into a 元 cell formatted 0.00"万元" shows as 916.53万元 — and would be read as 916.53 元
    (a ten-thousandth of what the user sees); 0.05 formatted 0.00% shows as 5.00%. Both refused at the cell,
    saying what to type (916.53 万元 = 9,165,300 元)."""

    def formatted(value: float, code: str):
        def change(wb: openpyxl.Workbook) -> None:
            wb[L.BASIC_SHEET]["F12"] = value
            wb[L.BASIC_SHEET]["F12"].number_format = code

        return _problems(_changed_copy(tmp_path, change))

    for code in ('0.00"万元"', "#,##0.00万元", '#,##0.00"万"'):
        problems = formatted(916.53, code)
        assert [p[0] for p in problems] == ["基本支出!F12"]
        assert (
            f"数字格式“{code}”显示的是万元" in problems[0][1] and "916.53万元应填 9165300" in problems[0][1]
        )
    problems = formatted(0.05, "0.00%")
    assert [p[0] for p in problems] == ["基本支出!F12"] and "显示的是百分比" in problems[0][1]


def test_yuan_shown_as_wan_by_a_format_are_read_as_typed(tmp_path: Path) -> None:
    """The usual trick that shows yuan as 万元 — a literal point, 0!.0000"万元" (9165305 shows 916.5305万元) —
    and a thousands scale (#,##0.00, shows 9165.31) keep yuan in the cell: read as typed."""
    for code in ('0!.0000"万元"', '0"."0000万元', "#,##0.00,"):

        def change(wb: openpyxl.Workbook, code: str = code) -> None:
            wb[L.BASIC_SHEET]["F12"] = 9165305
            wb[L.BASIC_SHEET]["F12"].number_format = code

        budget = read_workbook(_changed_copy(tmp_path, change))
        line = next(x for x in budget.basic if str(x.source.at("amount")) == "基本支出!F12")
        assert line.amount == 9165305


def test_a_formulas_binary_tail_is_read_as_excel_shows_the_figure(tmp_path: Path) -> None:
    """Excel saves a formula's result with the float's binary tail — =1000*1.1 as 1100.0000000000002,
    =0.1+0.2 as 0.30000000000000004 — and shows (and counts with) 15 significant digits: 1100 and 0.3 元.
    Read as Excel holds them; a typed third decimal (1234.567) is still refused at its cell."""

    def saved_as(text: str) -> Path:
        def change(wb: openpyxl.Workbook) -> None:
            wb[L.BASIC_SHEET]["F12"] = 987654321  # a marker, replaced below by the text Excel saves

        plain = _changed_copy(tmp_path, change)
        out = tmp_path / f"saved-{len(text)}.xlsx"
        with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for item in src.infolist():
                data = src.read(item.filename)
                if item.filename.startswith("xl/worksheets/") and b"<v>987654321</v>" in data:
                    data = data.replace(b"<v>987654321</v>", f"<v>{text}</v>".encode())
                dst.writestr(item, data)
        return out

    def f12(path: Path) -> Decimal:
        return next(
            x.amount for x in read_workbook(path).basic if str(x.source.at("amount")) == "基本支出!F12"
        )

    assert f12(saved_as("1100.0000000000002")) == Decimal(1100)
    assert f12(saved_as("0.30000000000000004")) == Decimal("0.3")
    problems = _problems(saved_as("1234.567"))
    assert [p[0] for p in problems] == ["基本支出!F12"] and "超过两位小数" in problems[0][1]


def test_unknown_fund_and_bad_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        wb[L.PROJECT_SHEET]["D3"] = "自有资金"
        wb[L.BASIC_SHEET]["C4"] = "30１0"  # four digits, one of them full-width

    path = _changed_copy(tmp_path, change)
    problems = dict(_problems(path))
    assert "未知的资金来源 “自有资金”" in problems["项目支出!D3"]
    assert "不是经济分类编码" in problems["基本支出!C4"]
    err = _cli_fails_cleanly(path, tmp_path, capsys)
    assert "项目支出!D3" in err and "基本支出!C4" in err


def test_codes_pasted_as_numbers_or_with_spaces_are_read(tmp_path: Path, seed_dict: dict[str, Any]) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        ws = wb[L.BASIC_SHEET]
        ws["A2"] = 2010308
        ws["C2"] = 30101.0
        ws["A3"] = " 2010308 "
        ws["C3"] = "３０１０２"

    budget = read_workbook(_changed_copy(tmp_path, change))
    assert budget_to_dict(budget) == budget_to_dict(budget_from_dict(seed_dict))


def test_missing_sheet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _changed_copy(tmp_path, lambda wb: wb.remove(wb[L.PROJECT_SHEET]))
    problems = _problems(path)
    assert problems == [(str(path), "缺少工作表“项目支出”")]
    assert "缺少工作表“项目支出”" in _cli_fails_cleanly(path, tmp_path, capsys)


def test_renamed_header(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        ws = wb[L.BASIC_SHEET]
        ws["F1"] = "金额（万元）"
        del ws.tables[L.BASIC.name]  # openpyxl would otherwise rewrite the header from the table

    path = _changed_copy(tmp_path, change)
    problems = _problems(path)
    assert problems == [("基本支出!F1", "缺少列“金额（元）”（第 1 行的列标题被改动或删除）")]
    assert "基本支出!F1" in _cli_fails_cleanly(path, tmp_path, capsys)


def test_not_a_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fake = tmp_path / "预算.xlsm"
    fake.write_bytes(SEED_JSON.read_bytes())  # a JSON file renamed .xlsm
    with pytest.raises(InputError) as info:
        read_workbook(fake)
    assert "不是 Excel 工作簿" in str(info.value)
    assert "不是 Excel 工作簿" in _cli_fails_cleanly(fake, tmp_path, capsys)
    garbage = tmp_path / "garbage.xlsm"
    garbage.write_bytes(b"\x00\x01 not a workbook at all")
    with pytest.raises(InputError) as info:
        read_workbook(garbage)
    assert "不是有效的 Excel 工作簿" in str(info.value)
    broken = tmp_path / "broken.xlsm"
    broken.write_bytes(COMMITTED.read_bytes()[:20_000])  # a download cut short
    with pytest.raises(InputError):
        read_workbook(broken)
    _cli_fails_cleanly(broken, tmp_path, capsys)


def test_missing_table_sheet_for_printed_tables(tmp_path: Path) -> None:
    path = _changed_copy(tmp_path, lambda wb: wb.remove(wb["表7"]))
    with pytest.raises(InputError) as info:
        read_workbook_tables(path)
    assert [p.location for p in info.value.problems] == [str(path)]
