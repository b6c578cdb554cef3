"""Units of our own that exercise what the seed does not. Expected figures worked out by hand below.

单位 A — a public institution (其他事业单位) with all five funds, carried-over basic and
project lines and four 功能类.  Lines (yuan):

  basic   2010350 30101 general          1,000,000.00
          2010350 30201 general            200,000.00
          2080505 30108 general            150,000.00
          2010350 30201 special_account     50,000.00
          2010350 30101 unit_funds          80,000.00
          2010350 30201 general             30,000.00   carried over
  project 信息化建设     2010350 general    500,000.00
          城市更新       2120801 gov_fund   300,000.00
          国企改革补助   2230105 soe_capital 120,000.00
          设备购置结转   2010350 general     40,000.00   carried over
          自有资金项目   2010350 unit_funds  60,000.00
          基金项目结转   2120801 gov_fund    20,000.00   carried over

  this-year income by fund: general 1,850,000 (185.00), gov_fund 300,000 (30.00),
  soe 120,000 (12.00), special 50,000 (5.00), unit 140,000 (14.00) → 本年收入 246.00;
  上年结转 30,000 + 40,000 + 20,000 = 90,000 (9.00) → 收入总计 255.00.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import unit_dict
from tests.helpers.tables_v1 import tables_to_dict
from xlbudget.io.unit_json import budget_from_dict
from xlbudget.tables import build_tables


def basic(function: str, economic: str, fund: str, amount: int, carryover: bool = False) -> dict[str, Any]:
    return {
        "function": function,
        "economic": economic,
        "fund": fund,
        "amount": amount,
        "carryover": carryover,
    }


def project(name: str, function: str, fund: str, amount: int, carryover: bool = False) -> dict[str, Any]:
    return {"name": name, "function": function, "fund": fund, "amount": amount, "carryover": carryover}


UNIT_A = unit_dict(
    unit={"name": "测试事业单位", "code": "998", "level": "市级", "kind": "public_institution"},
    basic=[
        basic("2010350", "30101", "general", 1_000_000),
        basic("2010350", "30201", "general", 200_000),
        basic("2080505", "30108", "general", 150_000),
        basic("2010350", "30201", "special_account", 50_000),
        basic("2010350", "30101", "unit_funds", 80_000),
        basic("2010350", "30201", "general", 30_000, carryover=True),
    ],
    projects=[
        project("信息化建设", "2010350", "general", 500_000),
        project("城市更新", "2120801", "gov_fund", 300_000),
        project("国企改革补助", "2230105", "soe_capital", 120_000),
        project("设备购置结转", "2010350", "general", 40_000, carryover=True),
        project("自有资金项目", "2010350", "unit_funds", 60_000),
        project("基金项目结转", "2120801", "gov_fund", 20_000, carryover=True),
    ],
    three_public=[
        {"item": "公务接待费", "fund": "general", "amount": "12345.67"},
        {"item": "公务用车购置费", "fund": "general", "amount": 250_000},
        {"item": "公务用车运行维护费", "fund": "general", "amount": 20_000},
        {"item": "因公出国（境）费", "fund": "unit_funds", "amount": 10_000},  # not 财政拨款: not in 表10
    ],
)


@pytest.fixture(scope="module")
def a() -> dict[str, Any]:
    return tables_to_dict(build_tables(budget_from_dict(UNIT_A)))["tables"]


def nonzero(rows: dict[str, list[str]]) -> dict[str, list[str]]:
    """Rows as printed, trailing blanks dropped, all-blank rows left out (the contract's equality)."""
    out = {}
    for key, values in rows.items():
        values = list(values)
        while values and values[-1] == "":
            values.pop()
        if values:
            out[key] = values
    return out


def test_a_table1_income_and_expenditure(a: dict[str, Any]) -> None:
    t = a["1"]
    assert t["income"] == {
        "一般公共预算": "185.00",
        "政府性基金预算": "30.00",
        "国有资本经营预算": "12.00",
        "财政专户管理资金": "5.00",
        "单位资金": "14.00",
    }
    assert t["本年收入合计"] == "246.00" and t["上年结转"] == "9.00" and t["收入总计"] == "255.00"
    # 201: basic 1,360,000 + projects 600,000 = 1,960,000, of which 70,000 carried over
    assert nonzero(t["expenditure"]) == {
        "一般公共服务支出": ["196.00", "189.00", "7.00"],
        "社会保障和就业支出": ["15.00", "15.00"],
        "城乡社区支出": ["32.00", "30.00", "2.00"],
        "国有资本经营预算支出": ["12.00", "12.00"],
    }
    assert t["本年支出合计"] == ["255.00", "246.00", "9.00"] and t["支出总计"] == ["255.00", "246.00", "9.00"]


def test_a_table2_income_by_fund(a: dict[str, Any]) -> None:
    rows = nonzero(a["2"]["rows"])
    assert rows["合计"] == ["255.00", "185.00", "30.00", "12.00", "5.00", "14.00", "9.00"]
    # 201: general 1,000,000+200,000+500,000; special 50,000; unit 80,000+60,000; carried 30,000+40,000
    assert rows["201"] == ["196.00", "170.00", "", "", "5.00", "14.00", "7.00"]
    assert rows["2120801"] == ["32.00", "", "30.00", "", "", "", "2.00"]
    assert rows["2230105"] == ["12.00", "", "", "12.00"]
    assert list(rows) == [
        "合计",
        "201",
        "20103",
        "2010350",
        "208",
        "20805",
        "2080505",
        "212",
        "21208",
        "2120801",
        "223",
        "22301",
        "2230105",
    ]


def test_a_table3_basic_and_project(a: dict[str, Any]) -> None:
    rows = nonzero(a["3"]["rows"])
    assert rows["合计"] == ["255.00", "151.00", "104.00"]
    assert rows["2010350"] == ["196.00", "136.00", "60.00"]


def test_a_table4_fiscal_only(a: dict[str, Any]) -> None:
    t = a["4"]
    assert t["income"] == {"一般公共预算": "185.00", "政府性基金预算": "30.00", "国有资本经营预算": "12.00"}
    assert t["本年收入合计"] == "227.00" and t["上年财政拨款结转"] == "9.00" and t["收入总计"] == "236.00"
    # 201 fiscal: 1,000,000+200,000+30,000 basic, 500,000+40,000 projects = 1,770,000
    assert nonzero(t["expenditure"]) == {
        "一般公共服务支出": ["177.00", "177.00"],
        "社会保障和就业支出": ["15.00", "15.00"],
        "城乡社区支出": ["32.00", "", "32.00"],
        "国有资本经营预算支出": ["12.00", "", "", "12.00"],
    }
    assert t["支出总计"] == ["236.00", "192.00", "32.00", "12.00"]


def test_a_tables_5_and_6_general_this_year(a: dict[str, Any]) -> None:
    t5 = nonzero(a["5"]["rows"])
    assert t5 == {
        "合计": ["185.00", "135.00", "50.00"],
        "201": ["170.00", "120.00", "50.00"],
        "20103": ["170.00", "120.00", "50.00"],
        "2010350": ["170.00", "120.00", "50.00"],
        "208": ["15.00", "15.00"],
        "20805": ["15.00", "15.00"],
        "2080505": ["15.00", "15.00"],
    }
    t6 = nonzero(a["6"]["rows"])
    assert t6 == {
        "合计": ["135.00", "115.00", "20.00"],
        "301": ["115.00", "115.00"],
        "30101": ["100.00", "100.00"],
        "30108": ["15.00", "15.00"],
        "302": ["20.00", "", "20.00"],
        "30201": ["20.00", "", "20.00"],
    }


def test_a_government_funds_and_state_capital(a: dict[str, Any]) -> None:
    assert nonzero(a["7"]["rows"])["合计"] == ["30.00"]
    assert nonzero(a["8"]["rows"]) == {k: ["30.00", "", "30.00"] for k in ("合计", "212", "21208", "2120801")}
    assert nonzero(a["9"]["rows"]) == {
        k: ["12.00", "12.00", "", "12.00"] for k in ("合计", "223", "22301", "2230105")
    }


def test_a_three_public_fiscal_only(a: dict[str, Any]) -> None:
    rows = nonzero(a["10"]["rows"])
    assert rows == {
        "公务接待费": ["1.23", "1.23"],
        "公务用车购置及运行费": ["27.00", "27.00"],
        "①公务用车购置费": ["25.00", "25.00"],
        "②公务用车运行维护费": ["2.00", "2.00"],
        "合计": ["28.23", "28.23"],  # 282,345.67 yuan
    }


def test_a_public_institution_has_no_operating_funds(a: dict[str, Any]) -> None:
    assert a["11"]["empty"] is True and a["11"]["note"] == "注：本表无数据"


def test_a_projects_this_year_and_carried_over(a: dict[str, Any]) -> None:
    assert nonzero(a["12"]["rows"]) == {
        "信息化建设": ["50.00", "50.00"],
        "城市更新": ["30.00", "", "30.00"],
        "国企改革补助": ["12.00", "", "", "12.00"],
        "自有资金项目": ["6.00", "", "", "", "", "6.00"],
    }
    assert nonzero(a["13"]["rows"]) == {
        "设备购置结转": ["4.00", "4.00"],
        "基金项目结转": ["2.00", "", "2.00"],
    }


def test_b_administrative_unit_with_only_general_money() -> None:
    """单位 B: 行政单位, general money only — tables 7, 8, 9 and 13 empty, 表11 = 公用经费.

    Lines: 2010101 30101 600,000.04 and 2010101 30201 99,999.99 (basic), 2010102 project 12,345.00.
    30201 is 公用经费, so 表11 = 99,999.99 → 10.00.  合计 712,345.03 → 71.23.
    """
    doc = unit_dict(
        basic=[
            basic("2010101", "30101", "general", "600000.04"),
            basic("2010101", "30201", "general", "99999.99"),
        ],
        projects=[project("会议费", "2010102", "general", 12_345)],
    )
    t = tables_to_dict(build_tables(budget_from_dict(doc)))["tables"]
    assert [n for n in t if t[n].get("empty")] == ["7", "8", "9", "10", "13"]  # no “三公” either
    assert nonzero(t["11"]["rows"]) == {"部门合计": ["10.00", "10.00"], "测试单位": ["10.00", "10.00"]}
    assert nonzero(t["3"]["rows"])["合计"] == ["71.23", "70.00", "1.23"]
    assert t["10"]["empty"] is True
