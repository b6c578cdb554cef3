"""The real Shanghai reports (``../shared/real/*.pdf``) read as published, against the tables transcribed
by hand from them (``tests/data/real/*.tables.json``, checked against the PDFs by
``test_real_transcriptions``): the same rows, codes, names and figures, on the same pages, with the same
notes; the misprinted codes found at their rows; the text where a reviewer reads it.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest

from tests.conftest import ROOT, SHARED
from xlbudget.document import Document, read_document
from xlbudget.document.checking import check_document
from xlbudget.document.export import document_to_dict
from xlbudget.io.tables_json import compare
from xlbudget.profiles import Profile, available_profiles, load_profile, profile_from_dict

pytestmark = pytest.mark.slow

REAL = SHARED / "real"
DATA = ROOT / "tests" / "data" / "real"
STEMS = [
    "shanghai-putuo-fuliyuan-2024-unit-budget",
    "shanghai-finance-bureau-2025-unit-budget",
    "shanghai-putuo-wanli-2024-department-budget",
]
LAYOUTS = {1: "balance", 4: "balance", 8: "economic_tree", 9: "three_public"}


def transcription(stem: str) -> dict[str, Any]:
    return json.loads((DATA / f"{stem}.tables.json").read_text("utf-8"))


@cache
def shanghai() -> Profile:
    """The shipped shanghai-9 profile; the titles of the 单位 transcription while none ships."""
    if "shanghai-9" in available_profiles():
        return load_profile("shanghai-9")
    doc = transcription(STEMS[0])
    tables = [
        {
            "number": int(k),
            "label": "",
            "title": t["title"].replace(str(doc["year"]), "{year}"),
            "layout": LAYOUTS.get(int(k), "function_tree"),
            "columns": [[c, "all"] for c in t["columns"]],
            "income": [["一、财政拨款收入", "all"]] if int(k) in (1, 4) else [],
        }
        for k, t in doc["tables"].items()
    ]
    return profile_from_dict(
        {"id": "shanghai-9", "name": "上海 9 张表", "amount_unit": "元", "tables": tables}
    )


@cache
def read(stem: str) -> Document:
    profiles = [shanghai()] + [load_profile(p) for p in available_profiles() if p != "shanghai-9"]
    return read_document(REAL / f"{stem}.pdf", profiles)


@pytest.mark.parametrize("stem", STEMS)
def test_the_pdf_reads_as_its_transcription(stem: str) -> None:
    doc, expected = read(stem), transcription(stem)
    assert (doc.kind, doc.profile, doc.year) == ("pdf", "shanghai-9", expected["year"])
    assert doc.unit == expected["unit"]
    assert compare(document_to_dict(doc), expected) == []
    for key, table in expected["tables"].items():
        n = int(key)
        assert doc.titles[n] == table["title"], key
        assert list(doc.pages[n]) == table["pages"], key
        assert doc.amount_units[n] == table.get("amount_unit", expected["amount_unit"]), key
        assert doc.notes.get(n) == table.get("note"), key
        if not table.get("empty"):
            printed = {"rows": doc.tables[n].rows, "expenditure": doc.tables[n].rows}
            for side, rows in printed.items():
                if side in table and side == "rows":
                    assert [r.get("code", "") for r in table["rows"]] == [
                        r.key if r.key.isdigit() else "" for r in rows
                    ], key


def test_figures_are_kept_at_the_precision_printed() -> None:
    """元 tables in yuan to the 元 as printed ("24,840,779"); 表9 in 万元 ("6.4" → 64,000 元; its 购置费
    cell is blank, the others print 0)."""
    finance = read(STEMS[1]).tables[8]
    goods = finance.row("302")
    assert goods is not None and goods.printed[0] == "24,840,779" and goods.values[0] == 24840779
    welfare = read(STEMS[0]).tables[9].rows[0]
    assert welfare.printed == ("6.4", "0", "0", "6.4", "", "6.4", "0") and welfare.values[0] == 64000


def test_misprinted_codes_are_found_at_their_rows_not_refused() -> None:
    """福利院 E5/E6 (7 11 02 for 210 11 02) and 万里 E7/E8 (301 2, 301 7 for 301 02, 301 07)."""
    found = {
        stem: [
            (f.table, f.page, f.actual, f.expected, f.severity)
            for f in check_document(read(stem))
            if f.rule == "document.code_misprint"
        ]
        for stem in STEMS
    }
    assert found[STEMS[0]] == [(3, 9, "71102", "2101102", "error"), (5, 11, "71102", "2101102", "error")]
    assert found[STEMS[1]] == []
    assert found[STEMS[2]] == [(8, 29, "3012", "30102", "error"), (8, 29, "3017", "30107", "error")]
    welfare = next(f for f in check_document(read(STEMS[0])) if f.rule == "document.code_misprint")
    assert welfare.quote == "71102 事业单位医疗 503,724 503,724"
    assert welfare.location == "表3 「71102 事业单位医疗」 支出预算/合计"


def test_the_text_is_read_by_part_section_and_page() -> None:
    """Where the known text defects are printed (known-defects.json): 福利院 E1 p.6, E20/E21 p.16; 万里 E6 p.9."""
    welfare = read(STEMS[0])
    item4 = next(p for p in welfare.paragraphs if "社会福利事业单位（项）”738.66万元" in p.text)
    assert (item4.page, item4.part) == (6, "四、单位预算编制说明")
    assert item4.text.startswith("4. “社会保障和就业支出（类）社会福利（款）")
    assert item4.text.endswith("主要原因是：根据实际支出。")
    empty = next(p for p in welfare.paragraphs if "主要原因是。" in p.text)
    assert (empty.page, empty.part, empty.section) == (
        16,
        "六、其他相关情况说明",
        "一、2024年“三公”经费预算情况说明",
    )
    assert any(p.text == "五、国有资产占有使用情况（增加内容）" and p.page == 16 for p in welfare.paragraphs)
    assert welfare.contents[:5] == (
        "一、单位主要职能",
        "二、单位机构设置",
        "三、名词解释",
        "四、单位预算编制说明",
        "五、单位预算表",
    )
    wanli = read(STEMS[2])
    item31 = next(p for p in wanli.paragraphs if p.text.startswith("31. "))
    assert item31.page == 9 and "2024年预算安排352.67万元" in item31.text
    assert item31.part == "四、部门预算编制说明"
    assert wanli.contents[-1] == "七、项目经费情况说明"
    # no table row is a paragraph
    assert not any("9,501,164" in p.text for p in welfare.paragraphs)
