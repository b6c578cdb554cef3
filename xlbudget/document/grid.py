"""A printed table's grid (rows of cell texts) → a :class:`~xlbudget.tables.Table` as printed.

The readers hand over each table as rows of cells, one text per printed grid column (a merged
cell once).  What each column holds is read off the grid itself: codes (digits; Shanghai prints
类 | 款 | 项 in three cells), the name, a second name column (表6's 政府预算支出经济分类), then the
figures.  A line whose label spans the code and name columns (合计) has fewer cells: its figures
are its last cells.  Side-by-side tables (收支总表) are split into their income and expenditure
sides.  Figures are kept as printed (``Row.printed``) and as exact yuan (``Row.values``), at the
money unit printed over the table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

from xlbudget.document.model import Flaw
from xlbudget.location import Location
from xlbudget.tables import Row, Table

FIGURE_RULE = "document.figure"
CODE_RULE = "document.code_misprint"

FIGURE = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|\d+[、.．]\s*|[（(][一二三四五六七八九十\d]+[）)])")
# the footer lines of a 收支总表: from the first of them on, a side's lines are totals
TOTAL_LINES = (
    "本年收入合计",
    "本年支出合计",
    "上年结转",
    "上年财政拨款结转",
    "年终结转",
    "结转下年",
    "收入总计",
    "支出总计",
)


def clean_cell(text: str) -> str:
    """A cell's text on one line: wrapped lines joined, indentation and spaces around CJK removed."""
    text = text.replace("\u3000", " ").replace("\n", "").replace("\r", "").strip()
    return unspace(text)


_CJK_SPACE = re.compile(r"(?<=[^\x00-\x7f]) +| +(?=[^\x00-\x7f])")


def unspace(text: str) -> str:
    """Spaces that justification put between Chinese characters removed ("上 年 结 转" → "上年结转");
    the space after a leading "1." numbering stays, as printed."""
    head = re.match(r"^\d+\.\s+", text)
    if head:
        return head.group(0)[:-1].rstrip() + " " + _CJK_SPACE.sub("", text[head.end() :]).strip()
    return _CJK_SPACE.sub("", text).strip()


#: full-width digits and marks a figure may be typed in (a Word table's "７８０．０５"), read as their ASCII
WIDE_FIGURE = str.maketrans("０１２３４５６７８９．，－", "0123456789.,-")


def is_figure(text: str) -> bool:
    return bool(FIGURE.match(text.translate(WIDE_FIGURE)))


def strip_numbering(name: str) -> str:
    return NUMBERING.sub("", name, count=1).strip()


@dataclass
class Grid:
    """One table as found in a document: where it is and its rows of cells, before reading."""

    number: int
    title: str  # as printed
    label: str = ""  # 预算公开表N, as printed over the title ("" when none)
    pages: list[int] = field(default_factory=list)
    amount_unit: str = ""  # 元 / 万元, from its 单位 line
    rows: list[tuple[list[str], int | None]] = field(default_factory=list)  # cells, page
    notes: list[str] = field(default_factory=list)

    @property
    def page(self) -> int | None:
        return self.pages[0] if self.pages else None


@dataclass
class ReadTable:
    """A grid read: the table, where each of its rows was printed, and what could not be read."""

    table: Table
    quotes: dict[
        Location, str
    ]  # Row.cells[i] (the figure's table, row, column and page) → the row as printed
    problems: list[Flaw]


def _is_column_numbers(cells: Sequence[str]) -> bool:
    """The "1 2 3 4 …" line some tables print under their header."""
    filled = [c for c in cells if c]
    return len(filled) >= 3 and filled == [str(i) for i in range(1, len(filled) + 1)]


def body_rows(rows: Sequence[tuple[list[str], int | None]]) -> list[tuple[list[str], int | None]]:
    """The rows under the header: on each page, from the first row that holds a figure (a page that
    continues a table may repeat the header); the column-number line left out."""
    out: list[tuple[list[str], int | None]] = []
    started_on: set[int | None] = set()
    for cells, page in rows:
        cells = [clean_cell(c) for c in cells]
        if _is_column_numbers(cells):
            continue
        if page not in started_on:
            if not any(is_figure(c) for c in cells):
                continue
            started_on.add(page)
        out.append((cells, page))
    return out


class _Reader:
    def __init__(self, grid: Grid, columns: tuple[str, ...], unit: Decimal, where: str) -> None:
        self.grid, self.columns, self.unit, self.where = grid, columns, unit, where
        self.quotes: dict[Location, str] = {}
        self.problems: list[Flaw] = []
        self.count = 0
        self.seen: list[tuple[str, str]] = []

    def figures(self, texts: Sequence[str], cells: Sequence[Location]) -> tuple[Decimal, ...]:
        out = []
        for i, text in enumerate(texts):
            t = text.translate(WIDE_FIGURE).replace(" ", "")
            if t in ("", "-", "—", "－"):
                out.append(Decimal(0))
                continue
            try:
                if not is_figure(t):
                    raise InvalidOperation
                out.append(Decimal(t.replace(",", "")) * self.unit)
            except InvalidOperation:
                self.problems.append(
                    Flaw(
                        FIGURE_RULE,
                        "warning",
                        self.grid.number,
                        cells[i],
                        f"表{self.grid.number} 金额格里印的“{text}”不是金额，按空白读",
                        actual=text,
                    )
                )
                out.append(Decimal(0))
        return tuple(out)

    def row(
        self, code: str, name: str, texts: Sequence[str], page: int | None, side: str, extra: str = ""
    ) -> Row:
        label = f"{code} {name}".strip() if code else name
        side_name = {"income": "收入", "expenditure": "支出"}.get(side, "")
        at = Location(
            table=f"{self.where} {side_name}".strip(), row=label or f"第{self.count + 1}行", page=page
        )
        self.count += 1
        named = (at.table, at.row)
        if named in self.seen:  # two rows of the same name: the second is told apart
            at = replace(at, row=f"{at.row}（第{self.seen.count(named) + 1}个）")
        self.seen.append(named)
        heads = ("金额",) if side == "income" else self.columns
        cells = tuple(
            replace(at, column=heads[i] if i < len(heads) else f"第{i + 1}列") for i in range(len(texts))
        )
        values = self.figures(texts, cells)
        printed = " ".join(p for p in (code, name, extra, *texts) if p)
        for c in cells:
            self.quotes[c] = printed
        code_ok = code.isdigit() and len(code) in (3, 5, 7)
        level = len(code) // 2 if code_ok else 0
        return Row(code or name, name, values, level, extra, cells, tuple(texts))


def misprint(
    parts: Sequence[str], parents: dict[int, str], row: Row, table: int, page: int | None, quote: str
) -> Flaw | None:
    """A code printed wrong: a 类 not of three digits, a 款 or 项 not of two, or a code that is not
    under the 类/款 printed above it.  ``parts`` are its printed code cells (类 | 款 | 项, or one)."""
    code = "".join(parts)
    filled = [p for p in parts if p]
    expected: str | None = None
    if len(parts) > 1 and filled:  # printed split: 类 | 款 | 项
        head, tail = filled[0], filled[1:]
        fixed_tail = [t.zfill(2) if len(t) == 1 else t for t in tail]
        fixed_head = head
        if len(head) != 3:
            fixed_head = parents.get(3, "") if len(tail) else ""
        if fixed_head and all(len(t) == 2 for t in fixed_tail):
            expected = fixed_head + "".join(fixed_tail)
        wrong = len(head) != 3 or any(len(t) != 2 for t in tail)
    else:
        wrong = len(code) not in (3, 5, 7)
    if not wrong:
        parent = parents.get(len(code) - 2) if len(code) > 3 else None
        if parent is not None and not code.startswith(parent):
            wrong = True  # e.g. a 项 71102… under 款 21011: its 类 printed wrong
            expected = parent + code[len(parent) - 2 :] if len(code) - 2 == len(parent) else None
    if not wrong or expected == code:
        return None
    where = row.cells[0] if row.cells else Location(table=f"表{table}", row=row.label, page=page)
    fix = f"，应为 {expected}" if expected else ""
    return Flaw(
        CODE_RULE,
        "error",
        table,
        where,
        f"表{table}「{row.label}」的科目编码印为“{' '.join(filled)}”，不是完整的类/款/项编码{fix}",
        expected,
        code,
        quote,
    )


def _layout(full: list[list[str]]) -> tuple[int, list[int], list[int]]:
    """(name column, extra text columns, value columns) of the rows with every cell."""
    width = len(full[0])
    texty = [any(r[c] and not is_figure(r[c]) for r in full) for c in range(width)]
    name = next((c for c in range(width) if texty[c]), -1)
    extra = [c for c in range(name + 1, width) if texty[c]] if name >= 0 else []
    values = [c for c in range(name + 1, width) if c not in extra]
    return name, extra, values


def read_rows_table(grid: Grid, columns: tuple[str, ...], unit: Decimal, layout: str) -> ReadTable:
    """A table of rows (trees, items, projects, units): codes, name, figures."""
    where = f"表{grid.number}"
    reader = _Reader(grid, columns, unit, where)
    body = [(cells, page) for cells, page in body_rows(grid.rows) if any(cells)]
    rows: list[Row] = []
    if body:
        width = max(len(c) for c, _ in body)
        full = [c for c, _ in body if len(c) == width]
        name_col, extra_cols, value_cols = _layout(full)
        parents: dict[int, str] = {}  # the 类 (3) and 款 (5) the rows below sit under
        n = len(value_cols)
        for cells, page in body:
            if len(cells) == width:
                code = "".join(cells[c] for c in range(max(name_col, 0)))
                name = cells[name_col] if name_col >= 0 else ""
                extra = "".join(cells[c] for c in extra_cols)
                texts = [cells[c] for c in value_cols]
            else:  # a label spanning the code and name columns (合计), figures at the right
                texts = cells[-n:] if n else []
                head = cells[: len(cells) - len(texts)]
                code, name, extra = "", "".join(head), ""
                if name.isdigit():
                    code, name = name, ""
            row = reader.row(code, name, texts, page, "rows", extra)
            if code and len(cells) == width:
                parts = [cells[c] for c in range(max(name_col, 0))]
                flaw = misprint(
                    parts,
                    parents,
                    row,
                    grid.number,
                    page,
                    reader.quotes.get(row.cells[0], "") if row.cells else "",
                )
                if flaw is not None:
                    reader.problems.append(flaw)
                if len(code) in (3, 5) and flaw is None:
                    parents[len(code)] = code
                    if len(code) == 3:
                        parents.pop(5, None)
            rows.append(row)
    table = Table(grid.number, grid.label, grid.title, layout, columns, tuple(rows))
    return ReadTable(table, reader.quotes, reader.problems)


def _printed_headings(grid: Grid, width: int, lead: int) -> tuple[str, ...]:
    """The value columns' headings as printed: the last header row (no figure in it) with every cell."""
    heads: tuple[str, ...] = ()
    for cells, _ in grid.rows:
        cells = [clean_cell(c) for c in cells]
        if any(is_figure(c) for c in cells):
            break
        if len(cells) == width and all(cells[lead:]):
            heads = tuple(cells[lead:])
    return heads


def read_balance_table(
    grid: Grid, columns: tuple[str, ...], unit: Decimal, keep_numbering: bool
) -> ReadTable:
    """A side-by-side 收支总表: income name | figure | expenditure name | figures …"""
    where = f"表{grid.number}"
    reader = _Reader(grid, columns, unit, where)
    sides: dict[str, list[Row]] = {"income": [], "expenditure": []}
    totals: dict[str, tuple[Decimal, ...]] = {}
    places: dict[str, tuple[Location, ...]] = {}
    in_totals = {"income": False, "expenditure": False}
    last_total = {"income": "", "expenditure": ""}
    for cells, page in body_rows(grid.rows):
        if len(cells) < 3:
            continue
        parts = {"income": (cells[0], cells[1:2]), "expenditure": (cells[2], cells[3:])}
        for side, (raw_name, texts) in parts.items():
            bare = strip_numbering(raw_name)
            name = raw_name if keep_numbering else bare
            if not raw_name and not any(texts):
                continue
            if bare in TOTAL_LINES:
                in_totals[side] = True
                last_total[side] = bare
                row = reader.row("", bare, texts, page, side)
                totals[bare], places[bare] = row.values, row.cells
                continue
            row = reader.row("", name, texts, page, side)
            if in_totals[side]:  # a line under a total (上年财政拨款结转's funds): kept when it has figures
                if not row.is_zero:
                    totals[f"{last_total[side]}（{name}）"] = row.values
                    places[f"{last_total[side]}（{name}）"] = row.cells
                continue
            sides[side].append(
                row
                if side == "income"
                else Row(row.key, row.label, row.values, 1, "", row.cells, row.printed)
            )
    width = max((len(cells) for cells, _ in grid.rows), default=0)
    if width > 3 and width - 3 != len(columns):  # the profile's columns are not the ones printed
        columns = _printed_headings(grid, width, 3) or columns
    table = Table(
        grid.number,
        grid.label,
        grid.title,
        "balance",
        columns,
        tuple(sides["expenditure"]),
        income=tuple(sides["income"]),
        totals=totals,
        total_cells=places,
    )
    return ReadTable(table, reader.quotes, reader.problems)
