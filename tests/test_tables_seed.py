"""Built from the seed fixture, the 13 tables equal what 大同市信访局 published (the golden file)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SEED_JSON
from xlbudget.cli import main
from xlbudget.io.tables_json import compare, tables_to_dict
from xlbudget.io.unit_json import read_unit_json
from xlbudget.tables import build_tables


@pytest.fixture(scope="module")
def exported() -> dict[str, Any]:
    return tables_to_dict(build_tables(read_unit_json(SEED_JSON)))


def test_cli_export_equals_golden(tmp_path: Path, golden_tables: dict[str, Any]) -> None:
    out = tmp_path / "t.json"
    assert main(["export", str(SEED_JSON), "-o", str(out)]) == 0
    assert compare(json.loads(out.read_text("utf-8")), golden_tables) == []


@pytest.mark.parametrize("number", [str(n) for n in range(1, 14)])
def test_each_table_equals_golden(
    exported: dict[str, Any], golden_tables: dict[str, Any], number: str
) -> None:
    one = {"tables": {number: exported["tables"][number]}}
    assert compare(one, {"tables": {number: golden_tables["tables"][number]}}) == []


def test_compare_sees_a_wrong_figure(exported: dict[str, Any], golden_tables: dict[str, Any]) -> None:
    """The comparison itself can fail: one changed cent is found and named."""
    broken = json.loads(json.dumps(golden_tables))
    broken["tables"]["6"]["rows"]["30201"] = ["11.71", "", "11.71"]
    assert compare(exported, broken) == ["表6 rows 30201: ['11.70', '0', '11.70'] ≠ ['11.71', '0', '11.71']"]


def test_titles_carry_the_year_and_tables_7_8_9_13_are_empty(exported: dict[str, Any]) -> None:
    tables = exported["tables"]
    assert tables["1"]["title"] == "2023年预算收支总表"
    assert all(tables[n]["title"].startswith("2023年") for n in tables)
    for n in ("7", "8", "9", "13"):
        assert tables[n] == {
            "label": f"预算公开表{n}",
            "title": tables[n]["title"],
            "empty": True,
            "note": "注：本表无数据",
        }
    assert all(tables[n]["label"] == f"预算公开表{n}" for n in tables)


def test_table1_lists_all_30_function_classes(exported: dict[str, Any]) -> None:
    expenditure = [r for r in exported["tables"]["1"]["expenditure"] if "code" in r]
    assert len(expenditure) == 30
    assert [r["name"] for r in expenditure[:2]] == ["一般公共服务支出", "外交支出"]
    assert (expenditure[0]["code"], expenditure[-1]["name"]) == ("201", "抗疫特别国债安排的支出")
    assert len([r for r in exported["tables"]["4"]["expenditure"] if "code" in r]) == 30
    # the footer lines close the expenditure list, as printed
    names = [r["name"] for r in exported["tables"]["1"]["expenditure"][30:]]
    assert names == ["本年支出合计", "年终结转", "支出总计"]


def test_table6_names_and_government_economic_classes(
    exported: dict[str, Any], golden_tables: dict[str, Any]
) -> None:
    ours, theirs = exported["tables"]["6"], golden_tables["tables"]["6"]
    assert {r["code"]: r["name"] for r in ours["rows"] if "code" in r} == theirs["row_names"]
    assert {r["code"]: r["gov_economic"] for r in ours["rows"] if "gov_economic" in r} == theirs[
        "gov_economic"
    ]
