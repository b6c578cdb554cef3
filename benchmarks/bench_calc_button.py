"""Benchmark 4: the 计算 button's work on the seed workbook, driven through xlwings' remote engine.

The workbook's sheets are sent as the VBA client sends them (``xw.Book(json=payload)``: every
sheet's used range from A1 as values), ``buttons.dispatch("calc", XlwingsBook(book))`` runs, and
the actions it would send back to Excel (``book.json()["actions"]``) are counted.
Two cases: the seed as committed (its 表1…表13 already agree with its inputs) and a stale copy
(one 基本支出 amount changed, so every table that depends on it must be rewritten), and a grown copy
(one more line under a function code the unit did not use, so 表2, 表3 and 表5 gain rows).
Target: write actions ≤ the number of table blocks (13): bulk writes, never cell by cell.

The remote engine is xlwings PRO's source-available part: ``XLWINGS_LICENSE_KEY=noncommercial``
is set in this process only (PolyForm Noncommercial: use by government institutions is permitted).
"""

from __future__ import annotations

import argparse
import collections
import copy
import datetime as dt
import os
import time
from typing import Any

from common import SEED_WORKBOOK, machine, verdict

from xlbudget.workbook import layout as L

NOT_WRITES = {"alert", "setStatusBar", "activateSheet"}


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def payload_of(path: Any) -> dict[str, Any]:
    """What the VBA client sends for a workbook: names, and every sheet's values from A1."""
    import openpyxl
    import xlwings

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    sheets = []
    for ws in wb.worksheets:
        rows = [[_cell(v) for v in r] for r in ws.iter_rows(values_only=True)]
        width = max((len(r) for r in rows), default=0)
        values = [r + [""] * (width - len(r)) for r in rows] or [[]]
        sheets.append({"name": ws.title, "values": values, "pictures": [], "tables": []})
    wb.close()
    return {
        "client": "VBA",
        "version": xlwings.__version__,
        "book": {"name": path.name, "active_sheet_index": 0, "selection": "A1"},
        "names": [],
        "sheets": sheets,
    }


def stale(payload: dict[str, Any]) -> dict[str, Any]:
    """The same workbook with the first 基本支出 amount raised by 123,456 元."""
    p = copy.deepcopy(payload)
    sheet = next(s for s in p["sheets"] if s["name"] == L.BASIC_SHEET)
    col = L.BASIC.column("amount") - 1
    row = sheet["values"][L.FIRST_DATA_ROW - 1]
    row[col] = float(row[col] or 0) + 123456
    return p


def grown(payload: dict[str, Any]) -> dict[str, Any]:
    """The stale workbook plus one 基本支出 line under a function code the unit did not use:
    表2, 表3 and 表5 gain rows (the fill also copies formats down for them)."""
    p = stale(payload)
    sheet = next(s for s in p["sheets"] if s["name"] == L.BASIC_SHEET)
    values = sheet["values"]
    width = len(values[0])
    fields = {
        "function": "2130101",
        "economic": "30101",
        "fund": "一般公共预算",
        "amount": 50000,
        "carryover": "否",
    }
    new = [""] * width
    for field, value in fields.items():
        new[L.BASIC.column(field) - 1] = value
    blank = next(
        (i for i in range(L.FIRST_DATA_ROW - 1, len(values)) if all(v in ("", None) for v in values[i])), None
    )
    if blank is None:
        values.append(new)
    else:
        values[blank] = new
    return p


def run_calc(payload: dict[str, Any]) -> tuple[float, list[dict[str, Any]], str]:
    import xlwings as xw

    from xlbudget.workbook.book_xlwings import XlwingsBook
    from xlbudget.workbook.buttons import dispatch

    book = xw.Book(json=payload)
    started = time.perf_counter()
    message = dispatch("calc", XlwingsBook(book))
    seconds = time.perf_counter() - started
    return seconds, book.json()["actions"], message


def describe(name: str, seconds: float, actions: list[dict[str, Any]], message: str) -> int:
    funcs = collections.Counter(a.get("func") for a in actions)
    writes = sum(n for f, n in funcs.items() if f not in NOT_WRITES)
    cells = sum(
        len(a.get("values") or [])
        * max((len(r) for r in (a.get("values") or []) if isinstance(r, list)), default=1)
        for a in actions
        if a.get("func") == "setValues"
    )
    blocks = L.TABLE_COUNT
    print(f"{name}: {seconds * 1000:.0f} ms in Python; {len(actions)} actions {dict(funcs)}")
    values = funcs.get("setValues", 0)
    print(
        f"  write actions {writes} for {blocks} table blocks: {values} value writes ({cells} cells),"
        f" {writes - values} format writes"
    )
    print(
        f"  target writes ≤ {blocks}: {verdict(writes <= blocks)} · value writes ≤ {blocks}: {verdict(values <= blocks)}"
    )
    print(f"  message: {str(message).splitlines()[0] if message else ''}")
    return writes


def main(argv: list[str] | None = None) -> dict[str, float]:
    argparse.ArgumentParser(description=__doc__).parse_args(argv)
    os.environ["XLWINGS_LICENSE_KEY"] = "noncommercial"
    print("== 4. 计算 button through xlwings' remote engine ==")
    print(f"machine: {machine()}")
    try:
        import xlbudget.workbook.buttons  # noqa: F401
        import xlbudget.workbook.fill  # noqa: F401
    except ImportError as exc:
        print(f"not measured: {exc} (buttons/fill have not landed)")
        return {}
    payload = payload_of(SEED_WORKBOOK)
    out = {}
    cases = (
        ("seed as committed", payload),
        ("stale seed (one amount changed)", stale(payload)),
        ("grown seed (a line under a new function code)", grown(payload)),
    )
    for name, p in cases:
        seconds, actions, message = run_calc(p)
        out[name] = describe(name, seconds, actions, message)
    return out


if __name__ == "__main__":
    main()
