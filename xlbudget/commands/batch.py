"""``xlbudget batch DIR -o OUTDIR [--report [--force]] [--jobs N] [--resume]`` — the finance bureau checks
every unit.

Exit codes: 0 every unit is free of errors; 1 some unit has errors or could not be read;
2 the folder cannot be used.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from xlbudget.errors import InputError

if TYPE_CHECKING:
    from xlbudget.batch.result import UnitResult

HELP = "批量校验一个文件夹中所有单位的工作簿、JSON 和已发布的报告（PDF/Word/文本），写出汇总表和问题清单"
DESCRIPTION = """\
检查 DIR（含子文件夹）中的每个工作簿（.xlsm/.xlsx）、单位预算 JSON 和已发布的报告（.pdf/.docx/.txt），多个进程并行；
加 --report 时同时为每个单位写出 Word 报告：与 xlbudget report 相同，校验有错误的单位不生成报告
（汇总表“报告”列和屏幕上列出这些单位及错误数），加 --force 仍然生成。损坏或恶意的文件只算该单位的问题，
不会中断或拖慢其他单位：每个文件有时间上限和内存上限，超出即终止并记录。
失效或循环的链接、管道（FIFO）、设备、空文件、没有权限的文件、打不开的文件夹、
不是 UTF-8 的文件名（按 GBK 显示）都各占汇总表一行并说明原因，汇总表总会写出。
Check every workbook and unit JSON under DIR in parallel worker processes; a broken or
hostile file is that unit's finding, never the others' problem (per-file time and memory limits).

写出 / writes, in OUTDIR:
  summary.xlsx        汇总：每个单位一行（单位、年度、收入总计/支出总计/基本支出/项目支出/三公经费（万元）、
                      错误/警告/提示数、问题清单链接）；问题清单；说明
  findings.csv        全部问题（UTF-8 带 BOM，Excel 直接打开）
  findings/*.csv      每个单位的问题
  results/*.json      每个单位的结果，处理完一个写一个（供 --resume 续做）
  reports/*.docx      每个单位的报告（--report；校验有错误的单位没有，除非加 --force）

同一单位报送了多份：同一年度、同一单位名称的预算（工作簿、单位预算 JSON）有两份以上时（主管部门代码都填了而不同的，
是两个同名单位，不算），每份都有一条 batch.duplicate_unit 警告，写明另几份是哪些文件、主要数字是否相同；
汇总表每份仍各占一行，“说明”中的单位数只算一次（另列“文件数”“重复报送”），屏幕上列出这些单位。

--resume：接着上次中断的批量继续：文件自上次检查后没有改动（修改时间、大小相同）的单位
沿用 results/ 中的结果，不再检查；汇总表仍列出全部单位。超时、内存超限、处理异常的单位重做。

不检查：Excel 打开时的占位文件（~$开头）、隐藏文件、xlbudget fill 留下的备份（*.bak.xlsm）、
以前 xlbudget batch 写出的结果文件夹（含 xlbudget-batch.txt 或 summary.xlsx 与 findings.csv；
跳过时会提示，并记入汇总表的“说明”）。

退出码 / exit code:  0 所有单位无错误;  1 有单位存在错误或无法读取;  2 文件夹无法使用

例 / example:
  xlbudget batch 收件箱/ -o 批量结果/ --jobs 2
  xlbudget batch 收件箱/ -o 批量结果/ --resume     # 上次被中断：只做没做完的
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "batch", help=HELP, description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("dir", metavar="DIR", help="要检查的文件夹 / folder to check (recursively)")
    p.add_argument("-o", "--output", metavar="OUTDIR", required=True, help="结果文件夹 / output folder")
    p.add_argument(
        "--report", action="store_true", help="同时写出每个单位的 Word 报告 / also write each report"
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="与 --report 同用：校验有错误的单位也生成报告 / with --report: also for units with errors",
    )
    p.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=0,
        metavar="N",
        help="并行进程数（默认：CPU 核数）/ worker processes",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="每个文件的时间上限，秒（默认 120）/ per-file time limit",
    )
    p.add_argument(
        "--memory-mb",
        type=int,
        default=None,
        metavar="MB",
        help="每个进程的内存上限，MB（默认 2048；Windows 上不设上限）/ per-worker memory limit (none on Windows)",
    )
    p.add_argument(
        "--skip", metavar="RULE,...", default="", help="跳过的规则编号，逗号分隔 / rule ids to switch off"
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="沿用 OUTDIR 中上次的结果，只检查新的或改动过的文件 / keep earlier results of unchanged files",
    )
    p.add_argument("--quiet", "-q", action="store_true", help="不显示进度 / no progress line")


def _first_error(r: UnitResult) -> str:
    """``：基本支出!F3："一百一十二万" 不是金额（另有 2 条错误）`` — where and what, as findings/*.csv has it;
    no location when it is only the file itself."""
    errors = [f for f in r.findings if f[1] == "error"]
    if not errors:
        return ""
    location, message = str(errors[0][3] or ""), str(errors[0][4])
    if location in (r.file, r.file.rstrip("/")) or PurePath(location).name == PurePath(r.file).name:
        location = ""
    where = f"{location}：" if location else ""
    more = f"（另有 {len(errors) - 1} 条错误）" if len(errors) > 1 else ""
    return f"：{where}{message[:120]}{more}"


def run(args: argparse.Namespace) -> int:
    from xlbudget.batch import BatchOptions, run_batch
    from xlbudget.batch.duplicates import describe, groups, unit_count
    from xlbudget.batch.files import readable_name
    from xlbudget.batch.pool import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT
    from xlbudget.batch.progress import Progress
    from xlbudget.batch.result import STATUS_NAMES
    from xlbudget.batch.summary import FINDINGS_FILE, SUMMARY_FILE
    from xlbudget.commands.check import parse_skip

    if args.jobs < 0:
        raise InputError("--jobs 应为正整数", "--jobs")
    if args.force and not args.report:
        raise InputError("--force 只与 --report 同用：校验有错误的单位也生成报告", "--force")
    options = BatchOptions(
        jobs=args.jobs,
        timeout=DEFAULT_TIMEOUT if args.timeout is None else args.timeout,
        memory_mb=DEFAULT_MEMORY_MB if args.memory_mb is None else args.memory_mb,
        report=args.report,
        force=args.force,
        skip=parse_skip(args.skip),
        resume=args.resume,
    )
    out = Path(args.output)
    notes: list[str] = []
    results = run_batch(Path(args.dir), out, options, progress=Progress(enabled=not args.quiet), notes=notes)
    for note in notes:
        print(f"注意：{note}", file=sys.stderr)
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    parts = "，".join(f"{STATUS_NAMES[s]} {n}" for s, n in counts.items() if n)
    print(f"共 {len(results)} 个文件：{parts}")
    twice = groups(results)
    if twice:
        print(
            f"同一单位的预算报送了多份（{len(twice)} 个单位；共 {unit_count(results)} 个单位，"
            "重复的只算一次；请确认以哪一份为准）："
        )
        for line in describe(twice[:50]):
            print(f"  {line}")
        if len(twice) > 50:
            print(f"  …… 另有 {len(twice) - 50} 个，见汇总表“说明”")
    resumed = sum(1 for r in results if r.resumed)
    if args.resume:
        print(f"续做：{resumed} 个文件沿用上次的结果，{len(results) - resumed} 个本次检查")
    failed = [r for r in results if r.failed]
    for r in failed[:50]:
        print(f"  [{STATUS_NAMES[r.status]}] {r.file}{_first_error(r)}")
    if len(failed) > 50:
        print(f"  …… 另有 {len(failed) - 50} 个，见汇总表")
    refused = [r for r in results if r.report_refused]
    if refused:
        print(
            f"未生成报告的单位 {len(refused)} 个（校验有错误，报告中的数字会有误；改正后再生成，或加 --force）："
        )
        for r in refused[:50]:
            print(f"  {r.file}（{r.unit or '单位名称未填'}）：{r.report_refused}")
        if len(refused) > 50:
            print(f"  …… 另有 {len(refused) - 50} 个，见汇总表“报告”列")
    print(f"汇总表：{readable_name(str(out / SUMMARY_FILE))}")
    print(f"问题清单：{readable_name(str(out / FINDINGS_FILE))}")
    return 1 if any(r.failed for r in results) else 0
