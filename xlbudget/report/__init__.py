"""The report: 情况说明 facts and the whole disclosure as a Word document (and PDF).

from xlbudget.report import write_report, narrative, ReportResult
"""

from xlbudget.report.facts import Narrative, Paragraph, Section, narrative
from xlbudget.report.render import ReportResult, TemplateError, render_docx, write_report

__all__ = [
    "Narrative",
    "Paragraph",
    "ReportResult",
    "Section",
    "TemplateError",
    "narrative",
    "render_docx",
    "write_report",
]
