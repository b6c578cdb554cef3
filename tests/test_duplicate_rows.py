"""Two projects with the same name stay two projects: in the tables, their JSON, the workbook, Word and
the checker — and the checker and the workbook say that the name is repeated.

The unit is the seed with its last project, XM行政事业单位遗属补助经费 (36,000元 = 3.60万元), renamed to
the name of the one before it, J水电费 (67,100元 = 6.71万元): 表12 must print both, 6.71 and 3.60,
and still add up to 表3's 项目支出 393.01万元 (the seed's figure).
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.conftest import ROOT
from tests.helpers.lo import missing_reason, recalculate
from xlbudget.io.tables_json import compare, tables_from_dict
from xlbudget.report.text import docx_tables
from xlbudget.workbook import layout as L
from xlbudget.workbook.reader import read_workbook_tables

NAME = "J水电费"
EXPECTED_12 = [(NAME, "6.71"), (NAME, "3.60")]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xlbudget", *args], capture_output=True, text=True, cwd=ROOT, timeout=300
    )


@pytest.fixture(scope="module")
def unit_json(seed_dict: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    doc = copy.deepcopy(seed_dict)
    assert (doc["projects"][10]["name"], doc["projects"][11]["amount"]) == (NAME, 36000)
    doc["projects"][11]["name"] = NAME
    path = tmp_path_factory.mktemp("dup") / "dup.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    return path


@pytest.fixture(scope="module")
def workbook(unit_json: Path) -> Path:
    out = unit_json.with_suffix(".xlsm")
    result = run_cli("new", "--from", str(unit_json), "-o", str(out))
    assert result.returncode == 0, result.stderr
    return out


def _export(source: Path, out: Path) -> dict[str, Any]:
    result = run_cli("export", str(source), "-o", str(out))
    assert result.returncode == 0, result.stderr
    return json.loads(out.read_text("utf-8"))


def _rows_12(doc: dict[str, Any]) -> list[tuple[str, str]]:
    return [(r["name"], r["values"][0]) for r in doc["tables"]["12"]["rows"] if r["name"] == NAME]


def test_export_keeps_both_rows_and_the_total(unit_json: Path, tmp_path: Path) -> None:
    doc = _export(unit_json, tmp_path / "t.json")
    assert (
        doc["schema"] == "xlbudget/tables/2"
        and doc["amount_unit"] == "万元"
        and doc["profile"] == "shanxi-13"
    )
    assert _rows_12(doc) == EXPECTED_12
    t3_total = doc["tables"]["3"]["rows"][0]
    assert t3_total["name"] == "合计" and t3_total["values"][2] == "393.01"
    # 表12's rows add up to 表3's 项目支出 (by hand: the seed's 12 projects, 3,930,100元)
    assert sum(float(r["values"][0] or 0) for r in doc["tables"]["12"]["rows"]) == pytest.approx(393.01)


def test_tables_json_round_trip_keeps_both_and_compare_tells_them_apart(
    unit_json: Path, tmp_path: Path
) -> None:
    doc = _export(unit_json, tmp_path / "t.json")
    shown = tables_from_dict(doc)
    assert [(r.label, str(r.values[0])) for r in shown[12].rows if r.label == NAME] == [
        (NAME, "67100.00"),
        (NAME, "36000.00"),
    ]
    assert str(shown[12].rows[-1].cells[0]) == "tables.12.rows[11].values[0]"
    changed = copy.deepcopy(doc)
    second = [r for r in changed["tables"]["12"]["rows"] if r["name"] == NAME][1]
    second["values"][0] = "3.61"
    assert compare(changed, doc) == [f"表12 rows {NAME}（第 2 个）: ['3.61', '3.60'] ≠ ['3.60', '3.60']"]
    assert compare(doc, doc) == []


def test_checker_warns_about_the_name_and_finds_no_error(unit_json: Path, tmp_path: Path) -> None:
    result = run_cli("check", str(unit_json), "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    findings = json.loads(result.stdout)
    assert [f for f in findings if f["severity"] == "error"] == []
    dup = [f for f in findings if "duplicate" in f["rule"]]  # once, at the input: not again in 表12
    assert [(f["rule"], f["severity"], f["location"], f["table"]) for f in dup] == [
        ("lines.duplicate_project", "warning", "projects[11].name", 12)
    ]
    assert "projects[10].name" in dup[0]["message"]
    # the exported tables, checked as published: they add up
    exported = tmp_path / "t.json"
    _export(unit_json, exported)
    result = run_cli("check", str(exported), "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    published = json.loads(result.stdout)
    assert [f for f in published if f["severity"] == "error"] == []
    repeats = [(f["rule"], f["severity"], f["location"]) for f in published if "duplicate" in f["rule"]]
    assert repeats == [("table.duplicate_row", "warning", "tables.12.rows[11].values[0]")]


def test_workbook_prints_both_reads_both_back_and_checks_clean(workbook: Path, tmp_path: Path) -> None:
    printed = read_workbook_tables(workbook)
    assert [(r.label, str(r.values[0])) for r in printed[12].rows if r.label == NAME] == [
        (NAME, "67100.00"),
        (NAME, "36000.00"),
    ]
    sheet = openpyxl.load_workbook(workbook, read_only=True, data_only=True)[L.table_sheet(12)]
    names = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert names.count(NAME) == 2
    assert _rows_12(_export(workbook, tmp_path / "t.json")) == EXPECTED_12
    result = run_cli("check", str(workbook), "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    findings = json.loads(result.stdout)
    assert [f for f in findings if f["severity"] == "error"] == []
    dup = [f for f in findings if "duplicate" in f["rule"]]
    assert [(f["rule"], f["location"]) for f in dup] == [
        ("lines.duplicate_project", f"{L.PROJECT_SHEET}!A13")
    ]


def test_fill_writes_both_rows(workbook: Path, tmp_path: Path) -> None:
    """A changed amount of the second J水电费, then 计算 (``fill``): 表12 shows both, each with its own figure."""
    book = tmp_path / "filled.xlsm"
    wb = openpyxl.load_workbook(workbook, keep_vba=True)
    ws = wb[L.PROJECT_SHEET]
    assert ws["A13"].value == NAME
    ws.cell(13, L.PROJECTS.column("amount")).value = 45000
    wb.save(book)
    result = run_cli("fill", str(book))
    assert result.returncode == 0, result.stderr
    shown = read_workbook_tables(book)
    assert [(r.label, str(r.values[0])) for r in shown[12].rows if r.label == NAME] == [
        (NAME, "67100.00"),
        (NAME, "45000.00"),
    ]


def test_word_report_prints_both_rows(unit_json: Path, tmp_path: Path) -> None:
    docx = tmp_path / "r.docx"
    result = run_cli("report", str(unit_json), "-o", str(docx))
    assert result.returncode == 0, result.stderr
    t12 = next(t for t in docx_tables(docx) if "预算公开表12" in t.before)
    assert [(row[0], row[1]) for row in t12.rows if row[0] == NAME] == EXPECTED_12


def test_project_sheet_marks_the_repeated_name_under_libreoffice(workbook: Path, tmp_path: Path) -> None:
    """The 项目支出 sheet's conditional format (and its validation) use the rule of the checker; LibreOffice
    keeps both when it saves the file, and evaluates the rule TRUE on the two J水电费 rows only."""
    reason = missing_reason()
    if reason:
        pytest.fail(f"LibreOffice is needed for this test: {reason}")
    from openpyxl.formula.translate import Translator

    wb = openpyxl.load_workbook(workbook, keep_vba=True)
    ws = wb[L.PROJECT_SHEET]
    rules = [(str(rng.sqref), r.formula[0]) for rng in ws.conditional_formatting for r in rng.rules]
    assert rules and rules[0][0].startswith("A2:A")
    formula = rules[0][1]
    assert [d.formula1 for d in ws.data_validations.dataValidation if str(d.sqref).startswith("A2:")] == [
        f"NOT({formula})"
    ]
    probe = 26  # column Z, beside the table: the rule, evaluated on each row by LibreOffice
    for r in range(2, 16):
        ws.cell(r, probe).value = Translator(f"={formula}", origin="A2").translate_formula(f"Z{r}")
    probed = tmp_path / "probed.xlsm"
    wb.save(probed)
    saved = tmp_path / "saved.xlsm"
    recalculate(probed, saved)
    result = openpyxl.load_workbook(saved, data_only=True)[L.PROJECT_SHEET]
    marked = [result.cell(r, 1).value for r in range(2, 16) if result.cell(r, probe).value is True]
    assert marked == [NAME, NAME]
    kept = openpyxl.load_workbook(saved)[L.PROJECT_SHEET]
    assert any("SUMPRODUCT" in r.formula[0] for rng in kept.conditional_formatting for r in rng.rules)


def test_export_follows_the_projects_json_schema_and_reads_real_version_2_files(
    unit_json: Path, tmp_path: Path
) -> None:
    """The export validates against xlbudget/schema/tables-2.schema.json; the real reports transcribed as
    version 2 (tests/data/real, misprinted codes as printed) read, and each equals itself by compare."""
    import jsonschema

    schema = json.loads((ROOT / "xlbudget" / "schema" / "tables-2.schema.json").read_text("utf-8"))
    jsonschema.validate(_export(unit_json, tmp_path / "t.json"), schema)
    real = sorted((ROOT / "tests" / "data" / "real").glob("*.tables.json"))
    assert len(real) >= 3
    for path in real:
        doc = json.loads(path.read_text("utf-8"))
        shown = tables_from_dict(doc, str(path))
        assert len(shown.tables) == len(doc["tables"])
        assert compare(doc, doc) == []
