"""Next year from this year (xlbudget.rollover), last year's 项 in the unit JSON, and the year-on-year rules.

The seed unit (大同市信访局 2023) rolled to 2024: its 2023 figures, as the seed prints them
(../shared/golden/datong-xinfang-2023.tables.json), become the 2024 workbook's 上年:
收入总计 = 支出总计 = 一般公共预算当年拨款 = 916.53 (表1, 表5 合计), 机关运行经费 58.64 (表11),
“三公”经费 公务用车运行维护费 3.50 (表10), and 表5's six 项 2010308 780.05, 2080501 11.65,
2080505 50.00, 2101101 18.39, 2210201 51.62, 2210202 4.82.
"""

from __future__ import annotations

import copy
import csv
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.conftest import ROOT
from tests.test_check_units import b_doc, run
from xlbudget.catalogue import clear_cache, load_catalogue
from xlbudget.check import check_budget
from xlbudget.errors import InputError
from xlbudget.io.unit_json import budget_from_dict, budget_to_dict
from xlbudget.money import ZERO, fmt_wan
from xlbudget.rollover import REVIEW_MARK, roll_over, shift_years

SCHEMA = json.loads((ROOT / "xlbudget" / "schema" / "unit-budget-1.schema.json").read_text("utf-8"))


@pytest.fixture(autouse=True)
def user_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty user catalogue folder: ~/.xlbudget is never read."""
    folder = tmp_path / "user-catalogue"
    monkeypatch.setenv("XLBUDGET_CATALOGUE_DIR", str(folder))
    clear_cache()
    yield folder
    clear_cache()


@pytest.fixture
def hypothetical_2024(user_catalogue: Path) -> Path:
    """TEST DATA, not official (no 2024 removal could be confirmed, see catalogue/data/2024/SOURCES.md):
    a 2024 function export in which 2010308 信访事务 moved to 2014001, with its changes.csv."""
    folder = user_catalogue / "2024"
    folder.mkdir(parents=True)
    names = dict(load_catalogue(2024).function)
    del names["2010308"]
    names["20140"] = "信访事务"
    names["2014001"] = "信访事务"
    with (folder / "function.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "name"])
        writer.writerows(sorted(names.items()))
    (folder / "changes.csv").write_text(
        "part,code,kind,old_name,new_name,successor,source\n"
        "function,2010308,moved,信访事务,信访事务,2014001,测试数据\n",
        encoding="utf-8",
    )
    clear_cache()
    return folder


# -- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "moved", "count"),
    [
        ("2022年1月-12月", "2023年1月-12月", 1),
        ("2023年1月至2023年12月", "2024年1月至2024年12月", 2),
        ("2022-2023年度", "2023-2024年度", 2),  # both moved at once, not 2022 → 2023 → 2024
        ("2023.6 前完成", "2024.6 前完成", 1),
        ("依照2021年标准", "依照2021年标准", 0),  # neither this year nor last
        ("晋财预〔2023〕5号", "晋财预〔2023〕5号", 0),  # document numbers stay
        ("同财行[2022]36号", "同财行[2022]36号", 0),
        ("大办发（2023）12号", "大办发（2023）12号", 0),
        ("编号20230001", "编号20230001", 0),  # not a year: part of a longer number
        ("≤20.5万元", "≤20.5万元", 0),
    ],
)
def test_shift_years(text: str, moved: str, count: int) -> None:
    assert shift_years(text, 2023) == (moved, count)


# -- the seed rolled to 2024 ----------------------------------------------------------------------


@pytest.fixture
def seed_2023(seed_dict: dict[str, Any]) -> Any:
    return budget_from_dict(copy.deepcopy(seed_dict))


def test_this_years_figures_become_last_years(seed_2023: Any, golden_tables: dict[str, Any]) -> None:
    rolled = roll_over(seed_2023, 2024).budget
    p = rolled.prior_year
    g = golden_tables["tables"]
    assert rolled.year == 2024
    printed = {
        "income_total": g["1"]["收入总计"],
        "expenditure_total": g["1"]["支出总计"][0],
        "general_budget_appropriation": g["5"]["rows"]["合计"][0],
        "operating_funds": g["11"]["rows"]["部门合计"][0],
    }
    assert printed == dict.fromkeys(
        ("income_total", "expenditure_total", "general_budget_appropriation"), "916.53"
    ) | {"operating_funds": "58.64"}
    assert {k: fmt_wan(getattr(p, k)) for k in printed} == printed
    # exact yuan, summed here from the seed's own lines (every line is 一般公共预算, none carried over)
    assert p.income_total == p.expenditure_total == p.general_budget_appropriation == Decimal("9165270")
    public = [x for x in seed_2023.basic if not x.economic.startswith(("301", "303"))]
    assert p.operating_funds == sum((x.amount for x in public), ZERO) == Decimal("586360")
    assert [(t.item, t.fund, t.amount) for t in p.three_public] == [
        ("公务用车运行维护费", "general", Decimal(35010))
    ]
    assert fmt_wan(p.three_public[0].amount) == g["10"]["rows"]["②公务用车运行维护费"][0] == "3.50"
    items = {code: v[0] for code, v in g["5"]["rows"].items() if len(code) == 7}
    assert {f.function: fmt_wan(f.amount) for f in p.functions} == items
    assert len(items) == 6 and sum((f.amount for f in p.functions), ZERO) == p.general_budget_appropriation


def test_carried_over_and_other_funds_count_where_the_tables_count_them() -> None:
    """单位 B (tests/test_check_units.py), by hand: 收入总计 236.00 with 上年结转 5.00 and 政府性基金 10.00;
    一般公共预算当年拨款 191.00 + 30.00 = 221.00, by 项 2010301 100+50+20+3+30 = 203.00, 2080505 12.00,
    2101101 6.00; 机关运行经费 20.00 + 3.00 = 23.00; “三公”经费 3.00 + 1.00."""
    p = roll_over(budget_from_dict(b_doc()), 2024).budget.prior_year
    assert (p.income_total, p.expenditure_total) == (Decimal(2_360_000), Decimal(2_360_000))
    assert (p.general_budget_appropriation, p.operating_funds) == (Decimal(2_210_000), Decimal(230_000))
    assert [(f.function, f.amount) for f in p.functions] == [
        ("2010301", Decimal(2_030_000)),
        ("2080505", Decimal(120_000)),
        ("2101101", Decimal(60_000)),
    ]
    assert [(t.item, t.fund, t.amount) for t in p.three_public] == [
        ("公务接待费", "general", Decimal(10_000)),
        ("公务用车运行维护费", "general", Decimal(30_000)),
    ]


def test_the_unit_and_its_profile_are_kept() -> None:
    doc = b_doc()
    doc["unit"] |= {"kind": "public_institution", "province": "上海市", "profile": "shanghai-9"}
    budget = budget_from_dict(doc)
    rolled = roll_over(budget, 2024).budget
    assert rolled.unit == budget.unit and rolled.unit.profile == "shanghai-9"
    assert rolled.prior_year.operating_funds is None  # 其他事业单位: no 机关运行经费
    assert rolled.prior_year.income_total == Decimal(2_360_000)


def test_a_shanghai_unit_rolled_to_2025_keeps_its_province_and_its_事业收入() -> None:
    """上海市普陀区社会福利院 2024 (../shared/fixtures/putuo-welfare-2024.json): a public institution with
    单位资金 lines by income kind; its 2025 上年 收入总计 is every line, 一般公共预算当年拨款 only its general ones."""
    doc = json.loads((ROOT.parent / "shared" / "fixtures" / "putuo-welfare-2024.json").read_text("utf-8"))
    budget = budget_from_dict(doc)
    rolled = roll_over(budget, 2025).budget
    assert (
        rolled.year == 2025
        and rolled.unit.province == "上海市"
        and rolled.unit.profile == budget.unit.profile
    )
    assert rolled.lines == budget.lines  # income kinds and all
    p = rolled.prior_year
    assert p.income_total == sum((x.amount for x in budget.lines), ZERO)
    general = [x for x in budget.lines if x.fund == "general" and not x.carryover]
    assert p.general_budget_appropriation == sum((x.amount for x in general), ZERO) < p.income_total
    assert p.operating_funds is None  # 其他事业单位


def test_texts_and_forms_are_carried_with_their_dates_moved(seed_2023: Any) -> None:
    result = roll_over(seed_2023, 2024)
    rolled = result.budget
    assert rolled.unit == seed_2023.unit and rolled.overview == seed_2023.overview
    assert rolled.assets == seed_2023.assets and rolled.other_notes == seed_2023.other_notes
    assert rolled.basic == seed_2023.basic and rolled.three_public == seed_2023.three_public
    assert [(p.name, p.amount) for p in rolled.projects] == [(p.name, p.amount) for p in seed_2023.projects]
    assert rolled.explanations.total_change == ""  # last year's reasons explained last year's changes
    assert len(rolled.performance_targets) == len(seed_2023.performance_targets) == 5
    for old, new in zip(seed_2023.performance_targets, rolled.performance_targets, strict=True):
        assert new.overview == REVIEW_MARK + old.overview
        assert new.measures == old.measures  # 同财行[2019]36号 stays
        assert (new.annual_total, new.funding) == (old.annual_total, old.funding)
    first = rolled.performance_targets[0]
    timing = next(i for i in first.indicators if i.name == "工作完成时间")
    assert (timing.period_value, timing.annual_value) == ("2023年1月-12月", "2023年1月-12月")  # was 2022年
    old_years = sum(
        text.count("2022") + text.count("2023")
        for f in seed_2023.performance_targets
        for text in [f.plan, f.period_goal, f.annual_goal, f.overview]
        + [v for i in f.indicators for v in (i.name, i.period_value, i.annual_value)]
    )
    assert result.dates_moved == old_years > 0


def test_empty_clears_the_amounts_and_keeps_the_projects(seed_2023: Any) -> None:
    rolled = roll_over(seed_2023, 2024, empty=True).budget
    assert rolled.basic == () and rolled.three_public == () and rolled.procurement.total == 0
    assert [p.name for p in rolled.projects] == [p.name for p in seed_2023.projects]
    assert {p.amount for p in rolled.projects} == {ZERO}
    assert {f.annual_total for f in rolled.performance_targets} == {ZERO}
    assert rolled.prior_year == roll_over(seed_2023, 2024).budget.prior_year


def test_another_year_is_refused(seed_2023: Any) -> None:
    for year in (2023, 2025, 2022):
        with pytest.raises(InputError) as exc:
            roll_over(seed_2023, year)
        message = str(exc.value)
        assert "这是2023年的预算" in message and f"{year - 1}年的工作簿" in message, message


def test_codes_the_new_catalogue_drops_are_named_with_their_successor(
    seed_2023: Any, hypothetical_2024: Path
) -> None:
    result = roll_over(seed_2023, 2024)
    assert [(c.code, c.kind, c.successor) for c in result.code_changes] == [("2010308", "moved", "2014001")]
    assert "  2010308 信访事务 2024年起调整编码为 2014001 信访事务" in result.summary()
    # and the 2024 check names it again, at each line still using it
    findings = [f for f in check_budget(result.budget) if f.rule == "catalogue.unknown_code"]
    assert findings and all("2014001" in f.message for f in findings), findings


def test_without_changes_the_summary_says_so(seed_2023: Any) -> None:
    lines = roll_over(seed_2023, 2024).summary()
    assert "本工作簿使用的科目在2024年科目表中均未更名或撤销。" in lines
    assert lines[0].startswith("上年数（2023年预算数）：收入总计 916.53 万元，支出总计 916.53 万元，")


# -- prior_year.functions in the unit JSON --------------------------------------------------------


def test_prior_functions_round_trip_and_schema(seed_dict: dict[str, Any]) -> None:
    doc = copy.deepcopy(seed_dict)
    doc["prior_year"]["functions"] = [
        {"function": "2010308", "amount": 7000000},
        {"function": "2080505", "amount": "450000.50"},
    ]
    jsonschema.validate(doc, SCHEMA)
    b = budget_from_dict(doc)
    assert [(f.function, f.amount) for f in b.prior_year.functions] == [
        ("2010308", Decimal(7000000)),
        ("2080505", Decimal("450000.50")),
    ]
    assert str(b.prior_year.functions[1].source.at("amount")) == "prior_year.functions[1].amount"
    out = budget_to_dict(b)
    assert out["prior_year"]["functions"] == [
        {"function": "2010308", "amount": 7000000},
        {"function": "2080505", "amount": "450000.50"},
    ]
    jsonschema.validate(out, SCHEMA)
    assert "functions" not in budget_to_dict(budget_from_dict(seed_dict))["prior_year"]  # optional


def test_bad_prior_functions_are_named_with_their_path(seed_dict: dict[str, Any]) -> None:
    doc = copy.deepcopy(seed_dict)
    doc["prior_year"]["functions"] = [
        {"function": "20103", "amount": 1},
        {"function": "2010308"},
        {"function": 2010308, "amount": 5},
    ]
    with pytest.raises(InputError) as exc:
        budget_from_dict(doc)
    got = {p.location: p.message for p in exc.value.problems}
    assert "项级科目" in got["prior_year.functions[0].function"]
    assert got["prior_year.functions[1].amount"] == "缺少金额"
    assert "不能是数字" in got["prior_year.functions[2].function"]


# -- year-on-year sense (单位 B of tests/test_check_units.py) ------------------------------------------


def _rules(doc: dict[str, Any], rule: str) -> list[Any]:
    return [f for f in run(doc) if f.rule == rule]


def test_a_large_change_names_the_figure_both_values_and_the_change() -> None:
    doc = b_doc()
    doc["prior_year"]["three_public"][1]["amount"] = 4_000  # 公务接待费 0.40 → 1.00: +150.00%
    [found] = _rules(doc, "year.large_change")
    assert str(found.location) == "prior_year.three_public[1].amount"
    assert found.message.startswith("“三公”经费 公务接待费上年 0.40 万元，本年 1.00 万元，增加 150.00%")
    doc["explanations"]["three_public_change"] = "新增接待任务。"
    assert _rules(doc, "year.large_change") == []


def test_a_large_change_at_the_boundary_and_from_zero() -> None:
    doc = b_doc()
    doc["prior_year"]["operating_funds"] = 153_334  # 15.33 → 23.00: +49.9987%, printed 50.00%: not more
    assert _rules(doc, "year.large_change") == []
    doc["prior_year"]["operating_funds"] = 153_333  # +50.0003%, printed 50.00% as the change is: not more
    assert _rules(doc, "year.large_change") == []
    doc["prior_year"]["operating_funds"] = 153_000  # +50.33%
    assert [str(f.location) for f in _rules(doc, "year.large_change")] == ["prior_year.operating_funds"]
    doc = b_doc()
    doc["prior_year"]["three_public"] = [{"item": "公务用车运行维护费", "fund": "general", "amount": 30_000}]
    [found] = _rules(doc, "year.large_change")  # 公务接待费 new this year
    assert "上年 0.00 万元，本年 1.00 万元（上年为零，本年新增）" in found.message


def test_each_item_of_last_years_general_budget_is_compared() -> None:
    """单位 B's 一般公共预算当年拨款 by 项 this year: 2010301 100+50+20+3+30 = 203.00, 2080505 12.00,
    2101101 6.00 (档案数字化 is carried over, 城市绿化 is 政府性基金)."""
    doc = b_doc()
    doc["prior_year"]["functions"] = [
        {"function": "2010301", "amount": 1_950_000},  # 195.00 → 203.00: +4.10%
        {"function": "2080505", "amount": 70_000},  # 7.00 → 12.00: +71.43%
        {"function": "2101101", "amount": 60_000},  # flat
        {"function": "2240106", "amount": 10_000},  # gone this year (year.function_dropped)
    ]
    found = {str(f.location): f.message for f in _rules(doc, "year.large_change")}
    assert found == {
        "prior_year.functions[1].amount": "一般公共预算当年拨款 2080505 机关事业单位基本养老保险缴费支出"
        "上年 7.00 万元，本年 12.00 万元，增加 71.43%，变动超过 50% 却没有说明原因：请核对上年数，或填写变动原因",
    }
    # 2240106 is gone this year: not a −100% change but a 项 missing, said at its 上年数 row
    [gone] = _rules(doc, "year.function_dropped")
    assert str(gone.location) == "prior_year.functions[3].function"
    assert gone.message.startswith("2240106 上年有此项（10,000 元），本年没有：是否漏填")
    doc["explanations"]["general_budget_change"] = "养老保险缴费基数调整。"
    assert _rules(doc, "year.large_change") == []
    assert len(_rules(doc, "year.function_dropped")) == 1  # the reason given does not name 2240106
    doc["explanations"]["general_budget_change"] = "养老保险缴费基数调整；2240106 项目已完成，本年不再安排。"
    assert _rules(doc, "year.function_dropped") == []


def _year_on_year(doc: dict[str, Any], **settings: Any) -> list[tuple[str, str]]:
    found = run(doc, **settings)
    return [
        (f.rule, str(f.location)) for f in found if f.rule in ("year.large_change", "narrative.change_reason")
    ]


def test_a_change_over_half_without_a_reason_is_warned_about_once() -> None:
    """单位 B's 机关运行经费 this year: 20.00 + 3.00 = 23.00 万元. Last year 10.00: +130.00%, no reason typed — one
    warning, year.large_change's at last year's figure (check it, or give the reason); narrative.change_reason,
    which owes a reason above 10%, leaves it to that rule. Last year 18.00: +27.78%, over 10% and not over 50%:
    narrative.change_reason's alone, at the reason's cell."""
    doc = b_doc()
    doc["prior_year"]["operating_funds"] = 100_000
    assert _year_on_year(doc) == [("year.large_change", "prior_year.operating_funds")]
    # with year.large_change switched off, the reason is still owed
    skipped = _year_on_year(doc, skip=frozenset({"year.large_change"}))
    assert skipped == [("narrative.change_reason", "explanations.operating_funds_change")]
    doc["prior_year"]["operating_funds"] = 180_000
    assert _year_on_year(doc) == [("narrative.change_reason", "explanations.operating_funds_change")]
    doc["explanations"]["operating_funds_change"] = "新增办公用房物业费。"
    assert _year_on_year(doc) == []
    # the totals: 收入/支出总计 and 一般公共预算当年拨款 last year 100.00 → 236.00 and 221.00, +136% and +121%:
    # a warning at each of last year's three figures, none of narrative.change_reason's
    doc = b_doc()
    for field in ("income_total", "expenditure_total", "general_budget_appropriation"):
        doc["prior_year"][field] = 1_000_000
    assert _year_on_year(doc) == [
        ("year.large_change", "prior_year.income_total"),
        ("year.large_change", "prior_year.expenditure_total"),
        ("year.large_change", "prior_year.general_budget_appropriation"),
    ]


@pytest.mark.parametrize(
    ("prior", "reason", "flagged"),
    [
        (2_000_000, "压减一般性支出，经费减少。", True),  # 收入总计 200.00 → 236.00 (增加), only 减少 words
        (3_000_000, "人员增加，经费增加。", True),  # 300.00 → 236.00 (减少), explained by 增加
        (3_000_000, "压减一般性支出。", False),  # 减少, explained by 压减
        (3_000_000, "人员减少，但工资标准提高。", False),  # both directions named: not judged
        (3_000_000, "经费不增加，人员调出。", False),  # a negated word does not count
        (2_360_000, "经费增加。", False),  # 持平: no change to contradict
    ],
)
def test_a_reason_that_contradicts_its_change(prior: int, reason: str, flagged: bool) -> None:
    doc = b_doc()
    doc["prior_year"]["income_total"] = doc["prior_year"]["expenditure_total"] = prior
    doc["explanations"]["total_change"] = reason
    found = _rules(doc, "year.reason_direction")
    assert [str(f.location) for f in found] == (["explanations.total_change"] if flagged else [])
    if prior == 3_000_000 and flagged:
        assert found[0].message.startswith(
            "预算收入总计比上年减少（上年 300.00 万元，本年 236.00 万元，减少 21.33%），变动原因却说“增加”"
        )


def test_review_marks_are_errors_until_removed(seed_2023: Any) -> None:
    rolled = roll_over(seed_2023, 2024).budget
    marks = [f for f in check_budget(rolled) if f.rule == "year.review_mark"]
    assert [str(f.location) for f in marks] == [f"performance_targets[{i}].overview" for i in range(5)]
    assert {f.severity for f in marks} == {
        "error"
    }  # the mark would be published: no report while one is left
    assert marks[0].message.startswith(
        "绩效目标申报表“Z维稳工作经费-1”由上年工作簿沿用（日期已顺延一年），尚未复核：复核无误后删除“【待复核】”"
    )
    assert check_budget(seed_2023) == [f for f in check_budget(seed_2023) if f.rule != "year.review_mark"]
