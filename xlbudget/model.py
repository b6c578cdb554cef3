"""The unit budget (单位预算) as frozen records, amounts in exact yuan.

Every record read from a file keeps a :class:`Source` saying where it came
from — a JSON path, or a sheet and cell once the workbook reads it — so a
later check can point at it without knowing the file format.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType

from xlbudget.location import Location
from xlbudget.money import ZERO

# 资金来源 — contract key → 中文, in the order the tables print them.
FUNDS: Mapping[str, str] = MappingProxyType(
    {
        "general": "一般公共预算",
        "gov_fund": "政府性基金预算",
        "soe_capital": "国有资本经营预算",
        "special_account": "财政专户管理资金",
        "unit_funds": "单位资金",
    }
)
# 财政拨款 = 一般公共预算 + 政府性基金预算 + 国有资本经营预算
FISCAL_FUNDS: tuple[str, ...] = ("general", "gov_fund", "soe_capital")

# 单位性质
UNIT_KINDS: Mapping[str, str] = MappingProxyType(
    {
        "administrative": "行政单位",
        "civil_service_institution": "参照公务员法管理的事业单位",
        "public_institution": "其他事业单位",
    }
)
# Only these have 机关运行经费.
KINDS_WITH_OPERATING_FUNDS: tuple[str, ...] = ("administrative", "civil_service_institution")

# “三公”经费 items, in print order.
THREE_PUBLIC_ITEMS: tuple[str, ...] = (
    "因公出国（境）费",
    "公务接待费",
    "公务用车购置费",
    "公务用车运行维护费",
)

# 人员经费 are economic classes 301 and 303; everything else is 公用经费.
PERSONNEL_CLASSES: tuple[str, ...] = ("301", "303")

LEVELS: tuple[str, ...] = ("省级", "市级", "县级")

# 单位资金 by the income that pays it (``income_kind`` of a unit_funds line): the Shanghai 财务收支预算总表
# prints 事业收入 and 事业单位经营收入 apart and the rest as 其他收入.
INCOME_KINDS: tuple[str, ...] = (
    "事业收入",
    "事业单位经营收入",
    "上级补助收入",
    "附属单位上缴收入",
    "其他收入",
)
DEFAULT_INCOME_KIND = "其他收入"


@dataclass(frozen=True, slots=True)
class Source:
    """Where a record came from.

    ``where`` is the record's place (``basic[3]``, or the row's first cell 基本支出!A12); ``fields``
    maps a field to its own place when the format knows it (a workbook cell).  For JSON, a field's
    place is the record path plus ".field".
    """

    where: Location = Location()
    file: str = ""
    fields: Mapping[str, Location] = field(default_factory=dict)

    def at(self, name: str) -> Location:
        if name in self.fields:
            return self.fields[name]
        return self.where.field(name)


NOWHERE = Source()


@dataclass(frozen=True)
class Unit:
    name: str
    code: str = ""
    level: str = "市级"
    region: str = ""
    kind: str = "administrative"
    province: str = ""  # 山西省, 上海市 …; with ``profile`` decides the table set
    profile: str = ""  # the table set named by the unit ("shanghai-9"); "" = by province
    source: Source = NOWHERE

    @property
    def kind_name(self) -> str:
        return UNIT_KINDS[self.kind]

    @property
    def has_operating_funds(self) -> bool:
        """机关运行经费 exist only for administrative and civil-service units."""
        return self.kind in KINDS_WITH_OPERATING_FUNDS


@dataclass(frozen=True)
class Overview:
    duties_intro: str = ""
    duties: tuple[str, ...] = ()
    organization: str = ""
    source: Source = NOWHERE


# The lines are many (10,000 in a large unit) and every rule and table walks them: with ``slots=True``
# a line has no dict of its own, and the readers intern the codes and funds (one string each, shared by
# every line), so a large unit's lines stay within a core's cache. Past it, each walk over them costs
# about three times as much per line, and the report stops being linear in its lines (benchmark 1b).
@dataclass(frozen=True, slots=True)
class BasicLine:
    """基本支出 line: 功能分类 × 部门经济分类 × 资金来源."""

    function: str
    economic: str
    fund: str
    amount: Decimal
    carryover: bool = False
    income_kind: str = ""  # unit_funds only: which 单位资金 income pays it ("" = 其他收入)
    source: Source = NOWHERE
    unit: str = ""  # in a 部门's budget: the name of the unit whose line it is ("" in a unit's own)

    kind = "basic"

    @property
    def is_personnel(self) -> bool:
        """人员经费 (301, 303) — else 公用经费."""
        return self.economic[:3] in PERSONNEL_CLASSES


@dataclass(frozen=True, slots=True)
class ProjectLine:
    """项目支出 line."""

    name: str
    function: str
    fund: str
    amount: Decimal
    carryover: bool = False
    performance_target: bool = False
    income_kind: str = ""  # unit_funds only: which 单位资金 income pays it ("" = 其他收入)
    source: Source = NOWHERE
    unit: str = ""  # in a 部门's budget: the name of the unit whose line it is ("" in a unit's own)

    kind = "project"
    economic = ""
    is_personnel = False


Line = BasicLine | ProjectLine


@dataclass(frozen=True)
class ThreePublic:
    """One “三公”经费 amount."""

    item: str
    fund: str
    amount: Decimal
    source: Source = NOWHERE
    unit: str = ""  # in a 部门's budget: whose amount it is


@dataclass(frozen=True)
class Procurement:
    goods: Decimal = ZERO
    works: Decimal = ZERO
    services: Decimal = ZERO
    source: Source = NOWHERE

    @property
    def total(self) -> Decimal:
        return self.goods + self.works + self.services


@dataclass(frozen=True)
class PriorFunction:
    """Last year's 一般公共预算财政拨款 of one 项 (7-digit 支出功能分类 code), exact yuan."""

    function: str
    amount: Decimal
    source: Source = NOWHERE


@dataclass(frozen=True)
class PriorYear:
    """Last year's figures for the 比上年 sentences; None = not given.

    ``functions``: last year's 一般公共预算财政拨款 by 项, for the sentences that compare each 项
    (() = not given).
    """

    income_total: Decimal | None = None
    expenditure_total: Decimal | None = None
    general_budget_appropriation: Decimal | None = None
    operating_funds: Decimal | None = None
    three_public: tuple[ThreePublic, ...] = ()
    functions: tuple[PriorFunction, ...] = ()
    source: Source = NOWHERE


@dataclass(frozen=True)
class Explanations:
    """Free-text reasons (原因) typed by the unit."""

    total_change: str = ""
    general_budget_change: str = ""
    operating_funds_change: str = ""
    three_public_change: str = ""
    source: Source = NOWHERE


@dataclass(frozen=True)
class FunctionNote:
    """What one 项 (7-digit 支出功能分类 code) of the 一般公共预算 is for and why it changed: the
    财政拨款支出主要内容 list of a Shanghai report says it item by item."""

    function: str
    purpose: str = ""  # 主要用于…
    reason: str = ""  # 主要原因是：…
    source: Source = NOWHERE


# The 8 kinds of vehicle the Shanghai 国有资产占有使用情况 counts, in print order.
VEHICLE_KINDS: tuple[str, ...] = (
    "部级领导干部用车",
    "主要领导干部用车",
    "机要通信用车",
    "应急保障用车",
    "执法执勤用车",
    "特种专业技术用车",
    "离退休干部用车",
    "其他用车",
)


@dataclass(frozen=True)
class Vehicle:
    purpose: str
    count: int


@dataclass(frozen=True)
class Assets:
    """国有资产占有使用情况.  ``vehicles``: held, by purpose (Shanghai: the :data:`VEHICLE_KINDS`);
    ``as_of``: the date they are counted at ("2023年12月31日"); ``equipment``: 单价100万元（含）以上设备
    (不含车辆) held, in 台（套）; ``planned_vehicles`` / ``planned_equipment``: to be bought this year.
    A count None = not given."""

    vehicles: tuple[Vehicle, ...] = ()
    vehicles_note: str = ""
    building_area_m2: str = ""
    other: str = ""
    as_of: str = ""
    equipment: int | None = None
    planned_vehicles: tuple[Vehicle, ...] = ()
    planned_equipment: int | None = None
    source: Source = NOWHERE


@dataclass(frozen=True)
class OtherNotes:
    purchase_service_catalog: str = ""
    other: str = ""
    source: Source = NOWHERE


# 项目经费情况说明 (part 七 of a Shanghai 部门预算, 万里 2024 p.33): field → section heading, in print order.
PROJECT_SECTIONS: Mapping[str, str] = MappingProxyType(
    {
        "overview": "项目概况",
        "basis": "立项依据",
        "implementer": "实施主体",
        "implementation": "实施方案",
        "period": "实施周期",
        "annual_budget": "年度预算安排",
        "performance_goal": "绩效目标",
    }
)


@dataclass(frozen=True)
class ProjectExplanation:
    """项目经费情况说明: a 部门's major project, section by section (:data:`PROJECT_SECTIONS`), as the
    部门 types it; a line break starts a new paragraph.  All empty: not given."""

    overview: str = ""
    basis: str = ""
    implementer: str = ""
    implementation: str = ""
    period: str = ""
    annual_budget: str = ""
    performance_goal: str = ""
    source: Source = NOWHERE

    @property
    def given(self) -> bool:
        return any(text.strip() for _, _, text in self.sections())

    def sections(self) -> tuple[tuple[str, str, str], ...]:
        """(field, heading, text) of every section, in print order."""
        return tuple((name, heading, getattr(self, name)) for name, heading in PROJECT_SECTIONS.items())


@dataclass(frozen=True)
class Funding:
    """项目资金 by origin (元)."""

    central: Decimal = ZERO
    provincial: Decimal = ZERO
    local: Decimal = ZERO
    own: Decimal = ZERO  # 单位自筹 ("self" in the JSON)
    other: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.central + self.provincial + self.local + self.own + self.other


@dataclass(frozen=True)
class Indicator:
    """One 三级指标 of a 绩效目标申报表."""

    level1: str
    level2: str
    name: str
    period_value: str = ""
    annual_value: str = ""
    source: Source = NOWHERE


@dataclass(frozen=True)
class PerformanceTarget:
    """项目支出绩效目标申报表."""

    project: str
    department: str = ""
    implementer: str = ""
    attribute: str = ""
    period_years: int | None = None
    period_total: Decimal = ZERO
    annual_total: Decimal = ZERO
    funding: Funding = Funding()
    annual_funding: Funding = Funding()
    overview: str = ""
    basis: str = ""
    necessity: str = ""
    measures: str = ""
    plan: str = ""
    period_goal: str = ""
    annual_goal: str = ""
    indicators: tuple[Indicator, ...] = ()
    source: Source = NOWHERE


@dataclass(frozen=True)
class UnitBudget:
    """One unit's budget for one year: everything the 13 tables and the report are made from."""

    year: int
    unit: Unit
    overview: Overview = Overview()
    basic: tuple[BasicLine, ...] = ()
    projects: tuple[ProjectLine, ...] = ()
    three_public: tuple[ThreePublic, ...] = ()
    procurement: Procurement = Procurement()
    prior_year: PriorYear = PriorYear()
    explanations: Explanations = Explanations()
    assets: Assets = Assets()
    other_notes: OtherNotes = OtherNotes()
    performance_targets: tuple[PerformanceTarget, ...] = ()
    function_notes: tuple[FunctionNote, ...] = ()  # per 项: what it is for, why it changed
    # a 部门's 项目经费情况说明 (xlbudget.department: the department JSON's project_explanation)
    project_explanation: ProjectExplanation = ProjectExplanation()
    origin: str = ""  # the file it was read from
    # A 部门's budget (xlbudget.department.department_budget): its units (部门本级 and each 下属单位), in
    # print order; every line's ``unit`` names one of them.  () for a unit's own budget.
    units: tuple[Unit, ...] = ()

    @property
    def scope(self) -> str:
        """ "department" (部门预算: the units' lines together) or "unit" (单位预算)."""
        return "department" if self.units else "unit"

    @property
    def lines(self) -> tuple[Line, ...]:
        """All expenditure lines: basic then projects."""
        return self.basic + self.projects
