"""The ``--department`` and ``--dept-info`` options that ``export``, ``check`` and ``report`` share.

``xlbudget export --department 部门文件夹 -o 部门.tables.json`` takes a 部门 instead of one unit: a folder
holding its units' files (unit-budget JSON or workbooks, one per unit: 部门本级 and each 下属单位) and its
department JSON, or the files named one by one, with ``--dept-info`` naming the department JSON.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xlbudget.department import Department

EPILOG = """\
部门预算 / a department's budget:
  --department 部门文件夹            文件夹中每个单位一份预算文件（单位预算 JSON 或工作簿），加一份部门信息 JSON
  --department 本级.xlsm 下属1.json --dept-info 部门.json   或逐个列出单位文件，另给部门信息
  部门信息 JSON 的格式见 docs/department.md / the department JSON: docs/department.md
"""


def add_department_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--department",
        nargs="+",
        metavar="DIR_OR_FILE",
        help="部门预算：部门的文件夹，或各单位的预算文件 / a department: its folder, or its units' files",
    )
    p.add_argument(
        "--dept-info",
        metavar="DEPT.json",
        help="部门信息 JSON（不给时取文件夹中的那一份）/ the department JSON (default: the one in the folder)",
    )
    p.set_defaults(department_parser=p)  # for the usage errors argparse cannot see (INPUT or --department)


def wants_department(args: argparse.Namespace) -> bool:
    """True for a department; a usage error (in Chinese, exit 2) when the command line names both or neither."""
    parser: argparse.ArgumentParser = args.department_parser
    if args.department and args.input:
        parser.error("请只给出一个单位的文件（INPUT），或用 --department 给出一个部门，不要同时给出")
    if args.dept_info and not args.department:
        parser.error("--dept-info 只与 --department 一起使用")
    if not args.department and not args.input:
        parser.error("the following arguments are required: INPUT")  # as argparse says it (in Chinese)
    return bool(args.department)


def read_department_args(args: argparse.Namespace, *, shown: bool = True) -> Department:
    """The department the command line names (with ``shown``, its workbooks' 表 sheets as shown, for the
    checks); notes on what it leaves out go to stderr."""
    from xlbudget.department import prior_year_notes, validate
    from xlbudget.io.department_json import read_department, read_unit
    from xlbudget.io.load import read_budget

    dept, notes = read_department(
        args.department, args.dept_info, read_unit if shown else lambda path: (read_budget(path), None)
    )
    validate(dept)
    for note in (*notes, *prior_year_notes(dept)):
        print(f"注意：{note}", file=sys.stderr)
    return dept
