"""A PDF report as published, through its text layer (PDFium, in pdfplumber's terms: ``pdf_layer``).

Each page's words are split into what lies inside a ruled grid and what does not.  Inside a grid,
the horizontal rules make the rows (a name wrapped in its cell stays one row) and the vertical
rules crossing a row make its cells; outside, words on one baseline make a line, and lines make
paragraphs (a new one where a line is indented, or the line before it stopped short).  A PDF
without a text layer (a scan) is refused: there is nothing to read without OCR.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from xlbudget.document.build import Cells, Text, build_document
from xlbudget.document.grid import unspace
from xlbudget.document.model import Document
from xlbudget.document.pdf_layer import PageLayer, PdfFile
from xlbudget.errors import InputError
from xlbudget.profiles import Profile

JOIN = 2.5  # rules closer than this (pt) are one rule drawn double
#: Positions closer than this (pt) are the same: a line of CJK type set on a grid often ends exactly
#: 1.5 characters short of the margin, and which side of such a tie a reading falls on must not depend
#: on the last bits of the arithmetic (pdfminer's and PDFium's differ there).
SAME = 0.01


def tidy(text: str) -> str:
    return unspace(text)


def _merge(xs: Sequence[float]) -> list[float]:
    out: list[float] = []
    for x in sorted(xs):
        if not out or x - out[-1] > JOIN:
            out.append(x)
    return out


class _Page:
    def __init__(self, layer: PageLayer, number: int) -> None:
        self.number = number
        self.words = layer.words
        self.v = layer.v
        self.h = layer.h
        self.width = layer.width

    def bounds(self, y: float) -> list[float]:
        return _merge([x for x, top, bottom in self.v if top - 1 <= y <= bottom + 1])

    def grids(self) -> list[tuple[float, float, list[float]]]:
        """The ruled grids of the page, top to bottom: (top, bottom, row rules)."""
        if not self.v:
            return []
        spans = sorted((top, bottom) for _, top, bottom in self.v)
        blocks: list[list[float]] = []
        for top, bottom in spans:
            if blocks and top <= blocks[-1][1] + JOIN:
                blocks[-1][1] = max(blocks[-1][1], bottom)
            else:
                blocks.append([top, bottom])
        out = []
        for top, bottom in blocks:
            rules = _merge([y for y, x0, x1 in self.h if top - JOIN <= y <= bottom + JOIN])
            if len(rules) >= 2:
                out.append((top, bottom, rules))
        return out


def _cells(page: _Page, words: list[dict[str, Any]], y: float) -> list[str]:
    bounds = page.bounds(y)
    cells: list[list[dict[str, Any]]] = [[] for _ in range(max(len(bounds) - 1, 0))]
    for w in words:
        mid = (w["x0"] + w["x1"]) / 2
        col = sum(1 for b in bounds[:-1] if b < mid) - 1
        if 0 <= col < len(cells):
            cells[col].append(w)
    out = []
    for ws in cells:
        lines = _lines(ws)
        out.append("".join(tidy(" ".join(w["text"] for w in line)) for line in lines))
    return out


def _lines(words: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Words on one baseline (within 3 pt) make a line, left to right; lines top to bottom."""
    lines: list[list[dict[str, Any]]] = []
    for w in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if lines and abs(lines[-1][0]["top"] - w["top"]) < 3:
            lines[-1].append(w)
        else:
            lines.append([w])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def _paragraphs(page: _Page, lines: list[list[dict[str, Any]]]) -> Iterator[tuple[float, str]]:
    """Lines made paragraphs: a new one where a line is indented or the one before stopped short."""
    if not lines:
        return
    left = min(line[0]["x0"] for line in lines)
    right = max(line[-1]["x1"] for line in lines)
    size = max(1.0, min(w["bottom"] - w["top"] for line in lines for w in line))
    current: list[str] = []
    top = 0.0
    last_start, last_end = left, right
    last_bottom = None
    last_height = lines[0][0]["bottom"] - lines[0][0]["top"]
    for line in lines:
        text = tidy(" ".join(w["text"] for w in line))
        x0, x1 = line[0]["x0"], line[-1]["x1"]
        gap = last_bottom is not None and line[0]["top"] - last_bottom > 1.2 * size + SAME
        if current and re.fullmatch(r"[。，；、：）)”]", text):
            current.append(text)  # punctuation pushed onto a line of its own
            continue
        centred = last_start > left + size * 2.5 + SAME  # a title or heading stands alone
        height = line[0]["bottom"] - line[0]["top"]
        resized = abs(height - last_height) > 0.15 * max(height, last_height) + SAME  # a title's larger type
        new = (
            not current
            or x0 > left + size * 0.8 + SAME
            or last_end < right - size * 1.5 - SAME
            or gap
            or centred
            or resized
        )
        if new and current:
            yield top, "".join(current)
            current = []
        if not current:
            top = line[0]["top"]
        current.append(text)
        last_start, last_end, last_bottom, last_height = x0, x1, line[0]["bottom"], height
    if current:
        yield top, "".join(current)


def _page_stream(page: _Page, first_grid: int) -> tuple[list[tuple[float, Text | Cells]], int]:
    items: list[tuple[float, Text | Cells]] = []
    grids = page.grids()
    inside: list[dict[str, Any]] = []
    outside: list[dict[str, Any]] = []
    for w in page.words:
        y = (w["top"] + w["bottom"]) / 2
        (inside if any(t - 1 <= y <= b + 1 for t, b, _ in grids) else outside).append(w)
    n = first_grid
    for top, bottom, rules in grids:
        n += 1
        ws = [w for w in inside if top - 1 <= (w["top"] + w["bottom"]) / 2 <= bottom + 1]
        for upper, lower in zip(rules, rules[1:], strict=False):
            row = [w for w in ws if upper <= (w["top"] + w["bottom"]) / 2 < lower]
            if not row:
                continue
            y = (upper + lower) / 2
            cells = _cells(page, row, y)
            if len(cells) >= 1 and any(cells):
                items.append((upper, Cells(cells, page.number, n)))
    # text between grids is read in its own blocks, so a paragraph never runs across a table
    cuts = [t for t, _, _ in grids]
    groups: dict[int, list[dict[str, Any]]] = {}
    for w in outside:
        groups.setdefault(sum(1 for c in cuts if c < w["top"]), []).append(w)
    for _, ws in sorted(groups.items()):
        for top, text in _paragraphs(page, _lines(ws)):
            items.append((top, Text(text, page.number)))
    items.sort(key=lambda it: it[0])
    return items, n


def read_pdf(path: str | Path, profiles: Iterable[Profile] | None = None) -> Document:
    path = Path(path)
    pdf = PdfFile(path)
    items: list[Text | Cells] = []
    try:
        grid = 0
        for index in range(len(pdf)):
            stream, grid = _page_stream(_Page(pdf.page(index), index + 1), grid)
            items += [it for _, it in stream]
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - a page that cannot be parsed: the file is unreadable
        raise InputError(
            "无法读取这个 PDF 的内容：文件已损坏，或其中有本工具读不了的页面（可在 PDF 阅读器中另存为 PDF 后再试）",
            str(path),
        ) from exc
    finally:
        pdf.close()
    if not any(isinstance(it, Text) and it.text.strip() for it in items) and not any(
        isinstance(it, Cells) for it in items
    ):
        raise InputError(
            "这个 PDF 没有文字层（可能是扫描件或图片），无法读取其中的表格和文字；"
            "请提供由 Word/WPS 导出的 PDF，或先做文字识别（OCR）",
            str(path),
        )
    return build_document(str(path), "pdf", items, profiles)
