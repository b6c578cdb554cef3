"""One printed grid per table (xlbudget.grids): what the sheet, the Word report and the export print."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

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
            if t.amount_unit == "元":  # the export's 2 decimals ("9165270.00"), the print's whole yuan
                assert Decimal(cell.text.replace(",", "") or 0) == Decimal(printed or 0), (profile, t.number)
            else:
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


def _seed_as(profile: str):
    budget = read_unit_json(SEED_JSON)
    return replace(budget, unit=replace(budget.unit, profile=profile))


@pytest.mark.parametrize("profile", available_profiles())
def test_the_sheet_prints_the_grid_and_reads_back_the_same_tables(profile, tmp_path):
    """Each 表 sheet holds its grid's cells where layout puts them: the header texts, each label, each
    figure (in 万元 or 元 as the table prints, blank for zero), the note; read back, the sheets give
    the tables built from the lines (figures as printed)."""
    import openpyxl

    from xlbudget.io.tables_json import compare
    from xlbudget.money import in_unit
    from xlbudget.workbook import layout as L
    from xlbudget.workbook.build import write_workbook
    from xlbudget.workbook.reader import read_workbook_tables

    budget = _seed_as(profile)
    path = write_workbook(tmp_path / "b.xlsm", budget)
    wb = openpyxl.load_workbook(path)
    ts = build_tables(budget)
    assert ts.profile == profile
    assert [n for n in wb.sheetnames if n.startswith("表")] == [f"表{t.number}" for t in ts.tables]
    for t in ts.tables:
        ws = wb[L.table_sheet(t.number)]
        pt = L.sheet_grid(t, budget.unit.name, budget.year)
        for r1, c1, _r2, _c2, text in L.header_cells(pt):
            assert ws.cell(r1, c1).value == text, (profile, t.number, r1, c1)
        top = L.body_top(pt)
        for r, row in enumerate(pt.body):
            for c, cell in enumerate(row):
                got = ws.cell(top + r, c + 1).value
                if cell is None:
                    continue
                if cell.style == "figure":
                    want = float(in_unit(cell.value, t.amount_unit)) if cell.value else None
                else:
                    want = cell.text or None
                assert got == want, (profile, t.number, top + r, c + 1)
        if pt.note:
            assert ws.cell(top + len(pt.body), 1).value == pt.note
    back = read_workbook_tables(path)
    assert back.profile == profile
    assert compare(tables_to_dict(back), tables_to_dict(ts)) == []


@pytest.mark.parametrize("profile", available_profiles())
def test_word_sets_the_grid(profile, tmp_path):
    """Word's tables (第二部分) print the grid's cells, row by row, a merged cell once."""
    from docx import Document

    from xlbudget.report.render import default_template
    from xlbudget.report.word_tables import write_tables

    budget = _seed_as(profile)
    ts = build_tables(budget)
    doc = Document(str(default_template()))
    blocks = write_tables(doc, budget, ts)
    W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    tables = [b for b in blocks if b.tag == f"{W}tbl"]
    grids = printed_tables(ts, unit_name=budget.unit.name)
    assert len(tables) == len(grids)
    for tbl, pt in zip(tables, grids, strict=True):
        rows = tbl.findall(f"{W}tr")[len(pt.heads) :]
        assert len(rows) == len(pt.body)
        for tr, row in zip(rows, pt.body, strict=True):
            texts = ["".join(t.text or "" for t in tc.iter(f"{W}t")) for tc in tr.findall(f"{W}tc")]
            want = []
            c = 0
            while c < len(row):
                cell = row[c]
                want.append(cell.text if cell is not None else "")
                c += cell.cols if cell is not None else 1
            assert texts == want, (profile, pt.table.number)
