"""Paragraphs for the text rules' tests, built here (the document readers are written elsewhere):

- ``seed_paragraphs``: the seed's text extraction (../shared/seed/…txt), its bold-doubling undone
  ("收入收入" → "收入") and its wrapped lines joined into paragraphs;
- ``pdf_paragraphs``: a real report's text layer through ``pdftotext -layout``, page by page, the
  table pages left out (their figures are the tables'), an indented line starting a paragraph;
- ``docx_paragraphs``: our own report read back with python-docx (xlbudget.report.text).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from xlbudget.document.model import Paragraph

pytestmark = pytest.mark.slow  # pdftotext

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED_TXT = SHARED / "seed" / "datong-xinfang-2023-budget-disclosure.txt"
REAL = SHARED / "real"
_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[、．]|\d+\.(?!\d)|第[一二三四五六七八九十]+部分|预算公开表|部门公开表)"
)
_END = re.compile(r"[。：:；;]$")


def undouble(text: str) -> str:
    """One token printed twice by a bold-text extraction ("收入收入", "916.53916.53") printed once."""

    def once(token: str) -> str:
        half = len(token) // 2
        return token[:half] if len(token) % 2 == 0 and half and token[:half] == token[half:] else token

    tokens = [once(t) for t in text.split(" ")]
    half = len(tokens) // 2
    if len(tokens) % 2 == 0 and half and tokens[:half] == tokens[half:]:
        tokens = tokens[:half]  # "第三部分 第三部分"
    return " ".join(tokens)


def seed_paragraphs(text: str | None = None) -> list[Paragraph]:
    """The seed's text as paragraphs: a line ending in 。/：/；, a short line (a heading) or the line before
    a heading ends one."""
    lines = [undouble(line.strip()) for line in (text or SEED_TXT.read_text("utf-8")).splitlines()]
    lines = [line for line in lines if line]
    out: list[str] = []
    current = ""
    for i, line in enumerate(lines):
        current += line
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if _END.search(line) or len(line) < 30 or _HEADING.match(following) or not following:
            out.append(current)
            current = ""
    return [Paragraph(text=t, page=None, index=i) for i, t in enumerate(out, 1)]


def pdf_paragraphs(pdf: Path) -> list[Paragraph]:
    """A PDF's text paragraphs with their pages; the pages of tables (编制单位：/编制部门：) left out."""
    if shutil.which("pdftotext") is None:
        raise AssertionError(
            "pdftotext is missing: apt-get install poppler-utils (scripts/setup.sh --system)"
        )
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    out: list[Paragraph] = []
    for page_no, page in enumerate(text.split("\f"), 1):
        if re.search(r"编制(?:单位|部门)[：:]", page):
            continue
        current = ""
        for line in page.splitlines():
            if not line.strip():
                if current:
                    out.append(Paragraph(current, page_no, len(out) + 1))
                current = ""
                continue
            if line[:1].isspace() and current:
                out.append(Paragraph(current, page_no, len(out) + 1))
                current = ""
            current += line.strip()
        if current:
            out.append(Paragraph(current, page_no, len(out) + 1))
    return out


def test_bold_doubling_is_undone_and_lines_are_joined() -> None:
    paras = seed_paragraphs()
    texts = [p.text for p in paras]
    assert "一、单位预算收支数据变动情况及原因" in texts
    eight = next(t for t in texts if t.startswith("2023年，大同市信访局机关运行经费"))
    assert eight.endswith("单位人员的变动。") and "增加2.9%" in eight.replace(" ", "")


def test_pdf_paragraphs_leave_out_table_pages_and_keep_pages() -> None:
    paras = pdf_paragraphs(REAL / "shanghai-putuo-fuliyuan-2024-unit-budget.pdf")
    item4 = next(p for p in paras if "社会福利事业单位（项）" in p.text)
    assert item4.page == 6 and "738.66万元" in item4.text and "根据实际支出。" in item4.text
    assert not any("9,501,164" in p.text for p in paras)  # 表1's figures are not text
