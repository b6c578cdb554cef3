"""Between tables: the same money printed in two tables agrees (per the contract's line filters)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal

from xlbudget.check.figures import (
    column_index,
    name_of,
    same_finding,
    show,
    sum_finding,
    total_location,
    total_value,
    value,
)
from xlbudget.check.findings import ERROR, INFO, WARNING, Finding
from xlbudget.check.registry import Context, rule
from xlbudget.check.rules._util import code_rows, get, is_code, total_row
from xlbudget.money import ZERO
from xlbudget.tables import Row, Table


def _t(ctx: Context, number: int) -> Table | None:
    """表N of the Shanxi 13; None for another profile (its numbering means other tables)."""
    return get(ctx.tables, number) if ctx.shanxi else None


def _class_code(ctx: Context, row: Row) -> str | None:
    """The 类 code of a 表1/表4 expenditure row (keyed by code when derived, by name when read)."""
    if is_code(row.key):
        return row.key
    cat = ctx.catalogue
    if cat is None:
        return None
    for code, name in cat.function_classes():
        if name == row.key or name == row.label:
            return code
    return None


def _income(table: Table, label: str) -> Decimal:
    row = next((r for r in table.income if r.key == label), None)
    return value(row, 0)


def _income_loc(table: Table, label: str) -> str:
    row = next((r for r in table.income if r.key == label), None)
    return table.locate(row, 0) if row is not None else f"{table.label} {label}"


def _loc(table: Table, row: Row | None, col: int, fallback: str) -> str:
    return table.locate(row, col) if row is not None else f"{table.label} {fallback}"


def _keys_of_either(first: Iterable[Row], second: Iterable[Row]) -> list[str]:
    """Row keys of ``first``, then those only ``second`` has."""
    keys = [r.key for r in first]
    seen = set(keys)
    return keys + [r.key for r in second if r.key not in seen]


def _first_column_agrees(
    rid: str, shown: Table, other: Table, keys: Iterable[str], shown_label: str, other_label: str
) -> Iterator[Finding]:
    """For each key, ``shown``'s first figure equals ``other``'s (a row one table lacks counts as 0)."""
    for key in keys:
        mine, theirs = shown.row(key), other.row(key)
        f = same_finding(
            rid,
            shown.number,
            _loc(shown, mine, 0, key),
            shown_label.format(key=key),
            value(mine, 0),
            value(theirs, 0),
            other_label.format(key=key),
        )
        if f:
            yield f


@rule("cross.t1_t2_t3", "tables")
def t1_t2_t3(ctx: Context) -> Iterator[Finding]:
    """表1 ↔ 表2 ↔ 表3: 表1 各项收入 = 表2 合计行 各资金来源列, 表1 上年结转 = 表2 合计 上年结转;
    表1 收入总计 = 表2 合计; 表1 支出总计 = 表3 合计; 表1 每类支出 = 表3 该类 合计, 其上年结转安排 = 表2 该类
    上年结转; 表2 与 表3 每个科目的 合计 相同 (收入总表与支出总表是同一笔钱)."""
    t1, t2, t3 = _t(ctx, 1), _t(ctx, 2), _t(ctx, 3)
    rid = "cross.t1_t2_t3"
    if t1 is not None and t2 is not None:
        t2_total = total_row(t2)
        pairs = [
            ("一般公共预算", 1),
            ("政府性基金预算", 2),
            ("国有资本经营预算", 3),
            ("财政专户管理资金", 4),
            ("单位资金", 5),
        ]
        for label, col in pairs:
            if any(r.key == label for r in t1.income):
                f = same_finding(
                    rid,
                    2,
                    _loc(t2, t2_total, col, f"合计 {label}"),
                    f"表2 合计 {label}",
                    value(t2_total, col),
                    _income(t1, label),
                    f"表1 {label}收入",
                )
                if f:
                    yield f
        if "上年结转" in t1.totals:
            f = same_finding(
                rid,
                2,
                _loc(t2, t2_total, 6, "合计 上年结转"),
                "表2 合计 上年结转",
                value(t2_total, 6),
                total_value(t1, "上年结转"),
                "表1 上年结转",
            )
            if f:
                yield f
        if "收入总计" in t1.totals and t2_total is not None:
            f = same_finding(
                rid,
                2,
                t2.locate(t2_total, 0),
                "表2 合计",
                value(t2_total, 0),
                total_value(t1, "收入总计"),
                "表1 收入总计",
            )
            if f:
                yield f
    if t1 is not None and t3 is not None:
        t3_total = total_row(t3)
        if "支出总计" in t1.totals and t3_total is not None:
            f = same_finding(
                rid,
                3,
                t3.locate(t3_total, 0),
                "表3 合计",
                value(t3_total, 0),
                total_value(t1, "支出总计"),
                "表1 支出总计",
            )
            if f:
                yield f
        t3_classes = {r.key: r for r in code_rows(t3) if len(r.key) == 3}
        for row in t1.rows:
            code = _class_code(ctx, row)
            if code is None:
                continue
            amount = value(row, 0)
            if amount == 0 and code not in t3_classes:
                continue
            f = same_finding(
                rid,
                1,
                t1.locate(row, 0),
                f"表1 {row.label or row.key}",
                amount,
                value(t3_classes.get(code), 0),
                f"表3 {code} 合计",
            )
            if f:
                yield f
            if t2 is not None and len(t1.columns) >= 3:
                t2_row = t2.row(code)
                f = same_finding(
                    rid,
                    1,
                    t1.locate(row, 2),
                    f"表1 {row.label or row.key} 上年结转安排",
                    value(row, 2),
                    value(t2_row, 6),
                    f"表2 {code} 上年结转",
                )
                if f:
                    yield f
    if t2 is not None and t3 is not None:
        keys = _keys_of_either(code_rows(t2), code_rows(t3))
        yield from _first_column_agrees(rid, t3, t2, keys, "表3 {key} 合计", "表2 {key} 合计")


_T4_FUNDS = (("一般公共预算", 5, 1), ("政府性基金预算", 8, 2), ("国有资本经营预算", 9, 3))


@rule("cross.t4_t5_t8_t9", "tables")
def t4_t5_t8_t9(ctx: Context) -> Iterator[Finding]:
    """表4 ↔ 表5/表8/表9: 表4 一般公共预算收入 = 表5 合计, 政府性基金预算收入 = 表8 合计,
    国有资本经营预算收入 = 表9 支出合计 (本年, 不含上年结转); and when 表4 prints no 上年财政拨款结转,
    表4 每类支出的 一般公共预算/政府性基金/国有资本经营 列 = 表5/表8/表9 该类 合计 (rounding-aware)."""
    t4 = _t(ctx, 4)
    if t4 is None:
        return
    rid = "cross.t4_t5_t8_t9"
    no_carryover = total_value(t4, "上年财政拨款结转") == 0
    for label, number, col in _T4_FUNDS:
        other = _t(ctx, number)
        if other is None:
            continue
        total_col = column_index(other, "合计") if other.columns else 0
        total_col = 0 if total_col is None else total_col
        other_total = total_row(other)
        f = same_finding(
            rid,
            number,
            _loc(other, other_total, total_col, "合计"),
            f"表{number} 合计",
            value(other_total, total_col),
            _income(t4, label),
            f"表4 {label}收入",
        )
        if f:
            yield f
        if not no_carryover or len(t4.columns) <= col:
            continue
        classes = {r.key: r for r in code_rows(other) if len(r.key) == 3}
        for row in t4.rows:
            code = _class_code(ctx, row)
            if code is None or (value(row, col) == 0 and code not in classes):
                continue
            # 表4 counts this year and carried over together; a 上年财政拨款结转 printed 0.00 may still hold
            # under half a cent of 万元, so it is one more rounded figure in the sum.
            f = sum_finding(
                rid,
                4,
                t4.locate(row, col),
                f"表4 {row.label or row.key} {label}",
                value(row, col),
                [value(classes.get(code), total_col), total_value(t4, "上年财政拨款结转")],
                f"表{number} {code} 合计与上年财政拨款结转",
            )
            if f:
                yield f


@rule("cross.t5_basic_eq_t6", "tables")
def t5_basic_eq_t6(ctx: Context) -> Iterator[Finding]:
    """表5 基本支出 合计 = 表6 合计 (both: 一般公共预算, 本年, 基本支出)."""
    t5, t6 = _t(ctx, 5), _t(ctx, 6)
    if t5 is None or t6 is None:
        return
    basic = column_index(t5, "基本支出")
    t5_total = total_row(t5)
    t6_total = total_row(t6)
    if basic is None and not t5.empty:
        return
    f = same_finding(
        "cross.t5_basic_eq_t6",
        6,
        _loc(t6, t6_total, 0, "合计"),
        "表6 合计",
        value(t6_total, 0),
        value(t5_total, basic or 0),
        "表5 基本支出合计",
    )
    if f:
        yield f


@rule("cross.t3_project_eq_t12_t13", "tables")
def t3_project_eq_t12_t13(ctx: Context) -> Iterator[Finding]:
    """表3 项目支出 合计 = Σ 表12 项目 合计 + Σ 表13 项目 合计 (本年 and 上年结转 projects, every fund);
    表5 项目支出 = Σ 表12 一般公共预算 column. Sums of printed figures: rounding-aware."""
    t3, t12, t13 = _t(ctx, 3), _t(ctx, 12), _t(ctx, 13)
    if t3 is None or (t12 is None and t13 is None):
        return
    project = column_index(t3, "项目支出")
    t3_total = total_row(t3)
    if project is not None or t3.empty:
        parts = [value(r, 0) for t in (t12, t13) if t is not None for r in t.rows if r.key != "合计"]
        f = sum_finding(
            "cross.t3_project_eq_t12_t13",
            3,
            _loc(t3, t3_total, project or 0, "合计 项目支出"),
            "表3 项目支出合计",
            value(t3_total, project or 0),
            parts,
            "表12、表13 各项目",
        )
        if f:
            yield f
    t5 = _t(ctx, 5)
    if t5 is not None and t12 is not None:
        t5_project = column_index(t5, "项目支出")
        general = column_index(t12, "一般公共预算")
        if (t5_project is not None or t5.empty) and (general is not None or t12.empty):
            t5_total = total_row(t5)
            parts = [value(r, general or 1) for r in t12.rows if r.key != "合计"]
            f = sum_finding(
                "cross.t3_project_eq_t12_t13",
                5,
                _loc(t5, t5_total, t5_project or 0, "合计 项目支出"),
                "表5 项目支出合计",
                value(t5_total, t5_project or 0),
                parts,
                "表12 各项目一般公共预算",
            )
            if f:
                yield f


@rule("cross.t11_eq_t6_public", "tables")
def t11_eq_t6_public(ctx: Context) -> Iterator[Finding]:
    """机关运行经费 (administrative and 参公 units): 表11 一般公共预算 = 表6 公用经费 合计 (both 一般公共预算,
    本年, 基本支出 公用经费). For a unit of another kind 表11 is empty (rule unit.operating_funds_kind);
    for tables alone, whose unit kind is unknown, an empty 表11 beside 表6 公用经费 is an info."""
    t6, t11 = _t(ctx, 6), _t(ctx, 11)
    if t6 is None or t11 is None:
        return
    public = column_index(t6, "公用经费")
    t6_total = total_row(t6)
    t6_public = value(t6_total, public) if public is not None else ZERO
    kind_known = ctx.budget is not None
    if ctx.budget is not None and not ctx.budget.unit.has_operating_funds:
        return
    if ctx.budget is not None and any(not u.has_operating_funds for u in ctx.budget.units):
        return  # a 部门 with 其他事业单位: 表11 sums its 行政/参公 units only; each unit is checked on its own
    if t11.empty and not kind_known:
        if t6_public != 0:
            yield Finding(
                "cross.t11_eq_t6_public",
                INFO,
                11,
                f"tables.{t11.number}",
                f"表11 机关运行经费无数据，而表6 公用经费为 {show(t6_public)} 万元：行政单位和参照公务员法管理的"
                "事业单位应填列机关运行经费（其他事业单位不填）",
                show(t6_public),
                "0.00",
            )
        return
    general = column_index(t11, "一般公共预算")
    total = t11.row("部门合计") or total_row(t11)
    f = same_finding(
        "cross.t11_eq_t6_public",
        11,
        _loc(t11, total, general or 1, "部门合计 一般公共预算"),
        "表11 机关运行经费 一般公共预算",
        value(total, general or 1),
        t6_public,
        "表6 公用经费合计",
    )
    if f:
        yield f


_T10_VS_T6 = (("公务接待费", "30217"), ("②公务用车运行维护费", "30231"), ("①公务用车购置费", "31013"))


@rule("cross.t10_vs_t6", "tables")
def t10_vs_t6(ctx: Context) -> Iterator[Finding]:
    """表10 “三公” ↔ 表6 lines: 表6 30217 公务接待费 / 30231 公务用车运行维护费 / 31013 公务用车购置 (一般公共预算,
    本年 基本支出) cannot exceed the same item in 表10 一般公共预算 column (三公 also covers project spending);
    when the unit has no 项目支出 and no 上年结转, they must be equal (warning when 表10 is larger)."""
    t6, t10 = _t(ctx, 6), _t(ctx, 10)
    if t6 is None or t10 is None:
        return
    general = column_index(t10, "一般公共预算")
    general = 1 if general is None else general
    t3, t1 = _t(ctx, 3), _t(ctx, 1)
    project_col = column_index(t3, "项目支出") if t3 is not None else None
    no_projects = (
        t3 is not None
        and project_col is not None
        and value(total_row(t3), project_col) == 0
        and (t1 is None or total_value(t1, "上年结转") == 0)
    )
    for item, code in _T10_VS_T6:
        t10_row = t10.row(item) or t10.row(item.lstrip("①②"))
        t6_row = t6.row(code)
        in_t10, in_t6 = value(t10_row, general), value(t6_row, 0)
        if in_t6 > in_t10:
            yield Finding(
                "cross.t10_vs_t6",
                ERROR,
                10,
                _loc(t10, t10_row, general, item),
                f"表10 {item.lstrip('①②')} 一般公共预算 {show(in_t10)} 万元，少于表6 {code} {name_of(t6_row) if t6_row else ''} "
                f"的 {show(in_t6)} 万元：基本支出中的这笔钱应计入“三公”经费",
                show(in_t6),
                show(in_t10),
            )
        elif in_t10 > in_t6 and no_projects:
            yield Finding(
                "cross.t10_vs_t6",
                WARNING,
                10,
                _loc(t10, t10_row, general, item),
                f"表10 {item.lstrip('①②')} 一般公共预算 {show(in_t10)} 万元，而表6 {code} 只有 {show(in_t6)} 万元，"
                "单位又没有项目支出和上年结转：这笔“三公”经费在基本支出中找不到",
                show(in_t6),
                show(in_t10),
            )


@rule("cross.same_figure", "tables")
def same_figure(ctx: Context) -> Iterator[Finding]:
    """Every figure printed twice agrees: 表4 各项财政拨款收入 = 表1 同项收入; 表4 上年财政拨款结转 ≤ 表1 上年结转;
    表7 政府性基金收入 合计 = 表8 合计; 表9 国有资本经营收入 = 表9 支出合计; 表7 与 表8 每个科目相同."""
    rid = "cross.same_figure"
    t1, t4 = _t(ctx, 1), _t(ctx, 4)
    if t1 is not None and t4 is not None:
        for row in t4.income:
            f = same_finding(
                rid,
                4,
                _income_loc(t4, row.key),
                f"表4 {row.key}收入",
                value(row, 0),
                _income(t1, row.key),
                f"表1 {row.key}收入",
            )
            if f:
                yield f
        carried4, carried1 = total_value(t4, "上年财政拨款结转"), total_value(t1, "上年结转")
        if carried4 > carried1:
            yield Finding(
                rid,
                ERROR,
                4,
                total_location(t4, "上年财政拨款结转"),
                f"表4 上年财政拨款结转 {show(carried4)} 万元大于表1 上年结转 {show(carried1)} 万元",
                show(carried1),
                show(carried4),
            )
    t7, t8 = _t(ctx, 7), _t(ctx, 8)
    if t7 is not None and t8 is not None:
        keys = _keys_of_either(t7.rows, t8.rows)
        yield from _first_column_agrees(rid, t7, t8, keys, "表7 {key}", "表8 {key} 合计")
    t9 = _t(ctx, 9)
    if t9 is not None and len(t9.columns) >= 2:
        income_col, total_col = 0, column_index(t9, "合计")
        if total_col is not None and total_col != income_col:
            for row in t9.rows:
                f = same_finding(
                    rid,
                    9,
                    t9.locate(row, income_col),
                    f"表9 {name_of(row)} {t9.columns[income_col]}",
                    value(row, income_col),
                    value(row, total_col),
                    "同行支出合计",
                )
                if f:
                    yield f


def _by_key(ctx: Context, rows: tuple[Row, ...], balance: bool) -> dict[tuple[str, int], Row]:
    """Rows by code (表1/表4 classes by code whether keyed by code or by name), and by place among
    rows of the same key: two projects with the same name are two rows."""
    out: dict[tuple[str, int], Row] = {}
    seen: dict[str, int] = {}
    for r in rows:
        key = (_class_code(ctx, r) or r.key) if balance else r.key
        n = seen[key] = seen.get(key, -1) + 1
        out[(key, n)] = r
    return out


@rule("cross.tables_match_lines", "budget")
def tables_match_lines(ctx: Context) -> Iterator[Finding]:
    """The tables as shown (read back from the workbook's 表N sheets) carry the figures the unit's lines sum to:
    each printed figure equals the same figure of the tables derived from the lines, and no row with figures
    is missing. (Rows the lines do not reach: catalogue.template_residue.)"""
    if ctx.derived or ctx.budget is None:
        return
    from xlbudget.tables import build_tables

    derived = build_tables(ctx.budget, profile=ctx.tables.profile or "shanxi-13")
    rid = "cross.tables_match_lines"
    for shown in ctx.tables.tables:
        try:
            mine = derived[shown.number]
        except KeyError:
            continue
        balance = shown.layout == "balance" or mine.layout == "balance"
        for part_shown, part_mine in ((shown.rows, mine.rows), (shown.income, mine.income)):
            want = _by_key(ctx, part_mine, balance)
            have = _by_key(ctx, part_shown, balance)
            for key, row in have.items():
                expected = want.get(key)
                if expected is None:
                    continue
                for col in range(max(len(row.values), len(expected.values))):
                    f = same_finding(
                        rid,
                        shown.number,
                        shown.locate(row, col),
                        f"{shown.label} {name_of(row)}"
                        + (f"（{shown.columns[col]}列）" if col < len(shown.columns) else ""),
                        value(row, col),
                        value(expected, col),
                        "按基础数据计算的数",
                    )
                    if f:
                        yield f
                        break
            for key, row in want.items():
                if key not in have and not row.is_zero:
                    yield Finding(
                        rid,
                        ERROR,
                        shown.number,
                        f"{shown.label} {name_of(row)}",
                        f"{shown.label} 缺少 {name_of(row)} 行（按基础数据计算为 {show(value(row, 0))} 万元）",
                        show(value(row, 0)),
                        None,
                    )
        for label, values in mine.totals.items():
            if label not in shown.totals:
                continue
            for col in range(len(values)):
                f = same_finding(
                    rid,
                    shown.number,
                    total_location(shown, label, col),
                    f"{shown.label} {label}",
                    total_value(shown, label, col),
                    total_value(mine, label, col),
                    "按基础数据计算的数",
                )
                if f:
                    yield f
                    break
