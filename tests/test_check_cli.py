"""``python -m xlbudget check``: exit codes 0/1/2, exact JSON keys, --skip, no traceback on broken input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import GOLDEN_TABLES, ROOT, SEED_JSON

KEYS = ["rule", "severity", "table", "location", "message", "expected", "actual"]


def xlbudget(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xlbudget", "check", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def as_json(result: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    return data


def test_golden_tables_exit_0_with_the_tails_in_text() -> None:
    r = xlbudget(str(GOLDEN_TABLES))
    assert r.returncode == 0, r.stderr
    assert "错误 0 项" in r.stdout and "提示 4 项" in r.stdout
    assert "tables.6.rows.301[0]" in r.stdout


def test_fixture_json_output_has_exactly_the_keys() -> None:
    r = xlbudget(str(SEED_JSON), "--format", "json")
    assert r.returncode == 0, r.stderr
    findings = as_json(r)
    # today's keys, in order, then the location as data ("where"); no page or quote outside a document
    assert findings and all(list(f) == [*KEYS, "where"] for f in findings)
    paths = {(f["location"], f["where"].get("json_path")) for f in findings if f["where"].get("json_path")}
    assert ("projects[1].performance_target", "projects[1].performance_target") in paths
    assert {f["severity"] for f in findings} == {"warning", "info"}
    assert any(f["rule"] == "performance.dates_in_year" for f in findings)


def test_errors_exit_1(tmp_path: Path) -> None:
    doc = json.loads(GOLDEN_TABLES.read_text("utf-8"))
    doc["tables"]["3"]["rows"]["合计"] = ["917.53", "523.52", "393.01"]
    path = tmp_path / "t.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    r = xlbudget(str(path), "--format", "json")
    assert r.returncode == 1, r.stderr
    assert ("table.total_equals_rows", "tables.3.rows.合计[0]") in {
        (f["rule"], f["location"]) for f in as_json(r)
    }
    text = xlbudget(str(path))
    assert text.returncode == 1 and "错误（" in text.stdout


def test_skip_switches_rules_off() -> None:
    r = xlbudget(
        str(SEED_JSON), "--format", "json", "--skip", "performance.dates_in_year,performance.form_missing"
    )
    assert r.returncode == 0, r.stderr
    assert {f["rule"] for f in as_json(r)} == {"rounding.tail"}
    r = xlbudget(
        str(SEED_JSON),
        "--format",
        "json",
        "--skip",
        "rounding.tail,performance.dates_in_year,performance.form_missing",
    )
    assert as_json(r) == []


@pytest.mark.parametrize(
    "content",
    [b"{ not json", b"\xff\xfe\x00garbage", b'{"tables": {"1": {"rows": {"201": ["abc"]}}}}', b"[]", b""],
    ids=["syntax", "encoding", "bad-amount", "list", "empty"],
)
def test_unreadable_input_exits_2_without_traceback(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "broken.json"
    path.write_bytes(content)
    r = xlbudget(str(path))
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr and "无法读取" in r.stderr


@pytest.mark.parametrize(
    "args", [["/nonexistent/x.json"], ["README.txt"], [str(SEED_JSON), "--skip", "no.such.rule"]]
)
def test_other_bad_input_exits_2(args: list[str], tmp_path: Path) -> None:
    if args == ["README.txt"]:
        (tmp_path / "README.txt").write_text("hello", "utf-8")
        args = [str(tmp_path / "README.txt")]
    r = xlbudget(*args)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr


def test_help_in_chinese_and_english() -> None:
    r = xlbudget("--help")
    assert r.returncode == 0
    for words in ("校验", "Check", "--skip", "--format", "退出码", "exit code"):
        assert words in r.stdout


def test_workbook_input_checks_the_printed_tables(tmp_path: Path) -> None:
    book = tmp_path / "seed.xlsm"
    made = subprocess.run(
        [sys.executable, "-m", "xlbudget", "new", "--from", str(SEED_JSON), "-o", str(book)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    assert made.returncode == 0, made.stderr
    r = xlbudget(str(book), "--format", "json")
    assert r.returncode == 0, r.stderr
    tails = {f["location"] for f in as_json(r) if f["rule"] == "rounding.tail"}
    assert len(tails) == 4 and all(loc.startswith("表6!") for loc in tails)
