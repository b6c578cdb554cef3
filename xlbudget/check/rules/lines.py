"""The budget lines themselves, before any table: what makes a table line ambiguous."""

from __future__ import annotations

from collections.abc import Iterator

from xlbudget.check.findings import WARNING, Finding
from xlbudget.check.registry import Context, rule
from xlbudget.location import Location


@rule("lines.duplicate_project", "budget")
def duplicate_project(ctx: Context) -> Iterator[Finding]:
    """Two 项目支出 lines with the same name in the same table (表12 this year, 表13 carried over) print as
    two rows no reader can tell apart, and a 绩效目标 form names its project only by name. Both rows are
    kept and counted; each repeat is reported at its name cell. (The same name in 表12 and 表13 is one
    project's money of this year and of last year: not reported.)"""
    assert ctx.budget is not None
    seen: dict[tuple[str, bool], list[Location]] = {}
    for i, p in enumerate(ctx.budget.projects):
        if not p.name:
            continue
        where = p.source.at("name") if p.source.where else Location.path(f"projects[{i}].name")
        places = seen.setdefault((p.name.strip(), p.carryover), [])
        places.append(where)
        if len(places) > 1:
            table = 13 if p.carryover else 12
            yield Finding(
                "lines.duplicate_project",
                WARNING,
                table,
                where,
                f"项目名称“{p.name}”重复（又见 {places[0]}）：表{table} 中会列为两行、分别计数，读者无法区分；"
                "若是同一项目请合并为一行，若是不同项目请在名称中加以区分",
                None,
                p.name,
            )
