"""``xlbudget new [--from UNIT.json|BOOK.xlsm] [--year Y] [--empty] -o FILE.xlsm`` — build a budget workbook.

With ``--from`` last year's unit (JSON or workbook) and ``--year`` the year after it, next year's
workbook (:mod:`xlbudget.rollover`).
"""

from __future__ import annotations

import argparse

HELP = "生成预算公开工作簿（.xlsm，带“预算公开”选项卡）"
DESCRIPTION = """\
生成一个启用宏的预算公开工作簿：输入表、科目表、各公开表（表1…，按报表方案；已按数据计算填好）、
校验结果、使用说明，以及“预算公开”选项卡。
Build the macro-enabled budget workbook, filled with a unit (default: the built-in sample unit).

--from   单位预算 JSON（xlbudget/unit-budget/1）或工作簿（.xlsm）；不写则使用内置的示例单位（大同市信访局 2023）
--year   生成某一年度的空白工作簿；与 --from 同用且为其下一年度时，生成下一年度工作簿：
         单位信息、项目和绩效目标沿用（日期顺延一年，标“【待复核】”），本年数成为上年数，
         并列出新年度科目表更名或撤销的科目
--empty  生成下一年度工作簿时清空基本支出和各项金额（默认保留，作为起点）
-o       输出文件（.xlsm）

例 / examples:
  xlbudget new -o Budget2023.xlsm
  xlbudget new --from unit.json -o 单位预算.xlsm
  xlbudget new --year 2024 -o Budget2024.xlsm
  xlbudget new --from Budget2023.xlsm --year 2024 -o Budget2024.xlsm
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "new", help=HELP, description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--from",
        dest="source",
        metavar="UNIT.json|BOOK.xlsm",
        help="单位预算 JSON 或工作簿 / a unit-budget JSON or workbook",
    )
    p.add_argument(
        "--year",
        type=int,
        metavar="Y",
        help="预算年度：空白工作簿，或 --from 的下一年度 / a blank workbook's year, or the year after --from",
    )
    p.add_argument(
        "--empty",
        action="store_true",
        help="下一年度工作簿不带本年金额 / next year's workbook without this year's amounts",
    )
    p.add_argument(
        "-o", "--output", metavar="FILE.xlsm", required=True, help="写出的工作簿 / workbook to write"
    )


def default_budget():  # -> UnitBudget
    """The sample unit embedded in the package (the seed: 大同市信访局 2023)."""
    from importlib import resources

    from xlbudget.io import strict_json
    from xlbudget.io.unit_json import budget_from_dict

    text = resources.files("xlbudget.workbook").joinpath("default_unit.json").read_text(encoding="utf-8")
    return budget_from_dict(strict_json.loads(text), "（内置示例单位）")


def run(args: argparse.Namespace) -> int:
    from dataclasses import replace
    from pathlib import Path

    from xlbudget.errors import InputError, OutputError
    from xlbudget.io.load import read_budget
    from xlbudget.workbook.build import write_workbook

    out = Path(args.output)
    if out.suffix.lower() != ".xlsm":
        raise OutputError("输出文件应以 .xlsm 结尾（启用宏的工作簿；Excel 不会运行 .xlsx 中的宏）", str(out))
    if args.year is not None and not 2000 <= args.year <= 2100:
        raise InputError(f"预算年度应为四位数年份，不是 {args.year}", "--year")
    if args.empty and not (args.source and args.year is not None):
        raise InputError("--empty 只用于生成下一年度工作簿（与 --from 和 --year 同用）", "--empty")
    if args.source:
        source = Path(args.source)
        if source.resolve() == out.resolve():
            raise OutputError("输出文件不能就是 --from 的文件（会覆盖上一年度的工作簿）", str(out))
        budget = read_budget(source)
        if args.year is not None and args.year != budget.year:
            from xlbudget.rollover import roll_over

            rolled = roll_over(budget, args.year, empty=args.empty)
            write_workbook(out, rolled.budget)
            print(
                f"已写出{args.year}年工作簿：{out}（{budget.unit.name}，由{budget.year}年的 {source.name} 生成）"
            )
            for line in rolled.summary():
                print(line)
            return 0
        write_workbook(out, replace(budget, origin=""))
        what = f"{budget.unit.name} {budget.year}年"
    elif args.year is not None:
        write_workbook(out, None, year=args.year)
        what = f"{args.year}年空白工作簿"
    else:
        budget = default_budget()
        write_workbook(out, budget)
        what = f"示例单位 {budget.unit.name} {budget.year}年"
    print(f"已写出工作簿：{out}（{what}）")
    return 0
