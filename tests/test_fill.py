"""``xlbudget fill``: the 计算 button from the command line, on real files, losing nothing.

A "user's workbook" here is the committed workbook as staff would leave it:
an amount changed and a line added in 基本支出, a carried-over project added
(表13 stops being empty), and a sheet of their own with a formula and a
defined name.  Those edits are made at zip level, so the file is exactly what
the test says it is.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.conftest import ROOT
from tests.helpers.lo import missing_reason, run_uno_script
from xlbudget.cli import main
from xlbudget.io.tables_json import compare, tables_to_dict
from xlbudget.io.unit_json import budget_to_dict, read_unit_json
from xlbudget.tables import build_tables
from xlbudget.workbook import layout as L
from xlbudget.workbook.book_openpyxl import FileBook
from xlbudget.workbook.build import build_workbook
from xlbudget.workbook.reader import read_workbook, read_workbook_tables
from xlbudget.workbook.ribbon import CUSTOMUI_PART, ROOT_RELS, UI_REL_TYPE

COMMITTED = ROOT / "workbook" / "Budget2023.xlsm"
USER_SHEET = "我的备注"
USER_PART = "xl/worksheets/sheet_user.xml"
USER_FORMULA = "SUM(基本支出!F:F)"


# -- making a user's workbook ------------------------------------------------------------


def _zip_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def _zip_infos(path: Path) -> list[tuple[str, int, tuple]]:
    with zipfile.ZipFile(path) as z:
        return [(i.filename, i.compress_type, i.date_time) for i in z.infolist()]


def _rewrite_zip(path: Path, changes: dict[str, bytes]) -> None:
    src = path.read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(src)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        names = set()
        for info in zin.infolist():
            names.add(info.filename)
            zout.writestr(info, changes.get(info.filename, zin.read(info)), compress_type=info.compress_type)
        for name, data in changes.items():
            if name not in names:
                zout.writestr(zipfile.ZipInfo(name, (2023, 5, 1, 12, 0, 0)), data, zipfile.ZIP_DEFLATED)
    path.write_bytes(out.getvalue())


def add_user_sheet(path: Path) -> None:
    """A sheet of the user's own (text + a formula over 基本支出) and a defined name, added at zip level."""
    m = _zip_members(path)
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>基本支出合计（元）</t></is></c>'
        f'<c r="B1"><f>{USER_FORMULA}</f><v>0</v></c></row></sheetData></worksheet>'
    ).encode()
    wb = m["xl/workbook.xml"].decode()
    wb = wb.replace("</sheets>", f'<sheet name="{USER_SHEET}" sheetId="99" r:id="rIdUserSheet"/></sheets>')
    wb = wb.replace(
        "<definedNames>", f"<definedNames><definedName name=\"我的合计\">'{USER_SHEET}'!$B$1</definedName>"
    )
    rels = (
        m["xl/_rels/workbook.xml.rels"]
        .decode()
        .replace(
            "</Relationships>",
            '<Relationship Id="rIdUserSheet" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/worksheet" Target="worksheets/sheet_user.xml"/></Relationships>',
        )
    )
    types = (
        m["[Content_Types].xml"]
        .decode()
        .replace(
            "</Types>",
            '<Override PartName="/xl/worksheets/sheet_user.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
    )
    _rewrite_zip(
        path,
        {
            USER_PART: sheet,
            "xl/workbook.xml": wb.encode(),
            "xl/_rels/workbook.xml.rels": rels.encode(),
            "[Content_Types].xml": types.encode(),
        },
    )


def _first_empty_row(book: FileBook, sheet: str) -> int:
    rows = book.read(sheet)
    for r in range(L.FIRST_DATA_ROW, len(rows) + 1):
        if all(v in (None, "") for v in rows[r - 1][:1]):
            return r
    return len(rows) + 1


def edit_inputs(path: Path) -> None:
    """What a staff member does before pressing 计算: change, add, carry over."""
    book = FileBook(path)
    amount = L.BASIC.column("amount")
    book.write(L.BASIC_SHEET, (2, amount), [[1630810]])  # 基本工资 +100000
    r = _first_empty_row(book, L.BASIC_SHEET)
    cols = {f: L.BASIC.column(f) for f in ("function", "economic", "fund", "amount", "carryover")}
    for field, value in {
        "function": "2010350",  # 事业运行: a new 项 under 20103
        "economic": "30201",  # 办公费
        "fund": "单位资金",
        "amount": 123456.78,
        "carryover": "否",
    }.items():
        book.write(L.BASIC_SHEET, (r, cols[field]), [[value]])
    r = _first_empty_row(book, L.PROJECT_SHEET)
    for field, value in {
        "name": "上年结转信访信息化项目",
        "function": "2010308",
        "fund": "一般公共预算",
        "amount": 50000,
        "carryover": "是",
        "performance_target": "否",
    }.items():
        book.write(L.PROJECT_SHEET, (r, L.PROJECTS.column(field)), [[value]])
    book.save()


@pytest.fixture(scope="module")
def users_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("user") / "Budget2023.xlsm"
    shutil.copyfile(COMMITTED, path)
    edit_inputs(path)
    add_user_sheet(path)
    return path


@pytest.fixture(scope="module")
def filled(users_workbook: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``xlbudget fill`` run on a copy of the user's workbook."""
    path = tmp_path_factory.mktemp("filled") / "Budget2023.xlsm"
    shutil.copyfile(users_workbook, path)
    assert main(["fill", str(path)]) == 0
    return path


def _table_parts(path: Path) -> set[str]:
    book = FileBook(path)
    return {book._parts[s] for s in L.TABLE_SHEETS}  # noqa: SLF001 - the test names the parts fill may touch


def _without_print_areas(workbook_xml: bytes) -> str:
    return re.sub(r'(<definedName name="_xlnm.Print_Area"[^>]*>)[^<]*', r"\1", workbook_xml.decode())


def _all_values(path: Path) -> dict[str, dict[str, object]]:
    """Every sheet's non-empty cells (what Excel shows), read once."""
    wb = openpyxl.load_workbook(path, data_only=True)
    return {
        ws.title: {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value not in (None, "")}
        for ws in wb.worksheets
    }


# -- the tests -------------------------------------------------------------------------------


def test_the_user_workbook_really_is_edited(users_workbook: Path) -> None:
    budget = read_workbook(users_workbook)
    assert budget.basic[0].amount == Decimal(1630810)
    assert any(x.function == "2010350" and x.fund == "unit_funds" for x in budget.basic)
    assert any(p.carryover for p in budget.projects)
    # …and its tables, as the file shows them, are still the old ones
    shown = tables_to_dict(read_workbook_tables(users_workbook))
    assert compare(shown, tables_to_dict(build_tables(budget)))
    assert shown["tables"]["13"].get("empty")


def test_fill_loses_nothing_part_by_part(users_workbook: Path, filled: Path) -> None:
    before, after = _zip_members(users_workbook), _zip_members(filled)
    assert _zip_infos(users_workbook) == _zip_infos(filled)  # same members, order, compression, dates
    tables = _table_parts(users_workbook)
    changed = {name for name in before if before[name] != after[name]}
    assert changed <= tables | {"xl/workbook.xml"}, f"fill touched {sorted(changed - tables)}"
    assert tables & changed, "fill wrote no table sheet"
    # workbook.xml: only the print areas of tables that grew or shrank
    assert _without_print_areas(before["xl/workbook.xml"]) == _without_print_areas(after["xl/workbook.xml"])
    # the ribbon, its relationship, the VBA project, styles, the user's sheet and name
    assert (
        after["xl/vbaProject.bin"]
        == before["xl/vbaProject.bin"]
        == _zip_members(COMMITTED)["xl/vbaProject.bin"]
    )
    assert after[CUSTOMUI_PART] == before[CUSTOMUI_PART]
    assert UI_REL_TYPE in after[ROOT_RELS].decode()
    assert after[USER_PART] == before[USER_PART]
    assert "我的合计" in after["xl/workbook.xml"].decode()
    # formulas of the input sheets and the user's sheet are all still there
    wb_before = openpyxl.load_workbook(users_workbook, keep_vba=True)
    wb_after = openpyxl.load_workbook(filled, keep_vba=True)
    assert wb_after.sheetnames == wb_before.sheetnames == [*L.SHEET_ORDER, USER_SHEET]
    for sheet in (*L.INPUT_SHEETS, USER_SHEET):
        f_before = {
            c.coordinate: c.value for r in wb_before[sheet].iter_rows() for c in r if c.data_type == "f"
        }
        f_after = {
            c.coordinate: c.value for r in wb_after[sheet].iter_rows() for c in r if c.data_type == "f"
        }
        assert f_before == f_after
        if sheet in (L.BASIC_SHEET, L.PROJECT_SHEET):
            assert f_before, f"{sheet} should have lookup formulas"
        assert wb_after[sheet].data_validations.dataValidation.__len__() == len(
            wb_before[sheet].data_validations.dataValidation
        )
        assert set(wb_after[sheet].tables) == set(wb_before[sheet].tables)
    assert wb_after[USER_SHEET]["B1"].value == "=" + USER_FORMULA


def test_filled_tables_are_the_tables_of_the_edited_inputs(users_workbook: Path, filled: Path) -> None:
    budget = read_workbook(users_workbook)
    expected = tables_to_dict(build_tables(budget))
    shown = tables_to_dict(read_workbook_tables(filled))
    assert compare(shown, expected) == []
    assert not shown["tables"]["13"].get("empty")
    # the new figures are where they should be: 表3 and 表5 have the new 项, 表6 the new 基本工资
    assert "2010350" in [r.get("code") for r in shown["tables"]["3"]["rows"]]

    def basic_pay(doc: dict[str, Any]) -> str:
        return next(r["values"][0] for r in doc["tables"]["6"]["rows"] if r.get("code") == "30101")

    assert basic_pay(shown) == basic_pay(expected)


def test_filled_table_sheets_are_what_the_builder_prints(
    users_workbook: Path, filled: Path, tmp_path: Path
) -> None:
    """Cell by cell, every table sheet equals a fresh build of the edited unit (labels, 万元, notes)."""
    fresh = tmp_path / "fresh.xlsm"
    fresh.write_bytes(build_workbook(read_workbook(users_workbook)))
    got, want = _all_values(filled), _all_values(fresh)
    for sheet in L.TABLE_SHEETS:
        assert got[sheet] == want[sheet], sheet


def test_export_of_the_filled_workbook_equals_export_of_the_same_unit_as_json(
    users_workbook: Path, filled: Path, tmp_path: Path
) -> None:
    import json

    unit_json = tmp_path / "unit.json"
    unit_json.write_text(
        json.dumps(budget_to_dict(read_workbook(users_workbook)), ensure_ascii=False), "utf-8"
    )
    out_wb, out_json = tmp_path / "wb.json", tmp_path / "json.json"
    assert main(["export", str(filled), "-o", str(out_wb)]) == 0
    assert main(["export", str(unit_json), "-o", str(out_json)]) == 0
    a, b = json.loads(out_wb.read_text("utf-8")), json.loads(out_json.read_text("utf-8"))
    assert compare(a, b) == []


def test_print_areas_follow_the_tables(filled: Path) -> None:
    wb = openpyxl.load_workbook(filled, keep_vba=True)
    budget = read_workbook(filled)
    tables = build_tables(budget)
    from xlbudget.workbook.fill import print_end

    for t in tables.tables:
        ws = wb[L.table_sheet(t.number)]
        area = str(ws.print_area).split("!")[-1].replace("$", "")
        assert area == f"A1:{L.col_letter(L.sheet_grid(t).n_cols)}{print_end(t)}", t.number


def test_fill_twice_gives_identical_sheets(filled: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.xlsm"
    shutil.copyfile(filled, again)
    assert main(["fill", str(again), "--no-backup"]) == 0
    assert _all_values(again) == _all_values(filled)
    assert again.read_bytes() == filled.read_bytes()  # to the byte, even
    assert not (tmp_path / "again.bak.xlsm").exists()


def test_fill_on_the_committed_workbook_changes_no_value(tmp_path: Path, golden_tables: dict) -> None:
    path = tmp_path / "Budget2023.xlsm"
    shutil.copyfile(COMMITTED, path)
    assert main(["fill", str(path)]) == 0
    assert _all_values(path) == _all_values(COMMITTED)
    assert compare(tables_to_dict(read_workbook_tables(path)), golden_tables) == []
    changed = {n for n, d in _zip_members(path).items() if d != _zip_members(COMMITTED)[n]}
    assert changed <= _table_parts(path)  # not even workbook.xml: no print area moved


def test_backup_is_the_original(users_workbook: Path, tmp_path: Path) -> None:
    path = tmp_path / "Budget2023.xlsm"
    shutil.copyfile(users_workbook, path)
    assert main(["fill", str(path)]) == 0
    backup = tmp_path / "Budget2023.bak.xlsm"
    assert backup.read_bytes() == users_workbook.read_bytes()
    assert path.read_bytes() != users_workbook.read_bytes()


def test_text_in_an_amount_cell_names_the_cell_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "Budget2023.xlsm"
    shutil.copyfile(COMMITTED, path)
    book = FileBook(path)
    book.write(L.BASIC_SHEET, (5, L.BASIC.column("amount")), [["一万二"]])
    book.save()
    original = path.read_bytes()
    assert main(["fill", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{L.BASIC_SHEET}!F5" in err and "不是金额" in err and "Traceback" not in err
    assert path.read_bytes() == original
    assert not (tmp_path / "Budget2023.bak.xlsm").exists()


def test_not_a_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "x.xlsm"
    bad.write_text("not a zip")
    assert main(["fill", str(bad)]) == 2
    assert "不是有效的 Excel 工作簿" in capsys.readouterr().err
    assert main(["fill", str(tmp_path / "missing.xlsm")]) == 2


def test_libreoffice_opens_the_filled_workbook_and_runs_its_vba(filled: Path, tmp_path: Path) -> None:
    reason = missing_reason()
    if reason:
        pytest.fail(f"LibreOffice is needed for this test: {reason}")
    script = r"""
doc = load(args[0], macros=True)
try:
    lib = doc.BasicLibraries
    lib.loadLibrary("VBAProject")
    lib.getByName("VBAProject").removeByName("xlwings")  # LibreOffice cannot compile xlwings' #If blocks
    provider = doc.getScriptProvider()
    provider.getScript(
        "vnd.sun.star.script:VBAProject.XlbudgetSelfTest.SelfTest?language=Basic&location=document"
    ).invoke((), (), ())
    doc.calculateAll()
    store(doc, args[1])
finally:
    doc.close(True)
"""
    out = tmp_path / "after.xlsx"
    run_uno_script(script, str(filled), str(out))
    wb = openpyxl.load_workbook(out, data_only=True)
    assert wb[L.SETTINGS_SHEET]["E1"].value == "宏自检通过"
    assert wb[L.SETTINGS_SHEET]["F1"].value == len(L.SHEET_ORDER) + 1  # the user's sheet counts
    expected = tables_to_dict(build_tables(read_workbook(filled)))
    assert compare(tables_to_dict(read_workbook_tables(out)), expected) == []
    total = sum(x.amount for x in read_workbook(filled).basic)
    assert Decimal(str(wb[USER_SHEET]["B1"].value)) == total  # the user's formula still computes


# -- atomic: killed in the middle, the original is whole -----------------------------------------

_PAUSE_AT_REPLACE = r"""
import os, sys, time
target = os.path.abspath(sys.argv[1])
real_replace = os.replace
def replace(src, dst):
    if os.path.abspath(os.fspath(dst)) == target:
        print("TEMP " + os.fspath(src), flush=True)
        time.sleep(120)
    real_replace(src, dst)
os.replace = replace
from xlbudget.cli import main
raise SystemExit(main(["fill", sys.argv[1]]))
"""


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}


def test_killed_between_temp_file_and_rename_leaves_the_original_whole(
    users_workbook: Path, tmp_path: Path
) -> None:
    """SIGKILL after the new file is complete on disk (temp + fsync) but before os.replace."""
    path = tmp_path / "Budget2023.xlsm"
    shutil.copyfile(users_workbook, path)
    original = path.read_bytes()
    proc = subprocess.Popen(
        [sys.executable, "-c", _PAUSE_AT_REPLACE, str(path)], stdout=subprocess.PIPE, text=True, env=_env()
    )
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        assert line.startswith("TEMP "), line
        temp = Path(line[5:].strip())
        assert temp.parent == path.parent and temp.exists()
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert path.read_bytes() == original
    assert (tmp_path / "Budget2023.bak.xlsm").read_bytes() == original
    # what was about to replace it is complete: a whole workbook with the new tables
    assert zipfile.ZipFile(temp).testzip() is None
    temp.unlink()


def test_killed_at_any_moment_the_file_is_old_or_new(users_workbook: Path, tmp_path: Path) -> None:
    reference = tmp_path / "reference.xlsm"
    shutil.copyfile(users_workbook, reference)
    start = time.monotonic()
    assert (
        subprocess.run([sys.executable, "-m", "xlbudget", "fill", str(reference)], env=_env()).returncode == 0
    )
    duration = time.monotonic() - start
    old, new = users_workbook.read_bytes(), reference.read_bytes()
    outcomes = set()
    for i, fraction in enumerate((0.2, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0, 1.1)):
        path = tmp_path / f"run{i}" / "Budget2023.xlsm"
        path.parent.mkdir()
        shutil.copyfile(users_workbook, path)
        proc = subprocess.Popen([sys.executable, "-m", "xlbudget", "fill", str(path)], env=_env())
        time.sleep(duration * fraction)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        data = path.read_bytes()
        assert data in (old, new), (
            f"killed at {fraction:.0%}: the workbook is neither the old nor the new file"
        )
        outcomes.add(data == new)
    assert False in outcomes  # at least one kill landed before the rename


# -- from any unit's tables to any other's -----------------------------------------------------


def _unit(name: str) -> object:
    from tests.conftest import unit_dict
    from xlbudget.io.unit_json import budget_from_dict

    if name == "seed":
        return read_workbook(COMMITTED)
    if name == "yanggao":
        return read_unit_json(ROOT / "tests" / "units" / "yanggao-test-2024.json")
    # a public institution with 单位资金 only: 表4…表11 empty, no 机关运行经费, a carried-over project
    doc = unit_dict(
        basic=[
            {
                "function": "2080501",
                "economic": "30101",
                "fund": "unit_funds",
                "amount": 8000,
                "carryover": False,
            }
        ],
        projects=[
            {
                "name": "结转项目",
                "function": "2080501",
                "fund": "unit_funds",
                "amount": 100,
                "carryover": True,
            }
        ],
    )
    doc["unit"]["kind"] = "public_institution"
    return budget_from_dict(doc)


@pytest.mark.parametrize(
    ("shown", "inputs"),
    [("seed", "tiny"), ("tiny", "seed"), ("yanggao", "seed"), ("seed", "yanggao"), ("tiny", "yanggao")],
)
def test_fill_turns_any_units_tables_into_the_inputs_tables(shown: str, inputs: str, tmp_path: Path) -> None:
    """A workbook whose inputs are one unit's and whose 表1…表13 still show another's: fill makes them agree."""
    old, new = tmp_path / "old.xlsm", tmp_path / "new.xlsm"
    old.write_bytes(build_workbook(_unit(shown)))
    new.write_bytes(build_workbook(_unit(inputs)))
    expected = _all_values(new)
    # put the other unit's table sheets into the new workbook, cell for cell
    book = FileBook(new)
    old_values = openpyxl.load_workbook(old, data_only=True)
    for sheet in L.TABLE_SHEETS:
        rows = [list(r) for r in old_values[sheet].iter_rows(values_only=True)]
        height = max(len(rows), len(book.read(sheet)))
        width = max(len(book.read(sheet)[0]), max(len(r) for r in rows))
        rows += [[None] * width for _ in range(height - len(rows))]
        book.write(sheet, (1, 1), [r + [None] * (width - len(r)) for r in rows])
    book.save()
    assert any(_all_values(new)[s] != expected[s] for s in L.TABLE_SHEETS)
    assert main(["fill", str(new), "--no-backup"]) == 0
    got = _all_values(new)
    for sheet in L.TABLE_SHEETS:
        assert got[sheet] == expected[sheet], sheet


def test_fill_a_workbook_saved_by_another_program(tmp_path: Path) -> None:
    """LibreOffice writes its own XML (part order, shared strings, its own styles): fill works on it too."""
    from tests.helpers.lo import recalculate

    reason = missing_reason()
    if reason:
        pytest.fail(f"LibreOffice is needed for this test: {reason}")
    path = tmp_path / "Budget2023.xlsm"
    recalculate(COMMITTED, path)
    edit_inputs(path)
    before = _zip_members(path)
    assert main(["fill", str(path), "--no-backup"]) == 0
    after = _zip_members(path)
    changed = {n for n in before if before[n] != after[n]}
    assert changed <= _table_parts(path) | {"xl/workbook.xml"}
    expected = tables_to_dict(build_tables(read_workbook(path)))
    assert compare(tables_to_dict(read_workbook_tables(path)), expected) == []
    out = tmp_path / "again.xlsx"
    recalculate(path, out)  # and LibreOffice opens what fill wrote into its file
    assert compare(tables_to_dict(read_workbook_tables(out)), expected) == []


def test_a_file_that_cannot_be_replaced_is_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """On Windows a workbook open in Excel cannot be replaced: say so, change nothing."""
    import xlbudget.workbook.book_openpyxl as book_openpyxl

    path = tmp_path / "Budget2023.xlsm"
    shutil.copyfile(COMMITTED, path)

    def locked(target: Path, data: bytes) -> None:
        raise PermissionError(13, "另一个程序正在使用此文件")

    monkeypatch.setattr(book_openpyxl, "write_bytes_atomic", locked)
    assert main(["fill", str(path)]) == 2
    err = capsys.readouterr().err
    assert "无法写回" in err and "请先关闭" in err and "Traceback" not in err
    assert path.read_bytes() == COMMITTED.read_bytes()


def test_rows_a_shrunken_table_no_longer_uses_lose_their_borders(tmp_path: Path) -> None:
    new = tmp_path / "new.xlsm"
    new.write_bytes(build_workbook(_unit("tiny")))
    seed_tables = build_tables(read_workbook(COMMITTED))
    book = FileBook(new)
    seed_wb = openpyxl.load_workbook(COMMITTED, data_only=True)
    for sheet in ("表3", "表12"):
        rows = [list(r) for r in seed_wb[sheet].iter_rows(values_only=True)]
        book.write(sheet, (1, 1), rows)
    book.save()
    assert main(["fill", str(new), "--no-backup"]) == 0
    wb = openpyxl.load_workbook(new)
    tiny = build_tables(_unit("tiny"))
    for n in (3, 12):
        ws = wb[L.table_sheet(n)]
        last_new = L.print_end(L.sheet_grid(tiny[n]))
        last_old = L.print_end(L.sheet_grid(seed_tables[n]))
        assert last_old > last_new
        for r in range(last_new + 1, last_old + 1):
            for c in range(1, L.sheet_grid(tiny[n]).n_cols + 1):
                cell = ws.cell(r, c)
                assert cell.value is None and not cell.border.left.style, cell.coordinate
        assert ws.cell(last_new, 1).value is not None


def test_fill_warns_when_excel_has_the_workbook_open(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Excel's owner file ``~$Budget2023.xlsm`` beside the workbook: a Chinese warning, then the fill."""
    path = tmp_path / "Budget2023.xlsm"
    shutil.copyfile(COMMITTED, path)
    edit_inputs(path)
    assert main(["fill", str(path), "--no-backup"]) == 0
    assert "锁定文件" not in capsys.readouterr().err  # no owner file, no warning

    shutil.copyfile(COMMITTED, path)
    edit_inputs(path)
    # what Excel writes: the user name, length-prefixed, padded to 165 bytes
    (tmp_path / "~$Budget2023.xlsm").write_bytes((b"\x04zhang" + b" " * 160)[:165])
    assert main(["fill", str(path), "--no-backup"]) == 0
    err = capsys.readouterr().err
    assert "Budget2023.xlsm 似乎正在 Excel 或 WPS 中打开" in err
    assert "~$Budget2023.xlsm" in err and "请先在 Excel 中保存并关闭" in err
    expected = tables_to_dict(build_tables(read_workbook(path)))
    assert compare(tables_to_dict(read_workbook_tables(path)), expected) == []  # warned, and written


# -- Excel's calculation chain -----------------------------------------------------------------

SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CHAIN_PART = "xl/calcChain.xml"
CHAIN_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/calcChain"
CHAIN_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"


def add_calc_chain(path: Path, cells: list[tuple[str, str]]) -> None:
    """What Excel saves: ``xl/calcChain.xml`` (ECMA-376 §18.6) listing formula cells, its relationship
    from the workbook and its content type.  ``cells`` are (sheet, cell); ``i`` is the sheet's sheetId."""
    m = _zip_members(path)
    wb = m["xl/workbook.xml"].decode()
    ids = dict((name, sid) for name, sid in re.findall(r'<sheet name="([^"]+)" sheetId="(\d+)"', wb))
    chain = "".join(f'<c r="{ref}" i="{ids[sheet]}"/>' for sheet, ref in cells)
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        f'<calcChain xmlns="{SHEET_NS}">{chain}</calcChain>'
    ).encode()
    rels = (
        m["xl/_rels/workbook.xml.rels"]
        .decode()
        .replace(
            "</Relationships>",
            f'<Relationship Id="rIdChain" Type="{CHAIN_REL}" Target="calcChain.xml"/></Relationships>',
        )
    )
    types = (
        m["[Content_Types].xml"]
        .decode()
        .replace("</Types>", f'<Override PartName="/xl/calcChain.xml" ContentType="{CHAIN_TYPE}"/></Types>')
    )
    _rewrite_zip(
        path,
        {CHAIN_PART: xml, "xl/_rels/workbook.xml.rels": rels.encode(), "[Content_Types].xml": types.encode()},
    )


def put_formula(path: Path, sheet: str, ref: str, formula: str) -> None:
    """A formula typed by the user into a cell that holds a number (its saved result kept)."""
    part = FileBook(path)._parts[sheet]  # noqa: SLF001
    xml = _zip_members(path)[part].decode()
    new, n = re.subn(rf'(<c r="{ref}"[^>]*>)(<v>)', rf"\1<f>{formula}</f>\2", xml)
    assert n == 1, f"{sheet}!{ref} holds no number"
    _rewrite_zip(path, {part: new.encode()})


def test_fill_drops_a_calc_chain_that_would_name_a_cell_without_its_formula(tmp_path: Path) -> None:
    """A 合计 the user wrote as a formula in 表3 is overwritten with the figure: Excel's chain, which
    lists that cell, goes with its relationship and content type (Excel rebuilds it without a repair)."""
    from tests.helpers.ooxml import sdk_findings

    path = tmp_path / "Budget2023.xlsm"
    shutil.copyfile(COMMITTED, path)
    put_formula(path, "表3", "C6", "D6+E6")
    add_calc_chain(path, [(L.BASIC_SHEET, "B2"), (L.BASIC_SHEET, "D2"), ("表3", "C6")])
    assert sdk_findings(path) == []  # the chain as constructed is valid ECMA-376
    before = _zip_members(path)
    edit_inputs(path)
    assert main(["fill", str(path), "--no-backup"]) == 0
    after = _zip_members(path)
    assert CHAIN_PART not in after
    assert CHAIN_REL not in after["xl/_rels/workbook.xml.rels"].decode()
    assert "calcChain" not in after["[Content_Types].xml"].decode()
    assert "<f>" not in re.search(r'<c r="C6".*?</c>', after[FileBook(path)._parts["表3"]].decode()).group(0)  # noqa: SLF001
    assert sdk_findings(path) == []
    # nothing else went: every other part is still there, the VBA project to the byte
    assert set(after) == set(before) - {CHAIN_PART}
    assert after["xl/vbaProject.bin"] == before["xl/vbaProject.bin"]
    expected = tables_to_dict(build_tables(read_workbook(path)))
    assert compare(tables_to_dict(read_workbook_tables(path)), expected) == []


def test_fill_keeps_a_calc_chain_when_no_formula_is_removed(tmp_path: Path) -> None:
    """The chain names only the 名称 formulas of 基本支出, which fill does not touch: it stays as it was."""
    path = tmp_path / "Budget2023.xlsm"
    shutil.copyfile(COMMITTED, path)
    add_calc_chain(path, [(L.BASIC_SHEET, "B2"), (L.BASIC_SHEET, "D2")])
    edit_inputs(path)
    before = _zip_members(path)
    assert main(["fill", str(path), "--no-backup"]) == 0
    after = _zip_members(path)
    for part in (CHAIN_PART, "xl/_rels/workbook.xml.rels", "[Content_Types].xml"):
        assert after[part] == before[part], part
