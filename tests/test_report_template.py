"""The Word template, the report command, and the report from the workbook."""

from __future__ import annotations

import subprocess
import sys

import pytest
from docx import Document
from docxtpl import DocxTemplate

from tests.conftest import ROOT, SEED_JSON
from xlbudget.cli import main
from xlbudget.io.unit_json import read_unit_json
from xlbudget.report import TemplateError, write_report
from xlbudget.report.facts import narrative
from xlbudget.report.render import context, default_template
from xlbudget.report.text import docx_text
from xlbudget.tables import build_tables

TEMPLATE = ROOT / "docx_templates" / "report.docx"
WORKBOOK = ROOT / "workbook" / "Budget2023.xlsm"


@pytest.fixture(scope="module")
def seed():
    return read_unit_json(SEED_JSON)


def test_committed_template_is_the_default_and_fully_supplied(seed):
    assert default_template() == TEMPLATE and TEMPLATE.exists()
    tables = build_tables(seed)
    ctx = context(seed, tables, narrative(seed, tables))
    assert DocxTemplate(str(TEMPLATE)).get_undeclared_template_variables(context=ctx) == set()


def test_build_script_recreates_a_template_with_the_same_placeholders(tmp_path):
    script = ROOT / "docx_templates" / "build_templates.py"
    fresh = tmp_path / "report.docx"
    done = subprocess.run(
        [sys.executable, str(script), str(fresh)], capture_output=True, text=True, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert "已生成模板" in done.stdout
    placeholders = DocxTemplate(str(fresh)).get_undeclared_template_variables()
    assert placeholders == DocxTemplate(str(TEMPLATE)).get_undeclared_template_variables()
    assert {"unit_name", "year", "sections", "glossary", "tables_marker", "toc"} <= placeholders


def test_a_placeholder_the_data_lacks_is_reported_before_rendering(seed, tmp_path):
    doc = Document(str(TEMPLATE))
    doc.add_paragraph("{{ signature_line }}")
    edited = tmp_path / "edited.docx"
    doc.save(edited)
    out = tmp_path / "r.docx"
    with pytest.raises(TemplateError) as err:
        write_report(seed, out, template=edited)
    assert "signature_line" in str(err.value) and "占位符" in str(err.value)
    assert not out.exists()


def test_missing_template_is_a_clear_error(seed, tmp_path):
    with pytest.raises(TemplateError, match="找不到报告模板"):
        write_report(seed, tmp_path / "r.docx", template=tmp_path / "nope.docx")


def test_report_command(tmp_path, capsys):
    out = tmp_path / "out" / "报告.docx"
    assert main(["report", str(SEED_JSON), "-o", str(out)]) == 0
    assert out.exists() and "已写出报告" in capsys.readouterr().out
    assert "比上年增加1.64万元，增加2.87%" in docx_text(out)
    # written atomically: no temp files beside it, and a rerun replaces it
    assert main(["report", str(SEED_JSON), "-o", str(out)]) == 0
    assert [p.name for p in out.parent.iterdir()] == ["报告.docx"]


def test_report_command_errors(tmp_path, capsys):
    assert main(["report", str(tmp_path / "missing.json"), "-o", str(tmp_path / "r.docx")]) == 2
    assert "文件不存在" in capsys.readouterr().err
    assert main(["report", str(SEED_JSON), "-o", str(tmp_path / "r.pdf")]) == 2
    assert ".docx" in capsys.readouterr().err


def test_report_from_the_workbook_equals_the_report_from_the_json(seed, tmp_path):
    """The committed workbook (the embedded default) and the seed JSON make the same report."""
    assert (ROOT / "xlbudget" / "workbook" / "reader.py").exists(), "the workbook reader is missing"
    assert WORKBOOK.exists(), f"{WORKBOOK} is missing (make workbook)"
    from xlbudget.io.load import read_budget

    from_json, from_book = tmp_path / "json.docx", tmp_path / "book.docx"
    write_report(seed, from_json)
    write_report(read_budget(WORKBOOK), from_book)
    assert docx_text(from_book) == docx_text(from_json)


def test_without_the_project_folder_the_default_template_is_built(seed, tmp_path, monkeypatch):
    import xlbudget.report.render as render

    monkeypatch.setattr(render, "project_template", lambda: tmp_path / "absent" / "report.docx")
    monkeypatch.setattr(render.tempfile, "gettempdir", lambda: str(tmp_path))
    built = render.default_template()
    assert built.parent == tmp_path and built.exists()
    result = write_report(seed, tmp_path / "r.docx")
    assert "比上年增加1.64万元，增加2.87%" in docx_text(result.docx)


def test_tables_passed_in_are_the_tables_printed(seed, tmp_path):
    """The ribbon passes the tables it has already built; the report is the same."""
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    write_report(seed, a)
    write_report(seed, b, tables=build_tables(seed))
    assert docx_text(a) == docx_text(b)
