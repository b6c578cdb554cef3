"""What the tables say, named as the text names it: the figures a sentence can be checked against.

Every figure stays exact yuan (as the table holds it); a sentence's figure is compared at the
precision it is printed in.  A subject can have several figures (一般公共预算 is 表1's income
line, 表4's and 表5's 合计): a printed figure that equals any of them is right.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from xlbudget.money import ZERO
from xlbudget.tables import Row, Table, TableSet

_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|\d+\s*[、.．]\s*|[①②③④⑤⑥⑦⑧⑨])")

# income lines of 表1/表4 (numbering stripped) → subject
_INCOME = {
    "一般公共预算": "general",
    "一般公共预算资金": "general",
    "一般公共预算拨款": "general",
    "政府性基金": "gov_fund",
    "政府性基金预算": "gov_fund",
    "国有资本经营预算": "soe_capital",
    "财政专户管理资金": "special_account",
    "单位资金": "unit_funds",
    "财政拨款收入": "fiscal",
    "事业收入": "business_income",
    "事业单位经营收入": "operating_income",
    "其他收入": "other_income",
}
# 三公 rows (Shanxi 表10) by label → subject
_THREE_PUBLIC = {
    "因公出国（境）费": "abroad",
    "公务接待费": "reception",
    "公务用车购置及运行费": "vehicles",
    "公务用车购置费": "vehicle_purchase",
    "公务用车运行维护费": "vehicle_running",
    "合计": "three_public",
}


def plain(label: str) -> str:
    """A printed row name without its numbering: "二、社会保障和就业支出" → "社会保障和就业支出"."""
    return _NUMBERING.sub("", label.strip()).strip()


def is_total(row: Row) -> bool:
    return row.key == "合计" or plain(row.label) == "合计"


@dataclass(frozen=True)
class Fact:
    yuan: Decimal
    table: int
    where: str  # "预算公开表1 收入总计"


@dataclass(frozen=True)
class Item:
    """A 项 of a function table (or, in the city form, a 类), with the names above it."""

    code: str
    lei: str  # 类名
    kuan: str  # 款名 ("" for a 类)
    name: str  # 项名 (the 类名 for a 类)
    yuan: Decimal
    table: int
    where: str


@dataclass
class Facts:
    subjects: dict[str, list[Fact]] = field(default_factory=lambda: defaultdict(list))
    classes: dict[str, list[Fact]] = field(default_factory=lambda: defaultdict(list))
    items: list[Item] = field(default_factory=list)  # every 项 of the 财政拨款 function tables
    class_items: list[Item] = field(default_factory=list)  # every 类 of them
    economic: dict[str, dict[str, Decimal]] = field(default_factory=dict)  # 款名 → {personnel, public}
    projects: tuple[int, Decimal, int] | None = None  # (count, total, table) of the projects table
    carried: tuple[int, Decimal, int] | None = None  # the same of the carried-over projects (表13)

    def add(self, subject: str, t: Table, yuan: Decimal | None, what: str) -> None:
        if yuan is not None:
            self.subjects[subject].append(Fact(yuan, t.number, f"{name(t)} {what}".strip()))

    def add_class(self, label: str, t: Table, yuan: Decimal | None, what: str) -> None:
        if yuan is not None and plain(label) and plain(label) not in ("支出总计", "合计"):
            self.classes[plain(label)].append(
                Fact(yuan, t.number, f"{name(t)} {plain(label)} {what}".strip())
            )


def name(t: Table) -> str:
    return t.label or f"表{t.number}"


def _value(row: Row | None, index: int | None) -> Decimal | None:
    if row is None or index is None or index >= len(row.values):
        return None
    return row.values[index]


def _footer(t: Table, label: str, index: int | None = 0) -> Decimal | None:
    """A balance table's footer (收入总计 …): from its totals, else the row printed with that name."""
    if index is None:
        return None
    if label in t.totals:
        values = t.totals[label]
        return values[index] if index < len(values) else None
    row = next((r for r in t.income + t.rows if plain(r.label) == label), None)
    return _value(row, index)


def total_row(t: Table) -> Row | None:
    return next((r for r in t.rows if is_total(r)), None)


def _heading(t: Table, index: int | None) -> str:
    return t.columns[index].split("/")[-1] if index is not None and index < len(t.columns) else ""


def _balance(f: Facts, t: Table, fiscal: bool) -> None:
    total = t.column("total") or 0
    for label, subject in (
        ("收入总计", "fiscal" if fiscal else "income_total"),
        ("支出总计", "fiscal" if fiscal else "expenditure_total"),
    ):
        f.add(subject, t, _footer(t, label, total), label)
    if not fiscal:
        f.add("this_year", t, _footer(t, "本年收入合计"), "本年收入合计")
        f.add("this_year", t, _footer(t, "本年支出合计"), "本年支出合计")
        f.add("carryover", t, _footer(t, "上年结转"), "上年结转")
        for cid in ("personnel", "public", "basic", "project"):
            f.add(cid, t, _footer(t, "支出总计", t.column(cid)), f"支出总计 {_heading(t, t.column(cid))}")
    else:
        f.add("carryover", t, _footer(t, "上年财政拨款结转"), "上年财政拨款结转")
        f.add("this_year", t, _footer(t, "本年收入合计"), "本年收入合计")
    for r in t.income:
        income = _INCOME.get(plain(r.label))
        if income:
            f.add(income, t, _value(r, 0), plain(r.label))
        carried = t.totals.get(plain(r.label)) if fiscal else None  # 表4's per-fund 上年结转 line
        if income and carried and r.values:
            f.add(income, t, r.values[0] + carried[0], f"{plain(r.label)}（含上年结转）")
    general = t.column("general")
    for r in t.rows:
        if plain(r.label) in ("支出总计", "本年支出合计", "合计") or r.level not in (0, 1):
            continue
        f.add_class(r.label, t, _value(r, total), _heading(t, total))
        if fiscal and general is not None:
            f.add_class(r.label, t, _value(r, general), _heading(t, general))


def _tree(f: Facts, t: Table, subject: str | None, parts: bool = True) -> None:
    """A function table: its 合计 (and, for 支出总表 and 表5, basic/project), its 类."""
    total, tr = t.column("total"), total_row(t)
    if total is None:
        total = 0
    if subject:
        f.add(subject, t, _value(tr, total), "合计")
    for cid in ("basic", "project") if parts else ():
        f.add(cid, t, _value(tr, t.column(cid)), f"合计 {_heading(t, t.column(cid))}")
    for r in t.rows:
        if len(r.key) == 3 and r.key.isdigit():
            f.add_class(r.label, t, _value(r, total), _heading(t, total))


def _items(f: Facts, t: Table) -> None:
    """The 项 in print order, each under the last 类 and 款 printed above it (a misprinted code such
    as 71102 under 210 stays the 项 it is printed as)."""
    lei = lei_code = kuan = ""
    for r in t.rows:
        code = r.key if r.key.isdigit() else ""
        where = f"{name(t)} {r.key} {plain(r.label)}"
        if len(code) == 3:
            lei, lei_code, kuan = plain(r.label), code, ""
            f.class_items.append(Item(code, lei, "", lei, r.values[0], t.number, where))
        elif len(code) == 5 and code.startswith(lei_code):
            kuan = plain(r.label)
        elif code and r.values:
            f.items.append(Item(code, lei, kuan, plain(r.label), r.values[0], t.number, where))


def _three_public(f: Facts, t: Table) -> None:
    if any(plain(r.label) in _THREE_PUBLIC for r in t.rows):  # Shanxi 表10: a row per item
        for r in t.rows:
            subject = _THREE_PUBLIC.get(plain(r.label))
            if subject:
                f.add(subject, t, _value(r, 0), plain(r.label))
        return
    row = t.rows[0] if t.rows else None  # Shanghai 表9: one line of figures
    for cid, subject in (
        ("total", "three_public"),
        ("abroad", "abroad"),
        ("reception", "reception"),
        ("vehicles", "vehicles"),
        ("vehicle_purchase", "vehicle_purchase"),
        ("vehicle_running", "vehicle_running"),
        ("operating_funds", "operating_funds"),
    ):
        f.add(subject, t, _value(row, t.column(cid)), _heading(t, t.column(cid)))


def facts(tables: TableSet) -> Facts:
    """Every figure of the tables a sentence may name."""
    f = Facts()
    if (t := tables.by_role("balance")) is not None:
        _balance(f, t, fiscal=False)
    if (t := tables.by_role("fiscal_balance")) is not None:
        _balance(f, t, fiscal=True)
    if (t := tables.by_role("income")) is not None:
        tr = total_row(t)
        f.add("income_total", t, _value(tr, t.column("total")), "合计")
        for cid in (
            "general",
            "gov_fund",
            "soe_capital",
            "special_account",
            "unit_funds",
            "fiscal",
            "business_income",
            "operating_income",
            "other_income",
            "carryover",
        ):
            f.add(cid, t, _value(tr, t.column(cid)), f"合计 {_heading(t, t.column(cid))}")
    if (t := tables.by_role("expenditure")) is not None:
        _tree(f, t, "expenditure_total")
    for role, subject in (
        ("general_function", "general"),
        ("gov_fund_expenditure", "gov_fund"),
        ("soe_capital_expenditure", "soe_capital"),
        ("soe_capital", "soe_capital"),
    ):
        if (t := tables.by_role(role)) is not None and t.rows:
            _tree(f, t, subject if role != "soe_capital" else None, parts=role == "general_function")
            _items(f, t)
    if (t := tables.by_role("general_basic_economic")) is not None:
        tr = total_row(t)
        for cid in ("total", "personnel", "public"):
            f.add(
                "basic" if cid == "total" else cid,
                t,
                _value(tr, t.column(cid)),
                f"合计 {_heading(t, t.column(cid))}",
            )
        p, q = t.column("personnel"), t.column("public")
        for r in t.rows:
            if len(r.key) == 5 and r.key.isdigit():
                f.economic[plain(r.label)] = {
                    "personnel": _value(r, p) or ZERO,
                    "public": _value(r, q) or ZERO,
                }
    for role in ("three_public", "three_public_operating"):
        if (t := tables.by_role(role)) is not None:
            _three_public(f, t)
    if (t := tables.by_role("operating_funds")) is not None and t.rows:
        f.add("operating_funds", t, _value(t.rows[0], t.column("total") or 0), plain(t.rows[0].label))
    if (t := tables.by_role("projects_this_year")) is not None:
        rows = [r for r in t.rows if not is_total(r)]
        f.projects = (len(rows), sum((r.values[0] for r in rows if r.values), ZERO), t.number)
    if (t := tables.by_role("projects_carryover")) is not None:
        rows = [r for r in t.rows if not is_total(r)]
        f.carried = (len(rows), sum((r.values[0] for r in rows if r.values), ZERO), t.number)
    return f
