"""Rules, the narrative and the charts find tables by role and columns by id, never by number or heading (issue 9).

- The national 9 (``"profile": "national-9"`` in a copy of the seed fixture): a clean unit draws no error, the
  between-table rules run on its numbers (表5 is its 一般公共预算支出表, 表7 its “三公” table, 表9 its 国有资本经营
  预算支出表), and ``check`` says what it could not check (no 项目支出表, no 机关运行经费表 …).
- A profile of a test's own (three tables, other numbers, other headings) gets exactly the rules its roles and
  column ids allow.
- Figures are compared at the precision printed: a table in 元 to the 元 (the 财政局's 302 商品和服务支出 printed
  24,840,779 元 whose 18 款 add to 24,840,778 — ../shared/real/known-defects.json), the 0.005万元 尾差 only where
  figures were rounded to 万元.
- The real Shanghai tables (tests/data/real/) read through the shipped shanghai-9 profile: each table gets the
  role its printed title names and each column the id its printed heading names, and they draw no false error
  from column assumptions — only the known defects that live in them.
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, SEED_JSON
from xlbudget.check import Finding, check_budget, check_tables
from xlbudget.check.figures import Printed, same_finding, sum_finding
from xlbudget.io.tables_json import tables_from_dict, tables_to_dict, with_profile
from xlbudget.io.unit_json import budget_from_dict
from xlbudget.model import UnitBudget
from xlbudget.profiles import Profile, profile_from_dict
from xlbudget.report.facts import narrative
from xlbudget.tables import build_tables

REAL = ROOT / "tests" / "data" / "real"
NOT_CHECKED = "coverage.not_checked"


def seed_dict() -> dict[str, Any]:
    return json.loads(SEED_JSON.read_text("utf-8"))


def national() -> UnitBudget:
    data = seed_dict()
    data["unit"]["profile"] = "national-9"
    return budget_from_dict(data)


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


def not_checked(findings: list[Finding]) -> set[str]:
    """What check says it could not check: the part before the reason."""
    return {f.message.removeprefix("未检查：").split("（")[0] for f in findings if f.rule == NOT_CHECKED}


# -- national-9 -------------------------------------------------------------------------------


def test_national_nine_clean_unit_draws_no_error_and_says_what_it_could_not_check() -> None:
    findings = check_budget(national())
    assert errors(findings) == []
    # the seed's four 表6 tails are the national 表6's too (the same 一般公共预算基本支出表)
    tails = {(f.table, f.expected, f.actual) for f in findings if f.rule == "rounding.tail"}
    assert tails == {
        (6, "523.53", "523.52"),
        (6, "464.89", "464.88"),
        (6, "453.39", "453.40"),
        (6, "58.63", "58.64"),
    }
    # the 财政部 reference set prints no project tables, no 机关运行经费表, no 政府性基金收入表, and its 表9 is the
    # 国有资本经营预算支出表 alone (no 收入 column)
    assert not_checked(findings) == {
        "支出总表 项目支出 = 项目支出表各项目之和",
        "机关运行经费 = 一般公共预算基本支出表 公用经费合计",
        "政府性基金预算收入表 = 政府性基金预算支出表",
        "国有资本经营预算收支表 收入 = 支出合计",
    }
    assert all(
        f.severity == "info" and str(f.location) == "报表方案 national-9"
        for f in findings
        if f.rule == NOT_CHECKED
    )


def _national_doc() -> dict[str, Any]:
    return json.loads(json.dumps(tables_to_dict(build_tables(national()))))


def _set(doc: dict[str, Any], table: int, name: str, column: int, printed: str) -> str:
    """Change one printed figure of a version-2 tables document; returns its JSON path."""
    for i, row in enumerate(doc["tables"][str(table)]["rows"]):
        if row.get("code", row["name"]) == name or row["name"] == name:
            row["values"][column] = printed
            return f"tables.{table}.rows[{i}].values[{column}]"
    raise KeyError(name)


def test_national_nine_tables_as_exported_are_clean() -> None:
    ts = tables_from_dict(_national_doc())
    assert ts.profile == "national-9" and [t.number for t in ts.tables] == list(range(1, 10))
    assert errors(check_tables(ts)) == []


@pytest.mark.parametrize(
    ("table", "row", "column", "printed", "rule", "expected"),
    [
        # 表5 (一般公共预算支出表) 合计 against 表4's 一般公共预算 income: 916.53
        (5, "合计", 0, "900.00", "cross.t4_t5_t8_t9", "916.53"),
        # 表3 (支出总表) 合计 against 表1's 支出总计
        (3, "合计", 0, "900.00", "cross.t1_t2_t3", "916.53"),
        # 表6 (一般公共预算基本支出表) 合计 against 表5's 基本支出 523.52
        (6, "合计", 0, "500.00", "cross.t5_basic_eq_t6", "523.52"),
        # 表7 (“三公”) 公务用车运行维护费 一般公共预算 below 表6 30231's 3.50
        (7, "②公务用车运行维护费", 1, "0.00", "cross.t10_vs_t6", "3.50"),
        # 表6 301 工资福利支出 with a 公用经费 figure
        (6, "301", 2, "1.00", "table.t6_personnel_classes", "0.00"),
    ],
)
def test_national_nine_between_table_rules_run_by_role(table, row, column, printed, rule, expected) -> None:
    doc = _national_doc()
    location = _set(doc, table, row, column, printed)
    found = [f for f in check_tables(tables_from_dict(doc)) if f.rule == rule and f.severity == "error"]
    assert [(f.table, str(f.location), f.expected, f.actual) for f in found][:1] == [
        (table, location, expected, printed)
    ]


def test_national_nine_report_narrative_is_the_seeds_figure_for_figure() -> None:
    """Every sentence of the 情况说明 has the figures of the Shanxi report of the same lines: they are the same
    money. The national 9 print no 机关运行经费表, yet the 财政部 reference format publishes 机关运行经费 in the
    text: it is summed from the lines as Shanxi's 表11 sums them (本年 财政拨款 基本支出 公用经费) — 58.64万元,
    the seed report's own figure (last year 57.00, +1.64, +2.87%)."""
    budget = national()
    shanxi = budget_from_dict(seed_dict())
    assert narrative(budget).text == narrative(shanxi).text
    assert "机关运行经费财政拨款预算58.64万元，上年57.00万元，比上年增加1.64万元，增加2.87%" in (
        narrative(budget).section(8).text
    )


def test_national_nine_export_check_and_report_from_the_command_line(tmp_path: Path, capsys) -> None:
    from docx import Document

    from xlbudget.cli import main

    unit = tmp_path / "unit.json"
    data = seed_dict()
    data["unit"]["profile"] = "national-9"
    unit.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    assert main(["export", str(unit), "-o", str(tmp_path / "t.json")]) == 0
    exported = json.loads((tmp_path / "t.json").read_text("utf-8"))
    assert exported["profile"] == "national-9" and list(exported["tables"]) == [str(n) for n in range(1, 10)]
    assert main(["check", str(unit)]) == 0
    out = capsys.readouterr().out
    assert "错误 0 项" in out and "未检查：机关运行经费" in out
    assert main(["check", "--format", "json", str(tmp_path / "t.json")]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {f["rule"] for f in listed if f["severity"] == "error"} == set()
    assert any(f["rule"] == NOT_CHECKED and "项目支出表" in f["message"] for f in listed)
    assert main(["report", str(unit), "-o", str(tmp_path / "r.docx")]) == 0
    text = "\n".join(p.text for p in Document(str(tmp_path / "r.docx")).paragraphs)
    assert "部门预算公开表9" in text and "公开表10" not in text
    assert "2023年，大同市信访局机关运行经费财政拨款预算58.64万元" in text


# -- a profile of the test's own ----------------------------------------------------------------

OWN = {
    "id": "test-three",
    "name": "三张表的方案（测试用）",
    "tables": [
        {
            "number": 7,
            "role": "expenditure",
            "label": "附表甲",
            "title": "{year}年支出表",
            "layout": "function_tree",
            "columns": [["总计", "all", "total"], ["基本", "basic", "basic"], ["项目", "project", "project"]],
        },
        {
            "number": 2,
            "role": "general_basic_economic",
            "label": "附表乙",
            "title": "{year}年基本支出表",
            "layout": "economic_tree",
            "filter": "this_year fund:general basic",
            "columns": [
                ["小计", "all", "total"],
                ["人员", "personnel", "personnel"],
                ["公用", "public", "public"],
            ],
        },
        {
            "number": 5,
            "role": "three_public",
            "label": "附表丙",
            "title": "{year}年三公表",
            "layout": "three_public",
            "filter": "fiscal",
            "columns": [["合计", "all", "total"], ["一般公共预算", "fund:general", "general"]],
        },
    ],
}


def own() -> Profile:
    return profile_from_dict(copy.deepcopy(OWN))


def test_own_profile_gets_exactly_the_rules_its_roles_allow() -> None:
    budget = budget_from_dict(seed_dict())
    findings = check_budget(budget, profile=own())
    assert errors(findings) == []
    # the tails are those of its 附表乙 (the seed's 表6 figures, numbered 2 here)
    assert {(f.table, f.expected, f.actual) for f in findings if f.rule == "rounding.tail"} == {
        (2, "523.53", "523.52"),
        (2, "464.89", "464.88"),
        (2, "453.39", "453.40"),
        (2, "58.63", "58.64"),
    }
    # between-table rules whose tables it lacks are said, each once; the 三公 ↔ 基本支出 rule applies (both there)
    assert not_checked(findings) == {
        "收支总表、收入总表与支出总表之间的同一数字",
        "财政拨款收支总表与各项资金支出表之间的同一数字",
        "一般公共预算支出表 基本支出 = 一般公共预算基本支出表 合计",
        "支出总表 项目支出 = 项目支出表各项目之和",
        "机关运行经费 = 一般公共预算基本支出表 公用经费合计",
        "财政拨款收支总表各项收入 = 收支总表同项收入",
        "政府性基金预算收入表 = 政府性基金预算支出表",
        "国有资本经营预算收支表 收入 = 支出合计",
    }


def _planted(table: int, key: str, column: int, delta: str) -> list[Finding]:
    """The own profile's tables with one figure of one table changed, checked as published."""
    from dataclasses import replace

    ts = build_tables(budget_from_dict(seed_dict()), own())
    out = []
    for t in ts.tables:
        if t.number == table:
            rows = tuple(
                replace(
                    r, values=tuple(v + Decimal(delta) if i == column else v for i, v in enumerate(r.values))
                )
                if r.key == key
                else r
                for r in t.rows
            )
            t = replace(t, rows=rows)
        out.append(t)
    return errors(check_tables(replace(ts, tables=tuple(out)), profile=own()))


def test_own_profile_rules_find_planted_errors_at_its_own_numbers() -> None:
    # 附表乙 (general_basic_economic) 合计 人员 column off by 1,000 元: its column and row sums break
    found = {(f.rule, f.table) for f in _planted(2, "合计", 1, "1000")}
    assert ("table.t6_personnel_public", 2) in found and ("table.total_equals_rows", 2) in found
    # 附表丙 (三公) 公务用车运行维护费 一般公共预算 cut to zero: below the 30231 of 附表乙
    found = {(f.rule, f.table) for f in _planted(5, "②公务用车运行维护费", 1, "-35000")}
    assert {("table.car_costs", 5), ("cross.t10_vs_t6", 5)} <= found
    # 附表甲 (支出总表) 基本 column: 总计 = 基本 + 项目 breaks on its own numbers
    found = {(f.rule, f.table) for f in _planted(7, "201", 1, "1000")}
    assert ("table.total_basic_project", 7) in found
    assert all(t in (2, 5, 7) for _, t in found)


def test_own_profile_completeness_by_its_tables_and_headings() -> None:
    from dataclasses import replace

    ts = build_tables(budget_from_dict(seed_dict()), own())
    fewer = replace(ts, tables=tuple(t for t in ts.tables if t.number != 5))
    missing = [f for f in check_tables(fewer, profile=own()) if f.rule == "completeness.tables_present"]
    assert [(f.table, f.expected) for f in missing] == [(5, "附表丙")]
    assert "2023年三公表" in missing[0].message


def test_own_profile_tables_read_back_from_a_file_are_seen_through_it() -> None:
    """The own profile's tables exported and read back name a profile not shipped: they carry no role until
    seen through the profile (``with_profile``), then check as the budget does."""
    doc = json.loads(json.dumps(tables_to_dict(build_tables(budget_from_dict(seed_dict()), own()))))
    read = tables_from_dict(doc)
    assert [t.role for t in read.tables] == ["", "", ""]
    seen = with_profile(read, own())
    assert [(t.number, t.role) for t in seen.tables] == [
        (2, "general_basic_economic"),
        (5, "three_public"),
        (7, "expenditure"),
    ]
    assert all(t.column_ids for t in seen.tables)
    findings = check_tables(seen, profile=own())
    assert errors(findings) == []
    assert not_checked(findings) == not_checked(check_budget(budget_from_dict(seed_dict()), profile=own()))


# -- precision as printed -----------------------------------------------------------------------


def _economic(unit: str, parent: str, parts: list[str]) -> dict[str, Any]:
    """A one-table version-2 document (the Shanxi 表6 shape) with 302 and its 款."""
    rows = [
        {"name": "合计", "values": [parent, "", parent]},
        {"code": "302", "name": "商品和服务支出", "values": [parent, "", parent]},
    ]
    rows += [{"code": f"302{i + 1:02d}", "name": "办公费", "values": [p, "", p]} for i, p in enumerate(parts)]
    return {
        "schema": "xlbudget/tables/2",
        "profile": "shanxi-13",
        "unit": "甲",
        "year": 2023,
        "amount_unit": unit,
        "tables": {
            "6": {
                "label": "预算公开表6",
                "title": "",
                "columns": ["合计", "人员经费", "公用经费"],
                "rows": rows,
            }
        },
    }


def _class_sums(doc: dict[str, Any]) -> list[Finding]:
    return [
        f
        for f in check_tables(tables_from_dict(doc))
        if f.rule in ("table.class_equals_items", "rounding.tail")
    ]


def test_a_table_in_yuan_is_checked_to_the_yuan() -> None:
    """302 printed 24840779 元, its 款 24840000 + 778 = 24840778: 1 元 short — an error, no 尾差 (nothing was rounded)."""
    found = _class_sums(_economic("元", "24840779.00", ["24840000.00", "778.00"]))
    assert [(f.rule, f.severity, str(f.location), f.expected, f.actual) for f in found] == [
        ("table.class_equals_items", "error", "tables.6.rows[1].values[0]", "24840778", "24840779"),
        ("table.class_equals_items", "error", "tables.6.rows[1].values[2]", "24840778", "24840779"),
    ][: len(found)]
    assert found and "相差 1 元" in found[0].message


def test_the_tail_allowance_applies_only_where_figures_were_rounded_to_wan() -> None:
    """The same lines printed in 万元: 2484.08 against 2484.00 + 0.08 is exact; 2484.08 against 2484.00 + 0.07
    is 0.01 off with three rounded figures (≤ 0.015): a 尾差, not an error."""
    assert _class_sums(_economic("万元", "2484.08", ["2484.00", "0.08"])) == []
    found = _class_sums(_economic("万元", "2484.08", ["2484.00", "0.07"]))
    assert found and {f.rule for f in found} == {"rounding.tail"}


def test_a_yuan_figure_against_a_wan_figure_is_compared_at_wan() -> None:
    """Shanghai prints 机关运行经费 in 万元 (表9: 2,517.78) and 公用经费 in 元 (表8: 25,177,779): the same money."""
    in_yuan = Printed(Decimal("25177779"), unit="元")
    assert same_finding("r", 9, "x", "表9", Printed(Decimal("25177800")), in_yuan, "表8") is None
    off = same_finding("r", 9, "x", "表9", Printed(Decimal("25177700")), in_yuan, "表8")
    assert off is not None and (off.expected, off.actual) == ("2517.78", "2517.77")
    # two 元 figures 1 元 apart differ; a sum to the 元 allows nothing
    assert same_finding("r", 8, "x", "a", Printed(Decimal(2), unit="元"), Printed(Decimal(1), unit="元"), "b")
    assert sum_finding(
        "r", 8, "x", "a", Printed(Decimal(3), unit="元"), [Printed(Decimal(1), unit="元")] * 2, "b"
    )


def test_the_finance_bureaus_one_yuan_error_is_found() -> None:
    """known-defects.json 财政局 E1: 表8 302 商品和服务支出 24,840,779 against its 款' 24,840,778."""
    doc = json.loads((REAL / "shanghai-finance-bureau-2025-unit-budget.tables.json").read_text("utf-8"))
    found = errors(check_tables(tables_from_dict(doc)))
    e1 = [
        (f.rule, f.table, str(f.location), f.expected, f.actual)
        for f in found
        if f.rule == "table.class_equals_items"
    ]
    assert e1 == [("table.class_equals_items", 8, "tables.8.rows[11].values[0]", "24840778", "24840779")]


# -- the real Shanghai tables through the shipped shanghai-9 profile --------------------------------

REAL_NAMES = (
    "shanghai-finance-bureau-2025-unit-budget",
    "shanghai-putuo-fuliyuan-2024-unit-budget",
    "shanghai-putuo-wanli-2024-department-budget",
)
# what a table is, read off the end of its printed title (tests/data/real/*.tables.json, as in ../shared/real/)
ROLE_BY_TITLE = {
    "财务收支预算总表": "balance",
    "收入预算总表": "income",
    "支出预算总表": "expenditure",
    "财政拨款收支预算总表": "fiscal_balance",
    "一般公共预算支出功能分类预算表": "general_function",
    "政府性基金预算支出功能分类预算表": "gov_fund_expenditure",
    "国有资本经营预算支出功能分类预算表": "soe_capital_expenditure",
    "一般公共预算基本支出部门预算经济分类预算表": "general_basic_economic",
    "“三公”经费和机关运行经费预算表": "three_public_operating",
}
# what a column holds, read off the last part of its printed heading
ID_BY_HEADING = {
    "合计": "total",
    "预算数": "total",  # the 部门's one-column 表1
    "人员经费": "personnel",
    "公用经费": "public",
    "基本支出": "basic",
    "项目支出": "project",
    "财政拨款收入": "fiscal",
    "事业收入": "business_income",
    "事业单位经营收入": "operating_income",
    "其他收入": "other_income",
    "一般公共预算": "general",
    "政府性基金预算": "gov_fund",
    "国有资本经营预算": "soe_capital",
    "因公出国(境)费": "abroad",
    "公务接待费": "reception",
    "小计": "vehicles",
    "购置费": "vehicle_purchase",
    "运行费": "vehicle_running",
    "机关运行经费预算数": "operating_funds",
    "2024年机关运行经费预算数": "operating_funds",
}


def real_doc(name: str) -> dict[str, Any]:
    return json.loads((REAL / f"{name}.tables.json").read_text("utf-8"))


@pytest.mark.parametrize("name", REAL_NAMES)
def test_the_shipped_profile_gives_each_real_table_the_role_and_column_ids_its_print_says(name: str) -> None:
    """Each table of the real reports, read through the profile the file names (shanghai-9), is what its
    printed title says it is, and each printed column gets the id of what its heading says it holds — the
    财政局's 2025 表9 too, whose headings print no year (“三公”经费预算数/合计)."""
    doc = real_doc(name)
    ts = tables_from_dict(doc)
    assert ts.profile == "shanghai-9"
    for t in ts.tables:
        printed = doc["tables"][str(t.number)]
        ending = max((k for k in ROLE_BY_TITLE if printed["title"].endswith(k)), key=len)
        assert t.role == ROLE_BY_TITLE[ending], (t.number, printed["title"])
        assert list(t.column_ids) == [ID_BY_HEADING[h.split("/")[-1]] for h in printed["columns"]], t.number


def test_a_three_public_figure_of_the_finance_bureaus_text_is_checked_against_its_table() -> None:
    """The 财政局 2025 text: “2025年“三公”经费预算数为346.30万元” is 表9's 合计 (3,463,000 元); printed 346.31 it
    is found. 表9's columns are known by their ids alone (no heading is guessed)."""
    from xlbudget.check import check_text
    from xlbudget.document.model import Paragraph

    ts = tables_from_dict(real_doc("shanghai-finance-bureau-2025-unit-budget"))

    def amounts(text: str) -> list[tuple[str | None, str | None]]:
        found = check_text([Paragraph(text, 21, 1)], ts, year=2025, unit_level="市级")
        return [(f.expected, f.actual) for f in found if f.rule == "text.amount"]

    assert amounts("2025年“三公”经费预算数为346.30万元，与2024年预算持平。") == []
    assert amounts("2025年“三公”经费预算数为346.31万元，与2024年预算持平。") == [("346.30万元", "346.31万元")]


def real_findings(name: str) -> list[Finding]:
    return check_tables(tables_from_dict(real_doc(name)))


def test_finance_bureau_draws_only_its_known_error() -> None:
    found = errors(real_findings("shanghai-finance-bureau-2025-unit-budget"))
    assert [(f.rule, str(f.location)) for f in found] == [
        ("table.class_equals_items", "tables.8.rows[11].values[0]")
    ]


def test_wanli_department_draws_only_the_sum_its_misprinted_codes_break() -> None:
    """万里 E7/E8: 表8 prints 3012 and 3017 for 30112 and 30107, so 301's printed 款 do not add up to it; its
    one-column 表1 (预算数) is read as that one column, nothing is read as 0 from a column it does not print."""
    found = errors(real_findings("shanghai-putuo-wanli-2024-department-budget"))
    assert [(f.rule, f.table, str(f.location)) for f in found] == [
        ("table.class_equals_items", 8, "tables.8.rows[0].values[0]")
    ]


def test_fuliyuan_draws_only_its_known_defects() -> None:
    """福利院: outdated class name (E3/E4), the truncated code 71102 (E5/E6, which also leaves 表3/表5's
    2101102 apart from 表2's), 表8's renumbered 款 (E7–E19) and 30108's misprinted name. Nothing from its 表1's
    columns (人员经费, 公用经费, 项目支出: no 上年结转 there), nothing from 表1 read as 表6."""
    found = errors(real_findings("shanghai-putuo-fuliyuan-2024-unit-budget"))
    assert {f.rule.split(".")[0] for f in found} <= {"catalogue", "cross"}
    assert {f.table for f in found if f.rule.startswith("cross.")} == {3}
    assert all("71102" in f.message or "2101102" in f.message for f in found if f.rule.startswith("cross."))
    assert not [f for f in found if f.table == 1 and not f.rule.startswith("catalogue.")]


def test_the_personnel_rules_look_at_the_basic_expenditure_table_not_the_first_with_those_columns() -> None:
    """The 财政局's 表1 has 人员经费 and 公用经费 columns beside 项目支出: its 合计 is all three. The 表6 rules are
    about the 一般公共预算基本支出表, its 表8 — a 公用经费 planted on 表8's 301 is found there."""
    doc = real_doc("shanghai-finance-bureau-2025-unit-budget")
    rows = doc["tables"]["8"]["rows"]
    i = next(i for i, r in enumerate(rows) if r.get("code") == "301")
    rows[i]["values"][2] = "1.00"
    found = errors(check_tables(tables_from_dict(doc)))
    assert ("table.t6_personnel_classes", 8, f"tables.8.rows[{i}].values[2]") in {
        (f.rule, f.table, str(f.location)) for f in found
    }
    assert not [f for f in found if f.table == 1]
    # and 表1's 合计 is checked as 人员经费 + 公用经费 + 项目支出 (its columns by id)
    doc["tables"]["1"]["expenditure"][1]["values"][3] = (
        "1200001.00"  # 社会保障和就业支出 项目支出 (1,200,000)
    )
    found = errors(check_tables(tables_from_dict(doc)))
    assert ("table.total_basic_project", 1, "tables.1.expenditure[1].values[0]") in {
        (f.rule, f.table, str(f.location)) for f in found
    }


def test_a_department_total_without_unit_rows_is_not_summed_to_zero() -> None:
    """A 机关运行经费表 printed with its 部门合计 line only (no 单位 rows) has nothing to add up: no "应为 0.00"."""
    doc = {
        "schema": "xlbudget/tables/2",
        "profile": "shanxi-13",
        "year": 2023,
        "tables": {
            "11": {
                "label": "预算公开表11",
                "title": "",
                "columns": ["合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"],
                "rows": [{"name": "部门合计", "values": ["58.64", "58.64", "", ""]}],
            }
        },
    }
    found = [f for f in check_tables(tables_from_dict(doc)) if f.rule == "table.total_equals_rows"]
    assert found == []


def test_tables_read_from_the_workbook_carry_their_roles_and_column_ids() -> None:
    """The 表N sheets read back are the profile's tables: every rule applies to them, nothing is left unchecked."""
    from xlbudget.profiles import load_profile
    from xlbudget.workbook.reader import read_workbook, read_workbook_tables

    workbook = ROOT / "workbook" / "Budget2023.xlsm"
    shown = read_workbook_tables(workbook)
    specs = load_profile("shanxi-13").tables
    assert [(t.role, t.column_ids) for t in shown.tables] == [(s.role, s.column_ids) for s in specs]
    findings = check_budget(read_workbook(workbook), shown)
    assert not_checked(findings) == set()
