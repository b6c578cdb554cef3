"""五、国有资产占有使用情况 of a Shanghai report prints the 其他资产情况 text (``assets.other``; 单位信息 B25 of a
workbook) where the real reports print it: after the 车辆 held, “…其他用车2辆；单价100万元（含）以上设备
（不含车辆）0台（套）。” (../shared/real/shanghai-putuo-fuliyuan-2024-unit-budget.pdf p.16; the 万里 部门
print p.33 the same for a 部门).  Each report is written to .docx and read back."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

from tests.conftest import SHARED
from tests.helpers import wanli
from xlbudget.department import department_budget
from xlbudget.io.department_json import read_department
from xlbudget.io.unit_json import read_unit_json
from xlbudget.report import write_report
from xlbudget.report.text import docx_blocks
from xlbudget.tables import build_tables
from xlbudget.workbook import layout as L
from xlbudget.workbook.build import write_workbook
from xlbudget.workbook.reader import read_workbook

PUTUO = SHARED / "fixtures" / "putuo-welfare-2024.json"
KINDS_ZERO = "部级领导干部用车0辆、主要领导干部用车0辆、机要通信用车0辆、应急保障用车0辆、执法执勤用车0辆、特种专业技术用车0辆、离退休干部用车0辆"


def held(docx: Path) -> str:
    """The first paragraph under 五、国有资产占有使用情况, as Word holds it."""
    blocks = [b.strip() for b in docx_blocks(docx)]
    return blocks[blocks.index("五、国有资产占有使用情况") + 1]


def test_the_fixtures_other_assets_text_is_printed_after_the_vehicles(tmp_path: Path) -> None:
    out = tmp_path / "r.docx"
    write_report(read_unit_json(PUTUO), out)
    assert held(out) == (
        f"上海市普陀区社会福利院共有车辆2辆，其中：{KINDS_ZERO}、其他用车2辆；"
        "单价100万元（含）以上设备（不含车辆）0台（套）。"
    )


def test_a_text_typed_in_the_workbook_is_printed(tmp_path: Path) -> None:
    book = tmp_path / "putuo.xlsm"
    write_workbook(book, read_unit_json(PUTUO))
    wb = openpyxl.load_workbook(book, keep_vba=True)
    ws = wb[L.UNIT_SHEET]
    assert ws["A25"].value == "其他资产情况"
    ws["B25"] = "单价100万元（含）以上设备（不含车辆）3台（套）"  # typed without the full stop
    wb.save(book)
    out = tmp_path / "r.docx"
    write_report(read_workbook(book), out)
    assert held(out).endswith("、其他用车2辆；单价100万元（含）以上设备（不含车辆）3台（套）。")


def test_a_departments_other_assets_text_is_printed(tmp_path: Path) -> None:
    folder = wanli.write_wanli(tmp_path / "万里街道")
    info = folder / "部门信息.json"
    doc = json.loads(info.read_text("utf-8"))
    doc["assets"] = {
        "vehicles": [{"purpose": "其他用车", "count": 7}],
        "other": "单价100万元（含）以上设备（不含车辆）0台（套）。",
    }
    info.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    dept, _ = read_department([folder])
    budget = department_budget(dept)
    out = tmp_path / "部门.docx"
    write_report(budget, out, tables=build_tables(budget))
    assert held(out) == (
        f"{wanli.DEPARTMENT}（部门）共有车辆7辆，其中：{KINDS_ZERO}、其他用车7辆；"
        "单价100万元（含）以上设备（不含车辆）0台（套）。"
    )


def test_without_an_other_assets_text_the_sentence_ends_after_the_vehicles(tmp_path: Path) -> None:
    doc = json.loads(PUTUO.read_text("utf-8"))
    doc["assets"]["other"] = ""
    unit = tmp_path / "unit.json"
    unit.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    out = tmp_path / "r.docx"
    write_report(read_unit_json(unit), out)
    assert held(out) == f"上海市普陀区社会福利院共有车辆2辆，其中：{KINDS_ZERO}、其他用车2辆。"
