"""Atomic writes keep the file's permissions: a report or workbook others can read stays readable."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from xlbudget.io.atomic import write_bytes_atomic


def test_new_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_bytes_atomic(tmp_path / "报告.docx", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "报告.docx").stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["报告.docx"]  # no temp file left behind


def test_replaced_file_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "Budget.xlsm"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_bytes_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_failed_write_names_the_file_not_its_temp_file(tmp_path: Path) -> None:
    """Writing into a folder that does not exist: the error names 报告.docx, never .报告.docx.xyz.tmp."""
    target = tmp_path / "无此文件夹" / "报告.docx"
    try:
        write_bytes_atomic(target, b"x")
    except FileNotFoundError as exc:
        assert exc.filename == str(target)
    else:
        raise AssertionError("wrote into a folder that does not exist")


def test_without_fsync_the_file_is_written_the_same(tmp_path: Path) -> None:
    """``fsync=False`` (batch's resume records) skips only the disk flush: same content, same mode."""
    old = os.umask(0o027)
    try:
        write_bytes_atomic(tmp_path / "record.json", b"{}", fsync=False)
    finally:
        os.umask(old)
    assert (tmp_path / "record.json").read_bytes() == b"{}"
    assert stat.S_IMODE((tmp_path / "record.json").stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["record.json"]
