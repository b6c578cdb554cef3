"""The unit's kind (单位性质) decides what it may report."""

from __future__ import annotations

from collections.abc import Iterator

from xlbudget.check.figures import show, value
from xlbudget.check.findings import ERROR, WARNING, Finding
from xlbudget.check.registry import Context, rule
from xlbudget.check.rules._util import get
from xlbudget.money import to_wan


@rule("unit.operating_funds_kind", "budget")
def operating_funds_kind(ctx: Context) -> Iterator[Finding]:
    """机关运行经费 exist only for 行政单位 and 参照公务员法管理的事业单位: a 其他事业单位 (public_institution)
    prints no figure in 表11 and gives no 机关运行经费 for last year nor a reason for its change."""
    budget = ctx.budget
    assert budget is not None
    if budget.unit.has_operating_funds:
        return
    kind = budget.unit.kind_name
    t11 = get(ctx.tables, 11) if ctx.shanxi else None
    if t11 is not None and not t11.empty:
        row = next(r for r in t11.rows if not r.is_zero)
        col = next(i for i, v in enumerate(row.values) if v != 0)
        yield Finding(
            "unit.operating_funds_kind",
            ERROR,
            11,
            t11.locate(row, col),
            f"{budget.unit.name}是{kind}，没有机关运行经费，表11 应为空（注：本表无数据），却填了 {show(value(row, col))} 万元",
            "0.00",
            show(value(row, col)),
        )
    prior = budget.prior_year.operating_funds
    if prior:
        yield Finding(
            "unit.operating_funds_kind",
            WARNING,
            None,
            budget.prior_year.source.at("operating_funds"),
            f"{budget.unit.name}是{kind}，没有机关运行经费，上年机关运行经费不应填写",
            None,
            show(to_wan(prior)),
        )
    if budget.explanations.operating_funds_change:
        yield Finding(
            "unit.operating_funds_kind",
            WARNING,
            None,
            budget.explanations.source.at("operating_funds_change"),
            f"{budget.unit.name}是{kind}，没有机关运行经费，不需要机关运行经费变动原因",
        )
