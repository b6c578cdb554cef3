"""The workbook under a real engine: LibreOffice headless runs its VBA and recalculates its formulas.

LibreOffice missing is a FAILURE with the install command, never a skip.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import ROOT
from tests.helpers.lo import LibreOfficeMissing, missing_reason, recalculate, run_uno_script
from xlbudget.workbook import layout as L

COMMITTED = ROOT / "workbook" / "Budget2023.xlsm"


@pytest.fixture(scope="module", autouse=True)
def _libreoffice() -> None:
    reason = missing_reason()
    if reason:
        pytest.fail(f"LibreOffice is needed for these tests: {reason}")


# LibreOffice Basic cannot compile xlwings.bas (its ``#If … #Else`` around two
# procedure headers), and one module that does not compile silences the whole
# library.  The script therefore takes that one module out of the loaded copy —
# in memory, the file is not changed — and checks that every other module of the
# generated project compiles before it runs SelfTest.
_RUN_SELFTEST = r"""
import json
PROBE = "Option VBASupport 1\nFunction XlbudgetProbe()\n    XlbudgetProbe = 1\nEnd Function\n"
doc = load(args[0], macros=True)
try:
    libs = doc.BasicLibraries
    libs.loadLibrary("VBAProject")
    lib = libs.getByName("VBAProject")
    names = sorted(lib.getElementNames())
    lib.removeByName("xlwings")
    lib.insertByName("XlbudgetProbe", PROBE)
    provider = doc.getScriptProvider()
    url = "vnd.sun.star.script:VBAProject.%s.%s?language=Basic&location=document"
    probe = provider.getScript(url % ("XlbudgetProbe", "XlbudgetProbe")).invoke((), (), ())[0]
    lib.removeByName("XlbudgetProbe")
    if probe != 1:
        raise RuntimeError("the generated VBA project does not compile under LibreOffice")
    provider.getScript(url % ("XlbudgetSelfTest", "SelfTest")).invoke((), (), ())
    store(doc, args[1])
    print(json.dumps(names))
finally:
    doc.close(True)
"""


def test_libreoffice_runs_selftest_from_the_committed_workbook(tmp_path: Path) -> None:
    out = tmp_path / "after.xlsx"
    try:
        stdout = run_uno_script(_RUN_SELFTEST, str(COMMITTED), str(out))
    except LibreOfficeMissing as exc:  # pragma: no cover - the fixture fails first
        pytest.fail(str(exc))
    modules = json.loads(stdout.strip().splitlines()[-1])
    assert {"XlbudgetRibbon", "XlbudgetSelfTest", "xlwings", "xlwings_udfs", "ThisWorkbook"} <= set(modules)
    ws = openpyxl.load_workbook(out)[L.SETTINGS_SHEET]
    assert ws["E1"].value == "宏自检通过"
    assert ws["F1"].value == len(L.SHEET_ORDER)


# Every ribbon button pressed under LibreOffice: the committed workbook's own OnRibbon callback runs with a
# stand-in for Excel's IRibbonControl (a class module with an Id), and a stand-in RunPython (xlwings.bas,
# which LibreOffice cannot compile, is taken out as above) records the Python it would run.
_PRESS_BUTTONS = r"""
import json
CONTROL = "Option VBASupport 1\nOption ClassModule\nPublic Id As String\n"
PRESS = (
    "Option VBASupport 1\n"
    "Public Sub RunPython(command As String)\n"
    "    ThisWorkbook.Worksheets(\"设置\").Range(\"E2\").Value = command\n"
    "End Sub\n"
    "Public Function XlbudgetPress(id As String)\n"
    "    ThisWorkbook.Worksheets(\"设置\").Range(\"E2\").Value = \"\"\n"
    "    Dim control As New XlbudgetControl\n"
    "    control.Id = id\n"
    "    OnRibbon control\n"
    "    XlbudgetPress = ThisWorkbook.Worksheets(\"设置\").Range(\"E2\").Value\n"
    "End Function\n"
)
doc = load(args[0], macros=True)
try:
    libs = doc.BasicLibraries
    libs.loadLibrary("VBAProject")
    lib = libs.getByName("VBAProject")
    lib.removeByName("xlwings")
    lib.insertByName("XlbudgetControl", CONTROL)
    lib.insertByName("XlbudgetPress", PRESS)
    provider = doc.getScriptProvider()
    url = "vnd.sun.star.script:VBAProject.XlbudgetPress.XlbudgetPress?language=Basic&location=document"
    press = provider.getScript(url)
    print(json.dumps({b: press.invoke((b,), (), ())[0] for b in json.loads(args[1])}, ensure_ascii=False))
finally:
    doc.close(True)
"""


def test_libreoffice_presses_every_ribbon_button_of_the_committed_workbook() -> None:
    """Each button's id (校验Word报告 too) reaches the dispatcher through the workbook's own VBA callback."""
    from xlbudget.workbook.ribbon import on_actions, read_ribbon

    buttons = sorted(on_actions(read_ribbon(str(COMMITTED)) or b""))
    assert {"wordcheck", "rollover_prior"} <= set(buttons) and len(buttons) == 9
    stdout = run_uno_script(_PRESS_BUTTONS, str(COMMITTED), json.dumps(buttons))
    ran = json.loads(stdout.strip().splitlines()[-1])
    assert ran == {b: f"import xlbudget.workbook.buttons as b; b.dispatch('{b}')" for b in buttons}


# (cell, what is pasted, lookup cell, expected name)
PASTED = [
    ("A2", 2010308, "B2", "信访事务"),  # a number
    ("A3", "2080505", "B3", "机关事业单位基本养老保险缴费支出"),  # text
    ("A4", " 2101101 ", "B4", "行政单位医疗"),  # stray spaces
    ("A5", "2210201　", "B5", "住房公积金"),  # a full-width space after it
    ("A6", "22 10 202", "B6", "提租补贴"),  # spaces inside
    ("A7", 9999999, "B7", L.UNKNOWN_CODE),  # unknown, as a number
    ("A8", "2019998", "B8", L.UNKNOWN_CODE),  # unknown, as text
    ("A9", "", "B9", ""),  # blank: no name, no complaint
    ("C2", 30101, "D2", "基本工资"),
    ("C3", "30102 ", "D3", "津贴补贴"),
    ("C4", 2010308, "D4", L.UNKNOWN_CODE),  # a function code is not an economic one
    ("C5", 30101.0, "D5", "基本工资"),
]


def test_lookup_formulas_under_libreoffice(tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(COMMITTED)
    ws = wb[L.BASIC_SHEET]
    for cell, value, _, _ in PASTED:
        ws[cell] = value if value != "" else None
    proj = wb[L.PROJECT_SHEET]
    proj["B2"] = 2010308
    proj["B3"] = " 1234567"
    # a row that staff added to 科目表 is found too
    cat = wb[L.CATALOGUE_SHEET]
    row = cat.max_row + 1
    cat.cell(row, 1, "2990101")
    cat.cell(row, 2, "本单位自增科目")
    proj["B4"] = 2990101
    pasted = tmp_path / "pasted.xlsx"
    wb.save(pasted)
    recalculated = tmp_path / "recalculated.xlsx"
    recalculate(pasted, recalculated)
    result = openpyxl.load_workbook(recalculated, data_only=True)
    got = {target: result[L.BASIC_SHEET][target].value or "" for _, _, target, _ in PASTED}
    assert got == {target: name for _, _, target, name in PASTED}
    proj_names = [result[L.PROJECT_SHEET][c].value for c in ("C2", "C3", "C4")]
    assert proj_names == ["信访事务", L.UNKNOWN_CODE, "本单位自增科目"]
    # untouched rows keep their names
    assert result[L.BASIC_SHEET]["B10"].value == "信访事务"


def test_lookup_formula_is_portable() -> None:
    formula = L.lookup_formula("A2", "function")
    for banned in ("XLOOKUP", "LET(", "FILTER(", "TEXTJOIN", "IFS("):
        assert banned not in formula
    assert formula.startswith("=IF(") and "IFERROR(VLOOKUP(" in formula
