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
    findings = at_the_figure_off_the_lines(findings)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    # by severity; within it the lines' own findings first (a wrong code explains the tables' mismatches
    # that follow from it), then table by table (findings of no table last), rule order kept within
    return sorted(
        findings,
        key=lambda f: (
            order.get(f.severity, len(order)),
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
