"""A new table set is one profile file: a province's own set, added without touching code."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import SEED_JSON
from xlbudget.cli import main

# Three tables under numbers and headings of their own: 支出 by function, 一般公共预算 by function,
# and “三公” — enough for the rules those roles carry.
MINI = {
    "id": "mini-3",
    "name": "某省单位预算公开表（3张）",
    "amount_unit": "万元",
    "tables": [
        {
            "number": 1,
            "role": "expenditure",
            "label": "公开表一",
            "title": "{year}年支出预算表",
            "layout": "function_tree",
            "filter": "all",
            "columns": [
                ["支出合计", "all", "total"],
                ["基本", "basic", "basic"],
                ["项目", "project", "project"],
            ],
        },
        {
            "number": 2,
            "role": "general_function",
            "label": "公开表二",
            "title": "{year}年一般公共预算支出表",
            "layout": "function_tree",
            "filter": "this_year fund:general",
            "printing": {"code_columns": 3, "total": "last"},
            "columns": [["合计", "all", "total"], ["基本", "basic", "basic"], ["项目", "project", "project"]],
        },
        {
            "number": 3,
            "role": "three_public",
            "label": "公开表三",
            "title": "{year}年“三公”经费表",
            "layout": "three_public",
            "filter": "fiscal",
            "columns": [["合计", "all", "total"], ["一般公共预算", "fund:general", "general"]],
        },
    ],
}


@pytest.fixture
def mini_unit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "profiles"
    folder.mkdir()
    (folder / "mini-3.json").write_text(json.dumps(MINI, ensure_ascii=False), "utf-8")
    monkeypatch.setenv("XLBUDGET_PROFILES", str(folder))
    unit = json.loads(SEED_JSON.read_text("utf-8"))
    unit["unit"]["profile"] = "mini-3"
    path = tmp_path / "unit.json"
    path.write_text(json.dumps(unit, ensure_ascii=False), "utf-8")
    return path


def test_a_profile_file_of_ones_own_gives_a_workbook_and_tables(mini_unit: Path, tmp_path: Path) -> None:
    book = tmp_path / "mini.xlsm"
    assert main(["new", "--from", str(mini_unit), "-o", str(book)]) == 0
    assert main(["fill", str(book), "--no-backup"]) == 0
    wb = openpyxl.load_workbook(book)
    assert [n for n in wb.sheetnames if n.startswith("表")] == ["表1", "表2", "表3"]
    t2 = wb["表2"]
    assert t2["A1"].value == "公开表二" and t2["A2"].value == "2023年一般公共预算支出表"
    # the code printed split 类 | 款 | 项, the 合计 line last: the seed's 2010308 信访事务 is 780.05万元
    rows = [[c.value for c in r] for r in t2.iter_rows(min_row=6)]
    assert ["201", "03", "08", "信访事务", 780.05, 387.04, 393.01] in rows
    assert [r for r in rows if r[0]][-1][:1] == ["合计"]
    out = tmp_path / "t.json"
    assert main(["export", str(book), "-o", str(out)]) == 0
    exported = json.loads(out.read_text("utf-8"))
    assert exported["profile"] == "mini-3" and sorted(exported["tables"]) == ["1", "2", "3"]
    total = next(r for r in exported["tables"]["1"]["rows"] if r["name"] == "合计")
    assert total["values"] == ["916.53", "523.52", "393.01"]  # the seed's 表3 合计 line (golden)


def test_a_profile_file_of_ones_own_is_checked_by_what_its_roles_allow(
    mini_unit: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(mini_unit), "--format", "json"]) in (0, 1)
    findings = json.loads(capsys.readouterr().out)
    assert not [f for f in findings if f["severity"] == "error"], findings


def test_a_broken_profile_file_is_refused_with_its_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xlbudget.profiles import load_profile

    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "bad-1.json").write_text("{", "utf-8")
    (folder / "other.json").write_text(json.dumps(MINI, ensure_ascii=False), "utf-8")
    monkeypatch.setenv("XLBUDGET_PROFILES", str(folder))
    with pytest.raises(ValueError, match="bad-1.json"):
        load_profile("bad-1")
    with pytest.raises(ValueError, match="应与文件名"):
        load_profile("other")
