"""The worksheet functions, called as plain functions (xlwings' decorators pass them through on Linux)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from xlbudget.workbook.layout import UNKNOWN_CODE
from xlbudget.workbook.udfs import KMMC, NOT_AN_AMOUNT, WANYUAN


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("2010308", "信访事务"),  # 功能分类 项, as text
        (2010308, "信访事务"),  # pasted as a number
        (2010308.0, "信访事务"),  # what Excel hands over for a number
        (" 2101101 ", "行政单位医疗"),  # stray spaces
        ("2210201\u3000", "住房公积金"),  # a full-width space
        ("22 10 202", "提租补贴"),  # spaces inside
        ("201", "一般公共服务支出"),  # 类
        ("30101", "基本工资"),  # 经济分类 款
        ("301", "工资福利支出"),  # 经济分类 类
        ("9999999", UNKNOWN_CODE),
        ("12", UNKNOWN_CODE),  # not 3/5/7 digits
        ("abc", UNKNOWN_CODE),
        (None, ""),
        ("", ""),
        ("  ", ""),
    ],
)
def test_kmmc_names_a_code_however_it_was_pasted(code: object, name: str) -> None:
    assert KMMC(code) == name


def test_kmmc_year_argument_falls_back_to_the_default_catalogue() -> None:
    assert KMMC("2010308", 2023) == "信访事务"
    assert KMMC("2010308", 2023.0) == "信访事务"
    assert KMMC("2010308", "不是年份") == "信访事务"
    assert KMMC("2010308", 2024) == "信访事务"  # a later year falls back to the 2023 catalogue


@pytest.mark.parametrize(
    ("yuan", "wan"),
    [
        (9165305, 916.53),
        (12250, 1.23),  # half-up (四舍五入), not the banker's 1.22
        (12350, 1.24),
        (12249.99, 1.22),
        (45, 0.0),
        (50, 0.01),
        ("1,234,500.00", 123.45),
        ("１２２５０", 1.23),  # full-width digits
        (Decimal("12250"), 1.23),
        (0, 0.0),
    ],
)
def test_wanyuan_rounds_half_up(yuan: object, wan: float) -> None:
    assert WANYUAN(yuan) == wan


@pytest.mark.parametrize("bad", ["abc", "12.345", True, float("nan"), float("inf")])
def test_wanyuan_says_what_is_not_an_amount(bad: object) -> None:
    assert WANYUAN(bad) == NOT_AN_AMOUNT


def test_wanyuan_blank_is_blank() -> None:
    assert WANYUAN(None) == ""
    assert WANYUAN("  ") == ""


def test_udfs_are_the_ones_the_workbook_declares() -> None:
    from importlib import resources

    vba = resources.files("xlbudget.workbook").joinpath("vba", "xlwings_udfs.bas").read_text("utf-8")
    for name in ("KMMC", "WANYUAN"):
        assert f'"xlbudget.workbook.udfs", "{name}"' in vba
