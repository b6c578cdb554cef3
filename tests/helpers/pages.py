"""What a reader sees on the PDF's pages, read with pdfplumber: lines of text, table cells, empty pages.

* :func:`lone_characters` — a line holding a single character where text wrapped (the last line
  of a table cell, a title, a paragraph): "…应急管理支" / "出".  A cell that is one character a line
  on purpose (the 申报表's vertical 绩/效/指/标) and one-character cells (column numbers) are not wraps.
* :func:`nearly_empty_pages` — a page with under a quarter of its text area used that is neither
  the first page of a unit (a part, a table, a 申报表, which each begin a page) nor the last
  page before a new part: a table's last rows sitting alone on a page.  The last lines of text
  before a unit that must begin a page (the 情况说明 before the 申报表) are the end of that text.
  Which lines begin a unit or a part is read from the report's own .docx beside the PDF
  (:func:`report_starts`: the paragraphs in the styles that begin a page), so the check holds for
  every profile's document — Shanxi's 第一部分 … and 预算公开表N, the national 部门预算公开表N,
  Shanghai's parts and its unlabelled tables (their titles begin the page).

The text area of a page is that of its section in the .docx beside the PDF (:func:`page_margins`:
the Shanxi template's A4 portrait page, the Shanghai template's A4 landscape one), else the Shanxi
template's margins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

MM = 72 / 25.4
TOP_MM, BOTTOM_MM, RIGHT_MM = 37, 35, 26  # the Shanxi template's page margins (the page number sits below)


@dataclass(frozen=True)
class Margins:
    top: float  # mm
    bottom: float
    right: float


PORTRAIT = Margins(TOP_MM, BOTTOM_MM, RIGHT_MM)


def page_margins(pdf_path: str | Path) -> dict[tuple[int, int], Margins]:
    """The margins of each page size (width, height in whole mm) of the report's sections, read from
    its .docx beside the PDF; empty without one."""
    from docx import Document

    docx = Path(pdf_path).with_suffix(".docx")
    if not docx.exists():
        return {}
    out: dict[tuple[int, int], Margins] = {}
    for s in Document(str(docx)).sections:
        size = (round(s.page_width.mm), round(s.page_height.mm))
        out.setdefault(size, Margins(s.top_margin.mm, s.bottom_margin.mm, s.right_margin.mm))
    return out


def margins_of(page, margins: dict[tuple[int, int], Margins]) -> Margins:
    """The margins of a pdfplumber page: its section's, by the page's size."""
    return margins.get((round(page.width / MM), round(page.height / MM)), PORTRAIT)


UNIT_START = re.compile(r"^(第[一二三四]部分|预算公开表\d+|目\s*录|.*项目支出绩效目标申报表)")
PART_START = re.compile(r"^第[一二三四]部分")


@dataclass(frozen=True)
class Line:
    page: int  # 1-based
    top: float
    x0: float
    x1: float
    size: float
    text: str


def _lines(chars: list[dict], page: int) -> list[Line]:
    """Characters grouped into lines (same baseline within 2 pt), top to bottom, left to right."""
    rows: list[list[dict]] = []
    for ch in sorted(chars, key=lambda c: (round(c["bottom"]), c["x0"])):
        if not ch["text"].strip():
            continue
        for row in rows:
            if abs(row[0]["bottom"] - ch["bottom"]) <= 2:
                row.append(ch)
                break
        else:
            rows.append([ch])
    out = []
    for row in rows:
        row.sort(key=lambda c: c["x0"])
        out.append(Line(page, min(c["top"] for c in row), row[0]["x0"], row[-1]["x1"],
                        max(c["size"] for c in row), "".join(c["text"] for c in row)))  # fmt: skip
    return sorted(out, key=lambda ln: ln.top)


def _inside(ch: dict, box: tuple[float, float, float, float]) -> bool:
    x = (ch["x0"] + ch["x1"]) / 2
    y = (ch["top"] + ch["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _wrapped_alone(lines: list[Line], right: float) -> list[Line]:
    """Lines of one character right under a longer line of the same size that runs to the ``right``
    edge of its block (so the text wrapped there), in a block of text."""
    out = []
    for above, line in zip(lines, lines[1:], strict=False):
        if (
            len(line.text) == 1
            and len(above.text) >= 2
            and abs(line.size - above.size) < 0.5
            and 0 < line.top - above.top <= 2.2 * line.size
            and above.x1 >= right - 1.6 * line.size
        ):
            out.append(line)
    return out


def lone_characters(pdf_path: str | Path) -> list[str]:
    """Every line holding a single character where text wrapped: "page N: 出 (under …)"."""
    found = []
    margins = page_margins(pdf_path)
    with pdfplumber.open(str(pdf_path)) as pdf:
        for n, page in enumerate(pdf.pages, 1):
            right = page.width - margins_of(page, margins).right * MM
            chars = [c for c in page.chars if c["text"].strip()]
            in_cells: set[int] = set()
            for table in page.find_tables():
                for box in table.cells:
                    mine = [c for c in chars if _inside(c, box)]
                    in_cells.update(id(c) for c in mine)
                    for line in _wrapped_alone(_lines(mine, n), box[2] - 1 * MM):
                        found.append(f"page {n}: {line.text!r} alone in a table cell")
            rest = [c for c in chars if id(c) not in in_cells]
            for line in _wrapped_alone(_lines(rest, n), right):
                found.append(f"page {n}: {line.text!r} alone on a line")
    return found


def page_lines(pdf_path: str | Path) -> list[list[Line]]:
    """Each page's lines of text inside the text area (the page number below it left out)."""
    out = []
    margins = page_margins(pdf_path)
    with pdfplumber.open(str(pdf_path)) as pdf:
        for n, page in enumerate(pdf.pages, 1):
            bottom = page.height - margins_of(page, margins).bottom * MM
            chars = [c for c in page.chars if c["bottom"] <= bottom + 2]
            out.append(_lines(chars, n))
    return out


def used_share(lines: list[Line], page_height: float, margins: Margins = PORTRAIT) -> float:
    """The share of the text area's height between the first and the last line."""
    if not lines:
        return 0.0
    area = page_height - (margins.top + margins.bottom) * MM
    return (max(ln.top + ln.size for ln in lines) - min(ln.top for ln in lines)) / area


# the report templates' styles of the paragraphs that begin a page, and of those that begin a part
UNIT_STYLES = ("目录标题", "Heading 1", "表号", "绩效表标题")
PART_STYLES = ("Heading 1",)


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def report_starts(docx_path: str | Path) -> tuple[list[str], list[str]]:
    """(the texts that begin a page, the texts that begin a part) of a report: each paragraph in one
    of :data:`UNIT_STYLES`, or where it is empty (Shanghai's 表号 line) the next paragraph with text."""
    from docx import Document

    paragraphs = Document(str(docx_path)).paragraphs
    units, parts = [], []
    for i, p in enumerate(paragraphs):
        if p.style is None or p.style.name not in UNIT_STYLES:
            continue
        text = next((_squeezed(q.text) for q in paragraphs[i:] if q.text.strip()), "")
        if text:
            units.append(text)
            if p.style.name in PART_STYLES:
                parts.append(text)
    return units, parts


def _begins(line: str, starts: list[str]) -> bool:
    """Does a page whose first line is ``line`` begin one of ``starts`` (a title may wrap)?"""
    line = _squeezed(line)
    return bool(line) and any(s.startswith(line) or line.startswith(s) for s in starts)


def nearly_empty_pages(pdf_path: str | Path, threshold: float = 0.25) -> list[str]:
    """Pages under ``threshold`` full that neither begin a unit nor end a part: "page N: …"."""
    docx = Path(pdf_path).with_suffix(".docx")
    units, parts = report_starts(docx) if docx.exists() else ([], [])

    def unit_start(text: str) -> bool:
        return bool(UNIT_START.match(text)) or _begins(text, units)

    def part_start(text: str) -> bool:
        return bool(PART_START.match(text)) or _begins(text, parts)

    margins = page_margins(pdf_path)
    with pdfplumber.open(str(pdf_path)) as pdf:
        areas = [(page.height, margins_of(page, margins)) for page in pdf.pages]
        has_table = [bool(page.find_tables()) for page in pdf.pages]
    pages = page_lines(pdf_path)
    found = []
    for i, lines in enumerate(pages):
        if i == 0 or i == len(pages) - 1:
            continue  # the cover; the last page ends the last part
        first = lines[0].text if lines else ""
        following = pages[i + 1][0].text if pages[i + 1] else ""
        if unit_start(first) or part_start(following):
            continue
        if unit_start(following) and not has_table[i]:
            continue  # text ending before a table or form that begins its own page
        share = used_share(lines, *areas[i])
        if share < threshold:
            found.append(f"page {i + 1}: {share:.0%} of the text area used, begins {first[:30]!r}")
    return found


def cut_characters(pdf_path: str | Path, pages: list[int] | None = None) -> list[str]:
    """Characters a vertical rule of a grid runs through: text cut off at its cell's border (LibreOffice
    clips it there: "机关事业单位基本养老保险缴费支" | "出") or spilling into the next cell."""
    found = []
    with pdfplumber.open(str(pdf_path)) as pdf:
        for n, page in enumerate(pdf.pages, 1):
            if pages is not None and n not in pages:
                continue
            rules = [(e["x0"], e["top"], e["bottom"]) for e in page.edges if e["orientation"] == "v"]
            for ch in page.chars:
                if not ch["text"].strip():
                    continue
                y = (ch["top"] + ch["bottom"]) / 2
                x = next(
                    (x for x, t, b in rules if t <= y <= b and ch["x0"] + 0.5 < x < ch["x1"] - 0.5), None
                )
                if x is not None:
                    found.append(f"page {n}: {ch['text']!r} cut by the rule at x={x:.0f}")
    return found


_FIGURE_END = set("0123456789.,，≤≥=<>＜＞-")


def split_figures(pdf_path: str | Path) -> list[str]:
    """On the pages of the 绩效目标申报表, every figure parted from itself or its unit at a line break inside a table cell: a line ending in a
    digit (or ``.``, ``≤`` …) above a line in the same cell beginning with a digit, ``.``, ``%`` or, after
    a digit, a unit ("≤20." / "5万元", "2022年1" / "月-12月"): "page N: '≤20.' / '5万元'"."""
    found = []
    with pdfplumber.open(str(pdf_path)) as pdf:
        for n, page in enumerate(pdf.pages, 1):
            chars = [c for c in page.chars if c["text"].strip()]
            if "申报表" not in "".join(c["text"] for c in chars):
                continue  # the forms' pages (a chart's labels are no cell)
            for table in page.find_tables():
                for box in table.cells:
                    lines = _lines([c for c in chars if _inside(c, box)], n)
                    for above, line in zip(lines, lines[1:], strict=False):
                        end, start = above.text[-1], line.text[0]
                        parted = end in _FIGURE_END and (start.isdigit() or start in ".%‰")
                        if parted or (end.isdigit() and ord(start) >= 0x2E80):
                            found.append(f"page {n}: {above.text!r} / {line.text!r}")
    return found
