"""The report as PDF through LibreOffice, its pages rendered to PNG (pdftoppm), its fonts (pdffonts).

LibreOffice, poppler-utils and fonts-noto-cjk are part of the test environment
(``make setup``): without them these tests FAIL with the install command — never skip.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from PIL import Image

from tests.conftest import ROOT, SEED_JSON, SHARED
from xlbudget.io.unit_json import read_unit_json
from xlbudget.report import write_report
from xlbudget.report.pdf import PdfError, docx_to_pdf, find_soffice, profile_xcu, substitutions

INSTALL = "apt-get install -y libreoffice-writer-nogui poppler-utils fonts-noto-cjk"


def need(tool: str) -> str:
    path = shutil.which(tool)
    if not path:
        pytest.fail(f"{tool} is not installed; the report tests need it: {INSTALL}")
    return path


@pytest.fixture(scope="module")
def seed_pdf(tmp_path_factory) -> Path:
    if find_soffice() is None:
        pytest.fail(f"LibreOffice (soffice) is not installed; the PDF tests need it: {INSTALL}")
    out = tmp_path_factory.mktemp("pdf") / "大同市信访局2023年单位预算公开报告.docx"
    result = write_report(read_unit_json(SEED_JSON), out, pdf=True)
    assert result.pdf == out.with_suffix(".pdf") and result.pdf.exists()
    return result.pdf


@pytest.fixture(scope="module")
def pages(seed_pdf, tmp_path_factory) -> list[Path]:
    need("pdftoppm")
    folder = tmp_path_factory.mktemp("png")
    subprocess.run([need("pdftoppm"), "-r", "40", "-png", str(seed_pdf), str(folder / "p")], check=True)
    return sorted(folder.glob("p-*.png"))


def ink(png: Path) -> float:
    """Share of pixels that are not (near) white."""
    im = Image.open(png).convert("L")
    histogram = im.histogram()
    dark = sum(histogram[:200])
    return dark / (im.width * im.height)


def test_every_page_renders_and_none_is_blank(pages):
    assert len(pages) >= 25  # cover, contents, 概况, 13 tables, 情况说明, 5 forms, 名词解释
    blank = [p.name for p in pages if ink(p) < 0.001]
    assert not blank, f"blank pages: {blank}"
    # the table and text pages carry real ink, not just a page number
    assert sum(1 for p in pages if ink(p) > 0.01) >= len(pages) * 0.6


def test_embedded_fonts_are_cjk(seed_pdf):
    out = subprocess.run([need("pdffonts"), str(seed_pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows, out
    names = [r[0] for r in rows]
    assert any("CJK" in n for n in names), out
    # every font is embedded (emb = yes): the PDF reads the same on any machine
    assert all("yes" in r[-5:-2] for r in rows), out
    # body, headings and titles all come from CJK faces: both the serif (仿宋/楷体/小标宋) and sans (黑体)
    assert any("SerifCJK" in n for n in names) and any("SansCJK" in n for n in names), out


def test_pdf_text_has_the_figures_and_a_filled_table_of_contents(seed_pdf):
    text = subprocess.run(
        [need("pdftotext"), "-layout", str(seed_pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = re.sub(r"\s+", "", text)
    assert "大同市信访局" in flat and "2023年单位预算公开报告" in flat
    assert "增加2.87%" in flat and "项目12个" in flat
    assert "预算公开表13" in flat and "注：本表无数据" in flat
    # the PDF export updated the table of contents: each entry ends in a page number
    contents = text.split("目")[1][:3000] if "目" in text else ""
    assert re.search(r"名词解释[ .…·]*\d+", re.sub(r"　", " ", text)), contents[:500]


def test_font_substitution_only_for_missing_fonts():
    families = {"Noto Serif CJK SC", "Noto Sans CJK SC", "仿宋_GB2312"}
    subs = substitutions(families)
    assert "仿宋_GB2312" not in subs  # installed: used as is
    assert subs["黑体"] == "Noto Sans CJK SC"
    assert subs["楷体_GB2312"] == "Noto Serif CJK SC"
    assert substitutions(set()) == {}  # no fontconfig (Windows): LibreOffice's own fallback
    xcu = profile_xcu(subs)
    assert "<value>黑体</value>" in xcu and "<value>Noto Sans CJK SC</value>" in xcu


def test_no_converter_is_a_clear_chinese_message(monkeypatch, tmp_path):
    import xlbudget.report.pdf as pdf

    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    monkeypatch.setattr(pdf.sys, "platform", "linux")
    src = tmp_path / "a.docx"
    src.write_bytes(b"")
    with pytest.raises(PdfError) as err:
        docx_to_pdf(src)
    assert "没有安装 LibreOffice" in str(err.value) and "另存为 PDF" in str(err.value)


def test_an_interpreter_without_uno_passes_the_conversion_on(monkeypatch, tmp_path):
    """No probe process: the conversion script says so (exit NO_UNO) under an interpreter without uno —
    the test's own, a virtual environment — and the next one converts, with the contents' page numbers;
    with none left, LibreOffice's plain --convert-to makes the PDF (no page numbers known)."""
    import importlib.util

    import xlbudget.report.pdf as pdf
    from xlbudget.report.preflight import preflight_report

    assert importlib.util.find_spec("uno") is None, "this test needs an interpreter that cannot import uno"
    system = "/usr/bin/python3"  # where setup.sh's python3-uno puts uno
    budget = read_unit_json(SEED_JSON)
    out = write_report(budget, tmp_path / "报告.docx").docx
    monkeypatch.setattr(pdf, "_uno_pythons", lambda: [sys.executable, system])
    done = pdf.convert(out)
    assert ("第四部分　名词解释", done.contents[-1][1]) == done.contents[-1] and len(done.contents) == 18
    monkeypatch.setattr(pdf, "_uno_pythons", lambda: [sys.executable])
    done = pdf.convert(out)
    assert done.pdf == out.with_suffix(".pdf") and done.contents == ()
    assert preflight_report(done.pdf, budget).ok


def test_the_docx_contents_carry_the_page_numbers_of_the_pdf(seed_pdf):
    from xlbudget.report.text import docx_blocks

    blocks = docx_blocks(seed_pdf.with_suffix(".docx"))
    start = blocks.index("目　录")
    entries = [b for b in blocks[start : start + 25] if "\t" in b]
    assert len(entries) == 4 + 2 + 12  # the four parts, 概况 一 二, 情况说明 一…十二
    pages = {entry: int(page) for entry, page in (b.split("\t") for b in entries)}
    assert list(pages.values()) == sorted(pages.values())
    for heading in ("第三部分　2023年度单位预算情况说明", "十、绩效管理情况", "第四部分　名词解释"):
        n = str(pages[heading])
        page = subprocess.run(
            [need("pdftotext"), "-f", n, "-l", n, str(seed_pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert re.sub(r"\s+", "", heading) in re.sub(r"\s+", "", page), (heading, n)


def page_text(pdf: Path, n: int) -> str:
    out = subprocess.run(
        [need("pdftotext"), "-f", str(n), "-l", str(n), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return re.sub(r"\s+", "", out)


def colour_share(png: Path, rgb: tuple[int, int, int]) -> float:
    """Share of the page's pixels within 24 levels of ``rgb`` in every channel."""
    im = Image.open(png).convert("RGB")
    near = sum(
        count
        for count, px in im.getcolors(im.width * im.height)
        if max(abs(a - b) for a, b in zip(px, rgb, strict=True)) < 24
    )
    return near / (im.width * im.height)


def test_the_charts_are_drawn_with_their_chinese_labels(seed_pdf, tmp_path):
    """LibreOffice draws the native charts from their cached values: on the page of each caption
    the chart's own words and figures are text in a CJK face, and the bars and slices are there
    in the chart's colours (series 1 #2F5597, series 2 #C55A11)."""
    info = subprocess.run([need("pdfinfo"), str(seed_pdf)], capture_output=True, text=True, check=True).stdout
    n_pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    texts = {n: page_text(seed_pdf, n) for n in range(1, n_pages + 1)}
    expected = {
        "图1": [
            "预算收入总计",
            "一般公共预算当年拨款",
            "机关运行经费",
            "2022年",
            "2023年",
            "812.03",
            "58.64",
            "万元",
        ],
        "图2": ["基本支出", "项目支出", "57.12%", "42.88%"],
        "图3": ["一般公共服务支出", "社会保障和就业支出", "卫生健康支出", "住房保障支出", "780.05", "18.39"],
    }
    for caption, words in expected.items():
        page = next((n for n, t in texts.items() if f"{caption}2023年" in t), None)
        assert page is not None, (caption, texts)
        missing = [w for w in words if w not in texts[page]]
        assert not missing, (caption, page, missing)
        fonts = subprocess.run(
            [need("pdffonts"), "-f", str(page), "-l", str(page), str(seed_pdf)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "SansCJK" in fonts, fonts  # 黑体 drawn with Noto Sans CJK SC: Chinese glyphs, not boxes
        stem = tmp_path / f"chart{page}"
        subprocess.run(
            [
                need("pdftoppm"),
                "-r",
                "50",
                "-f",
                str(page),
                "-l",
                str(page),
                "-png",
                str(seed_pdf),
                str(stem),
            ],
            check=True,
        )
        (png,) = tmp_path.glob(f"{stem.name}*.png")
        assert colour_share(png, (0x2F, 0x55, 0x97)) > 0.005, caption
        if caption != "图3":  # two series, or two slices
            assert colour_share(png, (0xC5, 0x5A, 0x11)) > 0.005, caption


def test_the_report_is_still_valid_word_after_the_pdf_filled_its_contents(seed_pdf):
    from tests.helpers.ooxml import audit_findings, sdk_findings

    docx = seed_pdf.with_suffix(".docx")
    assert sdk_findings(docx) == []
    assert audit_findings(docx) == []


# -- pages a finance officer would publish ---------------------------------------------------

UNITS = {
    "seed workbook": ROOT / "workbook" / "Budget2023.xlsm",
    "yanggao-test-2024": ROOT / "tests" / "units" / "yanggao-test-2024.json",
}
# every shipped profile's report, 单位 and 部门: national-9 (the seed fixture with "profile": "national-9"),
# shanghai-9 (the putuo welfare home), a Shanxi 部门 (tests/test_department.py's 测试局) and the
# Shanghai 部门 (万里街道, made from its printed tables: tests/helpers/wanli.py)
REPORTS = [*UNITS, "national-9", "shanghai-9", "shanxi-13 部门", "shanghai-9 部门"]


def report_budget(name: str, folder: Path):
    """The budget a report is made of: a unit's file, or a 部门 folder's units together."""
    import json

    from xlbudget.department import department_budget
    from xlbudget.io.department_json import read_department
    from xlbudget.io.load import read_budget

    if name in UNITS:
        return read_budget(UNITS[name])
    if name == "national-9":
        doc = json.loads(SEED_JSON.read_text("utf-8"))
        doc["unit"]["profile"] = "national-9"
        path = folder / "national-9.json"
        path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
        return read_budget(path)
    if name == "shanghai-9":
        return read_budget(SHARED / "fixtures" / "putuo-welfare-2024.json")
    if name == "shanxi-13 部门":
        from tests.test_department import write_department

        dept, _ = read_department([write_department(folder / "测试局")])
    else:
        from tests.helpers.wanli import write_wanli

        dept, _ = read_department([write_wanli(folder / "万里")])
    return department_budget(dept)


@pytest.fixture(scope="module", params=REPORTS)
def unit_report(request, tmp_path_factory):
    """(the unit's or 部门's budget, its report's PDF)."""
    if find_soffice() is None:
        pytest.fail(f"LibreOffice (soffice) is not installed; the PDF tests need it: {INSTALL}")
    folder = tmp_path_factory.mktemp("unit-pdf")
    budget = report_budget(request.param, folder)
    pdf = write_report(budget, folder / "报告.docx", pdf=True).pdf
    assert pdf is not None
    return budget, pdf


@pytest.fixture(scope="module")
def unit_pdf(unit_report) -> Path:
    return unit_report[1]


def test_no_line_holds_one_character_alone(unit_pdf):
    """Before: 表1/表4 "二十三、灾害防治及应急管理支" / "出", headings "当年预算安" / "排", 申报表 "…指" / "标"."""
    from tests.helpers.pages import lone_characters

    assert lone_characters(unit_pdf) == []


def test_no_nearly_empty_page_inside_a_part(unit_pdf):
    """Before: the seed's first 申报表 left its last two rows alone on a page 90 % blank."""
    from tests.helpers.pages import nearly_empty_pages

    assert nearly_empty_pages(unit_pdf) == []


def test_the_detectors_see_what_they_look_for(tmp_path):
    """The two page checks, on a PDF made to fail them, in the report's own template and table XML:
    a label of 13 characters in a cell that holds 6 a line, and a page of one line that begins nothing."""
    from docx import Document

    from tests.helpers.pages import lone_characters, nearly_empty_pages
    from xlbudget.report.render import default_template
    from xlbudget.report.word_tables import Grid, paragraph_xml, parse_blocks, style_ids

    doc = Document(str(default_template()))
    body = doc.element.body
    for el in list(body)[:-1]:  # keep the section properties (A4, margins) only
        body.remove(el)
    ids = style_ids(doc)
    grid = Grid([22, 134], 1)
    grid.cell(0, 0).text = "二十三、灾害防治及应急管理"
    blocks = [grid.xml(ids), paragraph_xml("孤零零的一行", ids["表注"], page_break=True)]
    # page 3: neither a part nor a table follows page 2
    blocks.append(paragraph_xml("正文接着写", ids["表注"], page_break=True))
    blocks.append(paragraph_xml("最后一页", ids["表注"], page_break=True))
    for el in parse_blocks(blocks):
        body[-1].addprevious(el)
    src = tmp_path / "bad.docx"
    doc.save(str(src))
    pdf = docx_to_pdf(src)
    assert lone_characters(pdf) == ["page 1: '理' alone in a table cell"]
    assert [p.split(":")[0] for p in nearly_empty_pages(pdf)] == ["page 2", "page 3"]  # page 4 ends it


REAL = SHARED / "real"
# the real prints of each Shanghai report: the pattern of orientations its pages must follow
REAL_PRINTS = {
    "shanghai-9": (
        "shanghai-putuo-fuliyuan-2024-unit-budget.pdf",
        "shanghai-finance-bureau-2025-unit-budget.pdf",
    ),
    "shanghai-9 部门": ("shanghai-putuo-wanli-2024-department-budget.pdf",),
}
A4_PT = (595.28, 841.89)


def page_kinds(pdf: Path) -> list[tuple[str, str]]:
    """Per page, ("table" | "text", "landscape" | "portrait"), every page checked to be A4.  A table
    page holds a ruled grid of three columns or more (the contents' dotted leaders, a grid of one
    column, are not one)."""
    import pdfplumber

    kinds = []
    with pdfplumber.open(str(pdf)) as doc:
        for n, page in enumerate(doc.pages, 1):
            size = sorted((float(page.width), float(page.height)))
            assert abs(size[0] - A4_PT[0]) < 1.5 and abs(size[1] - A4_PT[1]) < 1.5, (pdf.name, n, size)
            grids = [t.extract() for t in page.find_tables()]
            table = any(max(len(row) for row in grid) >= 3 for grid in grids if grid)
            kinds.append(
                ("table" if table else "text", "landscape" if page.width > page.height else "portrait")
            )
    return kinds


def orientations(kinds: list[tuple[str, str]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for kind, orientation in kinds:
        out.setdefault(kind, set()).add(orientation)
    return out


def test_the_real_shanghai_prints_are_landscape_a4_throughout():
    """What the Shanghai reports are held to, read off the three real prints: every page A4 landscape —
    the cover, the 目录 and the text parts as well as the tables (16, 21 and 33 pages)."""
    for name in {f for files in REAL_PRINTS.values() for f in files}:
        kinds = page_kinds(REAL / name)
        assert orientations(kinds) == {"text": {"landscape"}, "table": {"landscape"}}, name
        assert sum(k == "table" for k, _ in kinds) >= 9, name  # the 9 tables, some over several pages


def test_pages_are_oriented_as_the_real_prints(unit_report, request):
    """The Shanghai 单位 and 部门 reports: the table pages and the text pages in the orientation the real
    prints of the same scope give them (all A4 landscape, as above); the other profiles' reports A4
    portrait throughout, as before (the Shanxi seed, 公文 layout; the national 9 have no print)."""
    name = request.node.callspec.params["unit_report"]
    _, pdf = unit_report
    ours = orientations(page_kinds(pdf))
    assert set(ours) == {"text", "table"}, ours
    if name in REAL_PRINTS:
        real = [k for f in REAL_PRINTS[name] for k in page_kinds(REAL / f)]
        assert ours == orientations(real), (name, ours)
    else:
        assert ours == {"text": {"portrait"}, "table": {"portrait"}}, (name, ours)


def test_every_row_stays_whole_and_header_rows_repeat(unit_report):
    from xlbudget.tables import build_tables

    budget, unit_pdf = unit_report
    n_tables = len(build_tables(budget).tables)
    doc = Document(str(unit_pdf.with_suffix(".docx")))
    for table in doc.tables:
        rows = table._tbl.tr_lst
        assert all(tr.trPr is not None and tr.trPr.find(qn("w:cantSplit")) is not None for tr in rows)
        heads = [tr for tr in rows if tr.trPr.find(qn("w:tblHeader")) is not None]
        assert heads == rows[: len(heads)]  # header rows are the first rows only
    assert all(t._tbl.tr_lst[0].trPr.find(qn("w:tblHeader")) is not None for t in doc.tables[:n_tables])


# -- preflight of the PDF --------------------------------------------------------------------


def test_report_pdf_states_the_page_count_after_preflight(tmp_path):
    out = tmp_path / "报告.docx"
    r = subprocess.run(
        [sys.executable, "-m", "xlbudget", "report", str(UNITS["seed workbook"]), "-o", str(out), "--pdf"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert r.returncode == 0, r.stderr
    info = subprocess.run(
        [need("pdfinfo"), str(out.with_suffix(".pdf"))], capture_output=True, text=True
    ).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert f"（共 {pages} 页，A4，无空白页，各部分和各表齐全，字体已嵌入）" in r.stdout, r.stdout
    assert re.search(r"^Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info, re.M), info


def test_preflight_passes_the_reports_of_every_profile(unit_report, monkeypatch, tmp_path):
    from xlbudget.report.preflight import preflight_report

    budget, pdf = unit_report
    monkeypatch.setenv("PATH", str(tmp_path))  # PDFium reads it all: no poppler tool needed (Windows)
    checked = preflight_report(pdf, budget)
    assert checked.pages >= 15 and checked.ok, checked.summary()


def _handmade_pdf(path: Path, pages: list[tuple[float, float, str]]) -> Path:
    """A small PDF written by hand: pages of (width, height, text in Helvetica — a font not embedded)."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", ""]
    kids = []
    font = len(objects) + 1
    objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for w, h, text in pages:
        stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET" if text else ""
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
        content = len(objects)
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w} {h}] /Contents {content} 0 R "
            f"/Resources << /Font << /F1 {font} 0 R >> >> >>"
        )
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    out, offsets = b"%PDF-1.4\n", []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(out)
    return path


def test_preflight_names_what_is_wrong_in_chinese(tmp_path, monkeypatch):
    from xlbudget.report.preflight import preflight

    monkeypatch.setenv("PATH", str(tmp_path))  # PDFium reads it all: no poppler tool needed (Windows)

    pdf = _handmade_pdf(
        tmp_path / "bad.pdf", [(612, 792, "Letter"), (595.28, 841.89, ""), (595.28, 841.89, "12")]
    )
    checked = preflight(pdf, tables=13, forms=2, form_title="某单位项目支出绩效目标申报表")
    assert not checked.ok and checked.pages == 3
    text = checked.summary()
    assert text.startswith("PDF 检查未通过（共 3 页）")
    assert "不是 A4 纸：第 1 页（216×279 毫米）" in text
    assert "空白页：第 2 页、第 3 页" in text  # page 3 holds only a page number
    assert "缺少：第一部分、第二部分、第三部分、第四部分、预算公开表1" in text and "预算公开表13" in text
    assert "项目支出绩效目标申报表应有 2 张，PDF 中只有 0 张" in text
    assert "字体未嵌入" in text and "Helvetica（第 1 页起）" in text


def test_preflight_of_a_file_that_is_not_a_pdf(tmp_path):
    from xlbudget.report.preflight import preflight

    bad = tmp_path / "x.pdf"
    bad.write_bytes(b"not a pdf")
    checked = preflight(bad)
    assert not checked.ok and checked.problems[0].startswith("无法读取 PDF x.pdf")


def test_no_figure_of_a_form_is_parted_from_itself_or_its_unit(seed_pdf, tmp_path):
    """The 申报表's 指标值 ≤20.5万元 printed "≤20." / "5万元" (the seed, p.24), and 2022年1月-12月 "2022年1" /
    "月-12月": every table cell's lines read back from the PDF, none begins with the rest of a figure.
    Values longer than the column's cap as well (they wrap, between figures)."""
    from dataclasses import replace

    from tests.helpers.pages import split_figures
    from xlbudget.model import Indicator

    assert split_figures(seed_pdf) == []
    budget = read_unit_json(SEED_JSON)
    target = budget.performance_targets[0]
    long = (
        ("成本指标", "项目预算控制数", "≤1,234.56万元", "≤1,234.56万元"),
        ("时效指标", "完成时间", "2023年1月-2023年12月", "2023年1月1日-12月31日"),
        ("数量指标", "受益人次", "≥12,345人次，覆盖3个县区", "≥12,345人次"),
    )
    more = tuple(Indicator("产出指标", l2, name, p, a) for l2, name, p, a in long)
    budget = replace(budget, performance_targets=(replace(target, indicators=target.indicators + more),))
    out = write_report(budget, tmp_path / "r.docx", pdf=True).pdf
    assert out is not None
    assert split_figures(out) == []
