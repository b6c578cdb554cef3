"""Text against tables, sentence by sentence: each rule on a sentence typed here, right and wrong.

The tables are the seed unit's (大同市信访局 2023, derived from ../shared/fixtures/datong-xinfang-2023.json)
and, for the 财政拨款支出主要内容 list, the 福利院's as printed (tests/data/real). Figures worked out by hand:
基本支出 5,235,170元 = 523.52万元 of 支出总计 9,165,270元 = 916.53万元 → 57.12%; 公用经费 586,360元 = 58.64万元
(cut off: 58.63); 机关运行经费 58.64 vs 57.00 last year: +1.64万元, 1.64/57.00 = 2.877% → 2.88% on the
printed figures, 16,360/570,000 = 2.870% → 2.87% on the yuan — both are right.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xlbudget.check import check_text, findings_to_json, format_text
from xlbudget.check.findings import CheckSettings, Finding
from xlbudget.document.model import Paragraph
from xlbudget.io.tables_json import tables_from_dict
from xlbudget.io.unit_json import read_unit_json
from xlbudget.location import Location
from xlbudget.tables import TableSet, build_tables

SHARED = Path(__file__).resolve().parents[2] / "shared"
REAL_TABLES = Path(__file__).parent / "data" / "real"


@pytest.fixture(scope="module")
def seed_tables() -> TableSet:
    return build_tables(read_unit_json(SHARED / "fixtures" / "datong-xinfang-2023.json"))


@pytest.fixture(scope="module")
def fuliyuan_tables() -> TableSet:
    path = REAL_TABLES / "shanghai-putuo-fuliyuan-2024-unit-budget.tables.json"
    return tables_from_dict(json.loads(path.read_text("utf-8")))


def paras(*texts: str, page: int | None = None) -> list[Paragraph]:
    return [Paragraph(t, page, i) for i, t in enumerate(texts, 1)]


def check(
    tables: TableSet, *texts: str, level: str | None = "市级", year: int | None = None
) -> list[Finding]:
    return check_text(paras(*texts), tables, year=year or tables.year, unit_level=level)


def rules(found: list[Finding]) -> list[str]:
    return [f.rule for f in found]


RIGHT_SEED = (
    "2023年度预算收入总计916.53万元，其中：本年收入916.53万元，上年结转0.00万元，比上年增加104.50万元，增加12.87%，"
    "主要原因是人员经费增加。",
    "2023年度预算收入916.53万元，主要包括一般公共预算拨款收入916.53万元，占100.00%；政府性基金预算拨款收入0.00万元，占0.00%。",
    "2023年度支出预算916.53万元，其中：基本支出523.52万元，占57.12%；项目支出393.01万元，占42.88%。",
    "2023年度财政拨款收支总预算916.53万元。支出包括：一般公共服务支出780.05万元、社会保障和就业支出61.65万元、"
    "卫生健康支出18.39万元、住房保障支出56.44万元。",
    "2023年度一般公共预算当年拨款916.53万元，主要用于以下方面：一般公共服务支出780.05万元，占85.11%；"
    "社会保障和就业支出61.65万元，占6.73%；卫生健康支出18.39万元，占2.01%；住房保障支出56.44万元，占6.16%。",
    "人员经费464.88万元，主要包括：基本工资、津贴补贴、奖金、机关事业单位基本养老保险缴费、职工基本医疗保险缴费、"
    "其他社会保障缴费、住房公积金、退休费、奖励金；",
    "2023年财政拨款安排的“三公”经费预算3.50万元与2022年预算数相同。其中：因公出国（境）费0.00万元与上年预算数相同；"
    "公务用车运行维护费3.50万元与上年预算数相同。",
    "2023年，大同市信访局机关运行经费财政拨款预算58.64万元，上年57.00万元，比上年增加1.64万元，增加2.87%。",
    "2023年大同市信访局政府采购预算总额22.00万元。其中：政府采购货物预算10.00万元、政府采购工程预算0.00万元、政府采购服务预算12.00万元。",
    "2023年大同市信访局实行绩效目标管理的项目12个，涉及一般公共预算当年拨款393.01万元。",
    "依据同财行〔2019〕36号《市直机关差旅费管理办法》。预算公开表9",
)


def test_the_seeds_figures_stated_right_draw_nothing(seed_tables: TableSet) -> None:
    assert check(seed_tables, *RIGHT_SEED) == []


def test_both_roundings_of_a_change_are_right_and_another_is_not(seed_tables: TableSet) -> None:
    lead = "机关运行经费财政拨款预算58.64万元，上年57.00万元，比上年增加1.64万元，增加"
    assert check(seed_tables, lead + "2.88%。") == []
    assert check(seed_tables, lead + "2.87%。") == []
    [f] = check(seed_tables, lead + "2.97%。")
    assert (f.rule, f.expected, f.actual) == ("text.change", "2.88%", "2.97%")
    # 2.9% at one decimal: the printed 万元 leave the second undetermined — 本年 58.635…58.645 less 上年
    # 56.995…57.005 with the 增减额 1.635…1.645 is 1.635/57.005 = 2.868% … 1.645/56.995 = 2.886%: 2.87, 2.88 or
    # 2.89 (the seed's yuan, 16,360/570,000, give 2.87%; 1.64/57 gives 2.88%) — all three are named, none asserted
    [f] = check(seed_tables, lead + "2.9%。", lead + "2.88%。")
    assert (f.rule, f.severity, f.expected, f.actual) == (
        "text.percent_precision",
        "warning",
        "2.87%、2.88% 或 2.89%",
        "2.9%",
    )
    assert "按印出的万元数推算，末位定不下来" in f.message and "应为 2.88%" not in f.message


def test_a_change_is_computed_from_the_tables_figure_where_the_text_misprints_it(
    seed_tables: TableSet,
) -> None:
    """机关运行经费 printed 58.46 for 表11's 58.64: 58.46 − 57.00 is not the 1.64 printed, but 58.64 − 57.00 is, and
    1.64 / 57.00 = 2.88%: the amount is the one error."""
    found = check(
        seed_tables, "机关运行经费财政拨款预算58.46万元，上年57.00万元，比上年增加1.64万元，增加2.88%。"
    )
    assert [(f.rule, f.expected, f.actual) for f in found] == [("text.amount", "58.64万元", "58.46万元")]


def test_a_change_checked_beside_the_workbook_is_computed_on_its_yuan(seed_tables: TableSet) -> None:
    """With the unit's data (a report checked beside its workbook) 机关运行经费 is 586,360 元 against last
    year's 570,000 元 typed in yuan: 16,360 / 570,000 = 2.870%, so 2.87% — one value, not three."""
    budget = read_unit_json(SHARED / "fixtures" / "datong-xinfang-2023.json")
    assert budget.prior_year.operating_funds == 570000
    lead = "机关运行经费财政拨款预算58.64万元，上年57.00万元，比上年增加1.64万元，增加"
    found = check_text(
        paras(lead + "2.9%。", lead + "2.88%。"), seed_tables, year=2023, unit_level="市级", budget=budget
    )
    [f] = found
    assert (f.rule, f.expected, f.actual) == ("text.percent_precision", "2.87%", "2.9%")
    assert "（按元计算）" in f.message


def test_a_change_percentage_off_by_a_hundredth_is_found_beside_the_workbook(seed_tables: TableSet) -> None:
    """58.64 against 上年57.00 with 增加1.64万元: from the print alone the change lies in 1.63 … 1.65 (the 增减额
    may be the printed figures' difference, as xlbudget prints it) over 56.995 … 57.005, so 2.8594% …
    2.8950%: 2.86 … 2.89 may each be right, 2.85 and 2.90 not. Beside the workbook the yuan are known,
    16,360 / 570,000 = 2.870%: 2.87% (or the print's own 1.64 / 57.00 = 2.877% → 2.88%), and 2.86% or
    2.89% is off by a hundredth."""
    lead = "机关运行经费财政拨款预算58.64万元，上年57.00万元，比上年增加1.64万元，增加"
    for pct in ("2.86%。", "2.89%。"):
        assert check(seed_tables, lead + pct) == []
    [f] = check(seed_tables, lead + "2.90%。")
    assert (f.rule, f.expected, f.actual) == ("text.change", "2.88%", "2.90%")
    budget = read_unit_json(SHARED / "fixtures" / "datong-xinfang-2023.json")

    def beside(pct: str) -> list[tuple[str, str | None, str | None]]:
        found = check_text(paras(lead + pct), seed_tables, year=2023, unit_level="市级", budget=budget)
        return [(f.rule, f.expected, f.actual) for f in found]

    assert beside("2.87%。") == [] and beside("2.88%。") == []
    assert beside("2.89%。") == [("text.change", "2.87%", "2.89%")]
    assert beside("2.86%。") == [("text.change", "2.87%", "2.86%")]


def test_a_figure_that_disagrees_with_its_table_is_an_error_at_its_paragraph(seed_tables: TableSet) -> None:
    found = check(
        seed_tables,
        "引言。",
        "2023年度支出预算916.53万元，其中：基本支出532.52万元，占57.12%；项目支出393.01万元，占42.88%。",
    )
    amount = [f for f in found if f.rule == "text.amount"]
    assert [(str(f.location), f.expected, f.actual, f.table) for f in amount] == [
        ("第2段", "523.52万元", "532.52万元", 3)
    ]
    assert amount[0].quote.startswith("2023年度支出预算916.53万元") and amount[0].page is None


def test_ten_times_too_large_and_cut_off_instead_of_rounded(seed_tables: TableSet) -> None:
    [f] = check(seed_tables, "其中：基本支出5235.20万元。")
    assert f.rule == "text.amount" and "大了十倍" in f.message
    [f] = check(seed_tables, "公用经费58.63万元。")  # 586,360元 → 58.636 → 58.64
    assert (f.rule, f.expected, f.actual) == ("text.truncated", "58.64万元", "58.63万元")


def test_a_share_is_the_amount_over_the_paragraphs_lead_total(seed_tables: TableSet) -> None:
    [f] = check(seed_tables, "2023年度支出预算916.53万元，其中：基本支出523.52万元，占57.21%。")
    assert (f.rule, f.expected, f.actual) == ("text.share", "57.12%", "57.21%")


def test_the_word_of_a_change_follows_the_figures(seed_tables: TableSet) -> None:
    [f] = check(seed_tables, "机关运行经费58.64万元，上年57.00万元，比上年减少1.64万元，减少2.88%。")
    assert (f.rule, f.expected, f.actual) == ("text.change_direction", "增加", "减少")
    [f] = check(
        seed_tables,
        "2023年当年预算执行数为0.00万元，2024年预算安排25.00万元，比2023年预算执行数增加100.00%。",
        year=2024,
    )
    assert f.rule == "text.change_direction" and f.expected == "新增25.00万元"
    right = "2023年当年预算执行数为0.00万元，2024年预算安排25.00万元，比2023年预算执行数新增25.00万元。"
    assert check(seed_tables, right, year=2024) == []
    flat = "2023年当年预算执行数为10.00万元，2024年预算安排10.00万元，比2023年预算执行数增加0.00%。"
    assert rules(check(seed_tables, flat, year=2024)) == ["text.change_direction"]


def test_the_change_in_yuan_is_this_year_less_last_year(seed_tables: TableSet) -> None:
    [f] = check(seed_tables, "机关运行经费58.64万元，上年57.00万元，比上年增加1.46万元。")
    assert (f.rule, f.expected, f.actual) == ("text.change", "1.64万元", "1.46万元")
    [f] = check(seed_tables, "机关运行经费58.64万元，上年57.00万元，与上年持平。")
    assert (f.rule, f.expected, f.actual) == ("text.change_direction", "增加", "持平")


def test_percentage_over_this_years_figure_is_named(seed_tables: TableSet) -> None:
    [f] = check(seed_tables, "机关运行经费58.64万元，上年57.00万元，比上年增加1.64万元，增加2.80%。")
    assert f.rule == "text.change" and "按本年数而非上年数计算" in f.message  # 1.64/58.64 = 2.80%


def test_empty_and_contradicting_reasons(seed_tables: TableSet) -> None:
    [f] = check(seed_tables, "公务用车购置及运行费3.50万元，与2022年预算持平，主要原因是。")
    assert f.rule == "text.reason_empty" and f.quote.endswith("主要原因是。")
    text = "2022年当年预算执行数为114.00万元，2023年预算安排110.60万元，比2022年预算执行数减少2.98%。主要原因是：宣传经费增加。"
    [f] = check(seed_tables, text)
    assert (f.rule, f.actual) == ("text.reason_direction", "宣传经费增加")
    assert check(seed_tables, text.replace("经费增加", "经费减少")) == []


def test_years_other_than_the_budget_year_or_a_comparison_with_last_year(seed_tables: TableSet) -> None:
    assert (
        check(seed_tables, "比2022年增加。与2022年预算数相同。截至2022年12月31日。根据沪府规【2016】168号。")
        == []
    )
    found = check(
        seed_tables,
        "2022年，大同市信访局本级当年申报预算的项目全部实行绩效目标管理。",
        "工作完成时间2021年1月-12月",
    )
    assert [(f.rule, f.actual, str(f.location)) for f in found] == [
        ("text.year", "2022年", "第1段"),
        ("text.year", "2021年", "第2段"),
    ]


def test_level_words_fit_the_units_level(seed_tables: TableSet) -> None:
    text = "“三公”经费：指省直部门用财政拨款安排的因公出国（境）费用。"
    [f] = check(seed_tables, text, level="市级")
    assert (f.rule, f.expected, f.actual) == ("text.level_wording", "市直", "省直部门")
    assert check(seed_tables, text, level="省级") == []
    assert check(seed_tables, text, level=None) == []
    district = "是与市级财政有经费领拨关系的部门使用市级财政拨款安排的。依照《市直机关差旅费管理办法》。省级财政资金0"
    [f] = check(seed_tables, district, level="县级")
    assert f.actual == "市级财政" and f.expected == "县级或区级"


def test_a_district_is_district_level() -> None:
    """上海市普陀区…: a 区 unit is 区级 (its 名词解释 must say 区级预算主管部门, 区级财政拨款), a 县 unit 县级."""
    from xlbudget.document.checking import level_of

    assert level_of("上海市普陀区人民政府万里街道办事处") == "区级"
    assert level_of("上海市普陀区社会福利院") == "区级"
    assert level_of("大同市阳高县财政局") == "县级"
    assert level_of("上海市财政局") == "市级"
    assert level_of("山西省财政厅") == "省级"


def test_a_district_units_level_words_are_its_own(seed_tables: TableSet) -> None:
    """A 区级 unit is told 区级 (万里 2024 名词解释: 市级预算主管部门), and its 区直/区级 words are right."""
    [f] = check(seed_tables, "（一）财政拨款收入：是市级预算主管部门及所属预算单位本年度…", level="区级")
    assert (f.rule, f.actual, f.expected) == ("text.level_wording", "市级预算主管部门", "区级")
    assert "本单位是区级单位" in f.message and "县级" not in f.message
    assert (
        check(seed_tables, "是区级预算主管部门及所属预算单位；使用区级财政拨款安排的。", level="区级") == []
    )


def test_a_retired_name_is_found_where_it_names_a_subject_not_a_field_of_work(seed_tables: TableSet) -> None:
    """万里 2024 主要职能: “落实人力资源、社会保障、民政、教育、卫生和计划生育等领域相关政策” names fields of
    work, not a 科目 (no error); the 款 卫生和计划生育管理事务 (now 卫生健康管理事务) and a class name are 科目."""
    duties = "三、组织公共服务。落实人力资源、社会保障、民政、教育、卫生和计划生育等领域相关政策。"
    assert check(seed_tables, duties) == []
    [f] = check(seed_tables, "“卫生健康支出（类）卫生和计划生育管理事务（款）行政运行（项）”10.00万元")
    assert (f.rule, f.actual, f.expected) == ("text.outdated_name", "卫生和计划生育", "卫生健康")


def test_a_change_is_not_wrong_for_an_amount_misprinted_before_it(fuliyuan_tables: TableSet) -> None:
    """万里 2024 第31条 (known defect E6): “…住房公积金（项）”350.35万元 … 2023年当年预算执行数为348.52万元，
    2024年预算安排352.67万元，比2023年预算执行数增加0.53%” — 352.67 is the misprint (表5 prints 350.35), and
    0.53% is (350.35 − 348.52) / 348.52 = 0.525%: only the amount is an error. Here on the 福利院's 住房公积金
    (表5 2210201 335,816元 = 33.58万元) against a 上年 of 33.00: 0.58 / 33.00 = 1.76%."""
    item = (
        "6.“住房保障支出（类）住房改革支出（款）住房公积金（项）”33.58万元，主要用于在职人员公积金缴费。"
        "2023年当年预算执行数为33.00万元，2024年预算安排{plan}万元，比2023年预算执行数{word}{pct}%。"
    )

    def change_rules(plan: str, word: str, pct: str) -> list[Finding]:
        found = check(fuliyuan_tables, LIST_HEAD, item.format(plan=plan, word=word, pct=pct), level="区级")
        return [f for f in found if f.rule not in ("text.list_items", "text.list_sum")]

    assert change_rules("33.58", "增加", "1.76") == []
    # 34.00 printed for 33.58: the amount is the one error, the 1.76% (right for 33.58) is not another
    [f] = change_rules("34.00", "增加", "1.76")
    assert (f.rule, f.expected, f.actual) == ("text.list_amount", "33.58万元", "34.00万元")
    # worked out from the misprinted 34.00 (1.00 / 33.00 = 3.03%): still only the amount (福利院 E1's case)
    assert [f.rule for f in change_rules("34.00", "增加", "3.03")] == ["text.list_amount"]
    # right for neither: the change is worked out from the table's 33.58, and says so
    found = change_rules("34.00", "增加", "9.99")
    assert [f.rule for f in found] == ["text.list_amount", "text.change"]
    assert found[1].expected == "1.76%"
    assert "本年按表5 2210201 住房公积金 33.58万元" in found[1].message
    # a 减少 for 34.00 against 33.00 is wrong for both figures: said once, from the table's figure
    found = change_rules("34.00", "减少", "1.76")
    direction = [f for f in found if f.rule == "text.change_direction"]
    assert [(f.expected, f.actual) for f in direction] == [("增加", "减少")]


def test_placeholders_outdated_names_qita_and_labels(seed_tables: TableSet) -> None:
    found = check(
        seed_tables,
        "五、国有资产占有使用情况（增加内容）",
        "主要原因是XX。",
        "“医疗卫生与计划生育支出（类）”",
        "其它商品和服务支出",
        "部门公开表9",
        "目录…………………………………………",
        "一、本单位职责.....................................3",
        "第二部分2023年单位预算报表预算公开表1",
        "图1 2023年与2022年预算对比（万元）2022年2023年",
    )
    assert sorted((str(f.location), f.rule, f.actual) for f in found) == [
        ("第1段", "text.placeholder", "（增加内容）"),
        ("第2段", "text.placeholder", "XX"),
        ("第3段", "text.outdated_name", "医疗卫生与计划生育支出"),
        ("第4段", "text.qita", "其它"),
        ("第5段", "text.table_label", "部门公开表9"),
    ]


def test_a_share_needs_the_total_it_is_a_part_of(seed_tables: TableSet) -> None:
    # a paragraph broken mid-sentence (a PDF's text layer) starts with a part, not with its total
    assert check(seed_tables, "0.00万元，占4.00%；财政专户管理资金收入0.00万元，占3.20%。") == []
    [f] = check(seed_tables, "当年拨款916.53万元,主要用于以下方面：一般公共服务支出780.05万元，占58.11%。")
    assert (f.rule, f.expected) == ("text.share", "85.11%")


def test_procurement_parts_add_up_and_the_project_count_is_the_tables(seed_tables: TableSet) -> None:
    found = check(
        seed_tables,
        "政府采购预算总额22.00万元。其中：政府采购货物预算10.00万元、政府采购工程预算0.00万元、政府采购服务预算2.00万元。",
        "实行绩效目标管理的项目10个，涉及一般公共预算当年拨款393.01万元。",
    )
    assert sorted((f.rule, f.expected, f.actual) for f in found) == [
        ("text.performance", "12个，393.01万元", "10个，393.01万元"),
        ("text.procurement_sum", "12.00万元", "22.00万元"),
    ]
    # fewer projects with less money: a part of 表12 (not every project need have targets)
    assert check(seed_tables, "实行绩效目标管理的项目10个，涉及一般公共预算当年拨款300.00万元。") == []
    [f] = check(seed_tables, "实行绩效目标管理的项目12个，涉及一般公共预算当年拨款390.01万元。")
    assert f.rule == "text.performance" and f.expected == "12个，393.01万元"
    [f] = check(seed_tables, "编报绩效目标的项目共13个，涉及项目预算资金393.01万元。")
    assert f.rule == "text.performance" and "只列有 12 个" in f.message


def test_procurement_off_by_two_cents_is_no_rounding_tail(seed_tables: TableSet) -> None:
    """Four printed figures each move by less than 0.005万元: 货物 + 工程 + 服务 and the 总额 can differ by
    0.01 at most (a gap under 0.02). 22.02 against 10.00 + 0.00 + 12.00 = 22.00 is a misprint; 22.01 may be
    a tail."""
    text = "政府采购预算总额{}万元。其中：政府采购货物预算10.00万元、政府采购工程预算0.00万元、政府采购服务预算12.00万元。"
    found = [(f.rule, f.expected, f.actual) for f in check(seed_tables, text.format("22.02"))]
    assert found == [("text.procurement_sum", "22.00万元", "22.02万元")]
    assert check(seed_tables, text.format("22.01")) == []


def test_managed_projects_may_include_the_carried_over_ones() -> None:
    """tests/units/yanggao-test-2024.json: 表12 lists 5 projects of this year, 95.00万元 (30 + 40 + 10 + 8 + 7),
    表13 the 2 carried over, 15.00万元 (12 + 3); carried-over projects are managed too, and the report counts
    them (涉及项目资金). 6 projects with 100.00万元 fit the two tables (7, 110.00); 8, or 110.01万元, do not."""
    tables = build_tables(read_unit_json(Path(__file__).parent / "units" / "yanggao-test-2024.json"))
    text = "2024年阳高县测试局实行绩效目标管理的项目{}个，涉及项目资金{}万元。"
    assert check(tables, text.format(6, "100.00"), level="县级") == []
    [f] = check(tables, text.format(8, "100.00"), level="县级")
    assert f.rule == "text.performance" and "表12、表13只列有 7 个项目" in f.message
    [f] = check(tables, text.format(6, "110.01"), level="县级")
    assert f.rule == "text.performance" and "多于表12、表13全部项目的 110.00 万元" in f.message


def test_the_items_of_personnel_and_public_funds_are_the_tables(seed_tables: TableSet) -> None:
    [f] = check(seed_tables, "人员经费464.88万元，主要包括：基本工资、办公费等；")
    assert (f.rule, f.severity, f.actual) == ("text.items_listed", "error", "办公费")
    [f] = check(seed_tables, "公用经费58.64万元，主要包括：办公费、工会经费、福利费。")
    assert f.severity == "warning" and f.expected == "公务用车运行维护费、其他交通费用、其他商品和服务支出"


def test_a_misprinted_code_beside_its_name(seed_tables: TableSet) -> None:
    assert check(seed_tables, "2080505 机关事业单位基本养老保险缴费支出 50.00") == []
    [f] = check(seed_tables, "2080506 机关事业单位基本养老保险缴费支出 50.00")
    assert (f.rule, f.expected, f.actual) == ("text.code", "2080505", "2080506")


ITEM1 = (
    "1.“社会保障和就业支出（类）行政事业单位养老支出（款）事业单位离退休（项）”53.84万元，主要用于事业单位退休人员福利费。"
    "2023年当年预算执行数为54.60万元，2024年预算安排53.84万元，比2023年预算执行数减少1.39%。主要原因是：有退休人员去世。"
)
LIST_HEAD = "财政拨款支出主要内容如下："


def test_list_items_against_their_rows(fuliyuan_tables: TableSet) -> None:
    found = check(fuliyuan_tables, LIST_HEAD, ITEM1, level="县级")
    # only the list's completeness speaks: the item itself is right, and the sum is short by just the 项 left out
    assert {f.rule for f in found} == {"text.list_items"}
    missing = [f.expected for f in found if f.rule == "text.list_items"]
    assert "2080505 机关事业单位基本养老保险缴费支出" in missing and "2080502 事业单位离退休" not in missing
    tenfold = ITEM1.replace("”53.84万元", "”538.40万元")
    [f] = [f for f in check(fuliyuan_tables, tenfold, level="县级") if f.rule == "text.list_amount"]
    assert "大了十倍" in f.message and f.expected == "53.84万元" and f.table == 5
    # 767,579元 → 76.7579 → 76.76 (cut off: 76.75)
    cut = "2.“社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）”76.75万元，主要用于养老保险。"
    [f] = [f for f in check(fuliyuan_tables, cut, level="县级") if f.rule == "text.list_amount"]
    assert "截去尾数" in f.message and f.expected == "76.76万元"
    twice = [
        f
        for f in check(fuliyuan_tables, ITEM1, ITEM1.replace("1.", "2.", 1), level="县级")
        if "重复" in f.message
    ]
    assert len(twice) == 1 and str(twice[0].location) == "第2段"
    extra = ITEM1.replace("事业单位离退休（项）", "行政单位离退休（项）")
    assert any("找不到" in f.message for f in check(fuliyuan_tables, extra, level="县级"))


def test_a_complete_list_adds_up(fuliyuan_tables: TableSet) -> None:
    items = [
        ("社会保障和就业支出", "行政事业单位养老支出", "事业单位离退休", "53.84"),
        ("社会保障和就业支出", "行政事业单位养老支出", "机关事业单位基本养老保险缴费支出", "76.76"),
        ("社会保障和就业支出", "行政事业单位养老支出", "机关事业单位职业年金缴费支出", "38.38"),
        ("社会保障和就业支出", "行政事业单位养老支出", "其他行政事业单位养老支出", "0.70"),
        ("社会保障和就业支出", "社会福利", "社会福利事业单位", "696.48"),
        ("卫生健康支出", "行政事业单位医疗", "事业单位医疗", "50.37"),
        ("住房保障支出", "住房改革支出", "住房公积金", "33.58"),
    ]
    texts = [
        f"{i}.“{a}（类）{b}（款）{c}（项）”{x}万元，主要用于{c}。" for i, (a, b, c, x) in enumerate(items, 1)
    ]
    assert check(fuliyuan_tables, LIST_HEAD, *texts, level="县级") == []  # 950.11 against 950.12: a 尾差
    # the print's 738.66 for 696.48 (E1): the item's amount is the one finding, not the sum it throws off
    wrong = [t.replace("”696.48万元", "”738.66万元") for t in texts]
    found = check(fuliyuan_tables, LIST_HEAD, *wrong, level="县级")
    assert [(f.rule, f.expected, f.actual) for f in found] == [
        ("text.list_amount", "696.48万元", "738.66万元")
    ]
    # an item that names no row of the tables: the sum is not explained by the other findings, and is said
    extra = "8.“住房保障支出（类）住房改革支出（款）提租补贴（项）”40.00万元，主要用于提租补贴。"
    found = check(fuliyuan_tables, LIST_HEAD, *texts, extra, level="县级")
    assert sorted(f.rule for f in found) == ["text.list_items", "text.list_sum"]
    assert next(f for f in found if f.rule == "text.list_sum").actual == "990.11万元"


def test_empty_table_notes(fuliyuan_tables: TableSet) -> None:
    assert check(fuliyuan_tables, level="县级") == []  # 表6/表7 empty, each with its own fund's note
    from dataclasses import replace

    t6, t7 = fuliyuan_tables[6], fuliyuan_tables[7]
    swapped = replace(
        fuliyuan_tables,
        tables=tuple(
            replace(t, note=t7.note) if t.number == 6 else replace(t, note="") if t.number == 7 else t
            for t in fuliyuan_tables.tables
        ),
    )
    found = check(swapped, level="县级")
    assert [(f.rule, f.severity, f.table) for f in found] == [
        ("text.empty_note", "error", 6),
        ("text.empty_note", "warning", 7),
    ]
    assert "国有资本经营" in found[0].message and t6.title in found[0].message
    # the missing note is asked for in the profile's (Shanghai's) wording, not Shanxi's 注：本表无数据
    assert found[1].expected == "注:本单位2024年无国有资本经营预算财政拨款安排的预算，故本表为空表。"
    assert "本表无数据" not in found[1].message


def test_findings_carry_page_and_quote_in_json_and_text(seed_tables: TableSet) -> None:
    found = check_text(paras("公用经费58.60万元。", page=16), seed_tables, year=2023, unit_level="市级")
    [item] = findings_to_json(found)
    assert item["page"] == 16 and item["quote"] == "公用经费58.60万元。" and item["rule"] == "text.amount"
    text = format_text(found)
    assert "位置：第16页 · 第1段 · 对照表6" in text and "原文：“公用经费58.60万元。”" in text
    assert item["where"] == {"page": 16, "paragraph": 1}
    table_only = Finding("table.x", "error", 1, Location.cell("表1", 2, 2), "m")
    [cell] = findings_to_json([table_only])
    assert set(cell) == {"rule", "severity", "table", "location", "message", "expected", "actual", "where"}
    assert cell["location"] == "表1!B2" and cell["where"] == {"sheet": "表1", "cell": "B2"}


def test_a_rule_switched_off_is_not_run(seed_tables: TableSet) -> None:
    text = "公用经费58.60万元。"
    assert (
        check_text(
            paras(text),
            seed_tables,
            year=2023,
            unit_level=None,
            settings=CheckSettings(skip=frozenset({"text.amount"})),
        )
        == []
    )
