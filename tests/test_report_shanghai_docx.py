"""The Shanghai report as Word and PDF, for 上海市普陀区社会福利院 2024: the parts in order, the
contents as the Shanghai reports print them (目   录, dotted leaders, no page numbers — also after the
PDF, which writes page numbers into the Shanxi contents), the tables placed, the PDF checked by the
preflight for the Shanghai parts, and every page of it laid out (pdftoppm).  The sentences
themselves: tests/test_report_shanghai.py."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from tests.helpers.shanghai import PUTUO, ROOT, TITLES, putuo, shanghai_profile, shanghai_tables
from tests.test_report_pdf import ink, need
from xlbudget.report import write_report
from xlbudget.report.pdf import find_soffice
from xlbudget.report.preflight import preflight_report
from xlbudget.report.render import add_pdf
from xlbudget.report.text import docx_blocks


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    b = putuo()
    profile = shanghai_profile()
    tables = shanghai_tables(b, profile)
    out = tmp_path_factory.mktemp("sh") / "上海市普陀区社会福利院2024年单位预算.docx"
    result = write_report(b, out, tables=tables, profile=profile)
    return b, tables, profile, result


def test_the_parts_in_order(written) -> None:
    _, _, _, result = written
    blocks = [t for t in docx_blocks(result.docx) if t.strip()]
    assert blocks[:3] == [
        "上海市普陀区社会福利院2024年单位预算",
        "预算单位：上海市普陀区社会福利院",
        "目   录",
    ]
    order = [
        "上海市普陀区社会福利院主要职能",
        "上海市普陀区社会福利院机构设置",
        "名词解释",
        "2024年单位预算编制说明",
        "财政拨款支出主要内容如下：",
        "2024年预算单位财务收支预算总表",
        "2024年预算单位国有资本经营预算支出功能分类预算表",
        "其他相关情况说明",
        "五、国有资产占有使用情况",
    ]
    # a title too long for one line is broken between words (…国有资本经营预算 / 支出功能分类预算表)
    at = [
        next(i for i, t in enumerate(blocks) if t.replace("\n", "").strip() == heading) for heading in order
    ]
    assert at == sorted(at)
    assert not any("〔xlbudget" in t for t in blocks)  # every marker replaced
    assert len(Document(str(result.docx)).tables) == 9
    assert result.forms == 0 and result.charts == ()


def contents(docx: Path) -> list[str]:
    doc = Document(str(docx))
    return [
        p.text for p in doc.paragraphs if p.style is not None and p.style.name in ("目录条目", "目录子条目")
    ]


def test_contents_have_dotted_leaders_and_no_page_numbers(written) -> None:
    _, _, _, result = written
    entries = contents(result.docx)
    assert entries[0] == "一、单位主要职能\t" and entries[-1] == "六、其他相关情况说明\t"
    assert "1. 2024年预算单位财务收支预算总表\t" in entries
    assert len(entries) == 6 + 9
    doc = Document(str(result.docx))
    leader = doc.styles["目录条目"].paragraph_format.tab_stops[0]
    assert str(leader.leader).startswith("DOTS")


@pytest.fixture(scope="module")
def pdf(written) -> Path:
    if find_soffice() is None:
        pytest.fail("LibreOffice (soffice) is not installed: apt-get install -y libreoffice-writer-nogui")
    _, _, _, result = written
    return add_pdf(result.docx)


def test_pdf_passes_the_shanghai_preflight_and_keeps_the_contents_without_numbers(written, pdf) -> None:
    b, tables, profile, result = written
    checked = preflight_report(pdf, b, tables, profile)
    assert checked.ok, checked.summary()
    assert all(e.endswith("\t") for e in contents(result.docx))  # no page number written after the tab


def test_preflight_finds_a_missing_shanghai_part(written, pdf) -> None:
    b, tables, profile, _ = written
    from dataclasses import replace

    renamed = replace(
        tables, tables=(replace(tables.tables[0], title="某张没有印出的表"), *tables.tables[1:])
    )
    checked = preflight_report(pdf, b, renamed, profile)
    assert not checked.ok and "某张没有印出的表" in checked.summary()


def test_every_page_is_laid_out(pdf, tmp_path) -> None:
    subprocess.run([need("pdftoppm"), "-r", "30", "-png", str(pdf), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) >= 16
    assert all(ink(p) > 0.002 for p in pages)  # nothing blank


def test_report_pdf_of_the_putuo_fixture_passes_the_preflight(tmp_path) -> None:
    """``xlbudget report putuo-welfare-2024.json -o … --pdf`` as a user runs it on the fixture: exit 0 and
    the preflight's statement with the page count; poppler's own tools agree — as many pages as
    stated, every one A4 landscape (pdfinfo), every font embedded (pdffonts), every Shanghai part and the 9
    tables' titles in the text (pdftotext), no page without text."""
    if find_soffice() is None:
        pytest.fail("LibreOffice (soffice) is not installed: apt-get install -y libreoffice-writer-nogui")
    out = tmp_path / "上海市普陀区社会福利院2024年单位预算.docx"
    r = subprocess.run(
        [sys.executable, "-m", "xlbudget", "report", str(PUTUO), "-o", str(out), "--pdf"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert r.returncode == 0, r.stderr
    pdf = out.with_suffix(".pdf")
    info = subprocess.run([need("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert f"已写出 PDF：{pdf}（共 {pages} 页，A4，无空白页，各部分和各表齐全，字体已嵌入）" in r.stdout, (
        r.stdout
    )
    sizes = subprocess.run(
        [need("pdfinfo"), "-f", "1", "-l", str(pages), str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    page_sizes = re.findall(r"^Page\s+\d+ size:\s+(\S+) x (\S+) pts", sizes, re.M)
    assert len(page_sizes) == pages
    # A4 landscape, every page, as the real Shanghai prints are (tests/test_report_pdf.py: the pattern)
    assert all(abs(float(w) - 841.9) < 1 and abs(float(h) - 595.3) < 1 for w, h in page_sizes), page_sizes
    fonts = subprocess.run([need("pdffonts"), str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]  # after the heading and its rule
    assert rows and all(re.search(r"\s(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", f) for f in rows)
    assert all(re.search(r"\syes\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", f) for f in rows), fonts
    text = subprocess.run(
        [need("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages_text = [re.sub(r"\s+", "", t) for t in text.split("\f")[:pages]]
    assert all(pages_text), "a page without text"
    flat = "".join(pages_text)
    for part in ("目录", "上海市普陀区社会福利院主要职能", "上海市普陀区社会福利院机构设置", "名词解释"):
        assert part in flat, part
    for part in ("2024年单位预算编制说明", "其他相关情况说明", "五、国有资产占有使用情况"):
        assert part in flat, part
    for title in TITLES.values():
        assert re.sub(r"\s+", "", title.format(year=2024)) in flat, title


def test_the_tables_fill_the_landscape_text_width(written) -> None:
    """The page is A4 landscape with 20 mm side margins: 297 − 20 − 20 = 257 mm of text.  Every table
    is that wide (its grid columns add up to it, within a twip per column), the unit line's 单位：元
    sits at that right edge (its tab stop), and no column is wider than the content needs but the
    figure columns, which share what is left (表1's first 项目 column, the income side: its longest
    labels, 三、事业单位经营收入 and 3、国有资本经营预算, are 10 characters of the template's 12 pt table
    text = 10 × 12 × 25.4 / 72 = 42.33 mm, plus the cell's 3 mm of margins and air = 45.33 mm)."""
    _, _, _, result = written
    doc = Document(str(result.docx))
    (section,) = doc.sections
    assert section.orientation == 1  # WD_ORIENT.LANDSCAPE
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
    width_mm = section.page_width.mm - section.left_margin.mm - section.right_margin.mm
    assert abs(width_mm - 257) < 0.1
    for table in doc.tables:
        cols = table._tbl.tblGrid.findall(qn("w:gridCol"))
        total = sum(int(c.get(qn("w:w"))) for c in cols) / 1440 * 25.4
        assert abs(total - 257) < len(cols) * 0.02, total
    first = doc.tables[0]._tbl.tblGrid.findall(qn("w:gridCol"))
    label_mm = int(first[0].get(qn("w:w"))) / 1440 * 25.4
    assert abs(label_mm - 45.33) < 0.05, label_mm
    assert doc.styles["表格文字"].font.size.pt == 12 and doc.styles["表头"].font.size.pt == 12
    # 表8's code columns (类 | 款) are widened until the heading over them sets in two lines broken
    # between words, as the real print's: 经济分类 / 科目编码 (4 characters of 12 pt = 16.93 mm a line)
    t8 = doc.tables[7]
    assert t8.cell(1, 0).text == "经济分类\n科目编码", t8.cell(1, 0).text
    codes = t8._tbl.tblGrid.findall(qn("w:gridCol"))[:2]
    assert sum(int(c.get(qn("w:w"))) for c in codes) / 1440 * 25.4 >= 16.93 + 2  # + the cell's margins
    (stop,) = doc.styles["表注"].paragraph_format.tab_stops
    assert abs(stop.position.mm - 257) < 0.1


def test_tables_take_the_width_of_the_section_they_are_in() -> None:
    """A document of a portrait section then a landscape one: a place in the first is 156 mm wide (the
    Shanxi template's A4 portrait page), one in the second 257 mm, and the last section's width is the
    default."""
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Mm

    from xlbudget.report.word_tables import text_width_mm

    doc = Document()
    first = doc.sections[0]
    first.page_width, first.page_height = Mm(210), Mm(297)
    first.left_margin, first.right_margin = Mm(28), Mm(26)
    in_portrait = doc.add_paragraph("纵向")._p
    second = doc.add_section(WD_SECTION.NEW_PAGE)
    second.orientation = WD_ORIENT.LANDSCAPE
    second.page_width, second.page_height = Mm(297), Mm(210)
    second.left_margin, second.right_margin = Mm(20), Mm(20)
    in_landscape = doc.add_paragraph("横向")._p
    assert text_width_mm(doc, in_portrait) == 156.0
    assert text_width_mm(doc, in_landscape) == 257.0
    assert text_width_mm(doc) == 257.0
