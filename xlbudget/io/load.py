"""Open whatever the user named: a unit-budget JSON, a tables JSON or a workbook."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from xlbudget.errors import InputError
from xlbudget.model import UnitBudget

if TYPE_CHECKING:
    from xlbudget.document.model import Document
    from xlbudget.tables import TableSet

WORKBOOK_SUFFIXES = (".xlsm", ".xlsx")
#: a report as published: checked as printed (``xlbudget check``), not a budget to derive tables from
DOCUMENT_SUFFIXES = (".pdf", ".docx", ".txt")


def read_budget(path: str | Path) -> UnitBudget:
    """A unit's budget from a unit-budget JSON or one of our workbooks."""
    path = Path(path)
    if not path.exists():
        raise InputError("文件不存在", str(path))
    if path.is_dir():
        raise InputError("这是一个文件夹，不是文件", str(path))
    suffix = path.suffix.lower()
    if suffix == ".json":
        from xlbudget.io.unit_json import read_unit_json

        return read_unit_json(path)
    if suffix in WORKBOOK_SUFFIXES:
        from xlbudget.workbook.reader import read_workbook

        return read_workbook(path)
    if suffix in DOCUMENT_SUFFIXES:
        raise InputError(
            f"不认识的文件类型 “{path.suffix}”：应为单位预算 .json 或工作簿 .xlsm/.xlsx。"
            "这像是已发布的报告（PDF、Word 或文本）：可以用 xlbudget check 校验它",
            str(path),
        )
    if suffix in OLD_WORKBOOK_SUFFIXES:
        raise InputError(
            f"这是 {OLD_WORKBOOK_SUFFIXES[suffix]}（{path.suffix}），读不了：请在 Excel 或 WPS 中打开，"
            "“另存为” Excel 启用宏的工作簿（.xlsm）后再用",
            str(path),
        )
    raise InputError(
        f"不认识的文件类型 “{path.suffix}”：应为单位预算 .json 或工作簿 .xlsm/.xlsx"
        "（xlbudget check 还可校验已发布的报告 .pdf/.docx/.txt）",
        str(path),
    )


#: workbook formats we cannot read, by what they are called in Excel and WPS
OLD_WORKBOOK_SUFFIXES = {
    ".xls": "Excel 97-2003 工作簿",
    ".et": "WPS 表格文件",
    ".ods": "OpenDocument 电子表格",
}


def is_document(path: str | Path) -> bool:
    """True for a published report (.pdf, .docx, or .txt text extracted from a PDF)."""
    return Path(path).suffix.lower() in DOCUMENT_SUFFIXES


def read_report(path: str | Path) -> Document:
    """A published report as printed: its tables (found by title), notes, contents and text."""
    from xlbudget.document import read_document

    return read_document(path)


def read_budget_and_tables(path: str | Path) -> tuple[UnitBudget, TableSet | None]:
    """The budget, and for a workbook its 表 sheets as shown too: one read of the file for both."""
    path = Path(path)
    if path.suffix.lower() not in WORKBOOK_SUFFIXES or not path.is_file():
        return read_budget(path), None
    from xlbudget.workbook import layout as L
    from xlbudget.workbook.reader import budget_from_values, open_values, tables_from_values

    values = open_values(path, (*L.INPUT_SHEETS, *L.TABLE_SHEETS))
    return budget_from_values(values), tables_from_values(values)


def is_tables_json(path: str | Path) -> bool:
    """True when a .json file holds tables (the export format) rather than a unit budget."""
    path = Path(path)
    if path.suffix.lower() != ".json":
        return False
    try:
        with path.open(encoding="utf-8-sig") as f:
            data = json.load(f)  # only to tell the kinds apart: the reader of that kind reads it strictly
    except (OSError, ValueError, RecursionError):
        return False
    return isinstance(data, dict) and "tables" in data and "basic" not in data
