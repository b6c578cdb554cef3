"""A unit that sent its budget twice: the bureau's summary says which files, and counts the unit once.

The inbox: the seed workbook as 信访局.xlsm and again as 信访局（修改后）.xlsm; the seed JSON with one
more 10,000 元 basic line (收入总计 and 基本支出 one 万元 more than the seed prints: 916.53 → 917.53,
523.52 → 524.52);
another 大同市信访局 under a different 主管部门代码 (a different unit of the same name); and a generated
unit. Five files, three units: 大同市信访局 (017) in three files, 大同市信访局 (099), the generated unit.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import ROOT, SEED_JSON
from tests.generate import generated_unit

SEED_WORKBOOK = ROOT / "workbook" / "Budget2023.xlsm"
RULE = "batch.duplicate_unit"


def batch(inbox: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xlbudget", "batch", str(inbox), "-o", str(out), "--jobs", "2", *extra],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


def findings(out: Path) -> list[dict[str, str]]:
    return list(csv.DictReader((out / "findings.csv").read_text("utf-8-sig").splitlines()))


def notes(out: Path) -> dict[str, list[str]]:
    sheet = openpyxl.load_workbook(out / "summary.xlsx")["说明"]
    got: dict[str, list[str]] = {}
    for label, text in sheet.iter_rows(values_only=True):
        got.setdefault(str(label), []).append(str(text))
    return got


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    box = tmp_path_factory.mktemp("inbox")
    shutil.copy(SEED_WORKBOOK, box / "信访局.xlsm")
    shutil.copy(SEED_WORKBOOK, box / "信访局（修改后）.xlsm")
    seed = json.loads(SEED_JSON.read_text("utf-8"))
    more = json.loads(json.dumps(seed))
    more["basic"].append(
        {"function": "2010301", "economic": "30201", "fund": "general", "amount": "10000", "carryover": False}
    )
    (box / "县").mkdir()
    (box / "县" / "信访局.json").write_text(json.dumps(more, ensure_ascii=False), "utf-8")
    other = json.loads(json.dumps(seed))
    other["unit"]["code"] = "099"
    (box / "另一部门.json").write_text(json.dumps(other, ensure_ascii=False), "utf-8")
    (box / "其他单位.json").write_text(json.dumps(generated_unit(20, 3, seed=3), ensure_ascii=False), "utf-8")
    return box


@pytest.fixture(scope="module")
def run(
    inbox: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[subprocess.CompletedProcess[str], Path]:
    out = tmp_path_factory.mktemp("out")
    return batch(inbox, out), out


def test_each_copy_names_the_others(run: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    done, out = run
    assert done.returncode in (0, 1), done.stderr
    twice = {f["文件"]: f["说明"] for f in findings(out) if f["规则"] == RULE}
    assert sorted(twice) == ["信访局.xlsm", "信访局（修改后）.xlsm", "县/信访局.json"]
    assert all(f["级别"] == "警告" for f in findings(out) if f["规则"] == RULE)
    first = twice["信访局.xlsm"]
    assert "同一单位（大同市信访局，2023年）的预算报送了 3 份" in first
    assert "本文件与 信访局（修改后）.xlsm、县/信访局.json" in first
    # the copies disagree: the JSON has 10,000 元 more, and the finding says by how much
    assert "收入总计 信访局.xlsm 916.53、信访局（修改后）.xlsm 916.53、县/信访局.json 917.53 万元" in first
    assert "基本支出 信访局.xlsm 523.52、信访局（修改后）.xlsm 523.52、县/信访局.json 524.52 万元" in first
    assert "项目支出" not in first  # the same in every copy
    # the unit of the same name under 主管部门代码 099 is another unit: no finding
    assert not [f for f in findings(out) if f["文件"] == "另一部门.json" and f["规则"] == RULE]


def test_the_summary_counts_the_unit_once(run: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    done, out = run
    said = notes(out)
    assert said["文件数"] == ["5"]
    assert said["单位数"][0].startswith("3（")
    assert said["重复报送"] == ["大同市信访局（2023年）：信访局.xlsm、信访局（修改后）.xlsm、县/信访局.json"]
    rows = openpyxl.load_workbook(out / "summary.xlsx")["汇总"].max_row - 1
    assert rows == 5  # every file keeps its row
    assert "同一单位的预算报送了多份（1 个单位；共 3 个单位" in done.stdout, done.stdout
    assert "  大同市信访局（2023年）：信访局.xlsm、信访局（修改后）.xlsm、县/信访局.json" in done.stdout


def test_resume_does_not_double_the_finding(
    inbox: Path, run: tuple[subprocess.CompletedProcess[str], Path], tmp_path: Path
) -> None:
    _done, out = run
    work = tmp_path / "out"
    shutil.copytree(out, work)
    again = batch(inbox, work, "--resume")
    assert "续做：5 个文件沿用上次的结果" in again.stdout, again.stdout
    twice = [f for f in findings(work) if f["规则"] == RULE]
    assert len(twice) == 3
