"""Figures as the reader sees them, and rounding-aware comparisons.

Every table figure is compared as printed: 万元, two decimals, half-up (``money.to_wan``).
For tables read from a file that is the identity; for tables derived here it is what
the writer will print.  A printed total and the sum of its printed parts may differ by
the rounding of each figure involved — at most 0.005万元 per rounded figure: that is a
尾差 (rule ``rounding.tail``, severity info), not an error.  A figure whose amount is
exactly zero (a blank class row of 表1) carries no rounding and widens nothing: only the
figures that were rounded count.  Two printings of the same sum must agree exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from xlbudget.check.findings import ERROR, INFO, Finding
from xlbudget.money import ROUNDING_HALF_STEP_WAN, ZERO, to_wan
from xlbudget.tables import Row, Table

ROUNDING_TAIL = "rounding.tail"
BALANCE_SINGLE = ("本年收入合计", "收入总计", "上年结转", "上年财政拨款结转", "年终结转")


class Printed(Decimal):
    """A printed 万元 figure that knows whether rounding may have gone into it.

    ``rounded`` is False only when the amount behind it is known to be exactly zero: no
    line at all in a derived table, or a cell printed blank in a document (a table prints a
    blank where there is nothing; "0.00" may be the rounding of under 50 元 and counts).
    Arithmetic on it gives a plain ``Decimal``, which counts as rounded (the safe side).
    """

    rounded: bool

    def __new__(cls, yuan: Decimal, printed: str | None = None) -> Printed:
        figure = super().__new__(cls, to_wan(yuan))
        figure.rounded = yuan != 0 if printed is None else printed.strip() != ""
        return figure


def value(row: Row | None, column: int) -> Decimal:
    """The printed 万元 figure of a row's column; blank or missing = 0 (exactly)."""
    if row is None or column >= len(row.values):
        return Printed(ZERO)
    printed = row.printed[column] if column < len(row.printed) else None
    return Printed(row.values[column], printed)


def total_value(table: Table, label: str, column: int = 0) -> Decimal:
    """A 表1/表4 footer figure (收入总计 …); as its printed text is not kept, it counts as rounded."""
    values = table.totals.get(label, ())
    return to_wan(values[column]) if column < len(values) else ZERO


def rounded_count(figures: Iterable[Decimal]) -> int:
    """How many of these figures may carry a rounding tail of up to 0.005万元."""
    return sum(1 for f in figures if getattr(f, "rounded", True))


def show(wan: Decimal) -> str:
    return f"{wan:.2f}"


def column_index(table: Table, *headings: str) -> int | None:
    """Index of the first column whose heading is one of ``headings``."""
    for i, h in enumerate(table.columns):
        if h in headings:
            return i
    return None


def name_of(row: Row) -> str:
    """How a reader names a row: 工资福利支出 (301), else its key."""
    if row.label and row.label != row.key:
        return f"{row.key} {row.label}"
    return row.key


def file_prefix(table: Table) -> str | None:
    """'tables.1' when the table was read from a tables JSON (its cells say so)."""
    for r in table.rows + table.income:
        for c in r.cells:
            if c.startswith("tables."):
                return ".".join(c.split(".")[:2])
    return None


def total_location(table: Table, label: str, column: int = 0) -> str:
    """Where a 表1/表4 footer figure (收入总计 …) is."""
    prefix = file_prefix(table)
    if prefix:
        return f"{prefix}.{label}" if label in BALANCE_SINGLE else f"{prefix}.{label}[{column}]"
    heading = table.columns[column] if column < len(table.columns) and label not in BALANCE_SINGLE else ""
    return f"{table.label} {label} {heading}".strip()


def sum_finding(
    rule: str,
    table: int | None,
    location: str,
    subject: str,
    actual: Decimal,
    parts: Sequence[Decimal],
    parts_text: str,
) -> Finding | None:
    """A printed total against the sum of its printed parts.

    Equal: nothing.  Off by no more than 0.005万元 × (number of rounded figures involved,
    the total and each part that is not exactly zero): a ``rounding.tail`` info.  More: an
    error of ``rule``.
    """
    expected = sum(parts, ZERO)
    diff = actual - expected
    if diff == 0:
        return None
    figures = rounded_count([actual, *parts])
    tolerance = ROUNDING_HALF_STEP_WAN * figures
    if abs(diff) <= tolerance:
        return Finding(
            ROUNDING_TAIL,
            INFO,
            table,
            location,
            f"{subject} {show(actual)} 与{parts_text}之和 {show(expected)} 相差 {show(abs(diff))} 万元，"
            f"在四舍五入尾差以内（{figures} 个四舍五入的数各至多 0.005 万元），不是错误",
            show(expected),
            show(actual),
        )
    return Finding(
        rule,
        ERROR,
        table,
        location,
        f"{subject} {show(actual)} 不等于{parts_text}之和 {show(expected)}，相差 {show(abs(diff))} 万元，"
        f"超过四舍五入尾差（至多 {tolerance.normalize():f} 万元）",
        show(expected),
        show(actual),
    )


def same_finding(
    rule: str,
    table: int | None,
    location: str,
    subject: str,
    actual: Decimal,
    expected: Decimal,
    expected_text: str,
) -> Finding | None:
    """Two printings of the same sum: they must agree to the cent."""
    if actual == expected:
        return None
    return Finding(
        rule,
        ERROR,
        table,
        location,
        f"{subject} {show(actual)} 与{expected_text} {show(expected)} 不一致（同一数字应相同），"
        f"相差 {show(abs(actual - expected))} 万元",
        show(expected),
        show(actual),
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
