"""The tables formats of the contract (``../shared/contract/README.md``), written and read.

:func:`tables_to_dict` writes version 2 (``xlbudget/tables/2``): rows as a list of
``{"code", "name", "values"}`` in printed order, so two projects with the same name stay
two rows.  :func:`tables_from_dict` reads both versions (version 1: rows keyed by code or
label, no ``schema`` or ``xlbudget/tables/1``).  Values are strings with two decimals in the
unit the profile prints (万元 "916.53", half-up through :mod:`xlbudget.money`; 元 exact,
"9501164.00"), a table printed in another unit carrying its own ``amount_unit`` (Shanghai's
表9 in 万元); a zero is written "".  :func:`compare` applies the contract's equality to any
two documents of either version: tables by key, rows by code else by name and position,
values by number ("", "0.00" and a missing trailing value equal), all-zero rows absent.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from xlbudget.errors import InputError
from xlbudget.io import strict_json
from xlbudget.location import Location
from xlbudget.money import CENT, TEN_THOUSAND, ZERO, AmountError, fmt_wan, parse_wan
from xlbudget.profiles import Profile, available_profiles, load_profile
from xlbudget.tables import EMPTY_NOTE, Row, Table, TableSet

SCHEMA_V1 = "xlbudget/tables/1"
SCHEMA_ID = "xlbudget/tables/2"
AMOUNT_UNIT = "万元"  # the unit of a tables document whose profile is not known
AMOUNT_UNITS = {"万元": TEN_THOUSAND, "元": Decimal(1)}  # yuan per unit
BALANCE_INCOME_TOTALS = ("本年收入合计", "收入总计")
# the footer lines of a balance table's expenditure side; every other footer line is on the income side
EXPENDITURE_TOTALS = ("本年支出合计", "年终结转", "支出总计")
# where a side's footer lines begin: its first line that is one of these (Shanxi prints 本年收入合计 first,
# Shanghai only 收入总计)
_FIRST_TOTALS = {"income": ("本年收入合计", "收入总计"), "expenditure": ("本年支出合计", "支出总计")}


def _wan(yuan: Decimal) -> str:
    return "" if yuan == 0 else fmt_wan(yuan)


def _figure(yuan: Decimal, unit: str, zero: str = "") -> str:
    """A figure as written in ``unit``: 万元 rounded half-up (money.fmt_wan), 元 exact to the fen; a zero
    ``zero`` ("", or "0.00" where the table prints its zeros)."""
    if yuan == 0:
        return zero
    return fmt_wan(yuan) if unit == "万元" else f"{yuan.quantize(CENT):.2f}"


def _values(values: tuple[Decimal, ...], unit: str = AMOUNT_UNIT, zero: str = "") -> list[str]:
    return [_figure(v, unit, zero) for v in values]


def _is_code(key: str) -> bool:
    return key.isdigit() and len(key) in (3, 5, 7)


def _row(r: Row, unit: str = AMOUNT_UNIT, zero: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    if _is_code(r.key) and r.key != r.label:
        out["code"] = r.key
    out["name"] = r.label
    out["values"] = _values(r.values, unit, zero)
    if r.extra:
        out["gov_economic"] = r.extra  # 表6: the 政府预算支出经济分类 name (a field the project adds)
    return out


def table_to_dict(t: Table, amount_unit: str = AMOUNT_UNIT) -> dict[str, Any]:
    """One table in version 2's shape, in its own unit (its ``amount_unit`` key where that is not the document's)."""
    unit = t.amount_unit if t.amount_unit in AMOUNT_UNITS else amount_unit
    out: dict[str, Any] = {"label": t.label, "title": t.title}
    if unit != amount_unit:
        out["amount_unit"] = unit
    if t.empty:
        return out | {"empty": True, "note": t.note or EMPTY_NOTE}
    out["columns"] = list(t.columns)
    if t.layout == "balance":
        if t.income_columns:
            out["income_columns"] = list(t.income_columns)
        income = [{"name": r.label, "values": _values(r.values[:1], unit)} for r in t.income]
        spent = [_row(r, unit) for r in t.rows]
        for label, values in t.totals.items():
            line = {"name": label, "values": _values(values, unit)}
            (spent if label in EXPENDITURE_TOTALS else income).append(line)
        return out | {"income": income, "expenditure": spent}
    # a zero the table prints (Shanghai's 部门 template: 0) is written "0.00", one it leaves blank "", as a
    # transcription of the print writes them
    zero = "0.00" if t.printing.get("zero") else ""
    return out | {"rows": [_row(r, unit, zero) for r in t.rows]}


def tables_to_dict(ts: TableSet) -> dict[str, Any]:
    """The tables export: version 2 of the contract, in the unit the profile prints (元 or 万元)."""
    unit = load_profile(ts.profile).amount_unit if ts.profile in available_profiles() else AMOUNT_UNIT
    out: dict[str, Any] = {
        "schema": SCHEMA_ID,
        "profile": ts.profile,
        "unit": ts.unit,
        "year": ts.year,
        "amount_unit": unit,
    }
    if ts.scope == "department":  # a 部门's tables (absent: a unit's)
        out["scope"] = ts.scope
    if ts.catalogue_note:
        out["catalogue_note"] = ts.catalogue_note
    out["tables"] = {str(t.number): table_to_dict(t, unit) for t in ts.tables}
    return out


def write_tables_json(ts: TableSet, path: str | Path) -> None:
    from xlbudget.io.atomic import write_bytes_atomic

    text = json.dumps(tables_to_dict(ts), ensure_ascii=False, indent=1) + "\n"
    write_bytes_atomic(path, text.encode("utf-8"))


# -- reading (tables typed or pasted as published) ----------------------------


def _yuan_list(raw: Any, where: str, unit: Decimal = TEN_THOUSAND) -> tuple[Decimal, ...]:
    if isinstance(raw, str | int | float):
        raw = [raw]
    if not isinstance(raw, list):
        raise InputError(f"应为金额列表，不是 {json.dumps(raw, ensure_ascii=False)}", where)
    try:
        return tuple(parse_wan(str(v)) * unit for v in raw)
    except AmountError as exc:
        raise InputError(str(exc), where) from exc


def _printed(raw: Any) -> tuple[str, ...]:
    """Each figure as the document prints it ("916.53", "0.00", "" for a blank): a blank is exactly zero."""
    raw = raw if isinstance(raw, list) else [raw]
    return tuple("" if v is None else str(v).strip() for v in raw)


def _cells(path: str, values: tuple[Decimal, ...]) -> tuple[Location, ...]:
    return tuple(Location.path(f"{path}[{i}]") for i in range(len(values)))


def _unit(d: Mapping[str, Any], default: Decimal, where: str) -> Decimal:
    name = d.get("amount_unit")
    if name is None:
        return default
    if not isinstance(name, str) or name not in AMOUNT_UNITS:
        raise InputError(
            f"未知的金额单位 “{name}”，应为 元 或 万元", f"{where}.amount_unit" if where else "amount_unit"
        )
    return AMOUNT_UNITS[name]


def _v2_rows(raw: Any, where: str, unit: Decimal) -> list[Row]:
    """A version-2 list of rows → Rows keyed by code, else by name; every figure keeps its JSON path."""
    if not isinstance(raw, list):
        raise InputError("应为行的列表（每行含 name 与 values）", where)
    rows = []
    for i, r in enumerate(raw):
        at = f"{where}[{i}]"
        if not isinstance(r, dict) or not isinstance(r.get("name", ""), str):
            raise InputError("应为含 name（文字）与 values（金额列表）的行对象", at)
        code = r.get("code")
        if code is not None and not (isinstance(code, str) and code.isascii() and code.isdigit()):
            raise InputError(f"“{code}” 不是科目编码（应为数字组成的文字）", f"{at}.code")
        name = r.get("name", "") or (code or "")
        vals = _yuan_list(r.get("values", []), f"{at}.values", unit)
        level = len(code) // 2 if code and _is_code(code) else 0  # a misprinted code stays as printed
        extra = r.get("gov_economic", "")
        rows.append(
            Row(
                code or name,
                name,
                vals,
                level,
                str(extra),
                _cells(f"{at}.values", vals),
                _printed(r.get("values", [])),
            )
        )
    return rows


def _v2_table(number: int, d: Mapping[str, Any], where: str, unit: Decimal) -> Table:
    table = _v2_table_rows(number, d, where, unit)
    in_yuan = _unit(d, unit, where) == 1
    return replace(table, amount_unit="元" if in_yuan else "万元", note=str(d.get("note", "")))


def _v2_table_rows(number: int, d: Mapping[str, Any], where: str, unit: Decimal) -> Table:
    title = str(d.get("title", ""))
    label = str(d.get("label", f"预算公开表{number}"))
    columns = _columns(d, where)
    unit = _unit(d, unit, where)
    if d.get("empty"):
        return Table(number, label, title, "empty", columns, rows=())
    if "income" in d or "expenditure" in d:
        sides: dict[str, list[Row]] = {}
        totals: dict[str, tuple[Decimal, ...]] = {}
        places: dict[str, tuple[Location, ...]] = {}
        for side in ("income", "expenditure"):
            lines = _v2_rows(d.get(side, []), f"{where}.{side}", unit)
            # the footer starts at 本年收入合计 / 本年支出合计, or at 收入总计 / 支出总计 where none is printed (Shanghai)
            first = next((i for i, r in enumerate(lines) if r.label in _FIRST_TOTALS[side]), len(lines))
            sides[side] = lines[:first]
            totals |= {r.label: r.values for r in lines[first:]}
            places |= {r.label: r.cells for r in lines[first:]}
        rows = tuple(replace(r, level=1) for r in sides["expenditure"])
        income_columns = _columns(d, where, "income_columns")
        return Table(
            number,
            label,
            title,
            "balance",
            columns,
            rows,
            income=tuple(sides["income"]),
            totals=totals,
            income_columns=income_columns,
            total_cells=places,
        )
    return Table(
        number, label, title, "rows", columns, tuple(_v2_rows(d.get("rows", []), f"{where}.rows", unit))
    )


def table_from_dict(number: int, d: Mapping[str, Any], where: str) -> Table:
    """One table of a version-1 document."""
    title = str(d.get("title", ""))
    label = str(d.get("label", f"预算公开表{number}"))
    columns = _columns(d, where)
    if d.get("empty"):
        return Table(number, label, title, "empty", columns, rows=())
    if "income" in d or "expenditure" in d:
        income = tuple(
            Row(
                k,
                k,
                _yuan_list(v, f"{where}.income.{k}"),
                cells=(Location.path(f"{where}.income.{k}"),),
                printed=_printed(v),
            )
            for k, v in _mapping(d.get("income", {}), f"{where}.income").items()
        )
        rows = tuple(
            Row(k, k, vals, level=1, cells=_cells(f"{where}.expenditure.{k}", vals), printed=_printed(v))
            for k, v, vals in (
                (k, v, _yuan_list(v, f"{where}.expenditure.{k}"))
                for k, v in _mapping(d.get("expenditure", {}), f"{where}.expenditure").items()
            )
        )
        known = {"title", "label", "income", "columns", "expenditure", "empty", "note"}
        footer = {k: v for k, v in d.items() if k not in known}
        totals = {k: _yuan_list(v, f"{where}.{k}") for k, v in footer.items()}
        places = {
            k: _cells(f"{where}.{k}", totals[k]) if isinstance(v, list) else (Location.path(f"{where}.{k}"),)
            for k, v in footer.items()
        }
        return Table(
            number, label, title, "balance", columns, rows, income=income, totals=totals, total_cells=places
        )
    names = _mapping(d.get("row_names", {}), f"{where}.row_names")
    gov = _mapping(d.get("gov_economic", {}), f"{where}.gov_economic")
    lines = []
    for key, values in _mapping(d.get("rows", {}), f"{where}.rows").items():
        level = len(key) // 2 if _is_code(key) else 0
        vals = _yuan_list(values, f"{where}.rows.{key}")
        lines.append(
            Row(
                key,
                str(names.get(key, key)),
                vals,
                level,
                str(gov.get(key, "")),
                _cells(f"{where}.rows.{key}", vals),
                _printed(values),
            )
        )
    return Table(number, label, title, "rows", columns, tuple(lines))


def _columns(d: Mapping[str, Any], where: str, key: str = "columns") -> tuple[str, ...]:
    raw = d.get(key, [])
    if not isinstance(raw, list) or not all(isinstance(c, str) for c in raw):
        raise InputError("应为列标题（文字）的列表", f"{where}.{key}")
    return tuple(raw)


def _mapping(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise InputError("应为以行名或科目编码为键的对象（报表格式第 1 版）", where)
    return dict(raw)


def _version(data: Mapping[str, Any], file: str) -> int:
    schema = data.get("schema")
    if schema is None or schema == SCHEMA_V1:
        return 1
    if schema == SCHEMA_ID:
        return 2
    raise InputError(
        f"未知的报表格式 “{schema}”，应为 {SCHEMA_V1} 或 {SCHEMA_ID}", f"{file}: schema" if file else "schema"
    )


def tables_from_dict(data: Any, file: str = "") -> TableSet:
    """A tables document of either version → TableSet; each figure keeps its JSON path in ``Row.cells``."""
    data = strict_json.clean_strings(data)
    if not isinstance(data, dict) or not isinstance(data.get("tables"), dict):
        raise InputError("不是报表数据：缺少 tables", file)
    version = _version(data, file)
    unit = _unit(data, TEN_THOUSAND, "") if version == 2 else TEN_THOUSAND
    tables = []
    for key, t in data["tables"].items():
        if not str(key).isdigit() or not isinstance(t, dict):
            raise InputError(f"tables.{key}: 应为以表号为键的表格对象", file)
        where = f"tables.{key}"
        tables.append(
            _v2_table(int(key), t, where, unit) if version == 2 else table_from_dict(int(key), t, where)
        )
    year = data.get("year")
    profile = str(data.get("profile", "") or ("shanxi-13" if version == 1 else ""))
    return TableSet(
        unit=str(data.get("unit", "")),
        year=year if isinstance(year, int) else 0,
        profile=profile,
        tables=tuple(sorted((table_with_profile(t, profile, year) for t in tables), key=lambda t: t.number)),
        scope="department" if data.get("scope") == "department" else "unit",
    )


def with_profile(ts: TableSet, profile: Profile) -> TableSet:
    """Tables read from a file, seen through a profile given here (one of the caller's own): each table
    gets the role and column ids the profile gives its number, as :func:`tables_from_dict` does for a
    shipped profile named in the file."""
    return replace(
        ts, profile=profile.id, tables=tuple(table_with_profile(t, profile, ts.year) for t in ts.tables)
    )


def table_with_profile(table: Table, profile: str | Profile, year: object = None) -> Table:
    """A table read from a file (a tables document, a published report), with the role and column ids
    its profile gives its number; the table as it is when the profile is not shipped or has no such
    table.

    Column ids are given only when the file prints the profile's columns (as many, same headings —
    a heading's ``{year}`` filled in with the file's year, or its ``{year}年`` not printed, as the
    财政局's 2025 表9 prints “三公”经费预算数/合计; the 单位 or the 部门 variant): a rule then finds a
    column by what it holds, and a table printed otherwise is left for the rules that need no column.
    """
    if isinstance(profile, str):
        if profile not in available_profiles():
            return table
        profile = load_profile(profile)
    spec = next((t for t in profile.tables if t.number == table.number), None)
    if spec is None:
        return table
    ids: tuple[str, ...] = ()
    printing: Mapping[str, Any] = {}
    for variant in (spec, spec.scoped("department")):
        printed = {variant.headings, tuple(h.replace("{year}年", "") for h in variant.headings)}
        if isinstance(year, int):
            printed.add(tuple(h.format(year=year) for h in variant.headings))
        if table.columns in printed or not table.columns:
            ids, printing = variant.column_ids, variant.printing
            break
    return replace(table, role=spec.role, column_ids=ids, printing=printing)


# -- comparing ----------------------------------------------------------------

_Line = tuple[str | None, str, tuple[Decimal, ...]]  # (code, name, values in 万元)


def _norm_values(raw: Any, unit: Decimal = TEN_THOUSAND) -> tuple[Decimal, ...]:
    values = [parse_wan(str(v)) * unit / TEN_THOUSAND for v in (raw if isinstance(raw, list) else [raw])]
    while values and values[-1] == ZERO:
        values.pop()
    return tuple(values)


def _v1_lines(t: Mapping[str, Any]) -> dict[str, list[_Line]]:
    if "rows" in t:
        names = t.get("row_names", {})
        return {
            "rows": [
                (k, str(names.get(k, "")), _norm_values(v)) if _is_code(k) else (None, k, _norm_values(v))
                for k, v in t["rows"].items()
            ]
        }
    skip = {"title", "label", "income", "columns", "expenditure", "empty", "note"}
    totals = {k: v for k, v in t.items() if k not in skip}
    out: dict[str, list[_Line]] = {
        "income": [(None, k, _norm_values(v)) for k, v in t.get("income", {}).items()],
        "expenditure": [(None, k, _norm_values(v)) for k, v in t.get("expenditure", {}).items()],
    }
    for k, v in totals.items():
        out["expenditure" if k in EXPENDITURE_TOTALS else "income"].append((None, k, _norm_values(v)))
    return out


def _v2_lines(t: Mapping[str, Any], unit: Decimal) -> dict[str, list[_Line]]:
    unit = AMOUNT_UNITS.get(str(t.get("amount_unit", "")), unit)
    parts = ("rows",) if "rows" in t else ("income", "expenditure")
    return {
        part: [
            (r.get("code"), str(r.get("name", "")), _norm_values(r.get("values", []), unit))
            for r in t.get(part, [])
        ]
        for part in parts
    }


def _canonical(t: Mapping[str, Any], unit: Decimal) -> dict[str, Any]:
    out: dict[str, Any] = {"title": t.get("title", "")}
    if t.get("empty"):
        return out
    lists = any(isinstance(t.get(part), list) for part in ("rows", "income", "expenditure"))
    parts = _v2_lines(t, unit) if lists else _v1_lines(t)  # version 2 rows are lists, version 1 maps
    return out | {part: [line for line in lines if line[2]] for part, lines in parts.items()}


def _keyed(lines: list[_Line], by_code: bool) -> dict[tuple[str, int], tuple[Decimal, ...]]:
    """Rows by code (where both documents have codes), else by name and position among equal names."""
    out: dict[tuple[str, int], tuple[Decimal, ...]] = {}
    for code, name, values in lines:
        ident = code if by_code and code else name
        n = sum(1 for k in out if k[0] == ident)
        out[(ident, n)] = values
    return out


def compare(actual: Mapping[str, Any], expected: Mapping[str, Any]) -> list[str]:
    """Differences between two tables documents (either version), by the contract's equality. [] = equal."""
    diffs: list[str] = []
    ua, ue = (AMOUNT_UNITS.get(str(d.get("amount_unit", "")), TEN_THOUSAND) for d in (actual, expected))
    a_tables, e_tables = actual.get("tables", {}), expected.get("tables", {})
    show = lambda v: [str(x) for x in v] if v else "（无）"  # noqa: E731
    for key in sorted(set(a_tables) | set(e_tables), key=lambda k: int(k)):
        if key not in a_tables or key not in e_tables:
            diffs.append(f"表{key}: 只在{'实际' if key in a_tables else '期望'}中出现")
            continue
        a, e = _canonical(a_tables[key], ua), _canonical(e_tables[key], ue)
        if a["title"] != e["title"]:
            diffs.append(f"表{key} 标题: {a['title']!r} ≠ {e['title']!r}")
        for part in ("rows", "income", "expenditure"):
            la, le = a.get(part, []), e.get(part, [])
            by_code = any(c for c, _, _ in la) and any(c for c, _, _ in le)
            pa, pe = _keyed(la, by_code), _keyed(le, by_code)
            before = len(diffs)
            for row in list(pe) + [r for r in pa if r not in pe]:
                if pa.get(row) != pe.get(row):
                    name = row[0] + (f"（第 {row[1] + 1} 个）" if row[1] else "")
                    diffs.append(f"表{key} {part} {name}: {show(pa.get(row))} ≠ {show(pe.get(row))}")
            if list(pa) != list(pe) and len(diffs) == before:
                order = lambda keys: [k[0] for k in keys]  # noqa: E731
                diffs.append(f"表{key} {part}: 行序不同 {order(pa)} ≠ {order(pe)}")
    return diffs
