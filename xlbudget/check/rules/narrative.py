"""The free text a unit types for the 情况说明, and the reasons it owes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from xlbudget.check.findings import ERROR, WARNING, Finding
from xlbudget.check.registry import Context, rule
from xlbudget.check.rules.performance import DATED_FIELDS, YEAR
from xlbudget.location import Location
from xlbudget.model import FISCAL_FUNDS, UnitBudget
from xlbudget.money import ZERO, fmt_percent, fmt_wan, percent, to_wan

PLACEHOLDER = re.compile(r"XX|xx|ＸＸ|××|待填写|【\s*】|……|\.{6}")
LEVEL_WORDING = {"省级": "省直", "市级": "市直", "县级": "县直"}


def free_texts(budget: UnitBudget, *, forms: bool = True) -> Iterator[tuple[Location, str]]:
    """(location, text) of every free text a unit types; ``forms`` includes the 绩效目标申报表 (all of it,
    or, with ``forms=False``, only the texts whose dates performance.dates_in_year does not check) and a
    部门's 项目经费情况说明 (a project's history names the years it was approved in: not checked for years)."""
    u, ov, ex, a, n = budget.unit, budget.overview, budget.explanations, budget.assets, budget.other_notes
    yield u.source.at("name"), u.name
    yield ov.source.at("duties_intro"), ov.duties_intro
    for i, duty in enumerate(ov.duties):
        yield ov.source.at("duties").item(i), duty
    yield ov.source.at("organization"), ov.organization
    for name in ("total_change", "general_budget_change", "operating_funds_change", "three_public_change"):
        yield ex.source.at(name), getattr(ex, name)
    for i, v in enumerate(a.vehicles):
        yield a.source.at("vehicles").item(i).field("purpose"), v.purpose
    for name in ("vehicles_note", "building_area_m2", "other", "as_of"):
        yield a.source.at(name), getattr(a, name)
    for name in ("purchase_service_catalog", "other"):
        yield n.source.at(name), getattr(n, name)
    for p in budget.projects:
        yield p.source.at("name"), p.name
    for note in budget.function_notes:
        yield note.source.at("purpose"), note.purpose
        yield note.source.at("reason"), note.reason
    if forms:
        project = budget.project_explanation
        for name, _, text in project.sections():
            yield project.source.at(name), text
    for f in budget.performance_targets:
        for name in (
            "project",
            "department",
            "implementer",
            "attribute",
            "overview",
            "basis",
            "necessity",
            "measures",
            "plan",
            "period_goal",
            "annual_goal",
        ):
            if forms or name not in DATED_FIELDS:
                yield f.source.at(name), getattr(f, name)
        if not forms:
            continue
        for ind in f.indicators:
            for name in ("level1", "level2", "name", "period_value", "annual_value"):
                yield ind.source.at(name), getattr(ind, name)


def _excerpt(text: str, start: int, end: int) -> str:
    a, b = max(0, start - 12), min(len(text), end + 12)
    return ("…" if a else "") + text[a:b] + ("…" if b < len(text) else "")


@rule("narrative.placeholder", "budget")
def placeholder(ctx: Context) -> Iterator[Finding]:
    """No template placeholder is left in any free text: XX, ××, 待填写, 【】, …… (an error: it would be published)."""
    assert ctx.budget is not None
    for location, text in free_texts(ctx.budget):
        for m in PLACEHOLDER.finditer(text or ""):
            yield Finding(
                "narrative.placeholder",
                ERROR,
                None,
                location,
                f"文字中留有占位符“{m.group()}”：{_excerpt(text, m.start(), m.end())}",
                None,
                m.group(),
            )
            break


@rule("narrative.year_mentions", "budget")
def year_mentions(ctx: Context) -> Iterator[Finding]:
    """Free text (概况, 变动原因, 资产 and its 统计截止日期, 其他说明, 支出说明, the 绩效目标申报表's
    概况/依据/必要性/措施) names the budget year, and last year only where it compares with it (比2023年…,
    2023年预算数, 截至2023年12月31日): the rule ``text.year`` holds a published report's text to, said the
    same way, at the cell — last year as the year of this budget's work (“2023年暂无政府购买服务项目”), or
    another year, is most likely copied from an old report. Dates such as 2019-05 of a year neither this
    nor last count too. (The form's plan, goals and indicator values: performance.dates_in_year.)"""
    from xlbudget.check.text.wording_data import stray_year, stray_year_message

    assert ctx.budget is not None
    year = ctx.budget.year
    allowed = {year, year - 1}
    for location, text in free_texts(ctx.budget, forms=False):
        hit = stray_year(text or "", year)
        if hit is None:
            m = next((m for m in YEAR.finditer(text or "") if int(m.group(1)) not in allowed), None)
            hit = (m.start(), int(m.group(1))) if m is not None else None
        if hit is None:
            continue
        pos, y = hit
        yield Finding(
            "narrative.year_mentions",
            WARNING,
            None,
            location,
            f"{stray_year_message(y, year)}：{_excerpt(text, pos, pos + 5)}",
            f"{year}年",
            f"{y}年",
        )


@rule("narrative.level_wording", "budget")
def level_wording(ctx: Context) -> Iterator[Finding]:
    """省直/市直/县直 wording fits the unit's level (单位级次): a 市级 unit speaks of 市直, not 省直 (the seed's
    glossary says 省直部门 in a city report)."""
    assert ctx.budget is not None
    own = LEVEL_WORDING.get(ctx.budget.unit.level)
    if own is None:
        return
    wrong = [w for w in LEVEL_WORDING.values() if w != own]
    pattern = re.compile(f"(?:{'|'.join(wrong)})(?!管)")
    for location, text in free_texts(ctx.budget):
        m = pattern.search(text or "")
        if m:
            yield Finding(
                "narrative.level_wording",
                WARNING,
                None,
                location,
                f"{ctx.budget.unit.name}是{ctx.budget.unit.level}单位，文字却说“{m.group()}”："
                f"{_excerpt(text, m.start(), m.end())}",
                own,
                m.group(),
            )


def _fiscal_basic_public(budget: UnitBudget) -> Decimal:
    owners = {u.name: u.has_operating_funds for u in budget.units}  # a 部门: its 行政/参公 units' lines only
    return sum(
        (
            x.amount
            for x in budget.basic
            if not x.carryover and x.fund in FISCAL_FUNDS and not x.is_personnel and owners.get(x.unit, True)
        ),
        ZERO,
    )


def changes(budget: UnitBudget) -> list[tuple[str, str, Decimal | None, Decimal, str]]:
    """(what, prior-year field, last year, this year, explanation field) for each 比上年 sentence."""
    this_year = [x for x in budget.lines if not x.carryover]
    income = sum((x.amount for x in budget.lines), ZERO)
    general = sum((x.amount for x in this_year if x.fund == "general"), ZERO)
    p = budget.prior_year
    out = [
        ("预算收入总计", "income_total", p.income_total, income, "total_change"),
        ("预算支出总计", "expenditure_total", p.expenditure_total, income, "total_change"),
        (
            "一般公共预算当年拨款",
            "general_budget_appropriation",
            p.general_budget_appropriation,
            general,
            "general_budget_change",
        ),
    ]
    if budget.unit.has_operating_funds:
        out.append(
            (
                "机关运行经费",
                "operating_funds",
                p.operating_funds,
                _fiscal_basic_public(budget),
                "operating_funds_change",
            )
        )
    return out


@rule("narrative.change_reason", "budget")
def change_reason(ctx: Context) -> Iterator[Finding]:
    """Every change against last year above the threshold (CheckSettings.change_threshold, default 10%) has a reason
    typed in: 收入/支出总计 (total_change), 一般公共预算当年拨款 (general_budget_change — the total's reason serves
    when both changes are the same figures), 机关运行经费 (operating_funds_change). None is needed for 持平
    (the same printed 万元 figure). “三公” changes: completeness.sections. A change of more than 50% (or from
    zero) with no reason is ``year.large_change``'s, which says it at last year's figure; this rule says it
    only when that one is skipped."""
    budget = ctx.budget
    assert budget is not None
    threshold = ctx.settings.change_threshold
    reported: set[str] = set()
    owned: set[Location] = set()  # last year's figures year.large_change warns about
    if "year.large_change" not in ctx.settings.skip:
        from xlbudget.check.rules.year_on_year import large_changes

        owned = {c.location for c in large_changes(budget)}
    figures = {c[1]: (c[2], c[3]) for c in changes(budget)}
    for what, field, prior, current, reason_field in changes(budget):
        if prior is None or reason_field in reported or budget.prior_year.source.at(field) in owned:
            continue
        if to_wan(prior) == to_wan(current):
            continue  # 持平
        over = prior == 0 or abs(percent(current - prior, prior)) > threshold
        if not over or getattr(budget.explanations, reason_field).strip():
            continue
        if reason_field == "general_budget_change" and budget.explanations.total_change.strip():
            if figures.get("income_total") == (prior, current):
                continue  # the same change as the total's, already explained
        reported.add(reason_field)
        change = "增加" if current > prior else "减少"
        share = fmt_percent(abs(current - prior), prior) if prior else "（上年为零）"
        yield Finding(
            "narrative.change_reason",
            WARNING,
            None,
            budget.explanations.source.at(reason_field),
            f"{what}比上年{change} {fmt_wan(abs(current - prior))} 万元（{change}{share}），超过 {threshold}%，"
            "需填写变动原因",
            "变动原因",
            None,
        )
