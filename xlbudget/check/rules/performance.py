"""项目支出绩效目标申报表: each form belongs to a budgeted project, its money and indicators hold together."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from xlbudget.check.findings import ERROR, WARNING, Finding
from xlbudget.check.registry import Context, rule
from xlbudget.location import Location
from xlbudget.model import Indicator, PerformanceTarget
from xlbudget.money import TEN_THOUSAND, ZERO
from xlbudget.tables import Table

LEVEL1_GROUPS = ("产出指标", "效益指标", "满意度指标")
OPERATORS = "≥≤=><＞＜＝≧≦"
_VALUE = re.compile(
    rf"^(?P<op>[{OPERATORS}]|>=|<=)?\s*(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>[^\d\s{OPERATORS}].*)?$"
)
_MONEY_UNITS = {
    "元": Decimal(1),
    "千元": Decimal(1000),
    "万元": TEN_THOUSAND,
    "亿元": TEN_THOUSAND * TEN_THOUSAND,
}
# A year in a date (2022年, 2022-12, 2022.1, 2022/1), not a document number such as 同财行[2019]36号.
YEAR = re.compile(r"(?<![\d\[〔【(（])((?:19|20)\d{2})(?=\s*年|[-/.](?:1[0-2]|0?[1-9])(?!\d))")
# Form fields whose dates this module checks (the other texts follow narrative.year_mentions).
ANNUAL_FIELDS = ("annual_goal", "plan")  # 年度目标, 项目实施计划: the budget year
PERIOD_FIELDS = ("period_goal",)  # 实施期目标: a year of the 项目期
DATED_FIELDS = ANNUAL_FIELDS + PERIOD_FIELDS + ("period_value", "annual_value")


def _yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}元"


def _forms(ctx: Context) -> Iterator[tuple[int, PerformanceTarget]]:
    assert ctx.budget is not None
    yield from enumerate(ctx.budget.performance_targets)


def _project_amount(ctx: Context, name: str) -> Decimal | None:
    assert ctx.budget is not None
    lines = [p for p in ctx.budget.projects if p.name == name]
    return sum((p.amount for p in lines), ZERO) if lines else None


def _project_tables(ctx: Context) -> list[Table]:
    """The tables that print projects (Shanxi 表12 本年, 表13 上年结转); none in a profile without them."""
    roles = ("projects_this_year", "projects_carryover")
    return [t for t in (ctx.tables.by_role(r) for r in roles) if t is not None]


def _projects_number(ctx: Context) -> int | None:
    """The number of the table a project's finding points at (Shanxi 表12); None without project tables."""
    tables = _project_tables(ctx)
    return tables[0].number if tables else None


def _printed_projects(ctx: Context) -> set[str]:
    assert ctx.budget is not None
    tables = _project_tables(ctx)
    if not tables:
        return {p.name for p in ctx.budget.projects}
    return {
        r.key for t in tables if not t.empty for r in t.rows if r.key != "合计"
    }  # empty: 本表无数据, no rows


@rule("performance.project_exists", "budget")
def project_exists(ctx: Context) -> Iterator[Finding]:
    """Each 绩效目标申报表 names a project printed in 表12 (本年) or 表13 (上年结转) — in a profile without
    project tables, a project of the unit's lines."""
    printed = _printed_projects(ctx)
    tables = _project_tables(ctx)
    where = "、".join(f"表{t.number}" for t in tables) + " 的项目中" if tables else "本单位的项目中"
    assert ctx.budget is not None
    unpriced = {p.name for p in ctx.budget.projects if not p.amount} - {
        p.name for p in ctx.budget.projects if p.amount
    }
    for _, form in _forms(ctx):
        name = form.project.strip()
        if name in printed:
            continue
        if name in unpriced:  # in 项目支出, but without an amount: the tables print no row for it
            printed_in = "、".join(f"表{t.number}" for t in tables) if tables else "公开表"
            why = f"项目支出中的“{name}”还没有金额，{printed_in}不列出该项目：请填写金额，或删去这张申报表"
        else:
            why = f"绩效目标申报表的项目“{form.project}”不在{where}（名称须与项目支出表一致）"
        yield Finding(
            "performance.project_exists",
            ERROR,
            tables[0].number if tables else None,
            form.source.at("project"),
            why,
            None,
            form.project,
        )


@rule("performance.annual_amount", "budget")
def annual_amount(ctx: Context) -> Iterator[Finding]:
    """A form's 年度资金总额 equals the project's budget (the sum of its 项目支出 lines, exact yuan)."""
    for _, form in _forms(ctx):
        amount = _project_amount(ctx, form.project.strip())
        if amount is None or form.annual_total == amount:
            continue
        yield Finding(
            "performance.annual_amount",
            ERROR,
            _projects_number(ctx),
            form.source.at("annual_total"),
            f"绩效目标申报表“{form.project}”的年度资金总额 {_yuan(form.annual_total)} 与项目预算 {_yuan(amount)} 不符",
            _yuan(amount),
            _yuan(form.annual_total),
        )


@rule("performance.funding_total", "budget")
def funding_total(ctx: Context) -> Iterator[Finding]:
    """A form's money holds together: 其中 中央/省级/市县/自筹/其他 add to the 实施期 and 年度 资金总额
    (when the breakdown is filled in), and the 年度 amount is no more than the 实施期 amount."""
    for _, form in _forms(ctx):
        for total_field, funding, what in (
            ("period_total", form.funding, "实施期"),
            ("annual_total", form.annual_funding, "年度"),
        ):
            total = getattr(form, total_field)
            if funding.total != 0 and funding.total != total:
                yield Finding(
                    "performance.funding_total",
                    ERROR,
                    None,
                    form.source.at(total_field),
                    f"绩效目标申报表“{form.project}”{what}资金总额 {_yuan(total)} 不等于其中各项资金之和 {_yuan(funding.total)}",
                    _yuan(funding.total),
                    _yuan(total),
                )
        if form.period_total and form.annual_total > form.period_total:
            yield Finding(
                "performance.funding_total",
                ERROR,
                None,
                form.source.at("annual_total"),
                f"绩效目标申报表“{form.project}”年度资金总额 {_yuan(form.annual_total)} 大于实施期资金总额 {_yuan(form.period_total)}",
                f"≤{_yuan(form.period_total)}",
                _yuan(form.annual_total),
            )


def _is_cost(ind: Indicator) -> bool:
    return "成本" in ind.level2


def _money_bound(text: str) -> Decimal | None:
    m = _VALUE.match(text.strip())
    if not m or not m.group("unit"):
        return None
    factor = _MONEY_UNITS.get(m.group("unit").strip())
    return None if factor is None else Decimal(m.group("num")) * factor


@rule("performance.cost_within_annual", "budget")
def cost_within_annual(ctx: Context) -> Iterator[Finding]:
    """成本指标 (e.g. ≤20.5万元) of a form add to no more than its 年度资金总额 (annual values) and
    实施期资金总额 (period values)."""
    for _, form in _forms(ctx):
        costs = [i for i in form.indicators if _is_cost(i)]
        if not costs:
            continue
        for attr, total_field, what in (
            ("annual_value", "annual_total", "年度"),
            ("period_value", "period_total", "实施期"),
        ):
            total = getattr(form, total_field)
            bounds = [_money_bound(getattr(i, attr)) for i in costs]
            summed = sum((b for b in bounds if b is not None), ZERO)
            if total and summed > total:
                yield Finding(
                    "performance.cost_within_annual",
                    ERROR,
                    None,
                    costs[0].source.at(attr),
                    f"绩效目标申报表“{form.project}”的成本指标合计 {_yuan(summed)} 超过{what}资金总额 {_yuan(total)}",
                    f"≤{_yuan(total)}",
                    _yuan(summed),
                )


def _bad_years(text: str, allowed: set[int]) -> list[int]:
    return [int(y) for y in YEAR.findall(text) if int(y) not in allowed]


@rule("performance.dates_in_year", "budget")
def dates_in_year(ctx: Context) -> Iterator[Finding]:
    """Dates in a form name the budget year: 年度指标值 (时效指标 such as 2023年1-12月), 年度目标 and
    项目实施计划 the budget year itself; 实施期指标值 and 实施期目标 a year of the 项目期 (period_years ending
    no earlier than the budget year). The seed's 2023 forms say 2022年1月-12月: a warning. Document numbers
    (同财行[2019]36号) are not dates. The form's other texts: narrative.year_mentions."""
    assert ctx.budget is not None
    year = ctx.budget.year
    for _, form in _forms(ctx):
        # the 项目期 (period_years long) includes the budget year; it may have begun before it
        span = max(form.period_years or 1, 1)
        period = set(range(year - span + 1, year + span))
        for ind in form.indicators:
            bad_annual = _bad_years(ind.annual_value, {year})
            bad_period = _bad_years(ind.period_value, period)
            if bad_annual:
                also = "（实施期指标值同样）" if bad_period else ""
                yield _date_finding(
                    form,
                    ind.source.at("annual_value"),
                    f"{ind.level2}“{ind.name}”的年度指标值",
                    ind.annual_value,
                    bad_annual,
                    year,
                    also,
                )
            elif bad_period:
                yield _date_finding(
                    form,
                    ind.source.at("period_value"),
                    f"{ind.level2}“{ind.name}”的实施期指标值",
                    ind.period_value,
                    bad_period,
                    year,
                    "",
                )
        for fields, allowed in ((ANNUAL_FIELDS, {year}), (PERIOD_FIELDS, period)):
            for name in fields:
                text = getattr(form, name)
                bad = _bad_years(text, allowed)
                if bad:
                    yield _date_finding(form, form.source.at(name), _FIELD_NAMES[name], text, bad, year, "")


_FIELD_NAMES = {
    "overview": "项目概况",
    "basis": "立项依据",
    "necessity": "项目设立必要性",
    "measures": "保证项目实施的制度、措施",
    "plan": "项目实施计划",
    "period_goal": "实施期目标",
    "annual_goal": "年度目标",
}


def _date_finding(
    form: PerformanceTarget, location: Location, what: str, text: str, bad: list[int], year: int, also: str
) -> Finding:
    years = "、".join(f"{y}年" for y in dict.fromkeys(bad))
    return Finding(
        "performance.dates_in_year",
        WARNING,
        None,
        location,
        f"{year}年绩效目标申报表“{form.project}”{what}“{text}”写的是{years}，不是预算年度{year}年{also}",
        f"{year}年",
        text,
    )


@rule("performance.indicator_groups", "budget")
def indicator_groups(ctx: Context) -> Iterator[Finding]:
    """Each form sets indicators in all three 一级指标 groups: 产出指标, 效益指标, 满意度指标."""
    for _, form in _forms(ctx):
        present = {i.level1.strip() for i in form.indicators}
        for group in LEVEL1_GROUPS:
            if group not in present and group.removesuffix("指标") not in present:
                yield Finding(
                    "performance.indicator_groups",
                    ERROR,
                    None,
                    form.source.at("indicators"),
                    f"绩效目标申报表“{form.project}”没有{group}（一级指标须有产出、效益、满意度三类）",
                    group,
                    None,
                )


def _value_problem(ind: Indicator, text: str) -> str | None:
    text = text.strip()
    if not text:
        return "未填写"
    if not any(c.isdigit() for c in text):
        return None  # a qualitative target (保障, 及时, 有所提高)
    if YEAR.search(text):
        return None  # a date (时效指标)
    m = _VALUE.match(text)
    if m is None:
        return "应为“运算符 数值 计量单位”，如 ≥8次、≤20.5万元、=100%"
    if not m.group("unit"):
        return "缺少计量单位（次、人、%、万元…）"
    if _is_cost(ind) and m.group("unit").strip() not in _MONEY_UNITS:
        return "成本指标应以元或万元计"
    return None


@rule("performance.value_format", "budget")
def value_format(ctx: Context) -> Iterator[Finding]:
    """指标值 are well formed: filled in; a quantitative value is an optional operator (≥ ≤ = > <), a number and a
    unit (≥8次, =100%, ≤20.5万元; 成本指标 in 元/万元); qualitative values (保障, 及时) and dates pass."""
    for _, form in _forms(ctx):
        for ind in form.indicators:
            for attr, what in (("annual_value", "年度指标值"), ("period_value", "实施期指标值")):
                text = getattr(ind, attr)
                problem = _value_problem(ind, text)
                if problem:
                    yield Finding(
                        "performance.value_format",
                        ERROR if problem == "未填写" else WARNING,
                        None,
                        ind.source.at(attr),
                        f"绩效目标申报表“{form.project}”{ind.level2 or ind.level1}“{ind.name}”的{what}“{text}”{problem}",
                        None,
                        text,
                    )


@rule("performance.form_missing", "budget")
def form_missing(ctx: Context) -> Iterator[Finding]:
    """A project flagged for 绩效目标管理 (performance_target) has a 绩效目标申报表."""
    assert ctx.budget is not None
    forms = {f.project.strip() for f in ctx.budget.performance_targets}
    seen: set[str] = set()
    for project in ctx.budget.projects:
        if project.performance_target and project.name not in forms and project.name not in seen:
            seen.add(project.name)
            yield Finding(
                "performance.form_missing",
                WARNING,
                _projects_number(ctx),
                project.source.at("performance_target"),
                f"项目“{project.name}”实行绩效目标管理，但没有绩效目标申报表",
                None,
                project.name,
            )
