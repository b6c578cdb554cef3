"""The ``xlbudget`` command line: for people and programs without Excel.

Each command lives in :mod:`xlbudget.commands`; this module only parses, dispatches
and turns every failure into a Chinese message and an exit code — never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from xlbudget import __version__
from xlbudget.catalogue import CatalogueError
from xlbudget.commands import COMMANDS
from xlbudget.errors import InputError

EXIT_UNREADABLE = 2
EXIT_INTERNAL = 3


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
    parser = argparse.ArgumentParser(
        prog="xlbudget",
        description="单位预算公开：公开表、校验、Word 报告 / unit budget disclosure: tables, checks, Word report",
    )
    parser.add_argument("--version", action="version", version=f"xlbudget {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands = _commands()
    for module in commands.values():
        module.add_parser(sub)  # type: ignore[attr-defined]
    return parser, commands


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
        return int(commands[args.command].run(args))  # type: ignore[attr-defined]
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
        print(f"无法读写文件{('：' + str(where)) if where else ''}（{exc.strerror or exc}）", file=sys.stderr)
        return EXIT_UNREADABLE
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except Exception as exc:  # the last line of defence: a message, not a traceback
        print(f"内部错误（请把这段话发给维护人员）：{type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    raise SystemExit(main())
