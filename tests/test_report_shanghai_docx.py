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
    stated, every one A4 (pdfinfo), every font embedded (pdffonts), every Shanghai part and the 9
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
    assert all(abs(float(w) - 595.3) < 1 and abs(float(h) - 841.9) < 1 for w, h in page_sizes), page_sizes
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
