"""Text rules never crash: any text against any tables gives findings, never an ``internal`` one (a rule
that raised)."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_text_rules_documents import FINANCE, FULIYUAN, REAL_TABLES, SEED_JSON, WANLI
from test_text_rules_paragraphs import REAL, pdf_paragraphs, seed_paragraphs

from tests.conftest import examples
from xlbudget.check import check_text
from xlbudget.document.model import Paragraph
from xlbudget.io.tables_json import tables_from_dict
from xlbudget.io.unit_json import read_unit_json
from xlbudget.tables import TableSet, build_tables

_TOKENS = (
    "比上年增加",
    "减少",
    "持平",
    "新增",
    "增加",
    "主要原因是",
    "：",
    "。",
    "，",
    "；",
    "占",
    "%",
    "万元",
    "0.00",
    "57",
    "1,212.12",
    "100.00",
    "2022年",
    "2023年",
    "〔2019〕",
    "当年预算执行数为",
    "预算安排",
    "1.",
    "“",
    "”",
    "（类）",
    "（款）",
    "（项）",
    "科目",
    "社会保障和就业支出",
    "一般公共服务支出",
    "基本支出",
    "项目支出",
    "人员经费",
    "公用经费",
    "主要包括",
    "、",
    "等",
    "项目",
    "个",
    "绩效",
    "政府采购货物预算",
    "政府采购预算",
    "“三公”经费",
    "机关运行经费",
    "省直部门",
    "市级财政",
    "XX",
    "其它",
    "公开表9",
    "2080505",
    "住房公积金",
)


@pytest.fixture(scope="module")
def table_sets() -> list[TableSet]:
    seed = build_tables(read_unit_json(SEED_JSON))
    real = [
        tables_from_dict(json.loads((REAL_TABLES / f"{n}.tables.json").read_text("utf-8")))
        for n in (FULIYUAN, WANLI, FINANCE)
    ]
    return [seed, *real, TableSet(unit="", year=0, profile="", tables=())]


@settings(
    max_examples=examples(120),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.lists(st.sampled_from(_TOKENS), max_size=40).map("".join), max_size=8), st.integers(0, 4))
def test_any_text_against_any_tables_is_checked_without_a_crash(
    table_sets: list[TableSet], texts: list[str], which: int
) -> None:
    tables = table_sets[which]
    found = check_text(
        [Paragraph(t, 1, i) for i, t in enumerate(texts, 1)],
        tables,
        year=tables.year or 2023,
        unit_level="县级",
    )
    assert not [f for f in found if f.rule == "internal"], [f.message for f in found if f.rule == "internal"]


@pytest.mark.slow  # pdftotext
def test_one_reports_text_against_another_reports_tables_does_not_crash(table_sets: list[TableSet]) -> None:
    texts = [seed_paragraphs(), pdf_paragraphs(REAL / f"{WANLI}.pdf")]
    for paragraphs in texts:
        for tables in table_sets:
            found = check_text(paragraphs, tables, year=tables.year or 2023, unit_level=None)
            assert not [f for f in found if f.rule == "internal"]
