"""A written report read back as text, in document order (paragraphs and table cells).

For tests and checks: what a reader of the .docx sees, without styles.  Tabs
read as "\\t", line breaks as "\\n"; a table row reads as its cells joined by
" | " (a merged cell once).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

_T, _TAB, _BR, _P, _TBL, _TR, _TC = (qn(t) for t in ("w:t", "w:tab", "w:br", "w:p", "w:tbl", "w:tr", "w:tc"))


def _para_text(p) -> str:
    out = []
    for el in p.iter(_T, _TAB, _BR):
        if el.tag == _T:
            out.append(el.text or "")
        elif el.tag == _TAB:
            out.append("\t")
        elif el.get(qn("w:type")) in (None, "textWrapping"):
            out.append("\n")
    return "".join(out)


def _rows(tbl) -> list[list[str]]:
    rows = []
    for tr in tbl.iter(_TR):
        rows.append(["\n".join(_para_text(p) for p in tc.iter(_P)) for tc in tr.iterchildren(_TC)])
    return rows


@dataclass(frozen=True)
class DocTable:
    before: tuple[str, ...]  # the non-empty paragraphs between the previous table and this one
    rows: tuple[tuple[str, ...], ...]


def docx_blocks(path: str | Path) -> list[str]:
    """One string per body paragraph, and one per table row (cells joined by " | "), in order."""
    doc = Document(str(path))
    out: list[str] = []
    for el in doc.element.body.iterchildren():
        if el.tag == _P:
            out.append(_para_text(el))
        elif el.tag == _TBL:
            out += [" | ".join(cells) for cells in _rows(el)]
    return out


def docx_text(path: str | Path) -> str:
    return "\n".join(docx_blocks(path))


def docx_tables(path: str | Path) -> list[DocTable]:
    """Every body table with the paragraphs just before it (its label, title, unit line)."""
    doc = Document(str(path))
    out: list[DocTable] = []
    before: list[str] = []
    for el in doc.element.body.iterchildren():
        if el.tag == _P:
            text = _para_text(el).strip()
            if text:
                before.append(text)
        elif el.tag == _TBL:
            out.append(DocTable(tuple(before), tuple(tuple(r) for r in _rows(el))))
            before = []
    return out
