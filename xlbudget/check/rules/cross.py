"""Between tables: the same money printed in two tables agrees (per the contract's line filters).

Tables are found by role and columns by id (:mod:`xlbudget.profiles`), whatever a profile numbers or
heads them; a comparison whose table or column the profile lacks is noted as not checked.  The
docstrings name the tables by their Shanxi numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

from xlbudget.check.figures import (
    BALANCE_SINGLE,
    amount,
    dedupe_columns,
    figure,
    is_exact,
    name_of,
    same_finding,
    show,
    sum_finding,
    total_location,
    total_value,
)
from xlbudget.check.findings import ERROR, INFO, WARNING, Finding
from xlbudget.check.registry import Context, rule
from xlbudget.check.rules._util import code_rows, is_code, total_row
from xlbudget.location import Location
from xlbudget.money import TEN_THOUSAND, to_wan
from xlbudget.tables import TOTAL, Row, Table, TableSet

# The 财政拨款 funds: their 表1/表4 income line, the column id, and the role of the table of their spending.
FISCAL_FUND_TABLES = (
    ("一般公共预算", "general", ("general_function",)),
    ("政府性基金预算", "gov_fund", ("gov_fund_expenditure",)),
    ("国有资本经营预算", "soe_capital", ("soe_capital", "soe_capital_expenditure")),
)
INCOME_COLUMNS = (
    ("一般公共预算", "general"),
    ("政府性基金预算", "gov_fund"),
    ("国有资本经营预算", "soe_capital"),
    ("财政专户管理资金", "special_account"),
    ("单位资金", "unit_funds"),
    ("财政拨款", "fiscal"),  # Shanghai: 财政拨款收入, 事业收入, 事业单位经营收入, 其他收入
    ("事业收入", "business_income"),
    ("事业单位经营收入", "operating_income"),
    ("其他收入", "other_income"),
)
_NUMBERING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|\d+\s*[、.．]|[（(][一二三四五六七八九十\d]+[)）])\s*"
)


def n(table: Table) -> str:
    """How a finding names a table: 表N of its profile."""
    return f"表{table.number}"


def plain_name(name: str) -> str:
    """A printed line's name without its numbering (一、 1. （一）): “一、一般公共服务支出” → 一般公共服务支出."""
    return _NUMBERING.sub("", name).strip()


def _fund_name(label: str) -> str:
    """一般公共预算 / 1、一般公共预算资金 / 二、政府性基金 → the fund's name as both tables say it."""
    name = plain_name(label)
    for tail in ("资金", "收入", "拨款"):
        name = name.removesuffix(tail)
    return name.removesuffix("预算")


def _spending_table(ctx: Context, roles: tuple[str, ...], what: str) -> Table | None:
    table = next((t for t in (ctx.tables.by_role(r) for r in roles) if t is not None), None)
    if table is None:
        ctx.table(roles[0], what=what)  # noted: the profile has no such table
    return table


def _class_code(ctx: Context, row: Row) -> str | None:
    """The 类 code of a 表1/表4 expenditure row (keyed by code when derived, by name when read)."""
    if is_code(row.key):
        return row.key
    cat = ctx.catalogue
    if cat is None:
        return None
    names = {row.key, row.label, plain_name(row.key), plain_name(row.label)}
    for code, name in cat.function_classes():
        if name in names:
            return code
    return None


def _income_row(table: Table, label: str) -> Row | None:
    """A 表1/表4 income line by its fund, however it is numbered or worded (一般公共预算 / 1、一般公共预算资金)."""
    exact = next((r for r in table.income if r.key == label), None)
    if exact is not None:
        return exact
    want = _fund_name(label)
    return next((r for r in table.income if _fund_name(r.key) == want), None)


def _income(table: Table, label: str) -> Decimal:
    return figure(table, _income_row(table, label), 0)


def _income_loc(table: Table, label: str) -> Location:
    row = _income_row(table, label)
    return table.locate(row, 0) if row is not None else Location(table=table.label or n(table), row=label)


def _loc(table: Table, row: Row | None, col: int | None, fallback: str) -> Location:
    """Where a row's figure is; a row the table lacks: the table and what the row would be."""
    if row is not None:
        return table.locate(row, col or 0)
    return Location(table=table.label or n(table), row=fallback)


def _keys_of_either(first: Iterable[Row], second: Iterable[Row]) -> list[str]:
    """Row keys of ``first``, then those only ``second`` has."""
    keys = [r.key for r in first]
    seen = set(keys)
    return keys + [r.key for r in second if r.key not in seen]


def _agrees(
    rid: str,
    table: Table,
    row: Row | None,
    col: int | None,
    what: str,
    other: Decimal,
    other_what: str,
    against: Location | None = None,
) -> Iterator[Finding]:
    """``table``'s figure at (row, col), named “表N what”, is the same money as ``other`` (named
    ``other_what``, printed at ``against``): a finding at that cell when not."""
    f = same_finding(
        rid,
        table.number,
        _loc(table, row, col, what),
        f"{n(table)} {what}",
        figure(table, row, col),
        other,
        other_what,
        against=against,
    )
    if f:
        yield f


def _totals_agree(
    rid: str, shown: Table, other: Table, keys: Iterable[str], shown_label: str, other_label: str
) -> Iterator[Finding]:
    """For each key, ``shown``'s 合计 equals ``other``'s (a row one table lacks counts as 0)."""
    col, other_col = shown.column("total"), other.column("total")
    if col is None or other_col is None:
        return
    for key in keys:
        mine, theirs = shown.row(key), other.row(key)
        f = same_finding(
            rid,
            shown.number,
            _loc(shown, mine, col, key),
            shown_label.format(key=key),
            figure(shown, mine, col),
            figure(other, theirs, other_col),
            other_label.format(key=key),
            against=_loc(other, theirs, other_col, key),
        )
        if f:
            yield f


def _wan(x: Decimal) -> Decimal:
    """A figure as a 万元 print shows it (a figure printed in 元 rounded half-up to 0.01万元)."""
    return to_wan(x * TEN_THOUSAND) if is_exact(x) else x


@rule("cross.t1_t2_t3", "tables")
def t1_t2_t3(ctx: Context) -> Iterator[Finding]:
    """表1 ↔ 表2 ↔ 表3 (收支总表, 收入总表, 支出总表): 表1 各项收入 = 表2 合计行 各资金来源列, 表1 上年结转 = 表2
    合计 上年结转; 表1 收入总计 = 表2 合计; 表1 支出总计 = 表3 合计; 表1 每类支出 = 表3 该类 合计, 其上年结转安排
    = 表2 该类 上年结转; 表2 与 表3 每个科目的 合计 相同 (收入总表与支出总表是同一笔钱)."""
    what = "收支总表、收入总表与支出总表之间的同一数字"
    t1, t2, t3 = (ctx.table(role, what=what) for role in ("balance", "income", "expenditure"))
    rid = "cross.t1_t2_t3"
    if t1 is not None and t2 is not None:
        t2_total = total_row(t2)
        for label, column_id in INCOME_COLUMNS:
            if _income_row(t1, label) is None:
                continue
            col = ctx.column(t2, column_id, what=f"{n(t1)} {label}收入 = {n(t2)} 合计 {label}")
            if col is None:
                continue
            yield from _agrees(
                rid,
                t2,
                t2_total,
                col,
                f"合计 {label}",
                _income(t1, label),
                f"{n(t1)} {label}收入",
                against=_income_loc(t1, label),
            )
        col = t2.column("carryover")
        if "上年结转" in t1.totals and col is not None:
            yield from _agrees(
                rid,
                t2,
                t2_total,
                col,
                "合计 上年结转",
                total_value(t1, "上年结转"),
                f"{n(t1)} 上年结转",
                against=total_location(t1, "上年结转"),
            )
        col = t2.column("total")
        if "收入总计" in t1.totals and t2_total is not None and col is not None:
            yield from _agrees(
                rid,
                t2,
                t2_total,
                col,
                "合计",
                total_value(t1, "收入总计"),
                f"{n(t1)} 收入总计",
                against=total_location(t1, "收入总计"),
            )
    if t1 is not None and t3 is not None:
        t3_total = total_row(t3)
        col3 = ctx.column(t3, "total", what=f"{n(t1)} 支出 = {n(t3)} 合计")
        col1 = ctx.column(t1, "total", what=f"{n(t1)} 支出 = {n(t3)} 合计")
        if col3 is not None and col1 is not None:
            if "支出总计" in t1.totals and t3_total is not None:
                total = total_value(t1, "支出总计", col1)
                yield from _agrees(
                    rid,
                    t3,
                    t3_total,
                    col3,
                    "合计",
                    total,
                    f"{n(t1)} 支出总计",
                    against=total_location(t1, "支出总计", col1),
                )
            t3_classes = {r.key: r for r in code_rows(t3) if len(r.key) == 3}
            carry1 = t1.column("carryover")
            carry2 = t2.column("carryover") if t2 is not None else None
            if t2 is not None and (carry1 is None or carry2 is None):
                ctx.note(
                    f"{n(t1)} 每类支出中的上年结转 = {n(t2)} 该类上年结转",
                    f"{n(t1) if carry1 is None else n(t2)}没有“上年结转”列",
                )
            for row in t1.rows:
                code = _class_code(ctx, row)
                if code is None:
                    continue
                printed = figure(t1, row, col1)
                if printed == 0 and code not in t3_classes:
                    continue
                f = same_finding(
                    rid,
                    t1.number,
                    t1.locate(row, col1),
                    f"{n(t1)} {row.label or row.key}",
                    printed,
                    figure(t3, t3_classes.get(code), col3),
                    f"{n(t3)} {code} 合计",
                    against=_loc(t3, t3_classes.get(code), col3, code),
                )
                if f:
                    yield f
                if t2 is not None and carry1 is not None and carry2 is not None:
                    f = same_finding(
                        rid,
                        t1.number,
                        t1.locate(row, carry1),
                        f"{n(t1)} {row.label or row.key} {t1.heading(carry1)}".rstrip(),
                        figure(t1, row, carry1),
                        figure(t2, t2.row(code), carry2),
                        f"{n(t2)} {code} 上年结转",
                        against=_loc(t2, t2.row(code), carry2, code),
                    )
                    if f:
                        yield f
    if t2 is not None and t3 is not None:
        keys = _keys_of_either(code_rows(t2), code_rows(t3))
        yield from _totals_agree(rid, t3, t2, keys, f"{n(t3)} {{key}} 合计", f"{n(t2)} {{key}} 合计")


@rule("cross.t4_t5_t8_t9", "tables")
def t4_t5_t8_t9(ctx: Context) -> Iterator[Finding]:
    """表4 ↔ 表5/表8/表9 (财政拨款收支总表 and the tables of each fund's spending): 表4 一般公共预算收入 = 表5 合计,
    政府性基金预算收入 = 表8 合计, 国有资本经营预算收入 = 表9 支出合计 (本年, 不含上年结转); and when 表4 prints no
    上年财政拨款结转, 表4 每类支出的 一般公共预算/政府性基金/国有资本经营 列 = 表5/表8/表9 该类 合计
    (rounding-aware)."""
    t4 = ctx.table("fiscal_balance", what="财政拨款收支总表与各项资金支出表之间的同一数字")
    if t4 is None:
        return
    rid = "cross.t4_t5_t8_t9"
    no_carryover = total_value(t4, "上年财政拨款结转") == 0
    for label, column_id, roles in FISCAL_FUND_TABLES:
        other = _spending_table(ctx, roles, f"{n(t4)} {label}收入 = 该资金支出表合计")
        if other is None:
            continue
        total_col = ctx.column(other, "total", what=f"{n(t4)} {label}收入 = {n(other)} 合计")
        if total_col is None:
            continue
        other_total = total_row(other)
        if _income_row(t4, label) is not None:
            yield from _agrees(
                rid,
                other,
                other_total,
                total_col,
                "合计",
                _income(t4, label),
                f"{n(t4)} {label}收入",
                against=_income_loc(t4, label),
            )
        col = t4.column(column_id)
        if not no_carryover or col is None:
            continue
        classes = {r.key: r for r in code_rows(other) if len(r.key) == 3}
        for row in t4.rows:
            code = _class_code(ctx, row)
            if code is None or (figure(t4, row, col) == 0 and code not in classes):
                continue
            # 表4 counts this year and carried over together; a 上年财政拨款结转 printed 0.00 may still hold
            # under half a cent of 万元, so it is one more rounded figure in the sum.
            f = sum_finding(
                rid,
                t4.number,
                t4.locate(row, col),
                f"{n(t4)} {row.label or row.key} {label}",
                figure(t4, row, col),
                [figure(other, classes.get(code), total_col), total_value(t4, "上年财政拨款结转")],
                f"{n(other)} {code} 合计与上年财政拨款结转",
            )
            if f:
                yield f


@rule("cross.t5_basic_eq_t6", "tables")
def t5_basic_eq_t6(ctx: Context) -> Iterator[Finding]:
    """表5 基本支出 合计 = 表6 合计 (both: 一般公共预算, 本年, 基本支出)."""
    what = "一般公共预算支出表 基本支出 = 一般公共预算基本支出表 合计"
    t5 = ctx.table("general_function", "basic", what=what)
    t6 = ctx.table("general_basic_economic", "total", what=what)
    if t5 is None or t6 is None:
        return
    basic, total = t5.column("basic"), t6.column("total")
    t5_total, t6_total = total_row(t5), total_row(t6)
    yield from _agrees(
        "cross.t5_basic_eq_t6",
        t6,
        t6_total,
        total,
        "合计",
        figure(t5, t5_total, basic),
        f"{n(t5)} 基本支出合计",
        against=_loc(t5, t5_total, basic, "合计"),
    )


def _project_rows(table: Table) -> list[Row]:
    return [r for r in table.rows if r.key != "合计"]


@rule("cross.t3_project_eq_t12_t13", "tables")
def t3_project_eq_t12_t13(ctx: Context) -> Iterator[Finding]:
    """表3 项目支出 合计 = Σ 表12 项目 合计 + Σ 表13 项目 合计 (本年 and 上年结转 projects, every fund);
    表5 项目支出 = Σ 表12 一般公共预算 column. Sums of printed figures: rounding-aware."""
    rid = "cross.t3_project_eq_t12_t13"
    what = "支出总表 项目支出 = 项目支出表各项目之和"
    t12, t13 = ctx.tables.by_role("projects_this_year"), ctx.tables.by_role("projects_carryover")
    if t12 is None and t13 is None:
        ctx.note(what, ctx.no_table("项目支出表"))
        return
    t3 = ctx.table("expenditure", "project", what=what)
    projects = [t for t in (t12, t13) if t is not None]
    if t3 is not None and all(t.column("total") is not None for t in projects):
        project, t3_total = t3.column("project"), total_row(t3)
        parts = [figure(t, r, t.column("total")) for t in projects for r in _project_rows(t)]
        f = sum_finding(
            rid,
            t3.number,
            _loc(t3, t3_total, project, "合计 项目支出"),
            f"{n(t3)} 项目支出合计",
            figure(t3, t3_total, project),
            parts,
            "、".join(n(t) for t in projects) + " 各项目",
        )
        if f:
            yield f
    if t12 is None:
        return
    what5 = "一般公共预算支出表 项目支出 = 本年项目支出表 一般公共预算列之和"
    t5 = ctx.table("general_function", "project", what=what5)
    general = ctx.column(t12, "general", what=what5)
    if t5 is None or general is None:
        return
    t5_project, t5_total = t5.column("project"), total_row(t5)
    f = sum_finding(
        rid,
        t5.number,
        _loc(t5, t5_total, t5_project, "合计 项目支出"),
        f"{n(t5)} 项目支出合计",
        figure(t5, t5_total, t5_project),
        [figure(t12, r, general) for r in _project_rows(t12)],
        f"{n(t12)} 各项目一般公共预算",
        against=[t12.locate(r, general or 0) for r in _project_rows(t12)],
    )
    if f:
        yield f


def operating_funds_table(ts: TableSet) -> tuple[Table, int] | None:
    """Where 机关运行经费 (财政拨款) is printed: the 机关运行经费表's 一般公共预算 column (Shanxi 表11), or the
    机关运行经费 column of a “三公”经费和机关运行经费表 (Shanghai 表9)."""
    t11 = ts.by_role("operating_funds")
    if t11 is not None:
        col = t11.column("general")
        return (t11, col) if col is not None else None
    t9 = ts.by_role("three_public_operating")
    if t9 is not None:
        col = t9.column("operating_funds")
        return (t9, col) if col is not None else None
    return None


@rule("cross.t11_eq_t6_public", "tables")
def t11_eq_t6_public(ctx: Context) -> Iterator[Finding]:
    """机关运行经费 (administrative and 参公 units): 表11 一般公共预算 = 表6 公用经费 合计 (both 一般公共预算,
    本年, 基本支出 公用经费). For a unit of another kind 表11 is empty (rule unit.operating_funds_kind);
    for tables alone, whose unit kind is unknown, an empty 表11 beside 表6 公用经费 is an info. Where the
    机关运行经费 is a column of the “三公” table (Shanghai 表9) it is compared only with the unit's data at hand:
    a 部门's figure counts only its 行政 and 参公 units, which the tables alone do not tell — alone, they still
    tell that it is no more than the 公用经费 it is a part of."""
    what = "机关运行经费 = 一般公共预算基本支出表 公用经费合计"
    t6 = ctx.table("general_basic_economic", "public", what=what)
    found = operating_funds_table(ctx.tables)
    if found is None:
        if (
            ctx.tables.by_role("operating_funds") is None
            and ctx.tables.by_role("three_public_operating") is None
        ):
            ctx.note(what, ctx.no_table("机关运行经费表"))
        else:
            ctx.note(what, "机关运行经费表没有“一般公共预算”（或“机关运行经费”）列")
        return
    t11, general = found
    if t6 is None:
        return
    kind_known = ctx.budget is not None
    public = t6.column("public")
    t6_public = figure(t6, total_row(t6), public)
    if t11.role == "three_public_operating" and not kind_known:
        ctx.note(what, f"{n(t11)}的机关运行经费只含行政单位和参公事业单位，只看报表不知道单位性质")
        # whatever the units' kinds, it is a part of the 公用经费: never more (compared at the coarser print)
        total = t11.row(TOTAL) or (t11.rows[0] if len(t11.rows) == 1 else None)
        shown, cap = (to_wan(f * TEN_THOUSAND) for f in (figure(t11, total, general), t6_public))
        if shown > cap:
            yield Finding(
                "cross.t11_eq_t6_public",
                ERROR,
                t11.number,
                _loc(t11, total, general, "机关运行经费"),
                f"{n(t11)} 机关运行经费 {shown} 万元大于{n(t6)} 公用经费合计 {cap} 万元：机关运行经费是一般公共预算"
                "基本支出中的公用经费（行政单位和参公事业单位的），不会比公用经费多",
                f"至多{cap}",
                f"{shown}",
                against=(_loc(t6, total_row(t6), public, "合计"),),
            )
        return
    if ctx.budget is not None and not ctx.budget.unit.has_operating_funds:
        return
    if ctx.budget is not None and any(not u.has_operating_funds for u in ctx.budget.units):
        return  # a 部门 with 其他事业单位: 表11 sums its 行政/参公 units only; each unit is checked on its own
    if t11.empty and not kind_known:
        if t6_public != 0:
            yield Finding(
                "cross.t11_eq_t6_public",
                INFO,
                t11.number,
                t11.where,
                f"{n(t11)} 机关运行经费无数据，而{n(t6)} 公用经费为 {amount(t6_public)}：行政单位和参照公务员法管理的"
                "事业单位应填列机关运行经费（其他事业单位不填）",
                show(t6_public),
                "0.00",
            )
        return
    total = t11.row("部门合计") or total_row(t11) or (t11.rows[0] if len(t11.rows) == 1 else None)
    f = same_finding(
        "cross.t11_eq_t6_public",
        t11.number,
        _loc(t11, total, general, "部门合计 一般公共预算"),
        f"{n(t11)} 机关运行经费 一般公共预算" if t11.role == "operating_funds" else f"{n(t11)} 机关运行经费",
        figure(t11, total, general),
        t6_public,
        f"{n(t6)} 公用经费合计",
        against=_loc(t6, total_row(t6), public, "合计"),
    )
    if f:
        yield f


# (“三公” item as a row, as a column id, and the 部门预算支出经济分类 款 of its 基本支出 part)
_T10_VS_T6 = (
    ("公务接待费", "reception", "30217"),
    ("②公务用车运行维护费", "vehicle_running", "30231"),
    ("①公务用车购置费", "vehicle_purchase", "31013"),
)


def _three_public_figure(table: Table, item: str, column_id: str) -> tuple[Row | None, int | None]:
    """Where a “三公” item's 财政拨款 (一般公共预算) figure is: its row's 一般公共预算 column (Shanxi 表10), or its
    column in the table's one row (Shanghai 表9)."""
    col = table.column(column_id)
    if col is not None:
        row = total_row(table) or (table.rows[0] if table.rows else None)
        return row, col
    general = table.column("general")
    return (table.row(item) or table.row(item.lstrip("①②"))), general


@rule("cross.t10_vs_t6", "tables")
def t10_vs_t6(ctx: Context) -> Iterator[Finding]:
    """表10 “三公” ↔ 表6 lines: 表6 30217 公务接待费 / 30231 公务用车运行维护费 / 31013 公务用车购置 (一般公共预算,
    本年 基本支出) cannot exceed the same item in 表10 一般公共预算 column (三公 also covers project spending);
    when the unit has no 项目支出 and no 上年结转, they must be equal (warning when 表10 is larger)."""
    what = "“三公”经费 ≥ 一般公共预算基本支出表中的同项支出"
    t6 = ctx.table("general_basic_economic", "total", what=what)
    t10 = ctx.tables.by_role("three_public") or ctx.tables.by_role("three_public_operating")
    if t10 is None:
        ctx.note(what, ctx.no_table("“三公”经费支出表"))
    if t6 is None or t10 is None:
        return
    total6 = t6.column("total")
    t3, t1 = ctx.tables.by_role("expenditure"), ctx.tables.by_role("balance")
    project_col = t3.column("project") if t3 is not None else None
    no_projects = (
        t3 is not None
        and project_col is not None
        and figure(t3, total_row(t3), project_col) == 0
        and (t1 is None or total_value(t1, "上年结转") == 0)
    )
    for item, column_id, code in _T10_VS_T6:
        t10_row, col = _three_public_figure(t10, item, column_id)
        if col is None:
            ctx.note(what, f"{n(t10)}没有“一般公共预算”列")
            return
        t6_row = t6.row(code)
        in_t10, in_t6 = figure(t10, t10_row, col), figure(t6, t6_row, total6)
        if not (is_exact(in_t10) and is_exact(in_t6)):
            in_t10, in_t6 = _wan(in_t10), _wan(in_t6)
        name = item.lstrip("①②")
        if in_t6 > in_t10:
            yield Finding(
                "cross.t10_vs_t6",
                ERROR,
                t10.number,
                _loc(t10, t10_row, col, item),
                f"{n(t10)} {name} 一般公共预算 {amount(in_t10)}，少于{n(t6)} {name_of(t6_row) if t6_row else code} "
                f"的 {amount(in_t6)}：基本支出中的这笔钱应计入“三公”经费",
                show(in_t6),
                show(in_t10),
            )
        elif in_t10 > in_t6 and no_projects:
            yield Finding(
                "cross.t10_vs_t6",
                WARNING,
                t10.number,
                _loc(t10, t10_row, col, item),
                f"{n(t10)} {name} 一般公共预算 {amount(in_t10)}，而{n(t6)} {code} 只有 {amount(in_t6)}，"
                "单位又没有项目支出和上年结转：这笔“三公”经费在基本支出中找不到",
                show(in_t6),
                show(in_t10),
            )


@rule("cross.same_figure", "tables")
def same_figure(ctx: Context) -> Iterator[Finding]:
    """Every figure printed twice agrees: 表4 各项财政拨款收入 = 表1 同项收入; 表4 上年财政拨款结转 ≤ 表1 上年结转;
    表7 政府性基金收入 合计 = 表8 合计; 表9 国有资本经营收入 = 表9 支出合计; 表7 与 表8 每个科目相同."""
    rid = "cross.same_figure"
    t1 = ctx.table("balance", what="财政拨款收支总表各项收入 = 收支总表同项收入")
    t4 = ctx.table("fiscal_balance", what="财政拨款收支总表各项收入 = 收支总表同项收入")
    if t1 is not None and t4 is not None:
        for row in t4.income:
            f = same_finding(
                rid,
                t4.number,
                _income_loc(t4, row.key),
                f"{n(t4)} {row.key}收入",
                figure(t4, row, 0),
                _income(t1, row.key),
                f"{n(t1)} {row.key}收入",
                against=_income_loc(t1, row.key),
            )
            if f:
                yield f
        carried4, carried1 = total_value(t4, "上年财政拨款结转"), total_value(t1, "上年结转")
        if carried4 > carried1:
            yield Finding(
                rid,
                ERROR,
                t4.number,
                total_location(t4, "上年财政拨款结转"),
                f"{n(t4)} 上年财政拨款结转 {amount(carried4)}大于{n(t1)} 上年结转 {amount(carried1)}",
                show(carried1),
                show(carried4),
            )
    what = "政府性基金预算收入表 = 政府性基金预算支出表（每个科目）"
    t7, t8 = ctx.table("gov_fund_income", what=what), ctx.table("gov_fund_expenditure", what=what)
    if t7 is not None and t8 is not None:
        keys = _keys_of_either(t7.rows, t8.rows)
        yield from _totals_agree(rid, t7, t8, keys, f"{n(t7)} {{key}}", f"{n(t8)} {{key}} 合计")
    t9 = ctx.table(
        "soe_capital", "soe_income", "total", what="国有资本经营预算收支表 收入 = 支出合计（每行）"
    )
    if t9 is not None:
        income_col, total_col = t9.column("soe_income"), t9.column("total")
        if income_col is not None and total_col is not None:
            for row in t9.rows:
                f = same_finding(
                    rid,
                    t9.number,
                    t9.locate(row, income_col),
                    f"{n(t9)} {name_of(row)} {t9.heading(income_col)}".rstrip(),
                    figure(t9, row, income_col),
                    figure(t9, row, total_col),
                    "同行支出合计",
                    against=t9.locate(row, total_col),
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
        k = seen[key] = seen.get(key, -1) + 1
        out[(key, k)] = r
    return out


def twin(derived: TableSet, shown: Table) -> Table | None:
    """The derived table that is ``shown``: the one of the same role (by number when it has none)."""
    if shown.role:
        return derived.by_role(shown.role)
    return next((t for t in derived.tables if t.number == shown.number), None)


def _twin_column(shown: Table, mine: Table, col: int) -> int | None:
    """The column of ``mine`` that holds what ``shown``'s column ``col`` holds (by id; by place without ids)."""
    if shown.column_ids and mine.column_ids:
        return mine.column(shown.column_ids[col]) if col < len(shown.column_ids) else None
    return col


def _column_words(table: Table, part: tuple[Row, ...], col: int) -> str:
    """ "（公用经费列）": a figure's column by the heading the table prints over it (an income line of a
    收支总表 by the income side's own heading, not the expenditure side's)."""
    headings = table.income_columns if part is table.income else table.columns
    if part is table.income and not headings:
        return ""
    heading = headings[col] if col < len(headings) else ""
    return f"（{heading}列）" if heading else ""


@rule("cross.tables_match_lines", "budget")
def tables_match_lines(ctx: Context) -> Iterator[Finding]:
    """The tables as shown (read back from the workbook's 表N sheets) carry the figures the unit's lines sum to:
    each printed figure equals the same figure of the tables derived from the lines, and no row with figures
    is missing. (Rows the lines do not reach: catalogue.template_residue.)"""
    if ctx.derived or ctx.budget is None:
        return
    derived = ctx.from_lines
    rid = "cross.tables_match_lines"
    for shown in ctx.tables.tables:
        mine = twin(derived, shown)
        if mine is None:
            continue
        balance = shown.layout == "balance" or mine.layout == "balance"
        for part_shown, part_mine in ((shown.rows, mine.rows), (shown.income, mine.income)):
            want = _by_key(ctx, part_mine, balance)
            have = _by_key(ctx, part_shown, balance)
            for key, row in have.items():
                expected = want.get(key)
                if expected is None:
                    continue
                found: list[tuple[int, Finding]] = []
                for col in range(len(row.values)):
                    other = _twin_column(shown, mine, col) if part_shown is shown.rows else col
                    if other is None:
                        continue
                    f = same_finding(
                        rid,
                        shown.number,
                        shown.locate(row, col),
                        f"{shown.label or n(shown)} {name_of(row)}" + _column_words(shown, part_shown, col),
                        figure(shown, row, col),
                        figure(mine, expected, other),
                        "按基础数据计算的数",
                    )
                    if f:
                        found.append((col, f))
                # every column that differs (人员经费 down and 公用经费 up by the same amount are two errors);
                # the same figure in two columns (合计 = 人员经费 in a row of 301) once
                yield from dedupe_columns(found, shown)
            for key, row in want.items():
                if is_code(row.key) and row.key[0] == "3" and not row.label and ctx.catalogue is not None:
                    # an 经济分类 code the catalogue lacks: 表6 prints its rows by name and it has none to print —
                    # catalogue.unknown_code says so, at the cell it was typed in
                    continue
                if key not in have and not row.is_zero:
                    yield Finding(
                        rid,
                        ERROR,
                        shown.number,
                        Location(table=shown.label or n(shown), row=name_of(row)),
                        f"{shown.label or n(shown)} 缺少 {name_of(row)} 行（按基础数据计算为 {amount(figure(mine, row, 0))}）",
                        show(figure(mine, row, 0)),
                        None,
                    )
        for label, values in mine.totals.items():
            if label not in shown.totals:
                continue
            totals: list[tuple[int, Finding]] = []
            for col in range(len(values)):
                f = same_finding(
                    rid,
                    shown.number,
                    total_location(shown, label, col),
                    f"{shown.label or n(shown)} {label}"
                    + (
                        f"（{shown.heading(col)}列）"
                        if shown.heading(col) and label not in BALANCE_SINGLE
                        else ""
                    ),
                    total_value(shown, label, col),
                    total_value(mine, label, col),
                    "按基础数据计算的数",
                )
                if f:
                    totals.append((col, f))
            yield from dedupe_columns(totals, shown)
