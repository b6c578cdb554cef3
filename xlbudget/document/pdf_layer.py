"""A PDF page's text layer and ruling lines through PDFium (pypdfium2), in pdfplumber's terms.

PDFium parses a page's content in C, several times faster than pdfminer in Python (what pdfplumber
runs), so a 35-page report reads in a fraction of a second. What the reader needs of a page is small,
and it is given here as pdfplumber gave it, so that the reader's rules stay as they were written:

- **words**: characters boxed as pdfminer boxes them — from the origin along the width the font's /W or
  /Widths gives, from the baseline less the font's descent to one type size above that — and joined
  into words as pdfplumber's ``extract_words()`` joins them by default (lines of characters whose tops
  lie within 3 pt, left to right; a new word at a blank, at a gap of more than 3 pt, or where a
  character steps back);
- **rules**: every painted path's segments, as pdfminer classifies them (a single straight segment a
  line, horizontal only when exactly level; a rectangle's sides; a polygon's or curve's chords between
  its points), and of those the horizontal and vertical ones longer than 2 pt.

One difference is known: where a font's descriptor gives no ascent and no descent (LibreOffice writes
both as 0), pdfminer takes the descent as 0 while PDFium measures it from the font's glyphs, so such
text sits a little lower in its box (at most about a fifth of the type size). ``tests/test_pdf_layer.py``
holds the words and rules to pdfplumber's on the real reports (to a hundredth of a point, turned pages
too), ``test_document_report`` on our own.
"""

from __future__ import annotations

import ctypes
import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from xlbudget.errors import InputError

TOLERANCE = 3.0  # pdfplumber's default x and y tolerances (pt)
MIN_RULE = 2.0  # a ruling line shorter than this is no rule (a rectangle's end across a thin bar)
LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}

Matrix = tuple[float, float, float, float, float, float]
Word = dict[str, Any]


@dataclass(frozen=True)
class PageLayer:
    """What the reader takes from one page: its words, its vertical rules (x, top, bottom) and its
    horizontal rules (y, x0, x1), in points from the page's top left."""

    words: list[Word]
    v: list[tuple[float, float, float]]
    h: list[tuple[float, float, float]]
    width: float


class _Char(NamedTuple):
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    upright: bool


def _mul(m1: Matrix, m2: Matrix) -> Matrix:
    """m1 then m2 (PDF's row-vector convention)."""
    a1, b1, c1, d1, e1, f1 = m1
    a2, b2, c2, d2, e2, f2 = m2
    return (
        a1 * a2 + b1 * c2,
        a1 * b2 + b1 * d2,
        c1 * a2 + d1 * c2,
        c1 * b2 + d1 * d2,
        e1 * a2 + f1 * c2 + e2,
        e1 * b2 + f1 * d2 + f2,
    )


class _Space:
    """PDF user space to pdfplumber's page coordinates: pdfminer's page matrix (the MediaBox's corner
    moved to the origin, the page's /Rotate applied), then pdfplumber's flip to top-down."""

    def __init__(self, mediabox: tuple[float, float, float, float], rotation: int) -> None:
        x0, x1 = sorted((mediabox[0], mediabox[2]))
        y0, y1 = sorted((mediabox[1], mediabox[3]))
        if rotation == 90:
            self.ctm: Matrix = (0, -1, 1, 0, -y0, x1)
        elif rotation == 180:
            self.ctm = (-1, 0, 0, -1, x1, y1)
        elif rotation == 270:
            self.ctm = (0, 1, -1, 0, y1, -x0)
        else:
            self.ctm = (1, 0, 0, 1, -x0, -y0)
        nx0, ny0, nx1, ny1 = (y0, x0, y1, x1) if rotation in (90, 270) else (x0, y0, x1, y1)
        self.height = ny1 - ny0
        self.width = nx1 - nx0
        self.shift_x = nx0  # pdfplumber adds the MediaBox's left back to x …
        self.shift_top = -ny0  # … and its (flipped) top to every top

    def point(self, x: float, y: float) -> tuple[float, float]:
        """A point of the page's own space."""
        return self.flip(x, y, self.ctm)

    def flip(self, x: float, y: float, m: Matrix) -> tuple[float, float]:
        """A point through ``m`` (which ends in the page's matrix), flipped top-down."""
        a, b, c, d, e, f = m
        px, py = a * x + c * y + e, b * x + d * y + f
        return px + self.shift_x, self.height - py + self.shift_top


_READY = False
_REASONS = {1: "未知错误", 2: "文件打不开", 3: "不是 PDF 或已损坏", 5: "安全设置不支持", 6: "页面有误"}


def _pdfium() -> Any:
    """PDFium's C functions (pypdfium2's raw bindings, without its Python helpers: they import half the
    standard library, and only these few calls are needed), the library initialised once."""
    global _READY
    import pypdfium2_raw as c  # type: ignore[import-untyped]

    if not _READY:
        c.FPDF_InitLibraryWithConfig(
            c.FPDF_LIBRARY_CONFIG(version=2, m_pUserFontPaths=None, m_pIsolate=None, m_v8EmbedderSlot=0)
        )
        _READY = True
    return c


class PdfFile:
    """An open PDF: ``len()`` pages, ``page(i)`` a page's layer; ``close()`` (or ``with``) frees it.

    The file is read by Python and handed to PDFium from memory, so a path in any script (中文 on
    Windows) opens alike."""

    def __init__(self, path: Path) -> None:
        c = self._c = _pdfium()
        try:
            self._data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"无法读取这个文件：{exc.strerror or exc}", str(path)) from exc
        self._doc = c.FPDF_LoadMemDocument64(self._data, len(self._data), None)
        if not self._doc:
            code = c.FPDF_GetLastError()
            if code == c.FPDF_ERR_PASSWORD:
                raise InputError("这个 PDF 已加密（需要密码），无法读取；请提供未加密的 PDF", str(path))
            raise InputError(
                f"无法打开这个 PDF（文件已损坏、被截断，或不是 PDF）：PDFium：{_REASONS.get(code, code)}",
                str(path),
            )

    def __len__(self) -> int:
        return int(self._c.FPDF_GetPageCount(self._doc))

    def __enter__(self) -> PdfFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._doc:
            self._c.FPDF_CloseDocument(self._doc)
            self._doc = None

    def page(self, index: int) -> PageLayer:
        """One page's words and rules (``index`` from 0)."""
        c = self._c
        page = c.FPDF_LoadPage(self._doc, index)
        if not page:
            raise ValueError(f"PDFium cannot load page {index + 1}")
        try:
            space = _Space(_mediabox(c, page), int(c.FPDFPage_GetRotation(page)) % 4 * 90)
            textpage = c.FPDFText_LoadPage(page)
            try:
                chars = _chars(c, textpage, space) if textpage else []
            finally:
                if textpage:
                    c.FPDFText_ClosePage(textpage)
            v: list[tuple[float, float, float]] = []
            h: list[tuple[float, float, float]] = []
            _rules(c, page, None, False, space, v, h)
        finally:
            c.FPDF_ClosePage(page)
        return PageLayer(words(chars), v, h, space.width)


def _mediabox(c: Any, page: Any) -> tuple[float, float, float, float]:
    """The page's MediaBox; where the page inherits it from the page tree (PDFium's MediaBox call sees
    only the page's own), the box PDFium lays the page out in."""
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if c.FPDFPage_GetMediaBox(page, left, bottom, right, top):
        return left.value, bottom.value, right.value, top.value
    box = c.FS_RECTF()
    if c.FPDF_GetPageBoundingBox(page, box):
        return box.left, box.bottom, box.right, box.top
    return 0.0, 0.0, float(c.FPDF_GetPageWidthF(page)), float(c.FPDF_GetPageHeightF(page))


def _chars(c: Any, tp: Any, space: _Space) -> list[_Char]:
    """Every character PDFium reads on the page (not the blanks and line ends it generates), boxed as
    pdfminer boxes it, in the order the page draws them."""
    out: list[_Char] = []
    count = c.FPDFText_CountChars(tp)
    if count <= 0:
        return out
    units = (ctypes.c_ushort * (count + 1))()
    c.FPDFText_GetText(tp, 0, count, units)
    if any(0xD800 <= u <= 0xDFFF for u in units[:count]):  # beyond the BMP: one character at a time
        codes = [c.FPDFText_GetUnicode(tp, i) for i in range(count)]
    else:
        codes = list(units[:count])
    box = c.FS_RECTF()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    fm = c.FS_MATRIX()
    descent, width = ctypes.c_float(), ctypes.c_float()
    font: Any = None
    pointer = ctypes.c_void_p.from_buffer
    last_obj: int | None = -1  # no text object yet
    own: tuple[float, float, float, float] = (1.0, 0.0, 0.0, 1.0)
    turn: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)  # the text object's matrix through the page's
    upright = plain = True
    size = desc = 0.0
    turns: dict[tuple[float, float, float, float], tuple[Matrix, bool, bool]] = {}
    descents: dict[int | None, float] = {}
    for i, code in enumerate(codes):
        if c.FPDFText_IsGenerated(tp, i) == 1:
            continue
        obj = c.FPDFText_GetTextObject(tp, i)
        key = pointer(obj).value
        if key != last_obj:  # a text object's matrix, type size and font hold for all its characters
            last_obj = key
            c.FPDFText_GetMatrix(tp, i, fm)
            own = (fm.a, fm.b, fm.c, fm.d)
            if own not in turns:
                turn = _mul((*own, 0.0, 0.0), (*space.ctm[:4], 0.0, 0.0))
                turns[own] = (
                    turn,
                    turn[0] * turn[3] > 0 and turn[1] * turn[2] <= 0,
                    own[1] == 0 and own[2] == 0 and own[0] > 0 and own[3] > 0,
                )
            turn, upright, plain = turns[own]
            size = c.FPDFText_GetFontSize(tp, i)
            font = c.FPDFTextObj_GetFont(obj) if obj else None
            which = pointer(font).value if font else None
            if which not in descents:
                ok = which is not None and c.FPDFFont_GetDescent(font, 1.0, descent)
                descents[which] = descent.value if ok else 0.0
            desc = descents[which]
        text = chr(code) if 0 < code <= 0x10FFFF else "\ufffd"
        c.FPDFText_GetCharOrigin(tp, i, ox, oy)
        a, b = own[0], own[1]
        if font and c.FPDFFont_GetGlyphWidth(font, code, size, width):
            advance = width.value  # the width the font's /W or /Widths gives, as pdfminer takes it
        else:  # the advance PDFium's box around the character runs along
            c.FPDFText_GetLooseCharBox(tp, i, box)
            if a and abs(a) >= abs(b):
                advance = (box.right - box.left) / abs(a)
            elif b:
                advance = (box.top - box.bottom) / abs(b)
            else:
                advance = 0.0
        if plain:  # from the origin along the advance; from the baseline less the descent, one size up
            base = oy.value + desc * size * own[3]
            x0, low = space.point(ox.value, base)
            x1, high = space.point(ox.value + a * advance, base + own[3] * size)
            out.append(_Char(text, min(x0, x1), max(x0, x1), min(low, high), max(low, high), upright))
            continue
        lo, hi = desc * size, desc * size + size
        px, py = space.point(ox.value, oy.value)
        ta, tb, tc, td = turn[:4]
        xs = (px + tc * lo, px + ta * advance + tc * lo, px + tc * hi, px + ta * advance + tc * hi)
        ys = (py - td * lo, py - tb * advance - td * lo, py - td * hi, py - tb * advance - td * hi)
        out.append(_Char(text, min(xs), max(xs), min(ys), max(ys), upright))
    return out


def _rules(
    c: Any,
    parent: Any,
    outer: Matrix | None,
    form: bool,
    space: _Space,
    v: list[tuple[float, float, float]],
    h: list[tuple[float, float, float]],
) -> None:
    """The painted paths' horizontal and vertical segments, into ``v`` and ``h``; a form's paths
    through the form's matrix, as pdfminer draws them."""
    fm = c.FS_MATRIX()
    count = c.FPDFFormObj_CountObjects(parent) if form else c.FPDFPage_CountObjects(parent)
    for i in range(count):
        obj = c.FPDFFormObj_GetObject(parent, i) if form else c.FPDFPage_GetObject(parent, i)
        kind = c.FPDFPageObj_GetType(obj)
        if kind not in (c.FPDF_PAGEOBJ_PATH, c.FPDF_PAGEOBJ_FORM):
            continue
        c.FPDFPageObj_GetMatrix(obj, fm)
        matrix: Matrix = (fm.a, fm.b, fm.c, fm.d, fm.e, fm.f)
        if outer is not None:
            matrix = _mul(matrix, outer)
        if kind == c.FPDF_PAGEOBJ_FORM:
            _rules(c, obj, matrix, True, space, v, h)
        else:
            _path(c, obj, matrix, space, v, h)


def _path(
    c: Any,
    obj: Any,
    matrix: Matrix,
    space: _Space,
    v: list[tuple[float, float, float]],
    h: list[tuple[float, float, float]],
) -> None:
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not c.FPDFPath_GetDrawMode(obj, fill, stroke) or (fill.value == 0 and not stroke.value):
        return  # a path that is not painted (a clip) draws nothing
    x, y = ctypes.c_float(), ctypes.c_float()
    full = _mul(matrix, space.ctm)
    subpaths: list[tuple[list[tuple[float, float]], list[bool]]] = []  # points, [closed, curved]
    bezier = 0
    for i in range(c.FPDFPath_CountSegments(obj)):
        seg = c.FPDFPath_GetPathSegment(obj, i)
        c.FPDFPathSegment_GetPoint(seg, x, y)
        kind = c.FPDFPathSegment_GetType(seg)
        point = space.flip(x.value, y.value, full)
        if kind == c.FPDF_SEGMENT_MOVETO or not subpaths:
            subpaths.append(([point], [False, False]))
            bezier = 0
        elif kind == c.FPDF_SEGMENT_BEZIERTO:
            subpaths[-1][1][1] = True
            bezier += 1
            if bezier % 3 == 0:  # two control points, then the end point (pdfminer keeps only that)
                subpaths[-1][0].append(point)
        else:
            subpaths[-1][0].append(point)
        if c.FPDFPathSegment_GetClose(seg):
            subpaths[-1][1][0] = True
    for points, (closed, curved) in subpaths:
        if closed and points[-1] != points[0]:
            points.append(points[0])
        if len(points) < 2:
            continue
        line = not curved and (len(points) == 2 or (len(points) == 3 and closed and points[2] == points[0]))
        pairs = [(points[0], points[1])] if line else list(itertools.pairwise(points))
        for (x0, y0), (x1, y1) in pairs:
            left, right, top, bottom = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
            if line:  # pdfplumber: a line is horizontal when level, else vertical
                orientation = "h" if y0 == y1 else "v"
            else:
                orientation = "v" if x0 == x1 else ("h" if y0 == y1 else "")
            if orientation == "v" and bottom - top > MIN_RULE:
                v.append((left, top, bottom))
            elif orientation == "h" and right - left > MIN_RULE:
                h.append((top, left, right))


def _clusters(chars: list[_Char], key: Any) -> list[list[_Char]]:
    """pdfplumber's ``cluster_objects``: the distinct key values sorted and chained where each is
    within the tolerance of the one before; characters grouped by chain, in their order."""
    values = sorted({key(ch) for ch in chars})
    which: dict[float, int] = {}
    n, last = -1, None
    for value in values:
        if last is None or value > last + TOLERANCE:
            n += 1
        which[value] = n
        last = value
    ordered = sorted(chars, key=lambda ch: which[key(ch)])
    return [list(g) for _, g in itertools.groupby(ordered, key=lambda ch: which[key(ch)])]


def _new_word(prev: _Char, ch: _Char, upright: bool) -> bool:
    if upright:  # left to right, lines top to bottom
        ax, bx, cx, ay, cy = prev.x0, prev.x1, ch.x0, prev.top, ch.top
    else:  # turned text: top to bottom, lines left to right
        ax, bx, cx, ay, cy = prev.top, prev.bottom, ch.top, prev.x0, ch.x0
    return cx < ax or cx > bx + TOLERANCE or abs(cy - ay) > TOLERANCE


def words(chars: list[_Char]) -> list[Word]:
    """Characters joined into words as pdfplumber's ``extract_words()`` joins them by default."""
    out: list[Word] = []

    def emit(word: list[_Char]) -> None:
        out.append(
            {
                "text": "".join(LIGATURES.get(ch.text, ch.text) for ch in word),
                "x0": min(ch.x0 for ch in word),
                "x1": max(ch.x1 for ch in word),
                "top": min(ch.top for ch in word),
                "bottom": max(ch.bottom for ch in word),
                "upright": word[0].upright,
            }
        )

    for upright, group in itertools.groupby(chars, key=lambda ch: ch.upright):
        run = list(group)
        if upright:
            lines = _clusters(run, lambda ch: ch.top)
            order = lambda ch: ch.x0  # noqa: E731
        else:
            lines = _clusters(run, lambda ch: ch.x0)
            order = lambda ch: (ch.top, ch.bottom)  # noqa: E731
        for line in lines:
            word: list[_Char] = []
            for ch in sorted(line, key=order):
                if ch.text.isspace():
                    if word:
                        emit(word)
                    word = []
                elif word and _new_word(word[-1], ch, upright):
                    emit(word)
                    word = [ch]
                else:
                    word.append(ch)
            if word:
                emit(word)
    return out
