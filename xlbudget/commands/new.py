"""``xlbudget new [--from UNIT.json|BOOK.xlsm] [--year Y] [--empty] [--prior REPORT] -o FILE.xlsm`` — build a
budget workbook.

With ``--from`` last year's unit (JSON or workbook) and ``--year`` the year after it, next year's
workbook (:mod:`xlbudget.rollover`).  With ``--prior`` last year's published report (.pdf, .docx, .txt),
the 上年 figures are read from it (:mod:`xlbudget.prior`): into next year's workbook instead of the
workbook's own figures, into this year's workbook or unit JSON given with ``--from`` (its year the
report's + 1), or, without ``--from``, into a blank workbook for the unit the report names.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xlbudget.model import UnitBudget

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
--prior  上一年度已公开的预算公开报告（.pdf、.docx 或 .txt）：上年数（收支总计、一般公共预算当年拨款、
         机关运行经费、“三公”经费、按项的一般公共预算财政拨款）从报告的表格读取（表格中没有的从正文读取），
         并列出找到了哪些（在第几张表、第几页）、没有找到哪些。报告须是本单位（与“单位名称”相同）、
         新工作簿上一年度的报告：
           与 --from 上年工作簿 --year 同用：下一年度工作簿的上年数取报告所印的数；
           与 --from 本年度的单位预算 JSON 或工作簿同用：给本年度工作簿填上上年数；
           不写 --from：生成报告所印单位的空白工作簿（年度为报告年度 + 1，或 --year），带上年数
-o       输出文件（.xlsm）

例 / examples:
  xlbudget new -o Budget2023.xlsm
  xlbudget new --from unit.json -o 单位预算.xlsm
  xlbudget new --year 2024 -o Budget2024.xlsm
  xlbudget new --from Budget2023.xlsm --year 2024 -o Budget2024.xlsm
  xlbudget new --from Budget2023.xlsm --year 2024 --prior 2023年预算公开.pdf -o Budget2024.xlsm
  xlbudget new --from 2025年单位预算.json --prior 2024年预算公开.pdf -o Budget2025.xlsm
  xlbudget new --prior 2024年预算公开.pdf -o Budget2025.xlsm
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
        "--prior",
        metavar="REPORT.pdf|.docx|.txt",
        help="上一年度的预算公开报告：从中读取上年数 / last year's published report: last year's figures from it",
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


def write_keeping(out: Path, budget: UnitBudget | None, **kw: Any) -> None:
    """Write the workbook; a file already there is first copied to ``NAME.bak.xlsm`` (as ``fill`` does), so
    a filled workbook given as ``-o`` by mistake is never lost."""
    import shutil

    from xlbudget.commands.fill import backup_path
    from xlbudget.io.atomic import make_folder_for
    from xlbudget.workbook.build import write_workbook

    out = Path(out)
    make_folder_for(out)
    if out.is_file():
        shutil.copy2(out, backup_path(out))
        print(f"{out.name} 已存在：原文件已备份为 {backup_path(out).name}")
    write_workbook(out, budget, **kw)


def run(args: argparse.Namespace) -> int:
    from dataclasses import replace
    from pathlib import Path

    from xlbudget.errors import InputError, OutputError
    from xlbudget.io.load import read_budget

    out = Path(args.output)
    if out.suffix.lower() != ".xlsm":
        raise OutputError("输出文件应以 .xlsm 结尾（启用宏的工作簿；Excel 不会运行 .xlsx 中的宏）", str(out))
    if args.year is not None and not 2000 <= args.year <= 2100:
        raise InputError(f"预算年度应为四位数年份，不是 {args.year}", "--year")
    if args.empty and not (args.source and args.year is not None):
        raise InputError("--empty 只用于生成下一年度工作簿（与 --from 和 --year 同用）", "--empty")
    if args.prior:
        return _with_prior(args, out)
    if args.source:
        source = Path(args.source)
        if source.resolve() == out.resolve():
            raise OutputError("输出文件不能就是 --from 的文件（会覆盖上一年度的工作簿）", str(out))
        budget = read_budget(source)
        if args.year is not None and args.year != budget.year:
            from xlbudget.rollover import roll_over

            rolled = roll_over(budget, args.year, empty=args.empty)
            write_keeping(out, rolled.budget)
            print(
                f"已写出{args.year}年工作簿：{out}（{budget.unit.name}，由{budget.year}年的 {source.name} 生成）"
            )
            for line in rolled.summary():
                print(line)
            return 0
        write_keeping(out, replace(budget, origin=""))
        what = f"{budget.unit.name} {budget.year}年"
    elif args.year is not None:
        write_keeping(out, None, year=args.year)
        what = f"{args.year}年空白工作簿"
    else:
        budget = default_budget()
        write_keeping(out, budget)
        what = f"示例单位 {budget.unit.name} {budget.year}年"
    print(f"已写出工作簿：{out}（{what}）")
    return 0


def _with_prior(args: argparse.Namespace, out: Path) -> int:
    """``new … --prior REPORT``: last year's figures from last year's published report."""
    from dataclasses import replace

    from xlbudget.document import read_document
    from xlbudget.errors import OutputError
    from xlbudget.io.load import read_budget
    from xlbudget.prior import NAMES, blank_budget, check_report, kept_as, read_prior
    from xlbudget.rollover import roll_over

    report = Path(args.prior)
    if report.resolve() == out.resolve():
        raise OutputError("输出文件不能就是 --prior 的报告", str(out))
    rolled = None
    if args.source:
        source = Path(args.source)
        if source.resolve() == out.resolve():
            raise OutputError("输出文件不能就是 --from 的文件（会覆盖上一年度的工作簿）", str(out))
        budget = read_budget(source)
        year = budget.year if args.year is None else args.year
        if year != budget.year:
            rolled = roll_over(budget, year, empty=args.empty)  # refuses another year than the next
            new = rolled.budget
        else:
            new = replace(budget, origin="")
        doc = read_document(report)
        check_report(doc, budget.unit.name, year)
        reading = read_prior(doc, operating_funds=new.unit.has_operating_funds)
        before = new.prior_year
        new = replace(new, prior_year=reading.onto(before))
        whose = f"{budget.year}年工作簿的本年数" if rolled is not None else "工作簿中原有的上年数"
        kept = kept_as(before, whose)
        made = f"（{budget.unit.name}，由 {source.name} 生成）"
    else:
        doc = read_document(report)
        year = doc.year + 1 if args.year is None else args.year
        check_report(doc, None, year)
        reading = read_prior(doc)
        new = blank_budget(doc, year, reading)

        def kept(name: str) -> str:
            return "请在工作簿中填写"

        made = f"（{doc.unit or '报告未印单位名称'}，空白工作簿）"
    write_keeping(out, new)
    print(f"已写出{year}年工作簿：{out}{made}")
    if rolled is not None:
        print("\n".join(rolled.summary()))
    print("\n".join(reading.summary(kept)))
    if reading.missing:
        names = "、".join(NAMES[n] for n in reading.missing)
        print(f"请核对：报告中没有找到 {names}")
    return 0
