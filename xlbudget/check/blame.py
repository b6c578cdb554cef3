"""Which printed figure is off, when only the document is at hand.

A sum that does not add up says that its total or one of its parts is misprinted, not which: a report
alone cannot tell whether 20103 prints 394.75 wrongly or its 2010308 395.75.  Another relation may decide
it: when 2010308's 基本支出 is misprinted, 20103 ≠ Σ 其下各项 *and* 2010308's 合计 ≠ 基本支出 + 项目支出 — one
figure, changed by one amount, would make both hold, and no other figure would.  So:

- the findings that share figures are taken together; a figure that, changed by the same amount, makes
  every one of them hold — and is the only such figure — is the figure off: each finding goes to it, with
  what it should be;
- where no figure, or more than one, would, nothing decides it: the finding says the figures disagree and
  names no 应为 (an 应为 at the total would tell the user to change what may be right).

A relation is a finding with ``against``: its ``location``'s figure should equal the sum of the figures at
``against`` (one figure for two printings of the same sum); ``actual`` and ``expected`` are those two sides.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from xlbudget.check.figures import figure, show, total_location, total_value
from xlbudget.check.findings import ERROR, Finding
from xlbudget.location import Location
from xlbudget.tables import TableSet

#: how a finding whose figures nothing decides says so
UNDECIDED = "仅凭本报告无法判断是哪一个数印错（合计或其中一项都可能），请对照原始数据核对后改正"


def printed_figures(tables: TableSet) -> dict[Location, tuple[str, int]]:
    """Every figure of the tables by where it is printed: as printed, and its table's number."""
    out: dict[Location, tuple[str, int]] = {}
    for table in tables.tables:
        for part in (table.rows, table.income):
            for row in part:
                for col in range(len(row.values)):
                    out.setdefault(table.locate(row, col), (show(figure(table, row, col)), table.number))
        for label, values in table.totals.items():
            for col in range(len(values)):
                place = total_location(table, label, col)
                out.setdefault(place, (show(total_value(table, label, col)), table.number))
    return out


@dataclass(frozen=True)
class _Relation:
    finding: Finding
    diff: Decimal  # the total less the sum of its parts, as printed

    def change(self, where: Location) -> Decimal | None:
        """By how much the figure at ``where`` must change for this relation to hold (None: not in it)."""
        if where == self.finding.location:
            return -self.diff
        if where in self.finding.against:
            return self.diff
        return None

    @property
    def places(self) -> tuple[Location, ...]:
        return (self.finding.location, *self.finding.against)


def _relation(f: Finding) -> _Relation | None:
    if f.severity != ERROR or not f.against or f.expected is None or f.actual is None:
        return None
    try:
        return _Relation(f, Decimal(f.actual) - Decimal(f.expected))
    except InvalidOperation:
        return None


def _groups(relations: list[_Relation]) -> list[list[_Relation]]:
    """The relations that share a figure, together (connected through shared figures)."""
    groups: list[list[_Relation]] = []
    for r in relations:
        touching = [g for g in groups if any(set(r.places) & set(o.places) for o in g)]
        merged = [r] + [o for g in touching for o in g]
        groups = [g for g in groups if g not in touching] + [merged]
    return groups


def _the_figure_off(group: list[_Relation]) -> tuple[Location, Decimal] | None:
    """The one figure that, changed by one amount, makes every relation of the group hold."""
    found: list[tuple[Location, Decimal]] = []
    for where in dict.fromkeys(p for r in group for p in r.places):
        changes = [r.change(where) for r in group]
        if all(c is not None for c in changes) and len(set(changes)) == 1 and changes[0] != 0:
            found.append((where, changes[0]))  # type: ignore[arg-type]
    return found[0] if len(found) == 1 else None


def _format(value: Decimal, like: str) -> str:
    places = len(like.split(".")[1]) if "." in like else 0
    return f"{value:.{places}f}"


def blame_the_figure_off(findings: Iterable[Finding], tables: TableSet) -> list[Finding]:
    """Each sum or equality that fails goes to the figure off where the other relations decide it (module
    docstring); where nothing decides it the finding keeps its place, says so and names no 应为."""
    findings = list(findings)
    relations = [r for f in findings if (r := _relation(f)) is not None]
    if not relations:
        return findings
    printed = printed_figures(tables)
    new: dict[int, Finding] = {}
    for group in _groups(relations):
        off = _the_figure_off(group) if len(group) > 1 else None
        for r in group:
            f = r.finding
            if off is None:
                new[id(f)] = replace(f, expected=None, message=f"{f.message}：{UNDECIDED}")
                continue
            where, change = off
            value, table = printed.get(where, (None, f.table))
            if value is None:
                value = f.actual if where == f.location else f.expected if f.against == (where,) else None
            if value is None:
                new[id(f)] = replace(f, expected=None, message=f"{f.message}：{UNDECIDED}")
                continue
            right = _format(Decimal(value) + change, value)
            if where == f.location:
                note = f"（与本报告其他各数对照，印错的正是此数，应为 {right}）"
            else:
                note = f"。与本报告其他各数对照，{f.location} 的 {f.actual} 无误，要改的是 {where}：{value} 应为 {right}"
            new[id(f)] = replace(
                f,
                table=table,
                location=where,
                expected=right,
                actual=value,
                against=tuple(dict.fromkeys(p for p in r.places if p != where)),
                message=f"{f.message}{note}",
            )
    return [new.get(id(f), f) for f in findings]
