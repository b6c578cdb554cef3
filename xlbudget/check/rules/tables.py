"""Inside one table: its totals add up, its columns add up, as printed (rounding-aware)."""

from __future__ import annotations

from collections.abc import Iterator

from xlbudget.check.figures import (
    amount,
    dedupe_columns,
    figure,
    name_of,
    show,
    sum_finding,
    total_location,
    total_value,
)
from xlbudget.check.findings import ERROR, WARNING, Finding
from xlbudget.check.registry import Context, rule
from xlbudget.check.rules._util import children, code_rows, total_row, tree_tables, width
from xlbudget.model import PERSONNEL_CLASSES
from xlbudget.tables import TOTAL, Row, Table

RULE_TOTAL_ROWS = "table.total_equals_rows"


def _row_sums(rule_id: str, table: Table, row: Row, parts: list[Row], parts_text: str) -> list[Finding]:
    found = []
    for col in range(width(table)):
        f = sum_finding(
            rule_id,
            table.number,
            table.locate(row, col),
            f"{table.label or f'表{table.number}'} {name_of(row)}（{_heading(table, col)}列）",
            figure(table, row, col),
            [figure(table, p, col) for p in parts],
            parts_text,
            against=[table.locate(p, col) for p in parts],
        )
        if f:
            found.append((col, f))
    return dedupe_columns(found, table)


def _heading(table: Table, col: int) -> str:
    return table.columns[col] if col < len(table.columns) else f"第{col + 1}列"


@rule(RULE_TOTAL_ROWS, "tables")
def total_equals_rows(ctx: Context) -> Iterator[Finding]:
    """合计 = Σ 类 rows (表2/3/5/6/7/8/9, by column); 表11 部门合计 = Σ 单位 rows; 表12/13 合计 = Σ 项目 rows
    when a 合计 row is printed; 表1/表4: 本年收入合计 = Σ 收入, 本年支出合计 = Σ 支出 by 类 (by column),
    收入总计 = 本年收入合计 + 上年结转, 支出总计 = 本年支出合计 + 年终结转."""
    for table in ctx.tables.tables:
        if table.layout == "balance":
            yield from _balance_sums(table)
            continue
        if table.role in ("three_public", "three_public_operating"):
            continue  # rules of their own: table.car_costs, table.three_public_total
        unit_total = table.row("部门合计")
        total = unit_total or total_row(table)
        if total is None:
            continue
        if code_rows(table):
            parts = [r for r in table.rows if len(r.key) == 3 and r.key.isdigit()]
            text = "各类"
        elif table.row(CAR_TOTAL) is None:  # 表10 has rules of its own
            parts = [r for r in table.rows if r is not total]
            text = "各单位" if unit_total else "各项目"
        else:
            continue
        if not parts:
            continue  # a 部门合计 printed without its units' rows: nothing it is the sum of is printed
        yield from _row_sums(RULE_TOTAL_ROWS, table, total, parts, text)


def _balance_sums(table: Table) -> Iterator[Finding]:
    carry_in = next((k for k in ("上年结转", "上年财政拨款结转") if k in table.totals), None)
    if "本年收入合计" in table.totals and table.income:
        f = sum_finding(
            RULE_TOTAL_ROWS,
            table.number,
            total_location(table, "本年收入合计"),
            f"{table.label or f'表{table.number}'} 本年收入合计",
            total_value(table, "本年收入合计"),
            [figure(table, r, 0) for r in table.income],
            "各项收入",
            against=[table.locate(r, 0) for r in table.income],
        )
        if f:
            yield f
    if "本年支出合计" in table.totals:
        found = []
        for col in range(width(table)):
            f = sum_finding(
                RULE_TOTAL_ROWS,
                table.number,
                total_location(table, "本年支出合计", col),
                f"{table.label or f'表{table.number}'} 本年支出合计 {_heading(table, col)}".rstrip(),
                total_value(table, "本年支出合计", col),
                [figure(table, r, col) for r in table.rows],
                "各类支出",
                against=[table.locate(r, col) for r in table.rows],
            )
            if f:
                found.append((col, f))
        yield from dedupe_columns(found, table)
    if "收入总计" in table.totals and "本年收入合计" in table.totals:
        parts = [total_value(table, "本年收入合计")]
        if carry_in:
            parts.append(total_value(table, carry_in))
        f = sum_finding(
            RULE_TOTAL_ROWS,
            table.number,
            total_location(table, "收入总计"),
            f"{table.label or f'表{table.number}'} 收入总计",
            total_value(table, "收入总计"),
            parts,
            f"本年收入合计与{carry_in or '上年结转'}",
            against=[total_location(table, k) for k in ("本年收入合计", carry_in) if k],
        )
        if f:
            yield f
    if "支出总计" in table.totals and "本年支出合计" in table.totals:
        found = []
        for col in range(width(table)):
            parts = [total_value(table, "本年支出合计", col)]
            places = [total_location(table, "本年支出合计", col)]
            if "年终结转" in table.totals:
                parts.append(total_value(table, "年终结转", col))
                places.append(total_location(table, "年终结转", col))
            f = sum_finding(
                RULE_TOTAL_ROWS,
                table.number,
                total_location(table, "支出总计", col),
                f"{table.label or f'表{table.number}'} 支出总计 {_heading(table, col)}".rstrip(),
                total_value(table, "支出总计", col),
                parts,
                "本年支出合计与年终结转",
                against=places,
            )
            if f:
                found.append((col, f))
        yield from dedupe_columns(found, table)


@rule("table.class_equals_items", "tables")
def class_equals_items(ctx: Context) -> Iterator[Finding]:
    """类 = Σ 其下各款, 款 = Σ 其下各项 (by column), in every table with 类/款/项 rows
    (表2/3/5/7/8/9 支出功能分类, 表6 部门预算支出经济分类). A row with no printed children is
    not summed (its depth is catalogue.code_depth's business); nor, with the unit's lines, a row holding a
    line's code that prints no row below it (short of a 项, or not in the catalogue): catalogue.code_depth /
    catalogue.unknown_code report that code at the cell it was typed in."""
    typed = _codes_off(ctx)
    for table in tree_tables(ctx.tables):
        for row in code_rows(table):
            kids = children(table, row)
            if any(c.startswith(row.key) and table.row(c) is None for c in typed - {row.key}) or (
                row.key in typed
            ):
                continue  # its money includes a line's code no row below prints: catalogue.* says so, at the line
            if kids:
                level = "款" if len(row.key) == 3 else "项"
                yield from _row_sums("table.class_equals_items", table, row, kids, f"其下各{level}")


def _codes_off(ctx: Context) -> set[str]:
    """The lines' codes that print no row of their own under their parent: short of a 项 (款 for 经济分类), or
    not in the catalogue (reported at the cell they were typed in by ``catalogue.code_depth`` and
    ``catalogue.unknown_code``)."""
    cat = ctx.catalogue
    if ctx.budget is None:
        return set()
    out = set()
    for line in ctx.budget.lines:
        if line.function and (
            len(line.function) != 7 or (cat is not None and not cat.function_name(line.function))
        ):
            out.add(line.function)
        if line.kind == "basic" and line.economic:
            if len(line.economic) != 5 or (cat is not None and not cat.economic_name(line.economic)):
                out.add(line.economic)
    return out


def _column_parts(
    rule_id: str, table: Table, total_col: int, part_cols: list[int], text: str
) -> Iterator[Finding]:
    rows = list(table.rows)
    for row in rows:
        f = sum_finding(
            rule_id,
            table.number,
            table.locate(row, total_col),
            f"{table.label or f'表{table.number}'} {name_of(row)}（{_heading(table, total_col)}列）",
            figure(table, row, total_col),
            [figure(table, row, c) for c in part_cols],
            text,
            against=[table.locate(row, c) for c in part_cols],
        )
        if f:
            yield f


# The splits of a table's 合计 column a reviewer adds up, by column ids (a table with all of them).
_SPENDING_SPLITS = (
    (("basic", "project"), "基本支出与项目支出"),
    (("personnel", "public", "project"), "人员经费、公用经费与项目支出"),  # Shanghai's 财务收支总表
)


@rule("table.total_basic_project", "tables")
def total_basic_project(ctx: Context) -> Iterator[Finding]:
    """合计 = 基本支出 + 项目支出, on every row of each table with those columns (by column id: Shanxi 表3, 表5,
    表8, 表9); where a table splits 基本支出 into 人员经费 and 公用经费 beside 项目支出 (Shanghai's 表1),
    合计 = 人员经费 + 公用经费 + 项目支出."""
    for table in ctx.tables.tables:
        total = table.column("total")
        for ids, text in _SPENDING_SPLITS:
            parts = [table.column(i) for i in ids]
            if total is None or None in parts:
                continue
            yield from _column_parts(
                "table.total_basic_project", table, total, [p for p in parts if p is not None], text
            )
            break


def _personnel_table(ctx: Context, what: str) -> Table | None:
    """The 一般公共预算基本支出 table by economic class (Shanxi 表6), with its 合计/人员经费/公用经费 columns."""
    return ctx.table("general_basic_economic", "total", "personnel", "public", what=what)


@rule("table.t6_personnel_public", "tables")
def t6_personnel_public(ctx: Context) -> Iterator[Finding]:
    """一般公共预算基本支出表（按经济分类） (Shanxi 表6): 合计 = 人员经费 + 公用经费, on every row."""
    table = _personnel_table(ctx, "一般公共预算基本支出表 合计 = 人员经费 + 公用经费")
    if table is None:
        return
    total, personnel, public = (table.column(i) or 0 for i in ("total", "personnel", "public"))
    yield from _column_parts(
        "table.t6_personnel_public", table, total, [personnel, public], "人员经费与公用经费"
    )


@rule("table.t6_personnel_classes", "tables")
def t6_personnel_classes(ctx: Context) -> Iterator[Finding]:
    """一般公共预算基本支出表（按经济分类） (Shanxi 表6): 人员经费 are economic classes 301 and 303 only, 公用经费
    every other class — a 301/303 row has no 公用经费 and a 302/310/… row has no 人员经费."""
    table = _personnel_table(ctx, "一般公共预算基本支出表 人员经费只含 301、303 类")
    if table is None:
        return
    personnel, public = table.column("personnel") or 0, table.column("public") or 0
    for row in code_rows(table):
        is_personnel = row.key[:3] in PERSONNEL_CLASSES
        wrong = public if is_personnel else personnel
        if figure(table, row, wrong) != 0:
            right = "人员经费" if is_personnel else "公用经费"
            yield Finding(
                "table.t6_personnel_classes",
                ERROR,
                table.number,
                table.locate(row, wrong),
                f"{table.label or f'表{table.number}'} {name_of(row)} 属于{right}（人员经费为 301、303 类，其余为公用经费），"
                f"却在“{_heading(table, wrong)}”列填了 {show(figure(table, row, wrong))}",
                "0.00" if table.amount_unit != "元" else "0",
                show(figure(table, row, wrong)),
            )


# Columns that split a total by 资金来源 (or by this year / carried over): the total is their sum when they are
# all the table's other columns.
_FUND_IDS = frozenset(
    {
        "this_year",
        "carryover",
        "fiscal",
        "general",
        "gov_fund",
        "soe_capital",
        "special_account",
        "unit_funds",
        "business_income",
        "operating_income",
        "other_income",
    }
)


@rule("table.total_by_fund", "tables")
def total_by_fund(ctx: Context) -> Iterator[Finding]:
    """合计/小计 column = Σ the 资金来源 columns beside it, on every row, in each table whose other columns are all
    资金来源 (by column id): 表1 合计 = 当年预算安排 + 上年结转安排; 表2 合计 = 五项本年收入 + 上年结转 (Shanghai:
    财政拨款收入 + 事业收入 + 事业单位经营收入 + 其他收入); 表4 小计 = 一般公共预算 + 政府性基金 + 国有资本经营;
    表10/11/13 合计 = 三项财政拨款; 表12 合计 = 五项资金来源. Also 表1/表4 本年支出合计 and 支出总计."""
    for table in ctx.tables.tables:
        number = table.number
        total = table.column("total")
        others = [i for i, c in enumerate(table.column_ids) if i != total]
        if total is None or not others or not all(table.column_ids[i] in _FUND_IDS for i in others):
            continue
        parts = others
        text = "各资金来源列"
        yield from _column_parts("table.total_by_fund", table, total, parts, text)
        if table.layout == "balance":
            for label in ("本年支出合计", "支出总计"):
                values = table.totals.get(label, ())
                if len(values) < 2:
                    continue
                f = sum_finding(
                    "table.total_by_fund",
                    number,
                    total_location(table, label, total),
                    f"{table.label or f'表{table.number}'} {label} {_heading(table, total)}",
                    total_value(table, label, total),
                    [total_value(table, label, c) for c in parts],
                    text,
                    against=[total_location(table, label, c) for c in parts],
                )
                if f:
                    yield f


@rule("table.balance_totals", "tables")
def balance_totals(ctx: Context) -> Iterator[Finding]:
    """表1、表4 收支平衡: 收入总计 = 支出总计 (合计/小计 column)."""
    for table in ctx.tables.tables:
        if table.layout != "balance" or "收入总计" not in table.totals or "支出总计" not in table.totals:
            continue
        income, spent = total_value(table, "收入总计"), total_value(table, "支出总计")
        if income != spent:
            yield Finding(
                "table.balance_totals",
                ERROR,
                table.number,
                total_location(table, "支出总计", 0),
                f"{table.label or f'表{table.number}'} 收支不平衡：收入总计 {amount(income)}，支出总计 {amount(spent)}",
                show(income),
                show(spent),
                against=(total_location(table, "收入总计", 0),),
            )


CAR_TOTAL = "公务用车购置及运行费"
CAR_PARTS = ("①公务用车购置费", "②公务用车运行维护费")
THREE_PARTS = ("因公出国（境）费", "公务接待费", CAR_TOTAL)


def _t10_rows(table: Table, keys: tuple[str, ...]) -> list[Row]:
    rows = []
    for key in keys:
        row = table.row(key) or table.row(key.lstrip("①②"))
        if row is not None:
            rows.append(row)
    return rows


def _three_public_table(ctx: Context, what: str) -> Table | None:
    """The “三公” table (Shanxi 表10), or the “三公”经费和机关运行经费 table (Shanghai 表9)."""
    table = ctx.tables.by_role("three_public") or ctx.tables.by_role("three_public_operating")
    if table is None:
        ctx.note(what, ctx.no_table("“三公”经费支出表"))
    return table


@rule("table.car_costs", "tables")
def car_costs(ctx: Context) -> Iterator[Finding]:
    """“三公”经费表 (Shanxi 表10; Shanghai 表9 by column): 公务用车购置及运行费 = ①公务用车购置费 +
    ②公务用车运行维护费, by column (or, where the items are columns, on every row)."""
    table = _three_public_table(ctx, "“三公”经费 公务用车购置及运行费 = 购置费 + 运行维护费")
    if table is None:
        return
    parts = [table.column(i) for i in ("vehicle_purchase", "vehicle_running")]
    total = table.column("vehicles")
    if total is not None and None not in parts:
        yield from _column_parts(
            "table.car_costs", table, total, [p for p in parts if p is not None], "购置费与运行费"
        )
        return
    row = table.row(CAR_TOTAL)
    if row is not None:
        yield from _row_sums("table.car_costs", table, row, _t10_rows(table, CAR_PARTS), "购置费与运行维护费")


@rule("table.three_public_total", "tables")
def three_public_total(ctx: Context) -> Iterator[Finding]:
    """“三公”经费表 (Shanxi 表10; Shanghai 表9 by column): 合计 = 因公出国（境）费 + 公务接待费 +
    公务用车购置及运行费, by column (or, where the items are columns, on every row)."""
    table = _three_public_table(ctx, "“三公”经费 合计 = 因公出国（境）费 + 公务接待费 + 公务用车购置及运行费")
    if table is None:
        return
    parts = [table.column(i) for i in ("abroad", "reception", "vehicles")]
    total = table.column("total")
    if total is not None and None not in parts:
        yield from _column_parts(
            "table.three_public_total", table, total, [p for p in parts if p is not None], "三项经费"
        )
        return
    row = table.row(TOTAL)
    if row is not None:
        yield from _row_sums(
            "table.three_public_total", table, row, _t10_rows(table, THREE_PARTS), "三项经费"
        )


@rule("table.duplicate_row", "tables")
def duplicate_row(ctx: Context) -> Iterator[Finding]:
    """Two rows of one table with the same key (the same code, or the same project name in 表12/13) print
    as two lines no reader can tell apart; both are kept and counted. Reported at the repeat. When the
    unit's lines are at hand, ``lines.duplicate_project`` reports a repeated project at its input cell
    instead."""
    if ctx.budget is not None:
        return
    for table in ctx.tables.tables:
        for part in (table.income, table.rows):
            seen: dict[str, Row] = {}
            for row in part:
                if not row.key:
                    continue
                first = seen.setdefault(row.key, row)
                if first is row:
                    continue
                yield Finding(
                    "table.duplicate_row",
                    WARNING,
                    table.number,
                    table.locate(row, 0),
                    f"{table.label or f'表{table.number}'} 有两行“{name_of(row)}”（另一行在 {table.locate(first, 0)}）：读者无法区分；"
                    "若是同一项目请合并为一行，若是不同项目请在名称中加以区分",
                    None,
                    name_of(row),
                )
