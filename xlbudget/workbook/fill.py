"""计算（填充派生数据）: read the input sheets, derive 表1…表13, write each table block in one go.

The blocks are laid out exactly as :mod:`xlbudget.workbook.build` prints them
(same cells, same labels, 万元 half-up through :func:`xlbudget.money.to_wan`,
zero left blank, ``注：本表无数据`` under an empty table), at the rows
:func:`~xlbudget.workbook.layout.body_top` gives (the table's grid, :mod:`xlbudget.grids`).  Each block is one
rectangle — from the table's first figure row down to the end of whatever the
sheet showed there before, across all its columns — written with one bulk
write, so rows a shorter table no longer needs are emptied in the same write.
Anything the user put on the sheet after a blank line below the table stays.
Filling twice gives the same sheets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from xlbudget.model import UnitBudget
from xlbudget.tables import Table, TableSet, build_tables
from xlbudget.workbook import layout as L
from xlbudget.workbook.book import Book, read_budget


@dataclass(frozen=True)
class BlockWrite:
    """Where one table block went: sheet, top-left (row, col), rows × columns."""

    sheet: str
    top: int
    left: int
    height: int
    width: int


@dataclass(frozen=True)
class FillResult:
    budget: UnitBudget
    tables: TableSet
    blocks: tuple[BlockWrite, ...] = field(default_factory=tuple)
    restored: tuple[str, ...] = ()  # 表 sheets the workbook lacked, put back from the profile

    @property
    def summary(self) -> str:
        empty = [t.number for t in self.tables.tables if t.empty]
        note = f"；无数据的表：{'、'.join(f'表{n}' for n in empty)}" if empty else ""
        done = f"已按输入表计算并写入 表1…表{len(self.tables.tables)}（{self.tables.unit}，{self.tables.year}年）{note}"
        if not self.restored:
            return done
        return (
            f"工作簿中缺少 {'、'.join(self.restored)}，已按报表方案重建（标题、表头、格式和打印设置与新建的工作簿"
            "相同；宏、选项卡、其他工作表和您填写的内容原样保留）。\n" + done
        )


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and v.strip() == "")


def table_cells(t: Table) -> dict[tuple[int, int], Any]:
    """(row, col) → value of every cell of 表N's body (and note), as the builder writes them."""
    pt = L.sheet_grid(t)
    top = L.body_top(pt)
    return {(top + i, c + 1): v for i, line in enumerate(L.body_values(pt)) for c, v in enumerate(line)}


def shown_end(t: Table, values: list[list[Any]]) -> int:
    """The last row the sheet now shows of 表N's body (its first row - 1 when there is none):
    the rows from the body's first row down to the first blank row."""
    pt = L.sheet_grid(t)
    last = pt.n_cols

    def filled(r: int) -> bool:
        if r - 1 >= len(values):
            return False
        return any(not _blank(v) for v in values[r - 1][:last])

    r = L.body_top(pt)
    while filled(r):
        r += 1
    return r - 1


def block_rows(t: Table, shown: list[list[Any]]) -> tuple[int, list[list[Any]]]:
    """(first row, rows) of the one rectangle that writes 表N and empties what it no longer needs."""
    pt = L.sheet_grid(t)
    top = L.body_top(pt)
    cells = table_cells(t)
    end = max([r for r, _ in cells] + [shown_end(t, shown), top])
    width = pt.n_cols
    grid = [[cells.get((r, c)) for c in range(1, width + 1)] for r in range(top, end + 1)]
    return top, grid


def print_end(t: Table) -> int:
    """The last row 表N prints (as the builder sets its print area)."""
    pt = L.sheet_grid(t)
    return max(L.print_end(pt), L.body_top(pt) - 1)


def _header_updates(t: Table, unit_name: str, year: int) -> dict[tuple[int, int], str]:
    """Title, 单位名称 and the headings that carry the year: they follow the inputs too."""
    pt = L.sheet_grid(t, unit_name, year)
    out = {(L.TITLE_ROW, 1): pt.title, (L.UNIT_ROW, 1): pt.unit_line.partition("\t")[0]}
    for r1, c1, _r2, _c2, text in L.header_cells(pt):
        out[(r1, c1)] = text
    return out


def _same(a: Any, b: Any) -> bool:
    if _blank(a) and _blank(b):
        return True
    if isinstance(a, int | float | Decimal) and isinstance(b, int | float | Decimal):
        return Decimal(str(a)) == Decimal(str(b))
    return str(a) == str(b)


def _is_note(v: Any) -> bool:
    """An empty table's note (注：本表无数据, 注:本单位…故本表为空表。)."""
    return isinstance(v, str) and v.strip().startswith(("注：", "注:"))


def write_table(book: Book, t: Table, unit_name: str, year: int) -> BlockWrite:
    """Write 表N: its block in one bulk write, plus any heading that changed (year, unit name)."""
    sheet = L.table_sheet(t.number)
    shown = book.read(sheet)
    for (r, c), text in sorted(_header_updates(t, unit_name, year).items()):
        current = shown[r - 1][c - 1] if r - 1 < len(shown) and c - 1 < len(shown[r - 1]) else None
        if not _same(current, text):
            book.write(sheet, (r, c), [[text]])
    top, grid = block_rows(t, shown)
    last = L.sheet_grid(t).n_cols
    old_end = shown_end(t, shown)
    new_end = max((r for r, _ in table_cells(t)), default=0)
    was_empty = any(_is_note(r[0] if r else None) for r in shown[top - 1 : old_end])
    if top <= old_end < new_end and not was_empty:  # the table grew: new rows look like its last row
        book.extend_format(sheet, old_end, new_end, last)
    book.write(sheet, (top, 1), grid)
    if new_end < old_end:  # the table shrank: the rows it no longer uses lose their borders too
        book.clear(sheet, (max(new_end, top - 1) + 1, 1), (old_end, last), formats=True)
    book.set_print_area(sheet, (print_end(t), last))
    return BlockWrite(sheet, top, 1, len(grid), len(grid[0]) if grid else 0)


def fill(book: Book, *, status: Callable[[str], None] | None = None) -> FillResult:
    """The 计算 button: input sheets → :func:`build_tables` → 表1…表13 written into ``book``.

    Raises :class:`~xlbudget.errors.InputError` (every problem with its sheet and
    cell) before anything is written when the inputs cannot be read.
    """
    say = status or book.set_status
    say("正在读取输入表…")
    budget = read_budget(book)
    say("正在计算公开表…")
    tables = build_tables(budget)
    missing = [
        L.table_sheet(t.number) for t in tables.tables if L.table_sheet(t.number) not in book.sheet_names()
    ]
    if missing:  # deleted by the user: put back as a new workbook of this budget has them
        from xlbudget.workbook.build import build_workbook

        say(f"正在重建缺少的工作表 {'、'.join(missing)}…")
        template = build_workbook(budget)
        for sheet in missing:
            book.restore_sheet(sheet, template)
    blocks = []
    for t in tables.tables:
        say(f"正在写入 表{t.number}（共 {len(tables.tables)} 张）…")
        blocks.append(write_table(book, t, budget.unit.name, budget.year))
    return FillResult(budget, tables, tuple(blocks), tuple(missing))
