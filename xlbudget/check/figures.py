"""Figures as the reader sees them, and rounding-aware comparisons.

Every table figure is compared at the precision it is printed in (``Table.amount_unit``):

- a table in 万元: two decimals, half-up (``money.to_wan``).  For tables read from a file
  that is the identity; for tables derived here it is what the writer will print.  A printed
  total and the sum of its printed parts may differ by the rounding of each figure involved —
  at most 0.005万元 per rounded figure: that is a 尾差 (rule ``rounding.tail``, severity info),
  not an error.  A figure whose amount is exactly zero (a blank class row of 表1) carries no
  rounding and widens nothing: only the figures that were rounded count.
- a table in 元: the figure is exact, so sums are checked to the 元 (a 1-元 difference is an
  error) and no 尾差 is allowed; a 元 figure set against a 万元 one (the same money printed in
  two tables of different units) is compared at 万元, the coarser print.

Two printings of the same sum must agree exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from xlbudget.check.findings import ERROR, INFO, Finding
from xlbudget.location import Location
from xlbudget.money import ROUNDING_HALF_STEP_WAN, TEN_THOUSAND, ZERO, to_wan
from xlbudget.tables import Row, Table, row_name

ROUNDING_TAIL = "rounding.tail"
BALANCE_SINGLE = ("本年收入合计", "收入总计", "上年结转", "上年财政拨款结转", "年终结转")


class Printed(Decimal):
    """A printed 万元 figure that knows whether rounding may have gone into it.

    ``rounded`` is False only when the amount behind it is known to be exactly zero: no
    line at all in a derived table, or a cell printed blank in a document (a table prints a
    blank where there is nothing; "0.00" may be the rounding of under 50 元 and counts).
    Arithmetic on it gives a plain ``Decimal``, which counts as rounded (the safe side).

    A figure of a table printed in 元 is ``exact``: its value is the yuan amount in 万元 to
    the last digit (yuan / 10000), and it was not rounded.
    """

    rounded: bool
    exact: bool

    def __new__(cls, yuan: Decimal, printed: str | None = None, unit: str = "万元") -> Printed:
        if unit == "元":
            figure = super().__new__(cls, yuan / TEN_THOUSAND)
            figure.rounded, figure.exact = False, True
            return figure
        figure = super().__new__(cls, to_wan(yuan))
        figure.rounded = yuan != 0 if printed is None else printed.strip() != ""
        figure.exact = False
        return figure


def value(row: Row | None, column: int | None, unit: str = "万元") -> Decimal:
    """The printed figure of a row's column (in 万元; exact for a table in 元); blank or missing = 0 (exactly)."""
    if row is None or column is None or column >= len(row.values):
        return Printed(ZERO, unit=unit)
    printed = row.printed[column] if column < len(row.printed) else None
    return Printed(row.values[column], printed, unit)


def figure(table: Table, row: Row | None, column: int | None) -> Decimal:
    """A table's figure at the precision the table prints it (its ``amount_unit``)."""
    return value(row, column, table.amount_unit)


def total_value(table: Table, label: str, column: int | None = 0) -> Decimal:
    """A 表1/表4 footer figure (收入总计 …); as its printed text is not kept, a 万元 one counts as rounded."""
    values = table.totals.get(label, ())
    if column is None or column >= len(values):
        return Printed(ZERO, unit=table.amount_unit)
    if table.amount_unit == "元":
        return Printed(values[column], unit="元")
    return to_wan(values[column])


def rounded_count(figures: Iterable[Decimal]) -> int:
    """How many of these figures may carry a rounding tail of up to 0.005万元."""
    return sum(1 for f in figures if getattr(f, "rounded", True))


def is_exact(figure: Decimal) -> bool:
    return bool(getattr(figure, "exact", False))


def _in_yuan(figures: Iterable[Decimal]) -> bool:
    """Figures compared to the 元: none was rounded and some were printed in 元."""
    figures = list(figures)
    return any(is_exact(f) for f in figures) and rounded_count(figures) == 0


def show(wan: Decimal, yuan: bool | None = None) -> str:
    """A figure as printed: 万元 with two decimals (half-up), or, for a figure of a table in 元, in 元."""
    if yuan if yuan is not None else is_exact(wan):
        amount = wan * TEN_THOUSAND
        return f"{amount:.0f}" if amount == amount.to_integral_value() else f"{amount:.2f}"
    return f"{to_wan(wan * TEN_THOUSAND)}"


def amount(wan: Decimal, yuan: bool | None = None) -> str:
    """ "916.53 万元", or "24840779 元" for a figure of a table in 元."""
    yuan = is_exact(wan) if yuan is None else yuan
    return f"{show(wan, yuan)} {'元' if yuan else '万元'}"


def name_of(row: Row) -> str:
    """How a reader names a row: "301 工资福利支出", else its key."""
    return row_name(row)


def total_location(table: Table, label: str, column: int = 0) -> Location:
    """Where a 表1/表4 footer figure (收入总计 …) is: its place as read (``Table.total_cells``), else
    the table, the line and the column."""
    places = table.total_cells.get(label, ())
    if places:
        return places[min(column, len(places) - 1)]
    heading = table.columns[column] if column < len(table.columns) and label not in BALANCE_SINGLE else ""
    return Location(table=table.label or f"表{table.number}", row=label, column=heading)


def sum_finding(
    rule: str,
    table: int | None,
    location: Location,
    subject: str,
    actual: Decimal,
    parts: Sequence[Decimal],
    parts_text: str,
    against: Sequence[Location] = (),
) -> Finding | None:
    """A printed total against the sum of its printed parts.

    Equal: nothing.  Off by less than 0.005万元 × (number of rounded figures involved, the total
    and each part that is not exactly zero): a ``rounding.tail`` info.  More — or as much, which
    rounding cannot give (each figure moves by more than −0.005 and at most +0.005: a 类 of one 款
    printed 0.01 apart from it is a misprint) —: an error of ``rule``.
    """
    expected = sum(parts, ZERO)
    diff = actual - expected
    if diff == 0:
        return None
    if _in_yuan([actual, *parts]):  # printed to the 元: no rounding went into any figure
        return Finding(
            rule,
            ERROR,
            table,
            location,
            f"{subject} {show(actual, True)} 不等于{parts_text}之和 {show(expected, True)}，"
            f"相差 {show(abs(diff), True)} 元（各数均印到元，没有四舍五入尾差）",
            show(expected, True),
            show(actual, True),
            against=tuple(against),
        )
    figures = rounded_count([actual, *parts])
    tolerance = ROUNDING_HALF_STEP_WAN * figures
    # half-up moves a rounded total by more than −0.005 and at most +0.005, each part the same: the gap
    # stays strictly inside the allowance (a total with one part can't differ from it by 0.01), unless
    # the total itself was not rounded
    if abs(diff) < tolerance or (abs(diff) == tolerance and not getattr(actual, "rounded", True)):
        return Finding(
            ROUNDING_TAIL,
            INFO,
            table,
            location,
            f"{subject} {show(actual, False)} 与{parts_text}之和 {show(expected, False)} 相差 "
            f"{show(abs(diff), False)} 万元，在四舍五入尾差以内（{figures} 个四舍五入的数各至多 0.005 万元），不是错误",
            show(expected, False),
            show(actual, False),
            against=tuple(against),
        )
    return Finding(
        rule,
        ERROR,
        table,
        location,
        f"{subject} {show(actual, False)} 不等于{parts_text}之和 {show(expected, False)}，相差 "
        f"{show(abs(diff), False)} 万元，超过四舍五入尾差（{figures} 个四舍五入的数，尾差小于 {tolerance.normalize():f} 万元）",
        show(expected, False),
        show(actual, False),
        against=tuple(against),
    )


def same_finding(
    rule: str,
    table: int | None,
    location: Location,
    subject: str,
    actual: Decimal,
    expected: Decimal,
    expected_text: str,
    against: Location | None = None,
) -> Finding | None:
    """Two printings of the same sum: they must agree to the cent (万元), or to the 元 when both print 元.

    A figure printed in 元 set against one printed in 万元 is compared at 万元: rounded half-up as the
    万元 print would round it."""
    yuan = is_exact(actual) and is_exact(expected)
    if not yuan and (is_exact(actual) or is_exact(expected)):
        actual, expected = (to_wan(f * TEN_THOUSAND) for f in (actual, expected))
    if actual == expected:
        return None
    word = "元" if yuan else "万元"
    return Finding(
        rule,
        ERROR,
        table,
        location,
        f"{subject} {show(actual, yuan)} 与{expected_text} {show(expected, yuan)} 不一致（同一数字应相同），"
        f"相差 {show(abs(actual - expected), yuan)} {word}",
        show(expected, yuan),
        show(actual, yuan),
        against=(against,) if against is not None else (),
    )


def dedupe_columns(found: Iterable[tuple[int, Finding]], table: Table) -> list[Finding]:
    """One finding per distinct discrepancy in a row.

    The same printed figure with the same parts in two columns (表6 工资福利支出
    453.40 in 合计 and in 人员经费) is one discrepancy, reported at its first cell.
    """
    out: dict[tuple[str, str | None, str | None], Finding] = {}
    for _column, f in found:
        key = (f.rule, f.expected, f.actual)
        if key not in out:
            out[key] = f
    return list(out.values())
