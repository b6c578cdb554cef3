"""Completeness (财预〔2016〕143号 and the Shanxi set): every table, every section of the 情况说明."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from xlbudget.check.findings import ERROR, WARNING, Finding
from xlbudget.check.registry import Context, rule
from xlbudget.location import Location
from xlbudget.model import THREE_PUBLIC_ITEMS, ThreePublic
from xlbudget.money import ZERO, fmt_wan, to_wan
from xlbudget.profiles import Profile
from xlbudget.tables import EMPTY_NOTE


def _profile(ctx: Context, what: str) -> Profile | None:
    """The tables' profile; None (noted as not checked) when it is not one this software knows."""
    if ctx.profile is None:
        ctx.note(what, f"报表方案“{ctx.tables.profile}”不是本软件的方案，不知道应有哪些表")
    return ctx.profile


@rule("completeness.tables_present", "tables")
def tables_present(ctx: Context) -> Iterator[Finding]:
    """Every table of the profile (the Shanxi 13, the national 9, …) is published, even when it has no data."""
    profile = _profile(ctx, "公开表是否齐全")
    if profile is None:
        return
    have = {t.number for t in ctx.tables.tables}
    for spec in profile.tables:
        if spec.number not in have:
            yield Finding(
                "completeness.tables_present",
                ERROR,
                spec.number,
                Location(table=f"表{spec.number}", json_path=f"tables.{spec.number}"),
                f"缺少{spec.label}{_titled(spec.title, ctx.year)}：无数据的表也要公开，并注明"
                f"“{spec.empty_note.format(year=ctx.year or '当', scope='本单位')}”",
                spec.label,
                None,
            )


def empty_note_for(ctx: Context, number: int) -> str:
    """The note the tables' profile prints under table ``number`` when it is empty, for this year and scope
    (Shanghai: 注:本部门2024年无政府性基金预算财政拨款安排的预算，故本表为空表。); 注：本表无数据 otherwise."""
    profile = ctx.profile
    spec = next((s for s in profile.tables if s.number == number), None) if profile is not None else None
    if spec is None:
        return EMPTY_NOTE
    scope = "department" if ctx.tables.scope == "department" else "unit"
    word = "本部门" if scope == "department" else "本单位"
    return spec.scoped(scope).empty_note.format(year=ctx.year or "", scope=word)


def _titled(title: str, year: int) -> str:
    """《2023年预算收支总表》; without a year (a tables JSON that gives none) no title with “0年” in it."""
    return f"《{title.format(year=year) if year else title.replace('{year}年', '').replace('{year}', '')}》"


@rule("completeness.empty_marked", "tables")
def empty_marked(ctx: Context) -> Iterator[Finding]:
    """A table with no data is marked with its profile's note (Shanxi 注：本表无数据; Shanghai
    注:本单位2025年无政府性基金预算财政拨款安排的预算，故本表为空表。 — 本部门 in a 部门预算); in the tables format
    "empty": true with the note. One warning per table (the 上海市财政局's city template prints none)."""
    if ctx.derived or ctx.budget is not None:
        return  # derived or read back from our workbook: the writers mark empty tables themselves
    for table in ctx.tables.tables:
        if table.empty and table.layout != "empty":
            note = empty_note_for(ctx, table.number)
            yield Finding(
                "completeness.empty_marked",
                WARNING,
                table.number,
                table.where,
                f"{table.label or f'表{table.number}'}《{table.title}》没有数据，表下应注明“{note}”"
                if table.title
                else f"{table.label or f'表{table.number}'} 没有数据，应注明“{note}”",
                note,
                None,
            )


@rule("completeness.table_heading", "tables")
def table_heading(ctx: Context) -> Iterator[Finding]:
    """Each table carries its heading label (预算公开表N — the seed printed 部门公开表9) and title of the profile."""
    if ctx.derived:
        return
    profile = _profile(ctx, "表号与标题")
    if profile is None:
        return
    specs = {s.number: s for s in profile.tables}
    for table in ctx.tables.tables:
        spec = specs.get(table.number)
        if spec is None:
            continue
        if table.label and table.label != spec.label:
            yield Finding(
                "completeness.table_heading",
                WARNING,
                table.number,
                table.at("label"),
                f"表{table.number} 的表号印为“{table.label}”，应为“{spec.label}”",
                spec.label,
                table.label,
            )
        title = spec.title.format(year=ctx.year) if ctx.year else None
        # a 部门预算 prints its own titles (shanghai-9: {year}年部门…), another template may print others
        others = (spec.title_department, *spec.other_titles)
        allowed = {title, *(t.format(year=ctx.year) for t in others)}
        if title and table.title and table.title not in allowed:
            yield Finding(
                "completeness.table_heading",
                WARNING,
                table.number,
                table.at("title"),
                f"{spec.label or f'表{spec.number}'} 的标题“{table.title}”与规定的“{title}”不符",
                title,
                table.title,
            )


def _three_total(items: tuple[ThreePublic, ...]) -> Decimal:
    return sum((t.amount for t in items if t.fund in ("general", "gov_fund", "soe_capital")), ZERO)


def _three_by_item(items: tuple[ThreePublic, ...]) -> dict[str, Decimal]:
    out = dict.fromkeys(THREE_PUBLIC_ITEMS, ZERO)
    for t in items:
        if t.fund in ("general", "gov_fund", "soe_capital"):
            out[t.item] = out.get(t.item, ZERO) + t.amount
    return out


@rule("completeness.sections", "budget")
def sections(ctx: Context) -> Iterator[Finding]:
    """The 情况说明 has what it must say: 职责 and 机构设置 (第一部分); last year's figures for the 比上年 sentences;
    a reason when “三公”经费 changed (any printed change); 机关运行经费 last year (行政/参公 units);
    政府采购 货物 + 工程 + 服务 = 总额 (when a 总额 is given); 绩效 (forms for projects under 绩效目标管理);
    国有资产占有使用情况 (车辆, 房屋, 其他); a Shanghai 部门's 项目经费情况说明 (七)."""
    b = ctx.budget
    assert b is not None
    ov, py, ex = b.overview, b.prior_year, b.explanations

    def missing(location: Location, what: str, severity: str = ERROR) -> Finding:
        return Finding("completeness.sections", severity, None, location, f"缺少{what}", what, None)

    who = "部门" if b.scope == "department" else "单位"
    if not ov.duties:
        yield missing(ov.source.at("duties"), f"{who}职责（第一部分 概况 一）")
    if not ov.organization:
        yield missing(ov.source.at("organization"), "机构设置情况（第一部分 概况 二）")
    for name, what in (
        ("income_total", "上年预算收入总计"),
        ("expenditure_total", "上年预算支出总计"),
        ("general_budget_appropriation", "上年一般公共预算当年拨款"),
    ):
        if getattr(py, name) is None:
            yield missing(py.source.at(name), f"{what}（比上年增减要用）", WARNING)
    if b.unit.has_operating_funds and py.operating_funds is None:
        yield missing(
            py.source.at("operating_funds"), "上年机关运行经费（机关运行经费增减变动说明要用）", WARNING
        )
    now, before = _three_by_item(b.three_public), _three_by_item(py.three_public)
    changed = [i for i in THREE_PUBLIC_ITEMS if to_wan(now[i]) != to_wan(before[i])]
    three = ctx.tables.by_role("three_public") or ctx.tables.by_role("three_public_operating")
    if changed and not ex.three_public_change.strip():
        yield Finding(
            "completeness.sections",
            WARNING,
            three.number if three is not None else None,
            ex.source.at("three_public_change"),
            f"“三公”经费比上年有变动（{'、'.join(changed)}：合计 {fmt_wan(_three_total(py.three_public))} → "
            f"{fmt_wan(_three_total(b.three_public))} 万元），需说明增减变动原因",
            "变动原因",
            None,
        )
    declared = getattr(b.procurement, "declared_total", None)
    if declared is not None and declared != b.procurement.total:
        yield Finding(
            "completeness.sections",
            ERROR,
            None,
            b.procurement.source.at("total"),
            f"政府采购预算总额 {fmt_wan(declared)} 万元不等于货物、工程、服务之和 {fmt_wan(b.procurement.total)} 万元",
            fmt_wan(b.procurement.total),
            fmt_wan(declared),
        )
    if b.projects and not any(p.performance_target for p in b.projects) and not b.performance_targets:
        yield missing(
            b.projects[0].source.at("performance_target"), "绩效管理情况：没有项目实行绩效目标管理", WARNING
        )
    a = b.assets
    if not (a.vehicles or a.vehicles_note or a.building_area_m2 or a.other):
        yield missing(a.source.at("vehicles_note"), "国有资产占有使用情况（车辆、房屋、其他资产）", WARNING)
    shanghai = ctx.profile is not None and ctx.profile.document == "shanghai"
    if b.scope == "department" and shanghai and not b.project_explanation.given:
        yield missing(  # 万里 2024 p.33: a Shanghai 部门预算 ends with it
            b.project_explanation.source.where,
            "项目经费情况说明（上海市部门预算的第七部分：项目概况、立项依据、实施主体、实施方案、实施周期、"
            "年度预算安排、绩效目标）",
            WARNING,
        )
    elif b.project_explanation.given and not (b.scope == "department" and shanghai):
        yield Finding(
            "completeness.sections",
            WARNING,
            None,
            b.project_explanation.source.where,
            f"项目经费情况说明只印在上海市部门预算的报告中（第七部分）；报表方案“{ctx.tables.profile}”的报告不印这一部分",
            None,
            None,
        )


@rule("completeness.procurement_within_budget", "budget")
def procurement_within_budget(ctx: Context) -> Iterator[Finding]:
    """政府采购预算 (货物 + 工程 + 服务) is arranged out of this year's expenditure, so it cannot exceed the
    expenditure lines' total (基本支出 + 项目支出).  More than that is a typing error — often yuan typed
    where 万元 were meant — and would be published as an impossible figure."""
    b = ctx.budget
    assert b is not None
    spent = sum((line.amount for line in b.lines), ZERO)
    if b.procurement.total > spent:
        yield Finding(
            "completeness.procurement_within_budget",
            ERROR,
            None,
            b.procurement.source.at("total"),
            f"政府采购预算 {fmt_wan(b.procurement.total)} 万元（货物、工程、服务之和）超过本年支出合计 "
            f"{fmt_wan(spent)} 万元：采购只能从本年支出中安排，请核对三项金额",
            f"不超过 {fmt_wan(spent)}",
            fmt_wan(b.procurement.total),
        )
