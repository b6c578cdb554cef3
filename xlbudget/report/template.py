"""The default Word template of the 单位预算公开报告, made with python-docx.

``python docx_templates/build_templates.py`` writes it to ``docx_templates/report.docx``,
the committed template a person edits afterwards in Word or WPS: styles (fonts,
sizes, spacing), page setup, the title page and the fixed words.  It holds only
docxtpl placeholders; every figure and sentence comes from :mod:`xlbudget.report`.
Rebuilding overwrites manual edits, so after a hand edit commit the .docx and
leave this module as the record of how the first version was made.  An
installed package without the project folder builds this default on first use
(:func:`xlbudget.report.render.default_template`).

Layout after GB/T 9704-2012 (党政机关公文格式): A4; margins top 37 mm,
bottom 35 mm, left 28 mm, right 26 mm; title 2号 (22 pt) 方正小标宋简体; body
3号 (16 pt) 仿宋_GB2312 at 28 pt exact line spacing; 一、 headings 黑体,
（一） headings 楷体_GB2312, 1、 headings 仿宋 bold; page numbers "— N —" in
4号 宋体, odd pages right, even pages left.  East Asian fonts are set on every
style (w:eastAsia) with Latin fonts beside them, the font table names a
fallback (w:altName) for each Chinese font, and the language is zh-CN.

Placeholders (the context :func:`xlbudget.report.render.context` supplies):
report_title, unit_name, year, overview{intro, duties, organization}, toc[],
tables_marker, part3_title, sections[]{heading, paragraphs[]{text, style},
charts[]{image, caption}, forms_marker}, glossary[].
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

LATIN = "Times New Roman"
FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
SONGTI = "宋体"

# Chinese font → (w:altName fallback, panose-1) for the font table.
FONT_FALLBACKS = {
    FANGSONG: ("仿宋", "02010609030101010101"),
    KAITI: ("楷体", "02010609030101010101"),
    XIAOBIAOSONG: ("宋体", "02000000000000000000"),
    HEITI: ("SimHei", "02010609060101010101"),
    SONGTI: ("SimSun", "02010600030101010101"),
}

TEXT_WIDTH_MM = 210 - 28 - 26  # 156 mm
BODY_PT = 16  # 3号
LINE_PT = 28


# -- low-level helpers --------------------------------------------------------


def set_fonts(rpr_owner, east_asian: str, latin: str = LATIN) -> None:
    """Set ascii/hAnsi/eastAsia/cs fonts on a style or run, dropping theme fonts; zh-CN language."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        if attr.endswith("Theme"):
            del fonts.attrib[attr]
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:hint"), "eastAsia")
    for colour in rpr.findall(qn("w:color")):
        rpr.remove(colour)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def first_line_chars(style, chars: int, size_pt: float) -> None:
    """First-line indent of N characters (w:firstLineChars, with the twips value for older readers)."""
    ppr = style.element.get_or_add_pPr()
    ind = ppr.get_or_add_ind()  # python-docx puts it in schema order
    for attr in list(ind.attrib):
        del ind.attrib[attr]
    if chars:
        ind.set(qn("w:firstLineChars"), str(chars * 100))
        ind.set(qn("w:firstLine"), str(int(chars * size_pt * 20)))
    else:
        ind.set(qn("w:firstLine"), "0")
        ind.set(qn("w:firstLineChars"), "0")
        ind.set(qn("w:left"), "0")


def paragraph_style(
    doc,
    name: str,
    *,
    east: str,
    size: float,
    align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    bold: bool = False,
    indent_chars: int = 0,
    line_exact: float | None = None,
    before: float = 0,
    after: float = 0,
    keep_next: bool = False,
    page_break_before: bool = False,
    base: str | None = "Normal",
):
    styles = doc.styles
    style = (
        styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    )
    if base and name != base:
        style.base_style = styles[base]
    style.quick_style = True
    style.hidden = False
    font = style.font
    font.size = Pt(size)
    font.bold = bold
    font.italic = False
    set_fonts(style.element, east)
    pf = style.paragraph_format
    pf.alignment = align
    if line_exact:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(line_exact)
    else:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    pf.keep_with_next = keep_next
    pf.page_break_before = page_break_before
    pf.widow_control = True
    first_line_chars(style, indent_chars, size)
    # no borders (the default Title style draws one)
    ppr = style.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)
    return style


def add_field(paragraph, instruction: str, placeholder: str = "1") -> None:
    """A complete field (begin, instruction, separate, cached result, end) in one paragraph."""

    def fld(kind: str):
        run = paragraph.add_run()
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        run._r.append(el)
        return run

    fld("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    fld("separate")
    paragraph.add_run(placeholder)
    fld("end")


def field_char(paragraph, kind: str, instruction: str | None = None) -> None:
    run = paragraph.add_run()
    el = OxmlElement("w:fldChar")
    el.set(qn("w:fldCharType"), kind)
    run._r.append(el)
    if instruction:
        r2 = paragraph.add_run()
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = f" {instruction} "
        r2._r.append(instr)
        r3 = paragraph.add_run()
        sep = OxmlElement("w:fldChar")
        sep.set(qn("w:fldCharType"), "separate")
        r3._r.append(sep)


def page_number_footer(doc, footer, align) -> None:
    p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    p.style = doc.styles["页码"]
    p.alignment = align
    p.add_run("— ")
    add_field(p, "PAGE")
    p.add_run(" —")
    # 单页码居右空一字，双页码居左空一字
    ind = p._p.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:right" if align == WD_ALIGN_PARAGRAPH.RIGHT else "w:left"), "280")


def add_fallback_fonts(doc) -> None:
    """Font-table entries naming a fallback (w:altName) and the GB2312 charset for each Chinese font."""
    part = next(p for p in doc.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
    from lxml import etree

    # a template may come from anyone: no entity expansion, no network
    root = etree.fromstring(part.blob, etree.XMLParser(resolve_entities=False, no_network=True))
    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    for name, (alt, panose) in FONT_FALLBACKS.items():
        for old in root.findall(f"w:font[@w:name='{name}']", ns):
            root.remove(old)
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        for tag, attr, value in (
            ("w:altName", "w:val", alt),
            ("w:panose1", "w:val", panose),
            ("w:charset", "w:val", "86"),
            ("w:family", "w:val", "modern" if name == HEITI else "roman"),
            ("w:pitch", "w:val", "variable"),
        ):
            el = etree.SubElement(font, qn(tag))
            el.set(qn(attr), value)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def doc_defaults(doc) -> None:
    """Document defaults: 仿宋_GB2312 / Times New Roman, zh-CN."""
    styles_el = doc.styles.element
    rpr_default = styles_el.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    rpr = rpr_default.find(qn("w:rPr"))

    class _Owner:
        def get_or_add_rPr(self):
            return rpr

    set_fonts(_Owner(), FANGSONG)


WORD_2013 = "15"  # compatibilityMode of Word 2013 and later: no Compatibility Mode banner
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
THUMBNAIL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"
EXTENDED_PROPERTIES = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties"
)
# docProps/app.xml: python-docx's template says "Microsoft Macintosh Word", 1 page, 0 words;
# Word recounts on save, so the document says only what wrote it.
APP_XML = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    b"<Application>xlbudget</Application><DocSecurity>0</DocSecurity></Properties>"
)


def settings(doc) -> None:
    """zh-CN theme language, and what :func:`current_word` makes of the package."""
    lang = doc.settings.element.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
    current_word(doc)


def current_word(doc) -> None:
    """A document Word opens as its own, without questions (template and report alike).

    Current compatibility mode (15, not python-docx's default 14); no
    ``w:updateFields`` and no dirty fields, so no "update the fields?" prompt on
    every open (the contents are written out as text; see :mod:`xlbudget.report.render`);
    no ``stylesWithEffects`` part (Word 2010's copy of the styles, stale once the
    styles change: a repair trigger) and no thumbnail of python-docx's own template.
    """
    s = doc.settings.element
    for el in s.findall(qn("w:updateFields")):
        s.remove(el)
    modes = [el for el in s.iter(qn("w:compatSetting")) if el.get(qn("w:name")) == "compatibilityMode"]
    if not modes:  # (a template from elsewhere without one would open in Word 2007's mode)
        compat = s.find(qn("w:compat"))
        if compat is None:
            compat = OxmlElement("w:compat")
            later = next((c for c in s if _after_compat(c)), None)
            if later is not None:
                later.addprevious(compat)
            else:
                s.append(compat)
        mode = OxmlElement("w:compatSetting")
        mode.set(qn("w:name"), "compatibilityMode")
        mode.set(qn("w:uri"), "http://schemas.microsoft.com/office/word")
        compat.append(mode)  # compatSetting elements close CT_Compat's sequence
        modes = [mode]
    for el in modes:
        el.set(qn("w:val"), WORD_2013)
    for el in doc.element.body.iter(qn("w:fldChar")):
        el.attrib.pop(qn("w:dirty"), None)
    part = doc.part
    for rid, rel in list(part.rels.items()):
        if rel.reltype == STYLES_WITH_EFFECTS:
            part.drop_rel(rid)
    package_rels = part.package.rels
    for rid, rel in list(package_rels.items()):
        if rel.reltype == THUMBNAIL:
            del package_rels[rid]
        elif rel.reltype == EXTENDED_PROPERTIES and hasattr(rel.target_part, "_blob"):
            rel.target_part._blob = APP_XML  # noqa: SLF001  (a plain Part: its bytes are all it has)


# CT_Settings is a sequence: these (and other namespaces' extensions) come after w:compat.
SETTINGS_AFTER_COMPAT = (
    "docVars", "rsids", "mathPr", "attachedSchema", "themeFontLang", "clrSchemeMapping",
    "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade", "captions",
    "readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags",
    "decimalSymbol", "listSeparator",
)  # fmt: skip


def _after_compat(el) -> bool:
    namespace, _, name = el.tag[1:].partition("}")
    return name in SETTINGS_AFTER_COMPAT or namespace != qn("w:compat")[1:].partition("}")[0]


# -- the template ---------------------------------------------------------------


def base_document():
    """What every report template starts from: document defaults, fonts, settings, the body text
    (Normal) and the cover and contents title styles."""
    doc = Document()
    doc_defaults(doc)
    add_fallback_fonts(doc)
    settings(doc)

    normal = paragraph_style(
        doc, "Normal", east=FANGSONG, size=BODY_PT, indent_chars=2, line_exact=LINE_PT, base=None
    )
    normal.font.name = LATIN
    set_fonts(normal.element, FANGSONG)

    paragraph_style(
        doc, "公文标题", east=XIAOBIAOSONG, size=22, align=WD_ALIGN_PARAGRAPH.CENTER, line_exact=40
    )
    paragraph_style(
        doc, "封面落款", east=FANGSONG, size=BODY_PT, align=WD_ALIGN_PARAGRAPH.CENTER, line_exact=LINE_PT
    )
    paragraph_style(doc, "目录标题", east=HEITI, size=22, align=WD_ALIGN_PARAGRAPH.CENTER, after=18)
    return doc


def table_styles(
    doc, text_width_mm: float = TEXT_WIDTH_MM, cell_pt: float = 9, cell_line_pt: float = 12
) -> None:
    """The styles :mod:`xlbudget.report.word_tables` sets the tables and the 绩效目标申报表 in
    (``word_tables.STYLES``), the same in every report template; the unit line's right tab (单位：元)
    at the page's ``text_width_mm`` (the right edge of the tables, which fill the text width); the
    cells' text ``cell_pt`` on lines of ``cell_line_pt`` (the tables measure their columns in it)."""
    paragraph_style(doc, "表号", east=HEITI, size=12, align=WD_ALIGN_PARAGRAPH.LEFT, page_break_before=True)
    paragraph_style(
        doc, "表题", east=XIAOBIAOSONG, size=18, align=WD_ALIGN_PARAGRAPH.CENTER, before=6, after=6
    )
    st = paragraph_style(doc, "表注", east=FANGSONG, size=12, align=WD_ALIGN_PARAGRAPH.LEFT, after=3)
    st.paragraph_format.tab_stops.add_tab_stop(Mm(text_width_mm), WD_TAB_ALIGNMENT.RIGHT)
    for name, east, align in (
        ("表头", HEITI, WD_ALIGN_PARAGRAPH.CENTER),
        ("表格文字", FANGSONG, WD_ALIGN_PARAGRAPH.LEFT),
        ("表格数字", FANGSONG, WD_ALIGN_PARAGRAPH.RIGHT),
    ):
        paragraph_style(doc, name, east=east, size=cell_pt, align=align, line_exact=cell_line_pt)
    paragraph_style(
        doc, "绩效表标题", east=XIAOBIAOSONG, size=16, align=WD_ALIGN_PARAGRAPH.CENTER, page_break_before=True
    )
    paragraph_style(doc, "绩效表年度", east=KAITI, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)


def build(out: str | Path) -> Path:
    """Write the default template to ``out``."""
    out = Path(out)
    doc = base_document()
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
    paragraph_style(
        doc,
        "Heading 4",
        east=FANGSONG,
        size=BODY_PT,
        indent_chars=2,
        line_exact=LINE_PT,
        keep_next=True,
        bold=True,
    )
    paragraph_style(doc, "toc 1", east=HEITI, size=14, align=WD_ALIGN_PARAGRAPH.LEFT, line_exact=26)
    paragraph_style(doc, "toc 2", east=FANGSONG, size=14, align=WD_ALIGN_PARAGRAPH.LEFT, line_exact=26)
    for toc in ("toc 1", "toc 2"):
        st = doc.styles[toc]
        st.paragraph_format.tab_stops.add_tab_stop(
            Mm(TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
        )
        if toc == "toc 2":
            st.paragraph_format.left_indent = Pt(28)
    table_styles(doc)  # second part: tables
    # charts
    paragraph_style(
        doc, "图", east=FANGSONG, size=10.5, align=WD_ALIGN_PARAGRAPH.CENTER, before=6, keep_next=True
    )
    paragraph_style(doc, "图题", east=KAITI, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
    paragraph_style(doc, "页码", east=SONGTI, size=14, align=WD_ALIGN_PARAGRAPH.RIGHT, base=None)
    set_fonts(doc.styles["页码"].element, SONGTI, latin=SONGTI)

    # page setup: A4, GB/T 9704 margins, page numbers
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(28) - Mm(7)
    section.different_first_page_header_footer = True  # no number on the title page
    doc.settings.odd_and_even_pages_header_footer = True
    page_number_footer(doc, section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    page_number_footer(doc, section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)

    body = doc.add_paragraph

    # the title page
    for _ in range(5):
        body("", "公文标题")
    body("{{ unit_name }}", "公文标题")
    body("{{ year }}年{{ scope_word }}预算公开报告", "公文标题")
    for _ in range(9):
        body("", "封面落款")
    body("{{ unit_name }}", "封面落款")
    body("{{ year }}年", "封面落款")

    # table of contents: a TOC field whose cached result lists the headings (as text, no
    # update prompt); the PDF export lays it out and writes the page numbers into it.
    p = body("目　录", "目录标题")
    p.paragraph_format.page_break_before = True
    field_char(body("", "toc 1"), "begin", 'TOC \\o "1-2" \\h \\z \\u')
    body("{%p for e in toc %}", "toc 1")
    body("{%p if e.level == 1 %}", "toc 1")
    body("{{ e.text }}", "toc 1")
    body("{%p else %}", "toc 1")
    body("{{ e.text }}", "toc 2")
    body("{%p endif %}", "toc 1")
    body("{%p endfor %}", "toc 1")
    field_char(body("", "toc 1"), "end")

    # 第一部分 概况
    body("第一部分　概况", "Heading 1")
    body("{%p if scope_word == '部门' %}")  # a literal heading either way (a unit's report as it always was)
    body("一、本部门职责", "Heading 2")
    body("{%p else %}")
    body("一、本单位职责", "Heading 2")
    body("{%p endif %}")
    body("{{ overview.intro }}")
    body("{%p for d in overview.duties %}")
    body("{{ d }}")
    body("{%p endfor %}")
    body("二、机构设置情况", "Heading 2")
    body("{{ overview.organization }}")

    # 第二部分 the 13 tables (built in Python, placed at the marker)
    body("第二部分　{{ year }}年{{ scope_word }}预算报表", "Heading 1")
    body("{{ tables_marker }}", "表注")

    # 第三部分 情况说明
    body("第三部分　{{ part3_title }}", "Heading 1")
    body("{%p for s in sections %}")
    body("{{ s.heading }}", "Heading 2")
    body("{%p for para in s.paragraphs %}")
    body("{%p if para.style == 'sub' %}")
    body("{{ para.text }}", "Heading 3")
    body("{%p elif para.style == 'sub2' %}")
    body("{{ para.text }}", "Heading 4")
    body("{%p else %}")
    body("{{ para.text }}")
    body("{%p endif %}")
    body("{%p endfor %}")
    body("{%p for c in s.charts %}")
    body("{{ c.image }}", "图")
    body("{{ c.caption }}", "图题")
    body("{%p endfor %}")
    body("{%p if s.forms_marker %}")
    body("{{ s.forms_marker }}", "表注")
    body("{%p endif %}")
    body("{%p endfor %}")

    # 第四部分 名词解释
    body("第四部分　名词解释", "Heading 1")
    body("{%p for t in glossary %}")
    body("{{ t }}")
    body("{%p endfor %}")

    # core properties
    cp = doc.core_properties
    cp.title = "单位预算公开报告模板"
    cp.author = "xlbudget"
    cp.comments = "由 docx_templates/build_templates.py 生成；占位符由 xlbudget.report 填写。"
    cp.language = "zh-CN"
    doc.save(str(out))
    return out
