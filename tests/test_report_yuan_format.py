"""A Shanghai table in 元 prints every figure in one format: the putuo unit with one amount with fen
(basic[0], 30101 基本工资, 758,448 → 758,448.50) prints 表6's 绩效工资 3,580,522 as 3,580,522.00 beside it,
in the Word report read back; without fen the tables keep whole yuan, as the real report prints them."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.conftest import SHARED
from xlbudget.io.unit_json import read_unit_json
from xlbudget.report import write_report
from xlbudget.report.text import docx_tables

PUTUO = SHARED / "fixtures" / "putuo-welfare-2024.json"
FIGURE = re.compile(r"^-?[\d,]+(\.\d+)?$")


def figures_by_table(docx: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for t in docx_tables(docx):
        title = next((b for b in reversed(t.before) if "表" in b and "单位：" not in b), "")
        # the figures are the cells after a row's name (the codes 301 | 01 come before it)
        named = [r[next((i for i, c in enumerate(r) if c and not FIGURE.match(c)), len(r)) :] for r in t.rows]
        out[title.replace("\n", "")] = [c for r in named for c in r if FIGURE.match(c)]
    return out


def report_of(tmp_path: Path, amount: object) -> dict[str, list[str]]:
    doc = json.loads(PUTUO.read_text("utf-8"))
    assert doc["basic"][0]["economic"] == "30101" and doc["basic"][0]["amount"] == 758448
    doc["basic"][0]["amount"] = amount
    unit = tmp_path / "unit.json"
    unit.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    out = tmp_path / "r.docx"
    write_report(read_unit_json(unit), out)
    return figures_by_table(out)


def basic_table(tables: dict[str, list[str]]) -> list[str]:
    return next(v for k, v in tables.items() if "基本支出部门预算经济分类" in k)


def test_a_table_with_fen_prints_every_figure_with_two_decimals(tmp_path: Path) -> None:
    tables = report_of(tmp_path, 758448.5)
    basic = basic_table(tables)
    assert "758,448.50" in basic and "3,580,522.00" in basic and "3,580,522" not in basic
    for title, cells in tables.items():
        places = {len(c.partition(".")[2]) for c in cells}
        assert len(places) <= 1, (title, cells)  # one format per table


def test_without_fen_the_tables_print_whole_yuan(tmp_path: Path) -> None:
    basic = basic_table(report_of(tmp_path, 758448))
    assert "758,448" in basic and "3,580,522" in basic
    assert all("." not in c for c in basic), basic


def test_a_forms_money_prints_alike(tmp_path: Path) -> None:
    """The 申报表's 项目资金（元）: with fen in one figure (实施期资金总额 5,760,000.50) every figure of the form
    has two decimals (市县（区）财政资金 5,760,000.00, 单位自筹 0.00); without, whole yuan as the seed prints."""
    from dataclasses import replace
    from decimal import Decimal

    from tests.conftest import SEED_JSON

    budget = read_unit_json(SEED_JSON)
    target = budget.performance_targets[0]
    assert target.period_total == Decimal(5760000) and target.funding.local == Decimal(5760000)
    fen = replace(budget, performance_targets=(replace(target, period_total=Decimal("5760000.5")),))
    for b, expect in (
        (budget, ["5,760,000", "0", "5,760,000"]),
        (fen, ["5,760,000.50", "0.00", "5,760,000.00"]),
    ):
        out = tmp_path / "r.docx"
        write_report(b, out)
        form = next(t for t in docx_tables(out) if any(r[0] == "主管部门及代码" for r in t.rows if r))
        money = {r[1]: r[2] for r in form.rows[3:9]}  # the 项目资金 rows: label, 实施期 figure, …
        assert [money["实施期资金总额："], money["省级财政资金"], money["市县（区）财政资金"]] == expect, (
            money
        )
