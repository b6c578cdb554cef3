"""The unit's kind (单位性质) decides what it may report."""

from __future__ import annotations

from collections.abc import Iterator

from xlbudget.check.figures import amount, figure, show
from xlbudget.check.findings import ERROR, WARNING, Finding
from xlbudget.check.registry import Context, rule
from xlbudget.check.rules.cross import operating_funds_table
from xlbudget.money import to_wan


@rule("unit.operating_funds_kind", "budget")
def operating_funds_kind(ctx: Context) -> Iterator[Finding]:
    """机关运行经费 exist only for 行政单位 and 参照公务员法管理的事业单位: a 其他事业单位 (public_institution)
    prints no figure in 表11 (the 机关运行经费 table or column of its profile) and gives no 机关运行经费 for last year nor a reason for its change."""
    budget = ctx.budget
    assert budget is not None
    if budget.unit.has_operating_funds:
        return
    kind = budget.unit.kind_name
    found = operating_funds_table(ctx.tables)
    t11 = found[0] if found is not None else None
    if t11 is not None and t11.role == "operating_funds":
        columns = range(len(t11.columns))  # the whole table is 机关运行经费
    elif found is not None:
        columns = range(found[1], found[1] + 1)
    cells = [
        (r, c)
        for r in (t11.rows if t11 is not None else ())
        for c in columns
        if c < len(r.values) and r.values[c]
    ]
    if t11 is not None and cells:
        row, col = cells[0]
        yield Finding(
            "unit.operating_funds_kind",
            ERROR,
            t11.number,
            t11.locate(row, col),
            f"{budget.unit.name}是{kind}，没有机关运行经费，表{t11.number} 的机关运行经费应为空，却填了 "
            f"{amount(figure(t11, row, col))}",
            "0.00",
            show(figure(t11, row, col)),
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
