"""The xlwings side of the buttons, driven through xlwings' remote engine (``xw.Book(json=payload)``).

The payload is what the VBA client (``RunRemotePython`` in the installed
``xlwings/addin/Remote.bas``) sends: the used range of every sheet from A1, ""
for empty.  The same ``fill``/``check`` code that runs on Windows Excel runs on
that Book; what it would do to Excel is ``book.json()["actions"]``, which the
tests check — only actions the VBA client implements, one ``setValues`` per
table block — and apply to the payload to read the result back.

The licence key ``noncommercial`` is set in these tests only (see README: the
PolyForm Noncommercial licence permits use by government institutions; the
product itself runs xlwings' BSD-licensed classic path and needs no key).
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.conftest import ROOT
from tests.test_fill import edit_inputs
from xlbudget.io.tables_json import compare, tables_to_dict
from xlbudget.tables import build_tables
from xlbudget.workbook import layout as L
from xlbudget.workbook.book import INFO_MARK_COLOR, MARK_COLOR, parse_cell, read_budget, read_tables
from xlbudget.workbook.book_xlwings import WHITE, XlwingsBook
from xlbudget.workbook.buttons import dispatch

COMMITTED = ROOT / "workbook" / "Budget2023.xlsm"
HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
_HYPERLINK = re.compile(r'^=HYPERLINK\("((?:[^"]|"")*)","((?:[^"]|"")*)"\)$')


# -- the engine, the VBA client, the payload --------------------------------------------------


@pytest.fixture
def xw(monkeypatch: pytest.MonkeyPatch) -> Any:
    """xlwings with its remote engine, licensed for this test only."""
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    import xlwings

    added = None
    if "remote" not in xlwings.engines.engines_by_name:
        # xlwings registers the engine at import, and only when a key was set by then
        from xlwings.pro import _xlremote

        added = xlwings.main.Engine(impl=_xlremote.engine)
        xlwings.engines.add(added)
    yield xlwings
    if added is not None:
        xlwings.engines.engines.remove(added)
        del xlwings.engines.engines_by_name["remote"]


def vba_client_actions() -> set[str]:
    """Every action the VBA client can run: it calls ``Application.Run action("func"), wb, action``."""
    import xlwings

    text = (Path(xlwings.__file__).parent / "addin" / "Remote.bas").read_text("utf-8", errors="replace")
    assert re.search(r'Application\.Run action\("func"\), wb, action', text), "the VBA client changed"
    return set(re.findall(r"^Sub (\w+)\(wb As Workbook, action As Dictionary\)", text, re.M))


def _json_value(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, dt.datetime | dt.date):
        return v.isoformat()
    return v


def payload_of(path: Path, version: str) -> dict[str, Any]:
    """The VBA client's payload for a workbook file: each sheet's used range from A1, "" for empty."""
    wb = openpyxl.load_workbook(path, data_only=True)
    sheets = []
    for ws in wb.worksheets:
        values = [[_json_value(v) for v in row] for row in ws.iter_rows(values_only=True)] or [[""]]
        sheets.append({"name": ws.title, "values": values, "pictures": [], "tables": []})
    return {
        "client": "VBA",
        "version": version,
        "book": {"name": path.name, "active_sheet_index": 0, "selection": "A1"},
        "names": [],
        "sheets": sheets,
    }


def shown(value: Any) -> Any:
    """What Excel shows for a value written with setValues (a HYPERLINK formula shows its text)."""
    if isinstance(value, str):
        m = _HYPERLINK.match(value)
        if m:
            return m.group(2).replace('""', '"')
    return value


def apply(payload: dict[str, Any], actions: list[dict[str, Any]]) -> dict[str, Any]:
    """The payload Excel would send next time, after running ``setValues`` actions."""
    out = copy.deepcopy(payload)
    for a in actions:
        if a["func"] != "setValues":
            continue
        values = out["sheets"][a["sheet_position"]]["values"]
        r0, c0 = a["start_row"], a["start_column"]
        width = max(max(len(r) for r in values), c0 + a["column_count"])
        for row in values:
            row.extend([""] * (width - len(row)))
        while len(values) < r0 + a["row_count"]:
            values.append([""] * width)
        for i, row in enumerate(a["values"]):
            for j, v in enumerate(row):
                values[r0 + i][c0 + j] = shown(v)
    return out


def book_of(xw: Any, payload: dict[str, Any]) -> XlwingsBook:
    return XlwingsBook(xw.Book(json=copy.deepcopy(payload)))


def actions_of(book: XlwingsBook) -> list[dict[str, Any]]:
    return book.book.json()["actions"]


def sheet_values(payload: dict[str, Any], name: str) -> dict[str, Any]:
    sheet = next(s for s in payload["sheets"] if s["name"] == name)
    return {
        L.cell_name(r, c): v
        for r, row in enumerate(sheet["values"], 1)
        for c, v in enumerate(row, 1)
        if v not in ("", None)
    }


def set_cell(payload: dict[str, Any], sheet: str, row: int, col: int, value: Any) -> None:
    values = next(s for s in payload["sheets"] if s["name"] == sheet)["values"]
    while len(values) < row:
        values.append([""] * len(values[0]))
    for r in values:
        r.extend([""] * (col - len(r)))
    values[row - 1][col - 1] = value


def assert_only_vba_client_actions(actions: list[dict[str, Any]]) -> None:
    implemented = vba_client_actions()
    for a in actions:
        assert a["func"] in implemented, f"{a['func']} is not implemented by the VBA client"
        if a["func"] == "setRangeColor":
            assert isinstance(a["args"][0], str) and HEX.match(a["args"][0]), a  # HexToRgb needs a colour
        if a["func"] == "setValues":
            assert len(a["values"]) == a["row_count"]
            assert all(len(r) == a["column_count"] for r in a["values"])


@pytest.fixture(scope="module")
def edited_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed workbook after a staff member's edits (see tests/test_fill.py), not yet calculated."""
    path = tmp_path_factory.mktemp("edited") / "Budget2023.xlsm"
    shutil.copyfile(COMMITTED, path)
    edit_inputs(path)
    return path


# -- the tests -------------------------------------------------------------------------------


def test_the_vba_client_list_is_what_we_think() -> None:
    implemented = vba_client_actions()
    assert {"setValues", "setRangeColor", "alert", "addHyperlink", "rangeClearContents"} <= implemented
    assert "setFormula" not in implemented and "setFontProperty" not in implemented


def test_calc_writes_each_table_block_once_where_layout_says(xw: Any, edited_file: Path) -> None:
    payload = payload_of(edited_file, xw.__version__)
    book = book_of(xw, payload)
    message = dispatch("calc", book)
    assert message.startswith("已按输入表计算"), message
    actions = actions_of(book)
    assert_only_vba_client_actions(actions)
    names = [s["name"] for s in payload["sheets"]]
    writes = [a for a in actions if a["func"] == "setValues"]
    derived = build_tables(read_budget(book_of(xw, payload)))
    for n in range(1, L.TABLE_COUNT + 1):
        sheet, pt = L.table_sheet(n), L.sheet_grid(derived[n])
        mine = [a for a in writes if names[a["sheet_position"]] == sheet]
        assert len(mine) == 1, f"{sheet}: {len(mine)} writes, expected one bulk write"
        assert (mine[0]["start_row"] + 1, mine[0]["start_column"] + 1) == (L.body_top(pt), 1)
        assert mine[0]["column_count"] == pt.n_cols
    assert len(writes) == L.TABLE_COUNT  # nothing else: no input sheet is written
    # a table that grew: its new rows first get the formats of its last row (copyRange), then the values
    from xlbudget.workbook.fill import shown_end

    copies = [a for a in actions if a["func"] == "copyRange"]
    grown = {names[a["sheet_position"]]: a for a in copies}
    assert {"表2", "表3"} <= set(grown) and "表13" not in grown  # 表13 was 注：本表无数据: nothing to copy
    for sheet, a in grown.items():
        n = int(sheet[1:])
        values = next(s for s in payload["sheets"] if s["name"] == sheet)["values"]
        old_end = shown_end(derived[n], [[None if v == "" else v for v in r] for r in values])
        width = L.sheet_grid(derived[n]).n_cols
        assert (a["start_row"] + 1, a["row_count"], a["column_count"]) == (old_end, 1, width)
        assert a["args"][0] == a["sheet_position"] and a["args"][1].startswith(f"$A${old_end + 1}:")
        assert actions.index(a) < actions.index(
            next(w for w in writes if w["sheet_position"] == a["sheet_position"])
        )
    assert [a["func"] for a in actions][-1] == "alert"

    after = apply(payload, actions)
    budget = read_budget(book_of(xw, after))
    expected = tables_to_dict(build_tables(budget))
    assert compare(tables_to_dict(read_tables(book_of(xw, after))), expected) == []
    assert not expected["tables"]["13"].get("empty")


def test_remote_calc_and_file_fill_give_the_same_sheets(xw: Any, edited_file: Path, tmp_path: Path) -> None:
    """The two implementations of the interface, one fill: the same cells."""
    from xlbudget.cli import main

    payload = payload_of(edited_file, xw.__version__)
    book = book_of(xw, payload)
    dispatch("calc", book)
    after = apply(payload, actions_of(book))
    path = tmp_path / "Budget2023.xlsm"
    shutil.copyfile(edited_file, path)
    assert main(["fill", str(path), "--no-backup"]) == 0
    from_file = payload_of(path, xw.__version__)

    def norm(d: dict[str, Any]) -> dict[str, Any]:
        return {k: (round(v, 2) if isinstance(v, float) else v) for k, v in d.items()}

    for sheet in L.TABLE_SHEETS:
        assert norm(sheet_values(after, sheet)) == norm(sheet_values(from_file, sheet)), sheet


def test_calc_twice_changes_nothing_more(xw: Any, edited_file: Path) -> None:
    payload = payload_of(edited_file, xw.__version__)
    book = book_of(xw, payload)
    dispatch("calc", book)
    once = apply(payload, actions_of(book))
    book2 = book_of(xw, once)
    dispatch("calc", book2)
    twice = apply(once, actions_of(book2))
    for sheet in L.SHEET_ORDER:
        assert sheet_values(twice, sheet) == sheet_values(once, sheet), sheet


def _with_wrong_total(xw: Any) -> dict[str, Any]:
    payload = payload_of(COMMITTED, xw.__version__)
    set_cell(payload, "表6", 6, 3, 999)  # 表6 合计 typed over
    return payload


def test_check_lists_findings_links_them_and_marks_the_cells(xw: Any) -> None:
    payload = _with_wrong_total(xw)
    book = book_of(xw, payload)
    message = dispatch("check", book)
    assert message.startswith("校验完成：错误"), message
    actions = actions_of(book)
    assert_only_vba_client_actions(actions)
    names = [s["name"] for s in payload["sheets"]]
    writes = [a for a in actions if a["func"] == "setValues"]
    assert len(writes) == 1 and names[writes[0]["sheet_position"]] == L.FINDINGS_SHEET
    assert (writes[0]["start_row"], writes[0]["start_column"]) == (1, 0)  # row 2, under the headings
    rows = writes[0]["values"]
    errors = [r for r in rows if r[1] == "错误"]
    assert errors and all(r[3] == '=HYPERLINK("#\'表6\'!C6","表6!C6")' for r in errors)
    colours = {
        (names[a["sheet_position"]], a["start_row"] + 1, a["start_column"] + 1): a["args"][0]
        for a in actions
        if a["func"] == "setRangeColor"
    }
    assert colours[("表6", 6, 3)] == MARK_COLOR
    # every linked cell is marked, and nothing else is
    linked = {parse_cell(shown(r[3])) for r in rows if str(r[3]).startswith("=HYPERLINK")}
    assert set(colours) == linked
    assert set(colours.values()) <= {MARK_COLOR, INFO_MARK_COLOR}


def test_clear_marks_takes_away_exactly_the_marks_of_the_last_check(xw: Any) -> None:
    payload = _with_wrong_total(xw)
    book = book_of(xw, payload)
    dispatch("check", book)
    checked = apply(payload, actions_of(book))
    marked = {
        (a["sheet_position"], a["start_row"], a["start_column"])
        for a in actions_of(book)
        if a["func"] == "setRangeColor"
    }
    book2 = book_of(xw, checked)
    message = dispatch("clear_marks", book2)
    assert message == f"已清除 {len(marked)} 个单元格的校验标记。"
    actions = actions_of(book2)
    assert_only_vba_client_actions(actions)
    cleared = {
        (a["sheet_position"], a["start_row"], a["start_column"])
        for a in actions
        if a["func"] == "setRangeColor"
    }
    assert cleared == marked
    # 表N's cells go back to no fill (white, in the VBA client), cells to type in to their light fill
    colours = {
        (L.SHEET_ORDER[a["sheet_position"]], a["args"][0]) for a in actions if a["func"] == "setRangeColor"
    }
    assert {c for s, c in colours if s not in L.INPUT_SHEETS} == {WHITE}
    assert {c for s, c in colours if s in L.INPUT_SHEETS} == {L.INPUT_FILL}
    assert not [a for a in actions if a["func"] == "setValues"]  # the list stays


def test_check_again_replaces_the_list_and_its_marks(xw: Any) -> None:
    payload = _with_wrong_total(xw)
    book = book_of(xw, payload)
    dispatch("check", book)
    checked = apply(payload, actions_of(book))
    n_before = len(sheet_values(checked, L.FINDINGS_SHEET))
    set_cell(checked, "表6", 6, 3, 523.52)  # put right
    book2 = book_of(xw, checked)
    dispatch("check", book2)
    actions = actions_of(book2)
    whites = [a for a in actions if a["func"] == "setRangeColor" and a["args"][0] == WHITE]
    assert whites, "the old marks go first"
    again = apply(checked, actions)
    assert not any(v == "错误" for v in sheet_values(again, L.FINDINGS_SHEET).values())
    assert len(sheet_values(again, L.FINDINGS_SHEET)) < n_before  # old rows emptied in the same write


def test_settings_switch_rules_off_and_set_the_threshold(xw: Any) -> None:
    payload = _with_wrong_total(xw)
    settings_rows = next(s for s in payload["sheets"] if s["name"] == L.SETTINGS_SHEET)["values"]
    disabled_row = next(i for i, r in enumerate(settings_rows, 1) if r[0] == L.SETTINGS_DISABLED_LABEL)
    set_cell(payload, L.SETTINGS_SHEET, disabled_row, 2, "table.total_equals_rows, cross.t5_basic_eq_t6")
    set_cell(payload, L.SETTINGS_SHEET, disabled_row + 1, 2, "table.t6_personnel_public")
    set_cell(payload, L.SETTINGS_SHEET, disabled_row + 2, 2, "no.such_rule")
    from xlbudget.workbook.findings_sheet import read_settings

    settings, notes = read_settings(book_of(xw, payload))
    assert {"table.total_equals_rows", "cross.t5_basic_eq_t6", "table.t6_personnel_public"} <= settings.skip
    assert settings.change_threshold == L.SETTINGS_THRESHOLD_DEFAULT
    assert [(n.rule, str(n.location), n.actual) for n in notes] == [
        ("settings.unknown_rule", f"{L.SETTINGS_SHEET}!B{disabled_row + 2}", "no.such_rule")
    ]
    book = book_of(xw, payload)
    dispatch("check", book)
    rows = next(a for a in actions_of(book) if a["func"] == "setValues")["values"]
    rules = {r[0] for r in rows}
    assert not rules & {"table.total_equals_rows", "cross.t5_basic_eq_t6", "table.t6_personnel_public"}
    assert "settings.unknown_rule" in rules


def test_a_threshold_that_is_not_a_number_is_named(xw: Any) -> None:
    payload = payload_of(COMMITTED, xw.__version__)
    set_cell(payload, L.SETTINGS_SHEET, 2, 2, "三十")
    book = book_of(xw, payload)
    message = dispatch("check", book)
    assert f"{L.SETTINGS_SHEET}!B2" in message and "Traceback" not in message


def test_text_in_an_amount_cell_is_a_message_naming_the_cell(xw: Any) -> None:
    payload = payload_of(COMMITTED, xw.__version__)
    set_cell(payload, L.BASIC_SHEET, 5, L.BASIC.column("amount"), "一万二")
    set_cell(payload, L.PROJECT_SHEET, 3, L.PROJECTS.column("amount"), "abc")
    book = book_of(xw, payload)
    message = dispatch("calc", book)
    assert message.startswith("无法计算：工作簿中有 2 处需要改正")
    assert f"{L.BASIC_SHEET}!F5" in message and f"{L.PROJECT_SHEET}!E3" in message
    assert "Traceback" not in message
    actions = actions_of(book)
    assert [a["func"] for a in actions] == ["alert"]  # nothing written
    assert actions[0]["args"][:4] == [message, "预算公开", "ok", "critical"]


def test_an_internal_error_is_a_message_not_a_traceback(xw: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import xlbudget.workbook.fill as fill_module

    def broken(book: Any, **kw: Any) -> Any:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(fill_module, "fill", broken)
    book = book_of(xw, payload_of(COMMITTED, xw.__version__))
    message = dispatch("calc", book)
    assert message == "无法计算：内部错误（请把这段话发给维护人员）：ZeroDivisionError: division by zero"
    assert [a["func"] for a in actions_of(book)] == ["alert"]


def test_unknown_button_and_no_caller(xw: Any) -> None:
    book = book_of(xw, payload_of(COMMITTED, xw.__version__))
    assert "未知的按钮" in dispatch("nonsense", book)
    # started outside Excel: xw.Book.caller() fails, dispatch says so instead of raising
    assert "无法连接到调用的工作簿" in dispatch("calc")


def test_about(xw: Any) -> None:
    book = book_of(xw, payload_of(COMMITTED, xw.__version__))
    message = dispatch("about", book)
    assert (
        "xlbudget" in message
        and "Python" in message
        and "xlwings" in message
        and "科目表：2023 年" in message
    )
    assert_only_vba_client_actions(actions_of(book))


def test_report_writes_word_beside_the_workbook(
    xw: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a remote book knows no folder: beside it is the working folder
    book = book_of(xw, payload_of(COMMITTED, xw.__version__))
    message = dispatch("report", book)
    out = tmp_path / "Budget2023_预算公开报告.docx"
    assert message.startswith(f"已生成报告：{out}"), message
    from docx import Document

    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "大同市信访局" in text
    assert_only_vba_client_actions(actions_of(book))


def test_pdf_falls_back_to_the_reports_pdf_where_sheets_cannot_be_printed(
    xw: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.helpers.lo import missing_reason

    reason = missing_reason()
    if reason:
        pytest.fail(f"LibreOffice is needed for this test: {reason}")
    monkeypatch.chdir(tmp_path)
    book = book_of(xw, payload_of(COMMITTED, xw.__version__))
    message = dispatch("pdf", book)
    pdf = tmp_path / "Budget2023_预算公开报告.pdf"
    assert str(pdf) in message, message
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert_only_vba_client_actions(actions_of(book))


def test_check_adds_the_findings_sheet_when_it_was_deleted(xw: Any) -> None:
    payload = payload_of(COMMITTED, xw.__version__)
    payload["sheets"] = [s for s in payload["sheets"] if s["name"] != L.FINDINGS_SHEET]
    book = book_of(xw, payload)
    dispatch("check", book)
    actions = actions_of(book)
    assert_only_vba_client_actions(actions)
    assert actions[0]["func"] == "addSheet" and actions[0]["args"] == [
        len(payload["sheets"]),
        L.FINDINGS_SHEET,
    ]
    assert actions[1]["values"] == [list(L.FINDINGS_HEADINGS)]


def test_titles_and_year_headings_follow_the_inputs(xw: Any) -> None:
    payload = payload_of(COMMITTED, xw.__version__)
    form = next(s for s in payload["sheets"] if s["name"] == L.UNIT_SHEET)["values"]
    year_row = next(i for i, r in enumerate(form, 1) if r[0] == "预算年度")
    name_row = next(i for i, r in enumerate(form, 1) if r[0] == "单位名称")
    set_cell(payload, L.UNIT_SHEET, year_row, 2, 2024)
    set_cell(payload, L.UNIT_SHEET, name_row, 2, "大同市信访局（更名）")
    book = book_of(xw, payload)
    dispatch("calc", book)
    actions = actions_of(book)
    assert_only_vba_client_actions(actions)
    after = apply(payload, actions)
    for n in range(1, L.TABLE_COUNT + 1):
        cells = sheet_values(after, L.table_sheet(n))
        assert cells["A2"].startswith("2024年"), cells["A2"]
        assert cells["A3"] == "单位名称：大同市信访局（更名）"
        assert not any("2023年" in str(v) for v in cells.values()), n
    shown_tables = read_tables(book_of(xw, after))
    assert shown_tables.year == 2024 and shown_tables.unit == "大同市信访局（更名）"


def test_a_table_that_shrank_loses_the_formats_of_rows_it_no_longer_uses(xw: Any) -> None:
    payload = payload_of(COMMITTED, xw.__version__)
    projects = next(s for s in payload["sheets"] if s["name"] == L.PROJECT_SHEET)["values"]
    kept = 2
    for row in projects[1 + kept :]:
        for j in range(len(row)):
            row[j] = ""
    before = sheet_values(payload, "表12")
    book = book_of(xw, payload)
    dispatch("calc", book)
    actions = actions_of(book)
    assert_only_vba_client_actions(actions)
    pos = [s["name"] for s in payload["sheets"]].index("表12")
    clears = [a for a in actions if a["func"] == "rangeClear" and a["sheet_position"] == pos]
    assert len(clears) == 1
    first_row = L.body_top(L.sheet_grid(build_tables(read_budget(book_of(xw, payload)))[12]))
    last_printed = first_row + kept - 1  # the two projects left (表12 prints no 合计 row)
    assert clears[0]["start_row"] + 1 == last_printed + 1
    old_last = max(int(re.sub(r"\D", "", ref)) for ref in before)
    assert clears[0]["start_row"] + clears[0]["row_count"] == old_last
    write = next(a for a in actions if a["func"] == "setValues" and a["sheet_position"] == pos)
    assert actions.index(write) < actions.index(clears[0])
    after = sheet_values(apply(payload, actions), "表12")
    assert max(int(re.sub(r"\D", "", ref)) for ref in after) == last_printed


def test_report_with_a_figure_typed_over_is_refused_with_the_list(
    xw: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """表3!C7 typed over (999.99 for 780.05): the remote engine cannot wait for 是/否, so no report."""
    monkeypatch.chdir(tmp_path)
    payload = payload_of(COMMITTED, xw.__version__)
    set_cell(payload, "表3", 7, 3, 999.99)
    book = book_of(xw, payload)
    message = dispatch("report", book)
    assert message.startswith("无法生成报告") and "校验发现 6 项错误" in message and "表3!C7" in message
    assert not list(tmp_path.glob("*.docx"))
    actions = actions_of(book)
    assert [a["func"] for a in actions] == ["alert"]
    assert actions[0]["args"][2:4] == ["ok", "critical"]
