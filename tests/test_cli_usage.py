"""The command line as a new user meets it: usage mistakes, a closed pipe, a wrong output name,
``new``'s one line, ``catalogue list`` in a terminal — Chinese messages, the right exit code."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED_JSON


def xlbudget(*args: str, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xlbudget", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        **kw,  # type: ignore[call-overload]
    )


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["check"], "缺少必需的参数：INPUT"),
        (["check", "a.json", "b.json"], "无法识别的参数：b.json"),
        (["check", "a.json", "--format", "xml"], "参数 --format：无效的取值 'xml'（可选：'text', 'json'）"),
        (["new", "--year", "二〇二四", "-o", "x.xlsm"], "参数 --year：'二〇二四' 不是整数"),
        (["new", "-o"], "参数 -o/--output：后面需要一个值"),
        (["catalogue"], "缺少必需的参数：ACTION"),
        (["chekc", "a.json"], "参数 COMMAND：无效的取值 'chekc'"),
    ],
)
def test_usage_mistakes_are_said_in_chinese(args: list[str], says: str, tmp_path: Path) -> None:
    r = xlbudget(*args)
    assert r.returncode == 2, r.stderr
    assert says in r.stderr, r.stderr
    assert "错误：" in r.stderr and "-h” 查看说明" in r.stderr
    assert r.stderr.startswith("用法：xlbudget")
    for english in ("error:", "required", "unrecognized", "invalid", "expected", "usage:"):
        assert english not in r.stderr, r.stderr
    assert r.stdout == ""


def test_help_is_bilingual_headings_included() -> None:
    """Our help texts are Chinese / English; argparse's own headings were English only."""
    r = xlbudget("check", "--help")
    assert r.returncode == 0
    assert r.stdout.startswith("用法 / usage: xlbudget check")
    assert "退出码 / exit code" in r.stdout and "rule ids to switch off" in r.stdout
    assert "\n选项 / options:\n" in r.stdout and "显示本说明 / show this help" in r.stdout
    assert "\n参数 / positional arguments:\n" in r.stdout


def test_a_closed_pipe_ends_quietly() -> None:
    """``xlbudget check … --format json | head -1``: head has gone when the findings are written."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before xlbudget writes a byte
    try:
        r = subprocess.run(
            [sys.executable, "-m", "xlbudget", "check", str(SEED_JSON), "--format", "json"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            timeout=300,
        )
    finally:
        os.close(write_end)
    assert r.stderr == ""  # no 无法读写文件（Broken pipe）, no "Exception ignored"
    assert r.returncode == 141  # 128 + SIGPIPE, as a shell shows for `yes | head -1`


def test_a_closed_pipe_in_a_shell_pipeline(tmp_path: Path) -> None:
    out = tmp_path / "first.txt"
    r = subprocess.run(
        [
            "bash",
            "-c",
            f'"{sys.executable}" -m xlbudget check "{SEED_JSON}" --format json | head -1 > "{out}"',
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert r.returncode == 0
    assert r.stderr == ""
    assert out.read_text("utf-8") == "[\n"


def test_new_with_a_wrong_output_name_says_it_is_the_output(tmp_path: Path) -> None:
    target = tmp_path / "x.xlsx"
    r = xlbudget("new", "-o", str(target))
    assert r.returncode == 2
    assert r.stderr.startswith("无法写出文件："), r.stderr
    assert "无法读取输入" not in r.stderr
    assert f"{target}: 输出文件应以 .xlsm 结尾" in r.stderr
    assert not target.exists()


def test_new_says_what_it_wrote(tmp_path: Path) -> None:
    target = tmp_path / "单位预算.xlsm"
    r = xlbudget("new", "--from", str(SEED_JSON), "-o", str(target))
    assert r.returncode == 0, r.stderr
    assert r.stdout == f"已写出工作簿：{target}（大同市信访局 2023年）\n"
    assert target.stat().st_size > 10_000


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def test_catalogue_list_is_plain_aligned_text(tmp_path: Path) -> None:
    r = xlbudget("catalogue", "list", env=os.environ | {"XLBUDGET_CATALOGUE_DIR": str(tmp_path)})
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert not any("|" in line or "---" in line for line in lines), r.stdout
    table = lines[:-1]
    assert table[0].split() == ["年度", "科目表", "类", "款", "项", "合计", "来源"]
    # the numbers of 2023 as data/2023/SOURCES.md records them (counted when the catalogue was compiled)
    assert "2023 支出功能分类科目 30 251 1231 1512 软件自带" in [" ".join(t.split()) for t in table]
    assert "2023 部门预算支出经济分类科目 10 98 - 108 软件自带" in [" ".join(t.split()) for t in table]
    # aligned: every 合计 ends in the same terminal column (CJK characters take two)
    ends = {_width(line[: m.end()]) for line in table[1:] for m in [re.search(r"\d+(?=\s+\S+$)", line)] if m}
    assert len(ends) == 1, r.stdout
    assert lines[-1] == f"导入的科目表保存在：{tmp_path}"


def test_catalogue_list_shows_an_imported_year(tmp_path: Path) -> None:
    export = tmp_path / "2030功能分类.csv"
    export.write_text("科目编码,科目名称\n201,一般公共服务支出\n20140,信访事务\n", "utf-8")
    env = os.environ | {"XLBUDGET_CATALOGUE_DIR": str(tmp_path / "catalogue")}
    assert (
        xlbudget(
            "catalogue", "import", str(export), "--year", "2030", "--part", "function", env=env
        ).returncode
        == 0
    )
    r = xlbudget("catalogue", "list", env=env)
    assert r.returncode == 0, r.stderr
    rows = [" ".join(line.split()) for line in r.stdout.splitlines()]
    assert any(row.startswith("2030 支出功能分类科目") and row.endswith(" 导入") for row in rows), r.stdout
    assert any(row.startswith("2030 部门预算支出经济分类科目") and "沿用2026年" in row for row in rows)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (
            '{"year": 2023, "unit": {"name": "x"},}',
            "第 1 行第 38 列：此处应为用双引号括起的键名（可能多了一个逗号）",
        ),
        ('{"year": 2023, "unit": {"name": "x"}, "basic": [\n', "第 2 行第 1 列：此处缺少值（或文件不完整）"),
        ('{"year": 2023 "unit": {}}', "第 1 行第 15 列：此处缺少逗号"),
    ],
)
def test_a_broken_json_file_is_told_in_chinese_with_its_place(text: str, says: str, tmp_path: Path) -> None:
    bad = tmp_path / "unit.json"
    bad.write_text(text, "utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "xlbudget", "check", str(bad)], capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode == 2
    assert says in proc.stderr and "Expecting" not in proc.stderr, proc.stderr


def test_output_folders_that_do_not_exist_are_made(tmp_path: Path) -> None:
    """``-o 新文件夹/报告.docx`` makes the folder (with its parents) as a user expects, for report, export
    and new; what is written there reads back."""
    import json

    import docx
    import openpyxl

    report = tmp_path / "clean" / "deeper" / "报告.docx"
    proc = xlbudget("report", str(SEED_JSON), "-o", str(report))
    assert proc.returncode == 0, proc.stderr
    assert "预算" in "".join(p.text for p in docx.Document(str(report)).paragraphs)
    tables = tmp_path / "导出" / "t.json"
    proc = xlbudget("export", str(SEED_JSON), "-o", str(tables))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(tables.read_text("utf-8"))["tables"]
    book = tmp_path / "工作簿" / "2024" / "单位.xlsm"
    proc = xlbudget("new", "--from", str(SEED_JSON), "-o", str(book))
    assert proc.returncode == 0, proc.stderr
    assert "单位信息" in openpyxl.load_workbook(book, keep_vba=True).sheetnames
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["t.json", "单位.xlsm", "报告.docx"]


def test_an_output_folder_that_cannot_be_made_is_told(tmp_path: Path) -> None:
    """A file where the folder should be: a Chinese message naming it, exit 2, nothing written."""
    (tmp_path / "clean").write_text("x", "utf-8")
    proc = xlbudget("report", str(SEED_JSON), "-o", str(tmp_path / "clean" / "r.docx"))
    assert proc.returncode == 2
    assert str(tmp_path / "clean") in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert "无法读写文件" in proc.stderr, proc.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["clean"]
