"""The buttons on a workbook file (the openpyxl Book): the same dispatcher, marks written into the file.

The remote-engine side is in tests/test_xlwings_remote.py; here the file
implementation shows that check's marks and 清除校验标记 are real cell formats
that Excel, openpyxl and LibreOffice see, and that nothing else in the file moves.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import ROOT
from xlbudget.workbook import layout as L
from xlbudget.workbook.book import Book, Link, parse_cell
from xlbudget.workbook.book_openpyxl import FileBook
from xlbudget.workbook.buttons import FAILED, HANDLERS, dispatch, run_button
from xlbudget.workbook.ribbon import BUTTONS, customui_xml, on_actions

COMMITTED = ROOT / "workbook" / "Budget2023.xlsm"


def _style(path: Path, sheet: str, row: int, col: int) -> tuple[int, str]:
    """(the cell's ``s`` index, its cell format without the fill) as the file says."""
    book = FileBook(path)
    with zipfile.ZipFile(path) as z:
        xml = z.read(book._parts[sheet]).decode()  # noqa: SLF001
        styles = z.read("xl/styles.xml").decode()
    m = re.search(rf'<c r="{L.cell_name(row, col)}"(?: [^>]*)? s="(\d+)"', xml)
    index = int(m.group(1)) if m else 0
    xfs = re.findall(r"<xf [^>]*?(?:/>|>.*?</xf>)", re.search(r"<cellXfs.*?</cellXfs>", styles).group(0))
    xf = re.sub(r' (fillId|applyFill)="\d+"', "", xfs[index])
    return index, xf


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


@pytest.fixture
def wrong_total(tmp_path: Path) -> Path:
    """The committed workbook with 表6's 合计 typed over."""
    path = tmp_path / "Budget2023.xlsm"
    shutil.copyfile(COMMITTED, path)
    book = FileBook(path)
    book.write("表6", (6, 3), [[999]])
    book.save()
    return path


def test_every_ribbon_button_has_a_handler() -> None:
    assert set(BUTTONS) == set(HANDLERS) == set(FAILED)
    assert set(on_actions(customui_xml())) == set(BUTTONS)


def test_file_book_is_a_book() -> None:
    assert isinstance(FileBook(COMMITTED), Book)


def test_calc_on_a_file_is_what_the_command_does(tmp_path: Path) -> None:
    from xlbudget.cli import main

    a, b = tmp_path / "a.xlsm", tmp_path / "b.xlsm"
    shutil.copyfile(COMMITTED, a)
    shutil.copyfile(COMMITTED, b)
    book = FileBook(a)
    ok, message = run_button("calc", book)
    assert ok and message.startswith("已按输入表计算")
    assert book.alerts == [message] and book.status[:1] == ["正在读取输入表…"]
    book.save()
    assert main(["fill", str(b), "--no-backup"]) == 0
    assert a.read_bytes() == b.read_bytes()


def test_check_marks_cells_in_the_file_and_touches_nothing_else(wrong_total: Path, tmp_path: Path) -> None:
    before = _members(wrong_total)
    book = FileBook(wrong_total)
    message = dispatch("check", book)
    assert message.startswith("校验完成：错误"), message
    book.save()
    after = _members(wrong_total)
    parts = book._parts  # noqa: SLF001
    changed = {n for n in before if before[n] != after[n]}
    marked_sheets = {
        parse_cell(str(c.value))[0]
        for c in openpyxl.load_workbook(wrong_total, data_only=True)[L.FINDINGS_SHEET]["D"][1:]
        if c.value and parse_cell(str(c.value))
    }
    assert changed == {parts[s] for s in marked_sheets | {L.FINDINGS_SHEET}} | {"xl/styles.xml"}

    wb = openpyxl.load_workbook(wrong_total)  # formulas
    ws = wb[L.FINDINGS_SHEET]
    errors = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[1] == "错误"]
    assert errors and all(r[3] == '=HYPERLINK("#\'表6\'!C6","表6!C6")' for r in errors)
    cell = wb["表6"]["C6"]
    assert cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb == "FFFFC7CE"
    # the same format but for the fill
    assert _style(wrong_total, "表6", 6, 3)[1] == _style(COMMITTED, "表6", 6, 3)[1]
    assert _style(wrong_total, "表6", 6, 3)[0] != _style(COMMITTED, "表6", 6, 3)[0]
    shown = openpyxl.load_workbook(wrong_total, data_only=True)[L.FINDINGS_SHEET]
    assert shown["D2"].value == "表6!C6"  # the link shows the cell's name (cached value)


def test_clear_marks_gives_the_cells_their_own_format_back(wrong_total: Path) -> None:
    book = FileBook(wrong_total)
    dispatch("check", book)
    book.save()
    checked = openpyxl.load_workbook(wrong_total)
    locations = [
        str(c.value) for c in openpyxl.load_workbook(wrong_total, data_only=True)[L.FINDINGS_SHEET]["D"][1:]
    ]
    cells = [parse_cell(x) for x in locations if parse_cell(x)]
    assert cells

    book = FileBook(wrong_total)
    assert dispatch("clear_marks", book) == f"已清除 {len(set(cells))} 个单元格的校验标记。"
    book.save()
    cleared = openpyxl.load_workbook(wrong_total)
    committed = openpyxl.load_workbook(COMMITTED)
    for sheet, r, c in cells:
        assert checked[sheet].cell(r, c).fill.fgColor.rgb in ("FFFFC7CE", "FFF4B084")  # marked
        # its own fill back: none on 表N, the light fill of a cell to type in on an input sheet
        own = committed[sheet].cell(r, c).fill
        assert cleared[sheet].cell(r, c).fill.fill_type == own.fill_type
        assert cleared[sheet].cell(r, c).fill.fgColor.rgb == own.fgColor.rgb
        if sheet in L.INPUT_SHEETS:
            assert own.fgColor.rgb == "FF" + L.INPUT_FILL[1:]
        # the very same cell format as before the check (index into cellXfs)
        assert _style(wrong_total, sheet, r, c) == _style(COMMITTED, sheet, r, c), L.cell_name(r, c, sheet)
    # the list stays where it was
    assert cleared[L.FINDINGS_SHEET].max_row == checked[L.FINDINGS_SHEET].max_row


def test_marks_and_links_open_in_libreoffice(wrong_total: Path, tmp_path: Path) -> None:
    from tests.helpers.lo import missing_reason, recalculate

    reason = missing_reason()
    if reason:
        pytest.fail(f"LibreOffice is needed for this test: {reason}")
    book = FileBook(wrong_total)
    dispatch("check", book)
    book.save()
    out = tmp_path / "lo.xlsx"
    recalculate(wrong_total, out)
    wb = openpyxl.load_workbook(out, data_only=True)
    assert wb[L.FINDINGS_SHEET]["D2"].value == "表6!C6"  # HYPERLINK recalculated by a real engine
    assert wb["表6"]["C6"].fill.fgColor.rgb.endswith("FFC7CE")


def test_link_formula_quotes() -> None:
    link = Link("#'表6'!D6", 'say "hi"')
    assert link.formula == '=HYPERLINK("#\'表6\'!D6","say ""hi""")'
    assert parse_cell("'表 6''s'!$D$12") == ("表 6's", 12, 4)
    assert parse_cell("表6!D12") == ("表6", 12, 4)
    assert parse_cell("预算公开表6 合计") is None
    assert parse_cell("basic[3].amount") is None


def test_file_book_reads_what_it_wrote() -> None:
    book = FileBook(COMMITTED)
    book.write("表6", (6, 4), [[1, None, "x"]])
    row = book.read("表6")[5]
    assert row[3:6] == [1, None, "x"]


def test_about_on_a_file(tmp_path: Path) -> None:
    book = FileBook(COMMITTED)
    message = dispatch("about", book)
    assert str(COMMITTED.resolve()) in message and book.alerts == [message]


def test_many_problems_are_listed_up_to_a_message_boxs_worth() -> None:
    from xlbudget.errors import InputError, Problem
    from xlbudget.workbook.buttons import MAX_PROBLEMS, problems_message

    exc = InputError([Problem(f"基本支出!F{r}", "“x” 不是金额") for r in range(2, 2 + MAX_PROBLEMS + 3)])
    text = problems_message("无法计算", exc)
    assert text.splitlines()[0] == f"无法计算：工作簿中有 {MAX_PROBLEMS + 3} 处需要改正："
    assert "基本支出!F2：“x” 不是金额" in text and f"基本支出!F{1 + MAX_PROBLEMS}：" in text
    assert f"基本支出!F{2 + MAX_PROBLEMS}：" not in text
    assert text.splitlines()[-1] == "  ……另有 3 处"
    assert len(text) < 1024
