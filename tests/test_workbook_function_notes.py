"""The 支出说明 sheet (per 项: 主要用途, 变动原因) and the 国有资产 rows of 单位信息 the Shanghai report
reads: written by ``new``, read back the same; a workbook made before they existed still reads."""

from __future__ import annotations

from dataclasses import replace

import openpyxl

from tests.helpers.shanghai import putuo
from xlbudget.workbook import layout as L
from xlbudget.workbook.build import write_workbook
from xlbudget.workbook.reader import read_workbook


def _putuo_workbook(tmp_path):
    b = putuo()
    b = replace(b, unit=replace(b.unit, profile="shanxi-13"))  # a workbook of the tables shipped today
    path = tmp_path / "putuo.xlsm"
    write_workbook(path, b)
    return b, path


def test_function_notes_and_assets_round_trip(tmp_path) -> None:
    b, path = _putuo_workbook(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb[L.FUNCTION_NOTES_SHEET]
    assert [c.value for c in ws[1]][:4] == ["功能分类编码", "功能分类名称", "主要用途", "变动原因"]
    assert [ws.cell(2, c).value for c in (1, 3, 4)] == [
        "2080502",
        "事业单位退休人员福利费和生活补贴",
        "有退休人员去世",
    ]
    assert str(ws.cell(2, 2).value).startswith("=")  # the name is a lookup formula
    again = read_workbook(path)
    assert [(n.function, n.purpose, n.reason) for n in again.function_notes] == [
        (n.function, n.purpose, n.reason) for n in b.function_notes
    ]
    assert str(again.function_notes[0].source.at("reason")) == "支出说明!D2"
    a = again.assets
    assert (a.as_of, a.equipment, a.planned_vehicles, a.planned_equipment) == ("2023年12月31日", 0, (), 0)


def test_a_workbook_made_before_the_sheet_and_rows_existed_still_reads(tmp_path) -> None:
    _, path = _putuo_workbook(tmp_path)
    wb = openpyxl.load_workbook(path, keep_vba=True)
    del wb[L.FUNCTION_NOTES_SHEET]
    ws = wb[L.UNIT_SHEET]
    for r in range(ws.max_row, 1, -1):
        if ws.cell(r, 1).value in ("资产统计截止日期", "单价100万元以上设备（台套）", "本年拟购置公务用车",
                                   "本年拟购置100万元以上设备（台套）"):  # fmt: skip
            ws.delete_rows(r)
    old = tmp_path / "old.xlsm"
    wb.save(old)
    again = read_workbook(old)
    assert again.function_notes == ()
    assert (again.assets.as_of, again.assets.equipment, again.assets.planned_equipment) == ("", None, None)
    assert again.assets.vehicles[0].count == 2


def test_a_kuan_code_in_the_sheet_is_refused_at_its_cell(tmp_path) -> None:
    import pytest

    from xlbudget.errors import InputError

    _, path = _putuo_workbook(tmp_path)
    wb = openpyxl.load_workbook(path, keep_vba=True)
    wb[L.FUNCTION_NOTES_SHEET]["A3"] = "20805"
    wb.save(path)
    with pytest.raises(InputError) as e:
        read_workbook(path)
    assert "支出说明!A3" in str(e.value) and "款级科目" in str(e.value)
