"""The ``xlbudget`` command line: for people and programs without Excel.

Each command lives in :mod:`xlbudget.commands`; this module only parses, dispatches
and turns every failure into a Chinese message and an exit code — never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import sys
from collections.abc import Sequence
from typing import NoReturn

from xlbudget import __version__
from xlbudget.catalogue import CatalogueError
from xlbudget.commands import COMMANDS
from xlbudget.errors import InputError, OutputError

EXIT_UNREADABLE = 2
EXIT_INTERNAL = 3
EXIT_PIPE_CLOSED = 128 + 13  # as a shell reports a Unix tool ended by SIGPIPE (``… | head``)

_TYPE_NAMES = {"int": "整数", "float": "数字"}

# argparse's standard messages (Python 3.11–3.13 wording) → Chinese; anything else is kept as it is
_MESSAGES: tuple[tuple[re.Pattern[str], object], ...] = tuple(
    (re.compile(pattern, re.S), to)
    for pattern, to in (
        (r"the following arguments are required: (.*)", "缺少必需的参数：{0}"),
        (r"unrecognized arguments: (.*)", "无法识别的参数：{0}（请检查拼写，或用引号括起含空格的路径）"),
        (r"invalid choice: (.*?) \(choose from (.*)\)", "无效的取值 {0}（可选：{1}）"),
        (
            r"invalid (\w+) value: (.*)",
            lambda m: f"{m[2]} 不是{_TYPE_NAMES.get(m[1], '有效的' + m[1] + ' 值')}",
        ),
        (r"expected one argument", "后面需要一个值"),
        (r"expected at most one argument", "后面最多一个值"),
        (r"expected at least one argument", "后面至少需要一个值"),
        (r"expected (\d+) arguments?", "后面需要 {0} 个值"),
        (r"not allowed with argument (.*)", "不能与参数 {0} 同时使用"),
        (r"ignored explicit argument (.*)", "不接受值 {0}"),
        (r"ambiguous option: (\S+) could match (.*)", "选项 {0} 有歧义，可能是：{1}"),
        (r"one of the arguments (.*) is required", "必须给出以下参数之一：{0}"),
        (r"unknown parser (.*?) \(choices: (.*)\)", "没有这个命令 {0}（可选：{1}）"),
    )
)


_HELP_WORDS = (
    ("usage: ", "用法 / usage: "),
    ("\npositional arguments:\n", "\n参数 / positional arguments:\n"),
    ("\noptions:\n", "\n选项 / options:\n"),
    ("show this help message and exit", "显示本说明 / show this help"),
    ("show program's version number and exit", "显示版本号 / show the version"),
)


def translate_usage_error(message: str) -> str:
    """argparse's English message in Chinese: ``argument --year: invalid int value: 'x'`` →
    ``参数 --year：'x' 不是整数``."""
    where = ""
    m = re.fullmatch(r"argument (.+?): (.*)", message, re.S)
    if m:
        where, message = f"参数 {m[1]}：", m[2]
    for pattern, to in _MESSAGES:
        found = pattern.fullmatch(message)
        if found:
            message = to(found) if callable(to) else str(to).format(*found.groups())
            break
    return where + message


class ChineseArgumentParser(argparse.ArgumentParser):
    """Usage errors in Chinese, with the usage line and where to find help; exit 2 as argparse does.

    Sub-command parsers are of this class too (``add_subparsers`` makes them of the parent's class).
    The ``--help`` texts are untouched: they are bilingual already."""

    def format_help(self) -> str:
        """argparse's own headings and help lines, bilingual as our texts are."""
        text = super().format_help()
        for english, both in _HELP_WORDS:
            text = text.replace(english, both)
        return text

    def error(self, message: str) -> NoReturn:
        usage = self.format_usage().replace("usage: ", "用法：", 1)
        self.exit(
            EXIT_UNREADABLE,
            f"{usage}{self.prog}：错误：{translate_usage_error(message)}\n用 “{self.prog} -h” 查看说明。\n",
        )


def _commands() -> dict[str, object]:
    found: dict[str, object] = {}
    for name in COMMANDS:
        try:
            found[name] = importlib.import_module(f"xlbudget.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"xlbudget.commands.{name}":
                raise
    return found


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, object]]:
    parser = ChineseArgumentParser(
        prog="xlbudget",
        description="单位预算公开：公开表、校验、Word 报告 / unit budget disclosure: tables, checks, Word report",
    )
    parser.add_argument("--version", action="version", version=f"xlbudget {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands = _commands()
    for module in commands.values():
        module.add_parser(sub)  # type: ignore[attr-defined]
    return parser, commands


def _stdout_closed() -> int:
    """The reader of our output went away (``xlbudget check … | head -1``): end quietly, as Unix tools
    do.  Python's recipe (docs, signal — note on SIGPIPE): point stdout at devnull so that the final
    flush cannot fail again, rather than restoring SIGPIPE's default."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no file descriptor behind sys.stdout (embedded, tests)
        pass
    return EXIT_PIPE_CLOSED


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    parser, commands = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return EXIT_UNREADABLE
    try:
        code = int(commands[args.command].run(args))  # type: ignore[attr-defined]
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return code
    except BrokenPipeError:
        return _stdout_closed()
    except OutputError as exc:
        print("无法写出文件：", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_UNREADABLE
    except InputError as exc:
        print("无法读取输入：", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_UNREADABLE
    except CatalogueError as exc:
        print(f"科目表：{exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    except OSError as exc:  # an output folder that does not exist, a file open in Excel, a full disk
        where = exc.filename or ""
        print(f"无法读写文件{('：' + str(where)) if where else ''}（{_why(exc)}）", file=sys.stderr)
        return EXIT_UNREADABLE
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except Exception as exc:  # the last line of defence: a message, not a traceback
        print(f"内部错误（请把这段话发给维护人员）：{type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_INTERNAL


def _why(exc: OSError) -> str:
    """What the system said, in Chinese for what a finance officer meets; the system's words otherwise."""
    import errno

    said = {
        errno.ENOENT: "文件或文件夹不存在",
        errno.EACCES: "没有权限：文件可能正在 Excel/WPS 中打开，或文件夹只读",
        errno.EPERM: "没有权限：文件可能正在 Excel/WPS 中打开，或文件夹只读",
        errno.ENOSPC: "磁盘已满",
        errno.EROFS: "文件夹只读",
        errno.EISDIR: "这是一个文件夹，不是文件",
        errno.EEXIST: "同名的文件已存在，无法建成文件夹",
        errno.ENOTDIR: "路径中有一段不是文件夹",
    }
    return said.get(exc.errno or 0) or f"系统提示：{exc.strerror or exc}"


if __name__ == "__main__":
    raise SystemExit(main())
