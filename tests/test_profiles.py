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


def test_a_unit_picks_its_profile_as_the_contract_says():
    """contract/README.md: unit.profile, else unit.province (山西省 → shanxi-13, 上海市 → shanghai-9,
    any other → national-9), with neither shanxi-13."""
    from xlbudget.model import Unit
    from xlbudget.profiles import profile_for

    assert profile_for(Unit("甲")) == "shanxi-13"
    assert profile_for(Unit("甲", province="山西省")) == "shanxi-13"
    assert profile_for(Unit("甲", province="上海市")) == "shanghai-9"
    assert profile_for(Unit("甲", province="浙江省")) == "national-9"
    assert profile_for(Unit("甲", province="上海市", profile="national-9")) == "national-9"


def test_every_table_of_every_profile_has_a_role_and_every_column_an_id():
    from xlbudget.profiles import COLUMN_IDS, ROLES, available_profiles, load_profile

    for pid in available_profiles():
        profile = load_profile(pid)
        roles = [t.role for t in profile.tables]
        assert all(r in ROLES for r in roles), pid
        assert len(set(roles)) == len(roles), pid
        for t in profile.tables:
            assert len(t.column_ids) == len(t.columns), (pid, t.number)
            assert all(c in COLUMN_IDS for c in t.column_ids), (pid, t.number, t.column_ids)


def test_the_seed_tables_are_found_by_role_and_their_columns_by_id():
    import json

    from tests.conftest import GOLDEN_TABLES
    from xlbudget.io.tables_json import tables_from_dict

    golden = tables_from_dict(json.loads(GOLDEN_TABLES.read_text("utf-8")))
    t6 = golden.by_role("general_basic_economic")
    assert t6 is not None and t6.number == 6
    assert t6.column("public") == 2 and t6.column("abroad") is None
    assert golden.by_role("three_public_operating") is None
