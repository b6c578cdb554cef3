"""``xlbudget batch`` as the bureau's clerk sees it in a console or a log: where an unreadable unit went
wrong, findings numbered within the unit, little progress noise without a terminal, and an earlier
batch's output folder inside the inbox not taken for units."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import ROOT, SEED_JSON

SEED_WORKBOOK = ROOT / "workbook" / "Budget2023.xlsm"


def batch(inbox: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # stderr is a pipe, not a terminal, as in a scheduled job's log
        [sys.executable, "-m", "xlbudget", "batch", str(inbox), "-o", str(out), "--jobs", "2"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


def summary_files(out: Path) -> list[str]:
    ws = openpyxl.load_workbook(out / "summary.xlsx")["汇总"]
    return [str(r[1]) for r in ws.iter_rows(min_row=2, values_only=True)]


def findings(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.read_text("utf-8-sig").splitlines()))


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("inbox")
    shutil.copy(SEED_JSON, folder / "seed.json")
    wb = openpyxl.load_workbook(SEED_WORKBOOK, keep_vba=True)
    assert isinstance(wb["基本支出"]["F3"].value, int | float)  # an amount in yuan, typed over below
    wb["基本支出"]["F3"] = "一百一十二万"
    wb.save(folder / "bad-text.xlsm")
    return folder


def test_console_names_the_cell_of_an_unreadable_unit(inbox: Path, tmp_path: Path) -> None:
    r = batch(inbox, tmp_path / "out")
    assert r.returncode == 1, r.stdout + r.stderr
    line = next(x for x in r.stdout.splitlines() if "bad-text.xlsm" in x)
    assert line.startswith("  [无法读取] bad-text.xlsm：基本支出!F3：“一百一十二万” 不是金额"), line
    row = next(f for f in findings(tmp_path / "out" / "findings.csv") if f["文件"] == "bad-text.xlsm")
    assert row["位置"] == "基本支出!F3"  # the console says what the findings file says


def test_findings_are_numbered_within_their_unit(inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert batch(inbox, out).returncode == 1
    rows = [f for f in findings(out / "findings.csv") if f["文件"] == "seed.json"]
    assert len(rows) >= 2  # the seed has several warnings and infos (e.g. 尾差)
    order = summary_files(out)
    assert {f["文件序号"] for f in rows} == {str(order.index("seed.json") + 1)}  # its 序号 in 汇总
    assert [f["问题序号"] for f in rows] == [str(n) for n in range(1, len(rows) + 1)]
    own = next((out / "findings").glob("*seed.csv"))
    assert [f["问题序号"] for f in findings(own)] == [f["问题序号"] for f in rows]


def test_progress_without_a_terminal_is_two_lines(inbox: Path, tmp_path: Path) -> None:
    r = batch(inbox, tmp_path / "out")
    progress = [x for x in r.stderr.splitlines() if x.startswith("批量校验")]
    assert progress == [progress[0], progress[-1]] and len(progress) == 2, r.stderr
    assert progress[0] == "批量校验：本次检查 2 个文件……"
    assert progress[-1].startswith("批量校验完成：2/2 个文件，有问题 1 个")
    assert "█" not in r.stderr and "\r" not in r.stderr


@pytest.mark.parametrize("marker", [True, False], ids=["marked", "written-before-the-marker"])
def test_an_earlier_output_folder_inside_the_inbox_is_skipped(
    inbox: Path, tmp_path: Path, marker: bool
) -> None:
    work = tmp_path / "inbox"
    shutil.copytree(inbox, work)
    first = batch(work, work / "上次结果")
    assert first.returncode == 1, first.stderr
    assert (work / "上次结果" / "xlbudget-batch.txt").is_file()
    if not marker:  # a folder that an earlier version of xlbudget wrote
        (work / "上次结果" / "xlbudget-batch.txt").unlink()
    again = batch(work, tmp_path / "out")
    assert again.returncode == 1, again.stderr
    assert "共 2 个文件" in again.stdout, again.stdout
    assert sorted(summary_files(tmp_path / "out")) == ["bad-text.xlsm", "seed.json"]
    assert "缺少工作表" not in (tmp_path / "out" / "findings.csv").read_text("utf-8-sig")
    assert "注意：上次结果/：这是 xlbudget batch 以前写出的结果文件夹" in again.stderr
    notes = openpyxl.load_workbook(tmp_path / "out" / "summary.xlsx")["说明"]
    skipped = [r[1] for r in notes.iter_rows(values_only=True) if r[0] == "跳过的文件夹"]
    assert len(skipped) == 1 and str(skipped[0]).startswith("上次结果/：")
