"""部门 scope: a department's budget is its units' lines together. Figures worked out by hand.

部门 测试局 (市级, 大同市, shanxi-13) has three units:

  测试局（本级）    行政单位 (administrative)
    basic   2010101 30101 general   300,000   人员
            2010101 30201 general    40,000   公用
            2080505 30108 general    60,000   人员
    project A信息化 2010102 general 100,000   绩效目标管理
    三公     公务接待费 general        10,000
    采购     货物 50,000
    上年     收入 450,000 · 支出 450,000 · 一般公共预算拨款 450,000 · 机关运行经费 38,000 · 接待费 10,000
  测试局信息中心    参公事业单位 (civil_service_institution)
    basic   2010150 30101 general   120,000
            2010150 30201 general    15,000
    三公     公务用车运行维护费 general 5,000
    采购     服务 20,000
    上年     收入 130,000 · 支出 130,000 · 一般公共预算拨款 130,000 · 机关运行经费 15,000
  测试局服务站      其他事业单位 (public_institution)
    basic   2010150 30101 general    70,000
            2010150 30201 general     8,000
    project C自筹   2010102 unit_funds 12,000
    上年     none given

The 部门预算 (万元):
  收入总计 = 支出总计 = 400k + 100k + 135k + 78k + 12k = 725,000 → 72.50;
  一般公共预算 713,000 → 71.30, 单位资金 12,000 → 1.20;
  表3 合计 72.50 = 基本 (400 + 135 + 78 = 613k) 61.30 + 项目 (112k) 11.20;
  表6 公用经费 40k + 15k + 8k = 63,000 → 6.30, 人员经费 550,000 → 55.00;
  表11 机关运行经费: 行政/参公 units only: 部门合计 40k + 15k = 55,000 → 5.50, then 测试局（本级） 4.00 and
       测试局信息中心 1.50 (服务站's 8,000 公用经费 is no 机关运行经费, and the 服务站 has no row);
  表10 三公 合计 15,000 → 1.50 (接待 1.00, 运行维护 0.50);
  政府采购 70,000 (货物 50,000, 服务 20,000);
  上年: 收入/支出/拨款 not summed (the 服务站 gives none); 机关运行经费 38k + 15k = 53,000 (only the two
       units that have them, both give it); 上年“三公” not summed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import examples, unit_dict
from tests.helpers.tables_v1 import tables_to_dict
from tests.test_tables_properties import basic_lines, project_lines
from xlbudget.department import (
    Department,
    check_department,
    department_budget,
    prior_year_notes,
)
from xlbudget.errors import InputError
from xlbudget.io.department_json import read_department
from xlbudget.io.tables_json import tables_from_dict
from xlbudget.io.unit_json import budget_from_dict
from xlbudget.model import Unit, UnitBudget
from xlbudget.profiles import available_profiles, load_profile
from xlbudget.tables import build_tables

ROOT = Path(__file__).resolve().parents[1]
HEAD, CENTRE, STATION = "测试局（本级）", "测试局信息中心", "测试局服务站"


def basic(function: str, economic: str, amount: int, fund: str = "general") -> dict[str, Any]:
    return {"function": function, "economic": economic, "fund": fund, "amount": amount}


def texts(name: str) -> dict[str, Any]:
    return {
        "overview": {
            "duties_intro": f"{name}的职责：",
            "duties": ["做好本职工作"],
            "organization": "内设综合科。",
        },
        "assets": {"vehicles_note": "无公务用车。", "building_area_m2": "100", "other": "办公设备若干。"},
    }


UNITS: dict[str, dict[str, Any]] = {
    HEAD: unit_dict(
        unit={"name": HEAD, "code": "901", "level": "市级", "region": "大同市", "kind": "administrative"},
        basic=[
            basic("2010101", "30101", 300_000),
            basic("2010101", "30201", 40_000),
            basic("2080505", "30108", 60_000),
        ],
        projects=[
            {
                "name": "A信息化",
                "function": "2010102",
                "fund": "general",
                "amount": 100_000,
                "performance_target": True,
            }
        ],
        three_public=[{"item": "公务接待费", "fund": "general", "amount": 10_000}],
        procurement={"goods": 50_000},
        prior_year={
            "income_total": 450_000,
            "expenditure_total": 450_000,
            "general_budget_appropriation": 450_000,
            "operating_funds": 38_000,
            "three_public": [{"item": "公务接待费", "fund": "general", "amount": 10_000}],
        },
        performance_targets=[
            {
                "project": "A信息化",
                "department": "901-测试局[部门]",
                "implementer": HEAD,
                "period_years": 1,
                "period_total": 100_000,
                "annual_total": 100_000,
                "funding": {"local": 100_000},
                "annual_funding": {"local": 100_000},
                "period_goal": "完成系统建设",
                "annual_goal": "完成系统建设",
                "indicators": [
                    {
                        "level1": "产出指标",
                        "level2": "数量指标",
                        "name": "系统数",
                        "period_value": "=1套",
                        "annual_value": "=1套",
                    },
                    {
                        "level1": "效益指标",
                        "level2": "社会效益指标",
                        "name": "办事效率",
                        "period_value": "提高",
                        "annual_value": "提高",
                    },
                    {
                        "level1": "满意度指标",
                        "level2": "服务对象满意度指标",
                        "name": "满意度",
                        "period_value": "≥90%",
                        "annual_value": "≥90%",
                    },
                ],
            }
        ],
        **texts(HEAD),
    ),
    CENTRE: unit_dict(
        unit={
            "name": CENTRE,
            "code": "901",
            "level": "市级",
            "region": "大同市",
            "kind": "civil_service_institution",
        },
        basic=[basic("2010150", "30101", 120_000), basic("2010150", "30201", 15_000)],
        three_public=[{"item": "公务用车运行维护费", "fund": "general", "amount": 5_000}],
        procurement={"services": 20_000},
        prior_year={
            "income_total": 130_000,
            "expenditure_total": 130_000,
            "general_budget_appropriation": 130_000,
            "operating_funds": 15_000,
        },
        **texts(CENTRE),
    ),
    STATION: unit_dict(
        unit={
            "name": STATION,
            "code": "901",
            "level": "市级",
            "region": "大同市",
            "kind": "public_institution",
        },
        basic=[basic("2010150", "30101", 70_000), basic("2010150", "30201", 8_000)],
        projects=[{"name": "C自筹", "function": "2010102", "fund": "unit_funds", "amount": 12_000}],
        **texts(STATION),
    ),
}

DEPT_INFO: dict[str, Any] = {
    "schema": "xlbudget/department/1",
    "year": 2023,
    "department": {
        "name": "测试局",
        "code": "901",
        "level": "市级",
        "region": "大同市",
        "province": "山西省",
    },
    "units": [HEAD, CENTRE, STATION],
    "overview": {
        "duties_intro": "测试局是市政府的工作部门。主要职责是：",
        "duties": ["负责测试工作"],
        "organization": "测试局部门预算包括本级和下属 2 个单位：测试局信息中心、测试局服务站。",
    },
    "assets": {
        "vehicles": [{"purpose": "机要通信用车", "count": 1}],
        "building_area_m2": "300",
        "other": "办公设备。",
    },
}


def inline_department() -> Department:
    units = tuple(budget_from_dict(UNITS[name], f"{name}.json") for name in (HEAD, CENTRE, STATION))
    return Department(
        unit=Unit(name="测试局", code="901", region="大同市", province="山西省"), year=2023, units=units
    )


def wan(t: dict[str, Any], number: int, key: str) -> list[str]:
    return t[str(number)]["rows"][key]


def test_three_units_make_the_departments_tables() -> None:
    budget = department_budget(inline_department())
    assert budget.scope == "department" and [u.name for u in budget.units] == [HEAD, CENTRE, STATION]
    tables = build_tables(budget)
    assert tables.scope == "department" and tables.unit == "测试局" and tables.profile == "shanxi-13"
    t = tables_to_dict(tables)["tables"]
    assert t["1"]["收入总计"] == "72.50" and t["1"]["支出总计"][0] == "72.50"
    assert t["2"]["rows"]["合计"][:2] == ["72.50", "71.30"] and t["2"]["rows"]["合计"][5] == "1.20"
    assert wan(t, 3, "合计") == ["72.50", "61.30", "11.20"]
    assert wan(t, 6, "合计") == ["61.30", "55.00", "6.30"]
    # 表11: 部门合计 then one row per 行政/参公 unit; the 其他事业单位 neither counts nor prints
    assert list(t["11"]["rows"]) == ["部门合计", HEAD, CENTRE]
    assert wan(t, 11, "部门合计")[:2] == ["5.50", "5.50"]
    assert wan(t, 11, HEAD)[:2] == ["4.00", "4.00"] and wan(t, 11, CENTRE)[:2] == ["1.50", "1.50"]
    assert wan(t, 10, "合计")[:2] == ["1.50", "1.50"]
    assert wan(t, 10, "公务接待费")[:2] == ["1.00", "1.00"]
    assert wan(t, 10, "②公务用车运行维护费")[:2] == ["0.50", "0.50"]
    assert list(t["12"]["rows"]) == ["A信息化", "C自筹"]
    assert budget.procurement.total == Decimal(70_000)
    assert len(budget.performance_targets) == 1


def test_every_line_keeps_its_unit_and_its_source() -> None:
    budget = department_budget(inline_department())
    assert [(x.unit, x.amount) for x in budget.basic[3:5]] == [(CENTRE, 120_000), (CENTRE, 15_000)]
    station_line = budget.basic[-1]
    assert station_line.unit == STATION and station_line.source.file == f"{STATION}.json"
    assert str(station_line.source.at("amount")) == "basic[1].amount"
    assert {t.unit for t in budget.three_public} == {HEAD, CENTRE}


def test_prior_year_summed_only_where_every_unit_gives_it() -> None:
    dept = inline_department()
    prior = department_budget(dept).prior_year
    assert prior.income_total is None and prior.expenditure_total is None
    assert prior.general_budget_appropriation is None and prior.three_public == ()
    assert prior.operating_funds == Decimal(53_000)  # the two units that have 机关运行经费, both given
    notes = prior_year_notes(dept)
    assert any(STATION in n and "上年预算收入总计" in n for n in notes)
    assert not any("机关运行经费" in n for n in notes)
    # all three give it → summed
    with_prior = {
        **UNITS[STATION],
        "prior_year": {"income_total": 1, "expenditure_total": 2, "general_budget_appropriation": 3},
    }
    units = (dept.units[0], dept.units[1], budget_from_dict(with_prior, "s.json"))
    prior = department_budget(Department(dept.unit, 2023, units)).prior_year
    assert prior.income_total == Decimal(580_001) and prior.general_budget_appropriation == Decimal(580_003)
    assert [(t.item, t.amount) for t in prior.three_public] == [("公务接待费", Decimal(10_000))]


def assert_the_sum_of_its_units(dept: Department, profile: str) -> None:
    """Every figure of every table is the sum of the same figure in the units' own tables, in exact yuan;
    机关运行经费: 部门合计 = Σ its unit rows, one row per 行政/参公 unit, each that unit's own figure."""
    mine = build_tables(department_budget(dept), profile=profile)
    # each unit's figures in the department's columns (Shanghai's 部门 表1 prints one 预算数 column)
    as_printed = load_profile(profile).scoped("department")
    theirs = [build_tables(b, profile=as_printed) for b in dept.units]
    for table in mine.tables:
        if table.layout == "operating_funds":
            owners = [(b, ts) for b, ts in zip(dept.units, theirs, strict=True) if b.unit.has_operating_funds]
            if not owners:
                assert table.empty
                continue
            total, *rows = table.rows
            assert [r.key for r in rows] == [b.unit.name for b, _ in owners]
            for r, (b, ts) in zip(rows, owners, strict=True):
                assert r.values == ts[table.number].row(b.unit.name).values  # type: ignore[union-attr]
            assert list(total.values) == [
                sum(vs, Decimal(0)) for vs in zip(*(r.values for r in rows), strict=True)
            ]
            continue
        for part in ("rows", "income"):
            want: dict[tuple[str, int], Decimal] = {}
            for ts in theirs:
                for row in getattr(ts[table.number], part):
                    for i, v in enumerate(row.values):
                        want[(row.key, i)] = want.get((row.key, i), Decimal(0)) + v
            got: dict[tuple[str, int], Decimal] = {}
            for r in getattr(table, part):
                for i, v in enumerate(r.values):
                    got[(r.key, i)] = got.get((r.key, i), Decimal(0)) + v  # two same-name projects: both
            assert {k: v for k, v in got.items() if v} == {k: v for k, v in want.items() if v}, (
                table.number,
                part,
            )
        for label, values in table.totals.items():
            summed = [
                sum((ts[table.number].totals[label][i] for ts in theirs), Decimal(0))
                for i in range(len(values))
            ]
            assert list(values) == summed, (table.number, label)


@pytest.mark.parametrize("profile", available_profiles())
def test_the_sum_of_the_units_is_the_departments_tables(profile: str) -> None:
    assert_the_sum_of_its_units(inline_department(), profile)


KINDS = ["administrative", "civil_service_institution", "public_institution"]


@settings(max_examples=examples(60), deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(KINDS),
            st.lists(basic_lines, max_size=12).map(tuple),
            st.lists(project_lines, max_size=5).map(tuple),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_any_department_is_the_sum_of_its_units(parts: list[tuple[str, tuple, tuple]]) -> None:
    units = tuple(
        UnitBudget(year=2023, unit=Unit(name=f"单位{i}", kind=kind), basic=basic, projects=projects)
        for i, (kind, basic, projects) in enumerate(parts)
    )
    dept = Department(unit=Unit(name="随机部门"), year=2023, units=units)
    assert_the_sum_of_its_units(dept, "shanxi-13")


@pytest.mark.parametrize("profile", available_profiles())
def test_per_unit_rows_only_where_the_profile_prints_them(profile: str) -> None:
    """Only a 机关运行经费 table of the unit-rows layout (Shanxi's 表11) prints a row per unit; every other
    table of every profile prints the department's totals only."""
    tables = build_tables(department_budget(inline_department()), profile=profile)
    names = {HEAD, CENTRE, STATION}
    for table in tables.tables:
        printed = {r.key for r in table.rows + table.income} & names
        assert printed == ({HEAD, CENTRE} if table.layout == "operating_funds" else set()), table.number


def test_mismatched_years_are_refused_with_the_file() -> None:
    dept = inline_department()
    other_year = budget_from_dict({**UNITS[STATION], "year": 2024}, "服务站.json")
    with pytest.raises(InputError) as caught:
        department_budget(Department(dept.unit, 2023, (dept.units[0], other_year)))
    (problem,) = caught.value.problems
    assert problem.location == "服务站.json" and "2024" in problem.message and "同一年度" in problem.message


def test_mismatched_profiles_and_same_names_are_refused() -> None:
    dept = inline_department()
    shanghai = budget_from_dict(
        {**UNITS[STATION], "unit": {**UNITS[STATION]["unit"], "profile": "national-9"}}, "x.json"
    )
    twin = budget_from_dict(UNITS[HEAD], "twin.json")
    with pytest.raises(InputError) as caught:
        department_budget(Department(dept.unit, 2023, (dept.units[0], shanghai, twin)))
    messages = [(p.location, p.message) for p in caught.value.problems]
    assert any(loc == "x.json" and "national-9" in m and "shanxi-13" in m for loc, m in messages)
    assert any(loc == "twin.json" and "重复" in m for loc, m in messages)


def test_department_check_names_each_units_file() -> None:
    """A unit's own error is reported once, in its unit, with its file; the department adds its own."""
    bad = {**UNITS[STATION], "basic": [basic("2010150", "30101", 70_000), basic("2010188", "30201", 8_000)]}
    dept = inline_department()
    units = (dept.units[0], dept.units[1], budget_from_dict(bad, "服务站.json"))
    findings = check_department(Department(dept.unit, 2023, units))
    (unknown,) = [f for f in findings if f.rule == "catalogue.unknown_code"]  # once: in its unit, not again
    assert unknown.message.startswith(f"【{STATION}】") and "2010188" in unknown.message
    assert str(unknown.location) == "服务站.json basic[1].function"
    # the department's own texts: no 职责 given in this inline department
    own = [f for f in findings if f.message.startswith("【测试局（部门）】")]
    assert any(f.rule == "completeness.sections" and "职责" in f.message for f in own)


def write_department(folder: Path, units: dict[str, dict[str, Any]] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i, (name, doc) in enumerate((units or UNITS).items(), 1):
        (folder / f"{i:02d}-{name}.json").write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    (folder / "部门信息.json").write_text(json.dumps(DEPT_INFO, ensure_ascii=False), "utf-8")
    return folder


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xlbudget", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def test_read_a_folder_of_unit_json(tmp_path: Path) -> None:
    folder = write_department(tmp_path / "测试局")
    dept, notes = read_department([folder])
    assert dept.name == "测试局" and dept.year == 2023 and notes == []
    assert [b.unit.name for b in dept.units] == [HEAD, CENTRE, STATION]
    assert dept.overview.duties == ("负责测试工作",)
    assert department_budget(dept).assets.vehicles[0].count == 1


@pytest.mark.slow
def test_export_and_check_a_department_folder(tmp_path: Path) -> None:
    folder = write_department(tmp_path / "测试局")
    out = tmp_path / "部门.tables.json"
    done = run("export", "--department", folder, "-o", out)
    assert done.returncode == 0, done.stderr
    assert "上年预算收入总计" in done.stderr  # the 服务站 gives no last year: said, not summed
    data = json.loads(out.read_text("utf-8"))
    assert data["scope"] == "department" and data["unit"] == "测试局"
    rows = {r["name"]: r["values"][:2] for r in data["tables"]["11"]["rows"]}
    assert rows == {"部门合计": ["5.50", "5.50"], HEAD: ["4.00", "4.00"], CENTRE: ["1.50", "1.50"]}
    assert tables_from_dict(data).scope == "department"
    checked = run("check", "--department", folder, "--format", "json")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    findings = json.loads(checked.stdout)
    assert not [f for f in findings if f["severity"] == "error"], findings
    # the department's own, at its own file: 三公 changed (1.50 against no summed last year) without a reason
    own = [f for f in findings if f["message"].startswith("【测试局（部门）】")]
    assert f"{folder / '部门信息.json'} explanations.three_public_change" in {f["location"] for f in own}


@pytest.mark.slow
def test_a_unit_of_another_year_in_the_folder_is_refused(tmp_path: Path) -> None:
    folder = write_department(tmp_path / "测试局", {**UNITS, STATION: {**UNITS[STATION], "year": 2024}})
    done = run("export", "--department", folder, "-o", tmp_path / "x.json")
    assert done.returncode == 2
    assert (
        "03-测试局服务站.json" in done.stderr and "同一年度" in done.stderr and "Traceback" not in done.stderr
    )
    assert not (tmp_path / "x.json").exists()


def test_dept_info_is_validated_with_paths(tmp_path: Path) -> None:
    folder = write_department(tmp_path / "测试局")
    info = {
        **DEPT_INFO,
        "yaer": 2023,
        "department": {**DEPT_INFO["department"], "level": "乡级", "nmae": "x"},
    }
    info["units"] = [HEAD, CENTRE, "不存在的单位"]
    (folder / "部门信息.json").write_text(json.dumps(info, ensure_ascii=False), "utf-8")
    with pytest.raises(InputError) as caught:
        read_department([folder])
    where = {p.location.split(" ", 1)[1]: p.message for p in caught.value.problems}
    assert set(where) >= {"yaer", "department.nmae", "department.level", "units[2]"}
    assert any(STATION in p.message and "units" in p.message for p in caught.value.problems)
    assert all(p.location.startswith(str(folder / "部门信息.json")) for p in caught.value.problems)


@pytest.mark.slow
def test_the_shanxi_department_report(tmp_path: Path) -> None:
    """The Shanxi document for a 部门: 部门 wording where the unit report says 单位/本单位, 表11 with the units."""
    from xlbudget.report.text import docx_blocks, docx_tables

    folder = write_department(tmp_path / "测试局")
    out = tmp_path / "部门报告.docx"
    done = run("report", "--department", folder, "-o", out)
    assert done.returncode == 0, done.stderr
    blocks = docx_blocks(out)
    assert "测试局2023年部门预算公开报告" == "".join(b for b in blocks[:8] if b.strip())
    for heading in (
        "一、本部门职责",
        "第二部分　2023年部门预算报表",
        "第三部分　2023年度部门预算情况说明",
        "一、部门预算收支数据变动情况及原因",
    ):
        assert blocks.count(heading) == 2, heading  # the contents entry and the heading
    assert not [b for b in blocks if "本单位" in b or "单位预算公开报告" in b]
    for sentence in (
        # no comparison: the 服务站 gave no last year, so the 部门 has none
        "2023年度预算收入总计72.50万元，其中：本年收入72.50万元，上年结转0.00万元。"
        "2023年度预算支出总计72.50万元，其中：本年预算安排72.50万元，上年结转0.00万元。",
        # 行政 + 参公 units only: 40,000 + 15,000 against 38,000 + 15,000 → +2,000, 3.77%
        "2023年，测试局机关运行经费财政拨款预算5.50万元，上年5.30万元，比上年增加0.20万元，增加3.77%。",
        "2023年测试局部门各单位政府采购预算总额7.00万元。其中：政府采购货物预算5.00万元、"
        "政府采购工程预算0.00万元、政府采购服务预算2.00万元。",
        "2023年测试局实行绩效目标管理的项目1个，涉及一般公共预算当年拨款10.00万元。",
    ):
        assert sentence in blocks, sentence
    assert any(
        b.startswith("2023年，测试局各单位当年申报预算的2个项目中，1个项目实行绩效目标管理") for b in blocks
    )
    assert "公务用车制度改革后，测试局机关核定保留的公务用车有1辆，主要用于机要通信用车。" in blocks
    t11 = next(t for t in docx_tables(out) if "预算公开表11" in t.before)
    assert [r[:3] for r in t11.rows[-3:]] == [
        ("部门合计", "5.50", "5.50"),
        (HEAD, "4.00", "4.00"),
        (CENTRE, "1.50", "1.50"),
    ]


def test_the_unit_report_keeps_its_wording() -> None:
    from xlbudget.report import narrative
    from xlbudget.report.render import report_title

    unit = budget_from_dict(UNITS[HEAD], "a.json")
    story = narrative(unit)
    assert report_title(unit) == f"{HEAD}2023年单位预算公开报告"
    assert story.title == "2023年度单位预算情况说明"
    assert story.section(1).title == "单位预算收支数据变动情况及原因"
    assert "本级当年申报预算的项目全部实行绩效目标管理" in story.section(10).text


@pytest.mark.slow
def test_a_department_of_workbooks_exports_the_same_tables(tmp_path: Path) -> None:
    """Each unit's workbook (built by ``xlbudget new --from``) stands for its JSON: the same 部门 tables."""
    folder = write_department(tmp_path / "json")
    books = tmp_path / "books"
    books.mkdir()
    for i, name in enumerate(UNITS, 1):
        done = run("new", "--from", folder / f"{i:02d}-{name}.json", "-o", books / f"{i:02d}-{name}.xlsm")
        assert done.returncode == 0, done.stderr
    from_json, from_books = tmp_path / "a.json", tmp_path / "b.json"
    assert run("export", "--department", folder, "-o", from_json).returncode == 0
    # the files one by one, the department JSON named apart
    files = sorted(books.iterdir())
    done = run("export", "--department", *files, "--dept-info", folder / "部门信息.json", "-o", from_books)
    assert done.returncode == 0, done.stderr
    a, b = (json.loads(p.read_text("utf-8")) for p in (from_json, from_books))
    assert a["tables"] == b["tables"] and b["scope"] == "department"
    # a workbook unit's finding names its workbook and cell
    checked = run(
        "check", "--department", *files, "--dept-info", folder / "部门信息.json", "--format", "json"
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    unit_findings = [f for f in json.loads(checked.stdout) if f["message"].startswith(f"【{STATION}】")]
    assert unit_findings and all(f["location"].startswith(str(files[2])) for f in unit_findings)
    # a figure typed over in the 服务站's 表3 is the 服务站's error, at its workbook's cell
    from xlbudget.workbook.book_openpyxl import FileBook

    book = FileBook(files[2])
    r = next(i for i, row in enumerate(book.read("表3"), 1) if row[0] == "201")
    assert book.read("表3")[r - 1][2] == 9.0  # 201: 70,000 + 8,000 + 12,000 → 9.00万元
    book.write("表3", (r, 3), [[99.0]])
    book.save()
    checked = run(
        "check", "--department", *files, "--dept-info", folder / "部门信息.json", "--format", "json"
    )
    assert checked.returncode == 1
    errors = [f for f in json.loads(checked.stdout) if f["severity"] == "error"]
    assert errors and all(f["message"].startswith(f"【{STATION}】") for f in errors)
    assert f"{files[2]} 表3!C{r}" in {f["location"] for f in errors}


def test_the_department_json_schema_says_what_the_reader_reads() -> None:
    """The schema (xlbudget/schema/department-1.schema.json) takes the test's department JSON and the
    example of docs/department.md, and refuses what the reader refuses: an unknown key."""
    import re

    import jsonschema
    from referencing import Registry, Resource

    schemas = ROOT / "xlbudget" / "schema"
    unit_schema = json.loads((schemas / "unit-budget-1.schema.json").read_text("utf-8"))
    schema = json.loads((schemas / "department-1.schema.json").read_text("utf-8"))
    registry = Registry().with_resource(unit_schema["$id"], Resource.from_contents(unit_schema))
    validator = jsonschema.Draft202012Validator(schema, registry=registry)
    jsonschema.Draft202012Validator.check_schema(schema)
    example = re.search(r"```json\n(.*?)```", (ROOT / "docs" / "department.md").read_text("utf-8"), re.S)
    assert example is not None
    for doc in (DEPT_INFO, json.loads(example.group(1))):
        validator.validate(doc)
    assert not validator.is_valid({**DEPT_INFO, "yaer": 2023})
    assert not validator.is_valid({**DEPT_INFO, "overview": {"duties": "not a list"}})


def test_the_command_line_takes_a_unit_or_a_department(tmp_path: Path) -> None:
    folder = write_department(tmp_path / "测试局")
    unit, info, out = folder / f"01-{HEAD}.json", folder / "部门信息.json", tmp_path / "x.json"
    for args, says in (
        (["export", "-o", out], "缺少必需的参数：INPUT"),
        (["check", unit, "--department", folder], "不要同时给出"),
        (
            ["report", unit, "--dept-info", info, "-o", tmp_path / "r.docx"],
            "--dept-info 只与 --department 一起使用",
        ),
    ):
        done = run(*args)
        assert done.returncode == 2 and says in done.stderr and done.stderr.startswith("用法：xlbudget"), (
            done.stderr
        )
    assert not out.exists()
    # a folder without its department JSON, and none named: refused, saying how to give it
    info.unlink()
    with pytest.raises(InputError) as caught:
        read_department([folder])
    assert "--dept-info" in str(caught.value)
