"""``xlbudget export INPUT -o OUT.json`` — the tables of a unit (or a department), in the contract's tables format."""

from __future__ import annotations

import argparse

from xlbudget.commands.department_args import (
    EPILOG,
    add_department_args,
    read_department_args,
    wants_department,
)
from xlbudget.profiles import available_profiles

HELP = "把单位预算（JSON 或工作簿）计算成公开表，写成报表 JSON"
DESCRIPTION = (
    """\
从单位预算数据计算全部公开表（按单位的报表方案：山西 13 张表、全国 9 张表……），按数据约定的报表格式写出 JSON。
Derive every disclosure table from a unit's budget lines and write them in the tables format.

INPUT  单位预算 JSON（xlbudget/unit-budget/1）或本工具的工作簿（.xlsm/.xlsx）
-o     输出的报表 JSON 文件，金额为方案所印的单位（万元两位小数四舍五入；上海方案为元）

例 / example:
  xlbudget export ../shared/fixtures/datong-xinfang-2023.json -o t.json
  xlbudget export --department 部门文件夹 -o 部门.tables.json

"""
    + EPILOG
)


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export", help=HELP, description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "input", metavar="INPUT", nargs="?", help="单位预算 JSON 或工作簿 / a unit-budget JSON or workbook"
    )
    p.add_argument(
        "-o", "--output", metavar="OUT.json", required=True, help="写出的报表 JSON / tables JSON to write"
    )
    p.add_argument(
        "--profile",
        default=None,
        choices=available_profiles(),
        help="报表方案（默认按单位或部门信息：报表方案，否则按省份）/ table profile (default: the unit's)",
    )
    add_department_args(p)


def run(args: argparse.Namespace) -> int:
    from xlbudget.io.atomic import make_folder_for
    from xlbudget.io.load import read_budget
    from xlbudget.io.tables_json import write_tables_json
    from xlbudget.tables import build_tables

    if wants_department(args):
        from xlbudget.department import department_budget

        budget = department_budget(read_department_args(args, shown=False))
    else:
        budget = read_budget(args.input)
    tables = build_tables(budget, profile=args.profile)
    make_folder_for(args.output)
    write_tables_json(tables, args.output)
    note = f"（{tables.catalogue_note}）" if tables.catalogue_note else ""
    print(f"已写出 {len(tables.tables)} 张表：{args.output}{note}")
    return 0
