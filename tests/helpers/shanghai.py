"""The 上海市普陀区社会福利院 2024 unit (../shared/fixtures/putuo-welfare-2024.json) with what its
published report (../shared/real/shanghai-putuo-fuliyuan-2024-unit-budget.pdf, p.6 and p.16) says
and the fixture does not carry: what each 项 is for and why it changed, last year's 执行数 per 项,
the date and the counts of its 国有资产.  Figures the PDF prints in 万元 are given here in yuan
inside the printed rounding (54.60万元 → 546,040 元), chosen so that the change in % computed on
the yuan is the one the PDF prints (−1.39%: (538,440 − 546,040) / 546,040 = −1.3918%).
"""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from xlbudget.catalogue import load_catalogue
from xlbudget.io.unit_json import budget_from_dict, budget_to_dict, read_unit_json
from xlbudget.model import Assets, FunctionNote, PriorFunction, UnitBudget, Vehicle
from xlbudget.profiles import Profile, available_profiles, load_profile, profile_from_dict
from xlbudget.tables import TableSet, build_table

ROOT = Path(__file__).resolve().parents[2]
PUTUO = ROOT.parent / "shared" / "fixtures" / "putuo-welfare-2024.json"

# 项 → (主要用于, 主要原因是, last year's 执行数 in yuan), from the PDF's p.6 list.  2080599 (0.70万元)
# is the item the PDF omits (fuliyuan-2024-E1): its purpose is the 表8 line it pays (30212
# 机关事业单位退休人员活动费 7,020 元, the increase 四、3 names); last year it had none.
ITEMS = {
    "2080502": ("事业单位退休人员福利费和生活补贴", "有退休人员去世", 546040),
    "2080505": ("人员养老保险费用", "根据实际支出", 707000),
    "2080506": ("人员职业年金缴费", "根据实际支出", 353500),
    "2080599": ("机关事业单位退休人员活动费", "机关事业单位退休人员活动费增加", None),
    "2081005": ("人员经费及公用经费", "根据实际支出", 7113400),
    "2101102": ("人员医疗保险", "根据实际支出", 441700),
    "2210201": ("在职人员公积金缴费", "根据实际支出", 337400),
}


def putuo() -> UnitBudget:
    """The fixture with the report's own data added, read as unit JSON (so every record has its path)."""
    b = read_unit_json(PUTUO)
    notes = tuple(FunctionNote(code, purpose, reason) for code, (purpose, reason, _) in ITEMS.items())
    prior = tuple(
        PriorFunction(code, Decimal(before)) for code, (_, _, before) in ITEMS.items() if before is not None
    )
    assets = Assets(
        vehicles=(Vehicle("其他用车", 2),),
        as_of="2023年12月31日",
        equipment=0,
        planned_vehicles=(),
        planned_equipment=0,
    )
    added = replace(b, function_notes=notes, prior_year=replace(b.prior_year, functions=prior), assets=assets)
    return budget_from_dict(budget_to_dict(added), str(PUTUO))


# Until the shanghai-9 profile is shipped: the national 9-table set with the Shanghai document and
# the Shanghai titles (the report's own parts find the table they read by role).  Once it is,
# shanghai_profile() is the shipped one.
TITLES = {
    1: "{year}年预算单位财务收支预算总表",
    2: "{year}年预算单位收入预算总表",
    3: "{year}年预算单位支出预算总表",
    4: "{year}年预算单位财政拨款收支预算总表",
    5: "{year}年预算单位一般公共预算支出功能分类预算表",
    6: "{year}年预算单位一般公共预算基本支出部门预算经济分类预算表",
    7: "单位“三公”经费和机关运行经费预算表",
    8: "{year}年预算单位政府性基金预算支出功能分类预算表",
    9: "{year}年预算单位国有资本经营预算支出功能分类预算表",
}


def stub_profile() -> Profile:
    data = json.loads((ROOT / "xlbudget" / "profiles" / "national-9.json").read_text("utf-8"))
    data["id"] = "shanghai-stub"
    data["document"] = "shanghai"
    for t in data["tables"]:
        t["title"] = TITLES[t["number"]]
        t["label"] = ""
    return profile_from_dict(data)


def shanghai_profile() -> Profile:
    """The shipped shanghai-9 profile, else (until it is shipped) :func:`stub_profile`."""
    return load_profile("shanghai-9") if "shanghai-9" in available_profiles() else stub_profile()


def shanghai_tables(budget: UnitBudget, profile: Profile | None = None) -> TableSet:
    profile = profile or shanghai_profile()
    cat = load_catalogue(budget.year)
    return TableSet(
        unit=budget.unit.name,
        year=budget.year,
        profile=profile.id,
        tables=tuple(build_table(spec, budget, cat) for spec in profile.tables),
        catalogue_note=cat.note,
    )
