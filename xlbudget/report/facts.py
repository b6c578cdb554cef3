"""第三部分 情况说明 as data: every sentence and figure computed from the budget and its tables.

Pure: ``narrative(budget, tables)`` reads nothing and writes nothing.  Amounts are
summed in exact yuan by :mod:`xlbudget.tables`; they become 万元 only through
:func:`xlbudget.money.fmt_wan` and shares/changes through
:func:`xlbudget.money.fmt_percent`, both computed on the exact yuan.

Wording rules (口径):

- a change is the difference of the two figures *as printed* (万元, 2 decimals:
  ``money.printed_change``): 增加 / 减少, or 持平 when they print the same — so the text never says
  "增加0.00万元", nor "上年20.00万元，比上年增加0.01万元";
- last year 0 (as printed: 0.00万元) and this year more → 新增 (never "增加100.00%" from nothing);
- last year not given → no comparison at all;
- printed shares that do not add up to 100.00% because of rounding say so;
- years, counts and lists come from the data; lists are in catalogue (code) order.

Figures are read from the tables by role and column id (:mod:`xlbudget.profiles`), whatever a
profile numbers them; a figure whose table the profile does not print (the national 9 have no
机关运行经费表) is summed from the lines with the filter that table would use.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from xlbudget.grids import chinese_number
from xlbudget.model import FISCAL_FUNDS, FUNDS, THREE_PUBLIC_ITEMS, UnitBudget
from xlbudget.money import ZERO, fmt_percent, fmt_wan, percent, printed_change, prints_zero
from xlbudget.tables import TOTAL, Table, TableSet, build_tables, selector

# 财政部门 that approves the unit's budget, by level.
FINANCE_DEPARTMENT = {"省级": "省财政厅", "市级": "市财政局", "县级": "县（区）财政局"}


def wan(yuan: Decimal) -> str:
    """ "916.53万元"."""
    return f"{fmt_wan(yuan)}万元"


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of the 情况说明; ``style``: "body", "sub" (a （一） heading) or "sub2" (a 1、 heading)."""

    text: str
    style: str = "body"


@dataclass(frozen=True)
class Section:
    number: int  # 1 … 12
    title: str  # 单位预算收支数据变动情况及原因

    paragraphs: tuple[Paragraph, ...]

    @property
    def heading(self) -> str:
        return f"{chinese_number(self.number)}、{self.title}"

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)


@dataclass(frozen=True)
class Narrative:
    """第三部分 情况说明: sections 一 … 十二."""

    year: int
    unit: str
    title: str  # 2023年度单位预算情况说明
    sections: tuple[Section, ...]

    def section(self, number: int) -> Section:
        return next(s for s in self.sections if s.number == number)

    @property
    def text(self) -> str:
        return "\n".join(f"{s.heading}\n{s.text}" for s in self.sections)


# -- phrases ------------------------------------------------------------------


def change_phrase(now: Decimal, before: Decimal | None, *, same: str = "与上年持平") -> str:
    """ "比上年增加104.50万元，增加12.87%" / "比上年减少…" / "与上年持平" / "上年为0.00万元，本年新增…".

    ``before`` None (not given) → "" (the caller says nothing about last year).
    The 增减额 is the difference of the two figures as printed (:func:`~xlbudget.money.printed_change`),
    the percentage the exact yuan's.
    """
    if before is None:
        return ""
    delta = printed_change(now, before)
    if delta == 0:
        return same
    if prints_zero(before):
        return f"上年为0.00万元，本年新增{wan(now)}"
    if delta > 0:
        return f"比上年增加{wan(delta)}，增加{fmt_percent(now - before, before)}"
    return f"比上年减少{wan(-delta)}，减少{fmt_percent(before - now, before)}"


def reason_clause(reason: str, now: Decimal, before: Decimal | None) -> str:
    """ "，主要原因是…" when there is a change and the unit gave a reason."""
    reason = reason.strip().rstrip("。；;，, ")
    if not reason or before is None or printed_change(now, before) == 0:
        return ""
    return f"，主要原因是{reason}"


def shares(parts: Sequence[tuple[str, Decimal]], whole: Decimal, *, joiner: str = "；") -> str:
    """ "一般公共服务支出780.05万元，占85.11%；…" plus a note when the printed shares miss 100.00%."""
    text = joiner.join(f"{name}{wan(amount)}，占{fmt_percent(amount, whole)}" for name, amount in parts)
    return text + rounding_note(parts, whole)


def rounding_note(parts: Sequence[tuple[str, Decimal]], whole: Decimal) -> str:
    if whole == 0 or sum((a for _, a in parts), ZERO) != whole:
        return ""
    printed = sum((percent(a, whole) for _, a in parts), ZERO)
    if printed == 100:
        return ""
    return f"（各项占比按四舍五入计算，合计为{printed:.2f}%）"


def list_names(names: Iterable[str]) -> str:
    return "、".join(names)


# -- the sections ---------------------------------------------------------------


class Facts:
    def __init__(self, budget: UnitBudget, tables: TableSet) -> None:
        self.b = budget
        self.t = tables
        self.year = budget.year
        self.last = budget.year - 1
        self.name = budget.unit.name
        self.prior = budget.prior_year
        self.why = budget.explanations
        self.department = budget.scope == "department"  # a 部门's budget: its units together
        self.scope = "部门" if self.department else "单位"

    # shorthand for table lookups: by role and column id, else summed from the lines
    def lines(self, expr: str) -> Decimal:
        """The lines' sum through a profile filter ("this_year fiscal basic public")."""
        keep = selector(expr)
        return sum((x.amount for x in self.b.lines if keep(x)), ZERO)

    def total(self, role: str, label: str, column_id: str | None, fallback: str) -> Decimal:
        """A balance table's footer figure (column_id None: the one-figure income footers); else the lines'."""
        t = self.t.by_role(role)
        values = t.totals.get(label) if t is not None else None
        column = 0 if column_id is None else (t.column(column_id) if t is not None else None)
        if values is not None and column is not None and column < len(values):
            return values[column]
        return self.lines(fallback)

    def figure(self, role: str, key: str, column_id: str, fallback: str) -> Decimal:
        """A row's figure of the table with this role (its 合计 row, …); else the lines' sum."""
        t = self.t.by_role(role)
        column = t.column(column_id) if t is not None else None
        if t is None or column is None:
            return self.lines(fallback)
        return self.row(t, key, column)

    def row(self, table: Table, key: str, column: int = 0) -> Decimal:
        r = table.row(key)
        return r.values[column] if r is not None and column < len(r.values) else ZERO

    def classes(self, role: str, fallback: str) -> list[tuple[str, Decimal]]:
        """(类 name, amount) of the non-zero 类 rows (合计 column), in code order; else the lines' by 类."""
        t = self.t.by_role(role)
        column = t.column("total") if t is not None else None
        if t is not None and column is not None:
            return [
                (self.class_name(r.label or r.key), r.values[column])
                for r in t.rows
                if r.level == 1 and column < len(r.values) and r.values[column] != 0
            ]
        keep = selector(fallback)
        by_class: dict[str, Decimal] = {}
        for x in self.b.lines:
            if keep(x):
                by_class[x.function[:3]] = by_class.get(x.function[:3], ZERO) + x.amount
        return [(self.class_name(code), v) for code, v in sorted(by_class.items()) if v != 0]

    def class_name(self, label: str) -> str:
        """A row labelled by its code only (tables read from JSON) gets its catalogue name."""
        if not label.isdigit():
            return label
        from xlbudget.catalogue import load_catalogue

        return load_catalogue(self.year).function_name(label) or label

    # 一
    def s1(self) -> Section:
        income_total = self.total("balance", "收入总计", None, "all")
        income_now = self.total("balance", "本年收入合计", None, "this_year")
        income_carry = self.total("balance", "上年结转", None, "carryover")
        spend_total = self.total("balance", "支出总计", "total", "all")
        spend_now = self.total("balance", "本年支出合计", "this_year", "this_year")
        spend_carry = self.total("balance", "本年支出合计", "carryover", "carryover")
        reason = self.why.total_change

        def sentence(what: str, total: Decimal, now_label: str, now: Decimal, carry: Decimal, before):
            change = change_phrase(total, before)
            return (
                f"{self.year}年度{what}{wan(total)}，其中：{now_label}{wan(now)}，上年结转{wan(carry)}"
                + (f"，{change}" if change else "")
                + reason_clause(reason, total, before)
                + "。"
            )

        text = sentence(
            "预算收入总计", income_total, "本年收入", income_now, income_carry, self.prior.income_total
        )
        text += sentence(
            "预算支出总计", spend_total, "本年预算安排", spend_now, spend_carry, self.prior.expenditure_total
        )
        return Section(1, f"{self.scope}预算收支数据变动情况及原因", (Paragraph(text),))

    # 二
    def s2(self) -> Section:
        t1 = self.t.by_role("balance")
        total = self.total("balance", "收入总计", None, "all")
        parts = []
        for key, name in FUNDS.items():
            label = {
                "general": "一般公共预算拨款收入",
                "gov_fund": "政府性基金预算拨款收入",
                "soe_capital": "国有资本经营预算拨款收入",
                "special_account": "财政专户管理资金收入",
                "unit_funds": "单位资金",
            }[key]
            income = self.row_income(t1, name) if t1 is not None else None
            parts.append((label, income if income is not None else self.lines(f"this_year fund:{key}")))
        parts.append(("上年结转", self.total("balance", "上年结转", None, "carryover")))
        text = f"{self.year}年度预算收入总计{wan(total)}，其中：{shares(parts, total)}。"
        return Section(2, "收入预算情况说明", (Paragraph(text),))

    def row_income(self, table: Table, label: str) -> Decimal | None:
        r = next((r for r in table.income if r.label == label), None)
        return r.values[0] if r else None

    # 三
    def s3(self) -> Section:
        total = self.figure("expenditure", TOTAL, "total", "all")
        parts = [
            ("基本支出", self.figure("expenditure", TOTAL, "basic", "basic")),
            ("项目支出", self.figure("expenditure", TOTAL, "project", "project")),
        ]
        text = f"{self.year}年度支出预算{wan(total)}，其中：{shares(parts, total)}。"
        return Section(3, "支出预算情况说明", (Paragraph(text),))

    # 四
    def s4(self) -> Section:
        total = self.total("fiscal_balance", "收入总计", None, "fiscal")
        by_fund = {f: sum((x.amount for x in self.b.lines if x.fund == f), ZERO) for f in FISCAL_FUNDS}
        now = self.total("fiscal_balance", "本年收入合计", None, "this_year fiscal")
        carry = self.total("fiscal_balance", "上年财政拨款结转", None, "carryover fiscal")
        spent = self.classes("fiscal_balance", "fiscal")
        if total == 0:
            text = f"{self.year}年度{self.name}无财政拨款收支预算。"
            return Section(4, "财政拨款收支预算总体情况说明", (Paragraph(text),))
        text = (
            f"{self.year}年度财政拨款收支总预算{wan(total)}。"
            f"收入为一般公共预算拨款{wan(by_fund['general'])}，"
            f"政府性基金预算拨款{wan(by_fund['gov_fund'])}，"
            f"国有资本经营预算拨款{wan(by_fund['soe_capital'])}。"
            f"其中：当年拨款收入{wan(now)}，上年结转收入{wan(carry)}。"
            f"支出包括：{list_names(f'{n}{wan(a)}' for n, a in spent)}。"
        )
        return Section(4, "财政拨款收支预算总体情况说明", (Paragraph(text),))

    # 五
    def s5(self) -> Section:
        now = self.figure("general_function", TOTAL, "total", "this_year fund:general")
        before = self.prior.general_budget_appropriation
        change = change_phrase(now, before)
        scale = (
            f"{self.year}年度一般公共预算当年拨款{wan(now)}"
            + (f"，{change}" if change else "")
            + reason_clause(self.why.general_budget_change, now, before)
            + "。"
        )
        parts = self.classes("general_function", "this_year fund:general")
        if parts:
            structure = (
                f"{self.year}年度一般公共预算当年拨款{wan(now)}，主要用于以下方面：{shares(parts, now)}。"
            )
        else:
            structure = f"{self.year}年度{self.name}无一般公共预算当年拨款。"
        return Section(
            5,
            "一般公共预算支出情况说明",
            (
                Paragraph("（一）一般公共预算当年拨款规模变化情况", "sub"),
                Paragraph(scale),
                Paragraph("（二）一般公共预算当年拨款结构情况", "sub"),
                Paragraph(structure),
            ),
        )

    # 六
    def s6(self) -> Section:
        basic = "this_year fund:general basic"
        role = "general_basic_economic"
        total = self.figure(role, TOTAL, "total", basic)
        personnel = self.figure(role, TOTAL, "personnel", f"{basic} personnel")
        public = self.figure(role, TOTAL, "public", f"{basic} public")
        personnel_items, public_items = self.economic_items(basic)

        def part(name: str, amount: Decimal, names: list[str], end: str) -> str:
            listed = f"，主要包括：{list_names(names)}" if names else ""
            return f"{name}{wan(amount)}{listed}{end}"

        return Section(
            6,
            "一般公共预算基本支出情况说明",
            (
                Paragraph(f"{self.year}年度一般公共预算基本支出{wan(total)}，其中："),
                Paragraph(part("人员经费", personnel, personnel_items, "；")),
                Paragraph(part("公用经费", public, public_items, "。")),
            ),
        )

    def economic_items(self, basic: str) -> tuple[list[str], list[str]]:
        """The 款 of the 基本支出 table with 人员经费, and those with 公用经费 (else the lines' 款, by name)."""
        t = self.t.by_role("general_basic_economic")
        personnel = t.column("personnel") if t is not None else None
        public = t.column("public") if t is not None else None
        if t is not None and personnel is not None and public is not None:
            items = [r for r in t.rows if r.level == 2]

            def having(col: int) -> list[str]:
                return [r.label for r in items if col < len(r.values) and r.values[col] != 0]

            return having(personnel), having(public)
        from xlbudget.catalogue import load_catalogue

        cat = load_catalogue(self.year)

        def named(part: str) -> list[str]:
            keep = selector(f"{basic} {part}")
            codes = sorted({x.economic for x in self.b.lines if keep(x) and x.amount != 0})
            return [cat.economic_name(c) or c for c in codes]

        return named("personnel"), named("public")

    # 七
    def s7(self) -> Section:
        fiscal_now = [t for t in self.b.three_public if t.fund in FISCAL_FUNDS]
        fiscal_before = [t for t in self.prior.three_public if t.fund in FISCAL_FUNDS]
        have_prior = self.prior.three_public != () or self._prior_given_three_public()

        def amount(items, item: str | None = None) -> Decimal:
            return sum((t.amount for t in items if item is None or t.item == item), ZERO)

        now, before = amount(fiscal_now), (amount(fiscal_before) if have_prior else None)
        same_last = f"与{self.last}年预算数相同"
        change = change_phrase(now, before, same=same_last)
        text = f"{self.year}年财政拨款安排的“三公”经费预算{wan(now)}"
        text += ("，" if change and change != same_last else "") + change
        text += reason_clause(self.why.three_public_change, now, before) + "。"
        details = []
        for item in THREE_PUBLIC_ITEMS:
            item_now = amount(fiscal_now, item)
            item_before = amount(fiscal_before, item) if have_prior else None
            c = change_phrase(item_now, item_before, same="与上年预算数相同")
            sep = "" if c in ("", "与上年预算数相同") else "，"
            details.append(f"{item}{wan(item_now)}{sep}{c}")
        text += "其中：" + "；".join(details) + "。"
        return Section(7, "“三公”经费增减变动原因说明", (Paragraph(text),))

    def _prior_given_three_public(self) -> bool:
        """Last year's 三公 were given when any other prior-year figure was (an empty list = all zero)."""
        p = self.prior
        return any(
            v is not None
            for v in (p.income_total, p.expenditure_total, p.general_budget_appropriation, p.operating_funds)
        )

    # 八
    def s8(self) -> Section:
        title = "机关运行经费增减变动原因说明"
        if not self.b.unit.has_operating_funds and self.department:
            text = f"{self.name}所属单位均为其他事业单位，不属于行政单位和参照公务员法管理的事业单位，无机关运行经费预算。"
            return Section(8, title, (Paragraph(text),))
        if not self.b.unit.has_operating_funds:
            text = (
                f"{self.name}为{self.b.unit.kind_name}，不属于行政单位和参照公务员法管理的事业单位，"
                f"无机关运行经费预算。"
            )
            return Section(8, title, (Paragraph(text),))
        now = self.operating_funds()
        before = self.prior.operating_funds
        text = f"{self.year}年，{self.name}机关运行经费财政拨款预算{wan(now)}"
        if before is not None and prints_zero(before) and not prints_zero(now):
            text += f"，上年0.00万元，本年新增{wan(now)}"
        elif before is not None:
            text += f"，上年{wan(before)}，{change_phrase(now, before)}"
        text += reason_clause(self.why.operating_funds_change, now, before) + "。"
        return Section(8, title, (Paragraph(text),))

    def operating_funds(self) -> Decimal:
        """机关运行经费 (财政拨款): the 机关运行经费表's 部门合计 (Shanxi 表11), the 机关运行经费 column of a
        “三公”经费和机关运行经费表 (Shanghai 表9); a profile printing neither (the national 9) still publishes the
        figure in the text — summed from the lines as the table would (本年 财政拨款 基本支出 公用经费)."""
        t = self.t.by_role("operating_funds")
        if t is not None and t.column("total") is not None:
            return self.row(t, "部门合计", t.column("total") or 0)
        t = self.t.by_role("three_public_operating")
        col = t.column("operating_funds") if t is not None else None
        if t is not None and col is not None and t.rows:
            r = t.row(TOTAL) or t.rows[0]
            return r.values[col] if col < len(r.values) else ZERO
        return self.lines("this_year fiscal basic public")

    # 九
    def s9(self) -> Section:
        p = self.b.procurement
        if p.total == 0:
            text = f"{self.year}年{self.name}无政府采购预算。"
        else:
            text = (
                f"{self.year}年{self.name}{'部门各单位' if self.department else ''}政府采购预算总额{wan(p.total)}。其中：政府采购货物预算{wan(p.goods)}、"
                f"政府采购工程预算{wan(p.works)}、政府采购服务预算{wan(p.services)}。"
            )
        return Section(9, "政府采购情况", (Paragraph(text),))

    # 十
    def s10(self) -> Section:
        managed = [p for p in self.b.projects if p.performance_target]
        managed_total = sum((p.amount for p in managed), ZERO)
        managed_general = sum((p.amount for p in managed if p.fund == "general" and not p.carryover), ZERO)
        if not managed:
            first = f"{self.year}年{self.name}暂无实行绩效目标管理的项目。"
        elif managed_total == managed_general:
            first = (
                f"{self.year}年{self.name}实行绩效目标管理的项目{len(managed)}个，"
                f"涉及一般公共预算当年拨款{wan(managed_general)}。"
            )
        else:
            first = (
                f"{self.year}年{self.name}实行绩效目标管理的项目{len(managed)}个，"
                f"涉及项目资金{wan(managed_total)}，其中一般公共预算当年拨款{wan(managed_general)}。"
            )
        this_year = [p for p in self.b.projects if not p.carryover]
        finance = FINANCE_DEPARTMENT.get(self.b.unit.level, "财政部门")
        if self.b.unit.level == "县级" and self.b.unit.region.endswith(("县", "区", "市")):
            finance = f"{self.b.unit.region}财政局"  # 阳高县财政局
        own = "各单位" if self.department else "本级"
        # 设定了绩效目标: a managed project with its 绩效目标申报表 (performance.form_missing warns of the others)
        managed_now = {p.name for p in this_year if p.performance_target}
        with_form = len(managed_now & {f.project.strip() for f in self.b.performance_targets})
        targets = "已设定绩效目标和绩效指标"
        if with_form < len(managed_now):
            targets = f"其中{with_form}个项目{targets}" if with_form else "尚未设定绩效目标和绩效指标"
        if this_year and all(p.performance_target for p in this_year):
            targets = "均" + targets if with_form == len(managed_now) else targets
            scope = f"{self.year}年，{self.name}{own}当年申报预算的项目全部实行绩效目标管理，{targets}。"
        elif this_year:
            n = sum(1 for p in this_year if p.performance_target)
            scope = (
                f"{self.year}年，{self.name}{own}当年申报预算的{len(this_year)}个项目中，"
                f"{n}个项目实行绩效目标管理，{targets}。"
            )
        else:
            scope = f"{self.year}年，{self.name}{own}无当年申报预算的项目。"
        paragraphs = [
            Paragraph("1、绩效管理情况", "sub2"),
            Paragraph(first),
            Paragraph("2、绩效目标情况（附表说明）", "sub2"),
        ]
        if managed and self.b.performance_targets:
            paragraphs += [
                Paragraph(
                    scope + "项目在申报预算时同步填写《项目支出绩效目标申报表》，和预算一同上报。"
                    f"{finance}在批复项目预算时同步批复绩效目标。"
                ),
                Paragraph(
                    "每个项目在设定绩效目标时，突出关键绩效指标，围绕产出指标、效益指标和满意度指标分别设置，"
                    "如产出指标方面设置了数量、质量、时效、成本等指标，效益指标方面设置了经济效益、社会效益等指标，"
                    "满意度指标方面设置了服务对象满意度等指标，建立了绩效管理目标和指标体系。"
                ),
            ]
        elif managed:  # no 绩效目标申报表: nothing is said of filling them in
            paragraphs.append(Paragraph(scope))
        else:
            paragraphs.append(
                Paragraph(scope if not this_year else f"{self.year}年{self.name}暂无设定绩效目标的项目。")
            )
        forms = len(self.b.performance_targets)
        if forms:
            paragraphs.append(Paragraph(f"附：项目支出绩效目标申报表{forms}张。"))
        return Section(10, "绩效管理情况", tuple(paragraphs))

    # 十一
    def s11(self) -> Section:
        a = self.b.assets
        count = sum(v.count for v in a.vehicles)
        if count:
            uses = list_names(v.purpose for v in a.vehicles if v.count and v.purpose)
            vehicles = f"公务用车制度改革后，{self.name}机关核定保留的公务用车有{count}辆" + (
                f"，主要用于{uses}。" if uses else "。"
            )
        elif a.vehicles_note.strip():
            vehicles = a.vehicles_note.strip()
        else:
            vehicles = f"{self.name}无公务用车。"
        area = a.building_area_m2.strip()
        building = f"{self.name}机关用房使用面积{area}平方米。" if area else "无。"
        return Section(
            11,
            "国有资产占有使用情况",
            (
                Paragraph("1、车辆情况：", "sub2"),
                Paragraph(vehicles),
                Paragraph("2、房屋情况：", "sub2"),
                Paragraph(building),
                Paragraph("3、其他国有资产占有使用情况：", "sub2"),
                Paragraph(a.other.strip() or "无。"),
            ),
        )

    # 十二
    def s12(self) -> Section:
        o = self.b.other_notes
        return Section(
            12,
            "其他说明",
            (
                Paragraph("（一）政府购买服务指导性目录", "sub"),
                Paragraph(o.purchase_service_catalog.strip() or "无。"),
                Paragraph("（二）其他", "sub"),
                Paragraph(o.other.strip() or "无。"),
            ),
        )


def narrative(budget: UnitBudget, tables: TableSet | None = None) -> Narrative:
    """第三部分 情况说明, sections 一 … 十二, every figure computed from the budget's lines.

    ``tables`` is the budget's own :class:`TableSet` (exact yuan), passed in when the
    caller has it already; built here otherwise.  Tables read back from printed
    万元 figures work too, but then shares and changes are computed on the printed
    figures (机关运行经费 58.64 vs 57.00 gives 2.88%, the exact yuan 2.87%).
    """
    tables = tables or build_tables(budget)
    f = Facts(budget, tables)
    sections = (
        f.s1(),
        f.s2(),
        f.s3(),
        f.s4(),
        f.s5(),
        f.s6(),
        f.s7(),
        f.s8(),
        f.s9(),
        f.s10(),
        f.s11(),
        f.s12(),
    )
    return Narrative(
        year=budget.year,
        unit=budget.unit.name,
        title=f"{budget.year}年度{f.scope}预算情况说明",
        sections=sections,
    )
