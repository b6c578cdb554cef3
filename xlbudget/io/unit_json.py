"""The unit-budget JSON format (``xlbudget/unit-budget/1``), read and written.

Reading collects every problem with its JSON path (``basic[3].amount: “12,3x”
不是金额``) and raises one :class:`~xlbudget.errors.InputError`.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from xlbudget.errors import InputError, Problem
from xlbudget.io import strict_json
from xlbudget.location import Location
from xlbudget.model import (
    FUNDS,
    INCOME_KINDS,
    LEVELS,
    THREE_PUBLIC_ITEMS,
    UNIT_KINDS,
    Assets,
    BasicLine,
    Explanations,
    FunctionNote,
    Funding,
    Indicator,
    OtherNotes,
    Overview,
    PerformanceTarget,
    PriorFunction,
    PriorYear,
    Procurement,
    ProjectLine,
    Source,
    ThreePublic,
    Unit,
    UnitBudget,
    Vehicle,
)
from xlbudget.money import ZERO, AmountError, parse_yuan
from xlbudget.profiles import available_profiles

SCHEMA_ID = "xlbudget/unit-budget/1"

_FUND_BY_NAME = {name: key for key, name in FUNDS.items()} | {"政府性基金": "gov_fund"}
_KIND_BY_NAME = {name: key for key, name in UNIT_KINDS.items()} | {
    "参公事业单位": "civil_service_institution"
}
_CODE = re.compile(r"^\d{3}(\d{2}){0,2}$")
T = TypeVar("T")


class _Reader:
    """Walks the JSON with a path, collecting problems instead of raising."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def source(self, path: str) -> Source:
        return Source(where=Location.path(path), file=self.file)

    # -- scalars -------------------------------------------------------
    def obj(self, data: Any, path: str) -> dict[str, Any]:
        if data is None:
            return {}
        if not isinstance(data, dict):
            self.problem(path, "应为对象（{…}）")
            return {}
        return data

    def items(self, data: Any, path: str) -> list[Any]:
        if data is None:
            return []
        if not isinstance(data, list):
            self.problem(path, "应为列表（[…]）")
            return []
        return data

    def text(self, d: dict[str, Any], key: str, path: str, *, required: bool = False) -> str:
        value = d.get(key)
        if value is None or value == "":
            if required:
                self.problem(f"{path}.{key}", "缺少必填项")
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.problem(f"{path}.{key}", f"应为文字，不是 {json.dumps(value, ensure_ascii=False)}")
            return ""
        return str(value).strip()

    def amount(self, d: dict[str, Any], key: str, path: str, *, required: bool = False) -> Decimal:
        value = self.optional_amount(d, key, path, required=required)
        return ZERO if value is None else value

    def optional_amount(
        self, d: dict[str, Any], key: str, path: str, *, required: bool = False
    ) -> Decimal | None:
        if key not in d or d[key] is None or d[key] == "":
            if required:
                self.problem(f"{path}.{key}", "缺少金额")
            return None
        try:
            value = parse_yuan(d[key])
        except AmountError as exc:
            self.problem(f"{path}.{key}", str(exc))
            return None
        if value < 0:
            self.problem(f"{path}.{key}", f"金额不能为负数：{d[key]}")
        return value

    def flag(self, d: dict[str, Any], key: str, path: str) -> bool:
        value = d.get(key, False)
        if isinstance(value, bool):
            return value
        if value in ("是", "true", "True", 1):
            return True
        if value in ("否", "false", "False", 0, "", None):
            return False
        self.problem(
            f"{path}.{key}", f"应为 true/false（是/否），不是 {json.dumps(value, ensure_ascii=False)}"
        )
        return False

    def code(self, d: dict[str, Any], key: str, path: str, what: str) -> str:
        value = d.get(key)
        if value is None or value == "":
            self.problem(f"{path}.{key}", f"缺少{what}编码")
            return ""
        if not isinstance(value, str):
            self.problem(
                f"{path}.{key}",
                f'{what}编码应写成文字（"{value}"），不能是数字 {json.dumps(value)}：数字会丢掉前导零和格式',
            )
            return str(value)
        code = sys.intern(value.strip())  # one string per code, shared by the lines (model.BasicLine)
        if not _CODE.match(code):
            self.problem(f"{path}.{key}", f"“{value}” 不是{what}编码（应为3、5或7位数字）")
        return code

    def fund(self, d: dict[str, Any], path: str) -> str:
        value = d.get("fund") if isinstance(d.get("fund"), str | None) else json.dumps(d.get("fund"))
        if isinstance(value, str) and value in FUNDS:
            return sys.intern(value)  # the key itself, shared by the lines
        if value in _FUND_BY_NAME:
            return _FUND_BY_NAME[value]
        known = "、".join(f"{k}（{v}）" for k, v in FUNDS.items())
        if value is None:
            self.problem(f"{path}.fund", f"缺少资金来源，应为 {known} 之一")
        else:
            self.problem(f"{path}.fund", f"未知的资金来源 “{value}”，应为 {known} 之一")
        return "general"

    def count(self, d: dict[str, Any], key: str, path: str) -> int | None:
        value = d.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, int | str):
            self.problem(f"{path}.{key}", f"应为整数，不是 {json.dumps(value, ensure_ascii=False)}")
            return None
        try:
            return int(str(value).strip())
        except ValueError:
            self.problem(f"{path}.{key}", f"“{value}” 不是整数")
            return None

    def each(self, data: Any, path: str, read: Callable[[dict[str, Any], str], T]) -> tuple[T, ...]:
        out = []
        for i, item in enumerate(self.items(data, path)):
            item_path = f"{path}[{i}]"
            if not isinstance(item, dict):
                self.problem(item_path, "应为对象（{…}）")
                continue
            out.append(read(item, item_path))
        return tuple(out)

    # -- records -------------------------------------------------------
    def unit(self, d: dict[str, Any], path: str) -> Unit:
        kind_raw = d.get("kind") or "administrative"
        kind = kind_raw if kind_raw in UNIT_KINDS else _KIND_BY_NAME.get(kind_raw)
        if kind is None:
            self.problem(
                f"{path}.kind",
                f"未知的单位性质 “{kind_raw}”，应为 administrative（行政单位）、"
                "civil_service_institution（参公事业单位）或 public_institution（其他事业单位）",
            )
            kind = "administrative"
        level = self.text(d, "level", path) or "市级"
        if level not in LEVELS:
            self.problem(f"{path}.level", f"未知的单位级次 “{level}”，应为 省级、市级 或 县级")
        profile = self.text(d, "profile", path)
        if profile and profile not in available_profiles():
            self.problem(
                f"{path}.profile", f"未知的报表方案 “{profile}”，应为 {'、'.join(available_profiles())} 之一"
            )
            profile = ""
        return Unit(
            name=self.text(d, "name", path, required=True),
            code=self.text(d, "code", path),
            level=level,
            region=self.text(d, "region", path),
            kind=kind,
            province=self.text(d, "province", path),
            profile=profile,
            source=self.source(path),
        )

    def income_kind(self, d: dict[str, Any], path: str) -> str:
        value = self.text(d, "income_kind", path)
        if value and value not in INCOME_KINDS:
            self.problem(
                f"{path}.income_kind", f"未知的收入类型 “{value}”，应为 {'、'.join(INCOME_KINDS)} 之一"
            )
            return ""
        return value

    def basic(self, d: dict[str, Any], path: str) -> BasicLine:
        return BasicLine(
            function=self.code(d, "function", path, "支出功能分类"),
            economic=self.code(d, "economic", path, "经济分类"),
            fund=self.fund(d, path),
            amount=self.amount(d, "amount", path, required=True),
            carryover=self.flag(d, "carryover", path),
            income_kind=self.income_kind(d, path),
            source=self.source(path),
        )

    def project(self, d: dict[str, Any], path: str) -> ProjectLine:
        return ProjectLine(
            name=self.text(d, "name", path, required=True),
            function=self.code(d, "function", path, "支出功能分类"),
            fund=self.fund(d, path),
            amount=self.amount(d, "amount", path, required=True),
            carryover=self.flag(d, "carryover", path),
            performance_target=self.flag(d, "performance_target", path),
            income_kind=self.income_kind(d, path),
            source=self.source(path),
        )

    def three_public_item(self, d: dict[str, Any], path: str) -> ThreePublic:
        item = self.text(d, "item", path, required=True)
        if item and item not in THREE_PUBLIC_ITEMS:
            self.problem(
                f"{path}.item", f"未知的“三公”经费项目 “{item}”，应为 {'、'.join(THREE_PUBLIC_ITEMS)} 之一"
            )
        return ThreePublic(
            item=item,
            fund=self.fund(d, path) if "fund" in d else "general",
            amount=self.amount(d, "amount", path, required=True),
            source=self.source(path),
        )

    def prior_function(self, d: dict[str, Any], path: str) -> PriorFunction:
        code = self.code(d, "function", path, "支出功能分类")
        if code and _CODE.match(code) and len(code) != 7:
            self.problem(f"{path}.function", f"“{code}” 不是项级科目：上年数按项填写，应为7位编码")
        return PriorFunction(
            function=code,
            amount=self.amount(d, "amount", path, required=True),
            source=self.source(path),
        )

    def function_note(self, d: dict[str, Any], path: str) -> FunctionNote:
        code = self.code(d, "function", path, "支出功能分类")
        if code and _CODE.match(code) and len(code) == 5:
            self.problem(
                f"{path}.function",
                f"“{code}” 是款级科目：用途和变动原因按项（7位）填写，市级单位可按类（3位）填写",
            )
        return FunctionNote(
            function=code,
            purpose=self.text(d, "purpose", path),
            reason=self.text(d, "reason", path),
            source=self.source(path),
        )

    def vehicles(self, data: Any, path: str) -> tuple[Vehicle, ...]:
        return tuple(
            Vehicle(self.text(v, "purpose", p), self.count(v, "count", p) or 0)
            for p, v in (
                (f"{path}[{i}]", self.obj(v, f"{path}[{i}]")) for i, v in enumerate(self.items(data, path))
            )
        )

    def funding(self, d: dict[str, Any], path: str) -> Funding:
        return Funding(
            central=self.amount(d, "central", path),
            provincial=self.amount(d, "provincial", path),
            local=self.amount(d, "local", path),
            own=self.amount(d, "self", path),
            other=self.amount(d, "other", path),
        )

    def indicator(self, d: dict[str, Any], path: str) -> Indicator:
        return Indicator(
            level1=self.text(d, "level1", path, required=True),
            level2=self.text(d, "level2", path),
            name=self.text(d, "name", path),
            period_value=self.text(d, "period_value", path),
            annual_value=self.text(d, "annual_value", path),
            source=self.source(path),
        )

    def performance_target(self, d: dict[str, Any], path: str) -> PerformanceTarget:
        t = self.text
        return PerformanceTarget(
            project=t(d, "project", path, required=True),
            department=t(d, "department", path),
            implementer=t(d, "implementer", path),
            attribute=t(d, "attribute", path),
            period_years=self.count(d, "period_years", path),
            period_total=self.amount(d, "period_total", path),
            annual_total=self.amount(d, "annual_total", path),
            funding=self.funding(self.obj(d.get("funding"), f"{path}.funding"), f"{path}.funding"),
            annual_funding=self.funding(
                self.obj(d.get("annual_funding"), f"{path}.annual_funding"), f"{path}.annual_funding"
            ),
            overview=t(d, "overview", path),
            basis=t(d, "basis", path),
            necessity=t(d, "necessity", path),
            measures=t(d, "measures", path),
            plan=t(d, "plan", path),
            period_goal=t(d, "period_goal", path),
            annual_goal=t(d, "annual_goal", path),
            indicators=self.each(d.get("indicators"), f"{path}.indicators", self.indicator),
            source=self.source(path),
        )

    def budget(self, data: Any) -> UnitBudget:
        root = self.obj(data, "(根)")
        schema = root.get("schema")
        if schema is not None and schema != SCHEMA_ID:
            self.problem("schema", f"不认识的格式 “{schema}”，应为 “{SCHEMA_ID}”")
        unit_amount = root.get("amount_unit", "元")
        if unit_amount != "元":
            self.problem("amount_unit", f"金额单位应为 “元”，不是 “{unit_amount}”")
        year = root.get("year")
        if isinstance(year, str) and year.strip().isdigit():
            year = int(year.strip())
        if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
            self.problem("year", f"预算年度应为四位数年份，不是 {json.dumps(year, ensure_ascii=False)}")
            year = 0
        if "unit" not in root:
            self.problem("unit", "缺少单位信息（unit）")
        ov = self.obj(root.get("overview"), "overview")
        duties = tuple(
            str(x).strip() for x in self.items(ov.get("duties"), "overview.duties") if str(x).strip()
        )
        proc = self.obj(root.get("procurement"), "procurement")
        prior = self.obj(root.get("prior_year"), "prior_year")
        expl = self.obj(root.get("explanations"), "explanations")
        assets = self.obj(root.get("assets"), "assets")
        notes = self.obj(root.get("other_notes"), "other_notes")
        return UnitBudget(
            year=year,
            unit=self.unit(self.obj(root.get("unit"), "unit"), "unit"),
            overview=Overview(
                duties_intro=self.text(ov, "duties_intro", "overview"),
                duties=duties,
                organization=self.text(ov, "organization", "overview"),
                source=self.source("overview"),
            ),
            basic=self.each(root.get("basic"), "basic", self.basic),
            projects=self.each(root.get("projects"), "projects", self.project),
            three_public=self.each(root.get("three_public"), "three_public", self.three_public_item),
            procurement=Procurement(
                goods=self.amount(proc, "goods", "procurement"),
                works=self.amount(proc, "works", "procurement"),
                services=self.amount(proc, "services", "procurement"),
                source=self.source("procurement"),
            ),
            prior_year=PriorYear(
                income_total=self.optional_amount(prior, "income_total", "prior_year"),
                expenditure_total=self.optional_amount(prior, "expenditure_total", "prior_year"),
                general_budget_appropriation=self.optional_amount(
                    prior, "general_budget_appropriation", "prior_year"
                ),
                operating_funds=self.optional_amount(prior, "operating_funds", "prior_year"),
                three_public=self.each(
                    prior.get("three_public"), "prior_year.three_public", self.three_public_item
                ),
                functions=self.each(prior.get("functions"), "prior_year.functions", self.prior_function),
                source=self.source("prior_year"),
            ),
            explanations=Explanations(
                total_change=self.text(expl, "total_change", "explanations"),
                general_budget_change=self.text(expl, "general_budget_change", "explanations"),
                operating_funds_change=self.text(expl, "operating_funds_change", "explanations"),
                three_public_change=self.text(expl, "three_public_change", "explanations"),
                source=self.source("explanations"),
            ),
            assets=Assets(
                vehicles=self.vehicles(assets.get("vehicles"), "assets.vehicles"),
                vehicles_note=self.text(assets, "vehicles_note", "assets"),
                building_area_m2=self.text(assets, "building_area_m2", "assets"),
                other=self.text(assets, "other", "assets"),
                as_of=self.text(assets, "as_of", "assets"),
                equipment=self.count(assets, "equipment", "assets"),
                planned_vehicles=self.vehicles(assets.get("planned_vehicles"), "assets.planned_vehicles"),
                planned_equipment=self.count(assets, "planned_equipment", "assets"),
                source=self.source("assets"),
            ),
            other_notes=OtherNotes(
                purchase_service_catalog=self.text(notes, "purchase_service_catalog", "other_notes"),
                other=self.text(notes, "other", "other_notes"),
                source=self.source("other_notes"),
            ),
            performance_targets=self.each(
                root.get("performance_targets"), "performance_targets", self.performance_target
            ),
            function_notes=self.each(root.get("function_notes"), "function_notes", self.function_note),
            origin=self.file,
        )


def budget_from_dict(data: Any, file: str = "") -> UnitBudget:
    """A parsed unit-budget JSON document → :class:`UnitBudget`, or :class:`InputError`."""
    data = strict_json.clean_strings(data)  # control characters out; broken or overlong text refused
    reader = _Reader(file)
    budget = reader.budget(data)
    if reader.problems:
        raise InputError(reader.problems)
    return budget


def read_unit_json(path: str | Path) -> UnitBudget:
    """Read a unit-budget JSON file; every problem is reported with its JSON path."""
    data = strict_json.load_file(path, "单位预算数据")
    return budget_from_dict(data, str(path))


# -- writing ------------------------------------------------------------------


def _yuan(value: Decimal) -> int | str:
    """Whole yuan as a JSON number, fractions as an exact decimal string."""
    return int(value) if value == value.to_integral() else f"{value:.2f}"


def _funding(f: Funding) -> dict[str, Any]:
    return {
        "central": _yuan(f.central),
        "provincial": _yuan(f.provincial),
        "local": _yuan(f.local),
        "self": _yuan(f.own),
        "other": _yuan(f.other),
    }


def _three(items: tuple[ThreePublic, ...]) -> list[dict[str, Any]]:
    return [{"item": t.item, "fund": t.fund, "amount": _yuan(t.amount)} for t in items]


def budget_to_dict(b: UnitBudget) -> dict[str, Any]:
    """The inverse of :func:`budget_from_dict` (sources are not written)."""
    prior: dict[str, Any] = {}
    for key in ("income_total", "expenditure_total", "general_budget_appropriation", "operating_funds"):
        value = getattr(b.prior_year, key)
        if value is not None:
            prior[key] = _yuan(value)
    prior["three_public"] = _three(b.prior_year.three_public)
    if b.prior_year.functions:
        prior["functions"] = [
            {"function": f.function, "amount": _yuan(f.amount)} for f in b.prior_year.functions
        ]
    return {
        "schema": SCHEMA_ID,
        "year": b.year,
        "amount_unit": "元",
        "unit": {
            "name": b.unit.name,
            "code": b.unit.code,
            "level": b.unit.level,
            "region": b.unit.region,
            "kind": b.unit.kind,
            **({"province": b.unit.province} if b.unit.province else {}),
            **({"profile": b.unit.profile} if b.unit.profile else {}),
        },
        "overview": {
            "duties_intro": b.overview.duties_intro,
            "duties": list(b.overview.duties),
            "organization": b.overview.organization,
        },
        "basic": [
            {
                "function": x.function,
                "economic": x.economic,
                "fund": x.fund,
                "amount": _yuan(x.amount),
                "carryover": x.carryover,
                **({"income_kind": x.income_kind} if x.income_kind else {}),
            }
            for x in b.basic
        ],
        "projects": [
            {
                "name": x.name,
                "function": x.function,
                "fund": x.fund,
                "amount": _yuan(x.amount),
                "carryover": x.carryover,
                "performance_target": x.performance_target,
                **({"income_kind": x.income_kind} if x.income_kind else {}),
            }
            for x in b.projects
        ],
        "three_public": _three(b.three_public),
        "procurement": {
            "goods": _yuan(b.procurement.goods),
            "works": _yuan(b.procurement.works),
            "services": _yuan(b.procurement.services),
        },
        "prior_year": prior,
        "explanations": {
            "total_change": b.explanations.total_change,
            "general_budget_change": b.explanations.general_budget_change,
            "operating_funds_change": b.explanations.operating_funds_change,
            "three_public_change": b.explanations.three_public_change,
        },
        "assets": {
            "vehicles": [{"purpose": v.purpose, "count": v.count} for v in b.assets.vehicles],
            "vehicles_note": b.assets.vehicles_note,
            "building_area_m2": b.assets.building_area_m2,
            "other": b.assets.other,
            **({"as_of": b.assets.as_of} if b.assets.as_of else {}),
            **({"equipment": b.assets.equipment} if b.assets.equipment is not None else {}),
            **(
                {
                    "planned_vehicles": [
                        {"purpose": v.purpose, "count": v.count} for v in b.assets.planned_vehicles
                    ]
                }
                if b.assets.planned_vehicles
                else {}
            ),
            **(
                {"planned_equipment": b.assets.planned_equipment}
                if b.assets.planned_equipment is not None
                else {}
            ),
        },
        "other_notes": {
            "purchase_service_catalog": b.other_notes.purchase_service_catalog,
            "other": b.other_notes.other,
        },
        "performance_targets": [
            {
                "project": p.project,
                "department": p.department,
                "implementer": p.implementer,
                "attribute": p.attribute,
                "period_years": p.period_years,
                "period_total": _yuan(p.period_total),
                "annual_total": _yuan(p.annual_total),
                "funding": _funding(p.funding),
                "annual_funding": _funding(p.annual_funding),
                "overview": p.overview,
                "basis": p.basis,
                "necessity": p.necessity,
                "measures": p.measures,
                "plan": p.plan,
                "period_goal": p.period_goal,
                "annual_goal": p.annual_goal,
                "indicators": [
                    {
                        "level1": i.level1,
                        "level2": i.level2,
                        "name": i.name,
                        "period_value": i.period_value,
                        "annual_value": i.annual_value,
                    }
                    for i in p.indicators
                ],
            }
            for p in b.performance_targets
        ],
        **(
            {
                "function_notes": [
                    {"function": n.function, "purpose": n.purpose, "reason": n.reason}
                    for n in b.function_notes
                ]
            }
            if b.function_notes
            else {}
        ),
    }
