"""下一年度（按公开报告）: next year's workbook with last year's figures as the published report prints them —
what ``xlbudget new --from THIS --year Y+1 --prior REPORT`` does, with the report found beside the workbook.

The case: the unit published its 2023 report (生成报告 on the committed workbook: 收入总计 916.53 万元), then
raised 基本支出!F2 (基本工资) by 100,000 元 in the workbook (收入总计 now 9,265,270 元). 生成下一年度工作簿 takes
the workbook's 9,265,270 as 上年; this button takes the 916.53 万元 printed = 9,165,300 元.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.conftest import ROOT
from tests.test_xlwings_remote import (  # noqa: F401 - xw is a fixture
    actions_of,
    assert_only_vba_client_actions,
    book_of,
    payload_of,
    xw,
)
from xlbudget.io.unit_json import budget_to_dict, read_unit_json
from xlbudget.report import write_report
from xlbudget.workbook import layout as L
from xlbudget.workbook.book_openpyxl import FileBook
from xlbudget.workbook.buttons import dispatch, run_button
from xlbudget.workbook.reader import read_workbook

COMMITTED = ROOT / "workbook" / "Budget2023.xlsm"
REPORT = "Budget2023_预算公开报告.docx"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("published") / REPORT
    write_report(read_workbook(COMMITTED), out)
    return out


@pytest.fixture
def changed_since(tmp_path: Path, published: Path) -> Path:
    """The workbook, changed after its report was published, with that report beside it."""
    path = tmp_path / "Budget2023.xlsm"
    shutil.copyfile(COMMITTED, path)
    book = FileBook(path)
    book.write(L.BASIC_SHEET, (2, L.BASIC.column("amount")), [[1630810]])
    book.save()
    shutil.copyfile(published, tmp_path / REPORT)
    return path


def last_year(path: Path) -> dict[str, Any]:
    form = {r[0].value: r[1].value for r in openpyxl.load_workbook(path)[L.UNIT_SHEET].iter_rows(min_row=2)}
    return {k: v for k, v in form.items() if str(k).startswith("上年")}


def test_the_button_takes_last_years_figures_as_printed(changed_since: Path, tmp_path: Path) -> None:
    ok, message = run_button("rollover_prior", FileBook(changed_since))
    out = tmp_path / "Budget2024.xlsm"
    assert ok, message
    assert message.startswith(f"已生成2024年工作簿：{out}（上年数以 {REPORT} 所印为准）"), message
    assert "从2023年预算公开报告" in message and "收入总计 916.53" in message
    assert "上年数（2023年预算数）" not in message  # the workbook's own figures are not what went in
    got = last_year(out)
    assert got["上年收入总计（元）"] == got["上年支出总计（元）"] == 9165300  # 916.53 万元 as printed
    # the plain button, for contrast, takes the workbook as it is now
    book = FileBook(changed_since)
    book.answer = True  # 是: overwrite
    ok, _ = run_button("rollover", book)
    assert ok and last_year(out)["上年收入总计（元）"] == 9265270


def test_the_button_makes_what_new_prior_makes(changed_since: Path, tmp_path: Path) -> None:
    assert run_button("rollover_prior", FileBook(changed_since))[0]
    cli = tmp_path / "cli.xlsm"
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "xlbudget",
            "new",
            "--from",
            str(changed_since),
            "--year",
            "2024",
            "--prior",
            str(tmp_path / REPORT),
            "-o",
            str(cli),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    made = budget_to_dict(read_workbook(tmp_path / "Budget2024.xlsm"))
    assert made == budget_to_dict(read_workbook(cli))


def test_in_excel_it_only_shows_a_message(
    xw: Any,  # noqa: F811
    published: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)  # a remote book knows no folder: beside it is the working folder
    shutil.copyfile(published, tmp_path / REPORT)
    book = book_of(xw, payload_of(COMMITTED, xw.__version__))
    message = dispatch("rollover_prior", book)
    assert message.startswith(f"已生成2024年工作簿：{tmp_path / 'Budget2024.xlsm'}（上年数以"), message
    actions = actions_of(book)
    assert_only_vba_client_actions(actions)
    assert [a["func"] for a in actions] == ["alert"]


def test_no_report_beside_says_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "Budget2023.xlsm"
    shutil.copyfile(COMMITTED, path)
    ok, message = run_button("rollover_prior", FileBook(path))
    assert not ok and message.startswith("无法按公开报告生成下一年度工作簿：")
    assert "没有已公开的预算公开报告（.docx 或 .pdf）" in message and "生成下一年度工作簿" in message
    assert not (tmp_path / "Budget2024.xlsm").exists()


def test_another_years_report_is_refused(tmp_path: Path) -> None:
    """A 2024 report beside the 2023 workbook (another unit's, too): 2024's 上年 come from a 2023 report."""
    path = tmp_path / "Budget2023.xlsm"
    shutil.copyfile(COMMITTED, path)
    other = read_unit_json(ROOT / "tests" / "units" / "yanggao-test-2024.json")
    write_report(other, tmp_path / REPORT)
    ok, message = run_button("rollover_prior", FileBook(path))
    assert not ok and "2024年的预算公开报告" in message and "2023年的报告" in message, message
    assert not (tmp_path / "Budget2024.xlsm").exists()


def test_two_reports_and_none_of_the_name_are_refused(tmp_path: Path, published: Path) -> None:
    path = tmp_path / "Budget2023.xlsm"
    shutil.copyfile(COMMITTED, path)
    shutil.copyfile(published, tmp_path / "a.docx")
    shutil.copyfile(published, tmp_path / "b.docx")
    ok, message = run_button("rollover_prior", FileBook(path))
    assert not ok and "有 2 个报告文件（a.docx、b.docx）" in message and REPORT in message
