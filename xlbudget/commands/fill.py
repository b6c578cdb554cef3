"""``xlbudget fill FILE.xlsm [--backup/--no-backup]`` — what the 计算 button does, from the command line."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "按输入表重新计算各公开表（表1…）并写回工作簿（同“计算”按钮）"
DESCRIPTION = """\
读取工作簿的输入表（单位信息、基本支出、项目支出、三公经费……），计算公开表，
把各公开表（山西 表1…表13，上海、全国 表1…表9，按单位信息的报表方案）写回同一个工作簿——和功能区“预算公开 → 计算（填充派生数据）”按钮做的事一样，不需要 Excel。
Recompute the 表 sheets (表1…表13, or 表1…表9 by the unit's 报表方案) from the workbook's input sheets and write them back into the same file.

只改动各公开表的单元格（必要时还有打印区域）；宏（vbaProject.bin）、“预算公开”选项卡、样式、
数据验证、Excel 表格、名称、公式和您自己添加的工作表都原样保留。
缺少某张公开表（例如表9 被删除了）时，按报表方案重建它（标题、表头、格式和打印设置与新建的工作簿相同，
放回原来的位置），并在屏幕上说明；其余内容照样保留。
写入是原子的：先写同一文件夹中的临时文件，再替换原文件；中途断电或被终止，原文件不受影响。

备份：默认先把原文件复制为同一文件夹中的 “文件名.bak.xlsm”（例如 Budget2023.bak.xlsm；
.xlsx 文件为 “文件名.bak.xlsx”），每次运行覆盖上一次的备份。--no-backup 不做备份。
请先在 Excel 中关闭该工作簿再运行，否则 Excel 保存时会覆盖这里的结果；工作簿旁边有 Excel 的锁定文件
（~$文件名）时会给出提示，但照常写入（锁定文件也可能是 Excel 异常退出时留下的）。

例 / example:
  xlbudget fill workbook/Budget2023.xlsm
"""


def backup_path(path: Path) -> Path:
    """``Budget2023.xlsm`` → ``Budget2023.bak.xlsm`` in the same folder."""
    return path.with_name(f"{path.stem}.bak{path.suffix}")


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "fill", help=HELP, description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "workbook", metavar="FILE.xlsm", help="本工具的工作簿 / one of our workbooks (.xlsm/.xlsx)"
    )
    p.add_argument(
        "--backup",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="先备份为 文件名.bak.xlsm（默认）/ copy the original to NAME.bak.xlsm first (default)",
    )


def run(args: argparse.Namespace) -> int:
    import sys

    from xlbudget.io.load import WORKBOOK_SUFFIXES
    from xlbudget.workbook.book_openpyxl import FileBook, open_in_excel_warning
    from xlbudget.workbook.fill import fill

    path = Path(args.workbook)
    if path.suffix.lower() not in WORKBOOK_SUFFIXES:
        print(f"应为工作簿（.xlsm/.xlsx）：{path}", file=sys.stderr)
        return 2
    book = FileBook(path)
    warning = open_in_excel_warning(path)
    if warning:
        print(warning, file=sys.stderr)
    result = fill(book, status=lambda text: None)
    backup = backup_path(path) if args.backup else None
    try:
        book.save(backup=backup)
    except OSError as exc:
        print(
            f"无法写回 {path}：{exc.strerror or exc}。"
            "如果工作簿正在 Excel 中打开，请先关闭再运行；原文件没有改动。",
            file=sys.stderr,
        )
        return 2
    print(result.summary)
    print(f"已写回：{path}" + (f"（原文件备份为 {backup.name}）" if backup else ""))
    return 0
