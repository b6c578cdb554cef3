"""The workbook as a build output: the committed .xlsm is what ``xlbudget new`` builds, and its parts are right.

Real files throughout: the workbook is built, written, unzipped and read back
with openpyxl and oletools.
"""

from __future__ import annotations

import importlib
import re
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import ROOT
from xlbudget.cli import main
from xlbudget.io.unit_json import read_unit_json
from xlbudget.money import to_wan
from xlbudget.tables import build_tables
from xlbudget.workbook import layout as L
from xlbudget.workbook.build import build_workbook, vba_modules, xlwings_bas
from xlbudget.workbook.ribbon import BUTTONS, CALLBACK, CUSTOMUI_NS, UI_REL_TYPE, on_actions, read_ribbon

with warnings.catch_warnings():  # oletools 0.60 uses pyparsing names deprecated since 3.0
    warnings.simplefilter("ignore", DeprecationWarning)
    from oletools.olevba import VBA_Parser

COMMITTED = ROOT / "workbook" / "Budget2023.xlsm"
DEFAULT_UNIT = ROOT / "xlbudget" / "workbook" / "default_unit.json"
RUNPYTHON = re.compile(r"^\s*RunPython\s+(?P<expr>.+)$", re.M)
DISPATCH_EXPR = '"import xlbudget.workbook.buttons as b; b.dispatch(\'" & control.Id & "\')"'


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``xlbudget new -o …`` run now, exactly as staff or CI would."""
    out = tmp_path_factory.mktemp("new") / "Budget2023.xlsm"
    assert main(["new", "-o", str(out)]) == 0
    return out


def _cells(path: Path) -> dict[str, dict[str, object]]:
    """Every non-empty cell of every sheet, formulas as text (openpyxl, not data_only)."""
    wb = openpyxl.load_workbook(path, keep_vba=True)
    out = {}
    for ws in wb.worksheets:
        out[ws.title] = {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}
    return out


def _part(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(name)


def test_committed_workbook_is_what_new_builds(rebuilt: Path) -> None:
    assert COMMITTED.exists(), (
        "workbook/Budget2023.xlsm is missing: run `xlbudget new -o workbook/Budget2023.xlsm`"
    )
    committed, fresh = _cells(COMMITTED), _cells(rebuilt)
    assert list(committed) == list(fresh) == list(L.SHEET_ORDER)
    for sheet in committed:
        assert committed[sheet] == fresh[sheet], f"{sheet} differs: rebuild workbook/Budget2023.xlsm"
    assert _part(COMMITTED, "xl/vbaProject.bin") == _part(rebuilt, "xl/vbaProject.bin")
    assert _part(COMMITTED, "customUI/customUI14.xml") == _part(rebuilt, "customUI/customUI14.xml")
    # the document properties are fixed, so a rebuild does not change them either
    assert _part(COMMITTED, "docProps/core.xml") == _part(rebuilt, "docProps/core.xml")


def test_build_is_deterministic() -> None:
    budget = read_unit_json(DEFAULT_UNIT)
    assert build_workbook(budget) == build_workbook(budget)


def test_new_refuses_bad_arguments_cleanly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "-o", str(tmp_path / "x.xlsx")]) == 2
    assert ".xlsm" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text('{"year": 2023, "unit": {"name": "x"}, "basic": [{"function": 2010308}]}', "utf-8")
    assert main(["new", "--from", str(bad), "-o", str(tmp_path / "x.xlsm")]) == 2
    err = capsys.readouterr().err
    assert "basic[0].function" in err and "Traceback" not in err
    assert not (tmp_path / "x.xlsm").exists()


def test_new_from_json_with_another_year(tmp_path: Path) -> None:
    out = tmp_path / "y.xlsm"
    assert main(["new", "--from", str(DEFAULT_UNIT), "--year", "2024", "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out, keep_vba=True)
    assert wb["表1"]["A2"].value == "2024年预算收支总表"
    assert wb[L.BASIC_SHEET]["A2"].value == "2010308"


def test_embedded_default_is_the_seed(seed_dict: dict) -> None:
    import json

    assert json.loads(DEFAULT_UNIT.read_text("utf-8")) == seed_dict


def test_input_sheets_are_tables_with_validation_and_frozen_headers(rebuilt: Path) -> None:
    wb = openpyxl.load_workbook(rebuilt, keep_vba=True)
    for spec in L.INPUT_TABLES:
        ws = wb[spec.sheet]
        assert spec.name in ws.tables, spec.sheet
        assert [c.value for c in ws[L.HEADER_ROW]][: len(spec.columns)] == [c.heading for c in spec.columns]
        assert ws.freeze_panes == "A2"
        lists = {dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"}
        kinds = {c.kind for c in spec.columns}
        if "fund" in kinds:
            assert '"' + ",".join(L.FUND_NAMES) + '"' in lists
        if "flag" in kinds:
            assert '"是,否"' in lists
    basic = wb[L.BASIC_SHEET]
    assert basic["F2"].number_format == "#,##0.00"
    assert basic["A2"].value == "2010308" and basic["A2"].number_format == "@"
    assert basic["B2"].value == L.lookup_formula("A2", "function")
    assert "XLOOKUP" not in basic["B2"].value and "IFERROR" in basic["B2"].value
    unit = wb[L.UNIT_SHEET]
    kinds = {dv.formula1 for dv in unit.data_validations.dataValidation}
    assert '"' + ",".join(L.KIND_NAMES) + '"' in kinds


def test_table_sheets_print_like_the_seed(rebuilt: Path, seed_dict: dict) -> None:
    wb = openpyxl.load_workbook(rebuilt, keep_vba=True)
    for n in range(1, 14):
        ws = wb[L.table_sheet(n)]
        assert ws["A1"].value == f"预算公开表{n}"
        assert ws["A2"].value.startswith("2023年")
        assert ws["A3"].value == "单位名称：大同市信访局"
        assert "单位：万元" in [c.value for c in ws[3]]
        assert ws.page_setup.paperSize == 9  # A4
        # fit to one page wide (fitToWidth 1 is the default, so it is left out), any number of pages high
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
        assert ws.print_title_rows and ws.print_title_rows.startswith("$1:")
    t1 = wb["表1"]
    assert t1["A6"].value == "一、一般公共预算" and t1["B6"].value == 916.53
    assert t1["C6"].value == "一、一般公共服务支出" and t1["D6"].value == 780.05
    assert t1["B6"].number_format == "0.00"
    t2 = wb["表2"]
    assert t2["A6"].value == "合计" and t2["A7"].value == "201" and t2["B9"].value == "信访事务"
    assert t2["B9"].alignment.indent == 2 and t2["B8"].alignment.indent == 1
    for n in (7, 8, 9, 13):  # published empty
        values = [c.value for row in wb[L.table_sheet(n)].iter_rows(min_row=6) for c in row if c.value]
        assert "注：本表无数据" in values


def test_cell_of_points_at_the_printed_figure(rebuilt: Path) -> None:
    tables = build_tables(read_unit_json(DEFAULT_UNIT))
    wb = openpyxl.load_workbook(rebuilt, keep_vba=True)

    def value(ref: str) -> object:
        sheet, cell = ref.split("!")
        return wb[sheet][cell].value

    t6 = tables[6]
    for row in t6.rows:
        for c, v in enumerate(row.values):
            ref = L.cell_of(t6, row.key, c)
            assert value(ref) == (float(to_wan(v)) if v else None), ref
    assert L.cell_of(t6, "30101", 1) == "表6!D8"
    t1 = tables[1]
    assert L.cell_of(t1, "一般公共预算") == "表1!B6"
    assert value(L.cell_of(t1, "本年支出合计", 0)) == 916.53
    assert value(L.cell_of(t1, "收入总计")) == 916.53
    assert L.body_top(L.sheet_grid(t6)) == 6  # two header rows from row 4
    with pytest.raises(KeyError):
        L.cell_of(t6, "39999")


def test_blank_workbook_of_another_year(tmp_path: Path) -> None:
    out = tmp_path / "Budget2025.xlsm"
    assert main(["new", "--year", "2025", "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out, keep_vba=True)
    assert list(wb.sheetnames) == list(L.SHEET_ORDER)
    assert wb["表3"]["A2"].value == "2025年预算支出总表"
    assert wb[L.BASIC_SHEET]["A2"].value is None
    form = {r[0].value: r[1].value for r in wb[L.UNIT_SHEET].iter_rows(min_row=2)}
    assert form["预算年度"] == 2025
    assert read_ribbon(out) == read_ribbon(COMMITTED)


def test_ribbon_part_and_relationship(rebuilt: Path) -> None:
    rels = _part(rebuilt, "_rels/.rels").decode()
    assert f'Type="{UI_REL_TYPE}" Target="customUI/customUI14.xml"' in rels
    xml = read_ribbon(rebuilt)
    assert xml is not None and CUSTOMUI_NS.encode() in xml
    actions = on_actions(xml)
    assert set(actions) == set(BUTTONS)
    assert set(actions.values()) == {CALLBACK}
    for label in BUTTONS.values():
        assert label.encode() in xml
    # everything XlsxWriter wrote is still there
    with zipfile.ZipFile(rebuilt) as z:
        names = z.namelist()
    assert "xl/vbaProject.bin" in names and "[Content_Types].xml" in names


def _olevba_modules(path: Path) -> dict[str, str]:
    parser = VBA_Parser(str(path))
    try:
        return {stream.split("/")[-1]: code for _, stream, _, code in parser.extract_macros()}
    finally:
        parser.close()


def _strip(code: str) -> str:
    lines = code.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(ln for ln in lines if not re.match(r"\s*Attribute\s+VB_", ln)).rstrip("\n")


def test_olevba_reads_every_module_back(rebuilt: Path) -> None:
    found = _olevba_modules(rebuilt)
    modules = vba_modules()
    assert set(found) == {m.name for m in modules}
    for m in modules:
        assert _strip(found[m.name]) == _strip(m.code), m.name
    # the standalone xlwings module from the wheel, licence header kept
    assert "xlwings is distributed under a BSD 3-clause license" in found["xlwings"]
    assert _strip(found["xlwings"]) == _strip(xlwings_bas())
    # document modules match the sheets' code names
    wb = openpyxl.load_workbook(rebuilt, keep_vba=True)
    for ws in wb.worksheets:
        assert ws.sheet_properties.codeName == L.vba_code_name(ws.title)
        assert ws.sheet_properties.codeName in found


def test_every_ribbon_action_has_a_ribbon_sub(rebuilt: Path) -> None:
    code = "\n".join(_olevba_modules(rebuilt).values())
    for action in set(on_actions(read_ribbon(rebuilt) or b"").values()):
        pattern = rf"^\s*(Public\s+)?Sub\s+{action}\s*\(\s*control\s+As\s+IRibbonControl\s*\)"
        assert re.search(pattern, code, re.M | re.I), f"no Sub {action}(control As IRibbonControl)"


def test_runpython_targets_import(rebuilt: Path) -> None:
    """Every RunPython call of our modules is the dispatcher call, and what it runs imports.

    Fails (never skips) while ``xlbudget.workbook.buttons`` (issue 3b) is missing.
    """
    modules = _olevba_modules(rebuilt)
    calls = [
        m.group("expr").strip()
        for n, code in modules.items()
        if n != "xlwings"
        for m in RUNPYTHON.finditer(code)
    ]
    assert calls == [DISPATCH_EXPR]
    for button in BUTTONS:
        command = DISPATCH_EXPR.replace('" & control.Id & "', button).strip('"')
        assert command == f"import xlbudget.workbook.buttons as b; b.dispatch('{button}')"
        compile(command, "<RunPython>", "exec")
        for target in re.findall(r"import\s+([\w.]+)", command):
            try:
                module = importlib.import_module(target)
            except ModuleNotFoundError as exc:
                pytest.fail(
                    f"RunPython target {target} does not import ({exc}): the 3b dispatcher is missing"
                )
            assert callable(getattr(module, "dispatch", None)), f"{target}.dispatch is missing"


def test_udf_wrappers_match_the_python_udfs(rebuilt: Path) -> None:
    """The VBA wrappers declared in xlwings_udfs call xlbudget.workbook.udfs with its own argument lists."""
    import inspect

    import xlbudget.workbook.udfs as udfs

    code = _olevba_modules(rebuilt)["xlwings_udfs"]
    declared = dict(re.findall(r"^Function\s+(\w+)\(([^)]*)\)", code, re.M))
    assert set(declared) == {"KMMC", "WANYUAN"}
    for name, params in declared.items():
        wanted = []
        for p in inspect.signature(getattr(udfs, name)).parameters.values():
            wanted.append(p.name if p.default is inspect.Parameter.empty else f"Optional {p.name}")
        assert [x.strip() for x in params.split(",")] == wanted, name
        args = ", ".join(p.removeprefix("Optional ") for p in wanted)
        assert f'XLPy.CallUDF("xlbudget.workbook.udfs", "{name}", Array({args})' in code


def test_xlwings_conf_sheet(rebuilt: Path) -> None:
    """What xlwings' GetConfigFromSheet reads: A1 down to the first blank, every key with a value."""
    ws = openpyxl.load_workbook(rebuilt, keep_vba=True)[L.XLWINGS_CONF_SHEET]
    block = []
    for row in ws.iter_rows(min_row=1, max_col=2):
        if row[0].value in (None, ""):
            break
        block.append((row[0].value, row[1].value))
    assert block == [("UDF Modules", "xlbudget.workbook.udfs")]
    # an empty Interpreter_Win in the block would hide the user's own setting; the optional keys are below
    listed = [r[0].value for r in ws.iter_rows(min_row=L.XLWINGS_CONF_NOTE_ROW + 1)]
    assert {"Interpreter_Win", "PYTHONPATH", "Conda Path", "Conda Env"} <= set(listed)


def test_findings_and_settings_sheets(rebuilt: Path) -> None:
    wb = openpyxl.load_workbook(rebuilt, keep_vba=True)
    assert [c.value for c in wb[L.FINDINGS_SHEET][1]] == list(L.FINDINGS_HEADINGS)
    assert wb[L.FINDINGS_SHEET].max_row == 1
    settings = {r[0].value: r[1].value for r in wb[L.SETTINGS_SHEET].iter_rows(min_row=2)}
    assert settings[L.SETTINGS_THRESHOLD_LABEL] == L.SETTINGS_THRESHOLD_DEFAULT
    assert L.SETTINGS_DISABLED_LABEL in settings


def test_catalogue_sheet_lists_the_catalogue(rebuilt: Path) -> None:
    from xlbudget.catalogue import load_catalogue

    cat = load_catalogue(2023)
    ws = openpyxl.load_workbook(rebuilt, keep_vba=True)[L.CATALOGUE_SHEET]
    codes = {r[0].value: r[1].value for r in ws.iter_rows(min_row=2) if r[0].value}
    assert codes == dict(cat.function)
    assert all(isinstance(c, str) for c in codes)
    economic = {r[3].value: r[4].value for r in ws.iter_rows(min_row=2) if r[3].value}
    assert economic == dict(cat.economic)


def test_table_bodies_are_the_layout_block_values(tmp_path: Path) -> None:
    """build writes exactly layout.body_values of each table's grid (what fill writes too, and what
    the Word report sets), for the seed and a blank year."""
    blank = tmp_path / "blank.xlsm"
    blank.write_bytes(build_workbook(None, year=2024))
    from xlbudget.tables import build_tables as derive
    from xlbudget.workbook.build import empty_budget

    for path, budget in ((COMMITTED, read_unit_json(DEFAULT_UNIT)), (blank, empty_budget(2024))):
        wb = openpyxl.load_workbook(path, keep_vba=True)
        for table in derive(budget).tables:
            pt = L.sheet_grid(table)
            grid = L.body_values(pt)
            ws = wb[L.table_sheet(table.number)]
            first = L.body_top(pt)
            width = pt.n_cols
            got = [
                [c.value for c in row]
                for row in ws.iter_rows(min_row=first, max_row=first + len(grid) - 1, max_col=width)
            ]
            assert got == grid, table.label
            below = [c.value for row in ws.iter_rows(min_row=first + len(grid), max_col=width) for c in row]
            assert not any(below), table.label


def test_new_over_an_existing_workbook_keeps_it_as_a_backup(tmp_path: Path) -> None:
    """`new -o` naming a filled workbook by mistake: the workbook is replaced, but the filled one is kept
    as NAME.bak.xlsm (as `fill` keeps one), byte for byte — nothing typed is lost."""
    filled = tmp_path / "Budget2023.xlsm"
    filled.write_bytes(COMMITTED.read_bytes())
    assert main(["new", "--year", "2024", "-o", str(filled)]) == 0
    assert (tmp_path / "Budget2023.bak.xlsm").read_bytes() == COMMITTED.read_bytes()
    assert filled.read_bytes() != COMMITTED.read_bytes()
