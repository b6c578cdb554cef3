"""Live Excel as a :class:`~xlbudget.workbook.book.Book`, through xlwings.

The same code serves two engines:

* **classic** — Windows Excel; the ribbon's ``RunPython`` starts Python and
  :func:`caller` gets the workbook with ``xw.Book.caller()`` (COM);
* **remote** — xlwings' remote engine, ``xw.Book(json=payload)``: nothing is
  sent to Excel until the caller returns ``book.json()``, and Excel's side
  (the VBA client of ``RunRemotePython``) runs each action by name.  The tests
  drive this engine on Linux.

Only actions the VBA client implements are ever emitted on the remote engine:
values go in one ``setValues`` per block (formulas, e.g. ``HYPERLINK``, travel
as values), fills as ``setRangeColor``, messages as ``alert``.  That client has
no status bar and no "no fill": on the remote engine the status bar is kept
locally (:attr:`XlwingsBook.status`) and a mark is taken away by painting the
cell white.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from xlbudget.errors import InputError
from xlbudget.workbook.book import Link, overlay, rectangle

WHITE = "#FFFFFF"


def _to_excel(value: Any) -> Any:
    if isinstance(value, Link):
        return value.formula
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str) and value[:1] == "=":
        return "'" + value  # text, not a formula: only a Link becomes one
    return value


def _from_excel(value: Any) -> Any:
    if isinstance(value, str) and value == "":
        return None
    return value


class XlwingsBook:
    """An ``xlwings.Book`` behind the small interface; values are cached per sheet after one bulk read."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.remote = book.app.engine.name == "remote"
        self._values: dict[str, list[list[Any]]] = {}
        self.status: list[str] = []  # what the status bar showed (the remote engine has none)

    @property
    def name(self) -> str:
        return str(self.book.name)

    @property
    def folder(self) -> Path:
        full = str(self.book.fullname)
        # a remote book knows its name only; an unsaved classic book has no folder either
        return Path(full).parent if ("/" in full or "\\" in full) else Path.cwd()

    def sheet_names(self) -> list[str]:
        return [s.name for s in self.book.sheets]

    def _sheet(self, name: str) -> Any:
        if name not in self.sheet_names():
            raise InputError(f"缺少工作表“{name}”", f"{name}!")
        return self.book.sheets[name]

    def read(self, sheet: str) -> list[list[Any]]:
        if sheet not in self._values:
            ws = self._sheet(sheet)
            last = ws.used_range.last_cell
            rows = ws.range((1, 1), (last.row, last.column)).options(ndim=2).value or []
            self._values[sheet] = rectangle(
                [[_from_excel(v) for v in row] for row in rows] if rows != [[None]] else []
            )
        return [list(r) for r in self._values[sheet]]

    def write(self, sheet: str, top_left: tuple[int, int], rows: Sequence[Sequence[Any]]) -> None:
        block = rectangle(rows)
        if not block or not block[0]:
            return
        ws = self._sheet(sheet)
        r, c = top_left
        target = ws.range((r, c), (r + len(block) - 1, c + len(block[0]) - 1))
        target.value = [[_to_excel(v) for v in row] for row in block]
        if sheet in self._values:
            overlay(self._values[sheet], top_left, block)

    def clear(
        self, sheet: str, first: tuple[int, int], last: tuple[int, int], *, formats: bool = False
    ) -> None:
        target = self._sheet(sheet).range(first, last)
        if formats:
            target.clear()  # Excel's Range.Clear: contents and formats
        else:
            target.clear_contents()
        if sheet in self._values:
            (r1, c1), (r2, c2) = first, last
            overlay(self._values[sheet], first, [[None] * (c2 - c1 + 1) for _ in range(r2 - r1 + 1)])

    def mark(self, sheet: str, cells: Sequence[tuple[int, int]], color: str | None) -> None:
        ws = self._sheet(sheet)
        if color is None and self.remote:
            color = WHITE  # the VBA client's setRangeColor needs a colour; white is the closest to none
        for cell in cells:
            ws.range(cell).color = color

    def add_sheet(self, name: str) -> None:
        self.book.sheets.add(name=name, after=self.book.sheets[len(self.book.sheets) - 1])

    def restore_sheet(self, name: str, template: bytes) -> None:
        """Not in an open workbook: Excel's interface (and the VBA client) cannot take a sheet's formats from
        another file without opening it; the command line does it on the closed file."""
        from xlbudget.errors import InputError

        raise InputError(
            f"工作簿中缺少工作表“{name}”（可能被删除了），“计算”无法在打开的工作簿中按原样重建它"
            f"（标题、表头、边框、列宽和打印设置要从模板复制，Excel 打开时做不到）。请保存并关闭本工作簿，"
            f'在命令行运行：xlbudget fill "{self.name}" —— 它会按报表方案重建“{name}”并计算，'
            "宏、“预算公开”选项卡、其他工作表和您填写的内容都原样保留（原文件另存为 .bak.xlsm 备份）",
            f"{name}!",
        )

    def extend_format(self, sheet: str, row: int, down_to: int, width: int) -> None:
        """Copy the row (borders, 0.00, indents) down; the values that come with it are written over next."""
        if down_to <= row:
            return
        ws = self._sheet(sheet)
        ws.range((row, 1), (row, width)).copy(ws.range((row + 1, 1), (down_to, width)))

    def set_print_area(self, sheet: str, last: tuple[int, int]) -> None:
        if self.remote:
            return  # the VBA client has no page-setup action
        from xlbudget.workbook import layout as L

        self._sheet(sheet).page_setup.print_area = f"$A$1:${L.col_letter(last[1])}${last[0]}"

    def set_status(self, text: str | None) -> None:
        if text:
            self.status.append(text)
        if self.remote:
            return
        try:
            self.book.app.status_bar = text if text else False
        except Exception:  # noqa: BLE001 - progress is a courtesy, never a failure
            pass

    def alert(self, text: str, title: str = "预算公开", *, critical: bool = False) -> None:
        self.book.app.alert(text, title=title, mode="critical" if critical else "info")

    def ask(self, text: str, title: str = "预算公开") -> bool | None:
        if self.remote:
            return None  # the VBA client answers only through a callback macro, after Python has returned
        return bool(self.book.app.alert(text, title=title, buttons="yes_no", mode="critical") == "yes")

    def export_pdf(self, sheets: Sequence[str], path: Path) -> bool:
        if self.remote:
            return False
        self.book.to_pdf(str(path), include=list(sheets))
        return True

    def save(self) -> None:
        """Nothing: the workbook is open in Excel, and the user saves it."""


def caller() -> XlwingsBook:
    """The workbook whose button was pressed (``xw.Book.caller()``)."""
    import xlwings as xw

    return XlwingsBook(xw.Book.caller())
