"""Last year's figures from last year's published report (``xlbudget new … --prior REPORT.pdf|.docx|.txt``).

A pure stage: :func:`read_prior` (a read :class:`~xlbudget.document.Document` → :class:`PriorReading`: the
figures a year's 比上年 sentences compare with, each with where it was printed, and what was not found).
The figures are those :func:`xlbudget.rollover.prior_year_of` takes from a workbook:

* 收入总计 and 支出总计 — the 收支总表 (role ``balance``), its 收入总计 / 支出总计 footer;
* 一般公共预算当年拨款 — the 一般公共预算支出表 (``general_function``), its 合计;
* 机关运行经费 — the 机关运行经费表 (``operating_funds``, 部门合计) or Shanghai's 表9
  (``three_public_operating``, its 机关运行经费 column); only for a unit that has them (行政/参公);
* “三公”经费 by item — the “三公”经费表 (``three_public``: by fund) or Shanghai's 表9 (财政拨款, taken as
  一般公共预算: the narrative compares the 财政拨款 sum, whatever the fund); an item a found table does not
  print was zero;
* each 项 of the 一般公共预算 — the 7-digit rows of the ``general_function`` table; a code printed wrong
  (福利院 2024 表5 “7 11 02”) is read as the reader corrects it (under the 款 printed above), and said so.

Tables first; where the report prints no such table (the national 9 have no 机关运行经费表), the figure is
taken from the text, from the sentence the report writes it in (“机关运行经费财政拨款预算58.64万元”).
Figures are exact at the precision printed: a 万元 table gives 万元 figures (916.53万元 = 9,165,300 元), a
元 table (Shanghai) gives 元; text figures go through :mod:`xlbudget.money`.

A report of another unit than the budget's 单位名称, or of another year than the year before, is refused
(:class:`~xlbudget.errors.InputError`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from xlbudget.document.grid import CODE_RULE
from xlbudget.document.model import Document, Paragraph
from xlbudget.errors import InputError
from xlbudget.model import (
    FISCAL_FUNDS,
    THREE_PUBLIC_ITEMS,
    PriorFunction,
    PriorYear,
    ThreePublic,
    Unit,
    UnitBudget,
)
from xlbudget.money import AmountError, fmt_wan, fmt_yuan, parse_wan, parse_yuan, wan_to_yuan
from xlbudget.tables import TOTAL, Row, Table

# Shanghai's 表9 column of each “三公” item.
_SH_ITEMS = {
    "因公出国（境）费": "abroad",
    "公务接待费": "reception",
    "公务用车购置费": "vehicle_purchase",
    "公务用车运行维护费": "vehicle_running",
}
_FIGURE = r"\s*(?:为|是)?\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*(万元|元)"
# The sentences the reports write each figure in (facts.py, shanghai.py, and the seed): first match wins.
_TEXT: dict[str, tuple[str, ...]] = {
    "income_total": (r"预算收入总计", r"收入预算"),
    "expenditure_total": (r"预算支出总计", r"支出预算(?!情况)"),
    "general_budget_appropriation": (r"一般公共预算当年拨款", r"一般公共预算拨款支出预算"),
    "operating_funds": (r"机关运行经费(?:财政拨款)?预算", r"财政拨款的机关运行经费预算"),
}
_TEXT_ITEMS: dict[str, tuple[str, ...]] = {
    "因公出国（境）费": (r"因公出国[（(]境[）)]费(?:用)?",),
    "公务接待费": (r"公务接待费",),
    "公务用车购置费": (r"公务用车购置费",),
    "公务用车运行维护费": (r"公务用车运行(?:维护)?费",),
}
_NO_OPERATING_FUNDS = re.compile(r"无机关运行经费")

NAMES = {
    "income_total": "收入总计",
    "expenditure_total": "支出总计",
    "general_budget_appropriation": "一般公共预算当年拨款",
    "operating_funds": "机关运行经费",
    "three_public": "“三公”经费",
    "functions": "一般公共预算财政拨款（按项）",
}


@dataclass(frozen=True)
class Found:
    """One figure read from the report: what, the amount (exact yuan), as printed, and where."""

    what: str
    amount: Decimal
    printed: str  # "916.53 万元", "12,121,164 元"
    where: str  # "表1 第5页", "正文 第18页：……收入总计916.53万元……"
    note: str = ""

    def line(self) -> str:
        note = f"；{self.note}" if self.note else ""
        return f"  {self.what} {self.printed}（{self.where}{note}）"


@dataclass(frozen=True)
class PriorReading:
    """What a report gave: last year's figures (``prior``), each found one, and what it did not give."""

    prior: PriorYear  # the figures found (a figure not found: None, or () for three_public / functions)
    found: tuple[Found, ...]
    given: tuple[str, ...]  # the PriorYear fields the report gave
    missing: tuple[str, ...]  # the PriorYear fields it did not give
    year: int
    unit: str
    path: str
    skipped: tuple[str, ...] = ()  # what was not looked for, and why (in Chinese)

    def onto(self, prior: PriorYear) -> PriorYear:
        """``prior`` with every figure this reading gave put in (the others kept as they were)."""
        return replace(prior, **{k: getattr(self.prior, k) for k in self.given})

    def summary(self, kept: Callable[[str], str] | None = None) -> list[str]:
        """In Chinese: which figures were found (with where) and which not (``kept`` says what stays)."""
        lines = [f"从{self.year}年预算公开报告 {self.path} 读取上年数（{self.unit}）："]
        lines += [f.line() for f in self.found]
        lines += [f"  {s}" for s in self.skipped]
        for name in self.missing:
            stays = kept(name) if kept is not None else ""
            lines.append(f"  未找到：{NAMES[name]}" + (f"（{stays}）" if stays else ""))
        if not self.missing:
            lines.append("  需要的上年数均已找到。")
        return lines


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）")


def check_report(doc: Document, unit: str | None, year: int) -> None:
    """Refuse a report of another year than ``year − 1`` or (``unit`` given) of another unit."""
    if doc.year != year - 1:
        printed = f"{doc.year}年的" if doc.year else "没有印出年度的"
        raise InputError(
            f"这是{printed}预算公开报告，{year}年的上年数应取自{year - 1}年的报告：请换用{year - 1}年的报告",
            doc.path,
        )
    if unit is None:
        return
    if not doc.unit:
        raise InputError(f"报告中没有找到单位名称（如“单位名称：{unit}”），无法确认是本单位的报告", doc.path)
    if _squash(doc.unit) != _squash(unit):
        raise InputError(
            f"这是“{doc.unit}”的报告，不是“{unit}”（单位信息“单位名称”）的：请换用本单位的报告，"
            "或核对单位名称",
            doc.path,
        )


def read_prior(doc: Document, *, operating_funds: bool = True) -> PriorReading:
    """Last year's figures as ``doc`` prints them (the tables first, then the text); see the module.

    ``operating_funds=False``: the unit has no 机关运行经费 (not 行政/参公), none is taken."""
    reader = _Reader(doc)
    values: dict[str, Any] = {}
    skipped: tuple[str, ...] = ()
    for name in ("income_total", "expenditure_total", "general_budget_appropriation", "operating_funds"):
        if name == "operating_funds" and not operating_funds:
            skipped = ("机关运行经费：本单位不是行政单位或参公事业单位，没有机关运行经费，不取",)
            continue
        values[name] = reader.figure(name)
    values["three_public"] = reader.three_public()
    values["functions"] = reader.functions()
    given = tuple(k for k, v in values.items() if v is not None)
    prior = replace(PriorYear(), **{k: values[k] for k in given})
    missing = tuple(k for k, v in values.items() if v is None)
    return PriorReading(prior, tuple(reader.found), given, missing, doc.year, doc.unit, doc.path, skipped)


def _exact(value: Decimal) -> Decimal:
    return Decimal(int(value)) if value == value.to_integral_value() else value


class _Reader:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.found: list[Found] = []

    # -- where and how printed ---------------------------------------------------------------------
    def _printed(self, amount: Decimal, unit: str) -> str:
        return f"{fmt_yuan(amount)} 元" if unit == "元" else f"{fmt_wan(amount)} 万元"

    def _where(self, table: Table, row: Row | None = None, column: int = 0) -> str:
        page = None
        if row is not None and row.cells and column < len(row.cells):
            page = self.doc.row_pages.get(row.cells[column])
        if page is None and self.doc.pages.get(table.number):
            page = self.doc.pages[table.number][0]
        return f"表{table.number}" + (f" 第{page}页" if page is not None else "")

    def _take(
        self, what: str, amount: Decimal, table: Table, row: Row | None, column: int, note: str = ""
    ) -> Decimal:
        amount = _exact(amount)
        where = self._where(table, row, column)
        self.found.append(Found(what, amount, self._printed(amount, table.amount_unit), where, note))
        return amount

    def _take_text(
        self, what: str, amount: Decimal, unit: str, p: Paragraph, start: int, end: int
    ) -> Decimal:
        page = f"第{p.page}页" if p.page is not None else f"第{p.index}段"
        quote = p.text[max(0, start - 12) : end + 2]
        self.found.append(Found(what, amount, self._printed(amount, unit), f"正文 {page}：“…{quote}…”"))
        return amount

    # -- the four totals ---------------------------------------------------------------------------
    def figure(self, name: str) -> Decimal | None:
        what = NAMES[name]
        tables = self.doc.tables
        if name in ("income_total", "expenditure_total"):
            t = tables.by_role("balance")
            key = "收入总计" if name == "income_total" else "支出总计"
            if t is not None and key in t.totals:
                col = 0 if name == "income_total" else (t.column("total") or 0)
                return self._take(what, t.totals[key][col], t, None, 0)
        elif name == "general_budget_appropriation":
            t = tables.by_role("general_function")
            row = t.row(TOTAL) if t is not None else None
            if t is not None and row is not None:
                col = t.column("total") or 0
                return self._take(what, row.values[col], t, row, col)
        else:
            t = tables.by_role("operating_funds")
            row = t.row("部门合计") if t is not None else None
            if t is not None and row is None and t.empty:
                return self._take(what, Decimal(0), t, None, 0, "空表")
            if t is not None and row is not None:
                col = t.column("total") or 0
                return self._take(what, row.values[col], t, row, col)
            t = tables.by_role("three_public_operating")
            at = t.column("operating_funds") if t is not None else None
            if t is not None and at is not None and t.rows:
                return self._take(what, t.rows[0].values[at], t, t.rows[0], at)
        return self._text(name)

    def _text(self, name: str) -> Decimal | None:
        for label in _TEXT[name]:
            pattern = re.compile(label + _FIGURE)
            for p in self.doc.paragraphs:
                m = pattern.search(p.text)
                if m is not None:
                    amount = _amount(m.group(1), m.group(2))
                    if amount is not None:
                        return self._take_text(NAMES[name], amount, m.group(2), p, m.start(), m.end())
        if name == "operating_funds":
            for p in self.doc.paragraphs:
                m = _NO_OPERATING_FUNDS.search(p.text)
                if m is not None:
                    return self._take_text(NAMES[name], Decimal(0), "万元", p, m.start(), m.end())
        return None

    # -- “三公”经费 by item --------------------------------------------------------------------------
    def three_public(self) -> tuple[ThreePublic, ...] | None:
        tables = self.doc.tables
        t = tables.by_role("three_public")
        if t is not None:
            out: list[ThreePublic] = []
            for item in THREE_PUBLIC_ITEMS:
                row = next((r for r in t.rows if r.key.lstrip("①②③") == item), None)
                for fund in FISCAL_FUNDS:
                    col = t.column(fund)
                    if row is not None and col is not None and row.values[col]:
                        amount = self._take(f"{NAMES['three_public']} {item}", row.values[col], t, row, col)
                        out.append(ThreePublic(item, fund, amount))
            if not out:
                self._take(NAMES["three_public"], Decimal(0), t, None, 0, "各项均为零")
            return tuple(out)
        t = tables.by_role("three_public_operating")
        if t is not None and t.rows:
            row = t.rows[0]
            out = []
            for item, column_id in _SH_ITEMS.items():
                col = t.column(column_id)
                if col is not None and row.values[col]:
                    what = f"{NAMES['three_public']} {item}"
                    out.append(ThreePublic(item, "general", self._take(what, row.values[col], t, row, col)))
            if not out:
                self._take(NAMES["three_public"], Decimal(0), t, row, 0, "各项均为零")
            return tuple(out)
        return self._three_public_text()

    def _three_public_text(self) -> tuple[ThreePublic, ...] | None:
        out: list[ThreePublic] = []
        for item, labels in _TEXT_ITEMS.items():
            hit = None
            for p in self.doc.paragraphs:
                if "三公" not in p.section + p.text:
                    continue
                m = re.search(labels[0] + _FIGURE, p.text)
                if m is not None:
                    hit = (p, m)
                    break
            if hit is None:
                return None  # an item not said: the text does not give them
            p, m = hit
            amount = _amount(m.group(1), m.group(2))
            if amount is None:
                return None
            if amount:
                what = f"{NAMES['three_public']} {item}"
                out.append(
                    ThreePublic(
                        item, "general", self._take_text(what, amount, m.group(2), p, m.start(), m.end())
                    )
                )
        if not out:
            self.found.append(Found(NAMES["three_public"], Decimal(0), "0.00 万元", "正文", "各项均为零"))
        return tuple(out)

    # -- each 项 of the 一般公共预算 ------------------------------------------------------------------
    def functions(self) -> tuple[PriorFunction, ...] | None:
        t = self.doc.tables.by_role("general_function")
        if t is None:
            return None
        corrected = {
            f.where: (f.expected, m.group(1) if (m := re.search("印为“([^”]*)”", f.message)) else f.actual)
            for f in self.doc.problems
            if f.rule == CODE_RULE and f.table == t.number and f.expected
        }
        col = t.column("total") or 0
        out: list[PriorFunction] = []
        for r in t.rows:
            if r.key == TOTAL or col >= len(r.values) or not r.values[col]:
                continue
            code, note = r.key, ""
            fixed = corrected.get(r.cells[0]) if r.cells else None
            if fixed is not None:
                code, note = fixed[0], f"编码印为“{fixed[1]}”，按其上所印的类、款读作 {fixed[0]}"
            if len(code) != 7 or not code.isdigit():
                continue
            amount = self._take(f"{NAMES['functions']} {code} {r.label}", r.values[col], t, r, col, note)
            out.append(PriorFunction(code, amount))
        return tuple(out)


def _amount(text: str, unit: str) -> Decimal | None:
    try:
        return _exact(parse_yuan(text)) if unit == "元" else _exact(wan_to_yuan(parse_wan(text)))
    except AmountError:
        return None


def blank_budget(doc: Document, year: int, reading: PriorReading) -> UnitBudget:
    """A year-``year`` budget with no lines for the unit the report names, its table set (the profile the
    report prints) and the figures read as last year's: for a unit with only last year's report at hand."""
    from xlbudget.document.checking import level_of
    from xlbudget.profiles import PROVINCE_PROFILES

    province = next((p for p, profile in PROVINCE_PROFILES.items() if profile == doc.profile), "")
    unit = Unit(doc.unit, level=level_of(doc.unit) or "市级", province=province, profile=doc.profile)
    return UnitBudget(year, unit, prior_year=reading.prior)
