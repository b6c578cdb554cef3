"""The 财政拨款支出主要内容 list of the Shanghai report: a reason for every 项 that changed much."""

from __future__ import annotations

from collections.abc import Iterator

from xlbudget.check.findings import WARNING, Finding
from xlbudget.check.registry import Context, rule
from xlbudget.check.rules.prior_functions import new_row
from xlbudget.money import fmt_percent, fmt_wan


def _prints_the_list(ctx: Context) -> bool:
    """The document of the table set's profile lists the 项 (Shanghai); a profile not shipped (a test's
    own) is taken at its word: it has the table."""
    from xlbudget.profiles import load_profile

    try:
        return load_profile(ctx.tables.profile).document == "shanghai"
    except ValueError:
        return True


@rule("narrative.function_item_reason", "budget")
def function_item_reason(ctx: Context) -> Iterator[Finding]:
    """Each 项 of the 一般公共预算 (the general_function table) whose figure changed by 10% or more
    against last year's (``prior_year.functions``; a 项 not among them was zero), or from zero, has a
    reason (``function_notes[].reason``): the report prints 主要原因是：… after it, and leaves the clause
    out rather than print it empty.  Applies where the report lists the 项 (the Shanghai document) and
    last year's 项 figures are given (a district unit's list: the city's lists 类 without comparison)."""
    budget = ctx.budget
    assert budget is not None
    table = ctx.tables.by_role("general_function")
    if table is None or not budget.prior_year.functions or not _prints_the_list(ctx):
        return
    # imported only where the rule applies: the report package brings python-docx (a batch worker's
    # check of a Shanxi unit never loads it)
    from xlbudget.report.shanghai import function_items, is_city

    if is_city(budget.unit):
        return  # the city's list is by 类, without last year's figures
    notes = {n.function: n for n in budget.function_notes}
    missing = 0  # 项 without a 支出说明 row so far: each gets the next empty row
    for item in function_items(budget, table):
        note = notes.get(item.function)
        if not item.owes_reason or (note is not None and note.reason.strip()):
            continue
        assert item.before is not None
        delta = item.amount - item.before
        change = (
            f"上年为0，本年新增{fmt_wan(item.amount)}万元"
            if item.before == 0
            else f"比上年{'增加' if delta > 0 else '减少'}{fmt_percent(abs(delta), item.before)}"
        )
        if note is not None:
            where, row = note.source.at("reason"), ""
        else:
            where = new_row(budget, "function_notes", missing)
            missing += 1
            row = (
                f"（支出说明中还没有这一项：请在{where.sheet}第{where.cell_row}行填写编码 {item.function} 和变动原因）"
                if where.is_cell
                else ""
            )
        yield Finding(
            "narrative.function_item_reason",
            WARNING,
            table.number,
            where,
            f"财政拨款支出主要内容 {item.function}（{fmt_wan(item.amount)}万元）{change}，"
            f"变动达10%或以上，需填写变动原因{row}",
            "变动原因",
            None,
        )
