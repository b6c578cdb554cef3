"""A Word report (.docx) as published: our own generated report, or one typed in Word.

Paragraphs and tables in body order (python-docx); a merged cell is one cell (python-docx repeats
it for every grid column it spans); a cell merged down is marked as continuing on the rows below (so
that a form's row read as text says 绩效指标 once); a cell's lines are joined.  Word has no pages to
point at.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from xlbudget.document.build import Cells, Text, build_document
from xlbudget.document.model import Document
from xlbudget.errors import InputError
from xlbudget.profiles import Profile


def _stream(doc: object) -> Iterator[Text | Cells]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    body = doc.element.body  # type: ignore[attr-defined]
    grid = 0
    for el in body.iterchildren():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "p":
            yield Text(Paragraph(el, doc).text)  # type: ignore[arg-type]
        elif tag == "tbl":
            grid += 1
            above: list[object] = []
            for row in Table(el, doc).rows:  # type: ignore[arg-type]
                seen: list[object] = []
                cells = []
                for cell in row.cells:
                    if cell._tc in seen:
                        continue
                    seen.append(cell._tc)
                    cells.append(cell.text)
                yield Cells(cells, None, grid, tuple(tc in above for tc in seen))
                above = seen


def read_docx(path: str | Path, profiles: Iterable[Profile] | None = None) -> Document:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    path = Path(path)
    try:
        doc = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError(
            "无法打开这个 Word 文档（文件已损坏、被截断、加密，或不是 .docx）",
            str(path),
        ) from exc
    try:
        items = list(_stream(doc))
    except Exception as exc:  # noqa: BLE001 - a malformed document is unreadable input, not a crash
        raise InputError(
            "无法读取这个 Word 文档的内容：文件已损坏（可在 Word 或 WPS 中打开后另存为 .docx 再试）",
            str(path),
        ) from exc
    return build_document(str(path), "docx", items, profiles)
