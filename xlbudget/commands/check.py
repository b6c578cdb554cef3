"""``xlbudget check INPUT [--format text|json] [--skip RULE,...]`` — what a reviewer would find.

Exit codes: 0 no errors (warnings and infos may be listed), 1 errors found, 2 input unreadable.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from xlbudget.commands.department_args import (
    EPILOG,
    add_department_args,
    read_department_args,
    wants_department,
)
from xlbudget.errors import InputError

if TYPE_CHECKING:
    from xlbudget.tables import TableSet

EXIT_OK = 0
EXIT_ERRORS = 1

HELP = "校验单位预算或公开表：表内、表间、尾差、科目、绩效目标、说明文字、完整性"
DESCRIPTION = (
    """\
校验一个单位的预算公开材料，列出错误、警告和提示，每条指明位置（工作簿单元格或 JSON 路径）。
Check a unit's budget disclosure as a reviewer would, and point at each problem's cell or JSON path.

INPUT 可以是 / may be:
  单位预算 JSON（xlbudget/unit-budget/1）  a unit-budget JSON: its lines, and the 13 tables derived from them
  报表 JSON（公开表，照原样校验，不重新计算）  a tables JSON as published: checked as it stands, not derived
  工作簿 .xlsm/.xlsx                      a workbook: its data, and the 表N sheets as printed
  已发布的报告 .pdf / .docx / .txt           a report as published (PDF text layer, Word, or text extracted
                                          from a PDF): its tables found by title, checked as printed;
                                          each finding names its page (PDF) and quotes the row

报表方案：按所查之物自己的——单位信息的“报表方案”（不填按省份）、报表 JSON 的 profile、报告的表名；
check 没有 --profile：要按另一方案校验单位，请改单位信息的报表方案（export、report 的 --profile 即是如此）。
The profile is the checked file's own (the unit's 报表方案, a tables JSON's profile, a report's titles).

合计与明细之差不超过每个四舍五入数 0.005 万元的，报“尾差”提示，不算错误。
A total off the sum of its parts by no more than 0.005万元 per rounded figure is an info (尾差), not an error.

退出码 / exit code:  0 没有错误 no errors;  1 发现错误 errors found;  2 无法读取输入 input unreadable

例 / examples:
  xlbudget check ../shared/fixtures/datong-xinfang-2023.json
  xlbudget check ../shared/golden/datong-xinfang-2023.tables.json --format json
  xlbudget check 单位预算.xlsm --skip rounding.tail,performance.form_missing
  xlbudget check 2024年单位预算.pdf
  xlbudget check --department 部门文件夹     部门预算：各单位的问题（注明单位和文件）及部门的公开表、说明

"""
    + EPILOG
)


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check", help=HELP, description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "input",
        metavar="INPUT",
        nargs="?",
        help="单位预算 JSON、报表 JSON、工作簿或已发布的报告（.pdf/.docx/.txt）"
        " / unit-budget JSON, tables JSON, workbook or published report",
    )
    p.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="输出格式：text 按错误/警告/提示分组（默认），json 为对象列表 / output format (default text)",
    )
    p.add_argument(
        "--skip",
        metavar="RULE,...",
        default="",
        help="跳过的规则编号，逗号分隔，如 rounding.tail / rule ids to switch off, comma-separated",
    )
    add_department_args(p)


def parse_skip(raw: str) -> frozenset[str]:
    """``--skip a,b`` of ``check`` and ``batch`` → rule ids; an id no rule has is refused (exit 2)."""
    from xlbudget.check import RULES
    from xlbudget.document.checking import DOCUMENT_RULES

    known = [*RULES, *DOCUMENT_RULES]
    ids = frozenset(s.strip() for s in raw.replace("，", ",").split(",") if s.strip())
    unknown = sorted(ids - set(known))
    if unknown:
        raise InputError(f"没有这些规则：{'、'.join(unknown)}。可用的规则：{', '.join(known)}", "--skip")
    return ids


def _read_tables_json(path: Path) -> TableSet:
    from xlbudget.io import strict_json
    from xlbudget.io.tables_json import tables_from_dict

    return tables_from_dict(strict_json.load_file(path, "报表 JSON"), str(path))


def _year(year: int) -> str:
    """ "2023年", or, where the file gives no year, so said — never “0年”."""
    return f"{year}年" if year else "（未写预算年度）"


def run(args: argparse.Namespace) -> int:
    from xlbudget.check import CheckSettings, check_budget, check_tables
    from xlbudget.io.load import is_document, is_tables_json, read_budget_and_tables, read_report

    settings = CheckSettings(skip=parse_skip(args.skip))
    if wants_department(args):
        from xlbudget.department import check_department

        dept = read_department_args(args)
        findings = check_department(dept, settings)
        title = f"{dept.name}（部门，{len(dept.units)} 个单位） {dept.year}年 "
        return _print(args, findings, title)
    path = Path(args.input)
    if not path.exists():
        raise InputError("文件不存在", str(path))
    if path.is_dir():
        raise InputError("这是一个文件夹，不是文件", str(path))
    if is_document(path):
        from xlbudget.document.checking import check_document

        doc = read_report(path)
        findings = check_document(doc, settings)
        title = f"{doc.unit} {_year(doc.year)}报告 " if doc.unit else ""
    elif is_tables_json(path):
        published = _read_tables_json(path)
        findings = check_tables(published, settings)
        title = f"{published.unit} {_year(published.year)}公开表 " if published.unit else ""
    else:  # a workbook is read once, for its inputs and its 表 sheets as shown
        budget, shown = read_budget_and_tables(path)
        findings = check_budget(budget, shown, settings)
        title = f"{budget.unit.name} {budget.year}年 "
    return _print(args, findings, title)


def _print(args: argparse.Namespace, findings: list, title: str) -> int:
    from xlbudget.check import format_text
    from xlbudget.check.output import dumps

    print(
        dumps(findings) if args.format == "json" else format_text(findings, title),
        end="" if args.format == "text" else "\n",
    )
    return EXIT_ERRORS if any(f.severity == "error" for f in findings) else EXIT_OK
