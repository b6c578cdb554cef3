"""Find the inputs of a batch: every workbook and JSON under a folder, recursively, in a stable order."""

from __future__ import annotations

import os
from pathlib import Path

INPUT_SUFFIXES = (".xlsm", ".xlsx", ".json")


def _is_lock_file(name: str) -> bool:
    """Not inputs: Excel's owner file of an open workbook (``~$单位.xlsm``), hidden files, and the
    backups ``xlbudget fill`` leaves beside a workbook (``单位.bak.xlsm``) — a unit counted twice
    would double the bureau's totals."""
    return name.startswith("~$") or name.startswith(".") or Path(name).stem.lower().endswith(".bak")


def find_inputs(root: Path, exclude: Path | None = None) -> list[Path]:
    """Workbooks (.xlsm/.xlsx) and JSON files under ``root``, sorted by relative path.

    Symbolic links to folders are not followed (no loops); ``exclude`` (the output
    folder, when it lies inside ``root``) is skipped.
    """
    root = Path(root)
    skip = exclude.resolve() if exclude is not None else None
    found: list[Path] = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        here = Path(folder)
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and (skip is None or (here / d).resolve() != skip)
        )
        for name in files:
            if _is_lock_file(name) or Path(name).suffix.lower() not in INPUT_SUFFIXES:
                continue
            found.append(here / name)
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())
