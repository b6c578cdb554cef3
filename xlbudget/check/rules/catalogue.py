"""Classification codes against the budget year's catalogue (政府收支分类科目)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace

from xlbudget.catalogue import (
    Catalogue,
    CatalogueError,
    CodeChange,
    available_years,
    changes_between,
    fate_of,
    load_catalogue,
    normalize_code,
)
from xlbudget.check.findings import ERROR, INFO, WARNING, Finding
from xlbudget.check.registry import Context, rule
from xlbudget.check.rules._util import children, code_rows, is_code, tree_tables
from xlbudget.check.rules.cross import plain_name, twin
from xlbudget.location import Location
from xlbudget.tables import Row, Table

# Names used before a rename, with the class they now print as (for a clearer message).
OLD_CLASS_NAMES = {
    "医疗卫生与计划生育支出": "210",
    "文化体育与传媒支出": "207",
    "国土海洋气象等支出": "220",
    "资源勘探信息等支出": "215",
}


def _same_name(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        return "".join(unicodedata.normalize("NFKC", s).split())

    return norm(a) == norm(b)


def _unknown(cat: Catalogue, code: str) -> tuple[str, str | None]:
    """What to add to "X 不在Y年科目表中", and the expected code: the code's removal with its
    successor when an earlier catalogue records one; else, for a compiled catalogue, that it
    may lack a new code of that year."""
    try:
        fate = fate_of(code, cat.requested_year)
    except CatalogueError:
        fate = None
    if fate is not None:
        if fate.successor:
            return f"：{fate.describe()}，应改用 {fate.successor}", fate.successor
        return f"：{fate.describe()}，科目表未给出承接科目", None
    if cat.compiled:
        return (
            f"（本软件的{cat.year}年科目表为已核实变动编成，若确为{cat.year}年新设科目，"
            f"请导入财政部《{cat.year}年政府收支分类科目》）"
        ), None
    return "", None


def _renamed(cat: Catalogue, code: str, printed: str) -> CodeChange | None:
    """The rename that made ``printed`` (an earlier catalogue's name of ``code``) out of date."""
    for earlier in sorted((y for y in available_years() if y < cat.requested_year), reverse=True):
        try:
            old = load_catalogue(earlier)
            name = old.function_name(code) or old.economic_name(code)
            if name is None or not _same_name(name, printed):
                continue
            return next(
                (c for c in changes_between(earlier, cat.requested_year, [code]) if c.kind == "renamed"), None
            )
        except CatalogueError:
            return None
    return None


def _is_economic(table: Table) -> bool:
    """表6 (部门预算支出经济分类, codes 3xx) rather than 支出功能分类 (2xx)."""
    codes = [r.key for r in code_rows(table)]
    return bool(codes) and all(c.startswith("3") for c in codes)


@rule("catalogue.unknown_code", "tables")
def unknown_code(ctx: Context) -> Iterator[Finding]:
    """Every classification code exists in the budget year's catalogue: each line's 支出功能分类 and
    部门预算支出经济分类 code, and each code row of a table as published (表6 经济分类, the others 功能分类).
    A code an earlier year's catalogue had is named with its removal and the successor where one is
    recorded (changes.csv); for a catalogue compiled from confirmed changes, the message says it may lack
    that year's new codes.  A code of the lines the tables print (after 计算) is reported once, at the cell
    (or JSON path) it was typed in, naming where the tables print it."""
    cat = ctx.catalogue
    if cat is None:
        yield Finding(
            "catalogue.unknown_code",
            WARNING,
            None,
            Location.path("year"),
            f"没有可用的{ctx.year}年科目目录，未核对科目编码和名称"
            if ctx.year
            else "报表数据没有写预算年度（year）：不知道该用哪一年的科目目录，未核对科目编码和名称，"
            "各表标题中的年度也未核对；请在报表数据中写明 year",
        )
        return
    typed: dict[tuple[bool, str], list[Finding]] = {}  # a line's code, by (economic, code): its findings
    if ctx.budget is not None:
        for line in ctx.budget.lines:
            fields = [("function", "支出功能分类", cat.function_name)]
            if line.kind == "basic":
                fields.append(("economic", "部门预算支出经济分类", cat.economic_name))
            for name, what, lookup in fields:
                code = getattr(line, name)
                if not code or lookup(code) is not None:
                    continue
                clean = normalize_code(code)
                expected: str | None
                if clean and clean != code and lookup(clean):
                    hint, expected = f"（编码含全角数字或空格，应写作 {clean}）", clean
                else:
                    hint, expected = _unknown(cat, clean or code)
                typed.setdefault((name == "economic", code), []).append(
                    Finding(
                        "catalogue.unknown_code",
                        ERROR,
                        None,
                        line.source.at(name),
                        f"{what}编码 {code} 不在{cat.year}年科目表中{hint}",
                        expected,
                        code,
                    )
                )
    printed: dict[tuple[bool, str], list[Location]] = {}
    if not ctx.derived:
        yield from _unknown_in_tables(ctx, cat, typed, printed)
    for key, found in typed.items():
        yield from _with_printed(found, printed.get(key, []))


def _with_printed(found: list[Finding], places: list[Location]) -> Iterator[Finding]:
    """A code typed into an input sheet (or a unit JSON) and printed in the tables from there: the finding
    stays at the cell it was typed in, and says where the tables print it."""
    for f in found:
        if places:
            shown = "、".join(str(p) for p in places)
            f = replace(f, message=f"{f.message}；各表按它计算，印在 {shown}")
        yield f


def _unknown_in_tables(
    ctx: Context, cat: Catalogue, typed: dict[tuple[bool, str], list[Finding]], printed: dict
) -> Iterator[Finding]:
    """The unknown codes of the tables as shown; one the lines have is reported at its input cell (``printed``
    collects where the tables print it), not once more per table."""
    for table in tree_tables(ctx.tables):
        economic = _is_economic(table)
        lookup = cat.economic_name if economic else cat.function_name
        misnumbered = {m.row.key for m in misnumbered_rows(cat, table)}
        for row in code_rows(table):
            if lookup(row.key) is None and row.key not in misnumbered:
                if (economic, row.key) in typed:
                    printed.setdefault((economic, row.key), []).append(table.locate(row, 0))
                    continue
                kind = "部门预算支出经济分类" if economic else "支出功能分类"
                hint, expected = _unknown(cat, row.key)
                yield Finding(
                    "catalogue.unknown_code",
                    ERROR,
                    table.number,
                    table.locate(row, 0),
                    f"{table.label or f'表{table.number}'} 科目编码 {row.key} 不是{cat.year}年{kind}科目{hint}",
                    expected,
                    row.key,
                )


@rule("catalogue.name_mismatch", "tables")
def name_mismatch(ctx: Context) -> Iterator[Finding]:
    """A printed 科目名称 is the catalogue's name for its code in the budget year (old names such as
    医疗卫生与计划生育支出, renamed 卫生健康支出 in 2019, are caught): 表1/表4 支出 类 names,
    code rows' names, and 表6's 政府预算支出经济分类 names."""
    cat = ctx.catalogue
    if cat is None or ctx.derived:
        return
    classes = dict(cat.function_classes())
    class_names = set(classes.values())
    for table in ctx.tables.tables:
        if table.layout == "balance":
            for row in table.rows:
                name = plain_name(row.label or row.key)  # 一、一般公共服务支出: the numbering is not the name
                if is_code(row.key) or any(_same_name(name, n) for n in class_names):
                    continue
                current = classes.get(OLD_CLASS_NAMES.get(name, ""))
                hint = f"，{cat.year}年科目表中已改为“{current}”" if current else ""
                yield Finding(
                    "catalogue.name_mismatch",
                    ERROR,
                    table.number,
                    table.locate(row, 0),
                    f"{table.label or f'表{table.number}'} 支出类别“{name}”不是{cat.year}年支出功能分类的类名称{hint}",
                    current,
                    name,
                )
            continue
        economic = _is_economic(table)
        misnumbered = {m.row.key for m in misnumbered_rows(cat, table)}
        for row in code_rows(table):
            if not row.label or row.label == row.key:
                continue
            expected = (cat.economic_name if economic else cat.function_name)(row.key)
            if expected is None or _same_name(row.label, expected):
                continue
            if row.key in misnumbered:
                continue  # catalogue.misnumbered: the code is what is wrong
            if _shortened(row.label, expected):
                yield Finding(
                    "catalogue.name_mismatch",
                    WARNING,
                    table.number,
                    table.locate(row, 0),
                    f"{table.label or f'表{table.number}'} {row.key} 印的名称“{row.label}”少了字，"
                    f"{cat.year}年科目表为“{expected}”（同一科目，名称应照科目表印）",
                    expected,
                    row.label,
                )
                continue
            rename = _renamed(cat, row.key, row.label)
            if rename is not None:
                renamed = f"（{rename.year}年起更名，这是旧名称）"
            else:
                renamed = "（旧科目名称）" if row.label in OLD_CLASS_NAMES else ""
            yield Finding(
                "catalogue.name_mismatch",
                ERROR,
                table.number,
                table.locate(row, 0),
                f"{table.label or f'表{table.number}'} {row.key} 印的名称“{row.label}”{renamed}与{cat.year}年科目表“{expected}”不符",
                expected,
                row.label,
            )
        if economic:
            for row in code_rows(table):
                if not row.extra or len(row.key) != 5:
                    continue
                gov = cat.gov_economic_of(row.key, unit_kind=ctx.unit_kind)
                if gov is None or _same_name(row.extra, gov[1]):
                    continue
                if ctx.budget is None:  # unit kind unknown: a 事业单位's correspondence is as good
                    other = cat.gov_economic_of(row.key, unit_kind="public_institution")
                    if other is not None and _same_name(row.extra, other[1]):
                        continue
                yield Finding(
                    "catalogue.name_mismatch",
                    ERROR,
                    table.number,
                    table.locate(row, 0),
                    f"{table.label or f'表{table.number}'} {row.key} {row.label} 对应的政府预算支出经济分类印为“{row.extra}”，"
                    f"科目表中为 {gov[0]}“{gov[1]}”",
                    gov[1],
                    row.extra,
                )


def _shortened(printed: str, name: str) -> bool:
    """The catalogue's name with a character or two left out (机关事业单位基本养老保险费 for
    机关事业单位基本养老保险缴费): the same subject, misprinted."""
    a = "".join(unicodedata.normalize("NFKC", printed).split())
    b = "".join(unicodedata.normalize("NFKC", name).split())
    if not 0 < len(b) - len(a) <= 2 or len(a) < 4:
        return False
    rest = iter(b)
    return all(ch in rest for ch in a)


@dataclass(frozen=True)
class Misnumbered:
    """A row whose printed name is right and whose code is not: the name is another code's under the
    same parent (``right``), or the rows under the parent are numbered 01, 02, 03 … in print order instead
    of by the catalogue (``renumbered``)."""

    row: Row
    name: str | None  # the catalogue's name of the code printed (None: no such code)
    right: str | None  # the code the printed name has in the catalogue
    renumbered: str | None  # the parent whose rows are numbered in sequence
    elsewhere: tuple[str, ...] = ()  # that name's codes in other classes (30902, 31002 办公设备购置)

    def finding(self, table: Table, year: int) -> Finding:
        row, label = self.row, table.label or f"表{table.number}"
        said = f"{label} {row.key} 印的是“{row.label}”，而{year}年科目表中" + (
            f" {row.key} 是“{self.name}”" if self.name else f"没有 {row.key}"
        )
        if self.right is not None:
            message = f"{said}：科目编码印错，“{row.label}”的编码是 {self.right}"
        else:
            bare = row.label.removesuffix("费")
            other = f"（科目表中“{bare}”是 {'、'.join(self.elsewhere)}）" if self.elsewhere else ""
            message = f"{said}；{row.key[:-2]}下没有名为“{row.label}”的科目{other}：科目编码印错，请按科目表改正编码"
        if self.renumbered is not None:
            message += f"（本表{self.renumbered}下的编码按 01、02、03…顺序编号，不是科目表的编码）"
        return Finding(
            "catalogue.misnumbered",
            ERROR,
            table.number,
            table.locate(row, 0),
            message,
            self.right,
            row.key,
        )


def misnumbered_rows(cat: Catalogue, table: Table) -> list[Misnumbered]:
    """The rows of a table whose code, not name, is wrong: a name printed under a sibling's code (咨询费
    at 30202, the catalogue's 印刷费, where 咨询费 is 30203), and — where the rows under a parent are
    numbered 01, 02, 03 … in print order and some are such rows — every other row there whose name does
    not fit its code."""
    lookup = cat.economic_name if _is_economic(table) else cat.function_name
    by_parent: dict[str, list[Row]] = {}
    for row in code_rows(table):
        parent = cat.parent(row.key)
        if parent is not None:
            by_parent.setdefault(parent, []).append(row)
    out: list[Misnumbered] = []
    for parent, rows in by_parent.items():
        siblings = cat.children(parent)
        wrong: list[tuple[Row, str | None, str | None]] = []
        for row in rows:
            name = lookup(row.key)
            if not row.label or row.label == row.key or (name is not None and _same_name(row.label, name)):
                continue
            right = (
                None  # an unknown code is catalogue.unknown_code's (with its successor), unless renumbered
            )
            if name is not None:
                right = next((c for c, n in siblings if c != row.key and _same_name(n, row.label)), None)
            wrong.append((row, name, right))
        if not any(right for _, _, right in wrong):
            continue
        numbers = [int(r.key[-2:]) for r in rows]
        sequence = len(rows) >= 3 and numbers == list(range(1, len(rows) + 1))
        for row, name, right in wrong:
            if right is None and not sequence:
                continue
            elsewhere: tuple[str, ...] = ()
            if right is None:
                bare = row.label.removesuffix("费")
                elsewhere = tuple(
                    c
                    for c, n in _table_items(cat, row.key)
                    if len(c) == len(row.key) and c[:3] != parent[:3] and _same_name(n, bare)
                )
            out.append(Misnumbered(row, name, right, parent if sequence else None, elsewhere))
    return out


def _table_items(cat: Catalogue, code: str) -> list[tuple[str, str]]:
    table = cat.function if code[:1] == "2" else cat.economic
    return list(table.items())


@rule("catalogue.misnumbered", "tables")
def misnumbered(ctx: Context) -> Iterator[Finding]:
    """A row whose printed name is the catalogue's name of another code under the same parent has its code
    misprinted, not its name (福利院 2024 表8 numbers 302's 款 01, 02, 03 … in print order: 302 02 咨询费 is
    30203); where a parent's rows are numbered so, each row there whose name does not fit its code is said
    to be misnumbered too (and not as catalogue.name_mismatch: one finding per row)."""
    cat = ctx.catalogue
    if cat is None or ctx.derived:
        return
    for table in tree_tables(ctx.tables):
        for m in misnumbered_rows(cat, table):
            yield m.finding(table, cat.year)


@rule("catalogue.code_depth", "tables")
def code_depth(ctx: Context) -> Iterator[Finding]:
    """Codes reach the level the tables need: 支出功能分类 to 项 (7 digits) for every line, 部门预算支出经济分类
    to 款 (5 digits) for every 基本支出 line; in a table as published, every innermost row is a 项 (功能分类)
    or a 款 (表6 经济分类).  With the lines: a short code of theirs is reported at its input cell only, and a row
    whose 项 the lines do give was deleted from the table (cross.tables_match_lines: 缺少 … 行)."""
    typed: dict[tuple[bool, str], list[Finding]] = {}  # a line's code, by (economic, code): its findings
    if ctx.budget is not None:
        for line in ctx.budget.lines:
            if line.function and len(line.function) != 7:
                typed.setdefault((False, line.function), []).append(
                    Finding(
                        "catalogue.code_depth",
                        ERROR,
                        None,
                        line.source.at("function"),
                        f"支出功能分类应列到项（7位），{line.function} 只到{'类' if len(line.function) == 3 else '款'}",
                        "7位",
                        line.function,
                    )
                )
            if line.kind == "basic" and line.economic and len(line.economic) != 5:
                typed.setdefault((True, line.economic), []).append(
                    Finding(
                        "catalogue.code_depth",
                        ERROR,
                        None,
                        line.source.at("economic"),
                        f"基本支出的部门预算支出经济分类应列到款（5位），{line.economic} 只到类",
                        "5位",
                        line.economic,
                    )
                )
    printed: dict[tuple[bool, str], list[Location]] = {}
    if not ctx.derived:
        yield from _short_in_tables(ctx, typed, printed)
    for key, found in typed.items():
        yield from _with_printed(found, printed.get(key, []))


def _short_in_tables(
    ctx: Context, typed: dict[tuple[bool, str], list[Finding]], printed: dict
) -> Iterator[Finding]:
    """Innermost rows of the tables as shown that stop short of a 项 (款 for 表6).  One the lines have is
    reported at its input cell; one whose rows below the lines do give was deleted from the table, which
    ``cross.tables_match_lines`` reports (缺少 … 行)."""
    derived = ctx.from_lines if ctx.budget is not None else None
    for table in tree_tables(ctx.tables):
        economic = _is_economic(table)
        depth = 5 if economic else 7
        mine = twin(derived, table) if derived is not None else None
        for row in code_rows(table):
            if len(row.key) < depth and not children(table, row) and not row.is_zero:
                if (economic, row.key) in typed:
                    printed.setdefault((economic, row.key), []).append(table.locate(row, 0))
                    continue
                if mine is not None and any(
                    len(r.key) > len(row.key) and r.key.startswith(row.key) and not r.is_zero
                    for r in code_rows(mine)
                ):
                    continue
                yield Finding(
                    "catalogue.code_depth",
                    ERROR,
                    table.number,
                    table.locate(row, 0),
                    f"{table.label or f'表{table.number}'} {row.key} 没有列到{'款' if depth == 5 else '项'}（{depth}位）的明细",
                    f"{depth}位",
                    row.key,
                )


@rule("catalogue.template_residue", "tables")
def template_residue(ctx: Context) -> Iterator[Finding]:
    """Rows for codes the unit has no lines for are template residue (the seed's 表9 printed another unit's
    20105 统计信息事务 rows). With the unit's data: a code row the unit's lines do not reach (all zero: warning;
    with figures: error — nothing backs them). Tables alone: an all-zero code row in a table that is otherwise
    empty, or whose code appears in no other table."""
    if ctx.derived:
        return
    if ctx.budget is not None:
        derived = ctx.from_lines
        for table in tree_tables(ctx.tables):
            mine = twin(derived, table)
            if mine is None:
                continue
            known = {r.key for r in mine.rows if not r.is_zero}
            for row in code_rows(table):
                if row.key in known:
                    continue
                if row.is_zero:
                    yield _residue(table, row, WARNING, "本单位没有这个科目的支出")
                else:  # figures nothing backs: a row left from a template, or the lines changed since 计算
                    yield _residue(
                        table,
                        row,
                        ERROR,
                        "按基础数据（基本支出、项目支出）本单位没有这个科目的支出",
                        "；若刚改过基础数据，请点“计算”（xlbudget fill）重新填表",
                    )
        return
    codes_by_table = {t.number: {r.key for r in code_rows(t) if not r.is_zero} for t in ctx.tables.tables}
    for table in tree_tables(ctx.tables):
        others = set().union(*(c for n, c in codes_by_table.items() if n != table.number))
        if table.empty:
            yield from _residues(table, [r for r in code_rows(table) if r.is_zero], "本表没有数据")
            continue
        for row in code_rows(table):
            if (
                row.is_zero
                and row.key not in others
                and not any(k.startswith(row.key) for k in codes_by_table.get(table.number, ()))
            ):
                yield _residue(table, row, WARNING, "其他表中也没有这个科目")


def _residues(table: Table, rows: list[Row], why: str) -> Iterator[Finding]:
    """An empty table's template rows: one warning per row where each row is a place of its own to go to (a
    workbook cell, a JSON path); in a published report, whose rows are no such place, one for the table
    naming them all, on the table's page."""
    places = [table.locate(r, 0) for r in rows]
    if len(rows) < 2 or any(p.is_cell or p.json_path for p in places):
        for row in rows:
            yield _residue(table, row, WARNING, why)
        return
    names = "、".join(_row_words(r) for r in rows)
    label = table.label or f"表{table.number}"
    yield Finding(
        "catalogue.template_residue",
        WARNING,
        table.number,
        replace(places[0], row="", column=""),
        f"{label} 的 {len(rows)} 行像是模板残留：{why}，应删去这些行：{names}",
    )


def _row_words(row: Row) -> str:
    return f"{row.key} {row.label}" if row.label and row.label != row.key else row.key


def _residue(table: Table, row: Row, severity: str, why: str, or_else: str = "") -> Finding:
    return Finding(
        "catalogue.template_residue",
        severity,
        table.number,
        table.locate(row, 0),
        f"{table.label or f'表{table.number}'} 的 {_row_words(row)} 行像是模板残留：{why}，应删去该行{or_else}",
        None,
        row.key,
    )


@rule("catalogue.fallback", "tables")
def fallback(ctx: Context) -> Iterator[Finding]:
    """The catalogue used is the budget year's own; when a part comes from an earlier year, say so (info)."""
    cat = ctx.catalogue
    if cat is not None and cat.note:
        yield Finding("catalogue.fallback", INFO, None, Location.path("year"), f"科目目录：{cat.note}")
