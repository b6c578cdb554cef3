"""Last year's figures against this year's input: the numbers a new user gets silently wrong.

单位 B (tests/test_check_units.py, 2023): 一般公共预算当年拨款 by 项 this year 2010301 2,030,000 (100+50+20+3 万元
basic, 30 万元 办公设备购置; 档案数字化 is carried over), 2080505 120,000, 2101101 60,000 — 2,210,000 together;
上年一般公共预算当年拨款 2,100,000 (210.00 万元).  Each expected figure below is worked out from these by hand.
"""

from __future__ import annotations

from typing import Any

from tests.conftest import SEED_JSON, SHARED
from tests.helpers.shanghai import putuo
from tests.helpers.wanli import unit_docs
from tests.test_check_units import b_doc
from xlbudget.check import check_budget
from xlbudget.check.findings import Finding
from xlbudget.io.unit_json import budget_from_dict, read_unit_json
from xlbudget.model import UnitBudget

PUTUO_JSON = SHARED / "fixtures" / "putuo-welfare-2024.json"
NEW_RULES = ("lines.looks_like_wan", "year.function_dropped", "year.prior_functions_total")


def _found(budget: UnitBudget | dict[str, Any], rule: str) -> list[Finding]:
    b = budget_from_dict(budget) if isinstance(budget, dict) else budget
    return [f for f in check_budget(b) if f.rule == rule]


def _functions(*pairs: tuple[str, int]) -> list[dict[str, Any]]:
    return [{"function": code, "amount": amount} for code, amount in pairs]


# -- 上年数 against 上年一般公共预算当年拨款 -------------------------------------------------------------


def test_last_years_items_short_of_last_years_total_is_an_error_where_the_row_is_missing() -> None:
    """170.00 + 12.00 + 6.00 = 188.00 万元 of 210.00: 220,000 元 short (10.5% — a 项 left out)."""
    doc = b_doc()
    doc["prior_year"]["functions"] = _functions(
        ("2010301", 1_700_000), ("2080505", 120_000), ("2101101", 60_000)
    )
    [f] = _found(doc, "year.prior_functions_total")
    assert f.severity == "error"
    assert str(f.location) == "prior_year.functions[3]"  # where the missing 项 goes
    assert [str(a) for a in f.against] == ["prior_year.general_budget_appropriation"]
    assert f.message.startswith(
        "上年数各项合计 1,880,000 元，与上年一般公共预算当年拨款 2,100,000 元（prior_year.general_budget_appropriation）"
        "少 220,000 元：两处是同一笔上年资金，应相等。请补上漏填的项"
    )
    assert (f.expected, f.actual) == ("2,100,000 元", "1,880,000 元")


def test_items_over_the_total_point_at_the_sheet() -> None:
    doc = b_doc()
    doc["prior_year"]["functions"] = _functions(("2010301", 2_100_000), ("2080505", 120_000))
    [f] = _found(doc, "year.prior_functions_total")
    assert (f.severity, str(f.location)) == ("error", "prior_year.functions")
    assert "多 120,000 元" in f.message and "请核对各项金额" in f.message


def test_items_that_add_up_or_differ_by_rounding_only_are_not_reported() -> None:
    """191.00 + 19.00 万元 = 210.00: equal.  Against an exact 2,100,049 元 the two 0.01万元 figures may be off by
    50 元 each (100): 49 is rounding; 2,100,101 is 101 元 off, beyond it, but under 1%: an info (执行数)."""
    doc = b_doc()
    doc["prior_year"]["functions"] = _functions(("2010301", 1_910_000), ("2010302", 190_000))
    assert _found(doc, "year.prior_functions_total") == []
    doc["prior_year"]["general_budget_appropriation"] = 2_100_049
    assert _found(doc, "year.prior_functions_total") == []
    doc["prior_year"]["general_budget_appropriation"] = 2_100_101
    [f] = _found(doc, "year.prior_functions_total")
    assert f.severity == "info" and "少 101 元（不到1%）" in f.message


def test_the_fuliyuans_execution_figures_are_not_an_error() -> None:
    """The 福利院's 2024 report compares its 项 with 2023's 执行数 (tests/helpers/shanghai.py, in yuan: 546,040 +
    707,000 + 353,500 + 7,113,400 + 441,700 + 337,400 = 9,499,040) against 2023's budget 9,496,564: 2,476 元
    over, 0.03% — real, and no reason to refuse the report."""
    [f] = _found(putuo(), "year.prior_functions_total")
    assert f.severity == "info"
    assert f.message.startswith("上年数各项合计 9,499,040 元，与上年一般公共预算当年拨款 9,496,564 元")
    assert "多 2,476 元（不到1%）" in f.message


# -- a 项 gone ------------------------------------------------------------------------------------


def test_a_item_of_last_year_without_a_line_this_year_is_a_warning_at_its_row() -> None:
    doc = b_doc()
    doc["prior_year"]["functions"] = _functions(("2010301", 1_910_000), ("2010302", 190_000))
    [f] = _found(doc, "year.function_dropped")
    assert (f.severity, str(f.location)) == ("warning", "prior_year.functions[1].function")
    assert f.message.startswith("2010302 上年有此项（190,000 元），本年没有：是否漏填")
    # not the −100% of year.large_change as well: one finding for one thing
    assert [x for x in _found(doc, "year.large_change") if "2010302" in x.message] == []


def test_a_item_gone_that_the_unit_explains_is_not_reported() -> None:
    doc = b_doc()
    doc["prior_year"]["functions"] = _functions(("2010301", 1_910_000), ("2010302", 190_000))
    doc["function_notes"] = [{"function": "2010302", "purpose": "", "reason": "该项工作已移交，本年不再安排"}]
    assert _found(doc, "year.function_dropped") == []
    doc = b_doc()
    doc["prior_year"]["functions"] = _functions(("2010301", 1_910_000), ("2010302", 190_000))
    doc["explanations"]["general_budget_change"] = "一般行政管理事务本年不再安排。"  # 2010302's name
    assert _found(doc, "year.function_dropped") == []


# -- an amount typed in 万元 -----------------------------------------------------------------------


def test_a_line_under_100_yuan_looks_typed_in_wan() -> None:
    doc = b_doc()
    doc["basic"][5]["amount"] = 6  # 2101101's 60,000 元 typed as 6 (万元)
    [f] = _found(doc, "lines.looks_like_wan")
    assert (f.severity, str(f.location)) == ("warning", "basic[5].amount")
    assert f.message == ("金额 6 元像是按万元填写的（6 万元 = 60,000 元）：金额以元为单位，是否应为 60,000")


def test_a_item_a_ten_thousandth_of_last_year_looks_typed_in_wan() -> None:
    """2080505 last year 1,200,000 元; this year its one line typed 120: 120 / 1,200,000 = 1/10,000."""
    doc = b_doc()
    doc["prior_year"]["functions"] = _functions(("2010301", 900_000), ("2080505", 1_200_000))
    doc["basic"][4]["amount"] = 120
    [f] = _found(doc, "lines.looks_like_wan")
    assert str(f.location) == "basic[4].amount"
    assert f.message == (
        "金额 120 元像是按万元填写的（120 万元 = 1,200,000 元）；2080505 上年为 1,200,000 元，本年只有 120 元："
        "金额以元为单位，是否应为 1,200,000"
    )
    doc["basic"][4]["amount"] = 12_000  # a hundredth of last year: a real cut, not 万元
    assert _found(doc, "lines.looks_like_wan") == []


def test_no_new_finding_on_the_seed_or_the_real_units() -> None:
    """The seed, the 福利院 (as the fixture has it and with its report's 执行数 by 项) and the 万里 department's
    real units: nothing typed in 万元, no 项 gone, no 上年数 out of line (the 福利院's 执行数: an info)."""
    budgets = [read_unit_json(SEED_JSON), read_unit_json(PUTUO_JSON), putuo()]
    budgets += [budget_from_dict(d) for d in unit_docs().values()]
    for b in budgets:
        found = [f for f in check_budget(b) if f.rule in NEW_RULES and f.severity != "info"]
        assert found == [], b.unit.name


# -- last year's year in the workbook's texts ----------------------------------------------------


def _years(doc: dict[str, Any]) -> dict[str, str]:
    return {str(f.location): f.message for f in _found(doc, "narrative.year_mentions")}


def test_last_year_as_the_year_of_this_budgets_work_is_found_in_every_text() -> None:
    """单位 B is 2023's: 2022 only where the text compares with it (比2022年, 截至2022年12月31日)."""
    doc = b_doc()
    doc["other_notes"]["purchase_service_catalog"] = "2022年暂无政府购买服务项目。"
    doc["explanations"]["total_change"] = "比2022年预算增加，主要原因是2022年人员增加。"
    doc["assets"]["as_of"] = "2021年12月31日"
    doc["function_notes"] = [{"function": "2010301", "purpose": "2022年起承担的日常运转", "reason": ""}]
    assert _years(doc) == {
        "other_notes.purchase_service_catalog": "文字中出现2022年（预算年度2023年；上年只应在与上年比较时出现），"
        "是否沿用了旧年度的说明：2022年暂无政府购买服务项目。",
        "explanations.total_change": "文字中出现2022年（预算年度2023年；上年只应在与上年比较时出现），"
        # the second 2022 is at 16: the excerpt from 12 before it, character 4
        "是否沿用了旧年度的说明：…2年预算增加，主要原因是2022年人员增加。",
        "assets.as_of": "文字中出现2021年（预算年度2023年；其他年度只应在与上年比较时出现），"
        "是否沿用了旧年度的说明：2021年12月31日",
        "function_notes[0].purpose": "文字中出现2022年（预算年度2023年；上年只应在与上年比较时出现），"
        "是否沿用了旧年度的说明：2022年起承担的日常运转",
    }
    doc["other_notes"]["purchase_service_catalog"] = "2023年暂无政府购买服务项目。"
    doc["explanations"]["total_change"] = "比2022年预算增加，主要原因是人员增加。"
    doc["assets"]["as_of"] = "2022年12月31日"
    doc["function_notes"] = []
    assert _years(doc) == {}
