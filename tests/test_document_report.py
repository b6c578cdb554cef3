"""Our own report of the seed, as .docx and as .pdf (LibreOffice), read back as published.

Both must give the golden tables and draw no error; a cell changed by hand in the Word file is
found at that cell; a PDF's findings name the page the table is printed on.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import GOLDEN_TABLES, ROOT, SEED_JSON
from xlbudget.check.findings import ERROR
from xlbudget.document import read_document
from xlbudget.document.checking import check_document
from xlbudget.document.export import document_to_dict
from xlbudget.io import strict_json
from xlbudget.io.tables_json import compare
from xlbudget.io.unit_json import read_unit_json
from xlbudget.report import write_report

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "大同市信访局2023年单位预算公开报告.docx"
    write_report(read_unit_json(SEED_JSON), out, pdf=True)
    assert out.with_suffix(".pdf").exists()
    return out


def golden() -> dict:
    return strict_json.loads(GOLDEN_TABLES.read_text("utf-8"))


@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
def test_our_report_reads_back_as_the_golden_tables_with_no_error(report: Path, suffix: str) -> None:
    doc = read_document(report.with_suffix(suffix))
    assert (doc.kind, doc.profile, doc.unit, doc.year) == (suffix[1:], "shanxi-13", "大同市信访局", 2023)
    assert compare(document_to_dict(doc), golden()) == []
    assert doc.notes == dict.fromkeys((7, 8, 9, 13), "注：本表无数据")
    assert all(doc.labels[n] == f"预算公开表{n}" for n in range(1, 14))
    assert [f for f in check_document(doc) if f.severity == ERROR] == []
    assert doc.contents[0].replace("\u3000", "").replace(" ", "") == "第一部分概况"
    running = next(p for p in doc.paragraphs if "机关运行经费财政拨款预算58.64万元" in p.text)
    assert running.section == "八、机关运行经费增减变动原因说明"
    assert running.part.replace("\u3000", "").replace(" ", "") == "第三部分2023年度单位预算情况说明"


def test_pdf_findings_name_the_page_the_table_is_printed_on(report: Path) -> None:
    pdf = report.with_suffix(".pdf")
    doc = read_document(pdf)
    # where 预算公开表6 is printed, by another reader (pypdf's text of each page)
    pages = [n for n, page in enumerate(PdfReader(pdf).pages, 1) if "预算公开表6" in page.extract_text()]
    assert doc.pages[6][0] == pages[0]
    tails = [f for f in check_document(doc) if f.rule == "rounding.tail" and f.table == 6]
    assert tails and all(f.page == pages[0] for f in tails)
    total = next(f for f in tails if "合计列" in f.message and "各类之和" in f.message)
    assert total.quote == "合计 523.52 464.88 58.64"
    assert all(p.page is not None for p in doc.paragraphs)
    # the charts' axis figures and labels (in the PDF's text layer) are no paragraphs of the report
    assert not any(re.fullmatch(r"[\d. ]+", p.text) for p in doc.paragraphs)
    assert any(p.text.startswith("图1") for p in doc.paragraphs)


def test_a_cell_changed_in_the_docx_is_found_at_that_cell(report: Path, tmp_path: Path) -> None:
    """表3 201 一般公共服务支出 基本支出 387.04 typed as 387.40: its row no longer adds up (780.05 ≠ 387.40 +
    393.01 = 780.41) and 表3 no longer matches 表5 (387.04) — both pointed at that cell."""
    import docx

    edited = tmp_path / "edited.docx"
    d = docx.Document(str(report))
    changed = 0
    for table in d.tables:
        for row in table.rows:
            cells = row.cells
            if cells[0].text == "201" and len(cells) == 5 and cells[3].text == "387.04" and changed == 0:
                cells[3].paragraphs[0].runs[0].text = "387.40"
                changed += 1
    assert changed == 1  # the first 201 row with 基本支出 387.04 is 表3's
    d.save(str(edited))
    doc = read_document(edited)
    assert doc.tables[3].row("201").printed == ("780.05", "387.40", "393.01")
    errors = [f for f in check_document(doc) if f.severity == ERROR]
    assert errors
    at_cell = [f for f in errors if str(f.location) == "表3 「201 一般公共服务支出」 基本支出"]
    assert at_cell, [(f.rule, str(f.location)) for f in errors]
    assert all(f.quote == "201 一般公共服务支出 780.05 387.40 393.01" for f in at_cell)


def test_check_command_on_a_report_prints_pages_and_quotes_and_json_keeps_its_keys(report: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "xlbudget", "check", str(report.with_suffix(".pdf")), "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    findings = json.loads(run.stdout)
    keys = ["rule", "severity", "table", "location", "message", "expected", "actual"]
    assert findings and all(list(f)[:7] == keys for f in findings)
    assert all(isinstance(f["page"], int) for f in findings)
    text = subprocess.run(
        [sys.executable, "-m", "xlbudget", "check", str(report.with_suffix(".pdf"))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert (
        text.returncode == 0
        and "第10页 · 表6" in text.stdout
        and "原文：“合计 523.52 464.88 58.64”" in text.stdout
    )


def _with_sentence_edited(report: Path, out: Path) -> Path:
    """三、支出预算情况说明 as staff might retype it: 基本支出523.52万元 → 532.52万元 (表3 合计 基本支出 is 523.52)."""
    import docx

    d = docx.Document(str(report))
    target = next(p for p in d.paragraphs if p.text.startswith("2023年度支出预算916.53万元"))
    assert "基本支出523.52万元" in target.text
    for run in target.runs:
        run.text = run.text.replace("523.52", "532.52")
    d.save(str(out))
    return out


def test_a_figure_changed_in_the_text_is_found_at_its_paragraph_with_the_sentence_quoted(
    report: Path, tmp_path: Path
) -> None:
    """Read back as published (read_document → check_document, and the check command): the one error is that
    sentence, at its section and paragraph, quoted, with 表3's figure as the right one; as .docx and as the PDF
    LibreOffice makes of it (there also at its page, found independently with pypdf)."""
    from xlbudget.report.pdf import docx_to_pdf

    edited = _with_sentence_edited(report, tmp_path / "edited.docx")
    at: dict[str, int] = {}
    for path in (edited, docx_to_pdf(edited)):
        doc = read_document(path)
        paragraph = next(p for p in doc.paragraphs if "基本支出532.52万元" in p.text)
        at[path.suffix] = paragraph.index
        assert paragraph.section == "三、支出预算情况说明"
        errors = [f for f in check_document(doc) if f.severity == ERROR]
        assert [(f.rule, f.table, f.expected, f.actual) for f in errors] == [
            ("text.amount", 3, "523.52万元", "532.52万元")
        ], path
        found = errors[0]
        assert str(found.location) == f"三、支出预算情况说明 · 第{paragraph.index}段"
        assert "基本支出532.52万元" in found.quote and found.quote in paragraph.text
        if path.suffix == ".pdf":
            pages = [n for n, pg in enumerate(PdfReader(path).pages, 1) if "532.52" in pg.extract_text()]
            assert found.page == paragraph.page == pages[0]
        else:
            assert found.page is None
    run = subprocess.run(
        [sys.executable, "-m", "xlbudget", "check", str(edited)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert run.returncode == 1, run.stderr
    assert f"位置：三、支出预算情况说明 · 第{at['.docx']}段 · 对照表3" in run.stdout, run.stdout
    assert "应为：523.52万元　实为：532.52万元" in run.stdout


def test_the_pdfium_layer_of_our_pdf_is_pdfplumbers_but_for_the_descent(report: Path) -> None:
    """LibreOffice writes no descent into its fonts' descriptors: pdfminer then boxes a character from
    its baseline up, PDFium from below its glyphs' descent. The words, their extent along the line and
    the ruling lines are pdfplumber's; across the line each word sits lower by less than a fifth of its
    type size, never higher (a turned word: to one side)."""
    from tests.test_pdf_layer import CLOSE, layers, plumber_pages, same_rules

    pdf = report.with_suffix(".pdf")
    turned = 0
    for number, (layer, (words, v, h)) in enumerate(zip(layers(pdf), plumber_pages(pdf), strict=True), 1):
        assert [w["text"] for w in layer.words] == [w["text"] for w in words], number
        for a, b in zip(layer.words, words, strict=True):
            along, across = ("x0", "x1"), ("top", "bottom")
            if not b["upright"]:
                turned += 1
                along, across = across, along
            size = b[across[1]] - b[across[0]]
            assert all(abs(a[k] - b[k]) <= CLOSE for k in along), (number, a, b)
            assert all(abs(a[k] - b[k]) < 0.2 * size for k in across), (number, a, b)
            if b["upright"]:
                assert all(a[k] - b[k] >= -CLOSE for k in across), (number, a, b)
        assert same_rules(v, layer.v) and same_rules(h, layer.h), number
    assert turned, "the report has turned text (a chart's axis title)"


def test_full_width_figures_typed_into_a_word_table_are_read(report: Path, tmp_path: Path) -> None:
    """The seed's report with 表1's 一般公共服务支出 合计 retyped in full-width characters, ７８０．０５ (as a
    Chinese input method types them): read as the 780.05万元 it is, not as a blank with a warning (which made
    表1's 本年支出合计 916.53 not add up with its classes, 136.48)."""
    import docx

    d = docx.Document(str(report))
    cells = [c for t in d.tables for row in t.rows for c in row.cells if c.text.strip() == "780.05"]
    assert cells, "the seed's 780.05 is printed in its tables"
    first = cells[0]
    for p in first.paragraphs:
        for run in p.runs:
            run.text = run.text.replace("780.05", "７８０．０５")
    assert first.text == "７８０．０５"
    wide = tmp_path / "全角.docx"
    d.save(str(wide))
    doc = read_document(wide)
    assert compare(document_to_dict(doc), golden()) == []
    assert [f for f in check_document(doc) if f.severity == ERROR or f.rule == "document.figure"] == []
