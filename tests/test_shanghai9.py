"""The ``shanghai-9`` profile: the putuo welfare home's budget gives the 9 tables its real report prints.

The reference is the report itself, ``../shared/real/shanghai-putuo-fuliyuan-2024-unit-budget.pdf``,
transcribed cell by cell in ``tests/data/real/…fuliyuan….tables.json`` (verified against the PDF by
``test_real_transcriptions.py``).  Where the print is wrong (``../shared/real/known-defects.json``) the
expected table is the print corrected, each correction named by its defect id (:func:`corrected`).
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.conftest import ROOT, SHARED
from xlbudget.check import check_budget, check_tables
from xlbudget.io.tables_json import compare, tables_from_dict, tables_to_dict
from xlbudget.io.unit_json import budget_from_dict, read_unit_json
from xlbudget.profiles import load_profile, profile_from_dict
from xlbudget.tables import build_tables

PUTUO = SHARED / "fixtures" / "putuo-welfare-2024.json"
REAL = ROOT / "tests" / "data" / "real"
FULIYUAN = REAL / "shanghai-putuo-fuliyuan-2024-unit-budget.tables.json"
WANLI = REAL / "shanghai-putuo-wanli-2024-department-budget.tables.json"
FINANCE = REAL / "shanghai-finance-bureau-2025-unit-budget.tables.json"
SCHEMA = ROOT / "xlbudget" / "schema" / "tables-2.schema.json"
DEFECTS = SHARED / "real" / "known-defects.json"


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text("utf-8"))


def exported() -> dict[str, Any]:
    return tables_to_dict(build_tables(read_unit_json(PUTUO)))


# -- the print, corrected where it is wrong ------------------------------------------------------

# 表8 (p.14) numbers the 款 of 302 and 303 01, 02, 03 … instead of their codes (E7–E17, E19): the code
# each printed row really is, by its name and figure (E14: 车辆运行费 64,000 = 表9's 公务用车运行费 6.4万元
# = 30231).  办公设备购置费 (E11), 事业单位离退休人员福利费 (E15), 机关事业单位退休人员活动费 (E16) and
# 其他商品和服务支出 (E17) have no 302 款 of their own: the budget (the fixture) books all four as
# 30299, so the corrected table prints one 30299 line of 8,000 + 116,640 + 7,020 + 60,000 = 191,660.
T8_CODES = {
    "30202": ("30203", "E7"),
    "30203": ("30205", "E8"),
    "30204": ("30206", "E9"),
    "30205": ("30207", "E10"),
    "30206": ("30299", "E11"),
    "30207": ("30228", "E12"),
    "30208": ("30229", "E13"),
    "30210": ("30231", "E14"),
    "30211": ("30299", "E15"),
    "30212": ("30299", "E16"),
    "30213": ("30299", "E17"),
    "30301": ("30302", "E19"),
}
# the catalogue's names where the print's are wrong: E18 (303), the README's 30108 (…养老保险缴费), and
# the names of the codes corrected above
T8_NAMES = {
    "303": "对个人和家庭的补助",
    "30108": "机关事业单位基本养老保险缴费",
    "30231": "公务用车运行维护费",
    "30299": "其他商品和服务支出",
}


def corrected() -> dict[str, Any]:
    """The fuliyuan transcription with each known defect that lives in a table put right.

    - E3, E4: 表1/表4 ``三、医疗卫生与计划生育支出`` → ``三、卫生健康支出`` (类210's name since 2019).
    - E5, E6: 表3/表5 code ``71102`` → ``2101102`` (the class code cut to ``7``).
    - 表8: :data:`T8_CODES` and :data:`T8_NAMES`, rows merged by code and put in code order.
    - The ``一、一般公共服务支出`` line of 表1/表4, printed with no figures although the unit has no 201
      money, is not a defect: the district template prints it (and numbers the classes on from 二、);
      the profile keeps it (``always_classes``), so it stays.
    """
    doc = copy.deepcopy(load(FULIYUAN))
    defects = {d["id"].rsplit("-", 1)[-1] for d in load(DEFECTS)["shanghai-putuo-fuliyuan-2024-unit-budget"]}
    assert {"E3", "E4", "E5", "E6", "E18"} | {e for _, e in T8_CODES.values()} <= defects
    tables = doc["tables"]
    for n in ("1", "4"):
        for row in tables[n]["expenditure"]:
            if row["name"] == "三、医疗卫生与计划生育支出":
                row["name"] = "三、卫生健康支出"
    for n in ("3", "5"):
        for row in tables[n]["rows"]:
            if row.get("code") == "71102":
                row["code"] = "2101102"
    merged: dict[str, dict[str, Any]] = {}
    total = None
    for row in tables["8"]["rows"]:
        if "code" not in row:
            total = row
            continue
        code = T8_CODES.get(row["code"], (row["code"], ""))[0]
        name = T8_NAMES.get(code, row["name"])
        if code in merged:
            merged[code]["values"] = [
                f"{Decimal(a or 0) + Decimal(b or 0):.2f}" if (a or b) else ""
                for a, b in zip(merged[code]["values"], row["values"], strict=True)
            ]
        else:
            merged[code] = {"code": code, "name": name, "values": list(row["values"])}
    tables["8"]["rows"] = [merged[c] for c in sorted(merged)] + [total]
    return doc


def figure(value: str, unit: str) -> Decimal:
    """A written figure in yuan ("" = 0)."""
    return Decimal(value or 0) * (10000 if unit == "万元" else 1)


def lines_of(doc: dict[str, Any], key: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every printed line of a table: (code, name, figures in yuan, trailing zeros dropped), by part."""
    t = doc["tables"][key]
    unit = t.get("amount_unit", doc["amount_unit"])
    out = {}
    for part in ("income", "expenditure", "rows"):
        if part in t:
            out[part] = []
            for r in t[part]:
                values = [figure(v, unit) for v in r["values"]]
                while values and values[-1] == 0:
                    values.pop()
                # the side-by-side tables print no codes: the export's class code is not a printed cell
                code = r.get("code") if part == "rows" else None
                out[part].append((code, r["name"], tuple(values)))
    return out


# -- the 9 tables --------------------------------------------------------------------------------


def test_the_putuo_unit_exports_the_nine_printed_tables_to_the_yuan() -> None:
    """The export equals the print corrected, by the contract's comparison and line by line: every
    code, name and figure in printed order, every title, column heading and empty-table note."""
    actual, expected = exported(), corrected()
    assert compare(actual, expected) == []
    assert actual["profile"] == "shanghai-9" and actual["amount_unit"] == "元"
    assert list(actual["tables"]) == [str(n) for n in range(1, 10)]
    for key, want in expected["tables"].items():
        got = actual["tables"][key]
        assert got["label"] == "" and got["title"] == want["title"], key
        assert got.get("amount_unit", "元") == want.get("amount_unit", "元"), key
        if want.get("empty"):
            assert got == {"label": "", "title": want["title"], "empty": True, "note": want["note"]}, key
            continue
        assert got["columns"] == want["columns"], key
        assert got.get("income_columns") == want.get("income_columns"), key
        assert lines_of(actual, key) == lines_of(expected, key), key


def test_cells_worked_out_by_hand() -> None:
    """A few cells from the fixture's lines, by hand:

    - 表1 二、社会保障和就业支出 人员经费: the 301/303 lines under 208 — 758,448 + 225,600 + 3,580,522 +
      47,972 + 354,964 (2081005) + 767,579 (2080505) + 383,789 (2080506) + 421,800 (2080502, 30302)
      = 6,540,674; 公用经费: 69,000 + 20,000 + 60,000 + 320,000 + 15,000 + 8,000 + 60,000 + 88,890 +
      86,400 + 1,206,000 + 64,000 (2081005) + 7,020 (2080599) + 116,640 (2080502) = 2,120,950; 项目支出
      the one project, 2,620,000 (事业收入).
    - 表1 收入总计 = 一、财政拨款收入 9,501,164 + 二、事业收入 2,620,000 = 12,121,164 (the 1、 sub-line
      is not added again).
    - 表2 208 事业收入 = the project 2,620,000; 财政拨款收入 = 11,281,624 − 2,620,000 = 8,661,624.
    - 表8 30299 = 8,000 + 60,000 (2081005) + 7,020 (2080599) + 116,640 (2080502) = 191,660.
    - 表9: 6.40 万元 = the 64,000 元 of 公务用车运行维护费, in 合计, 小计 and 运行费; 机关运行经费 0: a
      事业单位 (public_institution) has none, though its 公用经费 are 2,120,950 元.
    """
    doc = exported()
    t1 = doc["tables"]["1"]
    assert t1["expenditure"][1] == {
        "code": "208",
        "name": "二、社会保障和就业支出",
        "values": ["11281624.00", "6540674.00", "2120950.00", "2620000.00"],
    }
    assert t1["income"][-1] == {"name": "收入总计", "values": ["12121164.00"]}
    assert t1["expenditure"][-1]["name"] == "支出总计"
    assert t1["expenditure"][0] == {"code": "201", "name": "一、一般公共服务支出", "values": ["", "", "", ""]}
    t2 = {r.get("code", r["name"]): r["values"] for r in doc["tables"]["2"]["rows"]}
    assert t2["208"] == ["11281624.00", "8661624.00", "2620000.00", "", ""]
    assert list(t2)[-1] == "合计"  # printed last
    t8 = {r.get("code", r["name"]): r["values"] for r in doc["tables"]["8"]["rows"]}
    assert t8["30299"] == ["191660.00", "", "191660.00"]
    t9 = doc["tables"]["9"]
    assert t9["amount_unit"] == "万元"
    assert t9["rows"] == [{"name": "", "values": ["6.40", "", "", "6.40", "", "6.40", ""]}]


def test_the_export_command_uses_the_units_own_profile(tmp_path: Path) -> None:
    """上海市 → shanghai-9 without --profile (contract: unit.province), and the file is valid version 2."""
    out = tmp_path / "t.json"
    run = subprocess.run(
        [sys.executable, "-m", "xlbudget", "export", str(PUTUO), "-o", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr
    assert "9 张表" in run.stdout
    doc = load(out)
    jsonschema.validate(doc, load(SCHEMA))
    assert doc == exported()


def test_the_tables_read_back_as_exported() -> None:
    """Written and read again: the same figures, each side's footer lines (收入总计 / 支出总计) as totals,
    表9 in 万元 with its column ids found for the year-filled headings."""
    tables = build_tables(read_unit_json(PUTUO))
    back = tables_from_dict(tables_to_dict(tables))
    for mine, read in zip(tables.tables, back.tables, strict=True):
        assert read.role == mine.role and read.amount_unit == mine.amount_unit, mine.number
        assert read.note == mine.note and read.empty == mine.empty, mine.number
        if mine.empty:
            continue  # its blank grid is not written, only the note
        assert [r.values for r in read.rows] == [r.values for r in mine.rows], mine.number
        assert dict(read.totals) == dict(mine.totals), mine.number
        assert read.column_ids == mine.column_ids, mine.number
    t1 = back.by_role("balance")
    assert t1 is not None and set(t1.totals) == {"收入总计", "支出总计"}
    assert t1.income_columns == ("预算数",)
    t9 = back.by_role("three_public_operating")
    assert t9 is not None and t9.column("operating_funds") == 6
    assert t9.rows[0].values[0] == Decimal(64000)


def test_the_putuo_unit_checks_clean_and_reports() -> None:
    """No error for the unit, nor for its exported tables read back; the Word report is written."""
    budget = read_unit_json(PUTUO)
    assert [f for f in check_budget(budget) if f.severity == "error"] == []
    assert [f for f in check_tables(tables_from_dict(exported())) if f.severity == "error"] == []


def test_the_report_does_not_crash(tmp_path: Path) -> None:
    from docx import Document

    from xlbudget.report.render import write_report

    out = tmp_path / "r.docx"
    write_report(read_unit_json(PUTUO), out)
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "2024年预算单位财务收支预算总表" in text
    assert "单位“三公”经费和机关运行经费预算表" in text


# -- the profile's other strings, against the other two real prints ------------------------------


def test_the_department_strings_are_those_the_wanli_department_budget_prints() -> None:
    """Titles, 表1's one 预算数 column and ``1. `` numbering, and the empty notes of 表6, 表7 and 表9 (万里
    prints 表9's note under a table with figures, defect E9; the wording is still the template's)."""
    wanli = load(WANLI)["tables"]
    dept = load_profile("shanghai-9").scoped("department")
    for spec in dept.tables:
        printed = wanli[str(spec.number)]
        assert spec.title.format(year=2024) == printed["title"], spec.number
        assert [h.format(year=2024) for h in spec.headings] == printed["columns"], spec.number
        if "note" in printed:
            assert spec.empty_note.format(year=2024) == printed["note"], spec.number
        if "income" in printed:
            assert [label for label, _ in spec.income] == [r["name"] for r in printed["income"][:-1]]
    unit = load_profile("shanghai-9").by_role("gov_fund_expenditure")
    assert unit is not None and unit.title_department == "{year}年部门政府性基金预算支出功能分类预算表"
    assert unit.empty_note_department == "注:本部门{year}年无政府性基金预算财政拨款安排的预算，故本表为空表。"


def test_the_unit_titles_are_those_the_finance_bureau_prints_but_its_city_table_9() -> None:
    """The 财政局 (city template) prints the district's titles and headings for 表1–8; its 表9 title and
    headings carry the year elsewhere (docs/profiles/shanghai-9.md) — the profile is the district's."""
    finance = load(FINANCE)["tables"]
    for spec in load_profile("shanghai-9").tables[:8]:
        assert spec.title.format(year=2025) == finance[str(spec.number)]["title"], spec.number
        assert list(spec.headings) == finance[str(spec.number)]["columns"], spec.number
    assert finance["9"]["title"] == "2025年单位“三公”经费和机关运行经费预算表"


def test_a_department_file_read_gets_the_department_column_ids() -> None:
    t1 = tables_from_dict(load(WANLI)).by_role("balance")
    assert t1 is not None and t1.column_ids == ("total",)


# -- small units, worked out by hand -------------------------------------------------------------


def unit(kind: str = "administrative", **extra: Any) -> dict[str, Any]:
    """A Shanghai unit: 2,000,000 of 301 and 500,000 of 302 (general), a 300,000 project paid by
    事业单位经营收入, 40,000 of 公务接待费 (general)."""
    doc: dict[str, Any] = {
        "schema": "xlbudget/unit-budget/1",
        "year": 2024,
        "amount_unit": "元",
        "unit": {"name": "测试局", "kind": kind, "province": "上海市"},
        "basic": [
            {"function": "2010101", "economic": "30101", "fund": "general", "amount": 2_000_000},
            {"function": "2010101", "economic": "30201", "fund": "general", "amount": 500_000},
        ],
        "projects": [
            {
                "name": "经营服务",
                "function": "2010102",
                "fund": "unit_funds",
                "amount": 300_000,
                "income_kind": "事业单位经营收入",
            }
        ],
        "three_public": [{"item": "公务接待费", "fund": "general", "amount": 40_000}],
    }
    doc.update(extra)
    return doc


def test_table_9_operating_funds_are_the_public_funds_of_fiscal_basic_lines() -> None:
    """An administrative unit: 机关运行经费 = 公用经费 of basic 财政拨款 lines = 500,000 元 = 50.00 万元
    (the 301 line is 人员经费; the project is neither basic nor 财政拨款). A public_institution: 0, and
    with no “三公” either its 表9 is empty, with the template's note."""
    admin = build_tables(budget_from_dict(unit()))
    t9 = admin.by_role("three_public_operating")
    assert t9 is not None
    assert t9.rows[0].values == tuple(Decimal(v) for v in (40_000, 0, 40_000, 0, 0, 0, 500_000))
    assert t9.columns[-1] == "2024年机关运行经费预算数"
    public = build_tables(budget_from_dict(unit("public_institution", three_public=[])))
    empty = public.by_role("three_public_operating")
    assert empty is not None and empty.empty
    assert empty.note == "注:本单位2024年无“三公”经费和机关运行经费预算，故本表为空表。"


def test_table_1_numbers_its_classes_and_splits_income_by_kind() -> None:
    """201 has money here: 一、一般公共服务支出 2,800,000 = [2,800,000, 2,000,000, 500,000, 300,000], the
    only class; income 一、财政拨款收入 2,500,000 (1、 2,500,000), 三、事业单位经营收入 300,000;
    收入总计 = 支出总计 = 2,800,000."""
    t1 = build_tables(budget_from_dict(unit())).by_role("balance")
    assert t1 is not None
    assert [(r.label, r.values) for r in t1.rows] == [
        ("一、一般公共服务支出", tuple(Decimal(v) for v in (2_800_000, 2_000_000, 500_000, 300_000)))
    ]
    assert [(r.label, r.values[0], r.level) for r in t1.income if r.values[0]] == [
        ("一、财政拨款收入", Decimal(2_500_000), 1),
        ("1、一般公共预算资金", Decimal(2_500_000), 2),
        ("三、事业单位经营收入", Decimal(300_000), 1),
    ]
    assert dict(t1.totals) == {"收入总计": (Decimal(2_800_000),), "支出总计": t1.rows[0].values}


def test_carried_over_lines_are_left_out_with_a_warning() -> None:
    """A carried-over 100,000 under 2010101 (general): no shanghai-9 table counts it (收入总计 stays
    2,800,000, 表5 合计 2,500,000) and the checker says so, once, at the line; the Shanxi set prints
    it and has no such warning."""
    doc = unit()
    doc["basic"].append(
        {"function": "2010101", "economic": "30201", "fund": "general", "amount": 100_000, "carryover": True}
    )
    budget = budget_from_dict(doc)
    tables = build_tables(budget)
    t1, t5 = tables.by_role("balance"), tables.by_role("general_function")
    assert t1 is not None and t1.totals["收入总计"] == (Decimal(2_800_000),)
    assert t5 is not None and t5.row("合计") is not None and t5.row("合计").values[0] == Decimal(2_500_000)  # type: ignore[union-attr]
    warned = [f for f in check_budget(budget) if f.rule == "completeness.carryover_not_printed"]
    assert [(f.severity, str(f.location)) for f in warned] == [("warning", "basic[2].carryover")]
    assert "100,000元" in warned[0].message and "shanghai-9" in warned[0].message
    doc["unit"]["province"] = "山西省"
    shanxi = budget_from_dict(doc)
    assert not [f for f in check_budget(shanxi) if f.rule == "completeness.carryover_not_printed"]


def test_profile_validation_says_what_is_wrong() -> None:
    data = copy.deepcopy(json.loads((ROOT / "xlbudget" / "profiles" / "shanghai-9.json").read_text("utf-8")))
    for edit, message in (
        (lambda t: t.__setitem__("totals", [["收入总计", "left"]]), "income 或 expenditure"),
        (lambda t: t.__setitem__("class_label", "{n}、{name}"), "class_label"),
        (lambda t: t["income"].__setitem__(0, ["一、财政拨款收入", "fiscal", 3]), "级次"),
        (lambda t: t.__setitem__("always_classes", ["2010101"]), "always_classes"),
        (lambda t: t.__setitem__("amount_unit", "千元"), "金额单位"),
        (lambda t: t["department"].__setitem__("layout", "grid"), "（部门）：未知的版式"),
    ):
        bad = copy.deepcopy(data)
        edit(bad["tables"][0])
        with pytest.raises(ValueError, match=message):
            profile_from_dict(bad)


def test_the_printed_grids_read_as_the_print() -> None:
    """The grid the Word report sets (xlbudget.grids): 表1's lines as the 福利院 prints them (p.7:
    ``1、一般公共预算资金 9,501,164``, the blank ``一、一般公共服务支出``, ``收入总计 12,121,164``), its
    four header rows, the 编制单位 line; 表2's codes split 类 | 款 | 项 and 合计 last; 表9 a line of
    seven figures in 万元 under ``单位:万元``; 表6's note."""
    from xlbudget.grids import printed_tables

    grids = {pt.table.number: pt for pt in printed_tables(build_tables(read_unit_json(PUTUO)))}
    t1 = grids[1]
    assert t1.unit_line == "编制单位：上海市普陀区社会福利院\t单位：元"
    assert len(t1.heads) == 4
    texts = [[c.text if c is not None else None for c in row] for row in t1.body]
    assert texts[0][:3] == ["一、财政拨款收入", "9,501,164", "一、一般公共服务支出"]
    assert texts[1] == [
        "1、一般公共预算资金",
        "9,501,164",
        "二、社会保障和就业支出",
        "11,281,624",
        "6,540,674",
        "2,120,950",
        "2,620,000",
    ]
    assert texts[-1] == [
        "收入总计",
        "12,121,164",
        "支出总计",
        "12,121,164",
        "7,380,214",
        "2,120,950",
        "2,620,000",
    ]
    t2 = [[c.text if c is not None else None for c in row] for row in grids[2].body]
    assert t2[2][:4] == ["208", "05", "02", "事业单位离退休"]
    assert t2[-1][0] == "合计" and t2[-1][4] == "12,121,164"  # spanning the 类 款 项 and name columns
    t9 = grids[9]
    assert t9.unit_line == "编制单位：上海市普陀区社会福利院\t单位:万元"
    assert [c.text for c in t9.body[0] if c is not None] == ["6.40", "", "", "6.40", "", "6.40", ""]
    assert grids[6].note == "注:本单位2024年无政府性基金预算财政拨款安排的预算，故本表为空表。"
    dept = load_profile("shanghai-9").scoped("department")
    assert dept.tables[0].printing["unit_line"] == "编制部门：{unit}\t单位：{unit_of_money}"
    assert dept.tables[8].printing["unit_line"] == "编制部门：{unit}\t单位:{unit_of_money}"


def test_the_real_titles_draw_no_heading_warning_and_a_wrong_one_does() -> None:
    """The 万里 部门预算's titles are the profile's department titles, the 财政局's 表9 title the city
    template's (``other_titles``): no completeness.table_heading warning; a title typed wrong still draws
    one, at its path."""
    for path in (FULIYUAN, WANLI, FINANCE):
        found = [
            f for f in check_tables(tables_from_dict(load(path))) if f.rule == "completeness.table_heading"
        ]
        assert found == [], path.name
    doc = load(FULIYUAN)
    doc["tables"]["3"]["title"] = "2024年预算单位支出总表"
    found = [f for f in check_tables(tables_from_dict(doc)) if f.rule == "completeness.table_heading"]
    assert [(str(f.location), f.expected) for f in found] == [
        ("tables.3.title", "2024年预算单位支出预算总表")
    ]


def test_table_9_operating_funds_above_the_public_funds_are_an_error_from_the_tables_alone() -> None:
    """Tables alone do not tell a unit's kind, so 表9's 机关运行经费 is not set equal to 表8's 公用经费 — but
    whatever the kind it is a part of them (the 行政/参公 units' 一般公共预算 basic 公用经费), never more. The
    福利院's 表8 公用经费 合计 is 2,120,950 元 = 212.095 → 212.10 万元: 表9 printing 212.10 is allowed (its 0.00
    is right for a 事业单位), 212.11 is not, nor 2000.00."""
    doc = load(FULIYUAN)
    [total] = [r for r in doc["tables"]["8"]["rows"] if r["name"] == "合计"]
    assert total["values"][2] == "2120950.00"
    assert doc["tables"]["9"]["rows"][0]["values"][6] == "0.00"

    def errors(value: str) -> list[tuple[str, str | None, str | None]]:
        planted = copy.deepcopy(doc)
        planted["tables"]["9"]["rows"][0]["values"][6] = value
        return [
            (f.rule, f.expected, f.actual)
            for f in check_tables(tables_from_dict(planted))
            if f.rule == "cross.t11_eq_t6_public" and f.severity == "error"
        ]

    assert errors("0.00") == [] and errors("212.10") == []
    assert errors("212.11") == [("cross.t11_eq_t6_public", "至多212.10", "212.11")]
    assert errors("2000.00") == [("cross.t11_eq_t6_public", "至多212.10", "2000.00")]
