"""The committed workbook (the seed, 2023) rolled to 2024: it opens in LibreOffice, fills and reports, and every
比上年 sentence of its report compares with the 2023 figures; the 生成下一年度工作簿 button does the same.

By hand, from ../shared/golden/datong-xinfang-2023.tables.json (万元): 2023 收入总计 = 支出总计 = 一般公共预算
当年拨款 = 916.53 (表1, 表5), 机关运行经费 58.64 (表11), “三公”经费 3.50 (表10). In the 2024 workbook two lines are
raised, by whole hundreds of yuan (so that every change prints exactly as the difference of the printed figures):
基本工资 (30101) by 100,000 = 10.00 and 办公费 (30201, 公用经费) by 58,600 = 5.86. So for 2024:
收入/支出总计 and 一般公共预算当年拨款 916.53 + 15.86 = 932.39, 比上年增加15.86万元, 15.86 / 916.53 = 1.73%;
机关运行经费 58.64 + 5.86 = 64.50, 比上年增加5.86万元, 5.86 / 58.64 = 9.99%; “三公”经费 3.50, the same as 2023.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.conftest import ROOT, SEED_JSON
from tests.test_rollover import hypothetical_2024, user_catalogue  # noqa: F401 - fixtures
from tests.test_xlwings_remote import (  # noqa: F401 - xw is a fixture
    actions_of,
    assert_only_vba_client_actions,
    book_of,
    payload_of,
    xw,
)
from xlbudget.catalogue import load_catalogue
from xlbudget.cli import main
from xlbudget.document import read_document
from xlbudget.document.checking import check_document
from xlbudget.io.unit_json import budget_to_dict
from xlbudget.report.text import docx_text
from xlbudget.workbook import layout as L
from xlbudget.workbook.book_openpyxl import FileBook
from xlbudget.workbook.buttons import dispatch, next_year_name
from xlbudget.workbook.reader import read_workbook

COMMITTED = ROOT / "workbook" / "Budget2023.xlsm"


@pytest.fixture(scope="module")
def rolled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("rolled") / "Budget2024.xlsm"
    assert main(["new", "--from", str(COMMITTED), "--year", "2024", "-o", str(out)]) == 0
    return out


def test_the_command_says_what_it_carried(tmp_path: Path) -> None:
    out = tmp_path / "Budget2024.xlsm"
    r = subprocess.run(
        [sys.executable, "-m", "xlbudget", "new", "--from", str(COMMITTED), "--year", "2024", "-o", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == f"已写出2024年工作簿：{out}（大同市信访局，由2023年的 Budget2023.xlsm 生成）"
    assert lines[1] == (
        "上年数（2023年预算数）：收入总计 916.53 万元，支出总计 916.53 万元，一般公共预算当年拨款 916.53 万元，"
        "机关运行经费 58.64 万元，“三公”经费 3.50 万元；一般公共预算财政拨款 6 个项。"
    )
    assert "12 个项目（金额保留，作为起点）、5 张绩效目标申报表" in lines[2] and "【待复核】" in lines[2]


@pytest.mark.parametrize(
    ("drop", "said"),
    [
        (
            ("performance_targets",),
            "沿用：单位信息、12 个项目（金额保留，作为起点）；本年没有绩效目标申报表，无可沿用；",
        ),
        (("performance_targets", "projects"), "沿用：单位信息；本年没有项目、绩效目标申报表，无可沿用；"),
    ],
)
def test_a_unit_without_forms_is_told_it_has_none(tmp_path: Path, drop: tuple[str, ...], said: str) -> None:
    """The seed without its 5 forms (and without its 12 projects): no "0 张绩效目标申报表（日期顺延一年 0 处"."""
    import json

    data = json.loads(SEED_JSON.read_text("utf-8"))
    for key in drop:
        data[key] = []
    unit = tmp_path / "unit.json"
    unit.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "xlbudget",
            "new",
            "--from",
            str(unit),
            "--year",
            "2024",
            "-o",
            str(tmp_path / "n.xlsm"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    [carried] = [line for line in r.stdout.splitlines() if line.startswith("沿用：")]
    assert carried.startswith(said) and carried.endswith("变动原因已清空。"), carried
    assert "0 张" not in r.stdout and "0 处" not in r.stdout and "0 个项目" not in r.stdout


def test_the_rolled_workbook_holds_2024_with_the_2023_figures_as_last_year(rolled: Path) -> None:
    wb = openpyxl.load_workbook(rolled, keep_vba=True)
    assert wb["表1"]["A2"].value == "2024年预算收支总表"
    form = {r[0].value: r[1].value for r in wb[L.UNIT_SHEET].iter_rows(min_row=2)}
    assert form["预算年度"] == 2024
    assert form["上年收入总计（元）"] == form["上年支出总计（元）"] == 9165270
    assert form["上年一般公共预算当年拨款（元）"] == 9165270 and form["上年机关运行经费（元）"] == 586360
    assert form["收支总计变动原因"] is None  # 2023's reasons do not explain 2024's changes
    last = [
        (r[1].value, r[3].value)
        for r in wb[L.THREE_PUBLIC_SHEET].iter_rows(min_row=2)
        if r[0].value == "上年"
    ]
    assert last == [("公务用车运行维护费", 35010)]
    prior = [(r[0].value, r[2].value) for r in wb[L.PRIOR_FUNCTIONS_SHEET].iter_rows(min_row=2) if r[0].value]
    assert [code for code, _ in prior] == ["2010308", "2080501", "2080505", "2101101", "2210201", "2210202"]
    assert sum(amount for _, amount in prior) == 9165270
    overview = wb[L.PERFORMANCE_SHEET][f"{L.PERFORMANCE.letter('overview')}2"].value
    assert overview.startswith("【待复核】维稳工作经费--1 主要用于")


def test_from_the_unit_json_the_same_workbook(rolled: Path, tmp_path: Path) -> None:
    out = tmp_path / "from-json.xlsm"
    assert main(["new", "--from", str(SEED_JSON), "--year", "2024", "-o", str(out)]) == 0
    assert budget_to_dict(read_workbook(out)) == budget_to_dict(read_workbook(rolled))


def test_empty_keeps_the_projects_and_last_years_figures_only(rolled: Path, tmp_path: Path) -> None:
    out = tmp_path / "empty.xlsm"
    assert main(["new", "--from", str(COMMITTED), "--year", "2024", "--empty", "-o", str(out)]) == 0
    empty, full = read_workbook(out), read_workbook(rolled)
    assert empty.basic == () and empty.three_public == () and empty.procurement.total == 0
    assert [(p.name, p.amount) for p in empty.projects] == [(p.name, 0) for p in full.projects]
    assert budget_to_dict(empty)["prior_year"] == budget_to_dict(full)["prior_year"]


def test_a_code_the_new_catalogue_moves_is_named_with_its_successor(
    hypothetical_2024: Path,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "Budget2024.xlsm"
    assert main(["new", "--from", str(COMMITTED), "--year", "2024", "-o", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-2:] == [
        "2024年科目表中更名或撤销的科目（请改用新科目）：",
        "  2010308 信访事务 2024年起调整编码为 2014001 信访事务",
    ]


def test_a_bad_cell_of_the_prior_sheet_is_named(rolled: Path, tmp_path: Path) -> None:
    from xlbudget.errors import InputError

    path = tmp_path / "bad.xlsm"
    shutil.copyfile(rolled, path)
    book = FileBook(path)
    book.write(L.PRIOR_FUNCTIONS_SHEET, (2, L.PRIOR_FUNCTIONS.column("function")), [["20103"]])
    book.write(L.PRIOR_FUNCTIONS_SHEET, (3, L.PRIOR_FUNCTIONS.column("amount")), [["十万"]])
    book.save()
    with pytest.raises(InputError) as exc:
        read_workbook(path)
    got = {p.location: p.message for p in exc.value.problems}
    assert set(got) == {"上年数!A2", "上年数!C3"}
    assert got["上年数!A2"] == "“20103” 不是项级科目：上年数按项填写，应为7位编码"
    assert "（应填以元为单位的数字）" in got["上年数!C3"]


def test_a_workbook_made_before_the_prior_sheet_existed_reads_without_it(rolled: Path) -> None:
    from xlbudget.workbook.reader import budget_from_values, open_values

    older = [s for s in L.INPUT_SHEETS if s != L.PRIOR_FUNCTIONS_SHEET]
    budget = budget_from_values(open_values(rolled, older))
    full = read_workbook(rolled)
    assert budget.prior_year.functions == () and len(full.prior_year.functions) == 6
    assert budget.prior_year.income_total == full.prior_year.income_total and budget.lines == full.lines


def test_libreoffice_opens_and_recalculates_it(rolled: Path, tmp_path: Path) -> None:
    from tests.helpers.lo import missing_reason, recalculate

    reason = missing_reason()
    if reason:
        pytest.fail(f"LibreOffice is needed for this test: {reason}")
    out = tmp_path / "recalculated.xlsx"
    recalculate(rolled, out)
    ws = openpyxl.load_workbook(out, data_only=True)[L.PRIOR_FUNCTIONS_SHEET]
    names = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(2, 8)}
    cat = load_catalogue(2024)
    assert names == {code: cat.function_name(code) for code in names}
    assert names["2010308"] == "信访事务" and names["2210201"] == "住房公积金"
    assert ws["B8"].value in (None, "")  # a blank row: no name, no complaint
    assert budget_to_dict(read_workbook(out)) == budget_to_dict(read_workbook(rolled))


def _raise(book: FileBook, economic: str, by: int) -> None:
    rows = book.read(L.BASIC_SHEET)
    col_e, col_a = L.BASIC.column("economic"), L.BASIC.column("amount")
    [r] = [i for i, row in enumerate(rows, 1) if i > 1 and str(row[col_e - 1]) == economic]
    book.write(L.BASIC_SHEET, (r, col_a), [[rows[r - 1][col_a - 1] + by]])


def test_it_fills_and_reports_against_the_2023_figures(
    rolled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "Budget2024.xlsm"
    shutil.copyfile(rolled, path)
    book = FileBook(path)
    _raise(book, "30101", 100_000)
    _raise(book, "30201", 58_600)
    book.save()
    assert main(["fill", str(path), "--no-backup"]) == 0
    docx = tmp_path / "report.docx"
    # the carried forms are still marked 【待复核】: an error, so no report until they are reviewed …
    assert main(["report", str(path), "-o", str(docx)]) == 1
    assert not docx.exists()
    assert "【待复核】" in capsys.readouterr().err
    # … or the officer insists
    assert main(["report", str(path), "-o", str(docx), "--force"]) == 0
    text = docx_text(docx)
    expected = [
        "2024年度预算收入总计932.39万元，其中：本年收入932.39万元，上年结转0.00万元，比上年增加15.86万元，增加1.73%。",
        "2024年度预算支出总计932.39万元，其中：本年预算安排932.39万元，上年结转0.00万元，比上年增加15.86万元，增加1.73%。",
        "2024年度一般公共预算当年拨款932.39万元，比上年增加15.86万元，增加1.73%。",
        "2024年，大同市信访局机关运行经费财政拨款预算64.50万元，上年58.64万元，比上年增加5.86万元，增加9.99%。",
    ]
    for sentence in expected:
        assert sentence in text, sentence
    assert text.count("比上年") == len(expected)  # no other sentence compares with last year
    assert "2024年财政拨款安排的“三公”经费预算3.50万元与2023年预算数相同" in text
    assert "【待复核】" in text  # forced: the report shows what was not reviewed, and checking it says so
    marks = [
        f
        for f in check_document(read_document(docx))
        if f.rule == "text.placeholder" and "【待复核】" in f.message
    ]
    assert len(marks) == 5 and {f.severity for f in marks} == {"error"}


def test_a_workbook_of_another_year_or_a_bad_file_is_refused(
    rolled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.xlsm"
    cases = [
        (
            ["--from", str(COMMITTED), "--year", "2025"],
            "这是2023年的预算（单位信息“预算年度”），不能据此生成2025年的工作簿",
        ),
        (["--from", str(rolled), "--year", "2024"], None),  # the same year: that unit's workbook again
        (["--from", str(tmp_path / "无此文件.xlsm"), "--year", "2024"], "文件不存在"),
        (["--from", str(COMMITTED), "--empty"], "--empty 只用于生成下一年度工作簿"),
    ]
    broken = tmp_path / "broken.xlsm"
    broken.write_bytes(COMMITTED.read_bytes()[:20000])
    cases.append((["--from", str(broken), "--year", "2024"], str(broken)))
    garbage = tmp_path / "garbage.xlsm"
    garbage.write_bytes(b"not a workbook at all" * 50)
    cases.append((["--from", str(garbage), "--year", "2024"], str(garbage)))
    for args, message in cases:
        out.unlink(missing_ok=True)
        code = main(["new", *args, "-o", str(out)])
        err = capsys.readouterr().err
        if message is None:
            assert code == 0 and out.exists(), err
            continue
        assert code == 2 and message in err, (args, err)
        assert "Traceback" not in err and not out.exists()
    assert main(["new", "--from", str(rolled), "--year", "2025", "-o", str(rolled)]) == 2
    assert "不能就是 --from 的文件" in capsys.readouterr().err


def test_next_year_name() -> None:
    assert next_year_name("Budget2023.xlsm", 2023) == "Budget2024.xlsm"
    assert next_year_name("2023年预算-v2.xlsm", 2023) == "2024年预算-v2.xlsm"
    assert next_year_name("信访局预算.xlsm", 2023) == "信访局预算_2024年.xlsm"


def test_the_button_writes_next_years_workbook_beside_this_one(
    xw: Any,  # noqa: F811
    rolled: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)  # a remote book knows no folder: beside it is the working folder
    payload = payload_of(COMMITTED, xw.__version__)
    book = book_of(xw, payload)
    message = dispatch("rollover", book)
    out = tmp_path / "Budget2024.xlsm"
    assert message.startswith(f"已生成2024年工作簿：{out}\n上年数（2023年预算数）：收入总计 916.53 万元"), (
        message
    )
    assert budget_to_dict(read_workbook(out)) == budget_to_dict(read_workbook(rolled))
    actions = actions_of(book)
    assert_only_vba_client_actions(actions)
    assert [a["func"] for a in actions] == ["alert"]
    # pressed again: the file is there, and this engine cannot ask — nothing is overwritten
    before = out.read_bytes()
    again = book_of(xw, payload)
    message = dispatch("rollover", again)
    assert message.startswith("无法生成下一年度工作簿：") and f"已有文件 {out}：未覆盖" in message
    assert out.read_bytes() == before
