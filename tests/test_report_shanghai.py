"""The Shanghai report's own parts, worked out by hand for 上海市普陀区社会福利院 2024
(../shared/fixtures/putuo-welfare-2024.json; its published report
../shared/real/shanghai-putuo-fuliyuan-2024-unit-budget.pdf, pp.3–6 and 16).

The figures, from the fixture's lines (yuan):

- all lines 12,121,164 → 1,212.12万元; 财政拨款 (all general) 9,501,164 → 950.12; last year's
  9,496,564 → +4,600 = 0.46万元; 事业收入 (the one unit_funds project) 2,620,000 → 262.00;
- 表5 (一般公共预算) 项: 2080502 538,440 · 2080505 767,579 · 2080506 383,789 · 2080599 7,020 ·
  2081005 6,964,796 · 2101102 503,724 · 2210201 335,816 (sum 9,501,164);
- 三公 (general) 公务用车运行维护费 64,000 = 6.40万元, last year the same;
- 政府采购 services 1,206,000 = 120.60万元; one project with a 绩效目标, 2,620,000 = 262.00万元.

Where the PDF is right the report says the same; its known errors (known-defects.json fuliyuan-*)
are not repeated: item 4 prints 738.66 for 2081005's 696.48 (E1), omits 2080599, names 210
医疗卫生与计划生育支出 (E2), leaves 主要原因是。 empty (E20), heads 五 with （增加内容） (E21).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from tests.helpers.shanghai import putuo, shanghai_profile, shanghai_tables
from xlbudget.model import BasicLine, FunctionNote, PriorFunction, ProjectLine, Unit
from xlbudget.report.shanghai import level_word, shanghai_report


@pytest.fixture(scope="module")
def report():
    b = putuo()
    return shanghai_report(b, shanghai_tables(b))


def test_cover_and_contents(report) -> None:
    assert report.cover_title == "上海市普陀区社会福利院2024年单位预算"
    assert report.cover_line == "预算单位：上海市普陀区社会福利院"
    parts = [text for level, text in report.contents if level == 1]
    assert parts == [
        "一、单位主要职能",
        "二、单位机构设置",
        "三、名词解释",
        "四、单位预算编制说明",
        "五、单位预算表",
        "六、其他相关情况说明",
    ]
    tables = [text for level, text in report.contents if level == 2]
    assert len(tables) == 9 and tables[0] == "1. 2024年预算单位财务收支预算总表"


def test_duties_and_organization_as_the_pdf_prints_them(report) -> None:
    duties = report.part("一、")
    assert duties.heading == "上海市普陀区社会福利院主要职能"
    assert [p.text for p in duties.paragraphs] == [
        "上海市普陀区社会福利院是收养社会孤老、退休孤老、寄养有家老人的事业单位。",
        "主要职能包括：",
        "1.负责区社会福利院的日常管理、运营维护等工作,为在院入住老人提供生活照料、医疗康复、老年教育、"
        "文化娱乐等综合服务工作。",
        "2.组织志愿者和专业社工团队为在院入住老人开展为老志愿服务。",
    ]
    org = report.part("二、")
    assert org.heading == "上海市普陀区社会福利院机构设置"
    assert org.text == "上海市普陀区社会福利院设5个内设机构，包括：院长室、办公室、财务室、后勤部、护理部。"


def test_glossary_has_the_8_items_worded_for_a_district(report) -> None:
    """A 普陀区 unit's report is 区级 — never the Shanxi 县直部门, never the city's 市级 (wanli E1)."""
    glossary = report.part("三、")
    assert glossary.heading == "名词解释"
    terms = [p.text.split("：")[0] for p in glossary.paragraphs]
    assert terms == [
        "（一）财政拨款收入",
        "（二）事业收入",
        "（三）事业单位经营收入",
        "（四）其他收入",
        "（五）基本支出预算",
        "（六）项目支出预算",
        "（七）“三公”经费",
        "（八）机关运行经费",
    ]
    text = glossary.text
    # as the PDF prints (五) … (八) (its (一) … (四))
    assert (
        "（五）基本支出预算：是区级预算主管部门及所属预算单位为保障其机构正常运转、完成日常工作任务而编制的"
        "年度基本支出计划，包括人员经费和公用经费两部分。"
    ) in text
    assert "是与区级财政有经费领拨关系的部门及其下属预算单位使用区级财政拨款安排的" in text
    assert "市级" not in text and "县直" not in text and "县级" not in text


def test_level_word() -> None:
    assert level_word(Unit("上海市财政局", level="市级")) == "市级"
    assert level_word(Unit("上海市财政局", level="省级")) == "市级"  # the municipality is province-level
    assert level_word(Unit("普陀区社会福利院", level="县级", region="普陀区")) == "区级"


def test_explanation_income_and_spending(report) -> None:
    part = report.part("四、")
    assert part.heading == "2024年单位预算编制说明"
    texts = [p.text for p in part.paragraphs]
    assert texts[0] == (
        "2024年，上海市普陀区社会福利院收入预算1,212.12万元，其中：财政拨款收入950.12万元，"
        "比2023年预算增加0.46万元；事业收入262.00万元；事业单位经营收入0.00万元；其他收入0.00万元。"
    )
    assert texts[1] == (
        "支出预算1,212.12万元，其中：财政拨款支出预算950.12万元，比2023年预算增加0.46万元。"
        "财政拨款支出预算中，一般公共预算拨款支出预算950.12万元，比2023年预算增加0.46万元；"
        "政府性基金拨款支出预算0.00万元，与2023年预算持平；国有资本经营预算拨款支出预算0.00万元，"
        "与2023年预算持平。"
    )
    assert texts[2] == "财政拨款收入支出增加的主要原因是机关事业单位退休人员活动费增加。"
    assert texts[3] == "财政拨款支出主要内容如下："


def test_main_contents_one_item_per_xiang_of_table_5(report) -> None:
    """Worked by hand (last year's 执行数 from the PDF, in yuan inside its rounding — tests/helpers/shanghai.py):

    1. 538,440 vs 546,040: −7,600 / 546,040 = −1.3918% → 减少1.39% (the PDF's)
    2. 767,579 vs 707,000: +60,579 / 707,000 = 8.5685% → 8.57%
    3. 383,789 vs 353,500: +30,289 / 353,500 = 8.5683% → 8.57%
    4. 2080599 7,020 → 0.70万元, not in last year's figures: 新增 (the PDF omits the item)
    5. 2081005 6,964,796 → 696.48万元 (the PDF: 738.66, fuliyuan E1) vs 7,113,400:
       −148,604 / 7,113,400 = −2.0891% → 减少2.09%
    6. 503,724 vs 441,700: +62,024 / 441,700 = 14.0421% → 14.04%, 卫生健康支出 (the PDF's 医疗卫生与计划生育支出, E2)
    7. 335,816 vs 337,400: −1,584 / 337,400 = −0.4695% → 减少0.47%
    """
    items = report.items
    assert [i.function for i in items] == [
        "2080502", "2080505", "2080506", "2080599", "2081005", "2101102", "2210201",
    ]  # fmt: skip
    assert sum(i.amount for i in items) == Decimal(9501164)  # the list adds up to 财政拨款支出
    assert items[0].text == (
        "1. “社会保障和就业支出（类）行政事业单位养老支出（款）事业单位离退休（项）”53.84万元，"
        "主要用于事业单位退休人员福利费和生活补贴。2023年当年预算执行数为54.60万元，2024年预算安排53.84万元，"
        "比2023年预算执行数减少1.39%。主要原因是：有退休人员去世。"
    )
    assert "比2023年预算执行数增加8.57%。主要原因是：根据实际支出。" in items[1].text
    assert (
        "2023年当年预算执行数为35.35万元，2024年预算安排38.38万元，比2023年预算执行数增加8.57%"
        in items[2].text
    )
    assert items[3].text == (
        "4. “社会保障和就业支出（类）行政事业单位养老支出（款）其他行政事业单位养老支出（项）”0.70万元，"
        "主要用于机关事业单位退休人员活动费。2023年当年预算执行数为0.00万元，2024年预算安排0.70万元，"
        "比2023年新增0.70万元。主要原因是：机关事业单位退休人员活动费增加。"
    )
    assert "100.00%" not in report.part("四、").text
    assert items[4].text.startswith(
        "5. “社会保障和就业支出（类）社会福利（款）社会福利事业单位（项）”696.48万元，"
    )
    assert "比2023年预算执行数减少2.09%" in items[4].text
    assert "738.66" not in report.text
    assert items[5].text.startswith(
        "6. “卫生健康支出（类）行政事业单位医疗（款）事业单位医疗（项）”50.37万元，"
    )
    assert "比2023年预算执行数增加14.04%。主要原因是：根据实际支出。" in items[5].text
    assert "医疗卫生与计划生育" not in report.text
    assert "比2023年预算执行数减少0.47%" in items[6].text
    # a reason is owed from 10% or from zero: items 4 and 6
    assert [i.owes_reason for i in items] == [False, False, False, True, False, True, False]


def test_other_matters_as_the_pdf_prints_them(report) -> None:
    part = report.part("六、")
    assert part.heading == "其他相关情况说明"
    subs = [p.text for p in part.paragraphs if p.style == "sub"]
    assert subs == [
        "一、2024年“三公”经费预算情况说明",
        "二、机关运行经费预算",
        "三、政府采购预算情况",
        "四、绩效目标设置情况",
        "五、国有资产占有使用情况",  # without the PDF's （增加内容） (E21)
    ]
    body = [p.text for p in part.paragraphs if p.style != "sub"]
    assert body[:4] == [
        "2024年“三公”经费预算数为6.40万元，与2023年预算持平。其中：",
        "（一）因公出国（境）费0.00万元，与2023年预算持平。",
        "（二）公务用车购置及运行费6.40万元，与2023年预算持平。其中：公务用车购置费0.00万元，"
        "与2023年预算持平；公务用车运行费6.40万元，与2023年预算持平。",
        "（三）公务接待费0.00万元，与2023年预算持平。",
    ]
    assert "主要原因是。" not in part.text  # E20
    assert body[4] == "2024年上海市普陀区社会福利院无机关运行经费。"
    assert body[5] == (
        "2024年度本单位政府采购预算120.60万元，其中：政府采购货物预算0.00万元、政府采购工程预算0.00万元、"
        "政府采购服务预算120.60万元。"
    )
    assert body[6] == "2024年度，本单位编报绩效目标的项目共1个，涉及项目预算资金262.00万元。"
    assert body[7] == (
        "截至2023年12月31日，上海市普陀区社会福利院共有车辆2辆，其中：部级领导干部用车0辆、主要领导干部用车0辆、"
        "机要通信用车0辆、应急保障用车0辆、执法执勤用车0辆、特种专业技术用车0辆、离退休干部用车0辆、其他用车2辆；"
        "单价100万元（含）以上设备（不含车辆）0台（套）。"
    )
    assert body[8] == (
        "2024年单位预算安排购置车辆0辆，其中：部级领导干部用车0辆、主要领导干部用车0辆、机要通信用车0辆、"
        "应急保障用车0辆、执法执勤用车0辆、特种专业技术用车0辆、离退休干部用车0辆、其他用车0辆；"
        "单位预算安排购置单价100万元（含）以上设备（不含车辆）0台（套）。"
    )


def test_an_administrative_city_unit() -> None:
    """The city's cover and headings; 机关运行经费 = 公用经费 of the 财政拨款 basic lines: 30201 120,000 +
    30231 8,000 = 128,000 → 12.80万元 (the 30101 100,000 is 人员经费)."""
    b = putuo()
    b = replace(
        b,
        unit=replace(b.unit, name="上海市某局", level="市级", region="", kind="administrative"),
        basic=(
            BasicLine("2010101", "30101", "general", Decimal(100000)),
            BasicLine("2010101", "30201", "general", Decimal(120000)),
            BasicLine("2010101", "30231", "general", Decimal(8000)),
        ),
        projects=(),
    )
    r = shanghai_report(b, shanghai_tables(b, shanghai_profile()))
    assert r.cover_title == "上海市2024年市级单位预算"
    assert r.part("一、").heading == "上海市某局（单位）主要职能"
    assert "2024年上海市某局财政拨款的机关运行经费预算为12.80万元。" in r.part("六、").text
    assert "是市级预算主管部门" in r.part("三、").text


def test_without_last_years_figures_nothing_is_compared() -> None:
    b = putuo()
    b = replace(b, prior_year=replace(b.prior_year, functions=()), function_notes=())
    r = shanghai_report(b, shanghai_tables(b))
    assert r.items[0].text == (
        "1. “社会保障和就业支出（类）行政事业单位养老支出（款）事业单位离退休（项）”53.84万元。"
    )
    assert not any(i.owes_reason for i in r.items)


def test_a_reason_is_printed_only_after_a_change_the_sentence_states() -> None:
    """Without last year's 项 figures no change is stated: the reasons typed (根据实际支出 …) are not
    printed, none hangs after 主要用于…。 (it read "696.48万元，主要用于人员经费及公用经费。主要原因是：根据
    实际支出。").  After 持平 neither; after 减少1.39% (as the PDF prints it) and 新增 they are."""
    b = putuo()
    without = replace(b, prior_year=replace(b.prior_year, functions=()))
    r = shanghai_report(without, shanghai_tables(without))
    assert r.items[4].text == (
        "5. “社会保障和就业支出（类）社会福利（款）社会福利事业单位（项）”696.48万元，主要用于人员经费及公用经费。"
    )
    assert not any("主要原因" in i.text for i in r.items)
    assert "主要原因是：根据实际支出" not in r.part("四、").text
    prior = tuple(
        PriorFunction(f.function, Decimal(538440)) if f.function == "2080502" else f
        for f in b.prior_year.functions
    )
    level = replace(b, prior_year=replace(b.prior_year, functions=prior))
    items = shanghai_report(level, shanghai_tables(level)).items
    assert items[0].text.endswith(
        "2024年预算安排53.84万元，与2023年预算执行数持平。"
    )  # 有退休人员去世 not said
    assert items[3].text.endswith("比2023年新增0.70万元。主要原因是：机关事业单位退休人员活动费增加。")
    assert items[4].text.endswith("比2023年预算执行数减少2.09%。主要原因是：根据实际支出。")


def test_an_unchanged_item_says_chiping_and_a_missing_reason_is_left_out() -> None:
    """2080502 last year exactly 538,440: 与2023年预算执行数持平; 2101102 +14.04% with no reason given:
    no 主要原因是 at all (never an empty one)."""
    b = putuo()
    prior = tuple(
        PriorFunction(f.function, Decimal(538440)) if f.function == "2080502" else f
        for f in b.prior_year.functions
    )
    notes = tuple(replace(n, reason="") if n.function == "2101102" else n for n in b.function_notes)
    b = replace(b, prior_year=replace(b.prior_year, functions=prior), function_notes=notes)
    r = shanghai_report(b, shanghai_tables(b))
    assert "2024年预算安排53.84万元，与2023年预算执行数持平。" in r.items[0].text
    assert r.items[5].text.endswith("比2023年预算执行数增加14.04%。")
    assert r.items[5].owes_reason


def test_a_change_is_worded_by_the_two_figures_printed() -> None:
    """2080502 this year 538,440 yuan (53.844 → 53.84万元), last year 538,350 (53.835 → 53.84 half-up): both
    print 53.84, so 持平 — the exact change, 90 yuan, rounds to 0.01万元 and used to give “增加0.02%”
    beside two equal figures."""
    b = putuo()
    prior = tuple(
        PriorFunction(f.function, Decimal(538350)) if f.function == "2080502" else f
        for f in b.prior_year.functions
    )
    b = replace(b, prior_year=replace(b.prior_year, functions=prior))
    r = shanghai_report(b, shanghai_tables(b))
    assert (
        "2023年当年预算执行数为53.84万元，2024年预算安排53.84万元，与2023年预算执行数持平。"
        in r.items[0].text
    )
    assert not r.items[0].owes_reason


def test_a_fund_last_years_figures_do_not_give_is_not_compared() -> None:
    """The putuo unit with a 政府性基金 project of 1,000,000 元 (100.00万元) this year: last year's one prior
    figure is its 一般公共预算 (949.66万元), so nothing says how much 政府性基金 it had — no “新增100.00万元”,
    and its 财政拨款 (950.12 + 100.00 = 1,050.12万元) is not set against the 949.66 (“增加100.46万元”); the
    一般公共预算 keeps its comparison (+0.46)."""
    b = putuo()
    fund = ProjectLine("征地补偿", "2120801", "gov_fund", Decimal(1000000))
    b = replace(b, projects=(*b.projects, fund))
    texts = [p.text for p in shanghai_report(b, shanghai_tables(b)).part("四、").paragraphs]
    assert "财政拨款收入1,050.12万元；事业收入262.00万元；" in texts[0]
    assert "其中：财政拨款支出预算1,050.12万元。" in texts[1]
    assert "一般公共预算拨款支出预算950.12万元，比2023年预算增加0.46万元；" in texts[1]
    assert "政府性基金拨款支出预算100.00万元；" in texts[1] and "新增" not in texts[1]
    assert texts[2] == "财政拨款收入支出增加的主要原因是机关事业单位退休人员活动费增加。"


def test_an_item_last_year_printing_zero_is_new() -> None:
    """2080502 last year 40 元 (0.00万元): 比2023年新增53.84万元, not 增加1346000.00% ((538,440 − 40) / 40)."""
    b = putuo()
    prior = tuple(
        PriorFunction(f.function, Decimal(40)) if f.function == "2080502" else f
        for f in b.prior_year.functions
    )
    b = replace(b, prior_year=replace(b.prior_year, functions=prior))
    item = shanghai_report(b, shanghai_tables(b)).items[0]
    assert "2023年当年预算执行数为0.00万元，2024年预算安排53.84万元，比2023年新增53.84万元。" in item.text
    assert item.owes_reason


def test_department_wording() -> None:
    """A 部门 of 3 units: 本部 (administrative), a 参公 and a 事业 unit."""
    b = putuo()
    dept = replace(b.unit, name="上海市普陀区某街道办事处", kind="administrative")
    b = replace(b, unit=dept)
    members = (
        dept,
        Unit("上海市普陀区某街道社区事务受理服务中心", kind="civil_service_institution"),
        Unit("上海市普陀区某街道城市运行管理中心", kind="public_institution"),
    )
    r = shanghai_report(b, shanghai_tables(b), scope="department", members=members)
    assert r.cover_title == "上海市普陀区2024年区级部门预算"
    assert r.cover_line == "预算主管部门：上海市普陀区某街道办事处"
    assert r.part("一、").entry == "一、部门主要职能"
    assert r.part("一、").heading == "上海市普陀区某街道办事处（部门）主要职能"
    assert r.part("四、").heading == "2024年部门预算编制说明"
    org = [p.text for p in r.part("二、").paragraphs]
    assert org[0] == (
        "上海市普陀区某街道办事处部门预算是包括上海市普陀区某街道办事处本部以及下属2家预算单位的综合收支计划。"
        "本部门中，行政单位1家，参公单位1家，事业单位1家，具体包括："
    )
    assert org[1] == "1. 上海市普陀区某街道办事处（本部）。"
    others = r.part("六、").text
    assert "本部门政府采购预算" in others
    assert "下属1家机关和1家参公事业单位财政拨款的机关运行经费预算为" in others
    assert "本部门3个预算单位开展了2024年项目预算绩效目标编报工作，编报绩效目标的项目1个" in others
    assert "2024年部门预算安排购置车辆0辆" in others


def test_function_notes_and_prior_functions_round_trip_through_unit_json(tmp_path) -> None:
    import json

    import jsonschema

    from tests.helpers.shanghai import ROOT
    from xlbudget.io.unit_json import budget_from_dict, budget_to_dict

    b = putuo()
    data = budget_to_dict(b)
    schema = json.loads((ROOT / "xlbudget" / "schema" / "unit-budget-1.schema.json").read_text("utf-8"))
    jsonschema.validate(data, schema)
    assert data["function_notes"][0] == {
        "function": "2080502",
        "purpose": "事业单位退休人员福利费和生活补贴",
        "reason": "有退休人员去世",
    }
    assert data["assets"]["as_of"] == "2023年12月31日" and data["assets"]["equipment"] == 0
    again = budget_from_dict(data)
    assert [(n.function, n.purpose, n.reason) for n in again.function_notes] == [
        (n.function, n.purpose, n.reason) for n in b.function_notes
    ]
    assert [(f.function, f.amount) for f in again.prior_year.functions] == [
        (f.function, f.amount) for f in b.prior_year.functions
    ]
    assert again.assets.equipment == 0 and again.assets.planned_equipment == 0


def test_a_function_note_of_a_kuan_is_refused_with_its_path() -> None:
    from xlbudget.errors import InputError
    from xlbudget.io.unit_json import budget_from_dict, budget_to_dict

    data = budget_to_dict(putuo())
    data["function_notes"][0]["function"] = "20805"
    with pytest.raises(InputError) as e:
        budget_from_dict(data)
    assert "function_notes[0].function" in str(e.value) and "款级科目" in str(e.value)


def test_function_note_defaults() -> None:
    assert FunctionNote("2080502").purpose == "" and FunctionNote("2080502").reason == ""


def _reason_findings(budget):
    from xlbudget.check import check_budget

    tables = shanghai_tables(budget)
    return [f for f in check_budget(budget, tables) if f.rule == "narrative.function_item_reason"]


def test_the_putuo_unit_owes_no_reason() -> None:
    """Items 4 (新增) and 6 (+14.04%) owe one, and the unit gave both."""
    assert _reason_findings(putuo()) == []


def test_a_missing_reason_from_ten_percent_or_from_zero_is_a_warning() -> None:
    """2101102 +14.04% and 2080599 新增 without reasons: two warnings; 2080502 −1.39% without one: none."""
    b = putuo()
    notes = tuple(
        replace(n, reason="") if n.function in ("2101102", "2080599", "2080502") else n
        for n in b.function_notes
    )
    found = _reason_findings(replace(b, function_notes=notes))
    assert [(f.severity, str(f.location)) for f in found] == [
        ("warning", "function_notes[3].reason"),
        ("warning", "function_notes[5].reason"),
    ]
    assert "2080599（0.70万元）上年为0，本年新增0.70万元" in found[0].message
    assert "2101102（50.37万元）比上年增加14.04%" in found[1].message


def test_without_a_note_the_warning_names_the_item() -> None:
    b = putuo()
    b = replace(b, function_notes=tuple(n for n in b.function_notes if n.function != "2101102"))
    found = _reason_findings(b)
    # where its reason is to be typed: the next note, after the 6 left (a workbook: 支出说明's next row)
    assert [str(f.location) for f in found] == ["function_notes[6]"]


def test_without_last_years_figures_no_reason_is_asked_for() -> None:
    b = putuo()
    b = replace(b, prior_year=replace(b.prior_year, functions=()), function_notes=())
    assert _reason_findings(b) == []


def test_a_placeholder_in_a_function_note_is_an_error() -> None:
    from xlbudget.check import check_budget

    b = putuo()
    notes = tuple(replace(n, purpose="XX费用") if n.function == "2080505" else n for n in b.function_notes)
    b = replace(b, function_notes=notes)
    found = [f for f in check_budget(b, shanghai_tables(b)) if f.rule == "narrative.placeholder"]
    assert [(f.severity, str(f.location)) for f in found] == [("error", "function_notes[1].purpose")]


def test_a_departments_project_part() -> None:
    """七、项目经费情况说明 with the sections given, numbered in print order (万里 2024 p.33)."""
    b = putuo()
    project = {
        "项目概况": "新建社区公共服务中心。",
        "年度预算安排": "第一季度用款计划158.05万元。",
        "立项依据": "",
    }
    r = shanghai_report(b, shanghai_tables(b), scope="department", project=project)
    assert r.contents[-1] == (1, "七、项目经费情况说明")
    part = r.part("七、")
    assert part.heading == "项目经费情况说明"
    assert [p.text for p in part.paragraphs] == [
        "一、项目概况",
        "新建社区公共服务中心。",
        "二、年度预算安排",
        "第一季度用款计划158.05万元。",
    ]
    assert shanghai_report(b, shanghai_tables(b), project=project).contents[-1] == (1, "六、其他相关情况说明")


def test_a_city_units_explanation_is_the_citys_form() -> None:
    """上海市财政局 2025 (p.6), by class: 201 127,886,849 → 12,789万元 · 208 17,560,320 → 1,756 ·
    210 4,668,000 → 467 · 221 21,800,000 → 2,180; in all 171,915,169 → 17,192万元; last year
    181,815,169: −9,900,000 = 990万元 less.  Whole 万元, 政府性基金 …为0, one item per 类."""
    b = putuo()
    amounts = {"2010601": 127886849, "2080505": 17560320, "2101101": 4668000, "2210201": 21800000}
    b = replace(
        b,
        year=2025,
        unit=replace(b.unit, name="上海市财政局", level="市级", region="", kind="administrative"),
        basic=tuple(BasicLine(code, "30101", "general", Decimal(a)) for code, a in amounts.items()),
        projects=(),
        prior_year=replace(b.prior_year, general_budget_appropriation=Decimal(181815169), functions=()),
        explanations=replace(b.explanations, total_change="预计注册会计师考试人数、科次减少，项目经费减少等"),
        function_notes=(
            FunctionNote("201", "人员经费、公用经费等基本支出，国库集中收付银行代理银行费等项目支出"),
            FunctionNote("208", "缴纳在职人员养老保险缴费等支出"),
        ),
    )
    texts = [p.text for p in shanghai_report(b, shanghai_tables(b)).part("四、").paragraphs]
    assert texts == [
        "2025年，上海市财政局收入预算17,192万元，其中：财政拨款收入17,192万元，比2024年预算减少990万元；"
        "事业收入0万元；事业单位经营收入0万元；其他收入0万元。",
        "支出预算17,192万元，其中：财政拨款支出预算17,192万元，比2024年预算减少990万元。财政拨款支出预算中，"
        "一般公共预算拨款支出预算17,192万元，比2024年预算减少990万元；政府性基金拨款支出预算为0；"
        "国有资本经营预算拨款支出预算为0。",
        "财政拨款收入支出减少的主要原因是预计注册会计师考试人数、科次减少，项目经费减少等。",
        "财政拨款支出主要内容如下：",
        "1.“一般公共服务支出”科目12,789万元，主要用于人员经费、公用经费等基本支出，国库集中收付银行代理银行费等项目支出。",
        "2.“社会保障和就业支出”科目1,756万元，主要用于缴纳在职人员养老保险缴费等支出。",
        "3.“卫生健康支出”科目467万元。",
        "4.“住房保障支出”科目2,180万元。",
    ]


def test_a_city_unit_owes_no_item_reason() -> None:
    """The city's list has no comparison per item: no reason asked for, whatever last year's 项 were."""
    b = putuo()
    b = replace(b, unit=replace(b.unit, level="市级", region=""), function_notes=())
    assert _reason_findings(b) == []
    assert len(_reason_findings(replace(b, unit=replace(b.unit, level="县级", region="普陀区")))) == 2


def test_carried_over_lines_are_not_counted_as_the_tables_do_not_print_them() -> None:
    b = putuo()
    b = replace(b, basic=(*b.basic, BasicLine("2081005", "30201", "general", Decimal(50000), carryover=True)))
    first = shanghai_report(b, shanghai_tables(b)).part("四、").paragraphs[0].text
    assert first.startswith(
        "2024年，上海市普陀区社会福利院收入预算1,212.12万元，其中：财政拨款收入950.12万元，"
    )
