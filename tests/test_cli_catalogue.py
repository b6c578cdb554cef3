"""The catalogue from the command line: import a year's codes, then a unit of that year uses them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, unit_dict


def run_cli(*args: str, env_dir: Path) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"XLBUDGET_CATALOGUE_DIR": str(env_dir)}
    return subprocess.run(
        [sys.executable, "-m", "xlbudget", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def test_import_a_2024_code_and_use_it(tmp_path: Path) -> None:
    catalogue_dir = tmp_path / "catalogue"
    export = tmp_path / "2024功能分类.csv"
    export.write_text("科目编码,科目名称\n201,一般公共服务支出\n20140,信访事务\n2014001,行政运行\n", "utf-8")
    imported = run_cli(
        "catalogue", "import", str(export), "--year", "2024", "--part", "function", env_dir=catalogue_dir
    )
    assert imported.returncode == 0, imported.stderr
    assert "新增2个" in imported.stdout  # 20140 and 2014001 are new; 201 only confirms the 2023 name

    unit = unit_dict(
        year=2024, basic=[{"function": "2014001", "economic": "30101", "fund": "general", "amount": 100}]
    )
    (tmp_path / "u.json").write_text(json.dumps(unit, ensure_ascii=False), "utf-8")
    out = tmp_path / "t.json"
    result = run_cli("export", str(tmp_path / "u.json"), "-o", str(out), env_dir=catalogue_dir)
    assert result.returncode == 0, result.stderr
    tables = json.loads(out.read_text("utf-8"))["tables"]
    names = {r.get("code"): r["name"] for r in tables["3"]["rows"]}
    assert names["20140"] == "信访事务"
    assert names["2014001"] == "行政运行"
    assert tables["1"]["title"] == "2024年预算收支总表"


def test_a_year_before_any_catalogue_is_a_clear_error(tmp_path: Path) -> None:
    unit = unit_dict(year=2019)
    (tmp_path / "u.json").write_text(json.dumps(unit, ensure_ascii=False), "utf-8")
    result = run_cli(
        "export", str(tmp_path / "u.json"), "-o", str(tmp_path / "t.json"), env_dir=tmp_path / "none"
    )
    assert result.returncode == 2
    assert "科目表" in result.stderr and "Traceback" not in result.stderr


def test_bad_catalogue_file_names_the_row(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("科目编码,科目名称\n201,一般公共服务支出\n20x03,坏编码\n", "utf-8")
    result = run_cli(
        "catalogue", "import", str(bad), "--year", "2024", "--part", "function", env_dir=tmp_path / "c"
    )
    assert result.returncode == 2
    assert "第3行" in result.stderr and "Traceback" not in result.stderr
