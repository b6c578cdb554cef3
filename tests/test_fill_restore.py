"""A 表 sheet the user deleted: ``xlbudget fill`` (and the 计算 button on a file) puts it back as a new workbook of
the same budget has it, and keeps everything else; in an open workbook the button says what to do instead.

The case: in the committed seed workbook the officer raises 基本支出!F2 (基本工资) to 1,630,810 元, adds a
sheet of their own, then deletes 表3 and 表9 in Excel and presses 计算. Excel's deletion is made here at zip
level as Excel makes it: the sheet's part, its relationship, content type and defined names go, and the
later sheets' defined names move down by one.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from lxml import etree

from tests.conftest import ROOT
from tests.helpers.lo import recalculate
from tests.test_fill import USER_SHEET, _zip_members, add_user_sheet
from tests.test_xlwings_remote import actions_of, book_of, payload_of, xw  # noqa: F401 - xw is a fixture
from xlbudget.cli import main
from xlbudget.io.tables_json import compare, tables_to_dict
from xlbudget.tables import build_tables
from xlbudget.workbook.book_openpyxl import FileBook
from xlbudget.workbook.build import build_workbook
from xlbudget.workbook.buttons import dispatch, run_button
from xlbudget.workbook.reader import read_workbook, read_workbook_tables

COMMITTED = ROOT / "workbook" / "Budget2023.xlsm"
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
DELETED = ("表3", "表9")


def delete_sheet(path: Path, name: str) -> None:
    """What Excel leaves when the user deletes sheet ``name`` and saves."""
    m = _zip_members(path)
    wb = etree.fromstring(m["xl/workbook.xml"])
    sheets = wb.find(f"{MAIN}sheets")
    entry = next(s for s in sheets if s.get("name") == name)
    position = list(sheets).index(entry)
    rid = entry.get(REL)
    sheets.remove(entry)
    for el in list(wb.iter(f"{MAIN}definedName")):
        local = el.get("localSheetId")
        if local is None:
            continue
        if int(local) == position:
            el.getparent().remove(el)
        elif int(local) > position:
            el.set("localSheetId", str(int(local) - 1))
    rels = etree.fromstring(m["xl/_rels/workbook.xml.rels"])
    rel = next(r for r in rels if r.get("Id") == rid)
    part = "xl/" + rel.get("Target")
    rels.remove(rel)
    types = etree.fromstring(m["[Content_Types].xml"])
    types.remove(next(o for o in types if o.get("PartName") == "/" + part))
    changed = {
        "xl/workbook.xml": etree.tostring(wb, xml_declaration=True, encoding="UTF-8", standalone=True),
        "xl/_rels/workbook.xml.rels": etree.tostring(
            rels, xml_declaration=True, encoding="UTF-8", standalone=True
        ),
        "[Content_Types].xml": etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            if info.filename != part:
                zout.writestr(
                    info, changed.get(info.filename, zin.read(info)), compress_type=info.compress_type
                )
    path.write_bytes(out.getvalue())


@pytest.fixture
def deleted(tmp_path: Path) -> Path:
    path = tmp_path / "Budget2023.xlsm"
    shutil.copyfile(COMMITTED, path)
    book = FileBook(path)
    book.write("基本支出", (2, 6), [[1630810]])
    book.save()
    add_user_sheet(path)
    for name in DELETED:
        delete_sheet(path, name)
    assert not set(DELETED) & set(openpyxl.load_workbook(path, keep_vba=True).sheetnames)
    return path


def _look(ws: Any) -> dict[str, Any]:
    """What a reader of the printed sheet sees: every cell's value and format, merges, widths, heights."""
    cells = {
        c.coordinate: (
            c.value,
            c.font.b,
            c.font.sz,
            c.font.name,
            c.number_format,
            c.alignment.horizontal,
            c.alignment.vertical,
            c.alignment.wrap_text,
            c.alignment.indent,
            tuple(getattr(c.border, side).style for side in ("left", "right", "top", "bottom")),
            c.fill.fgColor.rgb if c.fill.fill_type else None,
        )
        for row in ws.iter_rows()
        for c in row
    }
    return {
        "cells": cells,
        "merged": sorted(str(r) for r in ws.merged_cells.ranges),
        "widths": {k: d.width for k, d in ws.column_dimensions.items()},
        "heights": {k: d.height for k, d in ws.row_dimensions.items() if d.height},
        "print_area": ws.print_area,
        "print_titles": ws.print_title_rows,
        "landscape": ws.page_setup.orientation,
        "fit": (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight),
        "freeze": ws.freeze_panes,
    }


def test_fill_puts_the_deleted_sheets_back_and_keeps_the_rest(
    deleted: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.helpers.ooxml import sdk_findings

    before = _zip_members(deleted)
    assert main(["fill", str(deleted), "--no-backup"]) == 0
    said = capsys.readouterr().out
    assert "工作簿中缺少 表3、表9，已按报表方案重建" in said and "您填写的内容原样保留" in said
    after = _zip_members(deleted)
    # the macros, the ribbon and the user's own sheet are kept to the byte; the inputs as typed
    for part in ("xl/vbaProject.bin", "customUI/customUI14.xml"):
        assert after[part] == before[part]
    wb = openpyxl.load_workbook(deleted, keep_vba=True)
    committed = openpyxl.load_workbook(COMMITTED, keep_vba=True).sheetnames
    assert [n for n in wb.sheetnames if n != USER_SHEET] == committed  # back where they were
    assert USER_SHEET in wb.sheetnames and "我的合计" in wb.defined_names
    assert wb["基本支出"]["F2"].value == 1630810
    # 表3 and 表9 print what a new workbook of the same budget prints, formats and page set-up included
    budget = read_workbook(deleted)
    fresh = tmp_path / "fresh.xlsm"
    fresh.write_bytes(build_workbook(budget))
    new = openpyxl.load_workbook(fresh)
    for name in DELETED:
        assert _look(wb[name]) == _look(new[name]), name
    assert wb["表3"]["C7"].value == pytest.approx(790.05)  # 780.05 + the 10.00 万元 typed
    assert compare(tables_to_dict(read_workbook_tables(deleted)), tables_to_dict(build_tables(budget))) == []
    assert sdk_findings(deleted) == []  # valid as Excel reads it
    # LibreOffice opens it and shows the rebuilt 表3
    recalculate(deleted, tmp_path / "lo.xlsx")
    lo = openpyxl.load_workbook(tmp_path / "lo.xlsx", data_only=True)
    assert lo["表3"]["C7"].value == pytest.approx(790.05) and lo["表9"]["A2"].value == new["表9"]["A2"].value


def test_the_calc_button_on_the_file_does_the_same(deleted: Path) -> None:
    book = FileBook(deleted)
    ok, message = run_button("calc", book)
    assert ok and "工作簿中缺少 表3、表9，已按报表方案重建" in message, message
    book.save()
    assert {"表3", "表9"} <= set(openpyxl.load_workbook(deleted, keep_vba=True).sheetnames)
    assert main(["check", str(deleted)]) == 0


def test_in_an_open_workbook_the_button_says_what_to_do(xw: Any, deleted: Path) -> None:  # noqa: F811
    """Live Excel (xlwings' remote engine, as the VBA client drives it) cannot copy a sheet's formats from
    a file it has not opened: the 计算 button writes nothing and says, in Chinese, how to put it back."""
    book = book_of(xw, payload_of(deleted, xw.__version__))
    message = dispatch("calc", book)
    assert "工作簿中缺少工作表“表3”（可能被删除了）" in message, message
    assert "无法在打开的工作簿中按原样重建" in message and '运行：xlbudget fill "Budget2023.xlsm"' in message
    assert "Traceback" not in message
    assert [a["func"] for a in actions_of(book)] == ["alert"]  # nothing written


def test_the_macros_still_run_in_the_restored_workbook(deleted: Path, tmp_path: Path) -> None:
    """The rebuilt sheets carry no VBA code name of their own: LibreOffice loads the project, compiles every
    module and runs SelfTest, which counts the sheets — the committed workbook's and the user's one."""
    from tests.helpers.lo import run_uno_script
    from tests.test_workbook_lo import _RUN_SELFTEST

    assert main(["fill", str(deleted), "--no-backup"]) == 0
    out = tmp_path / "after.xlsx"
    run_uno_script(_RUN_SELFTEST, str(deleted), str(out))
    ws = openpyxl.load_workbook(out)["设置"]
    assert ws["E1"].value == "宏自检通过"
    assert ws["F1"].value == len(openpyxl.load_workbook(COMMITTED, keep_vba=True).sheetnames) + 1
