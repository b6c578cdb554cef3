"""The budget lines themselves, before any table: what makes a table line ambiguous."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from xlbudget.check.findings import WARNING, Finding
from xlbudget.check.registry import Context, rule
from xlbudget.location import Location
from xlbudget.money import ZERO, fmt_yuan


@rule("lines.duplicate_project", "budget")
def duplicate_project(ctx: Context) -> Iterator[Finding]:
    """Two 项目支出 lines with the same name in the same table (表12 this year, 表13 carried over) print as
    two rows no reader can tell apart, and a 绩效目标 form names its project only by name. Both rows are
    kept and counted; each repeat is reported at its name cell. (The same name in 表12 and 表13 is one
    project's money of this year and of last year: not reported.)"""
    assert ctx.budget is not None
    seen: dict[tuple[str, bool], list[Location]] = {}
    for i, p in enumerate(ctx.budget.projects):
        if not p.name:
            continue
        where = p.source.at("name") if p.source.where else Location.path(f"projects[{i}].name")
        places = seen.setdefault((p.name.strip(), p.carryover), [])
        places.append(where)
        if len(places) > 1:
            table = 13 if p.carryover else 12
            yield Finding(
                "lines.duplicate_project",
                WARNING,
                table,
                where,
                f"项目名称“{p.name}”重复（又见 {places[0]}）：表{table} 中会列为两行、分别计数，读者无法区分；"
                "若是同一项目请合并为一行，若是不同项目请在名称中加以区分",
                None,
                p.name,
            )


# A 项 whose lines add up to this share of last year's, or less, looks typed in 万元: 1/10,000 of last
# year's within a factor of 10 either way (a real 项 does not shrink to a thousandth in a year).
_WAN_BAND = (Decimal(1) / Decimal(100_000), Decimal(1) / Decimal(1_000))
_SMALL = Decimal(100)  # a line under 100 元: no budget line is that small, 100 万元 is


@rule("lines.looks_like_wan", "budget")
def looks_like_wan(ctx: Context) -> Iterator[Finding]:
    """Amounts are typed in 元. A line that looks typed in 万元 — under 100 元, or of a 项 whose 一般公共预算
    lines add up to about a ten-thousandth of its 上年数 (between 1/100,000 and 1/1,000) — is reported at
    its amount cell with what was probably meant (the figure × 10,000 元): a warning, the figure is kept."""
    from xlbudget.check.rules.prior_functions import general_by_function, prior_by_function

    budget = ctx.budget
    assert budget is not None
    before = prior_by_function(budget)
    now = general_by_function(budget)
    tiny = {
        code
        for code, amount in now.items()
        if amount > 0 and before.get(code, ZERO) > 0 and _WAN_BAND[0] <= amount / before[code] <= _WAN_BAND[1]
    }
    for i, x in enumerate(budget.lines):
        by_prior = x.fund == "general" and not x.carryover and x.function in tiny
        if x.amount <= 0 or not (x.amount < _SMALL or by_prior):
            continue
        kind = "basic" if i < len(budget.basic) else "projects"
        index = i if i < len(budget.basic) else i - len(budget.basic)
        where = x.source.at("amount") if x.source.where else Location.path(f"{kind}[{index}].amount")
        meant = x.amount * 10_000
        why = (
            f"；{x.function} 上年为 {fmt_yuan(before[x.function])} 元，本年只有 {fmt_yuan(now[x.function])} 元"
            if by_prior
            else ""
        )
        yield Finding(
            "lines.looks_like_wan",
            WARNING,
            None,
            where,
            f"金额 {fmt_yuan(x.amount)} 元像是按万元填写的（{fmt_yuan(x.amount)} 万元 = {fmt_yuan(meant)} 元）"
            f"{why}：金额以元为单位，是否应为 {fmt_yuan(meant)}",
            f"{fmt_yuan(meant)}",
            fmt_yuan(x.amount),
        )
