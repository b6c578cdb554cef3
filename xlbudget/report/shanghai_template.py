"""The Shanghai report in Word: its default template (made with python-docx, as
:mod:`xlbudget.report.template` makes the Shanxi one) and its rendering.

``python docx_templates/build_templates.py`` writes the template to ``docx_templates/shanghai.docx``,
the committed file a person edits in Word.  It holds docxtpl placeholders only; every sentence and
figure comes from :mod:`xlbudget.report.shanghai`.

Placeholders: cover_title, cover_line, contents[]{level, text}, parts[]{heading, paragraphs[]{text,
style}, marker}.  The contents list the parts and tables as the Shanghai reports do: dotted leaders,
no page numbers.

The page is the Shanghai reports' own: every page of the three real ones in ``../shared/real/`` —
cover, 目录, the text parts and the tables alike — is A4 landscape, text and tables about 257 mm wide
between margins of some 20 mm.  So the template is one A4 landscape section (no section breaks, so no
page left blank by one); the tables fill its text width (:func:`xlbudget.report.word_tables.text_width_mm`)
in 12 pt type, as those reports set them (10–12 pt), and are measured in it (``word_tables.cell_pt``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.shared import Mm, Pt

from xlbudget.model import UnitBudget
from xlbudget.report.shanghai import ShanghaiReport
from xlbudget.report.template import (
    BODY_PT,
    FANGSONG,
    HEITI,
    KAITI,
    LINE_PT,
    SONGTI,
    XIAOBIAOSONG,
    base_document,
    page_number_footer,
    paragraph_style,
    set_fonts,
    table_styles,
)

TEMPLATE_NAME = "shanghai.docx"
TABLES_MARKER = "〔xlbudget:上海预算表〕"

# A4 landscape, as the real Shanghai reports print every page
PAGE_W_MM, PAGE_H_MM = 297, 210
TOP_MM, BOTTOM_MM, LEFT_MM, RIGHT_MM = 25, 25, 20, 20
TEXT_WIDTH_MM = PAGE_W_MM - LEFT_MM - RIGHT_MM  # 257 mm
CELL_PT, CELL_LINE_PT = 12, 18  # the tables' text: 10–12 pt in the real prints


def build(out: str | Path) -> Path:
    """Write the default Shanghai template to ``out``."""
    out = Path(out)
    doc = base_document()
    for name, indent in (("目录条目", 0), ("目录子条目", 28)):
        # 22 pt lines: a 部门's 7 parts and 9 tables on the one landscape page, as printed
        st = paragraph_style(doc, name, east=FANGSONG, size=14, align=WD_ALIGN_PARAGRAPH.LEFT, line_exact=22)
        st.paragraph_format.tab_stops.add_tab_stop(
            Mm(TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
        )
        if indent:
            st.paragraph_format.left_indent = Pt(indent)
    paragraph_style(
        doc, "Heading 1", east=XIAOBIAOSONG, size=22, align=WD_ALIGN_PARAGRAPH.CENTER, after=18,
        keep_next=True, page_break_before=True, line_exact=40,
    )  # fmt: skip
    paragraph_style(
        doc, "Heading 2", east=HEITI, size=BODY_PT, indent_chars=2, line_exact=LINE_PT, keep_next=True
    )
    paragraph_style(
        doc, "Heading 3", east=KAITI, size=BODY_PT, indent_chars=2, line_exact=LINE_PT, keep_next=True
    )
    # the tables (xlbudget.report.word_tables writes them with these styles)
    # the tables' cells in 小四 (12 pt) with air above and below, as the real reports set them
    table_styles(doc, TEXT_WIDTH_MM, cell_pt=CELL_PT, cell_line_pt=CELL_LINE_PT)
    paragraph_style(doc, "页码", east=SONGTI, size=14, align=WD_ALIGN_PARAGRAPH.RIGHT, base=None)
    set_fonts(doc.styles["页码"].element, SONGTI, latin=SONGTI)

    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(PAGE_W_MM), Mm(PAGE_H_MM)
    section.top_margin, section.bottom_margin = Mm(TOP_MM), Mm(BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(LEFT_MM), Mm(RIGHT_MM)
    section.header_distance, section.footer_distance = Mm(12), Mm(12)
    section.different_first_page_header_footer = True  # no number on the cover
    doc.settings.odd_and_even_pages_header_footer = True
    page_number_footer(doc, section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    page_number_footer(doc, section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)

    body = doc.add_paragraph
    # the cover: the title about a quarter down the landscape page, the 预算单位 line below it
    for _ in range(2):
        body("", "公文标题")
    body("{{ cover_title }}", "公文标题")
    for _ in range(4):
        body("", "封面落款")
    body("{{ cover_line }}", "封面落款")

    # 目   录: the entries as text, each ending in a tab (dotted leader to the margin, no page number)
    p = body("目   录", "目录标题")
    p.paragraph_format.page_break_before = True
    body("{%p for e in contents %}", "目录条目")
    body("{%p if e.level == 1 %}", "目录条目")
    _entry(body("{{ e.text }}", "目录条目"))
    body("{%p else %}", "目录条目")
    _entry(body("{{ e.text }}", "目录子条目"))
    body("{%p endif %}", "目录条目")
    body("{%p endfor %}", "目录条目")

    # the parts
    body("{%p for part in parts %}")
    body("{%p if part.heading %}")
    body("{{ part.heading }}", "Heading 1")
    body("{%p endif %}")
    body("{%p for para in part.paragraphs %}")
    body("{%p if para.style == 'sub' %}")
    body("{{ para.text }}", "Heading 2")
    body("{%p else %}")
    body("{{ para.text }}")
    body("{%p endif %}")
    body("{%p endfor %}")
    body("{%p if part.marker %}")
    body("{{ part.marker }}", "表注")
    body("{%p endif %}")
    body("{%p endfor %}")

    cp = doc.core_properties
    cp.title = "上海市单位预算模板"
    cp.author = "xlbudget"
    cp.comments = "由 docx_templates/build_templates.py 生成；占位符由 xlbudget.report 填写。"
    cp.language = "zh-CN"
    doc.save(str(out))
    return out


def _entry(p) -> None:
    """A tab after the entry's text: the style's dotted leader runs to the right margin."""
    p.add_run()._r.append(OxmlElement("w:tab"))


def context(report: ShanghaiReport) -> dict[str, Any]:
    """Everything the Shanghai template places, all computed by :mod:`xlbudget.report.shanghai`."""
    return {
        "cover_title": report.cover_title,
        "cover_line": report.cover_line,
        "contents": [{"level": level, "text": text} for level, text in report.contents],
        "parts": [
            {
                "heading": p.heading,
                "paragraphs": [{"text": para.text, "style": para.style} for para in p.paragraphs],
                "marker": TABLES_MARKER if p.tables else "",
            }
            for p in report.parts
        ],
    }


def page_break(doc):
    """An empty paragraph ending in a page break (the tables start a page: the first carries none)."""
    end = doc.add_paragraph()
    end.add_run().add_break(WD_BREAK.PAGE)
    return end._p


def report_title(budget: UnitBudget, report: ShanghaiReport) -> str:
    return (
        report.cover_title
        if budget.unit.name in report.cover_title
        else f"{budget.unit.name}{report.cover_title}"
    )
