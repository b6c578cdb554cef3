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
    # 表9's 12 template rows: one warning for the table, naming them (a report's rows are no place to link to)
    [residue] = [f for f in findings if f.rule == "catalogue.template_residue"]
    assert residue.table == 9 and str(residue.location) == "表9"
    assert residue.message.startswith(
        "部门公开表9 的 12 行像是模板残留：本表没有数据，应删去这些行：20105 统计信息事务、"
    )
    assert all(code in residue.message for code in ("2010501", "2101101", "221 住房保障支出", "2210201"))


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


def test_the_forms_cells_are_whole_paragraphs() -> None:
    """The 绩效目标申报表 as the seed's text prints them, their cells broken over lines (by hand, from
    ../shared/seed/…txt): a label down its cell (绩/效/指/标), a label wrapped (服务对象满意/度指标, 项目资金/（元）),
    a label's value on the next line and wrapped (保证项目实施的制度、措施 / 同财行[2019]36号…的通 / 知), a value
    wrapped before its last characters (…保障单位管理职 / 能的发挥。) — each read as one paragraph; an indicator
    row stays one of its own."""
    texts = [p.text for p in seed().paragraphs]
    assert texts.count("项目资金（元）") == 6  # five forms, one of them repeating it after a page break
    assert texts.count("服务对象满意度指标") == 2
    # 绩效指标 once per form, and in 维稳工作经费-2 a second time: a page break cuts it there, 绩效指 | 绩效指标
    assert texts.count("绩效指标") == 5 and texts.count("绩效指") == 1
    assert (
        "保证项目实施的制度、措施 同财行[2019]36号 关于印发《市直机关差旅费管理办法》《市直机关培训费管理办法》"
        "《市直机关会议费管理办法》的通知"
    ) in texts
    assert (
        "项目概况 驻村帮扶工作人员经费用于驻村帮扶工作人员驻村工作的伙食和交通补助，保障单位驻村工作的正常开展，"
        "保障单位管理职能的发挥。"
    ) in texts
    assert next(t for t in texts if t.startswith("项目概况 维稳工作经费--1")).endswith(
        "以及其他信访维稳工作重大支出。"
    )
    for piece in ("绩", "效", "指", "（元）", "服务对象满意", "度指标", "知", "能的发挥。", "项目概况"):
        assert piece not in texts, piece
    # rows of their own stay so: labels, indicator rows, the two goals
    rows = texts[texts.index("项目名称 Z维稳工作经费-1") :]
    assert rows[rows.index("数量指标") + 1 : rows.index("数量指标") + 5] == [
        "信访勤务保障次数 ≥8次",
        "数量指标",
        "信访勤务保障次数 ≥8次",
        "重点疑难案件信访救助人次 ≥3次",
    ]
    assert "时效指标 工作完成时间 2022年1月-12月" in texts and "总体目标" in texts
    assert texts[-1] == "十二、财政拨款：包含一般公共预算、政府性基金预算、国有资本经营预算。"


def test_every_seed_error_is_found_exactly_and_nothing_correct_is_called_one() -> None:
    """../shared/golden/datong-xinfang-2023.narrative.md: 2.9%, 10个, 2022年 in 十 and in two forms (维稳工作经费-1,
    信访工作经费), 省直部门, 部门公开表9 and 表9's template rows; and the rounding tails of 表6 it lists, as hints."""
    findings = check_document(seed())
    got = sorted(
        (f.rule, f.severity, f.actual or "") for f in findings if f.rule != "catalogue.template_residue"
    )
    assert got == [
        ("completeness.table_heading", "warning", "部门公开表9"),
        ("rounding.tail", "info", "453.40"),  # 工资福利支出 vs its items 453.39
        ("rounding.tail", "info", "464.88"),  # 合计 人员经费 vs 453.40 + 11.49
        ("rounding.tail", "info", "523.52"),  # 合计 vs its 类
        ("rounding.tail", "info", "58.64"),  # 商品和服务支出 vs 58.63
        ("text.level_wording", "warning", "省直部门"),
        ("text.percent_precision", "warning", "2.9%"),
        ("text.performance", "error", "10个，393.01万元"),
        ("text.year", "warning", "2022年"),
        ("text.year", "warning", "2022年"),
        ("text.year", "warning", "2022年"),
    ]
    residue = [f for f in findings if f.rule == "catalogue.template_residue"]
    assert [f.table for f in residue] == [9] and "12 行像是模板残留" in residue[0].message  # 20105 … 2210201
    years = {f.quote.replace(" ", "") for f in findings if f.rule == "text.year"}
    assert "时效指标工作完成时间2022年1月-12月" in years and "时效指标工作完成时间2022年1月至12月" in years
    by_year = {f.quote: f for f in findings if f.rule == "text.year"}
    at = {p.index: p for p in seed().paragraphs}
    for quote, f in by_year.items():
        index = f.location.paragraph
        assert quote.replace(" ", "") in at[index].text.replace(" ", "")  # found at the paragraph quoted
