"""Text as it arrives from other systems and from Excel: control characters removed, broken or overlong
text refused at its place, duplicate JSON keys refused with their path — through the real commands.

What used to happen (issue 12): a control character in a unit or project name, or a lone surrogate
("\\ud800", valid JSON), crashed ``report``/``export`` with exit 3; ``new --from`` cut a
100,000-character 主要职责 to 32,767 with exit 0; a duplicate JSON key silently kept its last value;
a vertical tab saved by Excel as ``_x000B_`` reached the report literally.
"""

from __future__ import annotations

import copy
import csv
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.conftest import ROOT
from xlbudget.report.text import docx_tables, docx_text
from xlbudget.text import MAX_CELL_CHARS, decode_ooxml
from xlbudget.workbook import layout as L

COMMITTED = ROOT / "workbook" / "Budget2023.xlsm"
CJK = re.compile(r"[\u4e00-\u9fff]")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xlbudget", *args], capture_output=True, text=True, cwd=ROOT, timeout=300
    )


def _refused(result: subprocess.CompletedProcess[str], place: str) -> str:
    """Exit 2, a Chinese message at ``place``, no traceback: the message line."""
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "内部错误" not in result.stderr, result.stderr
    line = next((ln.strip() for ln in result.stderr.splitlines() if ln.strip().startswith(f"{place}:")), None)
    assert line is not None, result.stderr
    assert CJK.search(line), line
    return line


def _write(path: Path, doc: Any) -> Path:
    # ensure_ascii: a lone surrogate is written as the escape \ud800, which is valid JSON
    path.write_text(json.dumps(doc, ensure_ascii=True), "utf-8")
    return path


# -- unit JSON ---------------------------------------------------------------------------------------


def test_control_characters_in_names_are_removed_and_the_report_is_written(
    seed_dict: dict[str, Any], tmp_path: Path
) -> None:
    doc = copy.deepcopy(seed_dict)
    doc["unit"]["name"] = "大同市\x07信访局\x1b"
    doc["projects"][10]["name"] = "J水电\x00费"
    doc["overview"]["duties"][0] = doc["overview"]["duties"][0] + "\x0b（续）"
    unit = _write(tmp_path / "ctrl.json", doc)
    docx = tmp_path / "r.docx"
    result = run_cli("report", str(unit), "-o", str(docx))
    assert result.returncode == 0, result.stderr
    text = docx_text(docx)
    assert not CONTROL.search(text)
    assert "大同市信访局" in text and "（续）" in text
    t12 = next(t for t in docx_tables(docx) if "预算公开表12" in t.before)
    assert ("J水电费", "6.71") in [(row[0], row[1]) for row in t12.rows]
    exported = tmp_path / "t.json"
    assert run_cli("export", str(unit), "-o", str(exported)).returncode == 0
    assert json.loads(exported.read_text("utf-8"))["unit"] == "大同市信访局"


@pytest.mark.parametrize("command", ["export", "report", "check", "new"])
def test_a_lone_surrogate_is_refused_at_its_path(
    command: str, seed_dict: dict[str, Any], tmp_path: Path
) -> None:
    doc = copy.deepcopy(seed_dict)
    doc["projects"][2]["name"] = "J离退休\ud800党支部"
    unit = _write(tmp_path / "surrogate.json", doc)
    assert "\\ud800" in unit.read_text("utf-8")
    args = {
        "export": ["export", str(unit), "-o", str(tmp_path / "t.json")],
        "report": ["report", str(unit), "-o", str(tmp_path / "r.docx")],
        "check": ["check", str(unit)],
        "new": ["new", "--from", str(unit), "-o", str(tmp_path / "n.xlsm")],
    }[command]
    line = _refused(run_cli(*args), "projects[2].name")
    assert "U+D800" in line
    assert not (tmp_path / "r.docx").exists() and not (tmp_path / "n.xlsm").exists()


def test_a_text_longer_than_a_cell_is_refused_not_cut(seed_dict: dict[str, Any], tmp_path: Path) -> None:
    doc = copy.deepcopy(seed_dict)
    doc["overview"]["duties"][1] = "负责信访事项的受理、交办、转送和督办工作" * 5000  # 100,000 characters
    assert len(doc["overview"]["duties"][1]) == 100_000
    unit = _write(tmp_path / "long.json", doc)
    out = tmp_path / "n.xlsm"
    line = _refused(run_cli("new", "--from", str(unit), "-o", str(out)), "overview.duties[1]")
    assert "100000" in line and str(MAX_CELL_CHARS) in line
    assert not out.exists()
    # exactly as long as a cell holds is fine, and arrives whole
    doc["overview"]["duties"][1] = "责" * MAX_CELL_CHARS
    unit = _write(tmp_path / "full.json", doc)
    result = run_cli("new", "--from", str(unit), "-o", str(out))
    assert result.returncode == 0, result.stderr
    ws = openpyxl.load_workbook(out, read_only=True)[L.UNIT_SHEET]
    assert any(row[1] == "责" * MAX_CELL_CHARS for row in ws.iter_rows(values_only=True))


def test_duplicate_keys_in_a_unit_json_are_refused_with_their_path(tmp_path: Path) -> None:
    """The seed with 表3's lines given twice: json keeps the last "basic" (the issue: 1763.45 for 916.53)."""
    seed = (ROOT.parent / "shared" / "fixtures" / "datong-xinfang-2023.json").read_text("utf-8")
    doc = json.loads(seed)
    basic = json.dumps(doc["basic"] + doc["basic"], ensure_ascii=False)
    twice = seed.rstrip().rstrip("}") + f', "basic": {basic}}}'
    unit = tmp_path / "twice.json"
    unit.write_text(twice, "utf-8")
    for args in (["export", str(unit), "-o", str(tmp_path / "t.json")], ["check", str(unit)]):
        line = _refused(run_cli(*args), "basic")
        assert "出现了不止一次" in line
    one_line = '{"schema": "xlbudget/unit-budget/1", "year": 2023, "unit": {"name": "甲", "name": "乙"}}'
    (tmp_path / "name.json").write_text(one_line, "utf-8")
    _refused(run_cli("check", str(tmp_path / "name.json")), "unit.name")


def test_duplicate_keys_in_a_tables_json_are_refused_with_their_path(
    golden_tables: dict[str, Any], tmp_path: Path
) -> None:
    text = json.dumps(golden_tables, ensure_ascii=False, indent=1)
    first = '"合计": [\n     "916.53",\n     "523.52",\n     "393.01"\n    ]'
    assert first in text
    twice = text.replace(first, first + ',\n    "合计": ["1763.45", "523.52", "393.01"]', 1)
    path = tmp_path / "tables.json"
    path.write_text(twice, "utf-8")
    _refused(run_cli("check", str(path)), "tables.3.rows.合计")


def test_batch_reports_duplicate_keys_and_broken_text_as_that_files_findings(
    seed_dict: dict[str, Any], tmp_path: Path
) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "dup.json").write_text(
        '{"schema": "xlbudget/unit-budget/1", "year": 2023, "year": 2024}', "utf-8"
    )
    doc = copy.deepcopy(seed_dict)
    doc["unit"]["name"] = "大同\udfff信访局"
    _write(inbox / "surrogate.json", doc)
    out = tmp_path / "out"
    result = run_cli("batch", str(inbox), "-o", str(out))
    assert "Traceback" not in result.stderr
    with (out / "findings.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    text = "\n".join(",".join(r) for r in rows)
    assert "year" in text and "出现了不止一次" in text
    assert "unit.name" in text and "U+DFFF" in text


# -- workbook cells -------------------------------------------------------------------------------------


def test_ooxml_escapes_decode_as_excel_writes_them() -> None:
    assert decode_ooxml("第一行_x000B_第二行") == "第一行\x0b第二行"
    assert decode_ooxml("_x005F_x000B_") == "_x000B_"  # what Excel writes for a typed "_x000B_"
    assert decode_ooxml("a_x000d_b") == "a\rb"
    assert decode_ooxml("no_escape_here") == "no_escape_here"


def test_a_vertical_tab_saved_by_excel_does_not_reach_the_report(tmp_path: Path) -> None:
    """Excel saves a vertical tab (a line break pasted from Word) as ``_x000B_`` in the file; a bell
    character as ``_x0007_``. The reader decodes them: the line break stays one, the bell goes."""
    wb = openpyxl.load_workbook(COMMITTED, keep_vba=True)
    unit = wb[L.UNIT_SHEET]
    row = next(r for r in range(1, unit.max_row + 1) if unit.cell(r, 1).value == "主要职责")
    duty = unit.cell(row, 2).value
    unit.cell(row, 2).value = f"{duty}_x000B_（二）第二段"  # openpyxl writes the text as is: Excel's escape
    wb[L.PROJECT_SHEET]["A12"] = "J水电_x0007_费"
    book = tmp_path / "escaped.xlsm"
    wb.save(book)
    docx = tmp_path / "r.docx"
    result = run_cli("report", str(book), "-o", str(docx))
    assert result.returncode == 0, result.stderr
    text = docx_text(docx)
    assert "_x000B_" not in text and "_x0007_" not in text and not CONTROL.search(text)
    assert duty in text and "（二）第二段" in text
    t12 = next(t for t in docx_tables(docx) if "预算公开表12" in t.before)
    assert ("J水电费", "6.71") in [(r[0], r[1]) for r in t12.rows]


def test_broken_and_overlong_cells_are_refused_at_the_cell(tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(COMMITTED, keep_vba=True)
    wb[L.PROJECT_SHEET]["A3"] = "J网络_xD800_维护费"  # a lone surrogate, spelled as the file would hold it
    wb[L.UNIT_SHEET]["B10"] = "LONG_TEXT_HERE"
    saved = tmp_path / "saved.xlsm"
    wb.save(saved)
    # a script can write what Excel cannot hold (openpyxl itself would cut it): put it into the XML
    book = tmp_path / "broken.xlsm"
    with zipfile.ZipFile(saved) as src, zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if b"LONG_TEXT_HERE" in data:
                data = data.replace(b"LONG_TEXT_HERE", ("长" * (MAX_CELL_CHARS + 1)).encode("utf-8"))
            dst.writestr(info, data)
    result = run_cli("export", str(book), "-o", str(tmp_path / "t.json"))
    assert "U+D800" in _refused(result, f"{L.PROJECT_SHEET}!A3")
    assert str(MAX_CELL_CHARS) in _refused(result, f"{L.UNIT_SHEET}!B10")
