"""Property tests: for any valid unit, the tables add up, in exact yuan."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import examples
from xlbudget.model import FISCAL_FUNDS, FUNDS, BasicLine, ProjectLine, Unit, UnitBudget
from xlbudget.tables import TOTAL, TableSet, build_tables

FUNCTIONS = [
    "2010101",
    "2010102",
    "2010308",
    "2080501",
    "2080505",
    "2101101",
    "2210201",
    "2120801",
    "2230105",
]
ECONOMICS = ["30101", "30102", "30108", "30201", "30231", "30302", "31002"]
amounts = st.integers(min_value=0, max_value=10**10).map(lambda cents: Decimal(cents) / 100)
funds = st.sampled_from(list(FUNDS))

basic_lines = st.builds(
    BasicLine,
    function=st.sampled_from(FUNCTIONS),
    economic=st.sampled_from(ECONOMICS),
    fund=funds,
    amount=amounts,
    carryover=st.booleans(),
)
project_lines = st.builds(
    ProjectLine,
    name=st.text(alphabet="项目经费甲乙丙丁0123456789", min_size=1, max_size=8),
    function=st.sampled_from(FUNCTIONS),
    fund=funds,
    amount=amounts,
    carryover=st.booleans(),
)
units = st.builds(
    UnitBudget,
    year=st.just(2023),
    unit=st.builds(
        Unit, name=st.just("随机单位"), kind=st.sampled_from(["administrative", "public_institution"])
    ),
    basic=st.lists(basic_lines, max_size=25).map(tuple),
    projects=st.lists(project_lines, max_size=10).map(tuple),
)


def total(ts: TableSet, n: int, column: int = 0) -> Decimal:
    row = ts[n].row(TOTAL)
    return row.values[column] if row else Decimal(0)


def check_tree(ts: TableSet, n: int) -> None:
    """合计 = Σ类, 类 = Σ款, 款 = Σ项 — column by column."""
    rows = ts[n].rows
    by_key = {r.key: r for r in rows}
    for column in range(len(ts[n].columns)):
        classes = [r for r in rows if r.level == 1]
        assert by_key[TOTAL].values[column] == sum((r.values[column] for r in classes), Decimal(0))
        deepest = max(r.level for r in rows)
        for parent in (r for r in rows if 1 <= r.level < deepest):
            children = [r for r in rows if r.level == parent.level + 1 and r.key.startswith(parent.key)]
            assert children, f"{parent.key} has no rows under it"
            assert parent.values[column] == sum((c.values[column] for c in children), Decimal(0))


@settings(max_examples=examples(150), deadline=None)
@given(units)
def test_tables_agree_in_exact_yuan(b: UnitBudget) -> None:
    ts = build_tables(b)
    everything = sum((x.amount for x in b.lines), Decimal(0))
    this_year = [x for x in b.lines if not x.carryover]
    general_this_year = [x for x in this_year if x.fund == "general"]

    # 表1: 收入总计 = 支出总计 = every line
    t1 = ts[1]
    assert t1.totals["收入总计"][0] == t1.totals["支出总计"][0] == everything
    assert sum((r.values[0] for r in t1.income), Decimal(0)) == t1.totals["本年收入合计"][0]
    assert sum((r.values[0] for r in t1.rows), Decimal(0)) == everything
    # 表2 = 表3 = 表1 totals; 表2's fund columns add up to its 合计
    assert total(ts, 2) == total(ts, 3) == everything
    assert sum(ts[2].row(TOTAL).values[1:]) == everything
    # 表3 = 表5 + everything that is not general this-year money
    assert total(ts, 3) == total(ts, 5) + sum(
        (x.amount for x in b.lines if x not in general_this_year), Decimal(0)
    )
    # 表3 基本 + 项目 = 合计, and 项目 = 表12 + 表13
    assert total(ts, 3, 1) + total(ts, 3, 2) == total(ts, 3)
    assert total(ts, 3, 2) == sum((r.values[0] for r in ts[12].rows), Decimal(0)) + sum(
        (r.values[0] for r in ts[13].rows), Decimal(0)
    )
    # 表4: 财政拨款 only, its fund columns add up
    fiscal = sum((x.amount for x in b.lines if x.fund in FISCAL_FUNDS), Decimal(0))
    assert ts[4].totals["收入总计"][0] == fiscal == ts[4].totals["支出总计"][0]
    assert sum(ts[4].totals["支出总计"][1:]) == fiscal
    # 表5 基本支出 = 表6 合计 = 人员经费 + 公用经费
    assert total(ts, 5, 1) == total(ts, 6) == total(ts, 6, 1) + total(ts, 6, 2)
    # 表11 (administrative only) general column = 表6 公用经费
    if b.unit.kind == "administrative":
        assert ts[11].rows[0].values[1] == total(ts, 6, 2)
    else:
        assert ts[11].empty
    # trees add up
    for n in (2, 3, 5, 6, 8, 9):
        check_tree(ts, n)
    # empty is exactly "nothing in it"
    for t in ts.tables:
        assert t.empty == all(v == 0 for r in t.rows + t.income for v in r.values) or t.layout == "balance"
