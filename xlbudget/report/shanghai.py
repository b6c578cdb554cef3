"""The Shanghai 单位预算 / 部门预算 document as data: every part, sentence and figure computed.

What a unit whose profile's ``document`` is "shanghai" publishes (``docs/profiles/shanghai-9.md``,
read off the real reports in ``../shared/real/``): cover, 目   录, 一、主要职能, 二、机构设置,
三、名词解释, 四、预算编制说明 with the 财政拨款支出主要内容 list, 五、预算表 (the tables, placed
by the renderer), 六、其他相关情况说明.  Pure: ``shanghai_report(budget, tables)`` reads and
writes nothing.

``scope`` is "unit" (单位预算) or "department" (部门预算: the part names say 部门, the figures are
the department's lines together, the 机构设置 lists its ``members``).

口径 (wording rules):

- the figures are this year's lines (carried-over lines, which the Shanghai tables do not print,
  are left out here too: the checker warns about them);
- money in 万元 with two decimals and thousands separators (``1,212.12万元``), only through
  :mod:`xlbudget.money`; changes in % on exact yuan.  A city unit's 四、编制说明 is the city's form
  (财政局 2025 p.6): whole 万元 (``17,192万元``), a zero fund ``为0``, the list one item per 类 with
  what it is for (a ``function_notes`` entry of the 3-digit code), no comparison per item;
- a change is the difference of the two figures as printed (``money.printed_change``): 增加 / 减少, or
  持平 when they print the same;
- from zero it says 新增, never "增加100.00%";
- last year's 财政拨款 is ``prior_year.general_budget_appropriation`` (the one prior figure a unit
  budget carries): it is last year's 一般公共预算, and last year's 政府性基金 and 国有资本经营预算
  are taken as zero — the Shanghai reports compare all three with it that way — but only where this
  year's are zero too: a unit with 政府性基金 this year gets no 新增 of it, and its 财政拨款 (more than
  its 一般公共预算) no comparison with last year's 一般公共预算;
- 财政拨款支出主要内容: one item per 项 of the 一般公共预算 (the ``general_function`` table), in its
  order, with what it is for (``function_notes``) and, where last year's 项 figures are given
  (``prior_year.functions``; a 项 missing from them was zero — the list is last year's whole 一般公共预算,
  so the checker's ``year.prior_functions_total`` holds it to 上年一般公共预算当年拨款 and a list short by
  more than 1% stops the report), the change and the reason.  The reason the unit gave is printed after
  a change the sentence states (增加, 减少, 新增 — as the real reports print one even for −1.39%), never
  after 持平 or where no last year's figure is compared; it is owed (checker warning
  ``narrative.function_item_reason``) where the change is 10% or more, or from zero;
- a sentence never ends in an empty reason (``主要原因是。``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from xlbudget import model
from xlbudget.model import FISCAL_FUNDS, VEHICLE_KINDS, FunctionNote, Unit, UnitBudget, Vehicle
from xlbudget.money import ZERO, fmt_wan_grouped, fmt_wan_whole, percent, printed_change, prints_zero
from xlbudget.report.facts import Paragraph, chinese_number
from xlbudget.tables import TOTAL, Table, TableSet

SCOPES = ("unit", "department")
# 七、项目经费情况说明 (a 部门's major project), its sections in print order (万里 2024 p.33).
PROJECT_SECTIONS = tuple(model.PROJECT_SECTIONS.values())
REASON_THRESHOLD = Decimal(10)  # % change from which a reason is owed


def wan(yuan: Decimal) -> str:
    """ "1,212.12万元"."""
    return f"{fmt_wan_grouped(yuan)}万元"


def level_word(unit: Unit) -> str:
    """区级 for a district unit (Shanghai's 县级 are its 区), 县级 for a 县, else 市级 (the city)."""
    if unit.level == "县级":
        return "县级" if unit.region.endswith("县") else "区级"
    return "市级"


def is_city(unit: Unit) -> bool:
    return level_word(unit) == "市级"


def _clean(reason: str) -> str:
    return reason.strip().rstrip("。；;，, ").strip()


@dataclass(frozen=True)
class Part:
    """One part of the document: its contents entry (``一、单位主要职能``), the heading printed on
    its page (``上海市普陀区社会福利院主要职能``; "" for the tables, which print their own titles)
    and its paragraphs.  ``tables``: the part where the tables go."""

    entry: str
    heading: str
    paragraphs: tuple[Paragraph, ...] = ()
    tables: bool = False

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)


@dataclass(frozen=True)
class Item:
    """One item of the 财政拨款支出主要内容 list."""

    function: str  # the 项's 7-digit code
    amount: Decimal  # its 一般公共预算 合计, exact yuan
    before: Decimal | None  # last year's figure; None = not given
    text: str

    @property
    def owes_reason(self) -> bool:
        """Changed by 10% or more (as printed), or from zero."""
        return owes_reason(self.amount, self.before)


def owes_reason(now: Decimal, before: Decimal | None) -> bool:
    if before is None or printed_change(now, before) == 0:
        return False
    if prints_zero(before):
        return True
    return abs(percent(now - before, before)) >= REASON_THRESHOLD


@dataclass(frozen=True)
class ShanghaiReport:
    year: int
    unit: str
    scope: str
    cover_title: str  # 上海市普陀区社会福利院2024年单位预算
    cover_line: str  # 预算单位：上海市普陀区社会福利院
    parts: tuple[Part, ...]
    contents: tuple[tuple[int, str], ...]  # (level, entry): 1 a part, 2 a table
    items: tuple[Item, ...]  # the 财政拨款支出主要内容 list

    def part(self, entry_start: str) -> Part:
        """The part whose contents entry starts with ``entry_start`` ("四、")."""
        return next(p for p in self.parts if p.entry.startswith(entry_start))

    @property
    def text(self) -> str:
        return "\n".join(f"{p.heading}\n{p.text}" for p in self.parts)


def item_sentence(
    n: int,
    names: Sequence[str],
    amount: Decimal,
    note: FunctionNote | None,
    before: Decimal | None,
    year: int,
) -> str:
    """ "1. “类（类）款（款）项（项）”53.84万元，主要用于…。2023年当年预算执行数为54.60万元，
    2024年预算安排53.84万元，比2023年预算执行数减少1.39%。主要原因是：…。" """
    last = year - 1
    kinds = ("类", "款", "项")
    subject = "".join(f"{name}（{k}）" for name, k in zip(names, kinds, strict=False))
    text = f"{n}. “{subject}”{wan(amount)}"
    purpose = _clean(note.purpose) if note else ""
    text += f"，主要用于{purpose}。" if purpose else "。"
    changed = False  # the sentence states a change (增加, 减少, 新增): only then has a reason a place
    if before is not None:
        text += f"{last}年当年预算执行数为{wan(before)}，{year}年预算安排{wan(amount)}，"
        delta = amount - before
        changed = printed_change(amount, before) != 0
        if not changed:
            text += f"与{last}年预算执行数持平。"
        elif prints_zero(before):
            text += f"比{last}年新增{wan(amount)}。"
        else:
            word = "增加" if delta > 0 else "减少"
            text += f"比{last}年预算执行数{word}{abs(percent(delta, before)):.2f}%。"
    reason = _clean(note.reason) if note else ""
    if reason and changed:
        text += f"主要原因是：{reason}。"
    return text


class _Words:
    """The words that differ between a 单位 and a 部门."""

    def __init__(self, budget: UnitBudget, scope: str) -> None:
        if scope not in SCOPES:
            raise ValueError(f"scope 应为 unit 或 department，不是 {scope!r}")
        self.dept = scope == "department"
        self.kind = "部门" if self.dept else "单位"  # 单位主要职能 / 部门主要职能
        self.self = "本部门" if self.dept else "本单位"
        self.name = budget.unit.name
        self.city = is_city(budget.unit)
        self.level = level_word(budget.unit)

    def heading(self, what: str) -> str:
        """ "上海市普陀区社会福利院主要职能"; the city's "…（单位）主要职能"; a 部门's "…（部门）主要职能"."""
        if self.dept:
            return f"{self.name}（部门）{what}"
        return f"{self.name}（单位）{what}" if self.city else f"{self.name}{what}"


class _Facts:
    def __init__(self, budget: UnitBudget, tables: TableSet, scope: str, members: Sequence[Unit]) -> None:
        self.b = budget
        self.t = tables
        self.year = budget.year
        self.last = budget.year - 1
        self.w = _Words(budget, scope)
        self.members = tuple(members)

    # -- figures (exact yuan, from this year's lines: the Shanghai tables print no 上年结转) ------------
    def lines(self, *, fund: str | None = None, fiscal: bool = False, income_kind: str | None = None):
        for x in self.b.lines:
            if x.carryover:
                continue
            if fund is not None and x.fund != fund:
                continue
            if fiscal and x.fund not in FISCAL_FUNDS:
                continue
            if income_kind is not None:
                if x.fund in FISCAL_FUNDS:
                    continue
                kind = (x.income_kind or "其他收入") if x.fund == "unit_funds" else "其他收入"
                if income_kind == "其他收入":
                    if kind in ("事业收入", "事业单位经营收入"):
                        continue
                elif kind != income_kind:
                    continue
            yield x

    def total(self, **kw) -> Decimal:
        return sum((x.amount for x in self.lines(**kw)), ZERO)

    def versus(self, now: Decimal, before: Decimal | None, *, what: str = "预算", whole: bool = False) -> str:
        """ "，比2023年预算增加0.46万元" / "，与2023年预算持平" / "" (last year not given); ``whole``: in
        whole 万元 (the city's 编制说明)."""
        if before is None:
            return ""
        money = wan_whole if whole else wan
        delta = printed_change(now, before, whole=whole)  # the printed figures' difference
        if delta == 0:
            return f"，与{self.last}年{what}持平"
        if prints_zero(before, whole=whole):
            return f"，比{self.last}年{what}新增{money(now)}"
        word = "增加" if delta > 0 else "减少"
        return f"，比{self.last}年{what}{word}{money(abs(delta))}"

    # -- cover and contents ---------------------------------------------------
    def cover(self) -> tuple[str, str]:
        u = self.b.unit
        if self.w.dept:
            where = "" if self.w.city else u.region
            title = f"上海市{where}{self.year}年{self.w.level}部门预算"
            return title, f"预算主管部门：{u.name}"
        title = f"上海市{self.year}年市级单位预算" if self.w.city else f"{u.name}{self.year}年单位预算"
        return title, f"预算单位：{u.name}"

    # -- 一 主要职能 --------------------------------------------------------------
    def duties(self) -> Part:
        ov = self.b.overview
        lead = "主要职能包括："
        intro = ov.duties_intro.strip()
        if intro.endswith(lead):
            intro = intro[: -len(lead)].strip()
        paragraphs = [Paragraph(intro)] if intro else []
        if ov.duties:
            paragraphs.append(Paragraph(lead))
            paragraphs += [Paragraph(f"{i}.{d.strip()}") for i, d in enumerate(ov.duties, 1)]
        return Part(f"一、{self.w.kind}主要职能", self.w.heading("主要职能"), tuple(paragraphs))

    # -- 二 机构设置 --------------------------------------------------------------
    def organization(self) -> Part:
        if self.w.dept and self.members:
            return Part(f"二、{self.w.kind}机构设置", self.w.heading("机构设置"), self.department_members())
        text = self.b.overview.organization.strip()
        return Part(
            f"二、{self.w.kind}机构设置",
            self.w.heading("机构设置"),
            (Paragraph(text),) if text else (),
        )

    def department_members(self) -> tuple[Paragraph, ...]:
        """ "…部门预算是包括…本部以及下属 5 家预算单位的综合收支计划。本部门中，行政单位1家，…" and the list."""
        counts = {k: sum(1 for m in self.members if m.kind == k) for k in UNIT_KIND_WORDS}
        kinds = "，".join(f"{w}{counts[k]}家" for k, w in UNIT_KIND_WORDS.items() if counts[k])
        first = (
            f"{self.w.name}部门预算是包括{self.w.name}本部以及下属{len(self.members) - 1}家预算单位的综合收支计划。"
            f"本部门中，{kinds}，具体包括："
        )
        listed = [
            Paragraph(f"{i}. {m.name}{'（本部）' if i == 1 else ''}。") for i, m in enumerate(self.members, 1)
        ]
        return (Paragraph(first), *listed)

    # -- 三 名词解释 --------------------------------------------------------------
    def glossary(self) -> Part:
        terms = shanghai_glossary(self.w.level)
        return Part(
            "三、名词解释",
            "名词解释",
            tuple(
                Paragraph(f"（{chinese_number(i)}）{term}：{text}") for i, (term, text) in enumerate(terms, 1)
            ),
        )

    # -- 四 预算编制说明 ------------------------------------------------------------
    def explanation(self) -> tuple[Part, tuple[Item, ...]]:
        city = self.w.city and not self.w.dept
        money = wan_whole if city else wan
        prior = self.b.prior_year.general_budget_appropriation
        everything = self.total()
        fiscal = self.total(fiscal=True)
        general = self.total(fund="general")
        zero_before = ZERO if prior is not None else None

        def versus(now: Decimal, before: Decimal | None) -> str:
            return self.versus(now, before, whole=city)

        def fund(name: str, key: str) -> str:
            amount = self.total(fund=key)
            if city and money(amount) == "0万元":
                return f"{name}为0"  # 财政局: 政府性基金拨款支出预算为0
            # last year's is taken as zero (the one prior figure is the 一般公共预算's): said only of a zero
            # this year, never a 新增 of a fund last year's figures do not give
            return f"{name}{money(amount)}{versus(amount, zero_before) if amount == 0 else ''}"

        # 财政拨款 is compared with last year's 一般公共预算 only while it is all 一般公共预算 this year too
        fiscal_before = prior if fiscal == general else None

        income = (
            f"{self.year}年，{self.w.name}收入预算{money(everything)}，其中：财政拨款收入{money(fiscal)}"
            f"{versus(fiscal, fiscal_before)}；事业收入{money(self.total(income_kind='事业收入'))}；"
            f"事业单位经营收入{money(self.total(income_kind='事业单位经营收入'))}；"
            f"其他收入{money(self.total(income_kind='其他收入'))}。"
        )
        spending = (
            f"支出预算{money(everything)}，其中：财政拨款支出预算{money(fiscal)}{versus(fiscal, fiscal_before)}。"
            f"财政拨款支出预算中，一般公共预算拨款支出预算{money(general)}{versus(general, prior)}；"
            f"{fund('政府性基金拨款支出预算', 'gov_fund')}；{fund('国有资本经营预算拨款支出预算', 'soe_capital')}。"
        )
        paragraphs = [Paragraph(income), Paragraph(spending)]
        reason = _clean(self.b.explanations.total_change)
        if prior is not None and "持平" not in versus(general, prior) and reason:
            word = "增加" if general > prior else "减少"
            paragraphs.append(Paragraph(f"财政拨款收入支出{word}的主要原因是{reason}。"))
        items = self.items()
        if items:
            paragraphs.append(Paragraph("财政拨款支出主要内容如下："))
            paragraphs += [Paragraph(i.text, "item") for i in items]
        part = Part(
            f"四、{self.w.kind}预算编制说明", f"{self.year}年{self.w.kind}预算编制说明", tuple(paragraphs)
        )
        return part, items

    def items(self) -> tuple[Item, ...]:
        table = self.t.by_role("general_function")
        if table is None:
            return ()
        if self.w.city and not self.w.dept:
            return class_items(self.b, table)
        return function_items(self.b, table)

    # -- 五 预算表 ------------------------------------------------------------------
    def tables_part(self) -> Part:
        return Part(f"五、{self.w.kind}预算表", "", tables=True)

    def table_entries(self) -> list[tuple[int, str]]:
        return [(2, f"{i}. {t.title}") for i, t in enumerate(self.t.tables, 1)]

    # -- 六 其他相关情况说明 ---------------------------------------------------------
    def others(self) -> Part:
        paragraphs: list[Paragraph] = []
        for heading, body in (
            (f"一、{self.year}年“三公”经费预算情况说明", self.three_public()),
            ("二、机关运行经费预算", [self.operating_funds()]),
            ("三、政府采购预算情况", self.procurement()),
            ("四、绩效目标设置情况", [self.performance()]),
            ("五、国有资产占有使用情况", self.assets()),
        ):
            paragraphs.append(Paragraph(heading, "sub"))
            paragraphs += [Paragraph(text) for text in body]
        return Part("六、其他相关情况说明", "其他相关情况说明", tuple(paragraphs))

    def three_public(self) -> list[str]:
        now = [t for t in self.b.three_public if t.fund in FISCAL_FUNDS]
        p = self.b.prior_year
        given = bool(p.three_public) or any(
            v is not None
            for v in (p.income_total, p.expenditure_total, p.general_budget_appropriation, p.operating_funds)
        )
        before = [t for t in p.three_public if t.fund in FISCAL_FUNDS]

        def amount(items, *names: str) -> Decimal:
            return sum((t.amount for t in items if not names or t.item in names), ZERO)

        def figure(label: str, *names: str) -> str:
            a = amount(now, *names)
            return f"{label}{wan(a)}{self.versus(a, amount(before, *names) if given else None)}"

        total = amount(now)
        first = f"{self.year}年“三公”经费预算数为{wan(total)}"
        first += self.versus(total, amount(before) if given else None)
        reason = _clean(self.b.explanations.three_public_change)
        if given and reason and printed_change(total, amount(before)) != 0:
            first += f"，主要原因是{reason}"
        vehicles = figure("公务用车购置及运行费", "公务用车购置费", "公务用车运行维护费")
        return [
            first + "。其中：",
            f"（一）{figure('因公出国（境）费', '因公出国（境）费')}。",
            f"（二）{vehicles}。其中：{figure('公务用车购置费', '公务用车购置费')}；"
            f"{figure('公务用车运行费', '公务用车运行维护费')}。",
            f"（三）{figure('公务接待费', '公务接待费')}。",
        ]

    def operating_funds(self) -> str:
        if self.w.dept and self.members:
            offices = sum(1 for m in self.members if m.kind == "administrative")
            civil = sum(1 for m in self.members if m.kind == "civil_service_institution")
            if offices + civil == 0:
                return f"{self.year}年{self.w.name}（部门）无机关运行经费。"
            amount = self.operating_amount()
            return (
                f"{self.year}年{self.w.name}（部门）下属{offices}家机关和{civil}家参公事业单位"
                f"财政拨款的机关运行经费预算为{wan(amount)}。"
            )
        if not self.b.unit.has_operating_funds:
            return f"{self.year}年{self.w.name}无机关运行经费。"
        return f"{self.year}年{self.w.name}财政拨款的机关运行经费预算为{wan(self.operating_amount())}。"

    def operating_amount(self) -> Decimal:
        """机关运行经费: the figure the “三公”经费和机关运行经费表 prints (表9's operating_funds column), else
        公用经费 of this year's 财政拨款 basic lines — for a 部门 only its 行政 and 参公 units' (万里 2024:
        443.18 万元, not the 1,116.86 万元 of all six units' 公用经费)."""
        t = self.t.by_role("three_public_operating")
        col = t.column("operating_funds") if t is not None else None
        if t is not None and col is not None and t.rows and col < len(t.rows[0].values):
            return t.rows[0].values[col]
        offices = {m.name for m in self.members if m.has_operating_funds} if self.w.dept else None
        return sum(
            (
                x.amount
                for x in self.b.basic
                if x.fund in FISCAL_FUNDS
                and not x.carryover
                and not x.is_personnel
                and (offices is None or x.unit in offices)
            ),
            ZERO,
        )

    def procurement(self) -> list[str]:
        p = self.b.procurement
        if p.total == 0:
            return [f"{self.year}年度{self.w.self}无政府采购预算。"]
        return [
            f"{self.year}年度{self.w.self}政府采购预算{wan(p.total)}，其中：政府采购货物预算{wan(p.goods)}、"
            f"政府采购工程预算{wan(p.works)}、政府采购服务预算{wan(p.services)}。"
        ]

    def performance(self) -> str:
        managed = [p for p in self.b.projects if p.performance_target]
        amount = sum((p.amount for p in managed), ZERO)
        if not managed:
            return f"{self.year}年度，{self.w.self}无编报绩效目标的项目。"
        if self.w.dept and self.members:
            return (
                f"按照本区预算绩效管理工作的总体要求，本部门{len(self.members)}个预算单位开展了{self.year}年"
                f"项目预算绩效目标编报工作，编报绩效目标的项目{len(managed)}个，涉及项目预算资金{wan(amount)}。"
            )
        return f"{self.year}年度，{self.w.self}编报绩效目标的项目共{len(managed)}个，涉及项目预算资金{wan(amount)}。"

    def assets(self) -> list[str]:
        a = self.b.assets
        cars = vehicle_counts(a.vehicles)
        as_of = f"截至{a.as_of.strip()}，" if a.as_of.strip() else ""
        who = f"{self.w.name}（部门）" if self.w.dept else self.w.name  # as the 万里 部门 print says it
        first = f"{as_of}{who}共有车辆{sum(cars.values())}辆，其中：{_kinds(cars)}"
        held = (
            [f"单价100万元（含）以上设备（不含车辆）{a.equipment}台（套）"] if a.equipment is not None else []
        )
        # 其他资产情况 as typed, after the 车辆 where the real report prints its 设备 (not twice)
        if (other := a.other.strip().rstrip("。；;，,").strip()) and other not in held:
            held.append(other)
        first += "".join(f"；{more}" for more in held) + "。"
        planned = vehicle_counts(a.planned_vehicles)
        budget = f"{self.w.kind}预算"
        second = f"{self.year}年{budget}安排购置车辆{sum(planned.values())}辆，其中：{_kinds(planned)}"
        if a.planned_equipment is not None:
            second += (
                f"；{budget}安排购置单价100万元（含）以上设备（不含车辆）{a.planned_equipment}台（套）。"
            )
        else:
            second += "。"
        return [first, second]


UNIT_KIND_WORDS = {
    "administrative": "行政单位",
    "civil_service_institution": "参公单位",
    "public_institution": "事业单位",
}


def vehicle_counts(vehicles: Sequence[Vehicle]) -> dict[str, int]:
    """Vehicles by the 8 kinds: a purpose named as a kind (with or without 用车) counts there, any other
    purpose as 其他用车."""
    counts = dict.fromkeys(VEHICLE_KINDS, 0)
    for v in vehicles:
        purpose = v.purpose.strip()
        kind = next((k for k in VEHICLE_KINDS if purpose in (k, k[: -len("用车")])), "其他用车")
        counts[kind] += v.count
    return counts


def _kinds(counts: dict[str, int]) -> str:
    return "、".join(f"{k}{n}辆" for k, n in counts.items())


def wan_whole(yuan: Decimal) -> str:
    """ "17,192万元"."""
    return f"{fmt_wan_whole(yuan)}万元"


def class_items(budget: UnitBudget, table: Table) -> tuple[Item, ...]:
    """The city's 财政拨款支出主要内容: one item per 类 row of ``table`` with money, whole 万元:
    ``1.“一般公共服务支出”科目12,789万元，主要用于….``"""
    column = table.column("total")
    column = 0 if column is None else column
    names = {r.key: r.label for r in table.rows if r.key != TOTAL}
    notes = {n.function: n for n in budget.function_notes}
    out: list[Item] = []
    for r in table.rows:
        if r.key == TOTAL or len(r.key) != 3 or column >= len(r.values) or r.values[column] == 0:
            continue
        amount = r.values[column]
        note = notes.get(r.key)
        purpose = _clean(note.purpose) if note else ""
        text = f"{len(out) + 1}.“{_name(budget, names, r.key)}”科目{wan_whole(amount)}"
        text += f"，主要用于{purpose}。" if purpose else "。"
        out.append(Item(r.key, amount, None, text))
    return tuple(out)


def function_items(budget: UnitBudget, table: Table) -> tuple[Item, ...]:
    """The 财政拨款支出主要内容 list: one item per 项 row of ``table`` (the general_function table) with
    money, in the table's order."""
    column = table.column("total")
    column = 0 if column is None else column
    names = {r.key: r.label for r in table.rows if r.key != TOTAL}
    notes = {n.function: n for n in budget.function_notes}
    prior = budget.prior_year.functions
    before_of: dict[str, Decimal] = {}
    for f in prior:
        before_of[f.function] = before_of.get(f.function, ZERO) + f.amount
    out: list[Item] = []
    for r in table.rows:
        if r.key == TOTAL or len(r.key) != 7 or column >= len(r.values) or r.values[column] == 0:
            continue
        amount = r.values[column]
        before = before_of.get(r.key, ZERO) if prior else None
        path = [_name(budget, names, r.key[:n]) for n in (3, 5, 7)]
        text = item_sentence(len(out) + 1, path, amount, notes.get(r.key), before, budget.year)
        out.append(Item(r.key, amount, before, text))
    return tuple(out)


def _name(budget: UnitBudget, names: dict[str, str], code: str) -> str:
    label = names.get(code, "")
    if label and not label.isdigit():
        return label
    from xlbudget.catalogue import load_catalogue

    return load_catalogue(budget.year).function_name(code) or code


def shanghai_glossary(level: str) -> tuple[tuple[str, str], ...]:
    """名词解释, the 8 items the Shanghai reports print, with the report's level word (区级 / 市级)."""
    return (
        (
            "财政拨款收入",
            f"是{level}预算主管部门及所属预算单位本年度从本级财政部门取得的财政拨款，包括一般公共预算财政拨款、"
            "政府性基金预算财政拨款和国有资本经营预算财政拨款。",
        ),
        ("事业收入", "指事业单位开展专业业务活动及其辅助活动取得的收入。"),
        ("事业单位经营收入", "指事业单位在专业业务活动及其辅助活动之外开展非独立核算经营活动取得的收入。"),
        ("其他收入", "指除上述“财政拨款收入”、“事业收入”、“事业单位经营收入”等以外的收入。"),
        (
            "基本支出预算",
            f"是{level}预算主管部门及所属预算单位为保障其机构正常运转、完成日常工作任务而编制的年度基本支出计划，"
            "包括人员经费和公用经费两部分。",
        ),
        (
            "项目支出预算",
            f"是{level}预算主管部门及所属预算单位为完成行政工作任务、事业发展目标或政府发展战略、特定目标，"
            "在基本支出之外编制的年度支出计划。",
        ),
        (
            "“三公”经费",
            f"是与{level}财政有经费领拨关系的部门及其下属预算单位使用{level}财政拨款安排的因公出国（境）费、"
            "公务用车购置及运行费、公务接待费。其中：因公出国（境）费主要安排机关及下属预算单位人员的国际合作交流、"
            "重大项目洽谈、境外培训研修等的国际旅费、国外城市间交通费、住宿费、伙食费、培训费、公杂费等支出；"
            "公务接待费主要安排全国性专业会议、国家重大政策调研、专项检查以及外事团组接待交流等执行公务或开展业务"
            "所需住宿费、交通费、伙食费等支出；公务用车购置及运行费主要安排编制内公务车辆的报废更新，以及用于安排"
            "市内因公出差、公务文件交换、日常工作开展等所需公务用车燃料费、维修费、过路过桥费、保险费等支出。",
        ),
        (
            "机关运行经费",
            "指行政单位和参照公务员法管理的事业单位使用一般公共预算财政拨款安排的基本支出中的日常公用经费支出。",
        ),
    )


def project_part(project: Mapping[str, str]) -> Part:
    """七、项目经费情况说明: each of :data:`PROJECT_SECTIONS` given, numbered 一、二、… as printed, its
    text a paragraph per line (万里 2024 p.33: 项目概况 in two)."""
    paragraphs: list[Paragraph] = []
    for i, section in enumerate((s for s in PROJECT_SECTIONS if project.get(s, "").strip()), 1):
        paragraphs.append(Paragraph(f"{chinese_number(i)}、{section}", "sub"))
        paragraphs += [Paragraph(line.strip()) for line in project[section].splitlines() if line.strip()]
    return Part("七、项目经费情况说明", "项目经费情况说明", tuple(paragraphs))


def project_texts(budget: UnitBudget) -> dict[str, str]:
    """A 部门's 项目经费情况说明 (``budget.project_explanation``) as section heading → text."""
    return {heading: text for _, heading, text in budget.project_explanation.sections() if text.strip()}


def shanghai_report(
    budget: UnitBudget,
    tables: TableSet,
    *,
    scope: str = "unit",
    members: Sequence[Unit] = (),
    project: Mapping[str, str] | None = None,
) -> ShanghaiReport:
    """The Shanghai document of ``budget`` (its lines; for a 部门 all its units' lines together),
    with ``tables`` its profile's table set.  ``members``: a 部门's units, 本部 first; ``project``: a
    部门's 项目经费情况说明, section (:data:`PROJECT_SECTIONS`) → text (part 七, 部门 only; by default the
    budget's ``project_explanation``).  A 部门 that gives none prints no 七 (nor lists it): the checker
    warns (``completeness.sections``), as the real 部门 prints have it."""
    if project is None:
        project = project_texts(budget)
    f = _Facts(budget, tables, scope, members)
    explanation, items = f.explanation()
    parts: tuple[Part, ...] = (
        f.duties(),
        f.organization(),
        f.glossary(),
        explanation,
        f.tables_part(),
        f.others(),
    )
    if scope == "department" and project:
        parts += (project_part(project),)
    contents: list[tuple[int, str]] = []
    for p in parts:
        contents.append((1, p.entry))
        if p.tables:
            contents += f.table_entries()
    title, line = f.cover()
    return ShanghaiReport(
        year=budget.year,
        unit=budget.unit.name,
        scope=scope,
        cover_title=title,
        cover_line=line,
        parts=parts,
        contents=tuple(contents),
        items=items,
    )
