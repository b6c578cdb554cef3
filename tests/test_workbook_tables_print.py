"""Every 表 sheet of every profile's workbook, printed: LibreOffice turns the workbook into a PDF (as
"print the whole workbook" does) and pdfplumber reads each table's page back.

What a finance officer checks on paper before publishing a table: the title and the 单位 line whole
above it; no 项 name cut off at its column's border (before: 表2/3/5's "机关事业单位基本养老保险缴费支出"
lost its 出, and 表7's title both its ends, in a sheet three columns wide); no figure shown as ####; no
heading broken inside a word ("国有资本经营预" / "算"): each line of a heading is whole words.
The workbooks are those the builder writes for the seed (shanxi-13), for the seed with
"profile": "national-9", and for the putuo welfare home (shanghai-9).
LibreOffice or poppler missing is a FAILURE with the install command, never a skip.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pdfplumber
import pytest

from tests.conftest import SEED_JSON, SHARED
from tests.helpers.lo import INSTALL_HINT, find_soffice
from tests.helpers.pages import cut_characters
from xlbudget.io.load import read_budget
from xlbudget.tables import build_tables
from xlbudget.text_width import head_words
from xlbudget.workbook import layout as L
from xlbudget.workbook.build import write_workbook

pytestmark = pytest.mark.slow

PROFILES = ["shanxi-13", "national-9", "shanghai-9"]


def unit_file(profile: str, folder: Path) -> Path:
    if profile == "shanghai-9":
        return SHARED / "fixtures" / "putuo-welfare-2024.json"
    doc = json.loads(SEED_JSON.read_text("utf-8"))
    if profile != "shanxi-13":
        doc["unit"]["profile"] = profile
    path = folder / f"{profile}.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    return path


@pytest.fixture(scope="module", params=PROFILES)
def printed(request, tmp_path_factory):
    """(the unit's tables, the workbook's PDF, 表N → the PDF page it prints on)."""
    soffice = find_soffice()
    if soffice is None:
        pytest.fail(f"LibreOffice is needed: {INSTALL_HINT}")
    folder = tmp_path_factory.mktemp(request.param)
    budget = read_budget(unit_file(request.param, folder))
    tables = build_tables(budget)
    assert tables.profile == request.param
    book = write_workbook(folder / "book.xlsm", budget)
    subprocess.run(
        [soffice, f"-env:UserInstallation={(folder / 'lo').as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(folder), str(book)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    pdf = folder / "book.pdf"
    pages: dict[int, int] = {}
    with pdfplumber.open(str(pdf)) as doc:
        texts = [re.sub(r"\s+", "", page.extract_text() or "") for page in doc.pages]
    for t in tables.tables:
        head = re.sub(r"\s+", "", t.title)
        pages[t.number] = next(
            n for n, text in enumerate(texts, 1) if head in text and (t.label or "") in text
        )
    return budget, tables, pdf, pages, texts


def test_every_table_prints_whole_titles_and_unit_lines(printed) -> None:
    budget, tables, _pdf, pages, texts = printed
    assert len(pages) == len(tables.tables) and len(set(pages.values())) == len(pages)  # one page each
    for t in tables.tables:
        pt = L.sheet_grid(t, budget.unit.name, budget.year)
        text = texts[pages[t.number] - 1]
        left, _, right = pt.unit_line.partition("\t")
        for part in (pt.label, pt.title, left, right):
            assert re.sub(r"\s+", "", part) in text, (t.number, part)
        assert "###" not in text, t.number  # a figure too wide for its column


def test_no_text_is_cut_at_a_cell_border(printed) -> None:
    _budget, _tables, pdf, pages, _texts = printed
    assert cut_characters(pdf, sorted(pages.values())) == []


def test_every_label_prints_on_its_tables_page(printed) -> None:
    """Every 项 name, class label and total of the grid is on the table's page, whole."""
    budget, tables, _pdf, pages, texts = printed
    for t in tables.tables:
        pt = L.sheet_grid(t, budget.unit.name, budget.year)
        text = texts[pages[t.number] - 1]
        for row in pt.body:
            for cell in row:
                if cell is not None and cell.style != "figure" and cell.text:
                    assert re.sub(r"\s+", "", cell.text) in text, (t.number, cell.text)


def test_headings_break_between_words(printed) -> None:
    """Each line of a heading the sheet breaks is whole words of it (国有资本 / 经营预算)."""
    budget, tables, _pdf, _pages, _texts = printed
    broken = 0
    for t in tables.tables:
        pt = L.sheet_grid(t, budget.unit.name, budget.year)
        for *_, text in L.header_cells(pt):
            if "\n" not in text:
                continue
            broken += 1
            words = head_words(text.replace("\n", ""))
            cuts = {sum(len(w) for w in words[:i]) for i in range(len(words) + 1)}
            lines = text.split("\n")
            ends = {sum(len(line) for line in lines[: i + 1]) for i in range(len(lines))}
            assert ends <= cuts, (t.number, text)
    assert broken  # the long headings (国有资本经营预算, 事业单位经营收入 …) do break


def test_a_yuan_table_prints_fen_where_a_figure_has_them(tmp_path: Path) -> None:
    """The putuo unit (shanghai-9, its tables in 元) with 0.56 元 added to its first 基本支出 line (758,448 →
    758,448.56): 表1's 财政拨款收入 prints 9,501,164.56 — not 9,501,165, a figure rounded to the 元 on the way
    — while the 项目支出 2,620,000 still prints whole (no .00)."""
    soffice = find_soffice()
    if soffice is None:
        pytest.fail(f"LibreOffice is needed: {INSTALL_HINT}")
    doc = json.loads((SHARED / "fixtures" / "putuo-welfare-2024.json").read_text("utf-8"))
    assert doc["basic"][0]["amount"] == 758448
    doc["basic"][0]["amount"] = "758448.56"
    unit = tmp_path / "unit.json"
    unit.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    book = write_workbook(tmp_path / "book.xlsm", read_budget(unit))
    subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(book)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    with pdfplumber.open(str(tmp_path / "book.pdf")) as pdf:
        first = next(p.extract_text() or "" for p in pdf.pages if "财政拨款收入" in (p.extract_text() or ""))
    assert "9,501,164.56" in first and "9,501,165" not in first
    assert "2,620,000" in first and "2,620,000.00" not in first
