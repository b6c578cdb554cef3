"""The disclosure tables, derived from the budget lines.

Every table sums the same lines (:attr:`UnitBudget.lines`) through the filters
its profile names, in exact yuan; nothing is rounded here.  So the tables agree
with each other by construction, and any difference a reader sees after the
万元 rounding is a rounding tail (尾差), never an error.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from itertools import compress
from operator import attrgetter
from typing import Any, cast

from xlbudget.catalogue import Catalogue, load_catalogue
from xlbudget.location import Location
from xlbudget.model import (
    DEFAULT_INCOME_KIND,
    FISCAL_FUNDS,
    THREE_PUBLIC_ITEMS,
    ProjectLine,
    Unit,
    UnitBudget,
)
from xlbudget.money import ZERO
from xlbudget.profiles import Profile, TableSpec, load_profile, profile_for

EMPTY_NOTE = "注：本表无数据"
TOTAL = "合计"


@dataclass(frozen=True)
class Row:
    key: str  # classification code, or the printed label
    label: str  # the printed name
    values: tuple[Decimal, ...]  # exact yuan, in column order
    level: int = 0  # 0 合计 / plain row, 1 类, 2 款, 3 项
    extra: str = ""  # 表6: the 政府预算支出经济分类 name
    # where each value was read from (表6!C12, tables.6.rows.301[0], a document's row); () if derived
    cells: tuple[Location, ...] = ()
    # each value as printed in the document it was read from ("916.53", "0.00", ""); () if derived
    printed: tuple[str, ...] = ()

    @property
    def is_zero(self) -> bool:
        return all(v == 0 for v in self.values)


def row_name(row: Row) -> str:
    """How a reader names a row: "301 工资福利支出" (its code and name, the code once), else its key."""
    if row.label and row.label != row.key:
        return row.label if row.label.split(" ", 1)[0] == row.key else f"{row.key} {row.label}"
    return row.key


@dataclass(frozen=True)
class Table:
    number: int
    label: str  # 预算公开表N
    title: str  # 2023年预算收支总表
    layout: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    # balance tables (表1, 表4) only: the income side and the footer lines
    income: tuple[Row, ...] = ()
    totals: Mapping[str, tuple[Decimal, ...]] = field(default_factory=dict)
    role: str = ""  # what the table is (profiles.ROLES); "" when not known
    column_ids: tuple[str, ...] = ()  # one per column (profiles.COLUMN_IDS); () when not known
    amount_unit: str = "万元"  # the unit its figures print in
    note: str = ""  # the empty-table note as printed (or to print)
    printing: Mapping[str, Any] = field(default_factory=dict)  # how it prints (profile data, xlbudget.grids)
    income_columns: tuple[str, ...] = ()  # balance tables: the income side's value headings, if printed
    # balance tables read from a file: where each footer figure was read from, by line (as ``totals``)
    total_cells: Mapping[str, tuple[Location, ...]] = field(default_factory=dict)
    place: Location = (
        Location()
    )  # where the table is, when read from a file (tables.6, 表6, a document's 表6)

    @property
    def where(self) -> Location:
        """Where the table is: as read from a file (``place``), else its path in a tables JSON."""
        return self.place or Location.path(f"tables.{self.number}")

    def at(self, part: str) -> Location:
        """Where a part of the table (label, title) is: in a tables JSON its path, else the table itself."""
        return self.where.field(part)

    def heading(self, column: int) -> str:
        """A column's heading as printed; "" when the table prints none for it."""
        return self.columns[column] if 0 <= column < len(self.columns) else ""

    def column(self, column_id: str) -> int | None:
        """The index of the column with this id, or None when the table has none."""
        return self.column_ids.index(column_id) if column_id in self.column_ids else None

    @property
    def empty(self) -> bool:
        """Nothing in it: published all the same, marked 注：本表无数据."""
        values = [v for r in self.rows + self.income for v in r.values]
        values += [v for vs in self.totals.values() for v in vs]
        return all(v == 0 for v in values)

    def row(self, key: str) -> Row | None:
        return next((r for r in self.rows if r.key == key), None)

    def locate(self, row: Row, column: int = 0) -> Location:
        """Where a figure is: the cell or JSON path it was read from, else the table, row and column."""
        if column < len(row.cells) and row.cells[column]:
            return row.cells[column]
        return Location(
            table=self.label or f"表{self.number}", row=row_name(row), column=self.heading(column)
        )


@dataclass(frozen=True)
class TableSet:
    unit: str
    year: int
    profile: str
    tables: tuple[Table, ...]
    catalogue_note: str | None = None
    scope: str = "unit"  # "department": a 部门's tables (its units' lines together)
    # figure cells that hold a text, as read (read as blank): (table number, the cell, the text) — the
    # checker's ``table.figure_text`` errors; a workbook's 表 sheets are derived, so this is no read failure
    texts_in_figures: tuple[tuple[int, Location, str], ...] = ()

    def __getitem__(self, number: int) -> Table:
        for t in self.tables:
            if t.number == number:
                return t
        raise KeyError(number)

    def by_role(self, role: str) -> Table | None:
        """The table with this role, or None when the set has none."""
        return next((t for t in self.tables if t.role == role), None)


# -- filters ------------------------------------------------------------------

_NAMED_INCOME = ("事业收入", "事业单位经营收入")


def _income_kind(r: Any) -> str:
    return getattr(r, "income_kind", "") or DEFAULT_INCOME_KIND


_ATOMS: dict[str, Callable[[Any], bool]] = {
    "all": lambda r: True,
    "basic": lambda r: r.kind == "basic",
    "project": lambda r: r.kind == "project",
    "this_year": lambda r: not r.carryover,
    "carryover": lambda r: r.carryover,
    "fiscal": lambda r: r.fund in FISCAL_FUNDS,
    "personnel": lambda r: r.kind == "basic" and r.is_personnel,
    "public": lambda r: r.kind == "basic" and not r.is_personnel,
    # 单位资金 by its income (Shanghai 表1/表2): 事业收入, 事业单位经营收入, and every other non-fiscal line
    "income:other": lambda r: (
        r.fund not in FISCAL_FUNDS and not (r.fund == "unit_funds" and _income_kind(r) in _NAMED_INCOME)
    ),
}


def _fund_is(fund: str) -> Callable[[Any], bool]:
    return lambda r: bool(r.fund == fund)


def _income_is(kind: str) -> Callable[[Any], bool]:
    return lambda r: bool(r.fund == "unit_funds" and _income_kind(r) == kind)


def selector(expr: str) -> Callable[[Any], bool]:
    """A profile filter ("this_year fund:general basic") → a predicate on a line."""
    tests: list[Callable[[Any], bool]] = []
    for atom in expr.split():
        if atom.startswith("fund:"):
            tests.append(_fund_is(atom[5:]))
        elif atom.startswith("income:") and atom[7:] in _NAMED_INCOME:
            tests.append(_income_is(atom[7:]))
        elif atom in _ATOMS:
            tests.append(_ATOMS[atom])
        else:
            raise ValueError(f"未知的筛选条件 “{atom}”")

    def test(r: Any) -> bool:
        return all(t(r) for t in tests)

    _BY_SIGNATURE.add(test)
    return test


# -- summing: one pass over the lines per table ---------------------------------
#
# Every atom above reads only these fields of a line, so lines that agree on them (one "signature":
# basic/project, carried over or not, fund, 人员/公用, the 单位资金 income) pass the same filters.  A table sums its lines per
# (row key, signature) in one pass, and each such sum goes to the columns its signature passes: the
# filters run once per signature, not once per line, column and row.  An atom that reads another field
# must add it here (tests/test_tables_one_pass.py compares every table with the definition).
_SIGNATURE_FIELDS = ("kind", "carryover", "fund", "is_personnel", "income_kind")
_signature = attrgetter(*_SIGNATURE_FIELDS)
_BY_SIGNATURE: weakref.WeakSet[Callable[[Any], bool]] = weakref.WeakSet()  # the predicates selector made


class _Lines(list[Any]):
    """Records with each one's signature as a number (``sigs``, in order; None when a record has none,
    as 三公 items) and one record of each signature (``reps[number]``)."""

    sigs: list[int] | None = None
    reps: list[Any]


def _signed(records: Iterable[Any]) -> _Lines:
    if isinstance(records, _Lines):
        return records
    out = _Lines(records)
    try:
        signatures = list(map(_signature, out))
    except AttributeError:
        return out
    numbers: dict[tuple[Any, ...], int] = {}
    out.sigs = [numbers.setdefault(sig, len(numbers)) for sig in signatures]
    out.reps = [None] * len(numbers)
    for r, n in zip(out, out.sigs, strict=True):
        out.reps[n] = r
    return out


_last_signed: tuple[tuple[Any, ...], tuple[Any, ...], _Lines] | None = None


def _budget_lines(budget: UnitBudget) -> _Lines:
    """``budget.lines`` signed, once per budget: every table of a build filters the same lines."""
    global _last_signed
    last = _last_signed
    if last is not None and last[0] is budget.basic and last[1] is budget.projects:
        return last[2]
    lines = _signed(budget.lines)
    _last_signed = (budget.basic, budget.projects, lines)
    return lines


def _select(budget: UnitBudget, keep: Callable[[Any], bool]) -> list[Any]:
    """The budget's lines that pass a table's filter, in order (signed, for the sums)."""
    lines = _budget_lines(budget)
    if lines.sigs is None or keep not in _BY_SIGNATURE:
        return [x for x in lines if keep(x)]
    passes = [keep(r) for r in lines.reps]
    flags = list(map(passes.__getitem__, lines.sigs))
    out = _Lines(compress(lines, flags))
    out.sigs = list(compress(lines.sigs, flags))
    out.reps = lines.reps
    return out


def _grouped(
    records: Iterable[Any], key_of: Callable[[Any], str], columns: Sequence[Callable[[Any], bool]]
) -> tuple[tuple[Decimal, ...], dict[str, tuple[Decimal, ...]]]:
    """Each column's sum of the records that pass its filter: over all records, and per key.

    Exact and independent of the order: Decimal sums of yuan amounts are not rounded.
    """
    signed = _signed(records)
    total = [ZERO] * len(columns)
    per_key: dict[str, list[Decimal]] = {}
    if signed.sigs is None or not all(c in _BY_SIGNATURE for c in columns):  # test every record
        for r in signed:
            vector = per_key.setdefault(key_of(r), [ZERO] * len(columns))
            for i, test in enumerate(columns):
                if test(r):
                    vector[i] += r.amount
                    total[i] += r.amount
        return tuple(total), {k: tuple(v) for k, v in per_key.items()}
    used = set(signed.sigs)
    passes = [
        [i for i, test in enumerate(columns) if test(r)] if n in used else []
        for n, r in enumerate(signed.reps)
    ]
    leaves: dict[tuple[str, int], Decimal] = {}
    for r, s in zip(signed, signed.sigs, strict=True):
        k = (key_of(r), s)
        leaves[k] = leaves.get(k, ZERO) + r.amount
    for (key, s), amount in leaves.items():
        vector = per_key.setdefault(key, [ZERO] * len(columns))
        for i in passes[s]:
            vector[i] += amount
            total[i] += amount
    return tuple(total), {k: tuple(v) for k, v in per_key.items()}


def _sums(records: Iterable[Any], columns: Sequence[Callable[[Any], bool]]) -> tuple[Decimal, ...]:
    """Each column's sum of the records that pass its filter."""
    return _grouped(records, _no_key, columns)[0]


def _no_key(r: Any) -> str:
    return ""


def _prefixes(code: str) -> list[str]:
    """'2010308' → ['201', '20103', '2010308']: the 类/款/项 a code rolls up into."""
    return [code[:n] for n in (3, 5, 7) if len(code) >= n]


# -- layouts ------------------------------------------------------------------


def _tree(
    records: Sequence[Any],
    code_of: Callable[[Any], str],
    name_of: Callable[[str], str | None],
    columns: Sequence[Callable[[Any], bool]],
    extra_of: Callable[[str], str] = lambda code: "",
) -> tuple[Row, ...]:
    """合计 then 类 / 款 / 项 rows, each the sum of the records under it, in code order."""
    total, by_code = _grouped(records, code_of, columns)
    nodes: dict[str, list[Decimal]] = {}
    for code, vector in by_code.items():
        for prefix in _prefixes(code):
            node = nodes.setdefault(prefix, [ZERO] * len(columns))
            for i, v in enumerate(vector):
                node[i] += v
    rows = [Row(TOTAL, TOTAL, total)]
    for code in sorted(nodes):
        rows.append(
            Row(
                code,
                name_of(code) or "",
                tuple(nodes[code]),
                level=len(code) // 2,
                extra=extra_of(code),
            )
        )
    return tuple(rows)


def _balance(spec: TableSpec, lines: Sequence[Any], cat: Catalogue, columns: list) -> Table:
    # the income lines and 上年结转 in one pass, the expenditure by 类 in another
    *received, carried = _sums(lines, [selector(f) for _, f in spec.income] + [selector("carryover")])
    income = tuple(Row(label, label, (v,)) for (label, _), v in zip(spec.income, received, strict=True))
    carry_in = (carried,)
    income_this_year = (sum((r.values[0] for r in income), ZERO),)
    spent, by_class = _grouped(lines, lambda x: x.function[:3], columns)
    nothing = tuple(ZERO for _ in columns)
    expenditure = tuple(
        Row(code, name, by_class.get(code, nothing), level=1) for code, name in cat.function_classes()
    )
    year_end = tuple(ZERO for _ in columns)  # 年终结转: a budget plans none
    totals = {
        "本年收入合计": income_this_year,
        "本年支出合计": spent,
        spec.carryover_in: carry_in,
        **{label: _sums(lines, [selector(f)]) for label, f in spec.carryover_lines},
        "年终结转": year_end,
        "收入总计": (income_this_year[0] + carry_in[0],),
        "支出总计": tuple(a + b for a, b in zip(spent, year_end, strict=True)),
    }
    return _table(spec, rows=expenditure, income=income, totals=totals)


def _three_public(spec: TableSpec, budget: UnitBudget, columns: list) -> Table:
    keep = selector(spec.filter)
    items = [t for t in budget.three_public if keep(t)]

    def by(*names: str) -> tuple[Decimal, ...]:
        return _sums([t for t in items if t.item in names], columns)

    purchase, running = THREE_PUBLIC_ITEMS[2], THREE_PUBLIC_ITEMS[3]
    rows = (
        Row(THREE_PUBLIC_ITEMS[0], THREE_PUBLIC_ITEMS[0], by(THREE_PUBLIC_ITEMS[0])),
        Row(THREE_PUBLIC_ITEMS[1], THREE_PUBLIC_ITEMS[1], by(THREE_PUBLIC_ITEMS[1])),
        Row("公务用车购置及运行费", "公务用车购置及运行费", by(purchase, running)),
        Row(f"①{purchase}", f"①{purchase}", by(purchase), level=1),
        Row(f"②{running}", f"②{running}", by(running), level=1),
        Row(TOTAL, TOTAL, by(*THREE_PUBLIC_ITEMS)),
    )
    return _table(spec, rows=rows)


def _balance_lines(spec: TableSpec, lines: Sequence[Any], cat: Catalogue, columns: list) -> Table:
    """A balance table whose profile lists its footers (``totals``): fixed income lines, one numbered
    line per 类, and only those footers.

    Shanghai's 财务收支预算总表 and 财政拨款收支预算总表: income lines at two levels (``一、财政拨款收入``
    over its ``1、`` ``2、`` ``3、`` sub-lines), so the income total adds the level-1 lines only; one
    expenditure line per 类 with money (and per ``always_classes`` 类, even without), labelled by
    ``class_label`` and numbered 一、二、… in code order; only the footers in ``spec.totals``
    (收入总计 / 支出总计), no 上年结转 or 年终结转 line.
    """
    from xlbudget.report.facts import chinese_number  # the report's numerals (facts imports this module)

    levels = spec.income_levels or (1,) * len(spec.income)
    income = tuple(
        Row(label, label, _sums(lines, [selector(f)]), level=level)
        for (label, f), level in zip(spec.income, levels, strict=True)
    )
    income_total = (sum((r.values[0] for r in income if r.level == 1), ZERO),)
    by_class: dict[str, list[Any]] = {}
    for x in lines:
        by_class.setdefault(x.function[:3], []).append(x)
    shown = sorted(
        set(spec.always_classes) | {code for code, xs in by_class.items() if any(x.amount for x in xs)}
    )
    expenditure = tuple(
        Row(
            code,
            spec.class_label.format(number=chinese_number(i + 1), name=cat.function_name(code) or ""),
            _sums(by_class.get(code, []), columns),
            level=1,
        )
        for i, code in enumerate(shown)
    )
    sides = {"income": income_total, "expenditure": _sums(lines, columns)}
    totals = {label: sides[side] for label, side in spec.totals}
    table = _table(spec, rows=expenditure, income=income, totals=totals)
    return replace(table, income_columns=spec.income_columns)


def _three_public_operating(spec: TableSpec, budget: UnitBudget) -> Table:
    """One line of figures: the “三公”经费 by item, and 机关运行经费 (Shanghai 表9).

    A column's id says what it holds: ``total`` all four items, ``abroad`` 因公出国（境）费, ``reception``
    公务接待费, ``vehicles`` 购置 + 运行维护, ``vehicle_purchase``, ``vehicle_running`` — of the
    three_public items the table's filter keeps (财政拨款); ``operating_funds`` the lines its own filter
    keeps (公用经费 of this-year basic 财政拨款 lines), and 0 for a unit without 机关运行经费
    (a public_institution, :attr:`Unit.has_operating_funds`).
    """
    keep = selector(spec.filter)
    items = [t for t in budget.three_public if keep(t)]
    abroad, reception, purchase, running = THREE_PUBLIC_ITEMS
    item_sets = {
        "total": THREE_PUBLIC_ITEMS,
        "abroad": (abroad,),
        "reception": (reception,),
        "vehicles": (purchase, running),
        "vehicle_purchase": (purchase,),
        "vehicle_running": (running,),
    }
    values = []
    for column_id, (_, expr) in zip(spec.column_ids, spec.columns, strict=True):
        if column_id == "operating_funds":
            test = selector(expr)
            if budget.units:  # a 部门: its 行政 and 参公 units' lines only
                names = {u.name for u in budget.units if u.has_operating_funds}
                values.append(sum((x.amount for x in budget.lines if test(x) and x.unit in names), ZERO))
            else:
                spent = sum((x.amount for x in budget.lines if test(x)), ZERO)
                values.append(spent if budget.unit.has_operating_funds else ZERO)
        elif column_id in item_sets:
            values.append(sum((t.amount for t in items if t.item in item_sets[column_id]), ZERO))
        else:
            raise ValueError(f"表{spec.number}：版式 three_public_operating 不认识列 “{column_id}”")
    table = _table(spec, rows=(Row("", "", tuple(values)),))
    return replace(table, columns=tuple(h.format(year=budget.year) for h in spec.headings))


def _total_last(rows: tuple[Row, ...]) -> tuple[Row, ...]:
    """The 合计 line moved to the end, as Shanghai prints its trees."""
    return tuple(r for r in rows if r.key != TOTAL) + tuple(r for r in rows if r.key == TOTAL)


def _table(spec: TableSpec, **parts: Any) -> Table:
    return Table(
        number=spec.number,
        label=spec.label,
        title=spec.title,
        layout=spec.layout,
        columns=spec.headings,
        role=spec.role,
        column_ids=spec.column_ids,
        amount_unit=spec.amount_unit,
        printing=spec.printing,
        **parts,
    )


def build_table(spec: TableSpec, budget: UnitBudget, cat: Catalogue) -> Table:
    """One table of a profile, from the budget's lines."""
    columns = [selector(f) for _, f in spec.columns]
    keep = selector(spec.filter)
    lines = _select(budget, keep)
    units = _units_of_kinds(budget, spec.unit_kinds)
    if budget.units and spec.unit_kinds:  # a 部门: only its units of those kinds count (机关运行经费)
        names = {u.name for u in units}
        lines = [x for x in lines if x.unit in names]
    if not units:
        table = _table(spec, rows=())
    elif spec.layout == "balance" and spec.totals:  # the profile lists its lines and footers (shanghai-9)
        table = _balance_lines(spec, lines, cat, columns)
    elif spec.layout == "balance":
        table = _balance(spec, lines, cat, columns)
    elif spec.layout == "three_public_operating":
        table = _three_public_operating(spec, budget)
    elif spec.layout == "function_tree":
        table = _table(spec, rows=_tree(lines, lambda x: x.function, cat.function_name, columns))
    elif spec.layout == "economic_tree":

        def gov_name(code: str) -> str:
            gov = cat.gov_economic_of(code, unit_kind=budget.unit.kind) if len(code) == 5 else None
            return gov[1] if gov else ""

        table = _table(spec, rows=_tree(lines, lambda x: x.economic, cat.economic_name, columns, gov_name))
    elif spec.layout == "three_public":
        table = _three_public(spec, budget, columns)
    elif spec.layout == "operating_funds":  # 部门合计, then one row per unit (a unit's own budget: itself)
        if budget.units:
            per_unit = [(u.name, [x for x in lines if x.unit == u.name]) for u in units]
        else:
            per_unit = [(budget.unit.name, lines)]
        table = _table(
            spec,
            rows=(
                Row("部门合计", "部门合计", _sums(lines, columns)),
                *(Row(name, name, _sums(mine, columns)) for name, mine in per_unit),
            ),
        )
    elif spec.layout == "projects":
        projects = cast("list[ProjectLine]", lines)  # a projects layout's filter selects projects
        table = _table(spec, rows=tuple(Row(p.name, p.name, _sums([p], columns)) for p in projects))
    else:  # pragma: no cover - profiles are validated on load
        raise ValueError(spec.layout)
    if spec.printing.get("total") == "last":  # the rows in printed order (and so in the export)
        table = replace(table, rows=_total_last(table.rows))
    word = "本部门" if budget.scope == "department" else "本单位"
    note = spec.empty_note.format(year=budget.year, scope=word) if table.empty else ""
    return replace(table, title=spec.title.format(year=budget.year), note=note)


def _units_of_kinds(budget: UnitBudget, kinds: tuple[str, ...]) -> tuple[Unit, ...]:
    """The units whose lines a table of these unit kinds sums (all kinds when none are named): a 部门's
    units of those kinds, or the unit itself when it is of one."""
    units = budget.units or (budget.unit,)
    return tuple(u for u in units if not kinds or u.kind in kinds)


def build_tables(
    budget: UnitBudget, profile: str | Profile | None = None, catalogue: Catalogue | None = None
) -> TableSet:
    """Every table of the profile for this unit (by default the unit's own, :func:`profile_for`;
    a :class:`Profile` of the caller's own works too).

    Pure: same budget, same tables.
    """
    chosen = profile or profile_for(budget.unit)
    spec_set = chosen if isinstance(chosen, Profile) else load_profile(chosen)
    cat = catalogue or load_catalogue(budget.year)
    return TableSet(
        unit=budget.unit.name,
        year=budget.year,
        profile=spec_set.id,
        tables=tuple(build_table(spec, budget, cat) for spec in spec_set.scoped(budget.scope).tables),
        catalogue_note=cat.note,
        scope=budget.scope,
    )
