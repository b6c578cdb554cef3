"""The disclosure tables as printed: one grid per table, whatever prints it.

:func:`printed_table` turns a :class:`~xlbudget.tables.Table` (exact yuan) and its
profile's :class:`~xlbudget.profiles.TableSpec` into a :class:`PrintedTable`: the
label, title and unit line, the header rows with their merged groups, and the body
as a grid of cells — labels, codes and figures as printed, in the table's money unit.
The workbook's 表 sheets, the Word report and the tables export all render (or read
back) these grids, so they print the same cells for every table of every profile.

Pure: no I/O, no styles — a cell says only what it is (a label, a figure, a total's
label) and, for a figure, which of the table's values it prints (:attr:`GridCell.ref`).
How a table prints is the profile's data (``printing`` in the profile JSON):

``header``
    the header rows, each a list of ``[text, columns, rows]``; ``{year}`` is filled in.
    Without it the layout's usual header is used.
``code_columns``
    tree tables: 1 (科目编码 in one column, the default), 3 for a function code printed
    split 类 | 款 | 项 (2 for an economic code 类 | 款), 0 for names only.
``total``
    tree tables: where the 合计 line prints, ``"first"`` (default) or ``"last"``.
``income_columns``
    a tree table printing its first N value columns on an income side of its own (表9).
``unit_line``
    the line under the title, ``{unit}`` and ``{unit_of_money}`` filled in.
``number_lines``
    balance tables: false when the lines print as the table labels them (Shanghai's own
    ``一、…`` / ``1、…``), not numbered 一、二、… here.
``footer``
    balance tables: the footer lines, each ``[income total, expenditure total]`` (keys of the
    table's totals); without it Shanxi's 本年收入合计 / 上年结转 / 收入总计 lines.
``label_column``
    labelled tables: false for a line of figures with no label column (Shanghai 表9).
``zero``
    what a zero figure prints: "" (an empty cell, the default) or, as Shanghai's 部门 template prints
    表2/3/5/8/9 (万里 2024), ``"0"``.  The blank 合计 line of an empty table stays blank.
``trim_zeros``
    true: a figure's decimals print without trailing zeros (25.00 → 25, 6.40 → 6.4), as the district
    表9 prints its 万元.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from xlbudget.model import FISCAL_FUNDS, FUNDS
from xlbudget.money import ZERO, fmt_amount, yuan_places
from xlbudget.tables import TOTAL, Row, Table, TableSet

UNIT_LINE = "单位名称：{unit}\t单位：{unit_of_money}"
_NUMERALS = "一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 30 → 三十 (up to 99): how the balance tables number their lines."""
    if not 0 < n < 100:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    head = "" if not tens else ("" if tens == 1 else _NUMERALS[tens - 1]) + "十"
    return head + (_NUMERALS[ones - 1] if ones else "")


@dataclass(frozen=True)
class Head:
    """A header cell: text spanning ``cols`` columns and ``rows`` rows."""

    text: str
    cols: int = 1
    rows: int = 1


def placed_heads(spec: Sequence[Sequence[Head]]) -> Iterator[tuple[int, int, Head]]:
    """Each heading of ``spec`` with the (row, column) its top-left cell takes, merged cells skipped."""
    taken: set[tuple[int, int]] = set()
    for r, heads in enumerate(spec):
        c = 0
        for head in heads:
            while (r, c) in taken:
                c += 1
            yield r, c, head
            taken.update((rr, cc) for rr in range(r, r + head.rows) for cc in range(c, c + head.cols))
            c += head.cols


# Where a figure comes from in its Table: (part, row index, column index). ``part`` is "rows",
# "income", or a key of ``Table.totals`` (本年收入合计 …).
Ref = tuple[str, int, int]


@dataclass(frozen=True)
class GridCell:
    """One printed cell of a table's body.

    ``style``: "text" (a label or code), "figure", or "head" (a total's label, set like a heading).
    ``wrap``: a label that may wrap in its column (a printer keeps it from leaving one character
    alone on a line). ``value``/``ref``: a figure's exact yuan and which of the table's values it is.
    """

    text: str
    style: str = "text"
    cols: int = 1
    wrap: bool = False
    value: Decimal | None = None
    ref: Ref | None = None
    level: int = 0  # a tree's 类 1 / 款 2 / 项 3 (a sheet indents by it), 表10's ①② lines 1


BodyRow = tuple[GridCell | None, ...]  # one per column; None: nothing written there (or covered by a span)


@dataclass(frozen=True)
class PrintedTable:
    table: Table
    label: str
    title: str
    unit_line: str  # "单位名称：…\t单位：万元": left and right of a tab
    heads: tuple[tuple[Head, ...], ...]
    body: tuple[BodyRow, ...]
    label_columns: tuple[bool, ...]  # per column: a label column (shares the room left) or not
    note: str  # printed under the grid of an empty table, else ""

    @property
    def n_cols(self) -> int:
        return len(self.label_columns)

    def figures(self) -> list[tuple[int, int, GridCell]]:
        """(body row, column, cell) of every figure cell, in print order."""
        return [
            (r, c, cell)
            for r, row in enumerate(self.body)
            for c, cell in enumerate(row)
            if cell is not None and cell.ref is not None
        ]

    def cell_of(self, ref: Ref) -> tuple[int, int] | None:
        """(body row, column) where the figure ``ref`` prints, or None."""
        return next(((r, c) for r, c, cell in self.figures() if cell.ref == ref), None)


def _heads(spec: Sequence[Sequence[Any]], year: int) -> tuple[tuple[Head, ...], ...]:
    return tuple(
        tuple(
            Head(str(h[0]).format(year=year), int(h[1]) if len(h) > 1 else 1, int(h[2]) if len(h) > 2 else 1)
            for h in row
        )
        for row in spec
    )


def _flat(groups: Iterable[Sequence[Decimal]]) -> Iterator[Decimal]:
    return (v for g in groups for v in g)


class _Printer:
    def __init__(self, table: Table, options: Mapping[str, Any], year: int) -> None:
        self.t = table
        self.o = options
        self.year = year
        self.unit = table.amount_unit
        every = (*(v for r in (*table.rows, *table.income) for v in r.values), *_flat(table.totals.values()))
        self.places = yuan_places(every)  # one format for all of a 元 table's figures
        self.empty = table.empty  # once: it looks at every figure of the table

    def fig(self, value: Decimal, ref: Ref | None) -> GridCell:
        # a figure of the table prints a zero as the profile says; the blank 合计 line of an empty table stays blank
        zero = str(self.o.get("zero", "")) if ref is not None and not self.empty else ""
        trim = bool(self.o.get("trim_zeros", False))
        text = fmt_amount(value, self.unit, self.places, zero=zero, trim=trim)
        return GridCell(text, "figure", value=value, ref=ref)

    def values(
        self, row: Row, part: str, index: int, first: int = 0, count: int | None = None
    ) -> list[GridCell]:
        vals = row.values[first : None if count is None else first + count]
        if index < 0:  # the blank 合计 line of an empty table: printed, not one of the table's values
            return [self.fig(v, None) for v in vals]
        return [self.fig(v, (part, index, first + j)) for j, v in enumerate(vals)]

    def explicit_heads(self) -> tuple[tuple[Head, ...], ...] | None:
        spec = self.o.get("header")
        return _heads(spec, self.year) if spec else None

    def rows_or_total(self) -> list[tuple[int, Row]]:
        """The rows with their index; an empty table prints a blank 合计 line."""
        n = len(self.t.columns)
        return list(enumerate(self.t.rows)) or [(-1, Row(TOTAL, TOTAL, (ZERO,) * n))]

    # 科目编码 | 科目名称 | values (表2 3 5 7 8; Shanghai 表2 3 5 6 7 with the code split 类 | 款 | 项)
    def function_tree(self) -> tuple[tuple[tuple[Head, ...], ...], list[BodyRow], list[bool]]:
        t, n = self.t, len(self.t.columns)
        codes = int(self.o.get("code_columns", 1))
        if self.o.get("income_columns"):
            return self.income_and_spending(int(self.o["income_columns"]))
        heads = self.explicit_heads()
        if heads is None:
            if n > 1:
                heads = (
                    (Head("项目", codes + 1), Head(f"{self.year}年预算数", n)),
                    (Head("科目编码"), Head("科目名称"), *(Head(h) for h in t.columns)),
                )
            else:
                heads = (
                    (Head("项目", codes + 1), Head(t.columns[0], 1, 2)),
                    (Head("收入科目编码"), Head("科目名称")),
                )
        rows = self.rows_or_total()
        if self.o.get("total") == "last":
            rows = [x for x in rows if x[1].key != TOTAL] + [x for x in rows if x[1].key == TOTAL]
        body: list[BodyRow] = []
        for i, row in rows:
            if row.key == TOTAL:
                lead: list[GridCell | None] = [GridCell(TOTAL, "head", cols=codes + 1)] + [None] * codes
            else:
                lead = [*self.code_cells(row.key, codes), GridCell(row.label, wrap=True, level=row.level)]
            body.append((*lead, *self.values(row, "rows", i)))
        return heads, body, [False] * codes + [True] + [False] * n

    @staticmethod
    def code_cells(code: str, columns: int) -> list[GridCell | None]:
        if columns == 1:
            return [GridCell(code)]
        if columns == 0:
            return []
        parts = [code[:3], code[3:5], code[5:7]][:columns]
        return [GridCell(p) if p else GridCell("") for p in parts]

    # 表9 (Shanxi): the income side's codes, names and figures, then the expenditure side's
    def income_and_spending(self, k: int) -> tuple[tuple[tuple[Head, ...], ...], list[BodyRow], list[bool]]:
        t = self.t
        heads = self.explicit_heads() or (
            (Head("收入", 2 + k), Head("支出", 2 + len(t.columns) - k)),
            (Head("收入科目编码"), Head("科目名称"), *(Head(h) for h in t.columns[:k]))
            + (Head("科目编码"), Head("科目名称"), *(Head(h) for h in t.columns[k:])),
        )
        body: list[BodyRow] = []
        for i, row in self.rows_or_total():
            if row.key == TOTAL:
                side: list[GridCell | None] = [GridCell(TOTAL, "head", cols=2), None]
            else:
                side = [GridCell(row.key), GridCell(row.label, wrap=True, level=row.level)]
            body.append((*side, *self.values(row, "rows", i, 0, k), *side, *self.values(row, "rows", i, k)))
        n_out = len(t.columns) - k
        return heads, body, [False, True] + [False] * k + [False, True] + [False] * n_out

    # 表6: economic names (indented under their 类) | 政府预算支出经济科目名称 | values
    def economic_tree(self) -> tuple[tuple[tuple[Head, ...], ...], list[BodyRow], list[bool]]:
        t, n = self.t, len(self.t.columns)
        codes = int(self.o.get("code_columns", 0))
        extra = bool(self.o.get("gov_economic", codes == 0))
        heads = self.explicit_heads() or (
            (
                Head("部门预算支出经济科目名称", 1, 2),
                Head("政府预算支出经济科目名称", 1, 2),
                Head(f"{self.year}年预算数", n),
            ),
            tuple(Head(h) for h in t.columns),
        )
        rows = self.rows_or_total()
        if self.o.get("total") == "last":
            rows = [x for x in rows if x[1].key != TOTAL] + [x for x in rows if x[1].key == TOTAL]
        lead_cols = codes + 1 + int(extra)
        body: list[BodyRow] = []
        for i, row in rows:
            if row.key == TOTAL:
                span = codes + 1 + int(extra) if codes else 2
                lead: list[GridCell | None] = [GridCell(TOTAL, "head", cols=span)] + [None] * (lead_cols - 1)
            else:
                name = row.label if codes else ("　　" if row.level >= 2 else "") + row.label
                lead = [
                    *self.code_cells(row.key, codes),
                    GridCell(name, wrap=True, level=row.level),
                    *([GridCell(row.extra, wrap=True)] if extra else []),
                ]
            body.append((*lead, *self.values(row, "rows", i)))
        return heads, body, [False] * codes + [True] * (1 + int(extra)) + [False] * n

    # 表10 11 12 13: a label column and values
    def labelled(self) -> tuple[tuple[tuple[Head, ...], ...], list[BodyRow], list[bool]]:
        t, n = self.t, len(self.t.columns)
        first = {"three_public": "项目", "operating_funds": "单位名称", "projects": "项目名称"}.get(
            t.layout, "项目"
        )
        heads = self.explicit_heads()
        if heads is None and t.layout == "projects":
            fiscal_names = {FUNDS[f] for f in FISCAL_FUNDS}
            top: list[Head] = [Head(first, 1, 2), Head(t.columns[0], 1, 2)]
            fiscal = [h for h in t.columns[1:] if h in fiscal_names]
            top.append(Head(f"{self.year}年财政拨款", len(fiscal)))
            top += [Head(h, 1, 2) for h in t.columns[1 + len(fiscal) :]]
            heads = (
                tuple(top),
                tuple(Head(h) for h in fiscal),
                tuple(Head(str(i + 1)) for i in range(n + 1)),
            )
        elif heads is None:
            heads = ((Head(first, 1, 2), Head(f"{self.year}年预算数", n)), tuple(Head(h) for h in t.columns))
        body: list[BodyRow] = []
        labelled = bool(self.o.get("label_column", True))
        for i, row in self.rows_or_total():
            style = "head" if row.key in (TOTAL, "部门合计") else "text"
            label = (GridCell(row.label, style, wrap=True, level=row.level),) if labelled else ()
            body.append((*label, *self.values(row, "rows", i)))
        return heads, body, [True] * labelled + [False] * n

    # 表1 表4: income | expenditure, side by side, then the footer lines
    def balance(self) -> tuple[tuple[tuple[Head, ...], ...], list[BodyRow], list[bool]]:
        t, n = self.t, len(self.t.columns)
        fiscal = t.role == "fiscal_balance"
        heads = self.explicit_heads()
        if heads is None and fiscal:
            heads = (
                (Head("收入", 2), Head("支出", 1 + n)),
                (Head("项目", 1, 2), Head("金额", 1, 2), Head("项目", 1, 2), Head("金额", n)),
                tuple(Head(h) for h in t.columns),
            )
        elif heads is None:
            heads = (
                (Head("收入", 2), Head("支出", 1 + n)),
                (
                    Head("项目"),
                    Head(f"{self.year}年"),
                    Head("项目"),
                    *(Head(f"{self.year}年合计" if h == "合计" else h) for h in t.columns),
                ),
            )
        numbered = bool(self.o.get("number_lines", True))

        def label(i: int, text: str) -> str:
            return f"{chinese_number(i + 1)}、{text}" if numbered else text

        body: list[BodyRow] = []
        for i in range(max(len(t.income), len(t.rows))):
            line: list[GridCell | None] = [None] * (3 + n)
            if i < len(t.income):
                line[0] = GridCell(label(i, t.income[i].label), wrap=True)
                line[1] = self.fig(t.income[i].values[0], ("income", i, 0))
            if i < len(t.rows):
                line[2] = GridCell(label(i, t.rows[i].label), wrap=True)
                line[3:] = self.values(t.rows[i], "rows", i)
            body.append(tuple(line))
        footer: list[tuple[str, str | None, str, bool]]
        if "footer" in self.o:
            footer = [(str(a), str(a), str(b), True) for a, b in self.o["footer"]]
        else:
            carry = next((k for k in t.totals if k not in _BALANCE_TOTALS), "上年结转")
            parts = [k for k in t.totals if k not in _BALANCE_TOTALS and k != carry]
            footer = [
                ("本年收入合计", "本年收入合计", "本年支出合计", True),
                (carry, carry, "年终结转", False),
            ]
            footer += [(f"{chinese_number(j + 1)}、{k}", k, "", False) for j, k in enumerate(parts)]
            footer.append(("收入总计", "收入总计", "支出总计", True))
        for in_label, in_key, out_label, strong in footer:
            assert in_key is not None
            style = "head" if strong else "text"
            line = [GridCell(in_label, style)]
            line.append(
                self.fig(t.totals[in_key][0], (in_key, 0, 0))
                if in_key in t.totals
                else GridCell("", "figure")
            )
            line.append(GridCell(out_label, style))
            if out_label:
                spent = t.totals.get(out_label, (ZERO,) * n)
                line += [self.fig(v, (out_label, 0, j)) for j, v in enumerate(spent)]
            else:
                line += [None] * n
            body.append(tuple(line))
        return heads, body, [True, False, True] + [False] * n


_BALANCE_TOTALS = {"本年收入合计", "本年支出合计", "年终结转", "收入总计", "支出总计"}


def printed_table(table: Table, *, unit_name: str = "", year: int = 0) -> PrintedTable:
    """How ``table`` prints, by its profile's printing data (``Table.printing``)."""
    options: Mapping[str, Any] = table.printing
    p = _Printer(table, options, year)
    if table.layout == "balance":
        heads, body, labels = p.balance()
    elif table.layout == "economic_tree":
        heads, body, labels = p.economic_tree()
    elif table.layout == "function_tree":
        heads, body, labels = p.function_tree()
    else:
        heads, body, labels = p.labelled()
    unit_line = str(options.get("unit_line", UNIT_LINE)).format(
        unit=unit_name, unit_of_money=table.amount_unit
    )
    return PrintedTable(
        table=table,
        label=table.label,
        title=table.title,
        unit_line=unit_line,
        heads=heads,
        body=tuple(body),
        label_columns=tuple(labels),
        note=(table.note or "注：本表无数据") if table.empty else "",
    )


def printed_tables(tables: TableSet, *, unit_name: str | None = None) -> list[PrintedTable]:
    """Every table of the set as printed."""
    name = tables.unit if unit_name is None else unit_name
    return [printed_table(t, unit_name=name, year=tables.year) for t in tables.tables]
