"""``xlbudget catalogue import FILE --year Y --part PART`` — add or replace a year's 科目表."""

from __future__ import annotations

import argparse

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


def run(args: argparse.Namespace) -> int:
    from xlbudget.catalogue import available_years, format_counts_table, import_catalogue

    if args.action == "list":
        for year in available_years():
            print(f"{year}年：")
            print(format_counts_table(year))
        return 0
    result = import_catalogue(args.file, args.year, args.part, replace=args.replace)
    print(result.message)
    return 0
