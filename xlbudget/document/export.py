"""A document's tables as printed, in the contract's tables version 2 (codes as printed, in 元)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from xlbudget.document.model import Document
from xlbudget.io.tables_json import EXPENDITURE_TOTALS, SCHEMA_ID
from xlbudget.tables import Row, Table


def _values(values: tuple[Decimal, ...]) -> list[str]:
    return ["" if v == 0 else f"{v:.2f}" for v in values]


def _row(r: Row) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if r.key != r.label and r.key.isdigit():
        out["code"] = r.key
    out["name"] = r.label
    out["values"] = _values(r.values)
    if r.extra:
        out["gov_economic"] = r.extra
    return out


def _table(t: Table, doc: Document) -> dict[str, Any]:
    out: dict[str, Any] = {"label": doc.labels.get(t.number, t.label), "title": t.title}
    if t.number in doc.pages and doc.pages[t.number]:
        out["pages"] = list(doc.pages[t.number])
    note = doc.notes.get(t.number)
    if t.empty:
        return out | {"empty": True} | ({"note": note} if note else {})
    out["columns"] = list(t.columns)
    if note:
        out["note"] = note
    if t.layout == "balance":
        income = [_row(r) | {"values": _values(r.values[:1])} for r in t.income]
        spent = [_row(r) for r in t.rows]
        for label, values in t.totals.items():
            line = {"name": label, "values": _values(values)}
            (spent if label in EXPENDITURE_TOTALS else income).append(line)
        return out | {"income": income, "expenditure": spent}
    return out | {"rows": [_row(r) for r in t.rows]}


def document_to_dict(doc: Document) -> dict[str, Any]:
    """Tables version 2, every figure in 元 at two decimals ("9501164.00"), as the document prints it."""
    return {
        "schema": SCHEMA_ID,
        "profile": doc.profile,
        "unit": doc.unit,
        "year": doc.year,
        "amount_unit": "元",
        "tables": {str(t.number): _table(t, doc) for t in doc.tables.tables},
    }
