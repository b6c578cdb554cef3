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


def test_a_template_without_the_table_styles_is_a_clear_error(seed, tmp_path, capsys):
    """A plain Word document given as --template: said in Chinese, which styles, exit 2 — not a KeyError."""
    plain = tmp_path / "plain.docx"
    doc = Document()
    doc.add_paragraph("{{ unit_name }}")
    doc.save(plain)
    out = tmp_path / "r.docx"
    assert main(["report", str(SEED_JSON), "-o", str(out), "--template", str(plain)]) == 2
    err = capsys.readouterr().err
    assert "缺少表格要用的样式" in err and "表号" in err and "Traceback" not in err and "KeyError" not in err
    assert not out.exists()


def test_missing_template_is_a_clear_error(seed, tmp_path):
    with pytest.raises(TemplateError, match="找不到报告模板"):
        write_report(seed, tmp_path / "r.docx", template=tmp_path / "nope.docx")


def test_report_command(tmp_path, capsys):
    out = tmp_path / "out" / "报告.docx"
    out.parent.mkdir()  # an output folder must exist (a mistyped one is refused, not made)
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


@pytest.fixture
def installed(tmp_path, monkeypatch):
    """An installed package without the project folder, the user's cache under tmp_path/cache and
    the shared temp folder at tmp_path/shared-tmp."""
    import xlbudget.report.render as render

    monkeypatch.setattr(render, "project_template", lambda: tmp_path / "absent" / "report.docx")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv(render.TEMPLATE_ENV, raising=False)
    shared = tmp_path / "shared-tmp"
    shared.mkdir()
    monkeypatch.setattr(render.tempfile, "tempdir", str(shared))
    return render


def test_without_the_project_folder_the_template_is_built_once_into_the_users_cache(
    seed, tmp_path, installed, monkeypatch
):
    import stat

    from xlbudget.report import template

    built = installed.default_template()
    assert built.parent == tmp_path / "cache" / "xlbudget" and built.is_file()
    assert stat.S_IMODE(built.parent.stat().st_mode) == 0o700  # only this user
    assert list((tmp_path / "shared-tmp").iterdir()) == []  # nothing in the shared temp folder
    result = write_report(seed, tmp_path / "r.docx")
    assert "比上年增加1.64万元，增加2.87%" in docx_text(result.docx)

    def no_rebuild(out):
        raise AssertionError("built again")

    monkeypatch.setattr(template, "build", no_rebuild)
    assert installed.default_template() == built


def test_a_cache_folder_with_loose_permissions_is_made_private(tmp_path, installed):
    import stat

    folder = tmp_path / "cache" / "xlbudget"
    folder.mkdir(parents=True)
    folder.chmod(0o777)
    assert installed.default_template().parent == folder
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_a_cache_folder_planted_as_a_symlink_is_not_followed(tmp_path, installed):
    """Another user links the cache folder to a place of theirs: the template is not written there
    (nor read from there); it is built into a new private folder instead."""
    import stat

    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "xlbudget").symlink_to(theirs, target_is_directory=True)
    built = installed.default_template()
    assert list(theirs.iterdir()) == []
    assert theirs not in built.parents and built.is_file()
    assert stat.S_IMODE(built.parent.stat().st_mode) == 0o700


def test_a_cache_folder_owned_by_another_user_is_not_used(tmp_path, installed, monkeypatch):
    import os

    folder = tmp_path / "cache" / "xlbudget"
    folder.mkdir(parents=True, mode=0o700)
    if os.getuid() == 0:  # as make test runs: give the folder to another user
        os.chown(folder, 54321, 54321)
    else:  # a developer's own account: be another user than the folder's owner
        monkeypatch.setattr(installed.os, "getuid", lambda: os.stat(folder).st_uid + 1)
    built = installed.default_template()
    assert built.parent != folder and list(folder.iterdir()) == []


def test_tables_passed_in_are_the_tables_printed(seed, tmp_path):
    """The ribbon passes the tables it has already built; the report is the same."""
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    write_report(seed, a)
    write_report(seed, b, tables=build_tables(seed))
    assert docx_text(a) == docx_text(b)
