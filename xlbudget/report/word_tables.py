"""Word tables of the report: the 13 disclosure tables (第二部分) and the 绩效目标申报表.

The writer of layout: it knows the template's style names (表号, 表题, 表注, 表头,
表格文字, 表格数字, 绩效表标题, 绩效表年度) and writes the tables as WordprocessingML
text, parsed once into body elements; :mod:`xlbudget.report.render` moves them to
their place.  Figures come from the :class:`~xlbudget.tables.TableSet` (exact yuan)
and are printed through :func:`xlbudget.money.fmt_wan`; a zero prints as an empty
cell, as the published tables do.

Pages as a finance officer publishes them: header rows repeat on every page and no
row splits across pages; column widths come from the content (a figure column as
wide as its figures, a heading broken between words — 当年预算 / 安排 — never inside
one; label columns share the rest without leaving one character alone on a line);
a title too long for a line breaks before its "（不含上年结转）"; a 申报表's cells are
set one point tighter so that a form fills one page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from docx.oxml import parse_xml

from xlbudget.grids import Head, PrintedTable, placed_heads, printed_tables
from xlbudget.model import PerformanceTarget, UnitBudget
from xlbudget.money import fmt_wan, fmt_yuan, yuan_places
from xlbudget.tables import TableSet
from xlbudget.text_width import PT_MM, ems, even_lines, head_words, unbroken

TEXT_WIDTH_MM = 156  # A4 portrait minus the 28 + 26 mm margins (the Shanxi template's page)

# The standard indicator tree of a 绩效目标申报表: 一级指标 → 二级指标.
INDICATOR_TREE: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("产出指标", ("数量指标", "质量指标", "时效指标", "成本指标")),
    ("效益指标", ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标")),
    ("满意度指标", ("服务对象满意度指标",)),
)


def wan_cell(yuan: Decimal) -> str:
    return "" if yuan == 0 else fmt_wan(yuan)


def yuan_cell(yuan: Decimal, places: int = 0) -> str:
    """项目资金 in yuan as the 申报表 prints them: 5,760,000 (0 for none); ``places``: the form's
    :func:`~xlbudget.money.yuan_places`, so that its figures print alike."""
    return fmt_yuan(yuan, places)


# -- measuring text ----------------------------------------------------------------------

CELL_PT = 9  # 表头 / 表格文字 / 表格数字 of the Shanxi template (the tables read their template's own size)
CELL_MARGINS_MM = 2.0  # the cell's 1 mm margins left and right (tblCellMar)
PAD_MM = 3.0  # the margins and a little air (more than lone_last allows for)


def text_mm(text: str, pt: float = CELL_PT) -> float:
    """Width of the widest line of ``text`` in mm, at ``pt`` points."""
    return max((ems(line) for line in text.split("\n")), default=0.0) * pt * PT_MM


def heading_mm(text: str, lines: int = 2, pt: float = CELL_PT) -> float:
    """The narrowest a heading can be set in at most ``lines`` lines broken between words (mm)."""
    words = head_words(text.replace("\n", ""))

    def best(ws: list[str], k: int) -> float:
        if k == 1 or len(ws) == 1:
            return text_mm("".join(ws), pt)
        return min(max(text_mm("".join(ws[:i]), pt), best(ws[i:], k - 1)) for i in range(1, len(ws)))

    return best(words, lines) if words else 0.0


def wrap_heading(text: str, width_mm: float, pt: float = CELL_PT) -> str:
    """The heading with line breaks between words so that each line fits ``width_mm`` (if it can)."""
    room = width_mm - PAD_MM
    if "\n" in text or text_mm(text, pt) <= room:
        return text
    lines: list[str] = []
    line = ""
    for word in head_words(text):
        if line and text_mm(line + word, pt) > room:
            lines.append(line)
            line = word
        else:
            line += word
    lines.append(line)
    # two lines: move words down while that makes them more even (当年预算 / 安排 → 当年 / 预算安排)
    if len(lines) == 2:
        words = head_words(lines[0])
        while len(words) > 1 and ems(lines[0]) - ems(words[-1]) >= ems(words[-1] + lines[1]) - 0.01:
            if text_mm(words[-1] + lines[1], pt) > room:
                break
            lines = ["".join(words[:-1]), words[-1] + lines[1]]
            words = words[:-1]
    return "\n".join(lines)


def lone_last(text: str, width_mm: float, pt: float = CELL_PT) -> bool:
    """Might ``text`` wrap in a cell of ``width_mm`` leaving one character alone on its last line?

    Judged for the cell's room with and without a little slack (borders, the faces' own widths).
    """
    lines = _line_ems(text)
    for slack in (-0.2, 0.0, 0.6):
        per_line = int((width_mm - CELL_MARGINS_MM - slack) / (pt * PT_MM) + 1e-9)
        if per_line < 2:
            return False
        for units in lines:
            if units > per_line and units - per_line * int(units // per_line) < 1.5:
                return True
    return False


@lru_cache(maxsize=1 << 14)
def _line_ems(text: str) -> tuple[float, ...]:
    return tuple(ems(line) for line in text.split("\n"))


def no_lone_last(text: str, width_mm: float, pt: float = CELL_PT) -> str:
    """``text`` with a line break that evens its lines where it would otherwise wrap leaving one
    character alone on the last line ("…补助经" / "费" → "…遗属" / "补助经费")."""
    if "\n" in text or not lone_last(text, width_mm, pt):
        return text
    per_line = int((width_mm - CELL_MARGINS_MM - 0.6) / (pt * PT_MM) + 1e-9)
    lines = int(ems(text) // per_line) + 1
    target = ems(text) / lines
    out: list[str] = []
    line = ""
    for piece in unbroken(text):  # a figure with its unit is never parted (≤20. / 5万元)
        if line and ems(line + piece) > target + 0.5 and len(out) < lines - 1:
            out.append(line)
            line = ""
        line += piece
    out.append(line)
    return "\n".join(out)


def mixed_mm(text: str, pt: float = CELL_PT) -> float:
    """:func:`text_mm` of one line with the room Word and LibreOffice add where Chinese and Latin meet
    (about a fifth of an em each, as LibreOffice sets them: 2022年1月 is three such seams wider)."""
    seams = sum((ems(a) == 1.0) != (ems(b) == 1.0) for a, b in zip(text, text[1:], strict=False))
    return text_mm(text, pt) + seams * 0.2 * pt * PT_MM


def figures_whole(text: str, width_mm: float) -> str:
    """``text`` with line breaks of its own where it holds a figure and would wrap in a cell of
    ``width_mm``: between pieces that fit, so Word never parts a figure from its unit (2022年1 / 月-12月
    → 2022年1月 / -12月).  Text without a figure, or that fits, is left to Word."""
    pieces = unbroken(text)
    room = width_mm - CELL_MARGINS_MM - 0.6
    if "\n" in text or len(pieces) == len(text) or mixed_mm(text) <= room:
        return text
    lines = [""]
    for piece in pieces:
        if lines[-1] and mixed_mm(lines[-1] + piece) > room:
            lines.append("")
        lines[-1] += piece
    return "\n".join(lines)


@dataclass(frozen=True)
class Column:
    """A column to size: ``label`` columns take what is left; the others fit their longest figure."""

    label: bool
    texts: tuple[str, ...] = ()  # the body's cells (each may wrap, in a label column)
    heads: tuple[str, ...] = ()  # headings in this column alone (they break between words)
    fixed: float | None = None  # a width set by the layout (mm)
    code: bool = False  # a code column (类 | 款 | 项): as wide as its codes, no share of what is left


def fit_widths(columns: Sequence[Column], total: float = 0.0, pt: float = CELL_PT) -> list[float]:
    """Column widths (mm) from the content, adding up to the text width.

    A figure column is as wide as its widest figure or its heading set in two lines broken between
    words (three, where the labels need the room); the label columns share the rest, each at most an
    equal share and no wider than its longest label; a label column short of room is narrowed a little
    where that saves a line holding one character alone; what is left goes to the figure columns.
    """
    total = total or TEXT_WIDTH_MM
    n = len(columns)
    free = [i for i, c in enumerate(columns) if c.fixed is None]
    labels = [i for i in free if columns[i].label]
    figures = [i for i in free if not columns[i].label]
    want = {
        i: max(
            [text_mm(t, pt) for t in columns[i].texts]
            + [heading_mm(h, 1, pt) for h in columns[i].heads]
            + [4 * pt * PT_MM]
        )
        + PAD_MM
        for i in labels
    }

    def figure_need(i: int, lines: int) -> float:
        c = columns[i]
        need = [text_mm(t, pt) for t in c.texts] + [heading_mm(h, lines, pt) for h in c.heads]
        return max([*need, 0.0]) + PAD_MM

    widths = [c.fixed if c.fixed is not None else 0.0 for c in columns]
    for lines in (2, 3):
        for i in figures:
            widths[i] = figure_need(i, lines)
        if sum(widths) + sum(want.values()) <= total:
            break
    rest = total - sum(widths)
    for k, i in enumerate(sorted(labels, key=lambda i: want[i])):  # water-filling: an equal share at most
        widths[i] = min(want[i], rest / (len(labels) - k))
        rest -= widths[i]
        if widths[i] < want[i]:  # short of room: no label ending in one character alone
            texts = columns[i].texts
            widths[i] = min(
                (widths[i] - j * 0.25 for j in range(int(widths[i] * 0.15 / 0.25) + 1)),
                key=lambda w: (sum(lone_last(t, w, pt) for t in texts), -w),
            )
    left = total - sum(widths)
    share = [i for i in figures if not columns[i].code] or labels
    for i in share:
        widths[i] += left / len(share)
    assert len(widths) == n
    return [round(w, 2) for w in widths]


def widen_codes(
    widths: Sequence[float], columns: Sequence[Column], span: range, heading: str, pt: float = CELL_PT
) -> list[float]:
    """Code columns (类 | 款) widened, evenly, until the ``heading`` over them sets in two lines broken
    between words (部门预算经济分类 / 科目编码, not one word a line down six), with the room taken evenly
    from the figure columns — only as far as each keeps what its own figures and headings need set in
    two lines (a page with no such room, the Shanxi portrait one, keeps its widths)."""
    # (0.05 mm over: the widths are rounded to 0.01 mm and the heading must still fit when set)
    short = heading_mm(heading, 2, pt) + PAD_MM + 0.05 - sum(widths[i] for i in span)
    donors = [i for i, c in enumerate(columns) if not c.label and not c.code and c.fixed is None]
    if short <= 0.01 or not donors:
        return list(widths)
    spare = [
        widths[i]
        - max(
            [text_mm(t, pt) for t in columns[i].texts]
            + [heading_mm(h, 2, pt) for h in columns[i].heads]
            + [0]
        )
        - PAD_MM
        for i in donors
    ]
    give = min(short, len(donors) * min(spare))
    if give <= 0.01:
        return list(widths)
    out = list(widths)
    for i in donors:
        out[i] -= give / len(donors)
    for i in span:
        out[i] += give / len(span)
    return [round(w, 2) for w in out]


# -- Word XML, written as text and parsed once -----------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W_NS}}}"


def section_of(doc, at=None):
    """The ``w:sectPr`` of the section a body element ``at`` is in (Word keeps a section's properties
    at its end: in the last paragraph of the section, the body's own for the last section); the
    document's last section without ``at``."""
    body = doc.element.body
    el = at
    while el is not None:
        if el.tag == _W + "p":
            ppr = el.find(_W + "pPr")
            sect = ppr.find(_W + "sectPr") if ppr is not None else None
            if sect is not None:
                return sect
        el = el.getnext()
    return body.find(_W + "sectPr")


def text_width_mm(doc, at=None) -> float:
    """The text width (mm, to 0.1 mm) of the section ``at`` is in (:func:`section_of`): the page's
    width less the left and right margins — 156 mm on the Shanxi template's A4 portrait page, 257 mm
    on the Shanghai template's A4 landscape one.  A section without a page size: :data:`TEXT_WIDTH_MM`."""
    sect = section_of(doc, at)
    size = sect.find(_W + "pgSz") if sect is not None else None
    margins = sect.find(_W + "pgMar") if sect is not None else None
    if size is None or size.get(_W + "w") is None:
        return TEXT_WIDTH_MM
    twip = int(size.get(_W + "w"))
    if margins is not None:
        twip -= sum(int(margins.get(_W + side) or 0) for side in ("left", "right", "gutter"))
    return round(twip / 1440 * 25.4, 1)  # 8845 twips → 156.0, 14570 → 257.0


def twips(mm: float) -> int:
    return int(round(mm / 25.4 * 1440))


def escape(text: str) -> str:
    """Text as XML character data (xml.sax.saxutils.escape, without importing urllib.request with it)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _t(part: str) -> str:
    space = ' xml:space="preserve"' if part != part.strip() else ""
    return f"<w:t{space}>{escape(part)}</w:t>"


def _runs(text: str) -> str:
    """Runs for text with line breaks (a ``<w:br/>``) and tabs (a ``<w:tab/>``), as python-docx writes them."""
    out = []
    for i, line in enumerate(text.split("\n")):
        inner = "<w:tab/>".join(_t(part) if part else "" for part in line.split("\t"))
        out.append("<w:r>" + ("<w:br/>" if i else "") + inner + "</w:r>")
    return "".join(out)


def paragraph_xml(text: str, style_id: str, *, page_break: bool | None = None) -> str:
    pb = "" if page_break is None else f'<w:pageBreakBefore w:val="{int(page_break)}"/>'
    runs = _runs(text) if text else ""
    return f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/>{pb}</w:pPr>{runs}</w:p>'


def style_id(doc, name: str) -> str:
    """A style's id by its name, looked up once per document (python-docx's lookup is slow)."""
    ids = doc.__dict__.setdefault("_xlbudget_style_ids", {})
    if name not in ids:
        ids[name] = doc.styles[name].style_id
    return ids[name]


class Cell:
    """A cell of a :class:`Grid`, spanning ``rows`` × ``cols`` grid cells from (``r0``, ``c0``)."""

    __slots__ = ("r0", "c0", "rows", "cols", "text", "style")

    def __init__(self, r0: int, c0: int) -> None:
        self.r0, self.c0, self.rows, self.cols = r0, c0, 1, 1
        self.text: str | None = None  # None: never set (an empty cell in the plain style)
        self.style = "表格文字"


class Grid:
    """A table being laid out: cells, merges, header rows; :meth:`xml` writes it as WordprocessingML.

    The XML is what python-docx would write for the same table (``Table Grid`` style, fixed
    layout, 1 mm cell margins, ``gridSpan``/``vMerge`` merges, cells centred vertically),
    but built as text: python-docx's per-cell setters walk the schema for every property.
    """

    def __init__(self, widths_mm: Sequence[float], n_rows: int) -> None:
        self.widths = list(widths_mm)
        self.n_cols = len(self.widths)
        self.cells = [[Cell(r, c) for c in range(self.n_cols)] for r in range(n_rows)]
        self.header_rows = 0
        self.line_pt: float | None = None  # exact line height of the cells, where not the styles' own

    def cell(self, r: int, c: int) -> Cell:
        return self.cells[r][c]

    def merge(self, r0: int, c0: int, r1: int, c1: int) -> Cell:
        """Merge the rectangle from (r0, c0) to (r1, c1) and return its cell (which must not be merged yet)."""
        top = self.cells[r0][c0]
        if (r0, c0) == (r1, c1):
            return top
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                cell = self.cells[r][c]
                if cell.rows > 1 or cell.cols > 1 or cell.r0 != r or cell.c0 != c:
                    raise ValueError(f"cells of row {r}, columns {c0}–{c1} are merged already")
                if cell.text is not None and cell is not top:
                    raise ValueError(f"cells of row {r}, columns {c0}–{c1} are not empty")
                self.cells[r][c] = top
        top.rows, top.cols = r1 - r0 + 1, c1 - c0 + 1
        return top

    def xml(self, ids: dict[str, str]) -> str:
        grid = "".join(f'<w:gridCol w:w="{twips(w)}"/>' for w in self.widths)
        out = [
            "<w:tbl><w:tblPr>"
            f'<w:tblStyle w:val="{ids["Table Grid"]}"/>'
            f'<w:tblW w:w="{twips(sum(self.widths))}" w:type="dxa"/><w:jc w:val="center"/>'
            '<w:tblLayout w:type="fixed"/>'
            '<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
            '<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" w:noHBand="0" '
            'w:noVBand="1" w:val="04A0"/>'
            f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
        ]
        plain = ids["表格文字"]
        keep = f'<w:spacing w:line="{round(self.line_pt * 20)}" w:lineRule="exact"/>' if self.line_pt else ""
        for r, row in enumerate(self.cells):
            header = "<w:tblHeader/>" if r < self.header_rows else ""
            out.append(f"<w:tr><w:trPr><w:cantSplit/>{header}</w:trPr>")
            c = 0
            while c < self.n_cols:
                cell = row[c]
                width = twips(sum(self.widths[c : c + cell.cols]))
                span = f'<w:gridSpan w:val="{cell.cols}"/>' if cell.cols > 1 else ""
                if cell.r0 != r:  # a row further down a vertical merge
                    out.append(
                        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span}<w:vMerge/></w:tcPr>'
                        f'<w:p><w:pPr><w:pStyle w:val="{plain}"/>{keep}</w:pPr></w:p></w:tc>'
                    )
                else:
                    vmerge = '<w:vMerge w:val="restart"/>' if cell.rows > 1 else ""
                    align = '<w:vAlign w:val="center"/>' if cell.text is not None else ""
                    runs = _runs(cell.text) if cell.text else ""
                    out.append(
                        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span}{vmerge}{align}</w:tcPr>'
                        f'<w:p><w:pPr><w:pStyle w:val="{ids[cell.style]}"/>{keep}</w:pPr>{runs}</w:p></w:tc>'
                    )
                c += cell.cols
            out.append("</w:tr>")
        out.append("</w:tbl>")
        return "".join(out)


def _set(cell: Cell, text: str, style: str) -> None:
    cell.text, cell.style = text, style


def _merge(table: Grid, r0: int, c0: int, r1: int, c1: int) -> Cell:
    return table.merge(r0, c0, r1, c1)


def _header(table: Grid, spec: Sequence[Sequence[Head]], pt: float = CELL_PT) -> int:
    """Lay out header rows with merged cells; the rows repeat on every page. Returns their count.

    A heading that does not fit its column breaks between words (当年预算 / 安排), never inside one.
    """
    for r, c, head in placed_heads(spec):
        cell = _merge(table, r, c, r + head.rows - 1, c + head.cols - 1)
        _set(cell, wrap_heading(head.text, sum(table.widths[c : c + head.cols]), pt), "表头")
    table.header_rows = len(spec)
    return len(spec)


def single_heads(spec: Sequence[Sequence[Head]], n_cols: int) -> list[list[str]]:
    """Per column, the headings of ``spec`` that sit in that column alone (those its width must fit)."""
    out: list[list[str]] = [[] for _ in range(n_cols)]
    for _r, c, head in placed_heads(spec):
        if head.cols == 1:
            out[c].append(head.text)
    return out


def title_lines(title: str, pt: float = 18, room_mm: float = TEXT_WIDTH_MM) -> str:
    """A table title too long for one line breaks before its "（…）" note, else into two even lines
    between words — never in mid-phrase, never leaving one character alone (Shanghai's long titles)."""
    room = room_mm * 0.97
    if text_mm(title, pt) <= room:
        return title
    if "（" in title:
        head, _, note = title.rpartition("（")
        if text_mm(head, pt) <= room:
            return f"{head}\n（{note}"
    return even_lines(title)


# -- the 13 tables ----------------------------------------------------------------

STYLES = ("Table Grid", "表号", "表题", "表注", "表头", "表格文字", "表格数字", "绩效表标题", "绩效表年度")


def cell_pt(doc) -> float:
    """The type size of the template's table text (表格文字): 9 pt in the Shanxi template, 12 pt in the
    Shanghai one (as its real reports print their tables)."""
    size = doc.styles["表格文字"].font.size
    return size.pt if size is not None else CELL_PT


def style_ids(doc) -> dict[str, str]:
    return {name: style_id(doc, name) for name in STYLES}


def parse_blocks(blocks: Sequence[str]) -> list:
    """Body elements from their XML text, in one parse (children of one throw-away ``<w:body>``)."""
    body = parse_xml(f'<w:body xmlns:w="{W_NS}">' + "".join(blocks) + "</w:body>")
    return list(body)


def insert_before(anchor, blocks: Sequence) -> None:
    """Put ``blocks`` before ``anchor``, in order.

    Blocks parsed by :func:`parse_blocks` come in their throw-away parent, which is moved into the
    anchor's document first, as one element: lxml moves a subtree between documents cheaply, but a
    sibling taken out of another document one at a time costs a walk of that document (1.2 s for
    the 94,000 elements of a 10,000-line unit's tables, against 10 ms this way).
    """
    parents: list[Any] = []
    for el in blocks:
        parent = el.getparent()
        if parent is not None and parent.getparent() is None and all(parent is not q for q in parents):
            anchor.addprevious(parent)
            parents.append(parent)
    for el in blocks:
        anchor.addprevious(el)
    for parent in parents:
        parent.getparent().remove(parent)


class TablesWriter:
    """Writes 第二部分 and returns the block elements in order: each table's grid
    (:mod:`xlbudget.grids`) set in Word — the header rows, then the body, widths from the content."""

    STYLES = {"text": "表格文字", "figure": "表格数字", "head": "表头"}

    def __init__(self, doc, budget: UnitBudget, tables: TableSet, width_mm: float | None = None) -> None:
        self.ids = style_ids(doc)
        self.budget = budget
        self.tables = tables
        self.width = width_mm or text_width_mm(doc)  # the tables fill the text width of their section
        self.pt = cell_pt(doc)  # and are measured in their template's type size
        self.blocks: list[str] = []

    def para(self, text: str, style: str, *, page_break: bool | None = None) -> None:
        self.blocks.append(paragraph_xml(text, self.ids[style], page_break=page_break))

    def write(self) -> list:
        for i, pt in enumerate(printed_tables(self.tables, unit_name=self.budget.unit.name)):
            self.para(pt.label, "表号", page_break=i > 0)
            self.para(title_lines(pt.title, room_mm=self.width), "表题")
            self.para(pt.unit_line, "表注")
            self.blocks.append(self.grid(pt).xml(self.ids))
            if pt.note:
                self.para(pt.note, "表注")
        return parse_blocks(self.blocks)

    def widths(self, pt: PrintedTable) -> list[float]:
        """Widths from the content: each column's own cells (not those spanning it) and headings."""
        texts: list[list[str]] = [[] for _ in range(pt.n_cols)]
        for row in pt.body:
            for c, cell in enumerate(row):
                if cell is not None and cell.cols == 1:
                    texts[c].append(cell.text)
        heads = single_heads(pt.heads, pt.n_cols)
        figures = {
            c for row in pt.body for c, cell in enumerate(row) if cell is not None and cell.style == "figure"
        }
        columns = [
            Column(label, tuple(t), tuple(h), code=not label and c not in figures)
            for c, (label, t, h) in enumerate(zip(pt.label_columns, texts, heads, strict=True))
        ]
        widths = fit_widths(columns, self.width, self.pt)
        codes = [c for c, col in enumerate(columns) if col.code]
        for _r, c, head in placed_heads(pt.heads):  # 功能分类科目编码 over 类 | 款 | 项
            if head.cols > 1 and all(i in codes for i in range(c, c + head.cols)):
                widths = widen_codes(widths, columns, range(c, c + head.cols), head.text, self.pt)
        return widths

    def grid(self, pt: PrintedTable) -> Grid:
        widths = self.widths(pt)
        table = Grid(widths, len(pt.heads) + len(pt.body))
        start = _header(table, pt.heads, self.pt)
        for i, row in enumerate(pt.body):
            r = start + i
            for c, cell in enumerate(row):
                if cell is None:
                    continue
                target = _merge(table, r, c, r, c + cell.cols - 1)
                text = no_lone_last(cell.text, widths[c], self.pt) if cell.wrap else cell.text
                _set(target, text, self.STYLES[cell.style])
        return table


def write_tables(doc, budget: UnitBudget, tables: TableSet, width_mm: float | None = None) -> list:
    """第二部分: every table of the set, with label, title, unit line and 注 — as body elements, as wide
    as ``width_mm`` (default: the text width of the document's last section, :func:`text_width_mm`)."""
    return TablesWriter(doc, budget, tables, width_mm).write()


# -- 项目支出绩效目标申报表 ---------------------------------------------------------


def form_title(budget: UnitBudget) -> str:
    """ "大同市市级预算部门（单位）项目支出绩效目标申报表"."""
    return f"{budget.unit.region}{budget.unit.level}预算部门（单位）项目支出绩效目标申报表"


def indicator_rows(target: PerformanceTarget) -> list[tuple[str, str, str, str, str]]:
    """(一级, 二级, 三级, 实施期指标值, 年度指标值) rows: the standard tree, each 二级 at least once."""
    rows: list[tuple[str, str, str, str, str]] = []
    used: set[int] = set()
    tree = [(l1, list(l2s)) for l1, l2s in INDICATOR_TREE]
    for ind in target.indicators:  # levels the standard tree lacks go at the end
        known = next((l2s for l1, l2s in tree if l1 == ind.level1), None)
        if known is None:
            tree.append((ind.level1, [ind.level2]))
        elif ind.level2 not in known:
            known.append(ind.level2)
    for l1, l2s in tree:
        for l2 in l2s:
            found = [
                (i, ind)
                for i, ind in enumerate(target.indicators)
                if ind.level1 == l1 and ind.level2 == l2 and i not in used
            ]
            if not found:
                rows.append((l1, l2, "", "", ""))
            for i, ind in found:
                used.add(i)
                rows.append((l1, l2, ind.name, ind.period_value, ind.annual_value))
    return rows


def _span_runs(values: Sequence[str]) -> list[tuple[int, int]]:
    """[(start, end)] of runs of equal consecutive values."""
    runs, start = [], 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start]:
            runs.append((start, i - 1))
            start = i
    return runs


# 绩效指标 (one character a line) | 一级指标 | 二级指标 (6 characters a line) | the rest from the content
FORM_WIDTHS = (7, 20, 22.5, None, None, 22.5, None, None)
FORM_VALUE_MM = 22  # an 指标值 column is at most this wide: a longer value wraps
FORM_LINE_PT = 11  # the forms' cells: one point tighter than the tables', so a form fills one page


def capped(texts: Sequence[str], mm: float = FORM_VALUE_MM) -> tuple[str, ...]:
    """Texts for sizing a column: those wider than ``mm`` wrap, so only their widest figure with its unit
    counts (the column is never narrower than one: ≤1,234.56万元 stays on one line)."""
    return tuple(
        t if mixed_mm(t) + PAD_MM <= mm else max(unbroken(t), key=mixed_mm, default="") for t in texts
    )


def form_blocks(ids: dict[str, str], budget: UnitBudget, target: PerformanceTarget) -> list[str]:
    """One 绩效目标申报表 in the seed's layout, as XML text: title, year, then one 8-column table."""
    blocks = [
        paragraph_xml(form_title(budget), ids["绩效表标题"]),
        paragraph_xml(f"（{budget.year}年度）", ids["绩效表年度"]),
    ]
    f, a = target.funding, target.annual_funding
    money = [
        (
            "实施期资金总额：",
            target.period_total or f.total,
            "年度资金总额：",
            target.annual_total or a.total,
        ),
        ("其中：中央财政资金", f.central, "其中：中央财政资金", a.central),
        ("省级财政资金", f.provincial, "省级财政资金", a.provincial),
        ("市县（区）财政资金", f.local, "市县（区）财政资金", a.local),
        ("单位自筹", f.own, "单位自筹", a.own),
        ("其他资金", f.other, "其他资金", a.other),
    ]
    texts = [
        ("项目概况", target.overview),
        ("立项依据", target.basis),
        ("项目设立必要性", target.necessity),
        ("保证项目实施的制度、措施", target.measures),
        ("项目实施计划", target.plan),
    ]
    indicators = indicator_rows(target)
    n_rows = 3 + len(money) + len(texts) + 2 + 1 + len(indicators)
    names = tuple(row[2] for row in indicators)
    places = yuan_places(v for m in money for v in (m[1], m[3]))  # one format for the form's money
    period_money = tuple(yuan_cell(m[1], places) for m in money)
    annual_money = tuple(yuan_cell(m[3], places) for m in money)
    table = Grid(
        fit_widths(
            [
                Column(False, fixed=FORM_WIDTHS[0]),
                Column(False, fixed=FORM_WIDTHS[1]),
                Column(False, fixed=FORM_WIDTHS[2]),
                Column(True, names),
                Column(False, capped(tuple(row[3] for row in indicators) + period_money)),
                Column(False, fixed=FORM_WIDTHS[5]),
                Column(True, names),
                Column(False, capped(tuple(row[4] for row in indicators) + annual_money)),
            ]
        ),
        n_rows,
    )
    table.line_pt = FORM_LINE_PT

    def label(r: int, text: str, c0: int = 0, c1: int = 1, r1: int | None = None) -> None:
        _set(_merge(table, r, c0, r1 if r1 is not None else r, c1), text, "表头")

    def value(r: int, text: str, c0: int, c1: int, style: str = "表格文字") -> None:
        _set(_merge(table, r, c0, r, c1), text, style)

    r = 0
    label(r, "项目名称")
    value(r, target.project, 2, 7)
    r += 1
    label(r, "主管部门及代码")
    value(r, target.department, 2, 3)
    label(r, "实施单位", 4, 5)
    value(r, target.implementer, 6, 7)
    r += 1
    label(r, "项目属性")
    value(r, target.attribute, 2, 3)
    label(r, "项目期", 4, 5)
    value(r, f"{target.period_years}年" if target.period_years else "", 6, 7)
    r += 1
    label(r, "项目资金\n（元）", r1=r + len(money) - 1)
    for left, lv, right, rv in money:
        value(r, left, 2, 3)
        value(r, yuan_cell(lv, places), 4, 4, "表格数字")
        value(r, right, 5, 6)
        value(r, yuan_cell(rv, places), 7, 7, "表格数字")
        r += 1
    for name, text in texts:
        label(r, name)
        value(r, text, 2, 7)
        r += 1
    label(r, "总体目标", r1=r + 1)
    _set(_merge(table, r, 2, r, 4), "实施期目标", "表头")
    _set(_merge(table, r, 5, r, 7), "年度目标", "表头")
    value(r + 1, target.period_goal, 2, 4)
    value(r + 1, target.annual_goal, 5, 7)
    r += 2
    head = r
    _set(_merge(table, head, 0, head + len(indicators), 0), "绩\n效\n指\n标", "表头")
    for c, text in enumerate(
        ("一级指标", "二级指标", "三级指标", "指标值", "二级指标", "三级指标", "指标值"), 1
    ):
        _set(table.cell(head, c), text, "表头")
    r += 1
    for i, (_l1, _l2, name, period, annual) in enumerate(indicators):
        for c, text in ((3, name), (4, period), (6, name), (7, annual)):
            width = table.widths[c]
            _set(table.cell(r + i, c), figures_whole(no_lone_last(text, width), width), "表格文字")
    level1 = [row[0] for row in indicators]
    level2 = [f"{row[0]}/{row[1]}" for row in indicators]
    for s, e in _span_runs(level1):
        _set(_merge(table, r + s, 1, r + e, 1), indicators[s][0], "表头")
    for s, e in _span_runs(level2):
        for c in (2, 5):
            _set(
                _merge(table, r + s, c, r + e, c), wrap_heading(indicators[s][1], table.widths[c]), "表格文字"
            )
    blocks.append(table.xml(ids))
    return blocks


def write_form(doc, budget: UnitBudget, target: PerformanceTarget) -> list:
    """One 绩效目标申报表 as body elements."""
    return parse_blocks(form_blocks(style_ids(doc), budget, target))


def write_forms(doc, budget: UnitBudget) -> list:
    """Every 绩效目标申报表 of the budget, in the order given (one parse for all)."""
    ids = style_ids(doc)
    return parse_blocks(
        [b for target in budget.performance_targets for b in form_blocks(ids, budget, target)]
    )
