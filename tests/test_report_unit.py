"""A unit of our own (tests/units/yanggao-test-2024.json): five funds, carried-over projects,
decreases, a zero last-year figure, a 县级 unit and a year that is not 2023.

Every expected sentence below was worked out by hand from the lines of the JSON:

basic (yuan)     2010301 30101 general 1,000,000 · 2010301 30201 general 200,000 ·
                 2080505 30108 general 150,000 · 2010301 30201 unit_funds 50,000        = 1,400,000
projects (this)  信息化建设 general 300,000 · 征地补偿 gov_fund 400,000 (2120801) ·
                 国企改革补助 soe 100,000 · 培训收费支出 special 80,000 · 自有资金项目 unit 70,000 = 950,000
projects (carry) 上年结转信息化项目 general 120,000 · 上年结转征地补偿 gov_fund 30,000   = 150,000
total 2,500,000 = 250.00万元; this year 2,350,000; carried over 150,000.
income this year: general 1,650,000 · gov_fund 400,000 · soe 100,000 · special 80,000 ·
unit 120,000; shares of 2,500,000: 66.00 / 16.00 / 4.00 / 3.20 / 4.80 / 6.00 %.
last year: total 3,000,000 → −500,000 = −16.67 %; general 1,800,000 → 1,650,000 = −8.33 %;
机关运行经费 0 → 200,000 (新增); 三公 65,000 → 50,000 = −23.08 %.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from xlbudget.io.unit_json import budget_from_dict, read_unit_json
from xlbudget.report import narrative, write_report
from xlbudget.report.facts import change_phrase
from xlbudget.report.text import docx_blocks, docx_tables

UNIT = Path(__file__).parent / "units" / "yanggao-test-2024.json"

EXPECTED = {
    1: "2024年度预算收入总计250.00万元，其中：本年收入235.00万元，上年结转15.00万元，"
    "比上年减少50.00万元，减少16.67%，主要原因是机构改革后部分职能划出。"
    "2024年度预算支出总计250.00万元，其中：本年预算安排235.00万元，上年结转15.00万元，"
    "比上年减少50.00万元，减少16.67%，主要原因是机构改革后部分职能划出。",
    2: "2024年度预算收入总计250.00万元，其中：一般公共预算拨款收入165.00万元，占66.00%；"
    "政府性基金预算拨款收入40.00万元，占16.00%；国有资本经营预算拨款收入10.00万元，占4.00%；"
    "财政专户管理资金收入8.00万元，占3.20%；单位资金12.00万元，占4.80%；上年结转15.00万元，占6.00%。",
    3: "2024年度支出预算250.00万元，其中：基本支出140.00万元，占56.00%；项目支出110.00万元，占44.00%。",
    # 财政拨款 = general + gov_fund + soe, this year and carried over:
    # general 1,350,000 + 300,000 + 120,000 = 1,770,000; gov_fund 430,000; soe 100,000 → 2,300,000
    # by 类: 201 = 1,000,000 + 200,000 + 300,000 + 100,000 + 120,000 = 1,720,000; 208 150,000; 212 430,000
    4: "2024年度财政拨款收支总预算230.00万元。收入为一般公共预算拨款177.00万元，政府性基金预算拨款43.00万元，"
    "国有资本经营预算拨款10.00万元。其中：当年拨款收入215.00万元，上年结转收入15.00万元。"
    "支出包括：一般公共服务支出172.00万元、社会保障和就业支出15.00万元、城乡社区支出43.00万元。",
    # general, this year: 201 = 1,500,000 (90.91 %), 208 = 150,000 (9.09 %); no reason given → none stated
    5: "（一）一般公共预算当年拨款规模变化情况\n"
    "2024年度一般公共预算当年拨款165.00万元，比上年减少15.00万元，减少8.33%。\n"
    "（二）一般公共预算当年拨款结构情况\n"
    "2024年度一般公共预算当年拨款165.00万元，主要用于以下方面：一般公共服务支出150.00万元，占90.91%；"
    "社会保障和就业支出15.00万元，占9.09%。",
    6: "2024年度一般公共预算基本支出135.00万元，其中：\n"
    "人员经费115.00万元，主要包括：基本工资、机关事业单位基本养老保险缴费；\n"
    "公用经费20.00万元，主要包括：办公费。",
    # 出国 10,000 → 0 (−100 %), 接待 25,000 → 20,000 (−20 %), 运行维护 30,000 → 30,000
    7: "2024年财政拨款安排的“三公”经费预算5.00万元，比上年减少1.50万元，减少23.08%，主要原因是严格控制公务接待。"
    "其中：因公出国（境）费0.00万元，比上年减少1.00万元，减少100.00%；公务接待费2.00万元，"
    "比上年减少0.50万元，减少20.00%；公务用车购置费0.00万元与上年预算数相同；"
    "公务用车运行维护费3.00万元与上年预算数相同。",
    # 机关运行经费 = 公用经费 of this-year basic lines paid by 财政拨款: 30201 general 200,000 (not the unit_funds 50,000)
    8: "2024年，阳高县测试局机关运行经费财政拨款预算20.00万元，上年0.00万元，本年新增20.00万元，主要原因是新设立机构。",
    9: "2024年阳高县测试局政府采购预算总额8.00万元。其中：政府采购货物预算5.00万元、政府采购工程预算0.00万元、"
    "政府采购服务预算3.00万元。",
    11: "1、车辆情况：\n阳高县测试局无公务用车。\n2、房屋情况：\n无。\n3、其他国有资产占有使用情况：\n无。",
    12: "（一）政府购买服务指导性目录\n无。\n（二）其他\n无。",
}

# 绩效目标管理: 信息化建设 300,000 + 征地补偿 400,000 + 自有资金项目 70,000 + 上年结转信息化项目 120,000
TEN_FIRST = (
    "2024年阳高县测试局实行绩效目标管理的项目4个，涉及项目资金89.00万元，其中一般公共预算当年拨款30.00万元。"
)
# of the 3 managed this-year projects only 信息化建设 has a 绩效目标申报表
TEN_SCOPE = (
    "2024年，阳高县测试局本级当年申报预算的5个项目中，3个项目实行绩效目标管理，"
    "其中1个项目已设定绩效目标和绩效指标。"
)


@pytest.fixture(scope="module", autouse=True)
def package_catalogue_only(tmp_path_factory):
    """The 2023 catalogue shipped with the package, whatever another run imported into ~/.xlbudget."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XLBUDGET_CATALOGUE_DIR", str(tmp_path_factory.mktemp("no-user-catalogue")))
        yield


@pytest.fixture(scope="module")
def unit():
    return read_unit_json(UNIT)


@pytest.fixture(scope="module")
def story(unit):
    return narrative(unit)


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_section_reads_right(story, number):
    assert story.section(number).text == EXPECTED[number]


def test_performance_section(story):
    ten = story.section(10).text
    assert TEN_FIRST in ten
    assert TEN_SCOPE in ten
    assert "阳高县财政局在批复项目预算时同步批复绩效目标" in ten
    assert "附：项目支出绩效目标申报表1张。" in ten


def test_performance_section_counts_the_forms(unit):
    """With a 绩效目标申报表 for each of the 3 managed this-year projects, 3 have targets set; with none, none has."""
    from dataclasses import replace

    form = unit.performance_targets[0]
    every = tuple(replace(form, project=p) for p in ("信息化建设", "征地补偿", "自有资金项目"))
    said = narrative(replace(unit, performance_targets=every)).section(10).text
    assert "3个项目实行绩效目标管理，已设定绩效目标和绩效指标。" in said
    said = narrative(replace(unit, performance_targets=())).section(10).text
    assert "3个项目实行绩效目标管理，尚未设定绩效目标和绩效指标。" in said
    assert "申报表" not in said  # no form is said to be filled in, none is attached


def test_the_document_of_a_county_unit(unit, tmp_path):
    out = tmp_path / "县.docx"
    write_report(unit, out)
    blocks = docx_blocks(out)
    text = "\n".join(blocks)
    assert "阳高县测试局2024年单位预算公开报告" == "".join(b for b in blocks[:8] if b.strip())
    assert "县直部门用财政拨款安排" in text and "市直部门" not in text and "省直部门" not in text
    for sentence in EXPECTED.values():
        for line in sentence.split("\n"):
            assert line in blocks, line
    tables = docx_tables(out)
    by_label = {b: t for t in tables for b in t.before if b.startswith("预算公开表")}
    # 表13 lists the two carried-over projects: 2024年财政拨款 general | gov_fund | soe, then 财政专户 | 单位资金
    t13 = by_label["预算公开表13"]
    assert t13.before[-2] == "2024年项目支出预算表（上年结转）"
    assert ("上年结转信息化项目", "12.00", "12.00", "", "", "", "") in t13.rows
    assert ("上年结转征地补偿", "3.00", "", "3.00", "", "", "") in t13.rows
    # 表1: five funds on the income side, 上年结转 15.00, totals 250.00
    t1 = list(by_label["预算公开表1"].rows)
    assert [r[:2] for r in t1[2:7]] == [  # after the two header rows
        ("一、一般公共预算", "165.00"),
        ("二、政府性基金预算", "40.00"),
        ("三、国有资本经营预算", "10.00"),
        ("四、财政专户管理资金", "8.00"),
        ("五、单位资金", "12.00"),
    ]
    # 一般公共服务支出 (201), every fund: basic 1,000,000 + 200,000 + 50,000; projects 300,000 + 100,000
    # + 80,000 + 70,000 this year = 1,800,000, and 120,000 carried over → 1,920,000
    assert t1[2][2:] == ("一、一般公共服务支出", "192.00", "180.00", "12.00")
    assert ("上年结转", "15.00", "年终结转", "", "", "") in t1
    assert ("收入总计", "250.00", "支出总计", "250.00", "235.00", "15.00") in t1
    # 表4: 上年财政拨款结转 split by fund: general 12.00, gov_fund 3.00
    t4 = by_label["预算公开表4"].rows
    assert ("上年财政拨款结转", "15.00", "年终结转", "", "", "", "") in t4
    assert any(r[:2] == ("一、一般公共预算", "12.00") for r in t4)
    assert any(r[:2] == ("二、政府性基金预算", "3.00") for r in t4)
    # one 绩效目标申报表, titled for the county
    forms = [t for t in tables if any("绩效目标申报表" in b for b in t.before)]
    assert len(forms) == 1 and forms[0].before[-2] == "阳高县县级预算部门（单位）项目支出绩效目标申报表"
    assert "（2024年度）" in forms[0].before


def test_change_wording_by_sign():
    from decimal import Decimal as D

    assert change_phrase(D(1045000), D(1000000)) == "比上年增加4.50万元，增加4.50%"
    assert change_phrase(D(900000), D(1000000)) == "比上年减少10.00万元，减少10.00%"
    assert change_phrase(D(1000000), D(1000000)) == "与上年持平"
    assert change_phrase(D(35010), D(35000)) == "与上年持平"  # 0.001万元 prints as 0.00: no "增加0.00万元"
    assert change_phrase(D(200000), D(0)) == "上年为0.00万元，本年新增20.00万元"
    assert change_phrase(D(0), D(0)) == "与上年持平"
    assert change_phrase(D(5), None) == ""


def test_last_year_printing_zero_is_from_zero():
    """Last year 30 元 prints 0.00万元: to the reader it is 新增, not 增加 (199,970 / 30 =) 666566.67%."""
    from decimal import Decimal as D

    assert change_phrase(D(200000), D(30)) == "上年为0.00万元，本年新增20.00万元"
    assert change_phrase(D(30), D(30)) == "与上年持平"
    story = narrative(budget_from_dict(_variant(prior_year__operating_funds=30)))
    assert "上年0.00万元，本年新增20.00万元" in story.section(8).text and "%" not in story.section(8).text


def test_the_change_printed_is_the_difference_of_the_figures_printed():
    """Both figures are printed to the cent of 万元, so the 增减额 is their difference, not the exact
    change rounded: 200,000 and 199,950 yuan both print 20.00 (19.995 half-up), so 持平 — the exact
    50 yuan would round to 0.01; 14,951 and 14,949 print 1.50 and 1.49: 增加0.01 (exact 2 yuan → 0.00);
    586,350 and 570,049 print 58.64 and 57.00: 增加1.64 (exact 16,301 → 1.63), the percentage on the
    exact yuan, 16,301 / 570,049 = 2.8596% → 2.86%."""
    from decimal import Decimal as D

    assert change_phrase(D(200000), D(199950)) == "与上年持平"
    assert change_phrase(D(14951), D(14949)) == "比上年增加0.01万元，增加0.01%"
    assert change_phrase(D(586350), D(570049)) == "比上年增加1.64万元，增加2.86%"
    assert change_phrase(D(570049), D(586350)) == "比上年减少1.64万元，减少2.78%"  # 16,301 / 586,350
    # the 机关运行经费 sentence prints both: 20.00万元, 上年20.00万元 — never "比上年增加0.01万元"
    story = narrative(budget_from_dict(_variant(prior_year__operating_funds=199950)))
    assert (
        story.section(8).text
        == "2024年，阳高县测试局机关运行经费财政拨款预算20.00万元，上年20.00万元，与上年持平。"
    )


def _variant(**changes) -> dict:
    doc = json.loads(UNIT.read_text("utf-8"))
    for path, value in changes.items():
        target = doc
        *parents, leaf = path.split("__")
        for p in parents:
            target = target[p]
        target[leaf] = value
    return doc


def test_no_prior_year_means_no_comparison():
    doc = _variant()
    doc["prior_year"] = {}
    story = narrative(budget_from_dict(copy.deepcopy(doc)))
    one = story.section(1).text
    assert "比上年" not in one and "主要原因" not in one
    assert story.section(5).text.split("\n")[1] == "2024年度一般公共预算当年拨款165.00万元。"
    assert story.section(8).text == "2024年，阳高县测试局机关运行经费财政拨款预算20.00万元。"


def test_new_from_zero_and_increase():
    doc = _variant(prior_year__general_budget_appropriation=0, prior_year__income_total=2000000)
    story = narrative(budget_from_dict(doc))
    assert "上年为0.00万元，本年新增165.00万元" in story.section(5).text
    assert "增加100.00%" not in story.section(5).text
    # 2,500,000 vs 2,000,000: +500,000 = +25.00 %
    assert (
        "预算收入总计250.00万元，其中：本年收入235.00万元，上年结转15.00万元，比上年增加50.00万元，增加25.00%"
        in (story.section(1).text)
    )


def test_public_institution_has_no_operating_funds():
    doc = _variant(unit__kind="public_institution", unit__level="省级")
    budget = budget_from_dict(doc)
    story = narrative(budget)
    assert story.section(8).text == (
        "阳高县测试局为其他事业单位，不属于行政单位和参照公务员法管理的事业单位，无机关运行经费预算。"
    )
    assert "省财政厅在批复项目预算时同步批复绩效目标" in story.section(10).text
    from xlbudget.report.glossary import glossary

    assert "指省直部门用财政拨款安排" in glossary("省级")[2].definition


def test_a_unit_with_nothing_in_it_still_makes_a_report(tmp_path):
    from tests.conftest import unit_dict

    budget = budget_from_dict(unit_dict())
    story = narrative(budget)
    assert story.section(4).text == "2023年度测试单位无财政拨款收支预算。"
    assert story.section(9).text == "2023年测试单位无政府采购预算。"
    ten = story.section(10).text
    assert "暂无实行绩效目标管理的项目" in ten and "申报表" not in ten
    result = write_report(budget, tmp_path / "空.docx")
    blocks = docx_blocks(result.docx)
    assert result.charts == () and result.forms == 0
    assert blocks.count("注：本表无数据") == 13
