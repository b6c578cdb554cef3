"""Preflight of the report's PDF, after conversion: what a finance officer checks before publishing.

* every page is A4 (portrait or landscape);
* no page is blank (nothing on it but, at most, its page number);
* every part is there (第一部分 … 第四部分), every 预算公开表 of the table set, and one
  项目支出绩效目标申报表 for each performance target; for the Shanghai document its parts
  (目录, 主要职能, 机构设置, 名词解释, 预算编制说明, 其他相关情况说明, a 部门's 项目经费情况说明) and every table by its title
  (Shanghai prints no 表N label);
* every font is embedded (the PDF reads the same on any machine).

Read once, with PDFium (pypdfium2's raw bindings, as the document reader reads a published PDF): each
page's MediaBox, its text (the line ends PDFium finds), whether it draws an image or a form, and the
fonts its text is set in (no second reader, no ``pdftotext``); :func:`preflight` returns a
:class:`Preflight` with the page count and the problems found, each a Chinese sentence naming the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xlbudget.errors import InputError

A4_PT = (595.28, 841.89)
TOLERANCE_PT = 3.0
PARTS = ("第一部分", "第二部分", "第三部分", "第四部分")
SHANGHAI_PARTS = ("目录", "主要职能", "机构设置", "名词解释", "预算编制说明", "其他相关情况说明")
SHANGHAI_PROJECT_PART = "项目经费情况说明"  # a 部门's 七, when it gives one
_PAGE_NUMBER = re.compile(r"^[—–\-\s]*\d+[—–\-\s]*$")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Preflight:
    pages: int
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        """ "共 30 页，A4，无空白页，各部分和各表齐全，字体已嵌入" — or what is wrong."""
        if self.ok:
            return f"共 {self.pages} 页，A4，无空白页，各部分和各表齐全，字体已嵌入"
        return f"PDF 检查未通过（共 {self.pages} 页）：\n" + "\n".join(f"  {p}" for p in self.problems)


@dataclass(frozen=True)
class _Page:
    """What the preflight needs of one page."""

    width: float  # the MediaBox, in points
    height: float
    text: str  # lines separated by "\n"
    drawing: bool  # an image or a form on the page (a chart is a drawing too)
    unembedded: tuple[str, ...]  # base names of the fonts its text uses that the PDF does not embed


def _is_a4(page: _Page) -> bool:
    size = sorted((page.width, page.height))
    return all(abs(a - b) <= TOLERANCE_PT for a, b in zip(size, A4_PT, strict=True))


def _read_pages(path: Path) -> list[_Page]:
    """Every page of the PDF, read once by PDFium. Raises :class:`InputError` for a file that is no PDF."""
    from xlbudget.document.pdf_layer import PdfFile, _mediabox

    with PdfFile(path) as pdf:
        c, doc = pdf._c, pdf._doc
        pages = []
        for i in range(len(pdf)):
            page = c.FPDF_LoadPage(doc, i)
            if not page:
                raise InputError(f"第 {i + 1} 页无法读取", str(path))
            try:
                x0, y0, x1, y1 = _mediabox(c, page)
                text = _page_text(c, page)
                drawing, fonts = _objects(c, page, False, {})
            finally:
                c.FPDF_ClosePage(page)
            pages.append(_Page(abs(x1 - x0), abs(y1 - y0), text, drawing, fonts))
    return pages


def _page_text(c: Any, page: Any) -> str:
    """The page's text as PDFium reads it, a line end where it starts a new line."""
    import ctypes

    tp = c.FPDFText_LoadPage(page)
    if not tp:
        return ""
    try:
        count = c.FPDFText_CountChars(tp)
        if count <= 0:
            return ""
        buffer = (ctypes.c_ushort * (count + 1))()
        written = c.FPDFText_GetText(tp, 0, count, buffer)
        raw = ctypes.string_at(buffer, max(written - 1, 0) * 2).decode("utf-16-le", "replace")
    finally:
        c.FPDFText_ClosePage(tp)
    return raw.replace("\r\n", "\n").replace("\r", "\n")


def _objects(c: Any, parent: Any, form: bool, seen: dict[int, str | None]) -> tuple[bool, tuple[str, ...]]:
    """(an image or form drawn here?, the fonts not embedded that text here is set in), forms included.
    ``seen``: font handle → its name if not embedded, else None (each font asked once)."""
    import ctypes

    drawing = form
    unembedded: list[str] = []
    count = c.FPDFFormObj_CountObjects(parent) if form else c.FPDFPage_CountObjects(parent)
    for i in range(count):
        obj = c.FPDFFormObj_GetObject(parent, i) if form else c.FPDFPage_GetObject(parent, i)
        kind = c.FPDFPageObj_GetType(obj)
        if kind == c.FPDF_PAGEOBJ_IMAGE:
            drawing = True
        elif kind == c.FPDF_PAGEOBJ_FORM:
            _drawn, inner = _objects(c, obj, True, seen)
            drawing = True
            unembedded += inner
        elif kind == c.FPDF_PAGEOBJ_TEXT:
            font = c.FPDFTextObj_GetFont(obj)
            key = ctypes.c_void_p.from_buffer(font).value if font else None
            if key is None:
                continue
            if key not in seen:
                seen[key] = None if c.FPDFFont_GetIsEmbedded(font) == 1 else _font_name(c, font)
            if seen[key] is not None:
                unembedded.append(str(seen[key]))
    return drawing, tuple(dict.fromkeys(unembedded))


def _font_name(c: Any, font: Any) -> str:
    """The font's /BaseFont (its family name where PDFium is older than FPDFFont_GetBaseFontName)."""
    import ctypes

    name = getattr(c, "FPDFFont_GetBaseFontName", None) or getattr(c, "FPDFFont_GetFamilyName", None)
    if name is None:
        return "?"
    size = name(font, None, 0)
    if size <= 0:
        return "?"
    buffer = ctypes.create_string_buffer(size)
    name(font, buffer, size)
    return buffer.value.decode("utf-8", "replace") or "?"


def preflight(
    pdf: str | Path,
    *,
    tables: int = 13,
    forms: int = 0,
    form_title: str = "",
    parts: tuple[str, ...] = PARTS,
    titles: tuple[str, ...] = (),
    labels: tuple[str, ...] = (),
) -> Preflight:
    """Check the report's PDF: A4, no blank page, its ``parts``, its tables — each of ``labels`` (the
    profile's, 部门预算公开表N …), by default ``tables`` labelled 预算公开表N, or where tables print no
    label each of ``titles`` — and ``forms`` 申报表, fonts embedded."""
    path = Path(pdf)
    try:
        pages = _read_pages(path)
    except InputError as exc:
        return Preflight(0, (f"无法读取 PDF {path.name}：{exc.problems[0].message}",))
    problems: list[str] = []
    texts: list[str] = []
    wanted = [_SPACE.sub("", lb) for lb in labels] or [f"预算公开表{n}" for n in range(1, tables + 1)]
    printed: set[str] = set()  # lines that are a table's label
    not_a4, blank = [], []
    unembedded: dict[str, int] = {}
    for n, page in enumerate(pages, 1):
        if not _is_a4(page):
            not_a4.append(f"第 {n} 页（{page.width / 72 * 25.4:.0f}×{page.height / 72 * 25.4:.0f} 毫米）")
        texts.append(_SPACE.sub("", page.text))
        lines = [ln for ln in page.text.splitlines() if ln.strip()]
        printed.update(_SPACE.sub("", ln) for ln in lines)
        if not page.drawing and all(_PAGE_NUMBER.match(ln) for ln in lines):
            blank.append(n)
        for name in page.unembedded:
            unembedded.setdefault(name, n)
    if not pages:
        problems.append("PDF 没有任何页面")
    if not_a4:
        problems.append("不是 A4 纸：" + "、".join(not_a4))
    if blank:
        problems.append("空白页：" + "、".join(f"第 {n} 页" for n in blank))
    whole = "".join(texts)
    missing = [p for p in parts if p not in whole]
    missing += [label for label in wanted if label not in printed]
    missing += [t for t in titles if _SPACE.sub("", t) not in whole]
    if missing:
        problems.append("缺少：" + "、".join(missing))
    if forms:
        title = _SPACE.sub("", form_title) or "项目支出绩效目标申报表"
        found = whole.count(title)
        if found < forms:
            problems.append(f"项目支出绩效目标申报表应有 {forms} 张，PDF 中只有 {found} 张")
    if unembedded:
        problems.append(
            "字体未嵌入（换一台电脑可能显示不同）："
            + "、".join(
                f"{name}（第 {n} 页起）" for name, n in sorted(unembedded.items(), key=lambda kv: kv[1])
            )
        )
    return Preflight(len(pages), tuple(problems))


def preflight_report(pdf: str | Path, budget: Any, tables: Any = None, profile: Any = None) -> Preflight:
    """:func:`preflight` for the report of ``budget``: its table set (``tables``, else built), and one
    申报表 per performance target; for a profile whose document is Shanghai's, its parts and titles."""
    from xlbudget.report.render import SHANGHAI, document_of
    from xlbudget.report.word_tables import form_title

    if tables is None:
        from xlbudget.tables import build_tables

        tables = build_tables(budget)
    if document_of(tables, profile) == SHANGHAI:
        parts: tuple[str, ...] = SHANGHAI_PARTS
        if budget.scope == "department" and budget.project_explanation.given:
            parts += (SHANGHAI_PROJECT_PART,)
        return preflight(pdf, tables=0, parts=parts, titles=tuple(t.title for t in tables.tables))
    return preflight(
        pdf,
        tables=0,
        labels=tuple(t.label for t in tables.tables if t.label),
        titles=tuple(t.title for t in tables.tables if not t.label),
        forms=len(budget.performance_targets),
        form_title=form_title(budget),
    )
