"""A report as published (PDF, Word or text), read back for checking: :class:`Document`.

from xlbudget.document import read_document
doc = read_document("报告.pdf")     # or .docx / .txt
doc.tables                          # the tables as printed (a TableSet), found by title
doc.paragraphs                      # the text, by part and section
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from xlbudget.document.model import Document, Paragraph
from xlbudget.errors import InputError
from xlbudget.profiles import Profile

DOCUMENT_SUFFIXES = (".pdf", ".docx", ".txt")


def read_document(path: str | Path, profiles: Iterable[Profile] | None = None) -> Document:
    """A published report, by its suffix: .pdf (text layer), .docx, or .txt extracted from a PDF.

    Its tables are found by their titles through ``profiles`` (default: every shipped profile)."""
    path = Path(path)
    if not path.exists():
        raise InputError("文件不存在", str(path))
    if path.is_dir():
        raise InputError("这是一个文件夹，不是文件", str(path))
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        from xlbudget.document.pdf import read_pdf

        return read_pdf(path, profiles)
    if suffix == ".docx":
        from xlbudget.document.docx import read_docx

        return read_docx(path, profiles)
    if suffix == ".txt":
        from xlbudget.document.txt import read_txt

        return read_txt(path, profiles)
    raise InputError(f"不认识的报告类型 “{path.suffix}”：应为 .pdf、.docx 或 .txt", str(path))


__all__ = ["DOCUMENT_SUFFIXES", "Document", "Paragraph", "read_document"]
