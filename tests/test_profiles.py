"""A table set is data: another profile gives another set of tables from the same engine."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import SEED_JSON
from xlbudget.io.unit_json import read_unit_json
from xlbudget.profiles import available_profiles, load_profile
from xlbudget.tables import build_tables


def test_profiles_ship_with_the_package() -> None:
    assert {"shanxi-13", "national-9"} <= set(available_profiles())
    assert [t.number for t in load_profile("shanxi-13").tables] == list(range(1, 14))


def test_national_nine_from_the_same_lines() -> None:
    budget = read_unit_json(SEED_JSON)
    nine = build_tables(budget, profile="national-9")
    thirteen = build_tables(budget)
    assert [t.number for t in nine.tables] == list(range(1, 10))
    assert nine[6].title == "2023年一般公共预算基本支出表"
    # the same money: 基本支出 by economic class, and the “三公” table
    assert nine[6].rows == thirteen[6].rows
    assert nine[7].rows == thirteen[10].rows
    assert nine[1].totals["支出总计"][0] == Decimal("9165270")


def test_unknown_profile_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="没有名为"):
        load_profile("hebei-99")
