"""The checker on the seed (大同市信访局 2023): the fixture, the golden tables, and the seed's own errors.

Expected values come from the published report and ../shared/golden/datong-xinfang-2023.narrative.md:
its 2023 forms date 维稳工作经费-1 and 信访工作经费 "2022年…"; 表6 prints four rounding tails (453.40 vs
453.39, 58.64 vs 58.63, 523.52 vs 523.53, 464.88 vs 464.89); 表9 carries another unit's template rows under
the heading 部门公开表9; the glossary says 省直部门 in a city report; the performance section says 2022年.
Two seed errors cannot be expressed in the inputs (2.9% for 2.87%, 10 projects for 12): both are sentences
the report generator writes from the figures, not values a user types.
"""

from __future__ import annotations

from typing import Any

from tests.conftest import GOLDEN_TABLES, SEED_JSON
from xlbudget.check import Finding, check_budget, check_tables
from xlbudget.io.tables_json import tables_from_dict
from xlbudget.io.unit_json import budget_from_dict, read_unit_json

SEED_TAILS = {
    # location, expected (sum of the printed parts), actual (printed)
    ("tables.6.rows.合计[0]", "523.53", "523.52"),  # 合计: 453.40 + 58.64 + 11.49
    ("tables.6.rows.合计[1]", "464.89", "464.88"),  # 人员经费: 453.40 + 11.49
    ("tables.6.rows.301[0]", "453.39", "453.40"),  # 工资福利支出: 153.08+117.13+62.54+50.00+18.39+0.63+51.62
    ("tables.6.rows.302[0]", "58.63", "58.64"),  # 商品和服务支出: 11.70+2.58+9.04+3.50+29.61+2.20
}
# Projects under 绩效目标管理 in the fixture without a form in the published report.
WITHOUT_FORM = {1, 2, 3, 8, 9, 10, 11}


def by(findings: list[Finding], severity: str) -> list[Finding]:
    return [f for f in findings if f.severity == severity]


def test_fixture_has_no_error_and_warns_of_the_2022_dates() -> None:
    findings = check_budget(read_unit_json(SEED_JSON))
    assert by(findings, "error") == []
    dates = {(str(f.location), f.actual) for f in findings if f.rule == "performance.dates_in_year"}
    assert dates == {
        ("performance_targets[0].indicators[4].annual_value", "2022年1月-12月"),  # Z维稳工作经费-1
        ("performance_targets[2].indicators[5].annual_value", "2022年1月至12月"),  # Z信访工作经费
    }
    assert all(f.severity == "warning" for f in findings if f.rule == "performance.dates_in_year")
    # the other warnings: projects flagged for 绩效目标管理 whose form the report does not carry
    others = {
        (f.rule, str(f.location)) for f in by(findings, "warning") if f.rule != "performance.dates_in_year"
    }
    assert others == {("performance.form_missing", f"projects[{i}].performance_target") for i in WITHOUT_FORM}
    # derived tables print the same four tails as the published ones
    tails = {(f.expected, f.actual) for f in by(findings, "info")}
    assert tails == {(e, a) for _, e, a in SEED_TAILS}


def test_golden_tables_have_no_error_and_exactly_the_four_tails() -> None:
    findings = check_tables(tables_from_dict(_golden()))
    assert [f for f in findings if f.severity != "info"] == []
    assert {(f.rule, str(f.location), f.expected, f.actual) for f in findings} == {
        ("rounding.tail", *tail) for tail in SEED_TAILS
    }
    assert len(findings) == 4


def _golden() -> dict[str, Any]:
    import json

    return json.loads(GOLDEN_TABLES.read_text("utf-8"))


def _seed_t9_as_printed() -> dict[str, Any]:
    """表9 as the seed prints it: zero rows of another unit's template, heading 部门公开表9."""
    zero, blank = ["0.00", "", "0.00", "0.00"], ["", "", "", ""]
    keys = {
        "201": zero,
        "20105": zero,
        "2010501": blank,
        "2010505": blank,
        "2010507": blank,
        "2010508": blank,
        "2010550": blank,
        "208": zero,
        "20805": zero,
        "2080501": blank,
        "2080505": blank,
        "210": zero,
        "21011": zero,
        "2101101": blank,
        "2101102": blank,
        "2101103": blank,
        "221": zero,
        "22102": zero,
        "2210201": blank,
    }
    return {
        "label": "部门公开表9",
        "title": "2023年国有资本经营预算收支预算表（不含上年结转）",
        "columns": ["国有资本经营收入预算", "合计", "基本支出", "项目支出"],
        "rows": {"合计": ["0.00", "0.00", "0.00", "0.00"], **keys},
        "note": "注：本表无数据",
    }


def test_seed_t9_template_rows_and_heading_are_reported() -> None:
    doc = _golden()
    doc["tables"]["9"] = _seed_t9_as_printed()
    findings = check_tables(tables_from_dict(doc))
    assert by(findings, "error") == []
    got = {(f.rule, str(f.location)) for f in by(findings, "warning")}
    assert ("completeness.table_heading", "tables.9.label") in got
    residue = {loc for rule, loc in got if rule == "catalogue.template_residue"}
    assert "tables.9.rows.20105[0]" in residue and "tables.9.rows.2010501[0]" in residue
    assert len(residue) == 19  # every code row of that table
    # the tables format marks an empty table with "empty": true; with rows but no mark it is reported too
    assert ("completeness.empty_marked", "tables.9") in got


def test_old_class_name_in_published_tables_is_an_error() -> None:
    doc = _golden()
    for n in ("1", "4"):
        exp = doc["tables"][n]["expenditure"]
        doc["tables"][n]["expenditure"] = {
            ("医疗卫生与计划生育支出" if k == "卫生健康支出" else k): v for k, v in exp.items()
        }
    findings = check_tables(tables_from_dict(doc))
    assert {(f.rule, str(f.location), f.severity) for f in by(findings, "error")} == {
        ("catalogue.name_mismatch", "tables.1.expenditure.医疗卫生与计划生育支出[0]", "error"),
        ("catalogue.name_mismatch", "tables.4.expenditure.医疗卫生与计划生育支出[0]", "error"),
    }


def test_provincial_wording_in_a_city_report_is_a_warning(seed_copy: dict[str, Any]) -> None:
    seed_copy["other_notes"]["other"] = (
        "“三公”经费：指省直部门用财政拨款安排的因公出国（境）费用、公务用车购置及运行费和公务接待费。"
    )
    findings = check_budget(budget_from_dict(seed_copy))
    assert ("narrative.level_wording", "warning", "other_notes.other") in {
        (f.rule, f.severity, str(f.location)) for f in findings
    }


def test_performance_text_dated_last_year_is_a_warning(seed_copy: dict[str, Any]) -> None:
    seed_copy["performance_targets"][1]["plan"] = (
        "2022年，大同市信访局本级当年申报预算的项目全部实行绩效目标管理。"
    )
    findings = check_budget(budget_from_dict(seed_copy))
    assert ("performance.dates_in_year", "warning", "performance_targets[1].plan") in {
        (f.rule, f.severity, str(f.location)) for f in findings
    }


def test_seed_project_budget_off_its_form_is_an_error(seed_copy: dict[str, Any]) -> None:
    # 维稳工作经费-1: the form says 年度资金总额 1,405,000 元; the budget line now 1,400,000 元
    seed_copy["projects"][4]["amount"] = 1_400_000
    findings = check_budget(budget_from_dict(seed_copy))
    assert [(f.rule, str(f.location), f.expected, f.actual) for f in by(findings, "error")] == [
        (
            "performance.annual_amount",
            "performance_targets[0].annual_total",
            "1,400,000.00元",
            "1,405,000.00元",
        )
    ]
