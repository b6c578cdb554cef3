"""What staff see in the committed workbook: the cells to type in are light yellow, the cells a formula fills
(科目名称) grey, 表1…表13 plain — and 使用说明 says so."""

from __future__ import annotations

import openpyxl
import pytest

from tests.conftest import ROOT
from xlbudget.workbook import layout as L

COMMITTED = ROOT / "workbook" / "Budget2023.xlsm"
INPUT = "FF" + L.INPUT_FILL[1:]
FORMULA = "FF" + L.FORMULA_FILL[1:]


@pytest.fixture(scope="module")
def wb() -> openpyxl.Workbook:
    return openpyxl.load_workbook(COMMITTED)


def _fill(cell: object) -> str | None:
    fill = cell.fill  # type: ignore[attr-defined]
    return fill.fgColor.rgb if fill.fill_type == "solid" else None


@pytest.mark.parametrize("spec", L.INPUT_TABLES, ids=lambda s: s.sheet)
def test_every_cell_of_an_input_table_shows_whether_to_type_in_it(
    wb: openpyxl.Workbook, spec: L.InputTable
) -> None:
    ws = wb[spec.sheet]
    table = ws.tables[spec.name]
    last = int(table.ref.split(":")[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    assert last > L.FIRST_DATA_ROW
    for c, col in enumerate(spec.columns, start=1):
        want = FORMULA if col.kind == "name" else INPUT
        for r in range(L.FIRST_DATA_ROW, last + 1):  # the blank rows kept for more lines too
            cell = ws.cell(r, c)
            assert _fill(cell) == want, f"{spec.sheet}!{cell.coordinate}"
            if col.kind == "name":
                assert str(cell.value).startswith("=IF("), cell.coordinate  # really a formula
        assert _fill(ws.cell(L.HEADER_ROW, c)) not in (INPUT, FORMULA)  # headings look like headings
        assert _fill(ws.cell(last + 1, c)) is None  # nothing below the table is painted


def test_unit_form_marks_its_content_column(wb: openpyxl.Workbook) -> None:
    ws = wb[L.UNIT_SHEET]
    rows = [r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value]
    assert len(rows) >= len(L.UNIT_FORM)
    for r in rows:
        assert _fill(ws.cell(r, 2)) == INPUT, f"B{r}"
        assert _fill(ws.cell(r, 1)) != INPUT  # the labels are not to be typed over
        vehicle = L.UNIT_FORM_BY_LABEL[ws.cell(r, 1).value].kind == "vehicle"
        assert (_fill(ws.cell(r, 3)) == INPUT) == vehicle, f"C{r}"
    year = next(r for r in rows if ws.cell(r, 1).value == "预算年度")
    assert ws.cell(year, 2).value == 2023
    assert ws.cell(year, 2).alignment.horizontal == "left" and ws.cell(year, 2).number_format == "0"


def test_tables_are_not_painted_as_inputs(wb: openpyxl.Workbook) -> None:
    for sheet in L.TABLE_SHEETS:
        for row in wb[sheet].iter_rows():
            for cell in row:
                assert _fill(cell) not in (INPUT, FORMULA), f"{sheet}!{cell.coordinate}"


def test_help_has_the_legend_in_the_colours_it_names(wb: openpyxl.Workbook) -> None:
    ws = wb[L.HELP_SHEET]
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    yellow = next(c for c in cells if c.value.startswith("浅黄色："))
    grey = next(c for c in cells if c.value.startswith("浅灰色"))
    assert _fill(yellow) == INPUT and _fill(grey) == FORMULA
    text = "\n".join(c.value for c in cells)
    assert "pip install xlbudget-" in text and "make wheel" in text  # what really installs it
    assert "pip install xlbudget）" not in text and "pip install xlbudget。" not in text
    assert all(c.alignment.wrap_text for c in cells if len(c.value) > 60)  # long lines wrap
