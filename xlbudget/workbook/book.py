"""The small workbook interface the buttons work on, with two implementations.

* :class:`~xlbudget.workbook.book_xlwings.XlwingsBook` — live Excel through xlwings
  (``xw.Book.caller()`` on Windows; xlwings' remote engine in the tests);
* :class:`~xlbudget.workbook.book_openpyxl.FileBook` — a workbook file: read with
  openpyxl, written back by editing only the changed sheets' XML (``xlbudget fill``).

Rows and columns are **1-based, as Excel shows them**.  A value is ``None``
(empty), ``str``, ``int``/``float``/``Decimal``, ``bool`` or a :class:`Link`.
Reads return what the cell shows (cached values, never formulas).

:func:`read_budget` and :func:`read_tables` run the rules of
:mod:`xlbudget.workbook.reader` over any :class:`Book`: every sheet is read with
one bulk read, and out come the budget (every record with its sheet and cell)
and 表1…表13 as shown (every figure with its cell).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from xlbudget.workbook import layout as L

MARK_COLOR = "#FFC7CE"  # 校验标记: Excel's light red "bad" fill
INFO_MARK_COLOR = "#F4B084"  # a warning or an info: orange (light yellow is the fill of cells to type in)

_CELL = re.compile(
    r"^(?:'(?P<q>(?:[^']|'')+)'|(?P<s>[^!'\s][^!]*))!\$?(?P<col>[A-Z]{1,3})\$?(?P<row>\d{1,7})$"
)


@dataclass(frozen=True)
class Link:
    """A cell that shows ``text`` and jumps to ``target`` (``#'表6'!D12``) when clicked.

    Written as a ``HYPERLINK`` formula: it travels with the values in one bulk
    write and works in Excel, WPS and LibreOffice alike.
    """

    target: str
    text: str

    @property
    def formula(self) -> str:
        def q(s: str) -> str:
            return s.replace('"', '""')

        return f'=HYPERLINK("{q(self.target)}","{q(self.text)}")'


@runtime_checkable
class Book(Protocol):
    """What the buttons need of a workbook; nothing more."""

    @property
    def name(self) -> str:
        """File name (``Budget2023.xlsm``)."""

    @property
    def folder(self) -> Path:
        """The folder the workbook is in (output files go beside it)."""

    def sheet_names(self) -> list[str]: ...

    def read(self, sheet: str) -> list[list[Any]]:
        """The used range from A1 as rows of values (``None`` for empty), in one bulk read."""

    def write(self, sheet: str, top_left: tuple[int, int], rows: Sequence[Sequence[Any]]) -> None:
        """Write a rectangular block of values in one bulk write; ``None`` empties a cell."""

    def clear(
        self, sheet: str, first: tuple[int, int], last: tuple[int, int], *, formats: bool = False
    ) -> None:
        """Empty a rectangle: its contents, and with ``formats`` its formats too (borders, number formats)."""

    def mark(self, sheet: str, cells: Sequence[tuple[int, int]], color: str | None) -> None:
        """Fill cells with a colour (``"#FFC7CE"``), or take the fill away (``None``)."""

    def add_sheet(self, name: str) -> None:
        """Add an empty sheet at the end."""

    def restore_sheet(self, name: str, template: bytes) -> None:
        """Put back sheet ``name`` (one the user deleted) as the workbook ``template`` — built by
        ``xlbudget new`` for the same budget — has it, every other part kept; InputError, saying why in
        Chinese, where this engine cannot do that safely."""

    def extend_format(self, sheet: str, row: int, down_to: int, width: int) -> None:
        """Rows ``row + 1`` … ``down_to`` (columns 1 … ``width``) get the formats of ``row``: a table grows."""

    def set_print_area(self, sheet: str, last: tuple[int, int]) -> None:
        """Print ``A1`` down to ``last`` (row, col) of the sheet; a no-op where the engine cannot."""

    def set_status(self, text: str | None) -> None:
        """Progress on the status bar; ``None`` gives it back to Excel."""

    def alert(self, text: str, title: str = "预算公开", *, critical: bool = False) -> None:
        """A message box."""

    def ask(self, text: str, title: str = "预算公开") -> bool | None:
        """A 是/否 message box: True for 是, False for 否; None where this engine cannot wait for an answer."""

    def export_pdf(self, sheets: Sequence[str], path: Path) -> bool:
        """Print these sheets to a PDF as the workbook's page setup says; False if this book cannot."""

    def save(self) -> None:
        """Make the writes permanent (a file book writes its file; live Excel leaves saving to the user)."""


# -- cell addresses ------------------------------------------------------------------------


def parse_cell(location: str) -> tuple[str, int, int] | None:
    """ "表6!D12" / "'表 6'!$D$12" → ("表6", 12, 4); anything else → None."""
    m = _CELL.match(location.strip())
    if not m:
        return None
    sheet = m.group("q").replace("''", "'") if m.group("q") else m.group("s")
    col = 0
    for ch in m.group("col"):
        col = col * 26 + ord(ch) - 64
    return sheet, int(m.group("row")), col


def link_target(sheet: str, row: int, col: int) -> str:
    """The in-workbook hyperlink address of a cell: ``#'表6'!D12``."""
    return "#'" + sheet.replace("'", "''") + "'!" + L.cell_name(row, col)


def rectangle(rows: Sequence[Sequence[Any]]) -> list[list[Any]]:
    """Rows padded with None to the widest: a block a bulk write accepts."""
    width = max((len(r) for r in rows), default=0)
    return [list(r) + [None] * (width - len(r)) for r in rows]


def overlay(values: list[list[Any]], top_left: tuple[int, int], rows: Sequence[Sequence[Any]]) -> None:
    """Apply a block write to a cached used range, in place (the cache stays rectangular)."""
    r0, c0 = top_left
    height = len(rows)
    width = max((len(r) for r in rows), default=0)
    need_rows = r0 - 1 + height
    need_cols = max(c0 - 1 + width, max((len(r) for r in values), default=0))
    for r in values:
        r.extend([None] * (need_cols - len(r)))
    while len(values) < need_rows:
        values.append([None] * need_cols)
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            if isinstance(v, Link):
                v = v.text
            values[r0 - 1 + i][c0 - 1 + j] = None if v == "" else v


# -- the reader over a Book ----------------------------------------------------------------


def _values(book: Book, sheets: Sequence[str]) -> Any:
    """The named sheets of a Book (those it has) as the reader's values: one bulk read a sheet."""
    from xlbudget.workbook.reader import SheetValues

    if hasattr(book, "sheet_values"):  # a file: formulas without a saved result are evaluated
        return book.sheet_values(sheets)
    names = book.sheet_names()
    return SheetValues(
        Path(book.folder) / book.name, {s: [tuple(r) for r in book.read(s)] for s in sheets if s in names}
    )


def read_budget(book: Book) -> Any:
    """The unit's budget from the input sheets of a Book; problems → one InputError naming sheet and cell."""
    from xlbudget.workbook.reader import budget_from_values

    return budget_from_values(_values(book, L.INPUT_SHEETS))


def read_tables(book: Book, profile: str | None = None) -> Any:
    """The 表 sheets as the Book shows them (→ yuan), every figure's cell in ``Row.cells``; the
    profile is the one 单位信息 names unless given."""
    from xlbudget.workbook.reader import tables_from_values

    return tables_from_values(_values(book, (L.UNIT_SHEET, *L.TABLE_SHEETS)), profile)
