"""校验结果 and 设置: findings written into the workbook, offending cells marked, marks taken away.

* :func:`read_settings` — the 设置 sheet → :class:`~xlbudget.check.CheckSettings`
  (rules switched off by id, the 变动提示阈值);
* :func:`write_findings` — one row per finding under the headings of 校验结果
  (规则, 级别, 表, 位置, 说明, 应为, 实为, 原文), in one bulk write; 位置 links to the
  cell (``#'表6'!D12``); the cell itself gets a fill — light red for an error,
  light yellow for a warning or a hint;
* :func:`clear_marks` — 清除校验标记: the cells 校验结果 lists lose their fill.

The list in 校验结果 is also the record of what was marked: the next check, or
清除校验标记, takes away the fill of every cell its 位置 column names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from xlbudget.check import ERROR, RULES, SEVERITIES, WARNING, CheckSettings, Finding
from xlbudget.document.checking import DOCUMENT_RULES
from xlbudget.errors import InputError, Problem
from xlbudget.location import Location
from xlbudget.workbook import layout as L
from xlbudget.workbook.book import INFO_MARK_COLOR, MARK_COLOR, Book, Link, link_target, parse_cell

LOCATION_COL = L.FINDINGS_HEADINGS.index("位置") + 1
NO_FINDINGS = "校验通过：没有发现问题"
UNKNOWN_RULE = "settings.unknown_rule"
_SPLIT = re.compile(r"[\s,，;；、]+")


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


# -- 设置 ------------------------------------------------------------------------------


def read_settings(book: Book) -> tuple[CheckSettings, list[Finding]]:
    """The user's choices on 设置, and a warning for each rule id there that does not exist.

    Rows from 2: ``变动提示阈值（%）`` with a number in B (blank = the checker's
    default); ``关闭的规则`` with a rule id in B, continued in B of the rows below
    whose A is blank (several ids in one cell may be separated by commas or spaces).
    """
    if L.SETTINGS_SHEET not in book.sheet_names():
        return CheckSettings(), []
    rows = book.read(L.SETTINGS_SHEET)
    threshold = CheckSettings().change_threshold
    skip: list[tuple[str, int]] = []  # (rule id, row)
    in_disabled = False
    for r, row in enumerate(rows[1:], start=2):
        label = _text(row[0] if row else None)
        value = row[1] if len(row) > 1 else None
        cell = L.cell_name(r, 2, L.SETTINGS_SHEET)
        if label == L.SETTINGS_THRESHOLD_LABEL:
            in_disabled = False
            if _text(value):
                try:
                    threshold = Decimal(_text(value).rstrip("%％"))
                except InvalidOperation:
                    raise InputError(
                        [Problem(cell, f"变动提示阈值应为百分数（如 10），不是 “{_text(value)}”")]
                    ) from None
                if threshold < 0:
                    raise InputError([Problem(cell, f"变动提示阈值不能为负数：{_text(value)}")])
            continue
        if label == L.SETTINGS_DISABLED_LABEL:
            in_disabled = True
        elif label:
            in_disabled = False
        if in_disabled:
            skip += [(rule, r) for rule in _SPLIT.split(_text(value)) if rule]
    unknown = [
        Finding(
            UNKNOWN_RULE,
            WARNING,
            None,
            Location.cell(L.SETTINGS_SHEET, r, 2),
            f"“设置”中关闭的规则 “{rule}” 不存在，已忽略；规则编号见“校验结果”的“规则”列",
            None,
            rule,
        )
        for rule, r in skip
        if rule not in RULES and rule not in DOCUMENT_RULES
    ]
    return CheckSettings(skip=frozenset(r for r, _ in skip), change_threshold=threshold), unknown


# -- 校验结果 ---------------------------------------------------------------------------


def _marked_cells(book: Book, rows: Sequence[Sequence[Any]]) -> dict[str, set[tuple[int, int]]]:
    names = set(book.sheet_names())
    out: dict[str, set[tuple[int, int]]] = {}
    for row in rows:
        where = parse_cell(_text(row[LOCATION_COL - 1] if len(row) >= LOCATION_COL else None))
        if where and where[0] in names and where[0] != L.FINDINGS_SHEET:
            out.setdefault(where[0], set()).add((where[1], where[2]))
    return out


def clear_marks(book: Book) -> int:
    """清除校验标记: every cell the 校验结果 list names gets its own fill back; returns how many.

    A cell to type in gets its light input fill back (:func:`layout.input_fill`), any other
    cell no fill.
    """
    if L.FINDINGS_SHEET not in book.sheet_names():
        return 0
    rows = book.read(L.FINDINGS_SHEET)[1:]
    n = 0
    for sheet, cells in sorted(_marked_cells(book, rows).items()):
        shown = book.read(sheet) if sheet in L.INPUT_SHEETS or sheet == L.SETTINGS_SHEET else []
        headings = list(shown[0]) if shown else []
        by_fill: dict[str | None, list[tuple[int, int]]] = {}
        for r, c in sorted(cells):
            label = shown[r - 1][0] if r - 1 < len(shown) and shown[r - 1] else None
            by_fill.setdefault(L.input_fill(sheet, headings, label, r, c), []).append((r, c))
        for fill, group in sorted(by_fill.items(), key=lambda kv: kv[0] or ""):
            book.mark(sheet, group, fill)
        n += len(cells)
    return n


def _cell(f: Finding) -> tuple[str, int, int] | None:
    where = f.location
    return (where.sheet, where.cell_row, where.cell_col) if where.is_cell and not where.file else None


def finding_row(f: Finding, sheets: Iterable[str]) -> list[Any]:
    """One line of 校验结果; 位置 is a link when it names a cell of the workbook.  A finding on a
    report (校验Word报告) says its page and paragraph or table row (第3页 · …) and its sentence under 原文."""
    where = _cell(f)
    location: Any = f.location.text()
    if where and where[0] in set(sheets):
        location = Link(link_target(*where), location)
    return [
        f.rule,
        SEVERITIES.get(f.severity, f.severity),
        f"表{f.table}" if f.table else None,
        location,
        f.message,
        f.expected,
        f.actual,
        f.quote or None,
    ]


def write_findings(book: Book, findings: Sequence[Finding]) -> dict[str, int]:
    """Replace 校验结果 with these findings (one bulk write) and mark their cells.

    The marks of the previous check go first.  Returns the count by severity.
    """
    if L.FINDINGS_SHEET not in book.sheet_names():
        book.add_sheet(L.FINDINGS_SHEET)
        book.write(L.FINDINGS_SHEET, (1, 1), [list(L.FINDINGS_HEADINGS)])
    clear_marks(book)
    old = book.read(L.FINDINGS_SHEET)
    if not old or list(old[0][: len(L.FINDINGS_HEADINGS)]) != list(L.FINDINGS_HEADINGS):
        book.write(L.FINDINGS_SHEET, (1, 1), [list(L.FINDINGS_HEADINGS)])  # a workbook of before 原文
    sheets = book.sheet_names()
    width = len(L.FINDINGS_HEADINGS)
    rows = [finding_row(f, sheets) for f in findings] or [[None] * 4 + [NO_FINDINGS] + [None] * (width - 5)]
    rows += [[None] * width for _ in range(max(0, len(old) - 1 - len(rows)))]
    book.write(L.FINDINGS_SHEET, (2, 1), rows)

    colour: dict[tuple[str, int, int], str] = {}
    names = set(sheets)
    for f in findings:
        where = _cell(f)
        if not where or where[0] not in names or where[0] == L.FINDINGS_SHEET:
            continue
        if f.severity == ERROR or where not in colour:
            colour[where] = MARK_COLOR if f.severity == ERROR else INFO_MARK_COLOR
    by: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for (sheet, r, c), col in colour.items():
        by.setdefault((sheet, col), []).append((r, c))
    for (sheet, col), cells in sorted(by.items()):
        book.mark(sheet, sorted(cells), col)

    counts = {s: 0 for s in SEVERITIES}
    for f in findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    return counts
