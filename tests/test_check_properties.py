"""Property: tables derived from any valid unit pass every table rule — at most rounding tails (infos).

The engine sums exact yuan, so its tables agree by construction; every difference a reader can see
after the 万元 rounding is a 尾差. A table rule that calls one an error is wrong. The same holds for the
tables written to JSON and read back as published.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import examples
from tests.helpers.tables_v1 import tables_to_dict
from xlbudget.check import RULES, check_budget, check_tables
from xlbudget.io.tables_json import tables_from_dict
from xlbudget.model import (
    FISCAL_FUNDS,
    FUNDS,
    UNIT_KINDS,
    BasicLine,
    ProjectLine,
    ThreePublic,
    Unit,
    UnitBudget,
)
from xlbudget.tables import build_tables

FUNCTIONS = ["2010101", "2010308", "2080501", "2080505", "2101101", "2210201", "2120801", "2230105"]
ECONOMICS = ["30101", "30102", "30108", "30201", "30217", "30231", "30302", "31013"]
# “三公” items as 部门经济分类 lines
THREE_PUBLIC_OF = {"30217": "公务接待费", "30231": "公务用车运行维护费", "31013": "公务用车购置费"}
TABLE_RULES = {r.id for r in RULES.values() if r.scope == "tables"}

amounts = st.integers(min_value=0, max_value=10**9).map(lambda cents: Decimal(cents) / 100)
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
    name=st.text(alphabet="项目经费结转甲乙丙丁", min_size=1, max_size=6),
    function=st.sampled_from(FUNCTIONS),
    fund=funds,
    amount=amounts,
    carryover=st.booleans(),
)


@st.composite
def units(draw: st.DrawFn) -> UnitBudget:
    basic = tuple(draw(st.lists(basic_lines, max_size=12)))
    # unique names: the tables format keys 表12/13 rows by project name
    projects = tuple(draw(st.lists(project_lines, max_size=6, unique_by=lambda p: p.name)))
    # “三公”经费 at least what the basic lines spend on them (表6 ≤ 表10), plus any extra
    three = [
        ThreePublic(THREE_PUBLIC_OF[x.economic], x.fund, x.amount)
        for x in basic
        if x.economic in THREE_PUBLIC_OF and x.fund in FISCAL_FUNDS
    ]
    three += draw(
        st.lists(
            st.builds(ThreePublic, st.sampled_from(list(THREE_PUBLIC_OF.values())), funds, amounts),
            max_size=2,
        )
    )
    kind = draw(st.sampled_from(list(UNIT_KINDS)))
    return UnitBudget(
        year=2023,
        unit=Unit("性质测试单位", kind=kind),
        basic=basic,
        projects=projects,
        three_public=tuple(three),
    )


def table_errors(findings: list) -> list:
    return [f for f in findings if f.severity == "error" and f.rule in TABLE_RULES]


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(units())
def test_derived_tables_have_no_table_errors(budget: UnitBudget) -> None:
    findings = check_budget(budget)
    assert table_errors(findings) == []
    assert [f for f in findings if f.rule == "internal"] == []
    assert all(f.severity == "info" for f in findings if f.rule == "rounding.tail")


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(units())
def test_published_tables_of_any_unit_have_no_errors(budget: UnitBudget) -> None:
    tables = tables_from_dict(tables_to_dict(build_tables(budget)))
    findings = check_tables(tables)
    assert [f for f in findings if f.severity == "error"] == []


def _golden() -> dict:
    import json

    from tests.conftest import GOLDEN_TABLES

    return json.loads(GOLDEN_TABLES.read_text("utf-8"))


GOLDEN = _golden()
figures = st.integers(min_value=0, max_value=10**7).map(lambda c: f"{Decimal(c) / 100:.2f}") | st.just("")
keys = st.sampled_from(
    ["201", "20103", "2010308", "999", "99999", "9999999", "合计", "部门合计", "一般公共服务支出", "x"]
)


@st.composite
def mutated_golden(draw: st.DrawFn) -> dict:
    import copy

    doc = copy.deepcopy(GOLDEN)
    tables = doc["tables"]
    for _ in range(draw(st.integers(1, 6))):
        number = draw(st.sampled_from(sorted(tables)))
        t = tables[number]
        op = draw(st.sampled_from(["value", "drop_row", "add_row", "drop_table", "bare", "columns", "total"]))
        section = "rows" if "rows" in t else "expenditure" if "expenditure" in t else None
        if op == "value" and section and t[section]:
            key = draw(st.sampled_from(sorted(t[section])))
            t[section][key] = draw(st.lists(figures, max_size=8))
        elif op == "drop_row" and section and t[section]:
            del t[section][draw(st.sampled_from(sorted(t[section])))]
        elif op == "add_row" and section:
            t[section][draw(keys)] = draw(st.lists(figures, max_size=8))
        elif op == "drop_table" and len(tables) > 1:
            del tables[number]
        elif op == "bare":
            tables[number] = {"title": draw(st.text(max_size=5))}
        elif op == "columns":
            t["columns"] = draw(
                st.lists(
                    st.sampled_from(["合计", "小计", "基本支出", "项目支出", "人员经费", "公用经费", "?"]),
                    max_size=5,
                )
            )
        elif op == "total" and "收入总计" in t:
            t[draw(st.sampled_from(["收入总计", "支出总计", "本年收入合计", "上年结转", "年终结转"]))] = draw(
                figures
            )
    return doc


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_golden())
def test_no_published_table_set_crashes_a_rule(doc: dict) -> None:
    findings = check_tables(tables_from_dict(doc))
    assert [f for f in findings if f.rule == "internal"] == []
