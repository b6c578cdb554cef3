"""Version 1 of the tables format (rows keyed by code or label), written for tests only.

The export writes version 2; readers still accept version 1 (the golden file is one). Tests that
plant an error in a tables document and check the finding's JSON path (``tables.3.rows.合计[0]``)
build their documents in this older shape, so the checker is exercised on version-1 input too.
A version-1 document cannot hold two rows with the same label; these tests have none.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from xlbudget.io.tables_json import BALANCE_INCOME_TOTALS
from xlbudget.money import fmt_wan
from xlbudget.tables import EMPTY_NOTE, Table, TableSet

SCHEMA_V1 = "xlbudget/tables/1"


def _wan(yuan: Decimal) -> str:
    return "" if yuan == 0 else fmt_wan(yuan)


def _values(values: tuple[Decimal, ...]) -> list[str]:
    return [_wan(v) for v in values]


def table_to_dict(t: Table) -> dict[str, Any]:
    out: dict[str, Any] = {"label": t.label, "title": t.title}
    if t.empty:
        return out | {"empty": True, "note": EMPTY_NOTE}
    if t.layout == "balance":
        out["income"] = {r.label: _wan(r.values[0]) for r in t.income}
        out["columns"] = list(t.columns)
        out["expenditure"] = {r.label: _values(r.values) for r in t.rows}
        for label, values in t.totals.items():
            # income-side lines and 年终结转 print one figure; expenditure totals one per column
            single = label in BALANCE_INCOME_TOTALS or len(values) == 1 or label == "年终结转"
            out[label] = _wan(values[0]) if single else _values(values)
        return out
    out["columns"] = list(t.columns)
    out["rows"] = {r.key: _values(r.values) for r in t.rows}
    names = {r.key: r.label for r in t.rows if r.key != r.label}
    if names:
        out["row_names"] = names
    gov = {r.key: r.extra for r in t.rows if r.extra}
    if gov:
        out["gov_economic"] = gov
    return out


def tables_to_dict(ts: TableSet) -> dict[str, Any]:
    out: dict[str, Any] = {"schema": SCHEMA_V1, "unit": ts.unit, "year": ts.year, "profile": ts.profile}
    if ts.catalogue_note:
        out["catalogue_note"] = ts.catalogue_note
    out["tables"] = {str(t.number): table_to_dict(t) for t in ts.tables}
    return out
