"""Table rules on tables as published (a tables JSON), planted one by one into 单位 B's clean tables.

单位 B is described in test_check_units.py; its tables by hand: 表1 收入总计 236.00 (一般公共预算 221.00,
政府性基金 10.00, 上年结转 5.00); 表3 合计 [236.00, 191.00, 45.00]; 表6 合计 [191.00, 168.00, 23.00]
(301 = 100 + 50 + 12 + 6, 302 = 20 + 3); 表10 公务接待费 1.00, 运行维护费 3.00, 合计 4.00; 表11 23.00;
表12 办公设备购置 30.00 (一般), 城市绿化 10.00 (基金); 表13 档案数字化结转 5.00.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from tests.conftest import SHARED
from tests.helpers.tables_v1 import tables_to_dict
from tests.test_check_units import UNIT_B
from xlbudget.check import RULES, Finding, check_tables
from xlbudget.check.figures import sum_finding, value
from xlbudget.io.tables_json import tables_from_dict
from xlbudget.io.unit_json import budget_from_dict
from xlbudget.tables import Row, build_tables

Doc = dict[str, Any]


def export(unit: Doc) -> Doc:
    return tables_to_dict(build_tables(budget_from_dict(unit)))


CLEAN = export(UNIT_B)


def check(doc: Doc) -> list[Finding]:
    return check_tables(tables_from_dict(doc))


def rows(n: int, **values: list[str]) -> Callable[[Doc], None]:
    """Set rows of 表n (by key) to new values."""

    def plant(doc: Doc) -> None:
        for key, v in values.items():
            doc["tables"][str(n)]["rows"][key] = v

    return plant


def field(n: int, part: str, key: str | None, value: Any) -> Callable[[Doc], None]:
    """Set tables[n][part][key] (or tables[n][part] when key is None)."""

    def plant(doc: Doc) -> None:
        if key is None:
            doc["tables"][str(n)][part] = value
        else:
            doc["tables"][str(n)][part][key] = value

    return plant


def both(*planters: Callable[[Doc], None]) -> Callable[[Doc], None]:
    def plant(doc: Doc) -> None:
        for p in planters:
            p(doc)

    return plant


def rename_row(n: int, part: str, old: str, new: str) -> Callable[[Doc], None]:
    def plant(doc: Doc) -> None:
        t = doc["tables"][str(n)]
        t[part] = {new if k == old else k: v for k, v in t[part].items()}

    return plant


def drop(n: int, key: str) -> Callable[[Doc], None]:
    def plant(doc: Doc) -> None:
        del doc["tables"][str(n)]["rows"][key]

    return plant


def drop_table(n: int) -> Callable[[Doc], None]:
    def plant(doc: Doc) -> None:
        del doc["tables"][str(n)]

    return plant


def move_one_from_210_to_212_in_t3(doc: Doc) -> None:
    """表3 stays consistent in itself (合计 unchanged), but 210/212 no longer match 表1 and 表2."""
    rows(3, **{k: ["5.00", "5.00", ""] for k in ("210", "21011", "2101101")})(doc)
    rows(3, **{k: ["11.00", "1.00", "10.00"] for k in ("212", "21208", "2120801")})(doc)


def unmarked_empty_t9(doc: Doc) -> None:
    """表9 printed with its heading rows but neither "empty": true nor 注：本表无数据."""
    t9 = doc["tables"]["9"]
    doc["tables"]["9"] = {"label": t9["label"], "title": t9["title"], "rows": {"合计": ["", "", "", ""]}}


GOV_FUND_11 = {k: ["11.00", "", "11.00"] for k in ("合计", "212", "21208", "2120801")}

PLANTED = [
    # rule, planter, location, severity
    (
        "table.total_equals_rows",
        rows(3, 合计=["237.00", "192.00", "45.00"]),
        "tables.3.rows.合计[0]",
        "error",
    ),
    ("table.total_equals_rows", field(1, "本年收入合计", None, "232.00"), "tables.1.本年收入合计", "error"),
    ("table.total_equals_rows", field(1, "收入总计", None, "235.00"), "tables.1.收入总计", "error"),
    ("table.total_equals_rows", rows(11, 部门合计=["24.00", "24.00"]), "tables.11.rows.部门合计[0]", "error"),
    (
        "table.class_equals_items",
        rows(2, **{"201": ["209.00", "204.00", "", "", "", "", "5.00"]}),
        "tables.2.rows.201[0]",
        "error",
    ),
    (
        "table.class_equals_items",
        rows(6, **{"30101": ["100.05", "100.05", ""]}),
        "tables.6.rows.301[0]",
        "error",
    ),
    (
        "table.total_basic_project",
        rows(8, **{"2120801": ["10.00", "", "9.00"]}),
        "tables.8.rows.2120801[0]",
        "error",
    ),
    (
        "table.t6_personnel_public",
        rows(6, **{"30101": ["100.00", "90.00", ""]}),
        "tables.6.rows.30101[0]",
        "error",
    ),
    (
        "table.t6_personnel_classes",
        rows(6, **{"30201": ["20.00", "20.00", ""]}),
        "tables.6.rows.30201[1]",
        "error",
    ),
    (
        "table.total_by_fund",
        rows(12, 办公设备购置=["30.00", "29.00"]),
        "tables.12.rows.办公设备购置[0]",
        "error",
    ),
    (
        "table.total_by_fund",
        field(1, "expenditure", "一般公共服务支出", ["208.00", "203.00", "4.00"]),
        "tables.1.expenditure.一般公共服务支出[0]",
        "error",
    ),
    (
        "table.balance_totals",
        field(1, "支出总计", None, ["237.00", "232.00", "5.00"]),
        "tables.1.支出总计[0]",
        "error",
    ),
    (
        "table.car_costs",
        rows(10, 公务用车购置及运行费=["4.00", "4.00"]),
        "tables.10.rows.公务用车购置及运行费[0]",
        "error",
    ),
    ("table.three_public_total", rows(10, 合计=["5.00", "5.00"]), "tables.10.rows.合计[0]", "error"),
    # 30101 100.01: 301 168.00 vs 100.01 + 50 + 12 + 6 = 168.01 — within 4 × 0.005: a tail, not an error
    ("rounding.tail", rows(6, **{"30101": ["100.01", "100.01", ""]}), "tables.6.rows.301[0]", "info"),
    ("cross.t1_t2_t3", move_one_from_210_to_212_in_t3, "tables.3.rows.2120801[0]", "error"),
    ("cross.t1_t2_t3", move_one_from_210_to_212_in_t3, "tables.1.expenditure.城乡社区支出[0]", "error"),
    (
        "cross.t1_t2_t3",
        both(field(1, "income", "一般公共预算", "220.00"), field(1, "income", "政府性基金预算", "11.00")),
        "tables.2.rows.合计[1]",
        "error",
    ),
    ("cross.t4_t5_t8_t9", rows(8, **GOV_FUND_11), "tables.8.rows.合计[0]", "error"),
    (
        "cross.t5_basic_eq_t6",
        rows(
            6,
            合计=["192.00", "168.00", "24.00"],
            **{"302": ["24.00", "", "24.00"], "30201": ["21.00", "", "21.00"]},
        ),
        "tables.6.rows.合计[0]",
        "error",
    ),
    (
        "cross.t3_project_eq_t12_t13",
        rows(13, 档案数字化结转=["6.00", "6.00"]),
        "tables.3.rows.合计[2]",
        "error",
    ),
    (
        "cross.t3_project_eq_t12_t13",
        rows(12, 办公设备购置=["31.00", "31.00"]),
        "tables.5.rows.合计[2]",
        "error",
    ),
    (
        "cross.t11_eq_t6_public",
        rows(11, 部门合计=["24.00", "24.00"], 测试市局=["24.00", "24.00"]),
        "tables.11.rows.部门合计[1]",
        "error",
    ),
    (
        "cross.t10_vs_t6",
        rows(
            10,
            公务用车购置及运行费=["2.00", "2.00"],
            **{"②公务用车运行维护费": ["2.00", "2.00"]},
            合计=["3.00", "3.00"],
        ),
        "tables.10.rows.②公务用车运行维护费[1]",
        "error",
    ),
    (
        "cross.same_figure",
        rows(7, **{k: ["11.00"] for k in ("合计", "212", "21208", "2120801")}),
        "tables.7.rows.合计[0]",
        "error",
    ),
    (
        "cross.same_figure",
        both(field(1, "income", "一般公共预算", "220.00"), field(1, "income", "政府性基金预算", "11.00")),
        "tables.4.income.一般公共预算",
        "error",
    ),
    (
        "catalogue.unknown_code",
        rename_row(3, "rows", "2120801", "2128888"),
        "tables.3.rows.2128888[0]",
        "error",
    ),
    (
        "catalogue.name_mismatch",
        rename_row(1, "expenditure", "卫生健康支出", "医疗卫生与计划生育支出"),
        "tables.1.expenditure.医疗卫生与计划生育支出[0]",
        "error",
    ),
    (
        "catalogue.name_mismatch",
        field(6, "row_names", "30101", "基本工资和津贴"),
        "tables.6.rows.30101[0]",
        "error",
    ),
    (  # 30101 printed with 30103's name: the code is wrong, not the name
        "catalogue.misnumbered",
        field(6, "row_names", "30101", "奖金"),
        "tables.6.rows.30101[0]",
        "error",
    ),
    (
        "catalogue.name_mismatch",
        field(6, "gov_economic", "30201", "工资奖金津补贴"),
        "tables.6.rows.30201[0]",
        "error",
    ),
    ("catalogue.code_depth", drop(3, "2080505"), "tables.3.rows.20805[0]", "error"),
    (
        "catalogue.template_residue",
        rows(3, **{"20105": ["", "", ""], "2010501": []}),
        "tables.3.rows.20105[0]",
        "warning",
    ),
    ("completeness.tables_present", drop_table(13), "tables.13", "error"),
    ("completeness.empty_marked", unmarked_empty_t9, "tables.9", "warning"),
    ("completeness.table_heading", field(5, "label", None, "部门公开表5"), "tables.5.label", "warning"),
    (
        "completeness.table_heading",
        field(5, "title", None, "2022年一般公共预算支出预算表（不含上年结转）"),
        "tables.5.title",
        "warning",
    ),
    # a version-2 document (version 1 cannot hold it): 城市绿化 renamed to 办公设备购置, in 表12's list
    ("table.duplicate_row", lambda doc: _same_name_projects(doc), "tables.12.rows[1].values[0]", "warning"),
]


def _same_name_projects(doc: Doc) -> None:
    from xlbudget.io.tables_json import tables_to_dict as v2

    unit = copy.deepcopy(UNIT_B)
    unit["projects"][1]["name"] = unit["projects"][0]["name"]
    doc.clear()
    doc.update(v2(build_tables(budget_from_dict(unit))))


@pytest.mark.parametrize(
    ("rule", "plant", "location", "severity"), PLANTED, ids=[f"{p[0]}@{p[2]}" for p in PLANTED]
)
def test_each_table_rule_finds_its_planted_error(
    rule: str, plant: Callable, location: str, severity: str
) -> None:
    doc = copy.deepcopy(CLEAN)
    plant(doc)
    findings = check(doc)
    found = [f for f in findings if f.rule == rule and str(f.location) == location]
    assert found, f"{rule} did not report {location}: {findings}"
    assert {f.severity for f in found} == {severity}
    assert check(CLEAN) == []


def test_every_table_rule_has_a_planted_test() -> None:
    table_rules = {r.id for r in RULES.values() if r.scope == "tables"} - {"catalogue.fallback"}
    assert table_rules <= {p[0] for p in PLANTED}


def test_a_tail_is_not_an_error_and_a_larger_gap_is() -> None:
    doc = copy.deepcopy(CLEAN)
    rows(6, **{"30101": ["100.01", "100.01", ""]})(doc)
    findings = check(doc)
    assert [(f.rule, f.severity, str(f.location), f.expected, f.actual) for f in findings] == [
        ("rounding.tail", "info", "tables.6.rows.301[0]", "168.01", "168.00")
    ]  # one tail although it shows in 合计 and 人员经费 alike
    rows(6, **{"30101": ["100.03", "100.03", ""]})(doc)  # 0.03 > 4 × 0.005
    assert {(f.rule, f.severity) for f in check(doc) if str(f.location) == "tables.6.rows.301[0]"} == {
        ("table.class_equals_items", "error")
    }


def test_blank_rows_widen_no_tail_allowance() -> None:
    """A new user's case: 表1 of a unit with 4 of its 30 classes filled, one class off by 0.06.

    Only the figures that were rounded can carry a 尾差: 本年支出合计 and the 4 filled classes, so at most
    5 × 0.005 = 0.025万元; the 26 blank classes are exactly zero. Counting them (31 × 0.005 = 0.155) called
    a real 0.06 error a tail. 一般公共服务支出 208.00 → 208.06: 236.00 against 236.06 is an error.
    """
    doc = copy.deepcopy(CLEAN)
    doc["tables"]["1"]["expenditure"]["一般公共服务支出"] = ["208.06", "203.00", "5.00"]
    errors = [f for f in check(doc) if f.table == 1 and f.severity == "error" and f.expected == "236.06"]
    assert errors and all(f.actual == "236.00" for f in errors)
    assert "5 个四舍五入的数，尾差小于 0.025 万元" in errors[0].message
    assert not [f for f in check(doc) if f.rule == "rounding.tail" and f.table == 1]


def test_a_figure_printed_0_00_may_hide_a_rounding_and_counts() -> None:
    """Two 25-元 lines print 0.00 each and add to 50 元 = 0.01万元: printed 0.00 + 0.00 against 0.01
    is a 尾差 (3 rounded figures, up to 0.015), not an error; printed blank + blank against 0.01 is
    (a blank is exactly zero, only the 0.01 was rounded: up to 0.005)."""

    def printed(text: str) -> Row:  # a figure as read from a document: its yuan, and its text
        return Row("x", "x", (Decimal(text or "0") * 10000,), printed=(text,))

    def gap(total: str, *parts: str) -> Finding | None:
        return sum_finding(
            "r", 3, "here", "合计", value(printed(total), 0), [value(printed(p), 0) for p in parts], "各项"
        )

    tail = gap("0.01", "0.00", "0.00")
    assert tail is not None and (tail.rule, tail.severity) == ("rounding.tail", "info")
    error = gap("0.01", "", "")
    assert error is not None and (error.rule, error.severity) == ("r", "error")
    assert "1 个四舍五入的数，尾差小于 0.005 万元" in error.message
    assert gap("0.00", "", "") is None


def test_old_class_name_says_what_it_is_now() -> None:
    doc = copy.deepcopy(CLEAN)
    rename_row(1, "expenditure", "卫生健康支出", "医疗卫生与计划生育支出")(doc)
    (f,) = [f for f in check(doc) if f.rule == "catalogue.name_mismatch"]
    assert f.expected == "卫生健康支出" and f.actual == "医疗卫生与计划生育支出"


def _t6_302(*rows: tuple[str, str]) -> Doc:
    """单位 B's tables with 表6's 302 printed as these (code, name) rows, each 1.00 公用经费 (302 = their sum)."""
    doc = copy.deepcopy(CLEAN)
    t6 = doc["tables"]["6"]
    before = {k: v for k, v in t6["rows"].items() if not k.startswith("302")}
    total = f"{len(rows)}.00"
    new = {"302": [total, "", total], **{code: ["1.00", "", "1.00"] for code, _ in rows}}
    t6["rows"] = {**{k: v for k, v in before.items() if k != "合计"}, **new, "合计": before["合计"]}
    t6["row_names"] = {k: v for k, v in t6.get("row_names", {}).items() if not k.startswith("302")}
    t6["row_names"].update({"302": "商品和服务支出", **dict(rows)})
    return doc


def test_a_name_printed_under_another_codes_number_is_a_misnumbered_code_not_a_wrong_name() -> None:
    """福利院 2024 表8 numbers 302's 款 01, 02, 03 … in print order. Each row whose printed name is another
    302 款's (咨询费 at 30202, the catalogue's 印刷费: 咨询费 is 30203) is told to change its code to that one;
    a row in the run whose name no 302 款 has (办公设备购置费 at 30203) is told its code is wrong, never to
    print the catalogue's name of the wrong code; nothing is also called a wrong name."""
    doc = _t6_302(("30201", "办公费"), ("30202", "咨询费"), ("30203", "办公设备购置费"), ("30204", "水费"))
    found = [f for f in check(doc) if f.rule.startswith("catalogue.")]
    got = [(f.rule, str(f.location), f.expected, f.actual) for f in found]
    assert got == [
        ("catalogue.misnumbered", "tables.6.rows.30202[0]", "30203", "30202"),
        ("catalogue.misnumbered", "tables.6.rows.30203[0]", None, "30203"),
        ("catalogue.misnumbered", "tables.6.rows.30204[0]", "30205", "30204"),
    ]
    assert "“咨询费”的编码是 30203" in found[0].message and "印刷费" not in (found[0].expected or "")
    assert "按 01、02、03…顺序编号" in found[0].message
    assert "302下没有名为“办公设备购置费”的科目" in found[1].message
    assert "31002" in found[1].message  # 办公设备购置 is a 310 资本性支出 款


def test_a_wrong_name_out_of_a_numbered_run_stays_a_wrong_name() -> None:
    """No row printed with another code's name: a name that fits no code is the name's error, as before."""
    doc = _t6_302(("30201", "办公费"), ("30231", "车辆运行费"))
    found = [(f.rule, f.severity, f.expected) for f in check(doc) if f.rule.startswith("catalogue.")]
    assert found == [("catalogue.name_mismatch", "error", "公务用车运行维护费")]


def test_a_name_with_a_character_left_out_is_a_warning() -> None:
    """福利院 2024 表8 prints 301 08 机关事业单位基本养老保险费: the catalogue's 机关事业单位基本养老保险缴费 without
    its 缴 — the same subject misprinted (a warning), not another subject (an error)."""
    doc = copy.deepcopy(CLEAN)
    field(6, "row_names", "30108", "机关事业单位基本养老保险费")(doc)
    found = [(f.rule, f.severity, f.expected) for f in check(doc) if f.rule.startswith("catalogue.")]
    assert found == [("catalogue.name_mismatch", "warning", "机关事业单位基本养老保险缴费")]


def test_t4_by_class_against_t5_when_nothing_is_carried_over() -> None:
    unit = copy.deepcopy(UNIT_B)
    unit["projects"] = [p for p in unit["projects"] if not p.get("carryover")]
    doc = export(unit)
    assert check(doc) == []
    field(4, "expenditure", "卫生健康支出", ["7.00", "7.00", "", ""])(doc)
    assert ("cross.t4_t5_t8_t9", "tables.4.expenditure.卫生健康支出[1]") in {
        (f.rule, str(f.location)) for f in check(doc)
    }


def test_t10_three_public_without_projects_must_come_from_basic_lines() -> None:
    """No 项目支出 and no 上年结转: 表10 公务接待费 1.00 but 表6 has no 30217 — nowhere for it to come from."""
    unit = copy.deepcopy(UNIT_B)
    unit["projects"] = []
    findings = check(export(unit))
    assert [(f.rule, f.severity, str(f.location)) for f in findings] == [
        ("cross.t10_vs_t6", "warning", "tables.10.rows.公务接待费[1]")
    ]


def test_year_without_catalogue_and_fallback() -> None:
    doc = copy.deepcopy(CLEAN)
    doc["year"] = 2027  # the package's newest catalogue is 2026's
    for t in doc["tables"].values():
        t["title"] = t["title"].replace("2023", "2027")
    findings = check(doc)
    assert [(f.rule, f.severity) for f in findings] == [("catalogue.fallback", "info")]
    doc["year"] = 1999
    assert ("catalogue.unknown_code", "warning", "year") in {
        (f.rule, f.severity, str(f.location)) for f in check(doc)
    }


def test_empty_t11_beside_public_funds_is_an_info_when_the_unit_kind_is_unknown() -> None:
    """A 其他事业单位 publishes 表11 empty; from the tables alone the kind is unknown: say so, as an info."""
    unit = copy.deepcopy(UNIT_B)
    unit["unit"]["kind"] = "public_institution"
    findings = check(export(unit))
    assert [(f.rule, f.severity, str(f.location), f.expected) for f in findings] == [
        ("cross.t11_eq_t6_public", "info", "tables.11", "23.00")
    ]


def test_a_gap_rounding_cannot_give_is_an_error() -> None:
    """Half-up moves each figure by more than −0.005 and at most +0.005万元, so a total and its parts differ
    by strictly less than 0.005 × the rounded figures. A 款 of one 项 printed 0.01 apart from it can't be
    a 尾差 (the same yuan round alike); three parts printing 0.00 (each under 50 元, together under 150 元)
    can't make a total of 0.02 either — but 0.01 they can (3 × 40 元 = 120 元)."""

    def printed(text: str) -> Row:
        return Row("x", "x", (Decimal(text or "0") * 10000,), printed=(text,))

    def gap(total: str, *parts: str) -> Finding | None:
        return sum_finding(
            "r", 3, "here", "合计", value(printed(total), 0), [value(printed(p), 0) for p in parts], "各项"
        )

    one = gap("18.40", "18.39")
    assert one is not None and (one.rule, one.severity) == ("r", "error")
    three = gap("0.02", "0.00", "0.00", "0.00")
    assert three is not None and (three.rule, three.severity) == ("r", "error")
    tail = gap("0.01", "0.00", "0.00", "0.00")
    assert tail is not None and (tail.rule, tail.severity) == ("rounding.tail", "info")


def test_the_seed_with_a_kuan_off_by_a_cent_from_its_only_xiang() -> None:
    """The seed's 表3 (../shared/golden): 210 卫生健康支出 18.39 = 21011 = 2101101 18.39, one 款 of one 项.
    21011 printed 18.40 is a misprint within 表3 itself — not a 尾差 — at 21011 (against its 项) and at 210
    (against its 款)."""
    doc = json.loads((SHARED / "golden" / "datong-xinfang-2023.tables.json").read_text("utf-8"))
    doc["tables"]["3"]["rows"]["21011"] = ["18.40", "18.40", ""]
    found = {(f.rule, f.severity, str(f.location)) for f in check(doc) if f.table == 3}
    assert ("table.class_equals_items", "error", "tables.3.rows.21011[0]") in found
    assert ("table.class_equals_items", "error", "tables.3.rows.210[0]") in found
    assert not [f for f in found if f[0] == "rounding.tail"]
