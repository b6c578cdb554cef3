"""The tables are summed in one pass over the lines (lines grouped by what the filters can tell apart);
every figure still equals its definition: the sum of the lines that pass the table's filter and the
column's filter, under that row — computed here the slow, obvious way, line by line, and compared as
text (so 12.30 and 12.3 differ: the figures are the same Decimals, exponent and all)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings

from tests.conftest import SEED_JSON, SHARED, examples
from tests.generate import generated_unit
from tests.test_tables_properties import units
from xlbudget import tables as T
from xlbudget.catalogue import load_catalogue
from xlbudget.io.unit_json import budget_from_dict, read_unit_json
from xlbudget.model import FUNDS, THREE_PUBLIC_ITEMS, BasicLine, ProjectLine, UnitBudget
from xlbudget.profiles import TableSpec, available_profiles, load_profile
from xlbudget.tables import TOTAL, Table, build_tables, selector

ZERO = Decimal(0)
Rows = list[tuple[str, str, tuple[str, ...]]]


def column_sums(records: list[Any], spec: TableSpec) -> tuple[str, ...]:
    return tuple(str(sum((r.amount for r in records if selector(f)(r)), ZERO)) for _, f in spec.columns)


def definition(spec: TableSpec, budget: UnitBudget) -> tuple[Rows, Rows, dict[str, tuple[str, ...]]]:
    """(rows, income rows, totals) of one table, each figure summed line by line from its definition."""
    cat = load_catalogue(budget.year)
    keep = selector(spec.filter)
    lines = [x for x in budget.lines if keep(x)]
    if spec.unit_kinds and budget.unit.kind not in spec.unit_kinds:
        return [], [], {}
    if spec.layout in ("function_tree", "economic_tree"):
        code = (lambda x: x.function) if spec.layout == "function_tree" else (lambda x: x.economic)
        keys = sorted({code(x)[:n] for x in lines for n in (3, 5, 7) if len(code(x)) >= n})
        rows = [(k, "", column_sums([x for x in lines if code(x).startswith(k)], spec)) for k in keys]
        total = [(TOTAL, TOTAL, column_sums(lines, spec))]
        return (rows + total if spec.printing.get("total") == "last" else total + rows), [], {}
    if spec.layout == "balance":
        income = [
            (label, label, (str(sum((x.amount for x in lines if selector(f)(x)), ZERO)),))
            for label, f in spec.income
        ]
        classes = [
            (c, name, column_sums([x for x in lines if x.function[:3] == c], spec))
            for c, name in cat.function_classes()
        ]
        this_year = sum((Decimal(v[0]) for _, _, v in income), ZERO)
        carried = sum((x.amount for x in lines if x.carryover), ZERO)
        spent = column_sums(lines, spec)
        totals = {
            "本年收入合计": (str(this_year),),
            "本年支出合计": spent,
            spec.carryover_in: (str(carried),),
            **{
                label: (str(sum((x.amount for x in lines if selector(f)(x)), ZERO)),)
                for label, f in spec.carryover_lines
            },
            "年终结转": tuple("0" for _ in spec.columns),
            "收入总计": (str(this_year + carried),),
            "支出总计": spent,
        }
        return classes, income, totals
    if spec.layout == "projects":
        return [(p.name, p.name, column_sums([p], spec)) for p in lines], [], {}
    if spec.layout == "operating_funds":
        total = column_sums(lines, spec)
        return [("部门合计", "部门合计", total), (budget.unit.name, budget.unit.name, total)], [], {}
    assert spec.layout == "three_public", spec.layout
    items = [t for t in budget.three_public if keep(t)]

    def of(*names: str) -> tuple[str, ...]:
        return column_sums([t for t in items if t.item in names], spec)

    a, b, purchase, running = THREE_PUBLIC_ITEMS
    return (
        [
            (a, a, of(a)),
            (b, b, of(b)),
            ("公务用车购置及运行费", "公务用车购置及运行费", of(purchase, running)),
            (f"①{purchase}", f"①{purchase}", of(purchase)),
            (f"②{running}", f"②{running}", of(running)),
            (TOTAL, TOTAL, of(*THREE_PUBLIC_ITEMS)),
        ],
        [],
        {},
    )


def as_built(table: Table, names: bool) -> tuple[Rows, Rows, dict[str, tuple[str, ...]]]:
    def rows(rs: tuple[T.Row, ...]) -> Rows:
        return [
            (r.key, r.label if names or r.key == TOTAL else "", tuple(str(v) for v in r.values)) for r in rs
        ]

    totals = {k: tuple(str(v) for v in vs) for k, vs in table.totals.items()}
    return rows(table.rows), rows(table.income), totals


LAYOUTS = ("balance", "function_tree", "economic_tree", "three_public", "operating_funds", "projects")


def assert_as_defined(budget: UnitBudget, profile: str) -> None:
    built = build_tables(budget, profile)
    checked = 0
    for spec in load_profile(profile).tables:
        if spec.layout not in LAYOUTS or (spec.layout == "balance" and spec.totals):
            continue  # a layout added since (a balance with the profile's own lines): its own tests define it
        names = spec.layout not in ("function_tree", "economic_tree")  # tree names come from the catalogue
        assert as_built(built[spec.number], names) == definition(spec, budget), f"{profile} 表{spec.number}"
        checked += 1
    assert checked >= 6


def seed() -> UnitBudget:
    return read_unit_json(SEED_JSON)


@pytest.mark.parametrize("profile", available_profiles())
def test_seed_tables_as_defined(profile: str) -> None:
    assert_as_defined(seed(), profile)


@pytest.mark.parametrize("profile", available_profiles())
def test_unit_funds_by_income_as_defined(profile: str) -> None:
    """The Shanghai fixture (its 单位资金 lines paid by 事业收入), under every profile: Shanghai's tables
    split 单位资金 by income."""
    budget = read_unit_json(SHARED / "fixtures" / "putuo-welfare-2024.json")
    kinds = {x.income_kind for x in budget.lines if x.fund == "unit_funds"}
    assert kinds - {""}, kinds
    assert_as_defined(budget, profile)


@pytest.mark.parametrize("size", [1, 40, 3000])
def test_generated_units_as_defined(size: int) -> None:
    assert_as_defined(budget_from_dict(generated_unit(size, max(1, size // 10), seed=size)), "shanxi-13")


@settings(max_examples=examples(120), deadline=None)
@given(units)
def test_any_unit_as_defined(budget: UnitBudget) -> None:
    assert_as_defined(budget, "shanxi-13")


def test_two_budgets_one_after_the_other() -> None:
    """The lines' grouping is remembered for the budget being built only: a second budget with other
    lines (here one amount changed) gets its own figures, and the first again its own."""
    first = seed()
    second = replace(
        first, basic=(replace(first.basic[0], amount=first.basic[0].amount + 1), *first.basic[1:])
    )
    a, b, a_again = build_tables(first), build_tables(second), build_tables(first)
    assert b[2].row(TOTAL).values[0] == a[2].row(TOTAL).values[0] + 1  # type: ignore[union-attr]
    assert a_again == a


def test_the_filters_read_only_the_grouped_fields() -> None:
    """Lines that agree on the grouped fields (basic/project, carried over, fund, 人员/公用, the 单位资金
    income) pass every filter alike, whatever else differs — what lets a table test one line of each
    group; and lines that a filter tells apart are in different groups."""
    atoms = [*T._ATOMS, *(f"fund:{f}" for f in FUNDS), "income:事业收入", "income:事业单位经营收入"]
    lines = [
        BasicLine(f, e, fund, Decimal(a), carry, income_kind=kind)
        for f, e, a in (("2010301", "30101", "5"), ("2080505", "30302", "7.25"), ("2010301", "30201", "1"))
        for fund in FUNDS
        for carry in (False, True)
        for kind in ("", "事业收入", "事业单位经营收入")
    ] + [
        ProjectLine(name, f, fund, Decimal(a), carry, target, income_kind=kind)
        for name, f, a, target in (("甲", "2010301", "5", False), ("乙", "2120801", "0", True))
        for fund in FUNDS
        for carry in (False, True)
        for kind in ("", "事业收入")
    ]
    for one in lines:
        for other in lines:
            verdicts = [selector(atom)(one) == selector(atom)(other) for atom in atoms]
            if T._signature(one) == T._signature(other):
                assert all(verdicts), (one, other)
            elif not all(verdicts):
                continue  # told apart by a filter, and grouped apart
    told_apart = {T._signature(x) for x in lines if selector("income:事业收入")(x)}
    assert told_apart and all(
        not selector("income:事业收入")(x) for x in lines if T._signature(x) not in told_apart
    )


def test_a_predicate_of_another_kind_is_tested_line_by_line() -> None:
    """A column predicate not made by ``selector`` (it may read any field) is tested on every line."""
    lines = list(seed().lines)
    by_function = [lambda r: r.function.startswith("201"), selector("all")]
    want = (
        sum((x.amount for x in lines if x.function.startswith("201")), ZERO),
        sum((x.amount for x in lines), ZERO),
    )
    assert T._sums(lines, by_function) == want
    assert want[0] != want[1]
