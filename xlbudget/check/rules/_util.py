"""Small helpers shared by the rule modules."""

from __future__ import annotations

from collections.abc import Iterator

from xlbudget.tables import TOTAL, Row, Table, TableSet


def is_code(key: str) -> bool:
    return key.isdigit() and len(key) in (3, 5, 7)


def code_rows(table: Table) -> list[Row]:
    return [r for r in table.rows if is_code(r.key)]


def width(table: Table) -> int:
    """Number of value columns: the headings, or the longest row when none are given."""
    longest = max((len(r.values) for r in table.rows + table.income), default=0)
    return max(len(table.columns), longest)


def children(table: Table, row: Row) -> list[Row]:
    """The 款 under a 类, the 项 under a 款 (rows whose code extends this one by 2 digits)."""
    return [
        r
        for r in table.rows
        if is_code(r.key) and len(r.key) == len(row.key) + 2 and r.key.startswith(row.key)
    ]


def total_row(table: Table) -> Row | None:
    return table.row(TOTAL)


def tree_tables(ts: TableSet) -> Iterator[Table]:
    """Tables whose rows are 类/款/项 codes (表2, 3, 5, 6, 7, 8, 9)."""
    for t in ts.tables:
        if t.layout != "balance" and code_rows(t):
            yield t
