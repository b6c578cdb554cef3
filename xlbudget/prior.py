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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
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
from xlbudget.money import (
    ROUNDING_HALF_STEP_WAN,
    ZERO,
    AmountError,
    fmt_wan,
    fmt_yuan,
    parse_wan,
    parse_yuan,
    wan_at,
    wan_places,
    wan_to_yuan,
)
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
_TEXT_ITEMS = {
    "因公出国（境）费": r"因公出国[（(]境[）)]费(?:用)?",
    "公务接待费": r"公务接待费",
    "公务用车购置费": r"公务用车购置费",
    "公务用车运行维护费": r"公务用车运行(?:维护)?费",
}
_NO_OPERATING_FUNDS = re.compile(r"无机关运行经费")
_THREE_PUBLIC_TOTAL = re.compile(r"[“\"]?三公[”\"]?经费预算(?:数)?" + _FIGURE)

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
    doubts: Mapping[str, str] = field(default_factory=dict)  # a missing field → why it was not taken

    def onto(self, prior: PriorYear) -> PriorYear:
        """``prior`` with every figure this reading gave put in (the others kept as they were)."""
        return replace(prior, **{k: getattr(self.prior, k) for k in self.given})

    def summary(self, kept: Callable[[str], str] | None = None) -> list[str]:
        """In Chinese: which figures were found (with where) and which not (``kept`` says what stays)."""
        lines = [f"从{self.year}年预算公开报告 {self.path} 读取上年数（{self.unit}）："]
        lines += [f.line() for f in self.found]
        lines += [f"  {s}" for s in self.skipped]
        for name in self.missing:
            why = [x for x in (self.doubts.get(name, ""), kept(name) if kept is not None else "") if x]
            lines.append(f"  未找到：{NAMES[name]}" + (f"（{'；'.join(why)}）" if why else ""))
        if not self.missing:
            lines.append("  需要的上年数均已找到。")
        return lines


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）")


def kept_as(before: PriorYear, whose: str) -> Callable[[str], str]:
    """What stays of a figure the report did not give (for :meth:`PriorReading.summary`): the one
    ``before`` has (``whose`` says whose: "2023年工作簿的本年数"), else a request to fill it in."""
    from xlbudget.money import fmt_wan

    def kept(name: str) -> str:
        value = getattr(before, name)
        if value is None or value == ():
            return "未填写，请在工作簿中填写"
        if isinstance(value, tuple):
            return f"沿用{whose}"
        return f"沿用{whose} {fmt_wan(value)} 万元"

    return kept


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
    doubts = {k: v for k, v in reader.doubts.items() if k in missing}
    return PriorReading(
        prior, tuple(reader.found), given, missing, doc.year, doc.unit, doc.path, skipped, doubts
    )


def _exact(value: Decimal) -> Decimal:
    return Decimal(int(value)) if value == value.to_integral_value() else value


@dataclass(frozen=True)
class _Hit:
    amount: Decimal
    found: Found
    places: int = 4  # the 万元 decimals it is printed to: 4 in 元, 2 in a 万元 table, as the text prints it


def _places(unit: str, printed: str | None = None) -> int:
    """The 万元 decimals a figure printed in ``unit`` (the text ``printed``, else a table's cell) is exact to."""
    if unit == "元":
        return 4
    return wan_places(printed) if printed is not None else 2


def _adds_up(total: Decimal, parts: list[Decimal], unit: str) -> bool:
    """``parts`` sum to ``total`` as printed: to the 元 in a 元 table, within each figure's rounding in 万元."""
    gap = abs(total - sum(parts, ZERO))
    if unit != "万元":
        return gap == 0
    return gap < wan_to_yuan(ROUNDING_HALF_STEP_WAN) * (len(parts) + 1)  # strictly: figures.sum_finding


def _row_adds_up(t: Table) -> bool:
    """Shanghai's 表9 line: its “三公” 合计 is the sum of the four items."""
    row = t.rows[0]
    at = t.column("total")
    cols = [t.column(c) for c in _SH_ITEMS.values()]
    parts = [row.values[c] for c in cols if c is not None]
    return at is not None and _adds_up(row.values[at], parts, t.amount_unit)


class _Reader:
    """Reads the figures off one document; ``found`` what it took, ``doubts`` why it took nothing."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.found: list[Found] = []
        self.doubts: dict[str, str] = {}

    # -- where and how printed ---------------------------------------------------------------------
    def _printed(self, amount: Decimal, unit: str) -> str:
        return f"{fmt_yuan(amount)} 元" if unit == "元" else f"{fmt_wan(amount)} 万元"

    def _where(self, table: Table, row: Row | None = None, column: int = 0) -> str:
        page = None
        if row is not None and row.cells and column < len(row.cells):
            page = row.cells[column].page
        if page is None and self.doc.pages.get(table.number):
            page = self.doc.pages[table.number][0]
        return f"表{table.number}" + (f" 第{page}页" if page is not None else "")

    def _cell(
        self, what: str, amount: Decimal, table: Table, row: Row | None, column: int, note: str = ""
    ) -> _Hit:
        amount = _exact(amount)
        where = self._where(table, row, column)
        return _Hit(
            amount,
            Found(what, amount, self._printed(amount, table.amount_unit), where, note),
            _places(table.amount_unit),
        )

    def _said(self, what: str, amount: Decimal, unit: str, p: Paragraph, m: re.Match[str]) -> _Hit:
        page = f"第{p.page}页" if p.page is not None else f"第{p.index}段"
        quote = p.text[max(0, m.start() - 12) : m.end() + 2]
        balance = self.doc.tables.by_role("balance")
        coarse = unit == "万元" and balance is not None and balance.amount_unit == "元"
        note = "正文以万元列示，只精确到百元" if coarse else ""
        printed = m.group(1) if m.groups() else None
        return _Hit(
            amount,
            # as the text prints it (17,192 万元), not at another precision
            Found(
                what,
                amount,
                f"{printed} {unit}" if printed else self._printed(amount, unit),
                f"正文 {page}：“…{quote}…”",
                note,
            ),
            _places(unit, printed),
        )

    def _take(self, hit: _Hit) -> Decimal:
        self.found.append(hit.found)
        return hit.amount

    def _agreed(self, name: str, table: _Hit | None, text: _Hit | None) -> _Hit | None:
        """The table's figure, or the text's where no table gives it; None (and why) where the two differ at
        the precision the coarser of them is printed to (171,915,169 元 is the text's whole 17,192万元)."""
        places = min(table.places, text.places, 2) if table is not None and text is not None else 2
        if (
            table is not None
            and text is not None
            and wan_at(table.amount, places) != wan_at(text.amount, places)
        ):
            self.doubts[name] = (
                f"{table.found.where}为 {table.found.printed}，{text.found.where}为 {text.found.printed}，"
                "两者不一致，未取"
            )
            return None
        return table if table is not None else text

    # -- the four totals ---------------------------------------------------------------------------
    def figure(self, name: str) -> Decimal | None:
        hit = self._agreed(name, self._table_figure(name), self._text_figure(name))
        return self._take(hit) if hit is not None else None

    def _table_figure(self, name: str) -> _Hit | None:
        what = NAMES[name]
        tables = self.doc.tables
        if name in ("income_total", "expenditure_total"):
            t = tables.by_role("balance")
            if t is None:
                return None
            income = t.totals.get("收入总计", ())
            spending = t.totals.get("支出总计", ())
            col = t.column("total") or 0
            if not income or len(spending) <= col or not income[0] or income[0] != spending[col]:
                shown = lambda v: self._printed(v[0 if v is income else col], t.amount_unit) if v else "无"  # noqa: E731
                self.doubts[name] = (
                    f"表{t.number}读出的收入总计 {shown(income)}、支出总计 {shown(spending)}，"
                    "不是相等的两个数：表格未能读准"
                )
                return None
            value = income[0] if name == "income_total" else spending[col]
            return self._cell(what, value, t, None, 0)
        if name == "general_budget_appropriation":
            t = tables.by_role("general_function")
            if t is None:
                return None
            if t.layout == "empty":
                return self._cell(what, ZERO, t, None, 0, "空表")
            row, col = t.row(TOTAL), t.column("total") or 0
            if row is None:
                return None
            classes = [r.values[col] for r in t.rows if r.level == 1]
            if not _adds_up(row.values[col], classes, t.amount_unit):
                self.doubts[name] = (
                    f"表{t.number}读出的各类之和与合计 {self._printed(row.values[col], t.amount_unit)} 不符"
                )
                return None
            return self._cell(what, row.values[col], t, row, col)
        t = tables.by_role("operating_funds")
        if t is not None:
            row = t.row("部门合计")
            if row is None:
                return self._cell(what, ZERO, t, None, 0, "空表") if t.empty else None
            col = t.column("total") or 0
            return self._cell(what, row.values[col], t, row, col)
        t = tables.by_role("three_public_operating")
        at = t.column("operating_funds") if t is not None else None
        if t is not None and at is not None and t.rows:
            if not _row_adds_up(t):
                self.doubts[name] = f"表{t.number}读出的“三公”经费各项之和与合计不符：这一行未能读准"
                return None
            return self._cell(what, t.rows[0].values[at], t, t.rows[0], at)
        return None

    def _text_figure(self, name: str) -> _Hit | None:
        for label in _TEXT[name]:
            pattern = re.compile(label + _FIGURE)
            for p in self.doc.paragraphs:
                m = pattern.search(p.text)
                amount = _amount(m.group(1), m.group(2)) if m is not None else None
                if m is not None and amount is not None:
                    return self._said(NAMES[name], amount, m.group(2), p, m)
        if name == "operating_funds":
            for p in self.doc.paragraphs:
                m = _NO_OPERATING_FUNDS.search(p.text)
                if m is not None:
                    return self._said(NAMES[name], ZERO, "万元", p, m)
        return None

    # -- “三公”经费 by item --------------------------------------------------------------------------
    def three_public(self) -> tuple[ThreePublic, ...] | None:
        what = NAMES["three_public"]
        hits = self._three_public_table()
        t = self.doc.tables.by_role("three_public") or self.doc.tables.by_role("three_public_operating")
        where, unit = (
            (self._where(t), t.amount_unit) if t is not None and hits is not None else ("正文", "万元")
        )
        if hits is not None:
            total = sum((h.amount for _, _, h in hits), ZERO)
            summed = _Hit(total, Found(what, total, self._printed(total, unit), where), _places(unit))
            if self._agreed("three_public", summed, self._text_figure_three_public()) is None:
                return None
        else:
            hits = self._three_public_text()
            if hits is None:
                return None
        for _, _, h in hits:
            self._take(h)
        if not hits:
            self.found.append(Found(what, ZERO, self._printed(ZERO, unit), where, "各项均为零"))
        return tuple(ThreePublic(item, fund, h.amount) for item, fund, h in hits)

    def _three_public_table(self) -> list[tuple[str, str, _Hit]] | None:
        """(item, fund, figure) of each 财政拨款 “三公” item the table prints with money; None where no table
        gives them (or its items do not add up to its 合计)."""
        what = NAMES["three_public"]
        tables = self.doc.tables
        out: list[tuple[str, str, _Hit]] = []
        t = tables.by_role("three_public")
        if t is not None:
            for fund in FISCAL_FUNDS:
                col = t.column(fund)
                if col is None:
                    continue
                items = []
                for item in THREE_PUBLIC_ITEMS:
                    row = next((r for r in t.rows if r.key.lstrip("①②③") == item), None)
                    if row is not None and row.values[col]:
                        items.append(row.values[col])
                        out.append((item, fund, self._cell(f"{what} {item}", row.values[col], t, row, col)))
                total = t.row(TOTAL)
                if total is not None and not _adds_up(total.values[col], items, t.amount_unit):
                    self.doubts["three_public"] = f"表{t.number}读出的各项之和与合计不符"
                    return None
            return out
        t = tables.by_role("three_public_operating")
        if t is None or not t.rows:
            return None
        row = t.rows[0]
        for item, column_id in _SH_ITEMS.items():
            col = t.column(column_id)
            if col is not None and row.values[col]:
                out.append((item, "general", self._cell(f"{what} {item}", row.values[col], t, row, col)))
        if not _row_adds_up(t):
            self.doubts["three_public"] = f"表{t.number}读出的各项之和与合计不符"
            return None
        return out

    def _text_figure_three_public(self) -> _Hit | None:
        for p in self.doc.paragraphs:
            m = _THREE_PUBLIC_TOTAL.search(p.text)
            amount = _amount(m.group(1), m.group(2)) if m is not None else None
            if m is not None and amount is not None:
                return self._said(NAMES["three_public"], amount, m.group(2), p, m)
        return None

    def _three_public_text(self) -> list[tuple[str, str, _Hit]] | None:
        out: list[tuple[str, str, _Hit]] = []
        for item, label in _TEXT_ITEMS.items():
            pattern = re.compile(label + _FIGURE)
            hit = None
            for p in self.doc.paragraphs:
                m = pattern.search(p.text) if "三公" in p.section + p.text else None
                amount = _amount(m.group(1), m.group(2)) if m is not None else None
                if m is not None and amount is not None:
                    hit = self._said(f"{NAMES['three_public']} {item}", amount, m.group(2), p, m)
                    break
            if hit is None:
                return None  # an item not said: the text does not give them all
            if hit.amount:
                out.append((item, "general", hit))
        return out

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
        hits: list[tuple[str, _Hit]] = []
        for r in t.rows:
            if r.key == TOTAL or col >= len(r.values) or not r.values[col]:
                continue
            code, note = r.key, ""
            fixed = corrected.get(r.cells[0]) if r.cells else None
            if fixed is not None:
                code, note = fixed[0], f"编码印为“{fixed[1]}”，按其上所印的类、款读作 {fixed[0]}"
            if len(code) != 7 or not code.isdigit():
                continue
            hits.append(
                (code, self._cell(f"{NAMES['functions']} {code} {r.label}", r.values[col], t, r, col, note))
            )
        total = t.row(TOTAL)
        if not hits and t.layout != "empty" and any(r.values[col] for r in t.rows if col < len(r.values)):
            self.doubts["functions"] = f"表{t.number}有金额，却没有读出一个项级编码"
            return None
        if total is not None and not _adds_up(total.values[col], [h.amount for _, h in hits], t.amount_unit):
            self.doubts["functions"] = (
                f"表{t.number}读出的各项之和 {self._printed(sum((h.amount for _, h in hits), ZERO), t.amount_unit)}"
                f" 与合计 {self._printed(total.values[col], t.amount_unit)} 不符：未能读出每一项的编码"
            )
            return None
        return tuple(PriorFunction(code, self._take(h)) for code, h in hits)


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
