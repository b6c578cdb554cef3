"""``xlbudget catalogue import FILE --year Y --part PART`` — add or replace a year's 科目表."""

from __future__ import annotations

import argparse
import unicodedata

HELP = "导入官方科目表（CSV/XLSX），或列出已有年度"
DESCRIPTION = """\
导入财政部门发布的政府收支分类科目表（含“科目编码”“科目名称”两列的 CSV 或 XLSX），
为某一年度增加或替换科目；没有本年度科目表的预算年度使用最近的上一年度科目表。
Import an official catalogue export (CSV or XLSX with code and name columns) for a year.

例 / examples:
  xlbudget catalogue import 2024功能分类.xlsx --year 2024 --part function
  xlbudget catalogue list
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "catalogue", help=HELP, description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    imp = actions.add_parser("import", help="导入科目表 / import a catalogue export")
    imp.add_argument("file", metavar="FILE", help="CSV 或 XLSX")
    imp.add_argument("--year", type=int, required=True, help="科目表年度 / catalogue year")
    imp.add_argument(
        "--part",
        required=True,
        choices=["function", "economic_dept", "economic_gov"],
        help="function 支出功能分类 / economic_dept 部门经济分类 / economic_gov 政府经济分类",
    )
    imp.add_argument("--replace", action="store_true", help="整体替换该年度这一部分（默认：增加或覆盖）")
    actions.add_parser("list", help="列出可用的科目表年度 / list catalogue years")


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _aligned(rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(_width(row[c]) for row in rows) for c in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = []
        for c, text in enumerate(row):
            pad = " " * (widths[c] - _width(text))
            cells.append(pad + text if c in right else text + pad)
        lines.append("  ".join(cells).rstrip())
    return lines


def list_lines() -> list[str]:
    """Each year that has a catalogue of its own: codes per level of each part, and where they come from
    — plain text aligned for a terminal."""
    from xlbudget.catalogue import (
        PART_CODE_LENGTHS,
        PART_TITLES,
        PARTS,
        available_years,
        load_catalogue,
        user_catalogue_dir,
    )

    user = str(user_catalogue_dir())
    rows = [["年度", "科目表", "类", "款", "项", "合计", "来源"]]
    for year in available_years():
        catalogue = load_catalogue(year)
        tables = {"function": catalogue.function, "economic_dept": catalogue.economic}
        tables["economic_gov"] = catalogue.gov_economic
        for part in PARTS:
            codes = tables[part]
            counts = [
                str(sum(1 for code in codes if len(code) == length))
                if length in PART_CODE_LENGTHS[part]
                else "-"
                for length in (3, 5, 7)
            ]
            part_year = catalogue.part_years.get(part, catalogue.year)
            source = catalogue.sources.get(part, "")
            where = "导入" if source.startswith(user) else "软件自带"
            if part_year != year:
                where = f"沿用{part_year}年（{where}）"
            elif "已核实的变动" in source:
                where += "（加已核实的变动）"
            rows.append([f"{year}", PART_TITLES[part], *counts, str(len(codes)), where])
    return _aligned(rows, right={2, 3, 4, 5})


def run(args: argparse.Namespace) -> int:
    from xlbudget.catalogue import import_catalogue, user_catalogue_dir

    if args.action == "list":
        for line in list_lines():
            print(line)
        print(f"导入的科目表保存在：{user_catalogue_dir()}")
        return 0
    result = import_catalogue(args.file, args.year, args.part, replace=args.replace)
    print(result.message)
    return 0
