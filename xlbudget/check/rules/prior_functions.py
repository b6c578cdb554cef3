"""Last year's 一般公共预算财政拨款 by 项 (上年数, ``prior_year.functions``) against the figures it must agree
with: last year's total typed beside it, and this year's lines."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal

from xlbudget.check.findings import ERROR, INFO, WARNING, Finding
from xlbudget.check.registry import Context, rule
from xlbudget.location import Location
from xlbudget.model import UnitBudget
from xlbudget.money import ROUNDING_HALF_STEP_WAN, ZERO, fmt_yuan, wan_to_yuan

_HUNDRED = Decimal(100)


def prior_by_function(budget: UnitBudget) -> dict[str, Decimal]:
    """Last year's 一般公共预算财政拨款 of each 项, the 上年数 rows of one code added."""
    out: dict[str, Decimal] = {}
    for f in budget.prior_year.functions:
        out[f.function] = out.get(f.function, ZERO) + f.amount
    return out


def general_by_function(budget: UnitBudget) -> dict[str, Decimal]:
    """This year's 一般公共预算当年拨款 of each 项: the 一般公共预算 lines not carried over."""
    out: dict[str, Decimal] = {}
    for x in budget.lines:
        if x.fund == "general" and not x.carryover:
            out[x.function] = out.get(x.function, ZERO) + x.amount
    return out


def new_row(budget: UnitBudget, name: str, index: int = 0) -> Location:
    """Where the ``index``-th row not yet there of a list (``functions``: 上年数, ``function_notes``: 支出说明)
    is typed: in a workbook the row after the last one filled (as the reader says), in JSON the next item."""
    first = budget.prior_year.source.fields.get(f"{name}.new")
    if first is not None:
        return replace(first, cell_row=first.cell_row + index)
    if name == "functions":
        return Location.path(f"prior_year.functions[{len(budget.prior_year.functions) + index}]")
    return Location.path(f"function_notes[{len(budget.function_notes) + index}]")


def _rounding_slack(amounts: list[Decimal]) -> Decimal:
    """How far figures may be off their sum by rounding alone: half a 0.01万元 for each figure that is a whole
    0.01万元 (read from a report printed in 万元, ``new --prior``, or typed from one); the rest are exact."""
    return wan_to_yuan(ROUNDING_HALF_STEP_WAN) * sum(1 for a in amounts if a % _HUNDRED == 0)


# Within this share of the total the 上年数 may be last year's 执行数 (the budget as adjusted during the year)
# where 单位信息 has the budget as passed: the 福利院's 2024 report compares its 项 with 2023's 执行数, 949.90万元
# together, against 2023's 预算 949.66万元.  Beyond it a 项 is missing or a figure mistyped.
_EXECUTION_SHARE = Decimal("0.01")


@rule("year.prior_functions_total", "budget")
def prior_functions_total(ctx: Context) -> Iterator[Finding]:
    """The 上年数 rows (last year's 一般公共预算财政拨款 by 项) add up to 上年一般公共预算当年拨款: the same
    last-year money typed twice. To the 元, and at 0.01万元 for figures that are whole 0.01万元 (from a report
    printed in 万元: half a 0.01万元 each). A gap of more than 1% of the total is an error — a 项 left out of
    上年数 prints as 上年 0.00万元 and 新增 (the report compares each 项 with it; a 项 not listed was zero),
    so the report is not written; a smaller one is an info: the 项 may be last year's 执行数 (the Shanghai
    reports compare with 当年预算执行数), which differs a little from the budget as passed."""
    assert ctx.budget is not None
    p = ctx.budget.prior_year
    if not p.functions or p.general_budget_appropriation is None:
        return
    summed = sum((f.amount for f in p.functions), ZERO)
    total = p.general_budget_appropriation
    gap = total - summed
    if abs(gap) <= _rounding_slack([f.amount for f in p.functions] + [total]):
        return
    typed = p.source.at("general_budget_appropriation")
    said = (
        f"上年数各项合计 {fmt_yuan(summed)} 元，与上年一般公共预算当年拨款 {fmt_yuan(total)} 元（{typed}）"
        f"{'少' if gap > 0 else '多'} {fmt_yuan(abs(gap))} 元"
    )
    large = abs(gap) > abs(total) * _EXECUTION_SHARE
    if large:
        message = (
            f"{said}：两处是同一笔上年资金，应相等。"
            + (
                "请补上漏填的项（报告会把上年数中没有的项说成上年为0、本年新增）"
                if gap > 0
                else "请核对各项金额"
            )
            + "，或更正上年一般公共预算当年拨款"
        )
    else:
        message = f"{said}（不到1%）：上年数按当年预算执行数填写时可与年初预算略有不同；否则请核对"
    yield Finding(
        "year.prior_functions_total",
        ERROR if large else INFO,
        None,
        new_row(ctx.budget, "functions") if gap > 0 else p.source.at("functions"),
        message,
        f"{fmt_yuan(total)} 元",
        f"{fmt_yuan(summed)} 元",
        against=(typed,),
    )


def _explained(budget: UnitBudget, code: str) -> bool:
    """The unit says why the 项 is gone: a 支出说明 row of the 项 with its 变动原因, or the 变动原因 of the
    一般公共预算 (or of the totals) naming its code or its name."""
    if any(n.function == code and n.reason.strip() for n in budget.function_notes):
        return True
    from xlbudget.catalogue import load_catalogue

    name = load_catalogue(budget.year).function_name(code) or ""
    ex = budget.explanations
    return any(
        code in text or (name and name in text) for text in (ex.general_budget_change, ex.total_change)
    )


@rule("year.function_dropped", "budget")
def function_dropped(ctx: Context) -> Iterator[Finding]:
    """A 项 with last year's 一般公共预算财政拨款 (上年数) and no 一般公共预算 line this year drops out of the
    report without a word: most likely a line deleted or typed under another code. A warning at the 上年数
    row, unless the unit explains it (a 支出说明 row of the 项 with its 变动原因, or the 一般公共预算变动原因
    naming the 项). Not before any 一般公共预算 line is typed."""
    budget = ctx.budget
    assert budget is not None
    now = general_by_function(budget)
    if not now:
        return  # no 一般公共预算 line yet (a blank workbook): nothing has gone missing, nothing is typed
    seen: set[str] = set()
    for f in budget.prior_year.functions:
        if f.function in seen:
            continue
        seen.add(f.function)
        before = prior_by_function(budget)[f.function]
        if before == 0 or now.get(f.function, ZERO) != 0 or _explained(budget, f.function):
            continue
        yield Finding(
            "year.function_dropped",
            WARNING,
            None,
            f.source.at("function"),
            f"{f.function} 上年有此项（{fmt_yuan(before)} 元），本年没有：是否漏填（本年的一般公共预算支出中"
            "没有这个项，报告里它会消失）；确已不再安排的，请在支出说明中写明变动原因",
            None,
            f"{fmt_yuan(before)} 元",
        )
