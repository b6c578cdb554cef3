"""A department's budget (部门预算): its units' lines together.

A 部门 publishes one budget made of its units' budgets — 部门本级 and each 下属单位 — plus texts of its
own (职责, 机构设置, the reasons for its changes, a Shanghai 部门's 项目经费情况说明 …).  :func:`department_budget` combines them into one
:class:`~xlbudget.model.UnitBudget` that :func:`xlbudget.tables.build_tables`, the checks and the report
take as they take a unit's:

- every line, “三公” amount and 绩效目标申报表 of every unit, each line tagged with its unit's name
  (``line.unit``) and keeping its own ``source`` (the unit file's cell or JSON path);
- 政府采购 summed; last year's figures summed where every unit gives them (else absent:
  :func:`prior_year_notes` says which units lack them);
- ``units``: the units in print order, which makes its ``scope`` "department" — tables then print their
  department titles and notes, and 机关运行经费 sums the administrative and civil-service units only
  (Shanxi's 表11 prints 部门合计 then one row per such unit).

Pure: nothing here reads or writes a file (``xlbudget.io.department_json`` reads a department).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING

from xlbudget.errors import InputError, Problem
from xlbudget.location import Location
from xlbudget.model import (
    NOWHERE,
    Assets,
    Explanations,
    OtherNotes,
    Overview,
    PriorYear,
    Procurement,
    ProjectExplanation,
    Source,
    ThreePublic,
    Unit,
    UnitBudget,
    Vehicle,
)
from xlbudget.money import ZERO
from xlbudget.profiles import profile_for

if TYPE_CHECKING:
    from xlbudget.check.findings import CheckSettings, Finding
    from xlbudget.tables import TableSet

PRIOR_FIELDS = {
    "income_total": "上年预算收入总计",
    "expenditure_total": "上年预算支出总计",
    "general_budget_appropriation": "上年一般公共预算当年拨款",
    "operating_funds": "上年机关运行经费",
}

PRIOR_SUMMED = Location.path(
    "prior_year（各单位之和）"
)  # where a 部门's last-year figures are: the units' sum


@dataclass(frozen=True)
class Department:
    """A 部门: who it is, its units' budgets (部门本级 first, as they are to print) and its own texts."""

    unit: Unit  # the 部门 itself: name, code (主管部门代码), level, region, province, profile
    year: int
    units: tuple[UnitBudget, ...]
    overview: Overview = Overview()
    explanations: Explanations = Explanations()
    assets: Assets | None = None  # None: the units' vehicles, summed by purpose
    other_notes: OtherNotes = OtherNotes()
    project_explanation: ProjectExplanation = ProjectExplanation()  # 项目经费情况说明 (Shanghai 七)
    source: Source = NOWHERE  # the department's own file
    # a workbook unit's 表 sheets as shown, by the unit's place in ``units`` (None or missing: none)
    shown: tuple[TableSet | None, ...] = ()

    @property
    def name(self) -> str:
        return self.unit.name

    @property
    def profile(self) -> str:
        return profile_for(self.unit)


def _where(budget: UnitBudget) -> str:
    return budget.origin or budget.unit.name


def validate(dept: Department) -> None:
    """Units that cannot make one department's budget are refused (:class:`InputError`, every problem with its
    file): none at all, another year or table set than the department's, or two units of the same name."""
    problems: list[Problem] = []
    if not dept.units:
        problems.append(
            Problem(dept.source.file, "部门没有任何单位的预算：请给出部门本级和各下属单位的预算文件")
        )
    seen: dict[str, str] = {}
    for b in dept.units:
        where = _where(b)
        if b.year != dept.year:
            problems.append(
                Problem(
                    where,
                    f"{b.unit.name}的预算年度是 {b.year} 年，部门（{dept.name}）是 {dept.year} 年："
                    "一个部门预算的各单位须是同一年度",
                )
            )
        if profile_for(b.unit) != dept.profile:
            problems.append(
                Problem(
                    where,
                    f"{b.unit.name}用报表方案 {profile_for(b.unit)}，部门（{dept.name}）用 {dept.profile}："
                    "一个部门的各单位须用同一套公开表（单位信息的省份或报表方案）",
                )
            )
        if b.unit.name in seen:
            problems.append(
                Problem(
                    where, f"单位名称“{b.unit.name}”与 {seen[b.unit.name]} 重复：部门中每个单位的名称须不同"
                )
            )
        seen.setdefault(b.unit.name, where)
    if problems:
        raise InputError(problems)


def _prior_given(p: PriorYear) -> bool:
    return p.three_public != () or any(getattr(p, name) is not None for name in PRIOR_FIELDS)


def _sum_prior(dept: Department) -> PriorYear:
    units = dept.units
    values: dict[str, Decimal | None] = {}
    for name in PRIOR_FIELDS:
        # 机关运行经费: only the units that have them
        owners = [b for b in units if name != "operating_funds" or b.unit.has_operating_funds]
        given = [getattr(b.prior_year, name) for b in owners]
        values[name] = sum(given, ZERO) if owners and None not in given else None  # type: ignore[arg-type]
    three: tuple[ThreePublic, ...] = ()
    if all(_prior_given(b.prior_year) for b in units):
        three = tuple(replace(t, unit=b.unit.name) for b in units for t in b.prior_year.three_public)
    source = replace(dept.source, where=PRIOR_SUMMED)
    return PriorYear(**values, three_public=three, source=source)  # type: ignore[arg-type]


def prior_year_notes(dept: Department) -> tuple[str, ...]:
    """What the 部门's budget leaves without last year's figures, and which units' lack makes it so."""
    notes = []
    for name, what in PRIOR_FIELDS.items():
        owners = [b for b in dept.units if name != "operating_funds" or b.unit.has_operating_funds]
        lacking = [b.unit.name for b in owners if getattr(b.prior_year, name) is None]
        if lacking and len(lacking) < len(owners):
            notes.append(
                f"{'、'.join(lacking)}没有填写{what}（prior_year.{name}），部门的{what}不汇总，比上年的说明从略"
            )
    lacking = [b.unit.name for b in dept.units if not _prior_given(b.prior_year)]
    if lacking and len(lacking) < len(dept.units):
        notes.append(f"{'、'.join(lacking)}没有填写上年数，部门的上年“三公”经费不汇总")
    return tuple(notes)


def _vehicles(units: Iterable[UnitBudget]) -> tuple[Vehicle, ...]:
    counts: dict[str, int] = {}
    for b in units:
        for v in b.assets.vehicles:
            counts[v.purpose] = counts.get(v.purpose, 0) + v.count
    return tuple(Vehicle(purpose, n) for purpose, n in counts.items())


def department_budget(dept: Department) -> UnitBudget:
    """The 部门预算 as one budget: the units' lines together, each tagged with its unit (see the module).

    The department's unit kind is 行政单位 when any unit has 机关运行经费 (行政 or 参公), else 其他事业单位;
    the tables sum 机关运行经费 over those units only, whatever the department's own kind.
    """
    validate(dept)
    units = dept.units
    kind = "administrative" if any(b.unit.has_operating_funds for b in units) else "public_institution"
    procurement = Procurement(
        goods=sum((b.procurement.goods for b in units), ZERO),
        works=sum((b.procurement.works for b in units), ZERO),
        services=sum((b.procurement.services for b in units), ZERO),
        source=dept.source,
    )
    assets = dept.assets if dept.assets is not None else Assets(vehicles=_vehicles(units), source=dept.source)
    return UnitBudget(
        year=dept.year,
        unit=replace(dept.unit, kind=kind),
        overview=dept.overview,
        basic=tuple(replace(x, unit=b.unit.name) for b in units for x in b.basic),
        projects=tuple(replace(x, unit=b.unit.name) for b in units for x in b.projects),
        three_public=tuple(replace(t, unit=b.unit.name) for b in units for t in b.three_public),
        procurement=procurement,
        prior_year=_sum_prior(dept),
        explanations=dept.explanations,
        assets=assets,
        other_notes=dept.other_notes,
        project_explanation=dept.project_explanation,
        performance_targets=tuple(t for b in units for t in b.performance_targets),
        origin=dept.source.file,
        units=tuple(b.unit for b in units),
    )


def check_department(dept: Department, settings: CheckSettings | None = None) -> list[Finding]:
    """The checks of a 部门预算: every unit's own findings, as ``xlbudget check`` gives them for its file (a
    workbook's 表 sheets as shown included; the unit named in front of the message, its file in front of the
    place), then the department's: the rules on its tables, and on its own texts and summed
    figures (职责, 机构设置, reasons against last year's sums, 国有资产 …).  The units' lines are checked
    once, in their own unit; the department's tables are their sum by construction."""
    from xlbudget.check.findings import SEVERITIES
    from xlbudget.check.registry import Context
    from xlbudget.check.runner import DEFAULT_SETTINGS, check_budget, run_rules
    from xlbudget.tables import build_tables

    settings = settings or DEFAULT_SETTINGS
    combined = department_budget(dept)
    shown = dept.shown + (None,) * (len(dept.units) - len(dept.shown))
    findings = [
        replace(f, location=f.location.in_file(b.origin), message=f"【{b.unit.name}】{f.message}")
        for b, tables in zip(dept.units, shown, strict=False)
        for f in check_budget(b, tables, settings)
    ]
    # the department's own: its tables, its texts and summed figures; what lies in a unit's file (a line,
    # a form) was checked in its unit above
    ctx = Context(tables=build_tables(combined), budget=combined, settings=settings, derived=True)
    theirs = _unit_places(combined)
    findings += [
        replace(f, location=_own_place(dept, f.location), message=f"【{dept.name}（部门）】{f.message}")
        for f in run_rules(ctx, ("tables", "budget"))
        if f.location not in theirs and _record(f.location) not in theirs
    ]
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(_coverage_once(findings, dept), key=lambda f: order.get(f.severity, len(order)))


def _coverage_once(findings: list[Finding], dept: Department) -> list[Finding]:
    """A 未检查 note is about the 报表方案, the same for every unit: said once for the 部门 and all its units
    (where the department's tables or every unit have it), not once per unit; a note only some units have
    (their workbook's 表 sheets print other columns) stays with those units."""
    from xlbudget.check.runner import NOT_CHECKED

    prefixes = [f"【{b.unit.name}】" for b in dept.units] + [f"【{dept.name}（部门）】"]

    def plain(f: Finding) -> str:
        return next((f.message[len(p) :] for p in prefixes if f.message.startswith(p)), f.message)

    said: dict[str, set[str]] = {}
    for f in findings:
        if f.rule == NOT_CHECKED:
            said.setdefault(plain(f), set()).add(f.message[: len(f.message) - len(plain(f))])
    everyone = set(prefixes)
    common = {m for m, who in said.items() if prefixes[-1] in who or who >= everyone - {prefixes[-1]}}
    out: list[Finding] = []
    done: set[str] = set()
    for f in findings:
        if f.rule == NOT_CHECKED and plain(f) in common:
            if plain(f) in done:
                continue
            done.add(plain(f))
            f = replace(
                f,
                location=replace(f.location, file=""),  # the 报表方案's, in no unit's file
                message=f"【{dept.name}（部门）及各单位】{plain(f)}",
            )
        out.append(f)
    return out


_OWN_RECORDS = ("department", "overview", "explanations", "assets", "other_notes", "project_explanation")


def _record(where: Location) -> Location:
    """The record a JSON path's field belongs to (basic[3].amount → basic[3]); other places as they are."""
    return replace(where, json_path=where.json_path.rpartition(".")[0]) if "." in where.json_path else where


def _own_place(dept: Department, where: Location) -> Location:
    """A place in the department's own file gets the file; a table's place stays as it is."""
    record = where.json_path.split(".", 1)[0].split("[", 1)[0]
    return where.in_file(dept.source.file) if record in _OWN_RECORDS else where


def _unit_places(budget: UnitBudget) -> set[Location]:
    """Where the units' own records are (JSON paths, workbook cells): findings there belong to the unit."""
    places: set[Location] = set()
    for r in (*budget.lines, *budget.three_public, *budget.performance_targets):
        places.add(r.source.where)
        places.update(r.source.fields.values())
    for t in budget.performance_targets:
        for ind in t.indicators:
            places.add(ind.source.where)
            places.update(ind.source.fields.values())
    places.discard(Location())
    return places
