"""The committed workbook printed: LibreOffice turns it into a PDF (as "print the whole workbook" does) and
poppler reads the PDF back.

What a finance officer checks on paper: it is not a stack of 87 pages; every page is A4; no text is cut at
the margin or lost in a row too short for it (every text the sheets hold is on its sheet's pages, whole);
the year prints as 2023, not "20"; each 预算公开表 is one page; 科目表 is not a thousand lines.
LibreOffice or poppler missing is a FAILURE with the install command, never a skip.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import ROOT
from tests.helpers.lo import INSTALL_HINT, find_soffice
from xlbudget.workbook import layout as L

COMMITTED = ROOT / "workbook" / "Budget2023.xlsm"
MAX_PAGES = 40
A4 = (595, 842)  # points, rounded


def _need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"{tool} is needed: apt-get install -y poppler-utils")
    return path


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    soffice = find_soffice()
    if soffice is None:
        pytest.fail(f"LibreOffice is needed: {INSTALL_HINT}")
    tmp = tmp_path_factory.mktemp("print")
    src = tmp / COMMITTED.name
    shutil.copyfile(COMMITTED, src)
    profile = (tmp / "profile").as_uri()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    out = tmp / (COMMITTED.stem + ".pdf")
    assert out.exists(), "LibreOffice wrote no PDF"
    return out


def _pages(pdf: Path) -> int:
    info = subprocess.run([_need("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def _text(pdf: Path, page: int, *extra: str) -> str:
    cmd = [_need("pdftotext"), *extra, "-f", str(page), "-l", str(page), str(pdf), "-"]
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def _words(pdf: Path, page: int) -> tuple[float, float, list[tuple[float, float, float, float, str]]]:
    """(page width, page height, [(xMin, yMin, xMax, yMax, word)]) of one page."""
    xml = _text(pdf, page, "-bbox")
    m = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', xml)
    words = [
        (float(a), float(b), float(c), float(d), html.unescape(w))
        for a, b, c, d, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', xml
        )
    ]
    return float(m.group(1)), float(m.group(2)), words


def _sheet_of(pdf: Path, page: int) -> str:
    """The sheet a page belongs to: its footer (“基本支出　第 1 页”), or 表N's label (预算公开表N)."""
    _, height, words = _words(pdf, page)
    footer = "".join(w for _, y, _, _, w in sorted(words, key=lambda t: t[0]) if y > height - 45)
    m = re.fullmatch(r"(.+?)第(\d+)页", footer)
    if m:
        return m.group(1)
    top = [w for _, y, _, _, w in words if y < 60]  # the label is a word of its own (the title may be near)
    m = next((m for w in top if (m := re.fullmatch(r"预算公开表(\d+)", w))), None)
    assert m, f"page {page} has neither a footer nor a table label: {top!r} / {footer!r}"
    return L.table_sheet(int(m.group(1)))


@pytest.fixture(scope="module")
def by_sheet(pdf: Path) -> dict[str, list[str]]:
    """Sheet → the text of each of its pages, in print order."""
    out: dict[str, list[str]] = {}
    for page in range(1, _pages(pdf) + 1):
        out.setdefault(_sheet_of(pdf, page), []).append(_text(pdf, page))
    return out


def test_the_workbook_prints_in_at_most_40_pages_all_a4(pdf: Path) -> None:
    pages = _pages(pdf)
    assert pages <= MAX_PAGES
    info = subprocess.run(
        [_need("pdfinfo"), "-f", "1", "-l", str(pages), str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert len(sizes) == pages
    for w, h in sizes:
        assert sorted((round(float(w)), round(float(h)))) == list(A4)


def test_every_sheet_prints_and_in_order(by_sheet: dict[str, list[str]]) -> None:
    assert list(by_sheet) == list(L.SHEET_ORDER)


@pytest.mark.parametrize(
    ("sheet", "most"),
    [
        (L.HELP_SHEET, 2),
        (L.UNIT_SHEET, 1),
        (L.BASIC_SHEET, 1),
        (L.PROJECT_SHEET, 1),
        (L.PERFORMANCE_SHEET, 2),
        (L.INDICATOR_SHEET, 2),
        (L.FINDINGS_SHEET, 1),  # empty until a check
        (L.CATALOGUE_SHEET, 1),  # its note, not 1,500 lines
        *((s, 1) for s in L.TABLE_SHEETS),  # one page each, as published
    ],
)
def test_pages_per_sheet(by_sheet: dict[str, list[str]], sheet: str, most: int) -> None:
    assert 1 <= len(by_sheet[sheet]) <= most


def test_no_word_runs_past_the_page(pdf: Path) -> None:
    """A line cut at the margin leaves its words beyond the page's right edge (the old 使用说明 did)."""
    for page in range(1, _pages(pdf) + 1):
        width, height, words = _words(pdf, page)
        over = [(w, x1, y1) for x0, y0, x1, y1, w in words if x1 > width - 10 or y1 > height - 5]
        assert not over, f"page {page}: {over[:5]}"


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _strings(ws: object, sheet: str) -> list[tuple[str, str]]:
    """(cell, text) of every string cell of a sheet as built (科目表: its note only)."""
    out = []
    for row in ws.iter_rows():  # type: ignore[attr-defined]
        for cell in row:
            if sheet == L.CATALOGUE_SHEET and cell.column != L.CATALOGUE_NOTE_COLUMN:
                continue
            if isinstance(cell.value, str) and cell.value.strip():
                out.append((cell.coordinate, cell.value))
    return out


def test_every_text_of_every_sheet_prints_whole(by_sheet: dict[str, list[str]]) -> None:
    """Every character of every string cell of a sheet is on that sheet's pages: nothing cut at the margin,
    nothing hidden by a row too short for its wrapped lines.  (Side by side, wrapped cells' lines interleave
    in the PDF's reading order, so sheets are compared character by character; 使用说明 and 单位信息's 内容,
    one column of text, line by line.)"""
    wb = openpyxl.load_workbook(COMMITTED, data_only=True)
    checked = 0
    for sheet in L.SHEET_ORDER:
        printed = _squeeze("".join(by_sheet[sheet]))
        strings = _strings(wb[sheet], sheet)
        missing = Counter(_squeeze("".join(t for _, t in strings))) - Counter(printed)
        assert not missing, f"{sheet}: not printed: {''.join(missing.elements())[:80]}"
        for ref, text in strings:
            if sheet == L.HELP_SHEET or (sheet == L.UNIT_SHEET and ref.startswith("B")):
                assert _squeeze(text) in printed, f"{sheet}!{ref}: {text[:40]}"
        checked += len(strings)
    assert checked > 500


def test_the_year_prints_whole(pdf: Path, by_sheet: dict[str, list[str]]) -> None:
    # read as laid out: the form's label, content and note columns side by side on one line
    pages = [p for p in range(1, _pages(pdf) + 1) if _sheet_of(pdf, p) == L.UNIT_SHEET]
    lines = [line for p in pages for line in _text(pdf, p, "-layout").splitlines()]
    assert any(re.match(r"\s*预算年度\s+2023(\s|$)", line) for line in lines), lines
    assert "2023年单位预算公开工作簿" in _squeeze(by_sheet[L.HELP_SHEET][0])


def test_the_legend_prints(by_sheet: dict[str, list[str]]) -> None:
    help_text = _squeeze("".join(by_sheet[L.HELP_SHEET]))
    assert "六、单元格颜色" in help_text
    assert "浅黄色：需要填写的单元格" in help_text and "浅灰色" in help_text


def test_print_settings_of_every_sheet() -> None:
    """What Excel prints by, sheet by sheet: A4, one page wide, header rows on every page."""
    wb = openpyxl.load_workbook(COMMITTED)
    for ws in wb.worksheets:
        assert ws.page_setup.paperSize in (9, "9"), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert str(ws.page_setup.fitToWidth or 1) == "1" and str(ws.page_setup.fitToHeight) == "0", ws.title
    for sheet in (*L.INPUT_SHEETS[1:], L.FINDINGS_SHEET, L.SETTINGS_SHEET):
        assert wb[sheet].print_title_rows.replace("$", "") == "1:1", sheet
    for sheet in (L.HELP_SHEET, *L.INPUT_SHEETS, *L.TABLE_SHEETS):
        assert wb[sheet].print_area, sheet
