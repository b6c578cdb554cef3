"""No report from wrong figures: ``xlbudget report`` and the 生成报告 button check first.

The case is the issue's: in the committed seed workbook a finance officer types 999.99 over
表3!C7 (201 一般公共服务支出, 合计). The lines still sum to 780.05, so the 表 sheets now
disagree with the lines, 表3's 合计 916.53 no longer adds up, and 表1/表2 disagree with 表3:
``check`` finds 6 errors.  A report would print 780.05 (computed from the lines) and publish
tables that are not the ones in the workbook; so it is refused, with the list, unless forced.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from xlbudget.workbook.book_openpyxl import FileBook
from xlbudget.workbook.buttons import run_button

COMMITTED = ROOT / "workbook" / "Budget2023.xlsm"


@pytest.fixture
def typed_over(tmp_path: Path) -> Path:
    path = tmp_path / "Budget2023.xlsm"
    shutil.copyfile(COMMITTED, path)
    book = FileBook(path)
    assert book.read("表3")[6][:3] == ["201", "一般公共服务支出", 780.05]  # the row the issue names
    book.write("表3", (7, 3), [[999.99]])
    book.save()
    return path


def xlbudget(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xlbudget", *args], capture_output=True, text=True, cwd=ROOT, timeout=300
    )


def test_report_refuses_while_check_finds_errors_and_lists_them(typed_over: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.docx"
    check = xlbudget("check", str(typed_over))
    assert check.returncode == 1 and "错误 6 项" in check.stdout
    r = xlbudget("report", str(typed_over), "-o", str(out))
    assert r.returncode == 1, r.stderr
    assert not out.exists()
    assert "校验发现 6 项错误" in r.stderr and "未生成报告" in r.stderr and "--force" in r.stderr
    assert "表3!C7" in r.stderr and "999.99" in r.stderr and "780.05" in r.stderr
    assert "Traceback" not in r.stderr


def test_force_writes_the_report_from_the_lines_and_says_so(typed_over: Path, tmp_path: Path) -> None:
    from xlbudget.report.text import docx_tables

    out = tmp_path / "r.docx"
    r = xlbudget("report", str(typed_over), "-o", str(out), "--force")
    assert r.returncode == 0, r.stderr
    assert "校验发现 6 项错误" in r.stdout and "已写出报告" in r.stdout
    t3 = docx_tables(out)[2]  # 表3 as printed: the figure of the lines, not the one typed over
    assert "2023年预算支出总表" in t3.before[-2]
    row = next(row for row in t3.rows if row[:1] == ("201",))
    assert row[2] == "780.05"


def test_the_seed_workbook_reports_without_force(tmp_path: Path) -> None:
    out = tmp_path / "r.docx"
    r = xlbudget("report", str(COMMITTED), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert out.exists() and "错误" not in r.stdout + r.stderr


def test_a_unit_json_with_an_error_is_refused_too(tmp_path: Path) -> None:
    # yanggao-test-2024: the form 信息化建设 has no 效益指标 (performance.indicator_groups, an error)
    unit = ROOT / "tests" / "units" / "yanggao-test-2024.json"
    r = xlbudget("report", str(unit), "-o", str(tmp_path / "r.docx"))
    assert r.returncode == 1 and "信息化建设" in r.stderr and "performance_targets[0]" in r.stderr


def _copy(src: Path, folder: Path) -> FileBook:
    folder.mkdir()
    dest = folder / src.name
    shutil.copyfile(src, dest)
    return FileBook(dest)


def test_the_button_asks_and_writes_nothing_on_no(typed_over: Path, tmp_path: Path) -> None:
    book = _copy(typed_over, tmp_path / "no")
    book.answer = False
    ok, message = run_button("report", book)
    assert ok and message.startswith("未生成报告") and "6 项校验错误" in message
    (question,) = book.questions
    assert "校验发现 6 项错误" in question and "表3!C7" in question and "仍然按明细生成报告吗" in question
    assert not list(book.folder.glob("*.docx"))


def test_the_button_writes_on_yes_and_says_errors_remain(typed_over: Path, tmp_path: Path) -> None:
    book = _copy(typed_over, tmp_path / "yes")
    book.answer = True
    ok, message = run_button("report", book)
    assert ok and message.startswith("已生成报告") and "校验有 6 项错误未改正" in message
    assert (book.folder / "Budget2023_预算公开报告.docx").exists()


def test_the_button_refuses_where_it_cannot_ask(typed_over: Path, tmp_path: Path) -> None:
    book = _copy(typed_over, tmp_path / "none")  # answer None: the engine cannot wait for 是/否
    ok, message = run_button("report", book)
    assert not ok and "无法生成报告" in message and "校验发现 6 项错误" in message and "表3!C7" in message
    assert not list(book.folder.glob("*.docx"))
    assert book.alerts == [message]


def test_the_button_on_the_seed_does_not_ask(tmp_path: Path) -> None:
    book = _copy(COMMITTED, tmp_path / "seed")
    ok, message = run_button("report", book)
    assert ok and message.startswith("已生成报告") and not book.questions and "未改正" not in message


def test_a_report_written_with_warnings_says_so(tmp_path: Path) -> None:
    """The seed workbook has no error but warnings (2022 dates in two 2023 forms, projects flagged 绩效目标管理
    without a form): the report is written, and the officer is told how many warnings ``check`` has."""
    import json

    check = xlbudget("check", str(COMMITTED), "--format", "json")
    warnings = [f for f in json.loads(check.stdout) if f["severity"] == "warning"]
    assert warnings and any("2022" in f["message"] for f in warnings)
    r = xlbudget("report", str(COMMITTED), "-o", str(tmp_path / "r.docx"))
    assert r.returncode == 0, r.stderr
    assert f"校验另有 {len(warnings)} 项警告" in r.stdout
    assert warnings[0]["message"] in r.stdout  # the first ones listed as check words them


# -- report --profile: as export --profile, and still gated ---------------------------------------


def test_report_profile_is_the_report_of_the_unit_with_that_profile(tmp_path: Path) -> None:
    """``report --profile national-9`` writes what the same unit with 报表方案 national-9 in its JSON writes
    (the 财政部 reference set's 9 tables), whichever side of INPUT the option stands."""
    import json

    from tests.conftest import SEED_JSON
    from xlbudget.report.text import docx_text

    data = json.loads(SEED_JSON.read_text("utf-8"))
    data["unit"]["profile"] = "national-9"
    national = tmp_path / "national.json"
    national.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    assert xlbudget("report", str(national), "-o", str(tmp_path / "own.docx")).returncode == 0
    r = xlbudget("report", "--profile", "national-9", str(SEED_JSON), "-o", str(tmp_path / "chosen.docx"))
    assert r.returncode == 0, r.stderr
    assert docx_text(tmp_path / "chosen.docx") == docx_text(tmp_path / "own.docx")
    text = docx_text(tmp_path / "chosen.docx")  # national 表9's title; Shanxi 表12's is not printed
    assert "2023年国有资本经营预算支出表" in text and "项目支出预算表（本年预算）" not in text


def test_report_profile_still_refuses_figures_typed_over(typed_over: Path, tmp_path: Path) -> None:
    r = xlbudget("report", str(typed_over), "--profile", "national-9", "-o", str(tmp_path / "r.docx"))
    assert r.returncode == 1 and "校验发现 6 项错误" in r.stderr and "表3!C7" in r.stderr
    assert not (tmp_path / "r.docx").exists()


def test_report_profile_of_a_department_is_refused_with_the_reason(tmp_path: Path) -> None:
    r = xlbudget(
        "report", "--department", str(tmp_path), "--profile", "national-9", "-o", str(tmp_path / "r.docx")
    )
    assert r.returncode == 2 and "部门信息 JSON 的 profile" in r.stderr and "Traceback" not in r.stderr


# -- a text typed into a 表 cell: the cell's error, not a read failure -------------------------------


@pytest.fixture
def text_typed(tmp_path: Path) -> Path:
    """The officer types 七百八十 (in words) over 表3!C7, whose figure the lines make 780.05."""
    path = tmp_path / "worded" / "Budget2023.xlsm"
    path.parent.mkdir()
    shutil.copyfile(COMMITTED, path)
    book = FileBook(path)
    book.write("表3", (7, 3), [["七百八十"]])
    book.save()
    assert FileBook(path).read("表3")[6][2] == "七百八十"
    return path


def test_check_finds_a_text_over_a_figure_at_its_cell(text_typed: Path) -> None:
    import json

    r = xlbudget("check", str(text_typed), "--format", "json")
    assert r.returncode == 1, r.stderr  # errors found, not 2 (unreadable)
    errors = [f for f in json.loads(r.stdout) if f["severity"] == "error"]
    # one error, at the cell: read as blank, the cell would also be "out" of 表3's sums and of 表1/表2 —
    # the one cause is told once
    assert [(f["rule"], f["location"], f["expected"], f["actual"]) for f in errors] == [
        ("table.figure_text", "表3!C7", "780.05", "七百八十")
    ]
    assert errors[0]["where"] == {"sheet": "表3", "cell": "C7"}
    assert (
        "写的是文字“七百八十”，不是金额" in errors[0]["message"] and "请点击「计算」" in errors[0]["message"]
    )
    text = xlbudget("check", str(text_typed))
    assert "错误 1 项" in text.stdout and "位置：表3!C7" in text.stdout


def test_report_force_overrides_a_text_over_a_figure(text_typed: Path, tmp_path: Path) -> None:
    from xlbudget.report.text import docx_tables

    out = tmp_path / "r.docx"
    refused = xlbudget("report", str(text_typed), "-o", str(out))
    assert refused.returncode == 1 and "校验发现 1 项错误" in refused.stderr and "表3!C7" in refused.stderr
    assert not out.exists()
    forced = xlbudget("report", str(text_typed), "-o", str(out), "--force")
    assert forced.returncode == 0, forced.stderr
    row = next(row for row in docx_tables(out)[2].rows if row[:1] == ("201",))
    assert row[2] == "780.05"  # printed from the lines


def test_a_text_over_a_figure_skipped_falls_back_to_the_lines_check(text_typed: Path) -> None:
    import json

    r = xlbudget("check", str(text_typed), "--format", "json", "--skip", "table.figure_text")
    errors = [f for f in json.loads(r.stdout) if f["severity"] == "error"]
    assert errors and {f["location"] for f in errors} == {"表3!C7"}
    assert all(f["rule"] != "table.figure_text" for f in errors)


def test_the_check_button_lists_a_text_over_a_figure_at_its_cell(text_typed: Path) -> None:
    book = FileBook(text_typed)
    ok, message = run_button("check", book)
    assert ok and "错误 1 条" in message, message
    rows = book.read("校验结果")
    [row] = [r for r in rows if r[0] == "table.figure_text"]
    assert row[1] == "错误" and row[5:7] == ["780.05", "七百八十"]
    assert row[3] == "表3!C7"  # 位置 (the sheet's link to the cell is finding_row's, test_findings_read_well)
