"""Documents that cannot be checked get a clear Chinese message naming the file and exit 2 — never a
traceback, never a silent pass: encrypted, scanned (no text layer), truncated, not a budget report, a 决算."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import docx
import pytest
from PIL import Image
from pypdf import PdfWriter

from tests.conftest import ROOT, SEED_JSON, SHARED

pytestmark = pytest.mark.slow

REAL_PDF = SHARED / "real" / "shanghai-putuo-fuliyuan-2024-unit-budget.pdf"


def check(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xlbudget", "check", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def refused(path: Path, words: str) -> None:
    r = check(path)
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr and r.stdout == ""
    assert words in r.stderr and path.name in r.stderr, r.stderr


def test_an_encrypted_pdf(tmp_path: Path) -> None:
    locked = tmp_path / "加密.pdf"
    writer = PdfWriter(clone_from=str(REAL_PDF))
    writer.encrypt("secret")
    writer.write(str(locked))
    refused(locked, "已加密")


def test_a_scanned_pdf_without_text(tmp_path: Path) -> None:
    scan = tmp_path / "扫描件.pdf"
    page = Image.new("RGB", (595, 842), "white")
    for x in range(100, 500):
        page.putpixel((x, 200), (0, 0, 0))  # something printed, but as pixels
    page.save(scan, "PDF")
    refused(scan, "没有文字层")


def test_a_truncated_pdf_and_a_truncated_docx(tmp_path: Path) -> None:
    cut = tmp_path / "截断.pdf"
    data = REAL_PDF.read_bytes()
    cut.write_bytes(data[: len(data) // 3])
    r = check(cut)
    assert r.returncode == 2 and "Traceback" not in r.stderr and cut.name in r.stderr, r.stderr
    assert "无法" in r.stderr or "没有" in r.stderr
    word = tmp_path / "截断.docx"
    d = docx.Document()
    d.add_paragraph("2023年预算收支总表")
    d.save(str(word))
    word.write_bytes(word.read_bytes()[:2000])
    refused(word, "无法打开这个 Word 文档")


def test_a_document_that_is_no_budget_report(tmp_path: Path) -> None:
    letter = tmp_path / "通知.docx"
    d = docx.Document()
    d.add_paragraph("关于召开2023年度工作会议的通知")
    d.add_paragraph("各科室：定于下周一上午九时召开全体会议，请准时参加。")
    d.save(str(letter))
    refused(letter, "不像是预算公开报告")


def test_a_final_accounts_report(tmp_path: Path) -> None:
    final = tmp_path / "决算.docx"
    d = docx.Document()
    d.add_paragraph("大同市信访局2022年度单位决算公开报告")
    d.add_paragraph("2022年收入支出决算总表")
    d.save(str(final))
    refused(final, "这是决算报告")


def test_a_report_is_no_budget_for_the_other_commands(tmp_path: Path) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "xlbudget", "export", str(REAL_PDF), "-o", str(tmp_path / "t.json")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "已发布的报告" in r.stderr and "xlbudget check" in r.stderr, r.stderr


@pytest.fixture(scope="module")
def own_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from xlbudget.io.unit_json import read_unit_json
    from xlbudget.report import write_report

    out = tmp_path_factory.mktemp("own") / "大同市信访局2023年单位预算公开报告.docx"
    write_report(read_unit_json(SEED_JSON), out)
    return out


def test_our_own_report_turned_into_a_final_accounts_report(own_report: Path, tmp_path: Path) -> None:
    """The seed's report with 预算 replaced by 决算 in its cover and every table title (表4's title, 财政拨款收支总表,
    has no 预算 and still reads as a budget title): refused as a 决算 report, as .docx and as .pdf — not checked as
    a budget report with twelve tables missing."""
    from xlbudget.document import read_document
    from xlbudget.report.pdf import docx_to_pdf

    titles = {"".join(t.split()) for t in read_document(own_report).titles.values()}
    d = docx.Document(str(own_report))
    changed = 0
    for p in d.paragraphs:
        if "".join(p.text.split()) in titles or "公开报告" in p.text:
            for run in p.runs:
                run.text = run.text.replace("预算", "决算")
            changed += "决算" in p.text
    assert changed >= 13  # the cover and 12 titles
    final = tmp_path / "决算报告.docx"
    d.save(str(final))
    refused(final, "这是决算报告")
    refused(docx_to_pdf(final), "这是决算报告")


def test_a_pdf_that_is_no_budget_report(tmp_path: Path) -> None:
    from xlbudget.report.pdf import docx_to_pdf

    letter = tmp_path / "通知.docx"
    d = docx.Document()
    d.add_paragraph("关于召开2023年度工作会议的通知")
    d.add_paragraph("各科室：定于下周一上午九时召开全体会议，请准时参加。会议讨论2023年预算执行情况。")
    d.save(str(letter))
    refused(docx_to_pdf(letter), "不像是预算公开报告")


def test_a_truncated_text_file(tmp_path: Path) -> None:
    """The seed's text cut off: inside a character (the first of 减’s three UTF-8 bytes kept), and on a character
    boundary in the middle of 八's heading ("八、机关运行经费增" is its last line) — refused, not checked as a
    report that lacks its 八…十二 (which drew no error: its tables are all printed before the text)."""
    seed = (SHARED / "seed" / "datong-xinfang-2023-budget-disclosure.txt").read_bytes()
    at = seed.index("八、机关运行经费增减变动原因说明".encode()) + len("八、机关运行经费增".encode())
    inside = tmp_path / "截断一半.txt"
    inside.write_bytes(seed[: at + 1])
    refused(inside, "最后一个字只有一半")
    boundary = tmp_path / "截断.txt"
    boundary.write_bytes(seed[:at])
    refused(boundary, "文本在“八、机关运行经费增”处中断")
    whole = tmp_path / "完整.txt"
    whole.write_bytes(seed)
    assert check(whole).returncode == 1  # the seed's own errors (10个): checked, not refused
