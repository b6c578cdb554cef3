"""Check a published report: every table and cross-table rule on its tables as printed, each
finding placed where a reviewer looks (the page, the row as printed)."""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

from xlbudget.check import CheckSettings, Finding, check_tables
from xlbudget.check.findings import WARNING
from xlbudget.document.model import Document

FIGURE_RULE = "document.figure"
#: Rules of reading a document (not in the checker's registry: they run before it)
DOCUMENT_RULES = MappingProxyType({FIGURE_RULE: "表中金额格里印的不是金额：按空白（0）读，其余照常核对"})


def place(finding: Finding, doc: Document) -> Finding:
    """The finding with the page it is on (PDF) and the row it is about, as printed."""
    page = doc.row_pages.get(finding.location)
    if page is None and finding.table is not None and doc.pages.get(finding.table):
        page = doc.pages[finding.table][0]
    quote = finding.quote or doc.quotes.get(finding.location, "")
    return replace(finding, page=finding.page if finding.page is not None else page, quote=quote)


def reading_findings(doc: Document, settings: CheckSettings) -> list[Finding]:
    if FIGURE_RULE in settings.skip:
        return []
    out = []
    for where, page, message in doc.problems:
        number = where[1:].split(" ", 1)[0] if where.startswith("表") else ""
        out.append(
            Finding(
                FIGURE_RULE,
                WARNING,
                int(number) if number.isdigit() else None,
                where,
                message,
                page=page,
            )
        )
    return out


DEFAULT_SETTINGS = CheckSettings()


def check_document(doc: Document, settings: CheckSettings = DEFAULT_SETTINGS) -> list[Finding]:
    """Every table rule on the document's tables as printed, and what could not be read as printed."""
    findings = [place(f, doc) for f in check_tables(doc.tables, settings)]
    return reading_findings(doc, settings) + findings
