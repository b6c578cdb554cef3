"""Next year's budget from this year's: ``xlbudget new --from … --year Y`` and 生成下一年度工作簿.

A pure stage, :func:`roll_over` (``UnitBudget`` of year Y−1 → ``UnitBudget`` of year Y):

* 单位信息 (the unit, 职责, 机构设置, 资产, 其他说明) is carried as it is; so is every field the
  budget has that this module does not name (a later field, such as the report profile, too);
* this year's figures become next year's 上年 (:func:`prior_year_of`), computed from this year's
  tables (山西 13 张表, found by role) in exact yuan: 收入总计 and 支出总计 (收支总表), 一般公共预算当年拨款
  (一般公共预算支出表 合计), 机关运行经费 (行政/参公 units), “三公”经费 by item and fund, and each 项 of the
  一般公共预算当年拨款 (the 7-digit rows of 一般公共预算支出表);
* projects and their 绩效目标申报表 are carried; every 4-digit year in their texts that is this
  year or the year before moves on by one (:func:`shift_years`; document numbers such as
  〔2019〕36号 stay), and each form's 项目概况 starts with :data:`REVIEW_MARK`, which the
  checker warns about until it is removed (``year.review_mark``);
* the budget lines (基本支出, 项目 amounts, “三公”经费, 政府采购) are kept as a starting point, or
  cleared with ``empty``; last year's 变动原因 are cleared (they explained last year's changes);
* every code of this year's budget that next year's catalogue renames or drops is named, with
  its successor where the catalogue records one (:func:`xlbudget.catalogue.changes_between`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

from xlbudget.catalogue import CatalogueError, CodeChange, changes_between
from xlbudget.errors import InputError
from xlbudget.model import (
    FISCAL_FUNDS,
    THREE_PUBLIC_ITEMS,
    Explanations,
    Funding,
    PerformanceTarget,
    PriorFunction,
    PriorYear,
    Procurement,
    ThreePublic,
    UnitBudget,
)
from xlbudget.money import ZERO, fmt_wan
from xlbudget.tables import TOTAL, Table, build_tables

REVIEW_MARK = "【待复核】"
# A 4-digit year not inside a longer number and not a document number's year (〔2019〕, [2019], (2019)).
_YEAR = re.compile(r"(?<![\d〔\[【(（［])((?:19|20)\d{2})(?![\d〕\]】)）］])")
_PROFILE = "shanxi-13"  # the table set the carried figures are read from (every role they need)


def shift_years(text: str, year: int) -> tuple[str, int]:
    """``text`` with each 4-digit year equal to ``year`` or ``year − 1`` moved on by one, and how many moved.

    >>> shift_years("2022年1月-2023年12月，依据晋财预〔2023〕5号", 2023)
    ('2023年1月-2024年12月，依据晋财预〔2023〕5号', 2)
    """
    moved = 0

    def one(m: re.Match[str]) -> str:
        nonlocal moved
        found = int(m.group(1))
        if found not in (year, year - 1):
            return m.group(1)
        moved += 1
        return str(found + 1)

    return _YEAR.sub(one, text), moved


@dataclass(frozen=True)
class Rollover:
    """The new year's budget and what was done to get it."""

    budget: UnitBudget
    from_year: int
    code_changes: tuple[CodeChange, ...]  # codes of this year's budget renamed or dropped next year
    dates_moved: int  # years moved on in the projects' and forms' texts
    empty: bool
    catalogue_note: str = ""  # why the code changes could not be looked up, if they could not

    def summary(self) -> list[str]:
        """What the new workbook holds, in Chinese, one line each (the command prints them)."""
        b, p = self.budget, self.budget.prior_year
        figures = [
            ("收入总计", p.income_total),
            ("支出总计", p.expenditure_total),
            ("一般公共预算当年拨款", p.general_budget_appropriation),
            ("机关运行经费", p.operating_funds),
        ]
        three = sum((t.amount for t in p.three_public), ZERO)
        parts = [f"{what} {fmt_wan(v)} 万元" for what, v in figures if v is not None]
        parts.append(f"“三公”经费 {fmt_wan(three)} 万元")
        lines = [
            f"上年数（{self.from_year}年预算数）："
            + "，".join(parts)
            + f"；一般公共预算财政拨款 {len(p.functions)} 个项。",
            self._carried(),
        ]
        if self.empty:
            lines.append("已清空：基本支出、项目金额、本年“三公”经费、政府采购。")
        if self.catalogue_note:
            lines.append(self.catalogue_note)
        elif self.code_changes:
            lines.append(f"{b.year}年科目表中更名或撤销的科目（请改用新科目）：")
            lines += [f"  {c.describe()}" for c in self.code_changes]
        else:
            lines.append(f"本工作簿使用的科目在{b.year}年科目表中均未更名或撤销。")
        return lines

    def _carried(self) -> str:
        """沿用：… — the projects and forms carried, a count of none worded as none."""
        b = self.budget
        carried = ["单位信息"]
        if b.projects:
            carried.append(
                f"{len(b.projects)} 个项目" + ("（金额已清空）" if self.empty else "（金额保留，作为起点）")
            )
        moved = f"日期顺延一年 {self.dates_moved} 处" if self.dates_moved else "没有要顺延的日期"
        if b.performance_targets:
            carried.append(
                f"{len(b.performance_targets)} 张绩效目标申报表（{moved}，"
                f"项目概况前标“{REVIEW_MARK}”，复核后删除）"
            )
        none = "、".join(
            what
            for what, have in (("项目", b.projects), ("绩效目标申报表", b.performance_targets))
            if not have
        )
        line = "沿用：" + "、".join(carried)
        if none:
            line += f"；本年没有{none}，无可沿用"
            if self.dates_moved and not b.performance_targets:
                line += f"；项目名称中的日期顺延一年 {self.dates_moved} 处"
        return line + "；变动原因已清空。"


def roll_over(budget: UnitBudget, year: int, *, empty: bool = False) -> Rollover:
    """Year ``year``'s budget from year ``year − 1``'s; another year is refused (InputError)."""
    if budget.year != year - 1:
        raise InputError(
            f"这是{budget.year}年的预算（单位信息“预算年度”），不能据此生成{year}年的工作簿："
            f"应使用{year - 1}年的工作簿，或把年度改为 {budget.year + 1}",
            budget.origin or "--from",
        )
    moved = 0

    def shift(text: str) -> str:
        nonlocal moved
        out, n = shift_years(text, budget.year)
        moved += n
        return out

    projects = tuple(
        replace(x, name=shift(x.name), amount=ZERO if empty else x.amount) for x in budget.projects
    )
    forms = tuple(_carry_form(f, shift, empty) for f in budget.performance_targets)
    new = replace(
        budget,
        year=year,
        basic=() if empty else budget.basic,
        projects=projects,
        three_public=() if empty else budget.three_public,
        procurement=Procurement() if empty else budget.procurement,
        prior_year=prior_year_of(budget),
        explanations=Explanations(),
        performance_targets=forms,
        origin="",
    )
    codes = {x.function for x in budget.lines} | {x.economic for x in budget.basic}
    note = ""
    try:
        found = changes_between(budget.year, year, sorted(c for c in codes if c))
    except CatalogueError as exc:
        found, note = [], f"无法比对科目表：{exc}"
    dropped = tuple(c for c in found if c.kind != "added")
    return Rollover(new, budget.year, dropped, moved, empty, note)


def _carry_form(form: PerformanceTarget, shift: Callable[[str], str], empty: bool) -> PerformanceTarget:
    overview = shift(form.overview)
    carried = replace(
        form,
        project=shift(form.project),
        department=shift(form.department),
        implementer=shift(form.implementer),
        attribute=shift(form.attribute),
        overview=overview if overview.startswith(REVIEW_MARK) else REVIEW_MARK + overview,
        basis=shift(form.basis),
        necessity=shift(form.necessity),
        measures=shift(form.measures),
        plan=shift(form.plan),
        period_goal=shift(form.period_goal),
        annual_goal=shift(form.annual_goal),
        indicators=tuple(
            replace(
                i,
                level1=shift(i.level1),
                level2=shift(i.level2),
                name=shift(i.name),
                period_value=shift(i.period_value),
                annual_value=shift(i.annual_value),
            )
            for i in form.indicators
        ),
    )
    return replace(carried, annual_total=ZERO, annual_funding=Funding()) if empty else carried


def prior_year_of(budget: UnitBudget) -> PriorYear:
    """This year's figures as next year's 上年, from this year's tables (exact yuan).

    The tables are the Shanxi 13, whatever the unit publishes: its 收支总表, 一般公共预算支出表 (当年拨款,
    by 项), “三公”经费表 and 机关运行经费表 hold every figure a narrative compares, found by role and column id.
    """
    tables = build_tables(budget, _PROFILE)

    def table(role: str) -> Table:
        found = tables.by_role(role)
        assert found is not None, f"{_PROFILE} has a {role} table"
        return found

    def total(t: Table, key: str) -> Decimal:
        row = t.row(key)
        return row.values[t.column("total") or 0] if row is not None else ZERO

    balance, general, three_public, operating = (
        table(r) for r in ("balance", "general_function", "three_public", "operating_funds")
    )
    at = general.column("total") or 0
    three: list[ThreePublic] = []
    for item in THREE_PUBLIC_ITEMS:
        row = next((r for r in three_public.rows if r.key.lstrip("①②") == item), None)
        for fund in FISCAL_FUNDS:
            col = three_public.column(fund)
            if row is not None and col is not None and row.values[col]:
                three.append(ThreePublic(item, fund, row.values[col]))
    return PriorYear(
        income_total=balance.totals["收入总计"][0],
        expenditure_total=balance.totals["支出总计"][balance.column("total") or 0],
        general_budget_appropriation=total(general, TOTAL),
        operating_funds=total(operating, "部门合计") if budget.unit.has_operating_funds else None,
        three_public=tuple(three),
        functions=tuple(
            PriorFunction(r.key, r.values[at])
            for r in general.rows
            if len(r.key) == 7 and r.key.isdigit() and r.values[at]
        ),
    )
