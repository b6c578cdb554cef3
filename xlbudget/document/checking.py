"""Check a published report: every table and cross-table rule on its tables as printed, each
finding placed where a reviewer looks (the page, the row as printed)."""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

from xlbudget.check import CheckSettings, Finding, check_tables
from xlbudget.document.grid import CODE_RULE, FIGURE_RULE
from xlbudget.document.model import Document

#: Rules of reading a document (not in the checker's registry: they run before it)
DOCUMENT_RULES = MappingProxyType(
    {
        FIGURE_RULE: "表中金额格里印的不是金额：按空白（0）读，其余照常核对",
        CODE_RULE: "科目编码印错：类不是三位、款或项不是两位，或编码不在其上方所印的类/款之下（如 7 11 02、301 2）",
    }
)


def place(finding: Finding, doc: Document) -> Finding:
    """The finding with the page it is on (PDF) and the row it is about, as printed."""
    page = doc.row_pages.get(finding.location)
    if page is None and finding.table is not None and doc.pages.get(finding.table):
        page = doc.pages[finding.table][0]
    quote = finding.quote or doc.quotes.get(finding.location, "")
    return replace(finding, page=finding.page if finding.page is not None else page, quote=quote)


def reading_findings(doc: Document, settings: CheckSettings) -> list[Finding]:
    return [
        Finding(p.rule, p.severity, p.table, p.where, p.message, p.expected, p.actual, p.page, p.quote)
        for p in doc.problems
        if p.rule not in settings.skip
    ]


DEFAULT_SETTINGS = CheckSettings()


def level_of(unit: str) -> str | None:
    """The unit's level as its name says it: a 区/县 after the city is 县级 (上海市普陀区…),
    a 市 is 市级, a 省 without a 市 is 省级; None when the name names no place."""
    city = unit.find("市")
    if city >= 0:
        return "县级" if any(ch in unit[city + 1 : city + 8] for ch in "区县") else "市级"
    if "省" in unit or "自治区" in unit:
        return "省级"
    return None


def check_document(doc: Document, settings: CheckSettings = DEFAULT_SETTINGS) -> list[Finding]:
    """Every table rule on the document's tables as printed, every text rule on its paragraphs
    against those tables, and what could not be read as printed."""
    from xlbudget.check import check_text

    findings = [place(f, doc) for f in check_tables(doc.tables, settings)]
    text = check_text(
        doc.paragraphs, doc.tables, year=doc.year, unit_level=level_of(doc.unit), settings=settings
    )
    return reading_findings(doc, settings) + findings + text
