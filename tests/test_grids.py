"""One printed grid per table (xlbudget.grids): what the sheet, the Word report and the export print."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from tests.conftest import GOLDEN_TABLES, SEED_JSON
from xlbudget.grids import printed_tables
from xlbudget.io.tables_json import tables_to_dict
from xlbudget.io.unit_json import read_unit_json
from xlbudget.profiles import available_profiles
from xlbudget.tables import build_tables


def _seed(profile: str):
    budget = read_unit_json(SEED_JSON)
    return budget, build_tables(budget, profile=profile)


@pytest.mark.parametrize("profile", available_profiles())
def test_every_figure_the_grid_prints_is_the_exported_figure(profile):
    """Each figure cell of each table's grid prints the value the tables JSON holds for the same row
    and column, as text in the table's unit — the export and the print are one set of figures."""
    _budget, ts = _seed(profile)
    exported = tables_to_dict(ts)["tables"]
    for pt in printed_tables(ts):
        t = pt.table
        for _r, _c, cell in pt.figures():
            part, i, j = cell.ref
            if part == "rows":
                values = t.rows[i].values
            elif part == "income":
                values = t.income[i].values
            else:
                values = t.totals[part]
            assert cell.value == values[j]
            if t.empty:
                continue
            d = exported[str(t.number)]
            if part == "rows":
                printed = (d.get("rows") or d["expenditure"])[i]["values"][j]
            else:
                side = d["income"] if part == "income" else d["income"] + d["expenditure"]
                name = t.income[i].label if part == "income" else part
                line = [x for x in side if x["name"] == name][0 if part == "income" else -1]
                printed = line["values"][j if part != "income" else 0] if line["values"] else ""
            assert cell.text == printed, (profile, t.number, cell.ref)


def test_the_seed_grid_prints_the_golden_figures():
    """表3 合计 line: 916.53 | 523.52 | 393.01 as the seed prints it (golden)."""
    golden = json.loads(GOLDEN_TABLES.read_text("utf-8"))
    _budget, ts = _seed("shanxi-13")
    t3 = next(pt for pt in printed_tables(ts) if pt.table.number == 3)
    total = next(row for row in t3.body if row[0] is not None and row[0].text == "合计")
    assert [c.text for c in total if c is not None and c.style == "figure"] == golden["tables"]["3"]["rows"][
        "合计"
    ]
    assert total[0].cols == 2  # 合计 spans 科目编码 and 科目名称
    assert t3.unit_line == "单位名称：大同市信访局\t单位：万元"


def test_an_empty_table_prints_its_note_and_a_blank_total_line():
    _budget, ts = _seed("shanxi-13")
    t7 = next(pt for pt in printed_tables(ts) if pt.table.number == 7)
    assert t7.note == "注：本表无数据"
    assert [c.text for c in t7.body[0] if c is not None] == ["合计", ""]


def test_a_table_in_yuan_prints_whole_yuan_with_separators():
    _budget, ts = _seed("shanxi-13")
    t3 = replace(ts[3], amount_unit="元")
    pt = printed_tables(replace(ts, tables=(t3,)))[0]
    total = next(row for row in pt.body if row[0] is not None and row[0].text == "合计")
    # the seed fixture's lines sum to 9,165,270 元, printed 916.53 in 万元 (916.527, rounded half-up)
    assert sum(x.amount for x in _budget.lines) == 9165270
    assert total[2].text == "9,165,270"
    assert pt.unit_line.endswith("单位：元")
