"""``xlbudget report INPUT -o OUT.docx [--pdf]`` — the whole 单位预算公开报告 in Word (and PDF)."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from xlbudget.commands.department_args import (
    EPILOG,
    add_department_args,
    read_department_args,
    wants_department,
)
from xlbudget.errors import InputError
from xlbudget.profiles import available_profiles

if TYPE_CHECKING:
    from xlbudget.model import UnitBudget
    from xlbudget.tables import TableSet

HELP = "生成单位预算公开报告（Word，可选 PDF）"
DESCRIPTION = (
    """\
根据单位预算数据生成完整的单位预算公开报告：封面、目录、第一部分概况、第二部分 13 张公开表、
第三部分情况说明（一至十二，所有数字由数据计算）、项目支出绩效目标申报表、第四部分名词解释和图表。
上海市的单位（报表方案 shanghai-9）生成上海市格式：单位主要职能、机构设置、名词解释、单位预算编制说明
（含财政拨款支出主要内容）、9 张预算表、其他相关情况说明。
Write the whole unit budget disclosure report as a Word document (and optionally a PDF).

INPUT   单位预算 JSON（xlbudget/unit-budget/1）或本工具的工作簿（.xlsm/.xlsx）
-o      输出的 Word 文档（.docx）
--pdf   同时生成 PDF（使用 LibreOffice；Windows 上没有 LibreOffice 时使用 Word），并做出版前检查
        （A4、无空白页、各部分和各表齐全、字体已嵌入，报告页数）；PDF 无法生成或检查不通过时
        Word 文档照常写出，退出码为 1
--force 校验有错误时仍然生成报告（默认先校验：有错误则列出错误、不生成报告，退出码为 1）
--profile 按另一报表方案生成（与 xlbudget export --profile 相同；默认按单位信息的报表方案，否则按省份）：
        校验和报告都按该方案的公开表（工作簿 表N 中手工改过的数字照样查出）

生成报告前先运行与 xlbudget check 相同的校验：报告里的数字由明细计算，工作簿 表N 中手工改过、
与明细不一致的数字，或合计不符等错误，都会使报告与单位实际公开的表不一致。
Before writing, the checks run: while there are errors the report is refused (exit 1), unless --force.

例 / example:
  xlbudget report ../shared/fixtures/datong-xinfang-2023.json -o out/报告.docx --pdf
  xlbudget report --department 部门文件夹 -o out/部门报告.docx     部门预算公开报告（各单位合在一起）

"""
    + EPILOG
)


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report", help=HELP, description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "input", metavar="INPUT", nargs="?", help="单位预算 JSON 或工作簿 / a unit-budget JSON or workbook"
    )
    p.add_argument(
        "-o", "--output", metavar="OUT.docx", required=True, help="写出的 Word 文档 / report to write"
    )
    p.add_argument("--pdf", action="store_true", help="同时生成 PDF / also write OUT.pdf")
    p.add_argument(
        "--template", metavar="TEMPLATE.docx", help="使用另一份 Word 模板 / another report template"
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="校验有错误时仍然生成 / write the report even though the checks found errors",
    )
    p.add_argument(
        "--profile",
        default=None,
        choices=available_profiles(),
        help="报表方案（默认按单位信息：报表方案，否则按省份）/ table profile (default: the unit's)",
    )
    add_department_args(p)


def read_input(path: Path) -> tuple[UnitBudget, TableSet | None]:
    """The budget, and for a workbook its 表 sheets as shown (one read of the file for both)."""
    from xlbudget.io.load import read_budget_and_tables

    return read_budget_and_tables(path)


def run(args: argparse.Namespace) -> int:
    import sys

    from xlbudget.check.findings import ERROR
    from xlbudget.io.atomic import make_folder_for
    from xlbudget.report import TemplateError, write_report
    from xlbudget.report.gate import describe_errors, refusal, report_findings, warnings_note

    out = Path(args.output)
    if out.suffix.lower() != ".docx":
        print(f"输出文件应以 .docx 结尾：{out}", file=sys.stderr)
        return 2
    from xlbudget.tables import build_tables

    if wants_department(args):
        from xlbudget.department import check_department, department_budget

        if args.profile:  # the checks of a 部门 hold every unit to the 部门's own 报表方案
            raise InputError(
                "部门的报表方案在部门信息 JSON 的 profile 中设定（各单位相同）；--profile 只用于单个单位",
                "--profile",
            )
        dept = read_department_args(args)
        budget, findings = department_budget(dept), check_department(dept)
        tables = build_tables(budget)  # once, printed
    else:
        budget, shown = read_input(Path(args.input))
        if args.profile:  # as if the unit's 报表方案 said so: checked and printed by that profile
            budget = replace(budget, unit=replace(budget.unit, profile=args.profile))
        tables = build_tables(budget)  # once: checked against the 表 sheets as shown, and printed
        findings = report_findings(budget, shown, tables)
    errors = [f for f in findings if f.severity == ERROR]
    if errors and not args.force:
        print(refusal(errors) + "\n确需按明细生成报告，请加 --force。", file=sys.stderr)
        return 1
    if errors:
        print(f"注意：校验发现 {len(errors)} 项错误，按 --force 仍然生成报告：\n{describe_errors(errors)}")
    make_folder_for(out)  # only now: a refused report leaves no empty folder behind
    try:
        result = write_report(budget, out, tables=tables, template=args.template)
    except TemplateError as exc:
        print(f"无法生成报告：{exc}", file=sys.stderr)
        return 2
    print(f"已写出报告：{result.docx}（绩效目标申报表 {result.forms} 张，图 {len(result.charts)} 幅）")
    for note in result.notes:
        print(f"注意：{note}")
    if note := warnings_note(findings):
        print(note)
    if args.pdf:
        from xlbudget.report.pdf import PdfError
        from xlbudget.report.preflight import preflight_report
        from xlbudget.report.render import add_pdf

        try:
            pdf = add_pdf(result.docx)
        except PdfError as exc:
            print(str(exc), file=sys.stderr)
            return 1  # the .docx is written; only the PDF is missing
        checked = preflight_report(pdf, budget, tables)
        if not checked.ok:
            print(f"已写出 PDF：{pdf}，但{checked.summary()}", file=sys.stderr)
            return 1
        print(f"已写出 PDF：{pdf}（{checked.summary()}）")
    return 0
