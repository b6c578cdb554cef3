"""The tables format of the contract (``../shared/contract/README.md``), written and read.

Values are 万元 strings with two decimals ("916.53"); a zero is written "".
:func:`compare` applies the contract's equality: "", "0.00" and a missing
trailing value are equal, and rows whose values are all zero are absent.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from xlbudget.errors import InputError
from xlbudget.io import strict_json
from xlbudget.money import ZERO, AmountError, fmt_wan, parse_wan, wan_to_yuan
from xlbudget.tables import EMPTY_NOTE, Row, Table, TableSet

SCHEMA_ID = "xlbudget/tables/1"
BALANCE_INCOME_TOTALS = ("本年收入合计", "收入总计")


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
    out: dict[str, Any] = {"schema": SCHEMA_ID, "unit": ts.unit, "year": ts.year, "profile": ts.profile}
    if ts.catalogue_note:
        out["catalogue_note"] = ts.catalogue_note
    out["tables"] = {str(t.number): table_to_dict(t) for t in ts.tables}
    return out


def write_tables_json(ts: TableSet, path: str | Path) -> None:
    from xlbudget.io.atomic import write_bytes_atomic

    text = json.dumps(tables_to_dict(ts), ensure_ascii=False, indent=1) + "\n"
    write_bytes_atomic(path, text.encode("utf-8"))


# -- reading (tables typed or pasted as published) ----------------------------


def _yuan_list(raw: Any, where: str) -> tuple[Decimal, ...]:
    if isinstance(raw, str | int | float):
        raw = [raw]
    if not isinstance(raw, list):
        raise InputError(f"应为金额列表，不是 {json.dumps(raw, ensure_ascii=False)}", where)
    try:
        return tuple(wan_to_yuan(parse_wan(str(v))) for v in raw)
    except AmountError as exc:
        raise InputError(str(exc), where) from exc


def _cells(path: str, values: tuple[Decimal, ...]) -> tuple[str, ...]:
    return tuple(f"{path}[{i}]" for i in range(len(values)))


def table_from_dict(number: int, d: Mapping[str, Any], where: str) -> Table:
    title = str(d.get("title", ""))
    label = str(d.get("label", f"预算公开表{number}"))
    columns = tuple(str(c) for c in d.get("columns", []))
    if d.get("empty"):
        return Table(number, label, title, "empty", columns, rows=())
    if "income" in d or "expenditure" in d:
        income = tuple(
            Row(k, k, _yuan_list(v, f"{where}.income.{k}"), cells=(f"{where}.income.{k}",))
            for k, v in dict(d.get("income", {})).items()
        )
        rows = tuple(
            Row(k, k, vals, level=1, cells=_cells(f"{where}.expenditure.{k}", vals))
            for k, vals in (
                (k, _yuan_list(v, f"{where}.expenditure.{k}"))
                for k, v in dict(d.get("expenditure", {})).items()
            )
        )
        known = {"title", "label", "income", "columns", "expenditure", "empty", "note"}
        totals = {k: _yuan_list(v, f"{where}.{k}") for k, v in d.items() if k not in known}
        return Table(number, label, title, "balance", columns, rows, income=income, totals=totals)
    names: dict[str, str] = dict(d.get("row_names", {}))
    gov = dict(d.get("gov_economic", {}))
    tree: list[Row] = []
    for key, values in dict(d.get("rows", {})).items():
        level = len(key) // 2 if key.isdigit() and len(key) in (3, 5, 7) else 0
        vals = _yuan_list(values, f"{where}.rows.{key}")
        tree.append(
            Row(
                key,
                names[key] if key in names else key,
                vals,
                level,
                gov.get(key, ""),
                _cells(f"{where}.rows.{key}", vals),
            )
        )
    return Table(number, label, title, "rows", columns, tuple(tree))


def tables_from_dict(data: Any, file: str = "") -> TableSet:
    data = strict_json.clean_strings(data)
    if not isinstance(data, dict) or not isinstance(data.get("tables"), dict):
        raise InputError("不是报表数据：缺少 tables", file)
    tables = []
    for key, t in data["tables"].items():
        if not str(key).isdigit() or not isinstance(t, dict):
            raise InputError(f"tables.{key}: 应为以表号为键的表格对象", file)
        tables.append(table_from_dict(int(key), t, f"tables.{key}"))
    year = data.get("year")
    return TableSet(
        unit=str(data.get("unit", "")),
        year=year if isinstance(year, int) else 0,
        profile=str(data.get("profile", "")),
        tables=tuple(sorted(tables, key=lambda t: t.number)),
    )


# -- comparing ----------------------------------------------------------------


def _norm_values(raw: Any) -> tuple[Decimal, ...]:
    values = [parse_wan(str(v)) for v in (raw if isinstance(raw, list) else [raw])]
    while values and values[-1] == ZERO:
        values.pop()
    return tuple(values)


def _norm_map(raw: Mapping[str, Any]) -> dict[str, tuple[Decimal, ...]]:
    out = {k: _norm_values(v) for k, v in raw.items()}
    return {k: v for k, v in out.items() if v}


def _canonical(t: Mapping[str, Any]) -> dict[str, Any]:
    if t.get("empty"):
        return {"title": t.get("title", "")}
    out: dict[str, Any] = {"title": t.get("title", "")}
    if "rows" in t:
        out["rows"] = _norm_map(t["rows"])
    else:
        out["income"] = _norm_map(t.get("income", {}))
        out["expenditure"] = _norm_map(t.get("expenditure", {}))
        skip = {"title", "label", "income", "columns", "expenditure", "empty", "note"}
        out["totals"] = _norm_map({k: v for k, v in t.items() if k not in skip})
    if not any(out.get(k) for k in ("rows", "income", "expenditure", "totals")):
        return {"title": out["title"]}
    return out


def compare(actual: Mapping[str, Any], expected: Mapping[str, Any]) -> list[str]:
    """Differences between two tables documents, by the contract's equality. [] = equal."""
    diffs = []
    a_tables, e_tables = actual.get("tables", {}), expected.get("tables", {})
    for key in sorted(set(a_tables) | set(e_tables), key=lambda k: int(k)):
        if key not in a_tables or key not in e_tables:
            diffs.append(f"表{key}: 只在{'实际' if key in a_tables else '期望'}中出现")
            continue
        a, e = _canonical(a_tables[key]), _canonical(e_tables[key])
        if a["title"] != e["title"]:
            diffs.append(f"表{key} 标题: {a['title']!r} ≠ {e['title']!r}")
        for part in ("rows", "income", "expenditure", "totals"):
            pa, pe = a.get(part, {}), e.get(part, {})
            for row in list(pe) + [r for r in pa if r not in pe]:
                if pa.get(row) != pe.get(row):
                    show = lambda v: [str(x) for x in v] if v else "（无）"  # noqa: E731
                    diffs.append(f"表{key} {part} {row}: {show(pa.get(row))} ≠ {show(pe.get(row))}")
            if list(pa) != list(pe) and not any(d.startswith(f"表{key} {part}") for d in diffs):
                diffs.append(f"表{key} {part}: 行序不同 {list(pa)} ≠ {list(pe)}")
    return diffs
