"""The seed's published report as text (``../shared/seed/…budget-disclosure.txt``), read as printed.

Its 13 tables must be the golden tables (``../shared/golden/``, written by hand from the same report),
draw no table error, and the seed's own table defects (部门公开表9, 表9's template rows) must be found.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache

import pytest

from tests.conftest import GOLDEN_TABLES, SHARED
from xlbudget.check.findings import ERROR
from xlbudget.document import Document, read_document
from xlbudget.document.checking import check_document
from xlbudget.document.export import document_to_dict
from xlbudget.document.txt import undouble
from xlbudget.errors import InputError
from xlbudget.io import strict_json
from xlbudget.io.tables_json import compare

SEED_TXT = SHARED / "seed" / "datong-xinfang-2023-budget-disclosure.txt"


@cache
def seed() -> Document:
    return read_document(SEED_TXT)


def test_the_13_tables_are_the_golden_tables() -> None:
    doc = seed()
    assert (doc.kind, doc.profile, doc.unit, doc.year) == ("txt", "shanxi-13", "大同市信访局", 2023)
    assert [t.number for t in doc.tables.tables] == list(range(1, 14))
    golden = strict_json.loads(GOLDEN_TABLES.read_text("utf-8"))
    assert compare(document_to_dict(doc), golden) == []


def test_figures_keep_their_printed_text_and_unit() -> None:
    """表6 prints names only: each row's code comes from the catalogue; 153.08万元 is 1,530,800元."""
    t6 = seed().tables[6]
    basic = next(r for r in t6.rows if r.label == "基本工资")
    assert (basic.key, basic.extra) == ("30101", "工资奖金津补贴")
    assert basic.values == (Decimal("1530800"), Decimal("1530800"), Decimal(0))
    assert basic.printed == ("153.08", "153.08", "")
    assert seed().amount_units == dict.fromkeys(range(1, 14), "万元")
    balance = seed().tables[1]
    assert [r.label for r in balance.income][:2] == ["一般公共预算", "政府性基金预算"]
    assert balance.totals["收入总计"] == (Decimal("9165300"),)
    assert balance.totals["支出总计"] == (Decimal("9165300"), Decimal("9165300"), Decimal(0))


def test_notes_labels_and_titles_as_printed() -> None:
    doc = seed()
    assert doc.notes == dict.fromkeys((7, 8, 9, 13), "注：本表无数据")
    assert doc.labels[9] == "部门公开表9"  # the seed's misprinted label, kept as printed
    assert doc.labels[10] == "预算公开表10"
    assert doc.titles[6] == "2023年一般公共预算安排基本支出分经济科目表（不含上年结转）"


def test_no_table_error_and_the_seeds_table_defects_are_found() -> None:
    findings = check_document(seed())
    # the one error is the seed's own text: 10个 where its 表12 lists 12 projects (golden narrative)
    assert [(f.rule, f.actual) for f in findings if f.severity == ERROR] == [
        ("text.performance", "10个，393.01万元")
    ]
    heading = [f for f in findings if f.rule == "completeness.table_heading"]
    assert [(f.table, f.actual) for f in heading] == [(9, "部门公开表9")]
    residue = {f.actual for f in findings if f.rule == "catalogue.template_residue"}
    assert {"20105", "2010501", "2101101", "2210201"} <= residue  # 表9's template rows
    assert {f.table for f in findings if f.rule == "catalogue.template_residue"} == {9}


def test_paragraphs_sit_under_their_part_and_section() -> None:
    paragraphs = seed().paragraphs
    assert [p.index for p in paragraphs] == list(range(1, len(paragraphs) + 1))
    running = next(p for p in paragraphs if "增加2.9%" in p.text)
    assert running.text.startswith("2023年，大同市信访局机关运行经费财政拨款预算58.64万元，上年57万元")
    assert running.part == "第三部分 2023年度单位预算情况说明"
    assert running.section == "八、机关运行经费增减变动原因说明"
    assert running.page is None
    count = next(p for p in paragraphs if "实行绩效目标管理的项目" in p.text)
    assert "项目10个" in count.text and count.section == "十、绩效管理情况"
    duties = next(p for p in paragraphs if p.text.startswith("（一）全面贯彻"))
    assert (duties.part, duties.section) == ("第一部分 概况", "一、本单位职责")
    # a table's rows are no paragraphs; its part heading printed at a page's top is one
    assert not any(p.text.startswith("201 一般公共服务支出") for p in paragraphs)
    assert any(p.text == "第二部分 2023年单位预算报表" for p in paragraphs)


@pytest.mark.parametrize(
    ("printed", "once"),
    [
        ("收入收入 支出支出", "收入 支出"),
        ("合计合计 916.53916.53 523.52523.52 393.01393.01", "合计 916.53 523.52 393.01"),
        ("208 社会保障和就业支出 61.65 61.6561.65   ", "208 社会保障和就业支出 61.65 61.65   "),
        (" 第二部分 第二部分 2023年单位预算报表2023年单位预算报表", " 第二部分 2023年单位预算报表"),
        ("本年收入合计本年收入合计 916.53916.53本年支出合计本年支出合计", "本年收入合计 916.53本年支出合计"),
        # not doubled: two equal figures in two cells, a year, a name beginning like the one before it
        ("2210201 住房公积金 51.62 51.62", "2210201 住房公积金 51.62 51.62"),
        ("2020年与2019年相比", "2020年与2019年相比"),
        ("基本工资 工资奖金津补贴 153.08 153.08", "基本工资 工资奖金津补贴 153.08 153.08"),
    ],
)
def test_bold_doubling_is_undone_and_nothing_else(printed: str, once: str) -> None:
    assert undouble(printed) == once


def test_a_text_that_is_no_budget_report_is_refused_with_its_path(tmp_path) -> None:
    notes = tmp_path / "会议纪要.txt"
    notes.write_text("关于召开年度工作会议的通知\n\n各科室：定于下周一召开会议。\n", "utf-8")
    with pytest.raises(InputError) as exc:
        read_document(notes)
    assert "不像是预算公开报告" in str(exc.value) and str(notes) in str(exc.value)
    final = tmp_path / "决算.txt"
    final.write_text("大同市信访局2022年度单位决算公开报告\n\n2022年收入支出决算总表\n", "utf-8")
    with pytest.raises(InputError, match="这是决算报告"):
        read_document(final)
    binary = tmp_path / "x.txt"
    binary.write_bytes(b"\x00\x01\x02PK")
    with pytest.raises(InputError, match="不是文本文件"):
        read_document(binary)
