"""Where the user points the output somewhere it cannot go, a message and exit 2 — not 内部错误."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED_JSON


@pytest.mark.parametrize("command", [["export"], ["report"]])
def test_output_where_no_folder_can_be_made_is_a_clear_error(tmp_path: Path, command: list[str]) -> None:
    """A missing folder is made (tests/test_cli_usage.py); one that cannot be — a file in its way, /proc —
    is said."""
    (tmp_path / "一个文件").write_text("x", "utf-8")
    target = tmp_path / "一个文件" / "sub" / "out.json"
    if command == ["report"]:
        target = Path("/proc/xlbudget-cannot-write-here/out.docx")
    r = subprocess.run(
        [sys.executable, "-m", "xlbudget", *command, str(SEED_JSON), "-o", str(target)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert r.returncode == 2, r.stderr
    assert "无法读写文件" in r.stderr or "无法" in r.stderr
    assert "内部错误" not in r.stderr and "Traceback" not in r.stderr


def test_tables_json_with_nan_or_three_decimals_is_unreadable(tmp_path: Path) -> None:
    for bad in ("NaN", "Infinity", "1.125"):
        f = tmp_path / f"t-{bad}.json"
        f.write_text(
            '{"unit": "x", "year": 2023, "tables": {"5": {"title": "t", "columns": ["合计"], '
            f'"rows": {{"合计": ["{bad}"]}}}}}}}}',
            "utf-8",
        )
        r = subprocess.run(
            [sys.executable, "-m", "xlbudget", "check", str(f)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
        assert r.returncode == 2, (bad, r.stdout, r.stderr)
        assert "tables.5.rows.合计" in r.stderr and bad in r.stderr
