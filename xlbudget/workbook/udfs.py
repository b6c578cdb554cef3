"""Worksheet functions (UDFs) for what formulas cannot do well; ``xlwings.conf`` names this module.

* ``=KMMC(code)`` — 科目名称 of a 支出功能分类 or 经济分类 code from the package's
  catalogue (``科目编码不存在`` for an unknown code, blank for a blank cell);
  a second argument picks the catalogue's year (default 2023, the workbook's year).
* ``=WANYUAN(yuan)`` — 元 → 万元, two decimals, rounded half-up (四舍五入).

On Windows, xlwings calls them through the VBA wrappers of the workbook's
``xlwings_udfs`` module.  Elsewhere the decorators pass the functions through,
so they are plain functions (that is how the tests call them).
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Any

import xlwings as xw

from xlbudget.catalogue import Catalogue, load_catalogue, normalize_code
from xlbudget.money import AmountError, parse_yuan, to_wan
from xlbudget.workbook.layout import UNKNOWN_CODE

DEFAULT_YEAR = 2023
NOT_AN_AMOUNT = "不是金额"


@lru_cache(maxsize=8)
def _catalogue(year: int) -> Catalogue:
    return load_catalogue(year)


def _year(value: Any) -> int:
    try:
        year = int(float(value)) if value not in (None, "") else DEFAULT_YEAR
    except (TypeError, ValueError):
        return DEFAULT_YEAR
    return year if 2000 <= year <= 2100 else DEFAULT_YEAR


@xw.func
def KMMC(code: Any, year: Any = None) -> str:  # noqa: N802 - the name people type in Excel
    """科目名称：功能分类或经济分类编码对应的名称。"""
    if code is None or (isinstance(code, str) and not code.strip()):
        return ""
    if isinstance(code, str):
        code = code.replace(" ", "").replace(
            "\u3000", ""
        )  # spaces anywhere, as the lookup formula drops them
    normal = normalize_code(code)
    if normal is None:
        return UNKNOWN_CODE
    try:
        cat = _catalogue(_year(year))
    except Exception:  # noqa: BLE001 - a missing catalogue year falls back to the default
        cat = _catalogue(DEFAULT_YEAR)
    return cat.function_name(normal) or cat.economic_name(normal) or UNKNOWN_CODE


@xw.func
def WANYUAN(yuan: Any) -> float | str:  # noqa: N802 - the name people type in Excel
    """元换算为万元，两位小数，四舍五入。"""
    if yuan is None or (isinstance(yuan, str) and not yuan.strip()):
        return ""
    if isinstance(yuan, bool):
        return NOT_AN_AMOUNT
    if isinstance(yuan, int | float):
        if yuan != yuan or yuan in (float("inf"), float("-inf")):
            return NOT_AN_AMOUNT
        return float(to_wan(Decimal(repr(yuan)) if isinstance(yuan, float) else Decimal(yuan)))
    try:
        return float(to_wan(parse_yuan(yuan)))
    except AmountError:
        return NOT_AN_AMOUNT
