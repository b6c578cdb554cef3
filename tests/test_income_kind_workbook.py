"""单位资金收入类型 in the workbook: a Shanghai unit's 事业收入 survives the workbook (it used to become 其他收入)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import SHARED
from xlbudget.errors import InputError
from xlbudget.io.unit_json import read_unit_json
from xlbudget.tables import build_tables
from xlbudget.workbook import layout as L
from xlbudget.workbook.build import write_workbook
from xlbudget.workbook.reader import read_workbook

PUTUO = SHARED / "fixtures" / "putuo-welfare-2024.json"


def test_a_shanghai_units_business_income_survives_its_workbook(tmp_path: Path) -> None:
    """福利院's project 社会福利事业单位项目 (2,620,000 元 of 单位资金) is 事业收入: the printed 表1 shows
    二、事业收入 2,620,000 (the PDF, p.7). Through the workbook it stays 事业收入."""
    budget = read_unit_json(PUTUO)
    book = write_workbook(tmp_path / "putuo.xlsm", budget)
    back = read_workbook(book)
    assert [p.income_kind for p in back.projects] == ["事业收入"]
    t1 = build_tables(back).by_role("balance")
    assert t1 is not None
    income = {r.label: r.values[0] for r in t1.income}
    assert income["二、事业收入"] == Decimal(2620000) and income["四、其他收入"] == 0


def test_a_wrong_income_kind_is_refused_at_its_cell(tmp_path: Path) -> None:
    book = write_workbook(tmp_path / "putuo.xlsm", read_unit_json(PUTUO))
    wb = openpyxl.load_workbook(book, keep_vba=True)
    ws = wb[L.PROJECT_SHEET]
    col = L.PROJECTS.column("income_kind")
    ws.cell(2, col, "经营收入")
    wb.save(book)
    with pytest.raises(InputError) as caught:
        read_workbook(book)
    assert f"{L.PROJECT_SHEET}!{L.col_letter(col)}2" in str(caught.value) and "收入类型" in str(caught.value)


def test_a_workbook_made_before_the_column_existed_still_reads(tmp_path: Path) -> None:
    unit = json.loads(PUTUO.read_text("utf-8"))
    book = write_workbook(tmp_path / "old.xlsm", read_unit_json(PUTUO))
    wb = openpyxl.load_workbook(book, keep_vba=True)
    for spec in (L.BASIC, L.PROJECTS):
        wb[spec.sheet].delete_cols(spec.column("income_kind"))
    wb.save(book)
    back = read_workbook(book)
    assert len(back.projects) == len(unit["projects"]) and back.projects[0].income_kind == ""
