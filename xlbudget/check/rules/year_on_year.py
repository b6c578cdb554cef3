"""Year-on-year sense: the figures against last year's, the reasons against the changes, and the marks a
rollover to the next year leaves for review."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from xlbudget.check.findings import ERROR, WARNING, Finding
from xlbudget.check.registry import Context, rule
from xlbudget.check.rules.narrative import _excerpt, changes, free_texts
from xlbudget.location import Location
from xlbudget.model import FISCAL_FUNDS, THREE_PUBLIC_ITEMS, ThreePublic, UnitBudget
from xlbudget.money import ZERO, fmt_percent, fmt_wan, percent, to_wan
from xlbudget.rollover import REVIEW_MARK

LARGE_CHANGE = Decimal(50)  # % against last year above which a figure needs a reason
_UP = ("增加", "增长", "增多", "提高", "上升", "上涨", "上调", "扩大", "新增", "提标", "增设", "调增")
_DOWN = (
    "减少",
    "下降",
    "降低",
    "压减",
    "压缩",
    "缩减",
    "核减",
    "下调",
    "缩小",
    "减半",
    "取消",
    "撤销",
    "精简",
    "调减",
)
_NOT = "不未无没非"
# The texts of a 绩效目标申报表 a review mark may be in (named by their project in the finding).
_FORM_FIELDS = ("project", "overview", "basis", "necessity", "measures", "plan", "period_goal", "annual_goal")


@dataclass(frozen=True)
class Change:
    """One figure against last year's: where last year's was typed, and the reasons that may explain it."""

    what: str
    prior: Decimal
    current: Decimal
    location: Location  # last year's figure
    reasons: tuple[str, ...]  # Explanations fields, any of which explains it
    function: str = ""  # the 项 code, for a 项 of the 一般公共预算当年拨款

    @property
    def flat(self) -> bool:
        return to_wan(self.prior) == to_wan(self.current)

    @property
    def up(self) -> bool:
        return self.current > self.prior

    def moved(self) -> str:
        """ "上年 3.50 万元，本年 7.00 万元，增加 100.00%" (上年为零: 本年新增)."""
        both = f"上年 {fmt_wan(self.prior)} 万元，本年 {fmt_wan(self.current)} 万元"
        if self.prior == 0:
            return f"{both}（上年为零，本年新增）"
        word = "增加" if self.up else "减少"
        return f"{both}，{word} {fmt_percent(abs(self.current - self.prior), self.prior)}"


def _three(items: tuple[ThreePublic, ...], item: str | None = None) -> Decimal:
    return sum((t.amount for t in items if t.fund in FISCAL_FUNDS and (item is None or t.item == item)), ZERO)


def year_changes(budget: UnitBudget) -> list[Change]:
    """Every figure the report compares with last year, where last year's is given: 收入/支出总计,
    一般公共预算当年拨款, 机关运行经费, 财政拨款“三公”经费 (total and each item), and each 项 of the
    一般公共预算当年拨款 (when last year's 项 are given, ``prior_year.functions``)."""
    p = budget.prior_year
    out = []
    for what, field, prior, current, reason in changes(budget):
        if prior is None:
            continue
        reasons = (reason, "total_change") if field == "general_budget_appropriation" else (reason,)
        out.append(Change(what, prior, current, p.source.at(field), reasons))
    given = p.three_public or any(
        v is not None
        for v in (p.income_total, p.expenditure_total, p.general_budget_appropriation, p.operating_funds)
    )
    if given:
        where = p.source.at("three_public")
        why: tuple[str, ...] = ("three_public_change",)
        out.append(Change("“三公”经费", _three(p.three_public), _three(budget.three_public), where, why))
        for item in THREE_PUBLIC_ITEMS:
            now, before = _three(budget.three_public, item), _three(p.three_public, item)
            typed = next((t.source.at("amount") for t in p.three_public if t.item == item), where)
            if now or before:
                out.append(Change(f"“三公”经费 {item}", before, now, typed, why))
    if p.functions:
        from xlbudget.catalogue import load_catalogue

        cat = load_catalogue(budget.year)
        before_by: dict[str, Decimal] = {}
        where_by: dict[str, Location] = {}
        for f in p.functions:
            before_by[f.function] = before_by.get(f.function, ZERO) + f.amount
            where_by.setdefault(f.function, f.source.at("amount"))
        now_by: dict[str, Decimal] = {}
        for x in budget.lines:
            if x.fund == "general" and not x.carryover:
                now_by[x.function] = now_by.get(x.function, ZERO) + x.amount
        why = ("general_budget_change", "total_change")
        for code in sorted(set(before_by) | {c for c in now_by if len(c) == 7}):
            name = cat.function_name(code) or ""
            where = where_by.get(code, p.source.at("functions"))
            what = f"一般公共预算当年拨款 {code} {name}".rstrip()
            out.append(Change(what, before_by.get(code, ZERO), now_by.get(code, ZERO), where, why, code))
    return out


def large_changes(budget: UnitBudget) -> list[Change]:
    """The changes ``year.large_change`` warns about: more than 50% (or from zero), no reason typed (a 项 gone to
    nothing is year.function_dropped's)."""
    out = []
    for c in year_changes(budget):
        if c.flat or (c.function and c.prior > 0 and c.current == 0):
            continue  # a 项 gone this year: year.function_dropped says so, at its 上年数 row
        if c.prior and abs(percent(c.current - c.prior, c.prior)) <= LARGE_CHANGE:
            continue
        if any(getattr(budget.explanations, r).strip() for r in c.reasons):
            continue
        out.append(c)
    return out


@rule("year.large_change", "budget")
def large_change(ctx: Context) -> Iterator[Finding]:
    """A figure compared with last year's (收入/支出总计, 一般公共预算当年拨款, 机关运行经费, 财政拨款“三公”经费 and
    each of its items, each 项 of last year's 一般公共预算当年拨款) that moves by more than 50% — or from zero —
    while no reason is typed is a warning at last year's figure: a figure that moves that much is more often
    last year's figure typed wrong than a real change. The same printed 万元 figure is no change. This rule
    owns such a change: ``narrative.change_reason`` (a reason owed above 10%) leaves it to this one, so a
    reviewer reads it once."""
    budget = ctx.budget
    assert budget is not None
    for c in large_changes(budget):
        yield Finding(
            "year.large_change",
            WARNING,
            None,
            c.location,
            f"{c.what}{c.moved()}，变动超过 {LARGE_CHANGE}% 却没有说明原因：请核对上年数，或填写变动原因",
            f"变动不超过 {LARGE_CHANGE}%，或说明原因",
            c.moved(),
        )


def _directions(text: str) -> dict[str, str]:
    """The directions a reason speaks of: {"up": word, "down": word}, negated words (不增加) left out."""
    found: dict[str, str] = {}
    for direction, words in (("up", _UP), ("down", _DOWN)):
        for m in re.finditer("|".join(words), text):
            if m.start() and text[m.start() - 1] in _NOT:
                continue
            found.setdefault(direction, m.group())
    return found


@rule("year.reason_direction", "budget")
def reason_direction(ctx: Context) -> Iterator[Finding]:
    """A reason (变动原因) that speaks only of the opposite direction of the change it explains is a warning:
    a 减少 explained by “经费增加”, an 增加 by “压减”. A reason that names both directions (人员减少，但标准提高)
    is not judged. Each reason is checked against the first figure it explains: total_change — 收入总计;
    general_budget_change — 一般公共预算当年拨款; operating_funds_change — 机关运行经费;
    three_public_change — 财政拨款“三公”经费."""
    budget = ctx.budget
    assert budget is not None
    seen: set[str] = set()
    for c in year_changes(budget):
        field = c.reasons[0]
        if field in seen:
            continue
        seen.add(field)
        text = getattr(budget.explanations, field).strip()
        if not text or c.flat:
            continue
        said = _directions(text)
        own, other = ("up", "down") if c.up else ("down", "up")
        if own in said or other not in said:
            continue
        word = said[other]
        change = "增加" if c.up else "减少"
        at = text.find(word)
        yield Finding(
            "year.reason_direction",
            WARNING,
            None,
            budget.explanations.source.at(field),
            f"{c.what}比上年{change}（{c.moved()}），变动原因却说“{word}”：{_excerpt(text, at, at + len(word))}",
            f"{change}的原因",
            word,
        )


@rule("year.review_mark", "budget")
def review_mark(ctx: Context) -> Iterator[Finding]:
    """A text still marked 【待复核】: carried from last year's workbook with its dates moved on by one year
    (xlbudget new --from … --year, 生成下一年度工作簿) and not yet reviewed. Remove the mark once it is.
    An error: the mark would be published in the report, and the text it marks may still say last year's
    figures (so the report is refused while one is left)."""
    budget = ctx.budget
    assert budget is not None
    projects = {f.source.at(name): f.project for f in budget.performance_targets for name in _FORM_FIELDS}
    for location, text in free_texts(budget):
        if REVIEW_MARK not in (text or ""):
            continue
        what = f"绩效目标申报表“{projects[location]}”" if location in projects else "这段文字"
        yield Finding(
            "year.review_mark",
            ERROR,
            None,
            location,
            f"{what}由上年工作簿沿用（日期已顺延一年），尚未复核：复核无误后删除“{REVIEW_MARK}”：{text[:30]}",
            f"删除“{REVIEW_MARK}”",
            REVIEW_MARK,
        )
