"""Check a published report: every table and cross-table rule on its tables as printed, each
finding placed where a reviewer looks (the page, the row as printed)."""

from __future__ import annotations

import re
from dataclasses import replace
from types import MappingProxyType
from typing import TYPE_CHECKING

from xlbudget.check import ERROR, SEVERITIES, WARNING, CheckSettings, Finding, check_tables
from xlbudget.check.blame import blame_the_figure_off
from xlbudget.check.runner import at_the_figure_off_the_lines
from xlbudget.document.build import squash, title_key
from xlbudget.document.grid import CODE_RULE, FIGURE_RULE
from xlbudget.document.model import Document
from xlbudget.location import Location
from xlbudget.tables import TableSet

if TYPE_CHECKING:
    from xlbudget.model import UnitBudget

OTHER_UNIT_RULE = "document.other_unit"
CONTENTS_RULE = "document.contents"
LINES_RULE = "cross.tables_match_lines"

#: Rules of reading a document (not in the checker's registry: they run before it)
DOCUMENT_RULES = MappingProxyType(
    {
        FIGURE_RULE: "表中金额格里印的不是金额：按空白（0）读，其余照常核对",
        CODE_RULE: "科目编码印错：类不是三位、款或项不是两位，或编码不在其上方所印的类/款之下（如 7 11 02、301 2）",
        OTHER_UNIT_RULE: "报告的单位或年度不是工作簿的（校验Word报告）：数字未与工作簿核对",
        CONTENTS_RULE: "目录与正文不符：目录列出的部分或表，文中没有；文中的部分或表，目录没有列出",
    }
)


def place(finding: Finding, doc: Document) -> Finding:
    """The finding with the page it is on (PDF) and the row it is about, as printed."""
    where = finding.location
    if where.page is None and finding.table is not None and doc.pages.get(finding.table):
        where = replace(where, page=doc.pages[finding.table][0])
    quote = finding.quote or doc.quotes.get(finding.location, "")
    return replace(finding, location=where, quote=quote)


def reading_findings(doc: Document, settings: CheckSettings) -> list[Finding]:
    found = [
        Finding(p.rule, p.severity, p.table, p.where, p.message, p.expected, p.actual, p.quote)
        for p in doc.problems
        if p.rule not in settings.skip
    ]
    if CONTENTS_RULE not in settings.skip:
        found += contents_findings(doc)
    return found


_TABLE_ENTRY = re.compile(r"^\s*\d+\s*[.．、]\s*")
_PART_ENTRY = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分)")


def contents_findings(doc: Document) -> list[Finding]:
    """The contents page against what the document holds (warnings): each part it lists is a part of the
    text, each table it lists (1. 2024年…预算总表) a table printed; each part and table printed is listed.
    The entry for the tables' own part (五、单位预算表, 第二部分 …报表) stands for the tables."""
    if not doc.contents:
        return []
    out: list[Finding] = []
    where = Location(note="目录")

    def warn(message: str, quote: str) -> None:
        out.append(Finding(CONTENTS_RULE, WARNING, None, where, message, None, None, quote=quote))

    printed = {title_key(t): n for n, t in doc.titles.items()}
    parts = list(dict.fromkeys(squash(p.part) for p in doc.paragraphs if p.part))  # in reading order
    headings = {*parts, *(squash(p.section) for p in doc.paragraphs if p.section)}
    listed_tables: set[str] = set()
    listed_parts: set[str] = set()
    for entry in doc.contents:
        if _TABLE_ENTRY.match(entry):
            key = title_key(_TABLE_ENTRY.sub("", entry))
            listed_tables.add(key)
            if printed and key not in printed:
                warn(f"目录列出“{entry.strip()}”，文中没有这张表", entry.strip())
        elif _PART_ENTRY.match(entry):
            bare = squash(entry)
            listed_parts.add(bare)
            if bare in headings or (re.search(r"(预算表|报表)$", bare) and doc.tables.tables):
                continue
            warn(f"目录列出“{entry.strip()}”，文中没有这一部分", entry.strip())
    if listed_parts:
        for part in parts:
            if part not in listed_parts:
                warn(f"文中有“{part}”，目录没有列出", part)
    if listed_tables:
        for key, n in printed.items():
            if key not in listed_tables:
                warn(f"文中有表{n}《{doc.titles[n]}》，目录没有列出", doc.titles[n])
    return out


DEFAULT_SETTINGS = CheckSettings()


def level_of(unit: str) -> str | None:
    """The unit's level as its name says it: a 区 after the city is 区级 (上海市普陀区…), a 县 县级,
    a 市 is 市级, a 省 without a 市 is 省级; None when the name names no place."""
    city = unit.find("市")
    if city >= 0:
        after = unit[city + 1 : city + 8]
        places = [i for i in (after.find("区"), after.find("县")) if i >= 0]
        if not places:
            return "市级"
        return "区级" if after[min(places)] == "区" else "县级"
    if "省" in unit or "自治区" in unit:
        return "省级"
    return None


def as_meant(doc: Document) -> TableSet:
    """The tables as printed, each row whose code is misprinted (``document.code_misprint`` with the code
    it stands for: 7 11 02 under 210 11 → 2101102, 301 2 → 30102) read under that code, so the misprint is
    its one finding: the sums, the other tables and the catalogue see the row where it is printed."""
    fixes = {(p.table, p.where): p.expected for p in doc.problems if p.rule == CODE_RULE and p.expected}
    if not fixes:
        return doc.tables
    tables = []
    for t in doc.tables.tables:
        rows = tuple(
            replace(r, key=code, level=len(code) // 2)
            if r.cells and (code := fixes.get((t.number, r.cells[0]))) is not None
            else r
            for r in t.rows
        )
        tables.append(replace(t, rows=rows))
    return replace(doc.tables, tables=tuple(tables))


def check_document(
    doc: Document,
    settings: CheckSettings = DEFAULT_SETTINGS,
    unit_level: str | None = None,
    *,
    alone: bool = True,
    budget: UnitBudget | None = None,
) -> list[Finding]:
    """Every table rule on the document's tables as printed (a misprinted code read as the code it stands
    for: :func:`as_meant`), every text rule on its paragraphs against those tables, and what could not be
    read as printed.  ``unit_level``: the unit's level when the caller knows it (a workbook's 单位信息),
    else as the unit's name says it.  ``alone``: nothing but the document says which figure of a sum that
    does not add up is off (:mod:`xlbudget.check.blame`); False when the caller has the unit's lines to say it.
    ``budget``: the unit's data, for the text's changes against last year (its 上年数)."""
    from xlbudget.check import check_text

    tables = as_meant(doc)
    found = check_tables(tables, settings)
    if alone:
        found = blame_the_figure_off(found, tables)
    findings = [place(f, doc) for f in found]
    level = unit_level or level_of(doc.unit)
    text = check_text(
        doc.paragraphs, tables, year=doc.year, unit_level=level, settings=settings, budget=budget
    )
    return reading_findings(doc, settings) + findings + text


def _squashed(text: str) -> str:
    return "".join(text.split())


def check_against_budget(
    doc: Document,
    budget: UnitBudget,
    settings: CheckSettings = DEFAULT_SETTINGS,
    derived: TableSet | None = None,
) -> list[Finding]:
    """A report checked as :func:`check_document` does, and against the unit's own data (the
    workbook the report was made from, after staff edited the report): every figure of its tables
    is the figure the unit's lines sum to, at the precision printed (``cross.tables_match_lines``,
    each finding at the table, row and column as printed, the row quoted).  A report of another unit
    or year is said so (``document.other_unit``) and checked on its own, its figures not compared (a report
    that prints no unit name or no year is taken to be the workbook's).
    ``derived``: ``build_tables(budget)`` when the caller has it.  Errors first."""
    from xlbudget.check.registry import Context, registry

    other_year = bool(doc.year) and doc.year != budget.year
    same = not other_year and (not doc.unit or _squashed(doc.unit) == _squashed(budget.unit.name))
    lines = same and LINES_RULE not in settings.skip
    findings = check_document(
        doc,
        settings,
        unit_level=(budget.unit.level or None) if same else None,
        alone=not lines,
        budget=budget if same else None,
    )
    if not same:
        printed = f"{doc.unit or budget.unit.name}{doc.year or budget.year}年"
        if OTHER_UNIT_RULE not in settings.skip:
            findings.insert(
                0,
                Finding(
                    OTHER_UNIT_RULE,
                    ERROR,
                    None,
                    Location(file=doc.path),
                    f"这份报告是{printed}的，本工作簿是{budget.unit.name}{budget.year}年的：报告中的数字未与工作簿核对",
                    f"{budget.unit.name}{budget.year}年",
                    printed,
                ),
            )
    elif LINES_RULE not in settings.skip:
        ctx = Context(
            tables=as_meant(doc), budget=budget, settings=settings, derived=False, lines_tables=derived
        )
        check = registry()[LINES_RULE].check
        assert check is not None
        findings = at_the_figure_off_the_lines(findings + [place(f, doc) for f in check(ctx)])
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(findings, key=lambda f: order.get(f.severity, len(order)))
