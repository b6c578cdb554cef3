"""The checker on a unit of our own: clean stays clean, each rule finds the error planted for it.

单位 B — a city-level administrative unit, every amount a whole 100 yuan so that no
figure has a rounding tail.  Lines (yuan → 万元):

  basic   2010301 30101 general 1,000,000 (100.00)     2010301 30102 general 500,000 (50.00)
          2010301 30201 general   200,000  (20.00)     2010301 30231 general  30,000  (3.00)
          2080505 30108 general   120,000  (12.00)     2101101 30110 general  60,000  (6.00)
  project 办公设备购置   2010301 general  300,000 (30.00)  绩效目标管理, with its form
          城市绿化       2120801 gov_fund 100,000 (10.00)
          档案数字化结转 2010301 general   50,000  (5.00)  carried over (表13)
  三公    公务用车运行维护费 3.00, 公务接待费 1.00 (general)

By hand: 基本支出 191.00 = 人员经费 168.00 (100+50+12+6) + 公用经费 23.00 (20+3);
本年一般公共预算 191.00 + 30.00 = 221.00; 政府性基金 10.00; 上年结转 5.00; 收入总计 236.00.
Last year: 收入/支出总计 220.00 (+7.27%), 一般公共预算当年拨款 210.00 (+5.24%),
机关运行经费 23.00 (持平), 三公 the same — no change above 10%, so no reason is owed.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from tests.conftest import unit_dict
from tests.helpers.tables_v1 import tables_to_dict
from xlbudget.check import RULES, CheckSettings, Finding, check_budget, check_tables
from xlbudget.check.registry import _REGISTRY, Context, Rule
from xlbudget.check.runner import run_rules
from xlbudget.io.tables_json import tables_from_dict
from xlbudget.io.unit_json import budget_from_dict
from xlbudget.tables import build_tables


def basic(function: str, economic: str, amount: int, fund: str = "general") -> dict[str, Any]:
    return {"function": function, "economic": economic, "fund": fund, "amount": amount, "carryover": False}


def indicator(level1: str, level2: str, name: str, value: str) -> dict[str, str]:
    return {"level1": level1, "level2": level2, "name": name, "period_value": value, "annual_value": value}


UNIT_B: dict[str, Any] = unit_dict(
    unit={"name": "测试市局", "code": "901", "level": "市级", "region": "大同市", "kind": "administrative"},
    overview={
        "duties_intro": "测试市局是市政府工作部门。主要职责是：",
        "duties": ["负责本市测试工作。", "完成市委市政府交办的其他任务。"],
        "organization": "测试市局内设办公室、业务科、财务科3个科室。",
    },
    basic=[
        basic("2010301", "30101", 1_000_000),
        basic("2010301", "30102", 500_000),
        basic("2010301", "30201", 200_000),
        basic("2010301", "30231", 30_000),
        basic("2080505", "30108", 120_000),
        basic("2101101", "30110", 60_000),
    ],
    projects=[
        {
            "name": "办公设备购置",
            "function": "2010301",
            "fund": "general",
            "amount": 300_000,
            "carryover": False,
            "performance_target": True,
        },
        {
            "name": "城市绿化",
            "function": "2120801",
            "fund": "gov_fund",
            "amount": 100_000,
            "carryover": False,
        },
        {
            "name": "档案数字化结转",
            "function": "2010301",
            "fund": "general",
            "amount": 50_000,
            "carryover": True,
        },
    ],
    three_public=[
        {"item": "公务用车运行维护费", "fund": "general", "amount": 30_000},
        {"item": "公务接待费", "fund": "general", "amount": 10_000},
    ],
    procurement={"goods": 300_000, "works": 0, "services": 0},
    prior_year={
        "income_total": 2_200_000,
        "expenditure_total": 2_200_000,
        "general_budget_appropriation": 2_100_000,
        "operating_funds": 230_000,
        "three_public": [
            {"item": "公务用车运行维护费", "fund": "general", "amount": 30_000},
            {"item": "公务接待费", "fund": "general", "amount": 10_000},
        ],
    },
    explanations={
        "total_change": "",
        "general_budget_change": "",
        "operating_funds_change": "",
        "three_public_change": "",
    },
    assets={
        "vehicles": [{"purpose": "机要通信用车", "count": 1}],
        "vehicles_note": "核定保留公务用车1辆，用于机要通信。",
        "building_area_m2": "500.00",
        "other": "通用办公设备、办公家具等。",
    },
    other_notes={"purchase_service_catalog": "暂无政府购买服务项目。", "other": "无"},
    performance_targets=[
        {
            "project": "办公设备购置",
            "department": "901-测试市局",
            "implementer": "测试市局",
            "attribute": "一次性项目",
            "period_years": 1,
            "period_total": 300_000,
            "annual_total": 300_000,
            "funding": {"local": 300_000},
            "annual_funding": {"local": 300_000},
            "overview": "更新老旧办公设备。",
            "basis": "固定资产配置标准",
            "necessity": "保障办公正常运转。",
            "measures": "按《政府采购法》及财预〔2016〕143号执行",
            "plan": "2023年6月前完成采购，12月前完成验收。",
            "period_goal": "完成办公设备更新。",
            "annual_goal": "2023年完成办公设备更新。",
            "indicators": [
                indicator("产出指标", "数量指标", "购置台数", "≥20台"),
                indicator("产出指标", "质量指标", "验收合格率", "=100%"),
                indicator("产出指标", "时效指标", "完成时间", "2023年12月底前"),
                indicator("产出指标", "成本指标", "设备购置费", "≤28万元"),
                indicator("产出指标", "成本指标", "安装调试费", "≤2万元"),
                indicator("效益指标", "社会效益指标", "保障办公正常运转", "保障"),
                indicator("满意度指标", "服务对象满意度指标", "工作人员满意度", "≥95%"),
            ],
        }
    ],
)


def b_doc() -> dict[str, Any]:
    return copy.deepcopy(UNIT_B)


def run(doc: dict[str, Any], **settings: Any) -> list[Finding]:
    return check_budget(budget_from_dict(doc), settings=CheckSettings(**settings))


def at(findings: list[Finding], rule: str) -> set[str]:
    return {str(f.location) for f in findings if f.rule == rule}


def test_unit_b_is_clean() -> None:
    assert run(b_doc()) == []


def test_unit_b_tables_are_what_the_docstring_says() -> None:
    t = tables_to_dict(build_tables(budget_from_dict(b_doc())))["tables"]
    assert t["6"]["rows"]["合计"] == ["191.00", "168.00", "23.00"]
    assert t["1"]["收入总计"] == "236.00"
    assert t["3"]["rows"]["合计"] == ["236.00", "191.00", "45.00"]
    assert t["11"]["rows"]["部门合计"][:2] == ["23.00", "23.00"]


# -- each rule over the unit's data: (rule, what to plant, where it must be found) ------------------


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """A planter: set doc[path] (dots and [i]) to value."""

    def plant(doc: dict[str, Any]) -> None:
        keys: list[Any] = []
        for part in path.split("."):
            name, _, rest = part.partition("[")
            keys.append(name)
            if rest:
                keys += [int(i) for i in rest.rstrip("]").split("][")]
        target = doc
        for k in keys[:-1]:
            target = target[k]
        target[keys[-1]] = value

    return plant


def _drop_satisfaction(doc: dict[str, Any]) -> None:
    form = doc["performance_targets"][0]
    form["indicators"] = [i for i in form["indicators"] if i["level1"] != "满意度指标"]


PLANTED = [
    # rule, planter, location, severity
    ("catalogue.unknown_code", _set("basic[0].economic", "30188"), "basic[0].economic", "error"),
    ("catalogue.unknown_code", _set("projects[1].function", "2018888"), "projects[1].function", "error"),
    ("catalogue.code_depth", _set("basic[2].function", "20103"), "basic[2].function", "error"),
    ("catalogue.code_depth", _set("basic[2].economic", "302"), "basic[2].economic", "error"),
    (
        "performance.project_exists",
        _set("performance_targets[0].project", "办公设备购买"),
        "performance_targets[0].project",
        "error",
    ),
    (
        "performance.annual_amount",
        _set("performance_targets[0].annual_total", 290_000),
        "performance_targets[0].annual_total",
        "error",
    ),
    (
        "performance.funding_total",
        _set("performance_targets[0].annual_funding.local", 280_000),
        "performance_targets[0].annual_total",
        "error",
    ),
    # ≤28万 + ≤2万 = 30万 = the annual amount; ≤29万 makes 31万 > 30万
    (
        "performance.cost_within_annual",
        _set("performance_targets[0].indicators[3].annual_value", "≤29万元"),
        "performance_targets[0].indicators[3].annual_value",
        "error",
    ),
    (
        "performance.dates_in_year",
        _set("performance_targets[0].indicators[2].annual_value", "2022年12月底前"),
        "performance_targets[0].indicators[2].annual_value",
        "warning",
    ),
    (
        "performance.dates_in_year",
        _set("performance_targets[0].plan", "2022年，本局当年申报的项目全部实行绩效目标管理"),
        "performance_targets[0].plan",
        "warning",
    ),
    ("performance.indicator_groups", _drop_satisfaction, "performance_targets[0].indicators", "error"),
    (
        "performance.value_format",
        _set("performance_targets[0].indicators[0].annual_value", "≥20"),
        "performance_targets[0].indicators[0].annual_value",
        "warning",
    ),
    (
        "performance.value_format",
        _set("performance_targets[0].indicators[1].annual_value", ""),
        "performance_targets[0].indicators[1].annual_value",
        "error",
    ),
    (
        "performance.value_format",
        _set("performance_targets[0].indicators[3].annual_value", "≤28台"),
        "performance_targets[0].indicators[3].annual_value",
        "warning",
    ),
    (
        "performance.form_missing",
        _set("projects[1].performance_target", True),
        "projects[1].performance_target",
        "warning",
    ),
    (
        "narrative.placeholder",
        _set("explanations.total_change", "主要原因是XX项目增加"),
        "explanations.total_change",
        "error",
    ),
    ("narrative.placeholder", _set("overview.duties[1]", "待填写"), "overview.duties[1]", "error"),
    ("narrative.placeholder", _set("assets.other", "【】"), "assets.other", "error"),
    ("narrative.placeholder", _set("other_notes.other", "详见……"), "other_notes.other", "error"),
    (
        "narrative.placeholder",
        _set("performance_targets[0].overview", "××项目"),
        "performance_targets[0].overview",
        "error",
    ),
    (
        "narrative.year_mentions",
        _set("other_notes.other", "参照2019年标准执行"),
        "other_notes.other",
        "warning",
    ),
    (
        "narrative.year_mentions",
        _set("performance_targets[0].basis", "依据2019年印发的配置标准"),
        "performance_targets[0].basis",
        "warning",
    ),
    ("narrative.level_wording", _set("assets.other", "按省直部门标准配置"), "assets.other", "warning"),
    # 收入总计 last year 180.00: 236.00 is +31.11% > 10%, and no reason typed
    (
        "narrative.change_reason",
        _set("prior_year.income_total", 1_800_000),
        "explanations.total_change",
        "warning",
    ),
    # 一般公共预算当年拨款 last year 150.00: 221.00 is +47.33%
    (
        "narrative.change_reason",
        _set("prior_year.general_budget_appropriation", 1_500_000),
        "explanations.general_budget_change",
        "warning",
    ),
    # 机关运行经费 last year 18.00: 23.00 is +27.78% (over 50% would be year.large_change's, below)
    (
        "narrative.change_reason",
        _set("prior_year.operating_funds", 180_000),
        "explanations.operating_funds_change",
        "warning",
    ),
    # 机关运行经费 last year 10.00: 23.00 is +130.00%, more than 50%, and no reason typed
    (
        "year.large_change",
        _set("prior_year.operating_funds", 100_000),
        "prior_year.operating_funds",
        "warning",
    ),
    # 收入总计 220.00 → 236.00 is an increase, explained by cuts only
    (
        "year.reason_direction",
        _set("explanations.total_change", "压减一般性支出，公用经费减少。"),
        "explanations.total_change",
        "warning",
    ),
    (
        "year.review_mark",
        _set("performance_targets[0].overview", "【待复核】更新老旧办公设备。"),
        "performance_targets[0].overview",
        "error",
    ),
    ("completeness.sections", _set("overview.organization", ""), "overview.organization", "error"),
    ("completeness.sections", _set("overview.duties", []), "overview.duties", "error"),
    (
        "completeness.sections",
        _set("prior_year.three_public[1].amount", 20_000),
        "explanations.three_public_change",
        "warning",
    ),
    ("completeness.sections", _set("assets", {}), "assets.vehicles_note", "warning"),
    (
        "completeness.sections",
        _set("prior_year.general_budget_appropriation", None),
        "prior_year.general_budget_appropriation",
        "warning",
    ),
    (
        "unit.operating_funds_kind",
        _set("unit.kind", "public_institution"),
        "prior_year.operating_funds",
        "warning",
    ),
    # 城市绿化 renamed to the name of the project above it: both are this year's, both in 表12
    ("lines.duplicate_project", _set("projects[1].name", "办公设备购置"), "projects[1].name", "warning"),
    # 60,000 元 of 2101101 typed as 6 (万元): under 100 元
    ("lines.looks_like_wan", _set("basic[5].amount", 6), "basic[5].amount", "warning"),
    # last year's 项 add up to 170.00 + 12.00 + 6.00 = 188.00 万元, not the 210.00 typed as 上年一般公共预算当年拨款:
    # 220,000 元 short, so a 项 is missing — at the row it would go in, the 4th
    (
        "year.prior_functions_total",
        _set(
            "prior_year.functions",
            [
                {"function": "2010301", "amount": 1_700_000},
                {"function": "2080505", "amount": 120_000},
                {"function": "2101101", "amount": 60_000},
            ],
        ),
        "prior_year.functions[3]",
        "error",
    ),
    # last year's 项 add up to the 210.00 (191.00 + 19.00), but 2010302 (19.00) has no line this year
    (
        "year.function_dropped",
        _set(
            "prior_year.functions",
            [{"function": "2010301", "amount": 1_910_000}, {"function": "2010302", "amount": 190_000}],
        ),
        "prior_year.functions[1].function",
        "warning",
    ),
    # 300.00 万元 of goods against 236.00 万元 of lines (191.00 basic + 45.00 projects, worked out above)
    (
        "completeness.procurement_within_budget",
        _set("procurement.goods", 3_000_000),
        "procurement.total",
        "error",
    ),
    # a 上海市 unit: shanghai-9 prints no 上年结转, so 档案数字化结转 (carried over) is in no table
    (
        "completeness.carryover_not_printed",
        _set("unit.province", "上海市"),
        "projects[2].carryover",
        "warning",
    ),
]


@pytest.mark.parametrize(
    ("rule", "plant", "location", "severity"), PLANTED, ids=[f"{p[0]}@{p[2]}" for p in PLANTED]
)
def test_each_rule_finds_its_planted_error(rule: str, plant: Callable, location: str, severity: str) -> None:
    doc = b_doc()
    plant(doc)
    found = [f for f in run(doc) if f.rule == rule and str(f.location) == location]
    assert found, f"{rule} did not report {location}: {run(doc)}"
    assert {f.severity for f in found} == {severity}
    assert run(b_doc()) == []  # and the clean one stays clean


# Budget rules that need the tables as shown: planted in the tests below.
WITH_SHOWN_TABLES = {"cross.tables_match_lines"}


# Budget rules of another document's units, planted in that document's tests.
PLANTED_ELSEWHERE = {"narrative.function_item_reason": "tests/test_report_shanghai.py"}


def test_every_budget_rule_has_a_planted_test() -> None:
    budget_rules = {r.id for r in RULES.values() if r.scope == "budget"}
    planted = {p[0] for p in PLANTED} | WITH_SHOWN_TABLES | set(PLANTED_ELSEWHERE)
    assert budget_rules <= planted


def shown_tables(edit: Callable[[dict[str, Any]], None] | None = None) -> Any:
    """单位 B's tables as a reader would see them (written out and read back), optionally edited."""
    doc = tables_to_dict(build_tables(budget_from_dict(b_doc())))
    if edit:
        edit(doc["tables"])
    return tables_from_dict(doc)


def test_tables_shown_as_derived_are_clean() -> None:
    assert check_budget(budget_from_dict(b_doc()), shown_tables()) == []


def test_lines_changed_after_the_tables_were_filled_show_every_column_that_moved() -> None:
    """The 30102 line (50.00 万元, 人员经费) recoded 30202 after 计算: in 表6's 合计 row 人员经费 should be
    118.00 (168.00 − 50.00) and 公用经费 73.00 (23.00 + 50.00); the 合计 191.00 is unchanged.  Both columns
    are named — before, only the first one that differed was."""
    doc = b_doc()
    doc["basic"][1]["economic"] = "30202"
    findings = check_budget(budget_from_dict(doc), shown_tables())
    totals = {
        (f.expected, f.actual)
        for f in findings
        if f.rule == "cross.tables_match_lines" and f.table == 6 and "合计（" in f.message
    }
    assert totals == {("118.00", "168.00"), ("73.00", "23.00")}


def test_tables_shown_that_differ_from_the_lines() -> None:
    """A figure typed over in a 表N sheet, consistently enough that the table itself still adds up."""

    def edit(t: dict[str, Any]) -> None:
        t["12"]["rows"]["办公设备购置"] = ["31.00", "31.00"]
        t["1"]["收入总计"] = "237.00"
        del t["3"]["rows"]["2120801"]

    findings = check_budget(budget_from_dict(b_doc()), shown_tables(edit))
    got = {(str(f.location), f.expected, f.actual) for f in findings if f.rule == "cross.tables_match_lines"}
    assert got == {
        ("tables.12.rows.办公设备购置[0]", "30.00", "31.00"),
        ("tables.1.收入总计", "236.00", "237.00"),
        ("预算公开表3 「2120801 征地和拆迁补偿支出」", "10.00", None),
    }


def test_cost_indicators_exactly_the_annual_amount_are_fine() -> None:
    # ≤28万元 + ≤2万元 = 30万元 = 300,000 元 (clean); 元 units count too
    doc = b_doc()
    _set("performance_targets[0].indicators[4].annual_value", "≤20000元")(doc)
    _set("performance_targets[0].indicators[4].period_value", "≤20000元")(doc)
    assert run(doc) == []


def test_change_reason_threshold_and_flat() -> None:
    doc = b_doc()
    _set("prior_year.income_total", 1_800_000)(doc)  # +31.11%
    assert at(run(doc, change_threshold=Decimal("40")), "narrative.change_reason") == set()
    _set("explanations.total_change", "新增城市绿化项目。")(doc)
    assert at(run(doc), "narrative.change_reason") == set()
    # 持平: the same printed 万元 figure needs no reason, even if the yuan differ by a few
    flat = b_doc()
    _set("prior_year.operating_funds", 230_040)(flat)  # 23.00 → 23.00
    assert run(flat) == []


def test_general_budget_change_reason_may_be_the_totals_when_the_change_is_the_same() -> None:
    # Like the seed: 一般公共预算 is all the money, so the two changes are one and the same.
    doc = b_doc()
    doc["projects"] = [p for p in doc["projects"] if p["fund"] == "general" and not p.get("carryover")]
    _set("prior_year.income_total", 1_500_000)(doc)
    _set("prior_year.expenditure_total", 1_500_000)(doc)
    _set("prior_year.general_budget_appropriation", 1_500_000)(doc)
    assert at(run(doc), "narrative.change_reason") == {
        "explanations.total_change",
        "explanations.general_budget_change",
    }
    _set("explanations.total_change", "人员增加。")(doc)
    assert at(run(doc), "narrative.change_reason") == set()


def test_document_numbers_are_not_dates() -> None:
    doc = b_doc()
    _set("performance_targets[0].measures", "同财行[2019]36号 关于印发《市直机关差旅费管理办法》的通知")(doc)
    _set("other_notes.other", "依据财预〔2016〕143号公开。")(doc)
    assert run(doc) == []


def test_public_institution_prints_no_operating_funds() -> None:
    """A 其他事业单位 with a 表11 figure (tables as shown, e.g. typed into the workbook): an error at that cell."""
    admin = budget_from_dict(b_doc())
    shown = tables_from_dict(tables_to_dict(build_tables(admin)))
    doc = b_doc()
    doc["unit"]["kind"] = "public_institution"
    del doc["prior_year"]["operating_funds"]
    findings = check_budget(budget_from_dict(doc), shown)
    t11 = [f for f in findings if f.rule == "unit.operating_funds_kind"]
    assert [(str(f.location), f.severity, f.actual) for f in t11] == [
        ("tables.11.rows.部门合计[0]", "error", "23.00")
    ]
    # derived for a public institution, 表11 is empty and nothing is reported
    assert run(doc) == []


def test_tables_shown_with_a_row_the_lines_do_not_reach() -> None:
    """Tables read back (e.g. from the workbook) carrying a code the unit has no lines for."""
    shown = tables_to_dict(build_tables(budget_from_dict(b_doc())))
    shown["tables"]["3"]["rows"]["2010501"] = ["", "", ""]
    findings = check_budget(budget_from_dict(b_doc()), tables_from_dict(shown))
    residue = [f for f in findings if f.rule == "catalogue.template_residue"]
    assert [(str(f.location), f.severity) for f in residue] == [("tables.3.rows.2010501[0]", "warning")]


def test_skip_switches_rules_off() -> None:
    doc = b_doc()
    _set("performance_targets[0].indicators[2].annual_value", "2022年12月底前")(doc)
    assert at(run(doc), "performance.dates_in_year")
    assert run(doc, skip=frozenset({"performance.dates_in_year"})) == []


def test_a_crashing_rule_becomes_one_internal_finding_and_the_run_goes_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def crash(ctx: Context) -> list[Finding]:
        """Always fails (test)."""
        raise ZeroDivisionError("boom")

    monkeypatch.setitem(_REGISTRY, "test.crash", Rule("test.crash", "budget", "crash", crash))
    doc = b_doc()
    _set("explanations.total_change", "XX")(doc)
    budget = budget_from_dict(doc)
    findings = run_rules(Context(tables=build_tables(budget), budget=budget), ("tables", "budget"))
    internal = [f for f in findings if f.rule == "internal"]
    assert [(f.severity, str(f.location)) for f in internal] == [("error", "test.crash")]
    assert "test.crash" in internal[0].message
    assert at(findings, "narrative.placeholder") == {"explanations.total_change"}


def test_rules_have_docstrings_and_stable_ids() -> None:
    for rule_id, rule in RULES.items():
        assert rule.id == rule_id
        assert rule.doc.strip(), rule_id
        assert rule_id == "internal" or "." in rule_id
    with pytest.raises(TypeError):
        RULES["x"] = RULES["internal"]  # type: ignore[index]


def test_check_tables_of_unit_b_export_is_clean() -> None:
    exported = tables_to_dict(build_tables(budget_from_dict(b_doc())))
    assert check_tables(tables_from_dict(exported)) == []


def test_year_without_a_catalogue_is_one_error_and_the_unit_rules_still_run() -> None:
    doc = b_doc()
    doc["year"] = 2010  # no 2010 (nor earlier) catalogue ships
    _set("explanations.total_change", "XX")(doc)
    findings = run(doc)
    errors = [(f.rule, str(f.location)) for f in findings if f.severity == "error"]
    assert errors == [
        ("catalogue.unknown_code", "year"),
        ("narrative.placeholder", "explanations.total_change"),
    ]
    assert not any(f.rule.startswith(("table.", "cross.", "completeness.tables")) for f in findings)


def test_period_dates_may_name_any_year_of_the_project_period() -> None:
    doc = b_doc()
    form = doc["performance_targets"][0]
    form["period_goal"] = "2021年至2024年完成全部办公设备更新。"
    _set("performance_targets[0].indicators[2].period_value", "2021年-2024年")(doc)
    assert {str(f.location) for f in run(doc)} == {
        "performance_targets[0].period_goal",
        "performance_targets[0].indicators[2].period_value",
    }  # a one-year project: 2021 and 2024 are not its years
    form["period_years"] = 4  # 2020…2026 may hold a four-year 项目期 that includes 2023
    assert run(doc) == []


def test_full_width_code_is_unknown_and_says_how_to_write_it() -> None:
    doc = b_doc()
    _set("basic[0].function", "２０１０３０１")(doc)
    (f,) = [f for f in run(doc) if f.rule == "catalogue.unknown_code"]
    assert (str(f.location), f.expected, f.actual) == ("basic[0].function", "2010301", "２０１０３０１")


def test_a_form_of_a_project_without_an_amount_says_so() -> None:
    """The projects kept in 项目支出 with 0 (as `new --empty` leaves them): 表12 and 表13 print 本表无数据, and
    办公设备购置's form is not "not in 表12, check the name" — the name is right; it has no amount yet."""
    doc = b_doc()
    for project in doc["projects"]:
        project["amount"] = 0
    [f] = [f for f in check_budget(budget_from_dict(doc)) if f.rule == "performance.project_exists"]
    assert f.message.startswith("项目支出中的“办公设备购置”还没有金额，表12、表13不列出该项目")
    assert "名称须与" not in f.message
