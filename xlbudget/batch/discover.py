"""Find the inputs of a batch: every workbook, JSON and published report (.pdf, .docx, .txt) under a
folder, recursively, in a stable order.

Nothing under the folder is lost silently: a sub-folder that cannot be listed and a link to a
folder (not followed: links can loop) are :class:`Entry` rows of their own, with the reason.  A folder
that an earlier ``xlbudget batch`` wrote (its summary.xlsx and results/*.json are no unit's material)
is an :class:`Entry` marked :data:`FOLDER_OUTPUT`: skipped, and said so.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from xlbudget.batch.files import os_error_text
from xlbudget.errors import InputError

# workbooks and JSON; and reports as published (PDF, Word, text extracted from a PDF), checked as printed
INPUT_SUFFIXES = (".xlsm", ".xlsx", ".json", ".pdf", ".docx", ".txt")

FOLDER_UNREADABLE = "folder_unreadable"
FOLDER_LINK = "folder_link"
FOLDER_OUTPUT = "folder_output"  # an earlier batch's output folder: not checked, not a unit

# what ``xlbudget batch`` writes into OUTDIR first, so that a later batch over a folder holding it knows it
MARKER_FILE = "xlbudget-batch.txt"
MARKER_TEXT = (
    "这个文件夹是 xlbudget batch 写出的批量校验结果（summary.xlsx、findings.csv 等），不是单位的预算材料。\r\n"
    "以后批量检查的文件夹中含有这个文件夹时，xlbudget 会认出并跳过它。\r\n"
    "This folder holds the output of xlbudget batch; a later batch over a folder containing it skips it.\r\n"
)
# the outputs of a batch written before the marker existed
_OUTPUT_FILES = ("summary.xlsx", "findings.csv")


def is_batch_output(folder: Path) -> bool:
    """``folder`` was written by ``xlbudget batch``: it has the marker, or the summary and findings files."""
    try:
        return (folder / MARKER_FILE).is_file() or all((folder / f).is_file() for f in _OUTPUT_FILES)
    except OSError:
        return False


@dataclass(frozen=True)
class Entry:
    """One row of the batch: an input file, or a folder that could not be looked into."""

    path: Path
    rel: str  # relative to the folder checked, "/"-separated; a folder ends with "/"
    problem: str = ""  # FOLDER_UNREADABLE / FOLDER_LINK for folders
    message: str = ""  # Chinese, for folders


def _is_lock_file(name: str) -> bool:
    """Not inputs: Excel's owner file of an open workbook (``~$单位.xlsm``), hidden files, and the
    backups ``xlbudget fill`` leaves beside a workbook (``单位.bak.xlsm``) — a unit counted twice
    would double the bureau's totals."""
    return (
        name.startswith("~$")
        or name.startswith(".")
        or Path(name).stem.lower().endswith(".bak")
        or name == MARKER_FILE
    )


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


def discover(root: Path, exclude: Path | None = None) -> list[Entry]:
    """Workbooks (.xlsm/.xlsx) and JSON files under ``root`` — whatever they turn out to be (a link,
    a FIFO, …: the worker says) — and the folders that could not be entered, sorted by path.

    ``exclude`` (the output folder, when it lies inside ``root``) is skipped.  Raises
    :class:`InputError` when ``root`` itself cannot be listed.
    """
    root = Path(root)
    skip = _identity(exclude) if exclude is not None else None
    found: list[Entry] = []

    def rel(path: Path) -> str:
        return path.relative_to(root).as_posix()

    def unlistable(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else root
        if where == root:
            raise InputError(f"无法打开这个文件夹：{os_error_text(exc)}", str(root))
        found.append(
            Entry(
                where,
                rel(where) + "/",
                FOLDER_UNREADABLE,
                f"无法打开这个文件夹：{os_error_text(exc)}；其中的文件没有检查",
            )
        )

    for folder, dirs, files in os.walk(root, onerror=unlistable, followlinks=False):
        here = Path(folder)
        keep = []
        for d in sorted(dirs):
            sub = here / d
            if d.startswith(".") or (skip is not None and _identity(sub) == skip):
                continue
            if sub.is_symlink():
                found.append(
                    Entry(
                        sub,
                        rel(sub) + "/",
                        FOLDER_LINK,
                        "这是指向文件夹的链接，没有进入检查（链接可能重复计入或形成循环）；"
                        "如需检查，请放入文件夹本身",
                    )
                )
                continue
            if is_batch_output(sub):
                found.append(
                    Entry(
                        sub,
                        rel(sub) + "/",
                        FOLDER_OUTPUT,
                        "这是 xlbudget batch 以前写出的结果文件夹（含 summary.xlsx 等），不是单位的材料，没有检查",
                    )
                )
                continue
            keep.append(d)
        dirs[:] = keep
        for name in files:
            if _is_lock_file(name) or Path(name).suffix.lower() not in INPUT_SUFFIXES:
                continue
            found.append(Entry(here / name, rel(here / name)))
    return sorted(found, key=lambda e: e.rel)


def find_inputs(root: Path, exclude: Path | None = None) -> list[Path]:
    """The input files under ``root`` (see :func:`discover`), sorted by relative path."""
    return [e.path for e in discover(root, exclude) if not e.problem]


def mark_output(outdir: Path) -> None:
    """Write the marker that tells a later batch ``outdir`` is a batch's output (best effort)."""
    try:
        (Path(outdir) / MARKER_FILE).write_text(MARKER_TEXT, "utf-8-sig", newline="")
    except OSError:
        pass
