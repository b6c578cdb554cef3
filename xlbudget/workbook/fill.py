"""计算（填充派生数据）: read the input sheets, derive 表1…表13, write each table block in one go.

The blocks are laid out exactly as :mod:`xlbudget.workbook.build` prints them
(same cells, same labels, 万元 half-up through :func:`xlbudget.money.to_wan`,
zero left blank, ``注：本表无数据`` under an empty table), at the rows
:func:`~xlbudget.workbook.layout.printed_rows` gives.  Each block is one
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
from xlbudget.money import to_wan
from xlbudget.tables import EMPTY_NOTE, Table, TableSet, build_tables
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

    @property
    def summary(self) -> str:
        empty = [t.number for t in self.tables.tables if t.empty]
        note = f"；无数据的表：{'、'.join(f'表{n}' for n in empty)}" if empty else ""
        return f"已按输入表计算并写入 表1…表{len(self.tables.tables)}（{self.tables.unit}，{self.tables.year}年）{note}"


def _wan(yuan: Decimal) -> Decimal | None:
    """A figure as 万元 (two decimals, half-up); zero prints blank, as the published tables do."""
    return None if yuan == 0 else to_wan(yuan)


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and v.strip() == "")


def table_cells(t: Table) -> dict[tuple[int, int], Any]:
    """(row, col) → value of every cell of 表N's figure block, as the builder writes them."""
    b = L.BLOCKS[t.number]
    rows = L.printed_rows(t)
    cells: dict[tuple[int, int], Any] = {}
    if b.layout == "balance":
        body_end = b.first_row + max(len(t.rows), len(t.income))
        n_income = n_spent = 0
        for pr in rows:
            footer = pr.row > body_end
            if pr.side == "income":
                if footer:
                    label, values = pr.key, t.totals[pr.key]
                else:
                    n_income += 1
                    label, values = L.numbered_label(n_income, pr.label), t.income[pr.index].values
                cells[(pr.row, b.key_col)] = label
                cells[(pr.row, b.income_col)] = _wan(values[0])
            else:
                if footer:
                    label, values = pr.key, t.totals[pr.key]
                else:
                    n_spent += 1
                    label, values = L.numbered_label(n_spent, pr.label), t.rows[pr.index].values
                cells[(pr.row, b.name_col)] = label
                for c, v in enumerate(values):
                    cells[(pr.row, b.value_col + c)] = _wan(v)
    else:
        for pr in rows:
            row = t.rows[pr.index]
            if b.name_col:
                is_code = pr.key != row.label
                cells[(pr.row, b.key_col)] = pr.key if is_code else pr.label
                cells[(pr.row, b.name_col)] = row.label if is_code else None
                if b.extra_col:
                    cells[(pr.row, b.extra_col)] = row.extra or None
            else:
                cells[(pr.row, b.key_col)] = row.label
            for c, v in enumerate(row.values):
                cells[(pr.row, b.value_col + c)] = _wan(v)
    if t.empty:
        cells[(L.note_row(t), 1)] = EMPTY_NOTE
    return cells


def shown_end(number: int, values: list[list[Any]]) -> int:
    """The last row the sheet now shows of 表N's block (first row - 1 when there is none).

    A block is the rows from the first figure row down to the first blank row
    (for 表1/表4: the body, one blank line, then the three footer lines).
    """
    b = L.BLOCKS[number]
    last = L.last_column(number)

    def filled(r: int) -> bool:
        if r - 1 >= len(values):
            return False
        return any(not _blank(v) for v in values[r - 1][:last])

    r = b.first_row
    while filled(r):
        r += 1
    if b.layout == "balance" and r > b.first_row:
        r += 1  # the blank line before the footers
        footer = r
        while filled(r) and r < footer + 3:
            r += 1
        if r == footer:  # no footers after all
            r -= 1
    return r - 1


def block_rows(t: Table, shown: list[list[Any]]) -> tuple[int, list[list[Any]]]:
    """(first row, rows) of the one rectangle that writes 表N and empties what it no longer needs."""
    b = L.BLOCKS[t.number]
    cells = table_cells(t)
    end = max([r for r, _ in cells] + [shown_end(t.number, shown), b.first_row])
    width = L.last_column(t.number)
    grid = [[cells.get((r, c)) for c in range(1, width + 1)] for r in range(b.first_row, end + 1)]
    return b.first_row, grid


def print_end(t: Table) -> int:
    """The last row 表N prints (as the builder sets its print area)."""
    b = L.BLOCKS[t.number]
    header_last = L.HEADER_ROWS[1] + (1 if b.numbered else 0)
    rows = [pr.row for pr in L.printed_rows(t)]
    return max(rows + [header_last, L.note_row(t) if t.empty else 0])


def _header_updates(t: Table, unit_name: str, year: int) -> dict[tuple[int, int], str]:
    """Title, 单位名称 and the headings that carry the year: they follow the inputs too."""
    out = {(L.TITLE_ROW, 1): t.title, (L.UNIT_ROW, 1): f"单位名称：{unit_name}"}
    for r1, c1, _r2, _c2, text in L.header_cells(t, year):
        out[(r1, c1)] = text
    return out


def _same(a: Any, b: Any) -> bool:
    if _blank(a) and _blank(b):
        return True
    if isinstance(a, int | float | Decimal) and isinstance(b, int | float | Decimal):
        return Decimal(str(a)) == Decimal(str(b))
    return str(a) == str(b)


def write_table(book: Book, t: Table, unit_name: str, year: int) -> BlockWrite:
    """Write 表N: its block in one bulk write, plus any heading that changed (year, unit name)."""
    sheet = L.table_sheet(t.number)
    shown = book.read(sheet)
    for (r, c), text in sorted(_header_updates(t, unit_name, year).items()):
        current = shown[r - 1][c - 1] if r - 1 < len(shown) and c - 1 < len(shown[r - 1]) else None
        if not _same(current, text):
            book.write(sheet, (r, c), [[text]])
    top, grid = block_rows(t, shown)
    old_end = shown_end(t.number, shown)
    new_end = max((r for r, _ in table_cells(t)), default=0)
    was_empty = any(EMPTY_NOTE == (r[0] if r else None) for r in shown[top - 1 : old_end])
    if top <= old_end < new_end and not was_empty:  # the table grew: new rows look like its last row
        book.extend_format(sheet, old_end, new_end, L.last_column(t.number))
    book.write(sheet, (top, 1), grid)
    if new_end < old_end:  # the table shrank: the rows it no longer uses lose their borders too
        book.clear(sheet, (max(new_end, top - 1) + 1, 1), (old_end, L.last_column(t.number)), formats=True)
    book.set_print_area(sheet, (print_end(t), L.last_column(t.number)))
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
    if missing:
        from xlbudget.errors import InputError, Problem

        raise InputError([Problem(s, f"缺少工作表“{s}”，无法写入") for s in missing])
    blocks = []
    for t in tables.tables:
        say(f"正在写入 表{t.number}（共 {len(tables.tables)} 张）…")
        blocks.append(write_table(book, t, budget.unit.name, budget.year))
    return FillResult(budget, tables, tuple(blocks))
