"""Run the registered rules over a unit's data and its tables."""

from __future__ import annotations

from dataclasses import replace

from xlbudget.catalogue import CatalogueError
from xlbudget.check.findings import ERROR, INFO, SEVERITIES, WARNING, CheckSettings, Finding
from xlbudget.check.registry import Context, registry
from xlbudget.location import Location
from xlbudget.model import UnitBudget
from xlbudget.profiles import Profile, available_profiles
from xlbudget.tables import TableSet, build_tables

INTERNAL = "internal"
NOT_CHECKED = "coverage.not_checked"
UNKNOWN_PROFILE = "coverage.unknown_profile"
DEFAULT_SETTINGS = CheckSettings()  # frozen: safe to share


def _internal(rule_id: str, exc: BaseException) -> Finding:
    return Finding(
        INTERNAL,
        ERROR,
        None,
        Location.described(rule_id),
        f"校验规则 {rule_id} 运行出错（{type(exc).__name__}: {exc}），该项未能核对；其余规则照常执行。请把这条信息发给维护人员",
    )


LINES_RULE = "cross.tables_match_lines"


def _place(where: Location) -> object:
    """A location as the lines' findings and the others' ``against`` both name it: a cell as itself; a row a
    table lacks by its table and its code or name's first word ("2101101 行政单位医疗" and "2101101" are one)."""
    if where.is_cell or not where.row:
        return replace(where, page=None)
    return (where.file, where.table, where.row.split()[0], where.column)


def at_the_figure_off_the_lines(findings: list[Finding]) -> list[Finding]:
    """Two printed figures that disagree, one of them as the lines make it and the other not (a cell typed
    over by hand, a row deleted): the finding goes to the figure that is off, with what the lines make it —
    never to the figure that is right.  Which figures are off the lines is what :data:`LINES_RULE` found."""
    off = {_place(f.location): f for f in findings if f.rule == LINES_RULE and f.severity == ERROR}
    if not off:
        return findings
    out = []
    for f in findings:
        wrong = [off[_place(a)] for a in f.against if _place(a) in off]
        if f.rule != LINES_RULE and _place(f.location) not in off and wrong:
            fix = wrong[0]
            where = "、".join(str(w.location) for w in wrong)
            if fix.actual is None:  # a row the table lacks
                change = f"{fix.location.table or where}：缺少 {fix.location.row} 行，按基础数据应为 {fix.expected}"
            else:
                change = f"{where}：{fix.actual} 应为 {fix.expected}"
            f = replace(
                f,
                table=fix.table,
                location=fix.location,
                expected=fix.expected,
                actual=fix.actual,
                against=(f.location, *f.against),
                quote=fix.quote or f.quote,
                message=f"{f.message}。按基础数据，{f.location} 的 {f.actual} 无误，要改的是 {change}",
            )
        out.append(f)
    return out


FIGURE_TEXT = "table.figure_text"


def _texts_quoted(findings: list[Finding], tables: TableSet) -> list[Finding]:
    """A figure off the lines that is a text: :data:`LINES_RULE` quotes the text, not the blank it is read as
    (the findings moved to it then say 要改的是 表3!C7：七百八十 应为 780.05)."""
    texts = {where: text for _n, where, text in tables.texts_in_figures}
    return [
        replace(f, actual=texts[f.location]) if f.rule == LINES_RULE and f.location in texts else f
        for f in findings
    ]


def _texts_over_figures(findings: list[Finding], tables: TableSet, skip: frozenset[str]) -> list[Finding]:
    """One :data:`FIGURE_TEXT` error at each figure cell of the 表 sheets that holds a text, saying what the
    lines make the figure. It takes the place of every other finding at that cell: read as blank, the cell
    is off the lines and out of every sum it is in, and the findings at the figure off the lines
    (:func:`at_the_figure_off_the_lines`) all come to it — one cause, told once."""
    if not tables.texts_in_figures or FIGURE_TEXT in skip:
        return findings
    lines = {f.location: f for f in findings if f.rule == LINES_RULE}
    texts = {where for _n, where, _text in tables.texts_in_figures}
    out = [f for f in findings if f.location not in texts or f.severity != ERROR]
    for number, where, text in tables.texts_in_figures:
        off = lines.get(where)
        fix = (
            f"；按基础数据应为 {off.expected}：请点击「计算」重新填表，或改为这个数"
            if off is not None and off.expected
            else "：请改为数字，或清空（空白即 0）"
        )
        out.append(
            Finding(
                FIGURE_TEXT,
                ERROR,
                number,
                where,
                f"表{number} 金额格里写的是文字“{text}”，不是金额（按空白核对）{fix}",
                off.expected if off is not None else None,
                text,
            )
        )
    return out


STALE = "cross.tables_stale"


def _stale_hint(findings: list[Finding], tables: TableSet) -> list[Finding]:
    """A workbook's 表 sheets off the lines in more than one table (the lines changed and 计算 was not pressed
    since, or the 表 sheets were emptied): one :data:`STALE` error says so first, and the mismatches stay
    listed. Not for a report set against a workbook (校验Word报告): 计算 does not change a report."""
    if not any(t.place.is_cell for t in tables.tables):  # not read from a workbook's 表 sheets
        return findings
    off = [f for f in findings if f.rule == LINES_RULE and f.severity == ERROR]
    numbers = sorted({f.table for f in off if f.table is not None})
    if len(numbers) < 2:
        return findings  # one table off: a figure typed over, told at its cell
    names = "、".join(f"表{n}" for n in numbers)
    hint = Finding(
        STALE,
        ERROR,
        None,
        next((f.location for f in off if f.location.is_cell), off[0].location),
        f"{names} 共 {len(off)} 处与基础数据不一致：多半是改了明细之后没有点击「计算」（或表中是空的）。"
        "请先点击「计算」（命令行：xlbudget fill）重新填表，再校验（手工改过的表中数字也会按明细改回）；"
        "其后逐处列出的不一致，计算之后都会消失",
    )
    return [hint, *findings]


def run_rules(ctx: Context, scopes: tuple[str, ...]) -> list[Finding]:
    """Every registered rule of these scopes not switched off; a rule that raises becomes one ``internal`` finding."""
    skip = ctx.settings.skip
    findings: list[Finding] = []
    for rule in registry().values():
        if rule.check is None or rule.scope not in scopes or rule.id in skip:
            continue
        try:
            found = list(rule.check(ctx))
        except Exception as exc:  # noqa: BLE001 - a crashing rule must not stop the run
            if INTERNAL not in skip:
                findings.append(_internal(rule.id, exc))
            continue
        findings.extend(f for f in found if f.rule not in skip)
    profile = ctx.tables.profile
    if (
        profile
        and ctx.own_profile is None
        and profile not in available_profiles()
        and UNKNOWN_PROFILE not in skip
    ):
        findings.append(
            Finding(
                UNKNOWN_PROFILE,
                WARNING,
                None,
                Location.path("profile"),
                f"未知的报表方案 “{profile}”（已有：{'、'.join(available_profiles())}）：表间核对等"
                "需要报表方案的规则均未执行，“0 项错误”不说明各表一致",
            )
        )
    if NOT_CHECKED not in skip:
        where = Location.described(f"报表方案 {ctx.tables.profile}" if ctx.tables.profile else "tables")
        reasons: dict[str, list[str]] = {}
        for what, why in ctx.not_checked:
            reasons.setdefault(what, []).append(why)
        findings += [
            Finding(NOT_CHECKED, INFO, None, where, f"未检查：{what}（{'；'.join(why)}）")
            for what, why in reasons.items()
        ]
    findings = _texts_quoted(findings, ctx.tables)
    findings = at_the_figure_off_the_lines(findings)
    findings = _texts_over_figures(findings, ctx.tables, skip)
    if STALE not in skip:
        findings = _stale_hint(findings, ctx.tables)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    # by severity; within it the lines' own findings first (a wrong code explains the tables' mismatches
    # that follow from it), then table by table (findings of no table last), rule order kept within
    return sorted(
        findings,
        key=lambda f: (
            order.get(f.severity, len(order)),
            f.rule != STALE,
            not f.rule.startswith(CAUSES),
            f.table is None,
            f.table or 0,
        ),
    )


#: rules on the budget lines themselves: what they find is a cause of the tables' findings
CAUSES = ("catalogue.unknown_code", "catalogue.code_depth", "lines.")


def check_budget(
    budget: UnitBudget,
    tables: TableSet | None = None,
    settings: CheckSettings = DEFAULT_SETTINGS,
    profile: Profile | None = None,
    *,
    derived: TableSet | None = None,
) -> list[Finding]:
    """Check a unit's budget and its tables.

    ``tables`` are the tables as shown to the reader (e.g. read back from the workbook's
    表N sheets, with ``Row.cells`` set); None → the tables derived from the lines are checked.
    ``derived``: those derived tables (``build_tables(budget)``) when the caller has built them
    already (for a report, a batch's totals) — else they are built here, once.
    Runs every rule that applies to a unit and every table rule on the tables.  ``profile``: a
    profile of the caller's own (not a shipped file) the tables are of; None → the unit's.
    """
    extra: list[Finding] = []
    shown = tables
    if shown is None and derived is None:
        try:
            derived = build_tables(budget, profile)
        except CatalogueError as exc:  # no catalogue for the year: say so, check the rest
            extra.append(
                Finding(
                    "catalogue.unknown_code", ERROR, None, Location.path("year"), f"无法计算公开表：{exc}"
                )
            )
            derived = TableSet(unit=budget.unit.name, year=budget.year, profile="", tables=())
        except Exception as exc:  # noqa: BLE001 - still check what can be checked
            extra.append(_internal("build_tables", exc))
            derived = TableSet(unit=budget.unit.name, year=budget.year, profile="", tables=())
    if shown is None:
        assert derived is not None
        ctx = Context(tables=derived, budget=budget, settings=settings, derived=True, own_profile=profile)
    else:
        ctx = Context(
            tables=shown,
            budget=budget,
            settings=settings,
            derived=False,
            own_profile=profile,
            lines_tables=derived,
        )
    scopes = ("budget",) if extra else ("tables", "budget")  # no tables to check when they could not be built
    return [f for f in extra if f.rule not in settings.skip] + run_rules(ctx, scopes)


def check_tables(
    tables: TableSet, settings: CheckSettings = DEFAULT_SETTINGS, profile: Profile | None = None
) -> list[Finding]:
    """Check tables as published (a tables JSON typed or pasted), as they stand: nothing is derived."""
    ctx = Context(tables=tables, budget=None, settings=settings, derived=False, own_profile=profile)
    return run_rules(ctx, ("tables",))
