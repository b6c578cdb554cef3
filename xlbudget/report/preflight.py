"""Preflight of the report's PDF, after conversion: what a finance officer checks before publishing.

* every page is A4 (portrait or landscape);
* no page is blank (nothing on it but, at most, its page number);
* every part is there (第一部分 … 第四部分), every 预算公开表 of the table set, and one
  项目支出绩效目标申报表 for each performance target; for the Shanghai document its parts
  (目录, 主要职能, 机构设置, 名词解释, 预算编制说明, 其他相关情况说明, a 部门's 项目经费情况说明) and every table by its title
  (Shanghai prints no 表N label);
* every font is embedded (the PDF reads the same on any machine).

Read with pypdf (page sizes, fonts, drawings; the text too, where poppler's ``pdftotext`` is not
installed: it reads the text ten times faster); :func:`preflight` returns a :class:`Preflight` with
the page count and the problems found, each a Chinese sentence naming the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


def _is_a4(page: Any) -> bool:
    box = page.mediabox
    size = sorted((float(box.width), float(box.height)))
    return all(abs(a - b) <= TOLERANCE_PT for a, b in zip(size, A4_PT, strict=True))


def _has_drawing(page: Any) -> bool:
    """An image or a form on the page (a chart is a drawing too)."""
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else {}
    xobjects = resources.get("/XObject")
    return bool(xobjects and len(xobjects.get_object()))


def _fonts(page: Any) -> list[tuple[str, Any]]:
    """(name, font dictionary) of every font the page uses, descendants of composite fonts included."""
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else {}
    fonts = resources.get("/Font")
    out = []
    for font in fonts.get_object().values() if fonts else ():
        font = font.get_object()
        out.append((str(font.get("/BaseFont", "?")), font))
        for child in font.get("/DescendantFonts", ()) or ():
            child = child.get_object()
            out.append((str(child.get("/BaseFont", "?")), child))
    return out


def _embedded(font: Any) -> bool:
    if font.get("/Subtype") in ("/Type3", "/Type0"):  # drawn by the PDF itself / its descendant is checked
        return True
    descriptor = font.get("/FontDescriptor")
    if descriptor is None:
        return False
    descriptor = descriptor.get_object()
    return any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def _poppler_texts(path: Path, n_pages: int) -> list[str] | None:
    """Each page's text by poppler's ``pdftotext`` (pages end in a form feed), or None without it."""
    import shutil
    import subprocess

    tool = shutil.which("pdftotext")
    if tool is None:
        return None
    try:
        run = subprocess.run([tool, "-enc", "UTF-8", str(path), "-"], capture_output=True, timeout=120)
    except (OSError, subprocess.SubprocessError):
        return None
    pages = run.stdout.decode("utf-8", "replace").split("\f")
    return pages[:n_pages] if run.returncode == 0 and len(pages) >= n_pages else None


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
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    path = Path(pdf)
    try:
        reader = PdfReader(str(path))
        pages = list(reader.pages)
    except (OSError, PdfReadError, ValueError) as exc:
        return Preflight(0, (f"无法读取 PDF {path.name}：{exc}",))
    problems: list[str] = []
    texts: list[str] = []
    wanted = [_SPACE.sub("", lb) for lb in labels] or [f"预算公开表{n}" for n in range(1, tables + 1)]
    printed: set[str] = set()  # lines that are a table's label
    not_a4, blank = [], []
    unembedded: dict[str, int] = {}
    fast = _poppler_texts(path, len(pages))
    for n, page in enumerate(pages, 1):
        if not _is_a4(page):
            box = page.mediabox
            not_a4.append(
                f"第 {n} 页（{float(box.width) / 72 * 25.4:.0f}×{float(box.height) / 72 * 25.4:.0f} 毫米）"
            )
        text = fast[n - 1] if fast is not None else (page.extract_text() or "")
        texts.append(_SPACE.sub("", text))
        lines = [ln for ln in text.splitlines() if ln.strip()]
        printed.update(_SPACE.sub("", ln) for ln in lines)
        if not _has_drawing(page) and all(_PAGE_NUMBER.match(ln) for ln in lines):
            blank.append(n)
        for name, font in _fonts(page):
            if not _embedded(font):
                unembedded.setdefault(name.lstrip("/"), n)
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
