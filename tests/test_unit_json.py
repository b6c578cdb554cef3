"""Reading the unit-budget JSON: good files load, bad ones get a clear message and exit code 2."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.conftest import ROOT, SEED_JSON
from xlbudget.errors import InputError
from xlbudget.io.unit_json import budget_from_dict, budget_to_dict, read_unit_json

SCHEMA = json.loads((ROOT / "xlbudget" / "schema" / "unit-budget-1.schema.json").read_text("utf-8"))


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xlbudget", *args], capture_output=True, text=True, cwd=ROOT, timeout=120
    )


def test_seed_loads_with_exact_yuan_and_sources() -> None:
    b = read_unit_json(SEED_JSON)
    assert b.year == 2023 and b.unit.name == "大同市信访局" and b.unit.kind == "administrative"
    assert len(b.basic) == 17 and len(b.projects) == 12 and len(b.performance_targets) == 5
    assert b.basic[0].amount == Decimal("1530810")
    # basic 5,235,170 + projects 3,930,100 (summed from the raw JSON) → 916.53万元 as the seed prints
    assert sum(x.amount for x in b.lines) == Decimal("9165270")
    assert str(b.basic[3].source.at("amount")) == "basic[3].amount"
    assert b.basic[3].source.file == str(SEED_JSON)


def test_seed_and_schema_agree(seed_dict: dict[str, Any]) -> None:
    jsonschema.validate(seed_dict, SCHEMA)


def test_round_trip_keeps_everything(seed_dict: dict[str, Any]) -> None:
    once = budget_from_dict(seed_dict)
    again = budget_from_dict(budget_to_dict(once))
    assert again.lines == once.lines
    assert again.performance_targets == once.performance_targets
    jsonschema.validate(budget_to_dict(once), SCHEMA)


def _problems(doc: dict[str, Any]) -> list[str]:
    with pytest.raises(InputError) as exc:
        budget_from_dict(doc)
    return [str(p) for p in exc.value.problems]


def test_every_problem_is_named_with_its_path(seed_copy: dict[str, Any]) -> None:
    seed_copy["basic"][3]["amount"] = "12,3x"
    seed_copy["basic"][1]["function"] = 2010308
    seed_copy["projects"][0]["fund"] = "bank_loan"
    del seed_copy["projects"][2]["amount"]
    seed_copy["unit"]["kind"] = "company"
    problems = _problems(seed_copy)
    assert "basic[3].amount: “12,3x” 不是金额" in problems
    assert any(p.startswith("basic[1].function:") and "不能是数字" in p for p in problems)
    assert any(p.startswith("projects[0].fund:") and "bank_loan" in p for p in problems)
    assert "projects[2].amount: 缺少金额" in problems
    assert any(p.startswith("unit.kind:") for p in problems)
    assert len(problems) == 5


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d["basic"][0].update(amount=-5), "basic[0].amount"),
        (lambda d: d["basic"][0].update(amount=1.234), "basic[0].amount"),
        (lambda d: d["basic"][0].update(economic="301 01"), "basic[0].economic"),
        (lambda d: d["basic"][0].update(carryover="maybe"), "basic[0].carryover"),
        (lambda d: d.update(year="明年"), "year"),
        (lambda d: d.update(basic={"not": "a list"}), "basic"),
        (lambda d: d.pop("unit"), "unit"),
    ],
)
def test_bad_values_are_reported(seed_copy: dict[str, Any], change: Any, where: str) -> None:
    change(seed_copy)
    assert any(p.startswith(f"{where}:") for p in _problems(seed_copy))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "不是有效的 JSON"),
        ("[1, 2, 3]", "应为对象"),
        (b"\xff\xfe\x00garbage", "UTF-8"),
    ],
)
def test_cli_unreadable_file_exit_2_no_traceback(tmp_path: Path, content: Any, expected: str) -> None:
    f = tmp_path / "unit.json"
    f.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    result = run_cli("export", str(f), "-o", str(tmp_path / "t.json"))
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not (tmp_path / "t.json").exists()


def test_cli_malformed_unit_exit_2(tmp_path: Path, seed_copy: dict[str, Any]) -> None:
    seed_copy["basic"][3]["amount"] = "12,3x"
    seed_copy["basic"][5]["function"] = 2101101
    f = tmp_path / "unit.json"
    f.write_text(json.dumps(seed_copy, ensure_ascii=False), "utf-8")
    result = run_cli("export", str(f), "-o", str(tmp_path / "t.json"))
    assert result.returncode == 2, result.stderr
    assert "basic[3].amount: “12,3x” 不是金额" in result.stderr
    assert "basic[5].function:" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_missing_file_and_wrong_type(tmp_path: Path) -> None:
    missing = run_cli("export", str(tmp_path / "nope.json"), "-o", str(tmp_path / "t.json"))
    assert missing.returncode == 2 and "文件不存在" in missing.stderr
    (tmp_path / "budget.txt").write_text("hello", "utf-8")
    wrong = run_cli("export", str(tmp_path / "budget.txt"), "-o", str(tmp_path / "t.json"))
    assert wrong.returncode == 2 and "不认识的文件类型" in wrong.stderr
    # an old or WPS workbook: what it is, and how to save it so that it can be read
    (tmp_path / "budget.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    old = run_cli("check", str(tmp_path / "budget.xls"))
    assert old.returncode == 2 and "Excel 97-2003 工作簿" in old.stderr and "另存为" in old.stderr


def test_export_help_explains_the_command() -> None:
    result = run_cli("export", "--help")
    assert result.returncode == 0
    assert "INPUT" in result.stdout and "-o" in result.stdout and "报表" in result.stdout
